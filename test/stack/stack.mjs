#!/usr/bin/env node
// Launcher for the offline integration stack: one or two `docker-registry`
// processes plus fake-sigstore.mjs, all on free 127.0.0.1 ports.
//
//   node test/stack/stack.mjs up DIR [--auth] [--real]   # prints stack.json, leaves it running
//     (--real: the real Sigstore services of real-sigstore.mjs instead of the stand-in)
//   node test/stack/stack.mjs down DIR          # stops the PIDs in DIR/pids.json
//
// From tests: `const stack = await startStack({stateDir}); ...; await stack.stop()`.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { freePort, isRunning, tail } from './process.mjs';
import { startRealSigstore } from './real-sigstore.mjs';
import { REGISTRY_PASSWORD, REGISTRY_USER, requireTools, writeRegistryConfig } from './registry.mjs';

export { hasRekorV2, missingRealTools } from './real-sigstore.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FAKE_SIGSTORE = path.join(HERE, 'fake-sigstore.mjs');
const MKIMAGE = path.resolve(HERE, '../fixtures/mkimage.sh');
const FIXTURE_TREE = path.resolve(HERE, '../fixtures/image');
const FIXTURE_TAG = 'fixture';
const READY_TIMEOUT_MS = 15_000;
const KILL_GRACE_MS = 3_000;

const execFileP = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function spawnLogged(cmd, args, logFile, { detached, pipeStdout = false }) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached, stdio: ['ignore', pipeStdout ? 'pipe' : log, log] });
  fs.closeSync(log);
  return child;
}

/** Resolves with the parsed first stdout line (fake-sigstore's ready line). */
function readyLine(child, logFile) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const finish = (err, value) => {
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.removeListener('exit', onExit);
      // Nothing else is printed on stdout; dropping the pipe lets a detached child outlive us.
      child.stdout.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const onExit = (code, signal) => finish(new Error(`fake-sigstore exited (${code ?? signal}) before it was ready:\n${tail(logFile)}`));
    const timer = setTimeout(() => finish(new Error(`fake-sigstore not ready after ${READY_TIMEOUT_MS} ms:\n${tail(logFile)}`)), READY_TIMEOUT_MS);
    child.once('exit', onExit);
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        finish(null, JSON.parse(buf.slice(0, nl)));
      } catch (e) {
        finish(new Error(`unexpected fake-sigstore output: ${buf.slice(0, nl)} (${e.message})`));
      }
    });
  });
}

async function waitForRegistry(url, child, logFile) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!isRunning(child)) throw new Error(`docker-registry exited before it was ready:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${url}/v2/`);
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`docker-registry at ${url} not ready:\n${tail(logFile)}`);
    await sleep(20);
  }
}

async function stopChildren(children) {
  await Promise.all(
    children.filter(isRunning).map(async (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
}

const pidAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The real services' processes (real-sigstore.mjs), by executable name.
const REAL_SERVICE = /(^|\/)(mariadbd|fulcio|trillian-log-server|trillian-log-signer|rekor-server|ct-server|timestamp-server|rekor-tiles)\0/;

// Guards against PID reuse: only signal processes that are still ours.
const isStackProcess = (pid) => {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('docker-registry') || cmd.includes('fake-sigstore.mjs') || REAL_SERVICE.test(cmd);
  } catch {
    return false;
  }
};

function readPids(stateDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, 'pids.json'), 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Starts the stack. Fails if DIR/pids.json still names running stack processes.
 * @param {object} o
 * @param {string} o.stateDir  holds registry storage, logs, trust files, stack.json, pids.json
 * @param {boolean} [o.auth]  also start a registry with htpasswd basic auth (tester/secret)
 * @param {number} [o.rekorPrefill]  global logIndex of the first Rekor entry (default 0)
 * @param {object} [o.claims]  OIDC claims merged over GitHub-like defaults for every token
 * @param {boolean} [o.detached]  let the processes outlive this one (the CLI `up`)
 * @param {boolean} [o.real]  the real Sigstore services (real-sigstore.mjs) instead of the
 *   stand-in; default: env SIGN_ATTEST_REAL_SIGSTORE=1. Fault hooks then reach only the OIDC stand-in.
 * @param {number} [o.rekorMaxBodySize]  with real: Rekor v1's --max_request_body_size
 * @returns {Promise<object>} the stack.json fields plus `stop()`
 */
export async function startStack({
  stateDir,
  auth = false,
  rekorPrefill = 0,
  claims,
  detached = false,
  real = process.env.SIGN_ATTEST_REAL_SIGSTORE === '1',
  rekorMaxBodySize,
}) {
  if (!stateDir) throw new Error('startStack: stateDir is required');
  requireTools();
  stateDir = path.resolve(stateDir);
  const stale = Object.values(readPids(stateDir)).filter((pid) => pidAlive(pid) && isStackProcess(pid));
  if (stale.length > 0) throw new Error(`a stack is already running from ${stateDir} (pids ${stale.join(', ')}); stop it first`);
  const logs = path.join(stateDir, 'logs');
  fs.mkdirSync(logs, { recursive: true });

  const children = [];
  const pids = {};
  const start = (name, cmd, args, opts = {}) => {
    const child = spawnLogged(cmd, args, path.join(logs, `${name}.log`), { detached, ...opts });
    children.push(child);
    pids[name] = child.pid;
    return child;
  };
  try {
    const registries = [{ name: 'registry', auth: false }, ...(auth ? [{ name: 'auth-registry', auth: true }] : [])];
    for (const reg of registries) {
      reg.host = `127.0.0.1:${await freePort()}`;
      const config = writeRegistryConfig({ dir: path.join(stateDir, reg.name), port: reg.host.split(':')[1], auth: reg.auth });
      reg.child = start(reg.name, 'docker-registry', ['serve', config]);
    }

    let sigstore;
    if (real) {
      const registriesUp = registries.map((r) => waitForRegistry(`http://${r.host}`, r.child, path.join(logs, `${r.name}.log`)));
      registriesUp.forEach((p) => p.catch(() => {})); // awaited below; the real services may fail first
      const { children: realChildren, pids: realPids, ...info } = await startRealSigstore({ stateDir, detached, claims, rekorMaxBodySize });
      children.push(...realChildren);
      Object.assign(pids, realPids);
      await Promise.all(registriesUp);
      sigstore = info;
    } else {
      const sigstoreArgs = [FAKE_SIGSTORE, '--port', '0', '--state-dir', stateDir, '--rekor-prefill', String(rekorPrefill)];
      if (claims) {
        const claimsFile = path.join(stateDir, 'claims.json');
        fs.writeFileSync(claimsFile, JSON.stringify(claims, null, 2));
        sigstoreArgs.push('--claims', claimsFile);
      }
      const sigstoreChild = start('fake-sigstore', process.execPath, sigstoreArgs, { pipeStdout: true });
      const [ready] = await Promise.all([
        readyLine(sigstoreChild, path.join(logs, 'fake-sigstore.log')),
        ...registries.map((r) => waitForRegistry(`http://${r.host}`, r.child, path.join(logs, `${r.name}.log`))),
      ]);
      const { ready: _, pid: __, ...fake } = ready;
      sigstore = fake;
    }
    const authReg = registries[1];

    const info = {
      stateDir,
      registry: registries[0].host,
      registryURL: `http://${registries[0].host}`,
      authRegistry: authReg?.host ?? null,
      authRegistryURL: authReg ? `http://${authReg.host}` : null,
      registryCredentials: authReg ? { username: REGISTRY_USER, password: REGISTRY_PASSWORD } : null,
      ...sigstore,
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: sigstore.tokenURL, ACTIONS_ID_TOKEN_REQUEST_TOKEN: sigstore.requestToken },
      pids,
      logs,
    };
    fs.writeFileSync(path.join(stateDir, 'stack.json'), JSON.stringify(info, null, 2) + '\n');
    fs.writeFileSync(path.join(stateDir, 'pids.json'), JSON.stringify(pids, null, 2) + '\n');
    if (detached) children.forEach((c) => c.unref());

    const stop = async () => {
      await stopChildren(children);
      fs.rmSync(path.join(stateDir, 'pids.json'), { force: true });
    };
    return { ...info, stop };
  } catch (e) {
    await stopChildren(children);
    throw e;
  }
}

/** Stops the processes listed in DIR/pids.json (the counterpart of the CLI `up`). */
export async function stopStack(stateDir) {
  const pids = Object.values(readPids(stateDir)).filter((pid) => pidAlive(pid) && isStackProcess(pid));
  pids.forEach((pid) => process.kill(pid, 'SIGTERM'));
  const deadline = Date.now() + KILL_GRACE_MS;
  while (pids.some(pidAlive) && Date.now() < deadline) await sleep(20);
  pids.filter(pidAlive).forEach((pid) => process.kill(pid, 'SIGKILL'));
  fs.rmSync(path.join(stateDir, 'pids.json'), { force: true });
  return pids;
}

// ---------- fixture image ----------

/** Builds the committed fixture tree into an OCI layout; returns the manifest digest. */
export async function buildFixtureLayout(outDir, tag = FIXTURE_TAG) {
  const { stdout } = await execFileP('bash', [MKIMAGE, FIXTURE_TREE, outDir, tag]);
  return stdout.trim();
}

const layouts = new Map(); // stateDir → Promise<layout dir>; built once per process

/**
 * Pushes the deterministic fixture image to the stack's registry.
 * @param {object} stack  a startStack() result or parsed stack.json
 * @param {string} repo   e.g. "octo-org/app"
 * @param {string} [tag]
 * @param {{auth?: boolean}} [opts]  push to the htpasswd registry instead
 * @returns {Promise<{ref: string, digest: string, name: string, tag: string, tagRef: string}>}
 *   name = "127.0.0.1:PORT/repo", ref = name@digest, tagRef = name:tag
 */
export async function pushFixtureImage(stack, repo, tag = 'latest', { auth = false } = {}) {
  if (!layouts.has(stack.stateDir)) {
    const layout = path.join(stack.stateDir, 'fixture-oci');
    layouts.set(
      stack.stateDir,
      buildFixtureLayout(layout).then(() => layout),
    );
  }
  const layout = await layouts.get(stack.stateDir);
  const host = auth ? stack.authRegistry : stack.registry;
  if (!host) throw new Error('pushFixtureImage: the stack has no auth registry (start it with auth: true)');
  const name = `${host}/${repo}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'push-'));
  try {
    const digestFile = path.join(tmp, 'digest');
    const creds = auth ? ['--dest-creds', `${stack.registryCredentials.username}:${stack.registryCredentials.password}`] : [];
    await execFileP('skopeo', [
      '--insecure-policy',
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      '--digestfile',
      digestFile,
      ...creds,
      `oci:${layout}:${FIXTURE_TAG}`,
      `docker://${name}:${tag}`,
    ]);
    const digest = fs.readFileSync(digestFile, 'utf8').trim();
    return { ref: `${name}@${digest}`, digest, name, tag, tagRef: `${name}:${tag}` };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------- fake-sigstore hooks ----------

async function hook(stack, pathname, body) {
  const res = await fetch(`${stack.url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${json.message}`);
  return json;
}

/** Request counts: {token, oidc, fulcio, rekorPost, rekorGet, rekorLog, tsa, trust, tuf}. */
export const getStats = (stack) => hook(stack, '/__stats');
export const resetStats = (stack) => hook(stack, '/__stats/reset', {});

/**
 * Makes a service misbehave. service: token | fulcio | rekor | rekorPost | rekorGet |
 * rekorLog | tsa | tuf | trust | oidc. mode "error" answers `status` (default 503),
 * "down" drops the connection, "hang" never answers; `count` limits how many requests.
 */
export const failService = (stack, service, { status = 503, count, mode = 'error' } = {}) => hook(stack, '/__fail', { service, status, count, mode });
export const clearFailures = (stack, service = 'all') => hook(stack, '/__fail', { service, mode: 'clear' });

/** Merges claims into every later token (null removes a claim); resetClaims undoes it. */
export const setClaims = (stack, claims) => hook(stack, '/__claims', claims);
export const resetClaims = (stack) => hook(stack, '/__claims/reset', {});

/** The token URL with the audience appended, as @actions/core builds it. */
// The flags that pin the stack's workflow identity and trusted root, as our CLI and cosign both take them.
export const identityFlags = (stack) => [
  '--certificate-identity',
  stack.identity.subjectAlternativeName,
  '--certificate-oidc-issuer',
  stack.identity.issuer,
  '--trusted-root',
  stack.trustedRoot,
];
export const tokenURL = (stack, audience = 'sigstore') => `${stack.tokenURL}&audience=${encodeURIComponent(audience)}`;

/** Fetches an OIDC token (JWT string) the way a workflow step would. */
export async function requestToken(stack, audience = 'sigstore') {
  const res = await fetch(tokenURL(stack, audience), { headers: { Authorization: `Bearer ${stack.requestToken}` } });
  if (!res.ok) throw new Error(`token endpoint: ${res.status}`);
  return (await res.json()).value;
}

// ---------- CLI ----------

async function main([command, dir, ...rest]) {
  if (!['up', 'down'].includes(command) || !dir) {
    console.error('usage: stack.mjs up DIR [--auth] [--real] | down DIR');
    process.exit(2);
  }
  if (command === 'down') {
    const stopped = await stopStack(path.resolve(dir));
    console.log(JSON.stringify({ stopped }));
    return;
  }
  const real = rest.includes('--real') || undefined;
  const { stop: _, ...info } = await startStack({ stateDir: dir, auth: rest.includes('--auth'), detached: true, real });
  console.log(JSON.stringify(info, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
