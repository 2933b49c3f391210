// Runs a bundled action exactly as a GitHub runner does: a fresh Node 24
// process, every input as INPUT_<NAME> (action.yml defaults included, with
// `${{ github.token }}` evaluated), the runner's command files, an event
// payload, RUNNER_TEMP and the OIDC request variables. Shared by the tests
// and `npm run demo`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { startGitHubApi } from '../stack/github-api.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FAKE_GITHUB_TOKEN = 'ghs_fakeGitHubTokenForTests0123456789';
const COMMAND_FILES = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH'];

// Where runner-* directories go: useStack() points it at its own temp
// directory so they are removed with it. Returns the previous root.
let tempRoot;
export function setRunnerTempRoot(dir) {
  const previous = tempRoot;
  tempRoot = dir;
  return previous;
}

// A runner's job always reaches its GitHub API: unless a test passes its own
// GITHUB_API_URL, runs share one attestation-store stand-in (test/stack/
// github-api.mjs) in which the job token may write to octo-org/octo-repo.
let sharedGitHubApi;
export function defaultGitHubApi() {
  sharedGitHubApi ??= startGitHubApi({ repos: { 'octo-org/octo-repo': {} }, tokens: { [FAKE_GITHUB_TOKEN]: { attestations: 'write' } } }).then((api) => {
    api.unref();
    return api;
  });
  return sharedGitHubApi;
}

export async function runAction({ action = '.', inputs, env: extra = {}, home, killAfterMs, cwd }) {
  const actionDir = join(ROOT, action);
  const meta = yaml.load(readFileSync(join(actionDir, 'action.yml'), 'utf8'));
  if (meta.runs.using !== 'node24') throw new Error(`action.yml runs.using is ${meta.runs.using}`);
  for (const name of Object.keys(inputs)) {
    if (!(name in meta.inputs)) throw new Error(`input ${name} is not declared in ${action}/action.yml`);
  }
  const work = mkdtempSync(join(tempRoot ?? tmpdir(), 'runner-'));
  const files = {};
  for (const k of COMMAND_FILES) {
    files[k] = join(work, k.toLowerCase());
    writeFileSync(files[k], '');
  }
  const event = join(work, 'event.json');
  writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'octo-org/octo-repo', visibility: 'public' } }));
  const runnerTemp = join(work, 'temp');
  mkdirSync(runnerTemp);

  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home ?? join(work, 'home'),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'GITHUB_API_URL' in extra ? extra.GITHUB_API_URL : (await defaultGitHubApi()).url,
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_WORKFLOW: 'release',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_WORKSPACE: cwd ?? work,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...files,
  };
  for (const [name, spec] of Object.entries(meta.inputs)) {
    const value = (inputs[name] ?? spec.default ?? '').replace('${{ github.token }}', FAKE_GITHUB_TOKEN);
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }

  const started = Date.now();
  const child = spawn(process.execPath, [join(actionDir, meta.runs.main)], { env, cwd: cwd ?? work, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // A run still going after killAfterMs is killed (code -1, killed: true).
  let killed = false;
  const timer = killAfterMs
    ? setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, killAfterMs)
    : undefined;
  const code = await new Promise((res) => child.on('close', (c) => res(c ?? -1)));
  clearTimeout(timer);
  return {
    code,
    stdout,
    stderr,
    outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    runnerTemp,
    ms: Date.now() - started,
    killed,
  };
}

// Parses `name<<delimiter\nvalue\ndelimiter` blocks (and plain name=value).
export function parseCommandFile(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

// The ::error:: lines a run printed.
export const errorLines = (run) => run.stdout.split('\n').filter((l) => l.startsWith('::error'));
