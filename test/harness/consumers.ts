import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './run-action.js';

// The real verifiers (cosign v2 and v3, gh, sigstore-python) as built by
// scripts/install-tools.sh into .tools/bin, run as a user runs them: their
// own process, a private HOME, and nothing of the action's environment.

export type Tool = 'cosign2' | 'cosign3' | 'gh' | 'sigstore-python';
export const TOOLS: Tool[] = ['cosign2', 'cosign3', 'gh', 'sigstore-python'];
export const TOOLS_BIN = join(ROOT, '.tools', 'bin');

export function toolPath(tool: Tool): string {
  const path = join(TOOLS_BIN, tool);
  if (!existsSync(path)) throw new Error(`${tool} is missing from .tools/bin: run bash scripts/install-tools.sh ${tool} (npm test does it when missing)`);
  return path;
}

export interface ToolRun {
  tool: string;
  args: string[];
  code: number;
  out: string; // stdout + stderr, for failure messages and rejection reasons
  ms: number;
}

// At most `n` tool processes at a time: the machine is shared and each Go
// verifier is CPU-bound for its short life.
export function limiter(n = Math.max(2, availableParallelism())): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export function exec(file: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<ToolRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => (out += `\n${e.message}`));
    child.on('close', (code, signal) => resolve({ tool: file, args, code: code ?? (signal ? 128 : -1), out, ms: Date.now() - started }));
  });
}

// sigstore-python's own command line for many argument lists in one
// interpreter (test/harness/sigstore-python-batch.py): each call goes through
// the same entry point and argument parsing as `sigstore ARGS`.
export function sigstorePythonBatch(argvs: string[][], env: Record<string, string>, timeoutMs = 300_000): Promise<ToolRun[]> {
  const python = join(dirname(realpathSync(toolPath('sigstore-python'))), 'python3');
  const script = join(ROOT, 'test', 'harness', 'sigstore-python-batch.py');
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const results = JSON.parse(stdout) as { code: number; out: string; ms: number }[];
        resolve(results.map((r, i) => ({ tool: 'sigstore-python', args: argvs[i] ?? [], ...r })));
      } catch {
        reject(new Error(`sigstore-python batch exited ${code}: ${stderr.slice(-2000)}`));
      }
    });
    child.stdin.end(JSON.stringify(argvs));
  });
}

// cosign 2 reads .sig/.att against a custom instance only from PEM files
// named by environment variables (its --trusted-root is for bundles): the
// same trusted root, split into those files.
export function legacyTrustEnv(dir: string, trustedRoot: string): Record<string, string> {
  const root = JSON.parse(readFileSync(trustedRoot, 'utf8')) as {
    tlogs: { publicKey: { rawBytes: string } }[];
    ctlogs: { publicKey: { rawBytes: string } }[];
    certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[];
  };
  const pem = (label: string, b64: string) => `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
  const files = {
    SIGSTORE_ROOT_FILE: join(dir, 'legacy-fulcio-roots.pem'),
    SIGSTORE_REKOR_PUBLIC_KEY: join(dir, 'legacy-rekor.pub'),
    SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: join(dir, 'legacy-ctlog.pub'),
  };
  writeFileSync(files.SIGSTORE_ROOT_FILE, root.certificateAuthorities.flatMap((ca) => ca.certChain.certificates.map((c) => pem('CERTIFICATE', c.rawBytes))).join(''));
  writeFileSync(files.SIGSTORE_REKOR_PUBLIC_KEY, pem('PUBLIC KEY', root.tlogs[0]!.publicKey.rawBytes));
  writeFileSync(files.SIGSTORE_CT_LOG_PUBLIC_KEY_FILE, pem('PUBLIC KEY', root.ctlogs[0]!.publicKey.rawBytes));
  return files;
}

// A private home for the tools: a docker config (for a registry that needs
// credentials), gh's config dir, and PATH entries `cosign` / `gh` that point
// at one chosen build, so printed commands run verbatim.
export interface ToolHome {
  dir: string;
  env: Record<string, string>;
  // PATH with `cosign` resolving to the given build, for verbatim commands.
  pathWith(cosign: 'cosign2' | 'cosign3'): string;
}

// parent: where the home is made (default os.tmpdir()); a suite's own temp dir removes it with the suite.
export function makeToolHome(opts: { dockerAuths?: Record<string, { username: string; password: string }>; parent?: string } = {}): ToolHome {
  const dir = mkdtempSync(join(opts.parent ?? tmpdir(), 'consumers-home-'));
  mkdirSync(join(dir, '.docker'));
  const auths = Object.fromEntries(
    Object.entries(opts.dockerAuths ?? {}).map(([host, c]) => [host, { auth: Buffer.from(`${c.username}:${c.password}`).toString('base64') }]),
  );
  writeFileSync(join(dir, '.docker', 'config.json'), JSON.stringify({ auths }));
  const bins = new Map<string, string>();
  for (const cosign of ['cosign2', 'cosign3'] as const) {
    const bin = join(dir, `bin-${cosign}`);
    mkdirSync(bin);
    symlinkSync(toolPath(cosign), join(bin, 'cosign'));
    symlinkSync(toolPath('gh'), join(bin, 'gh'));
    bins.set(cosign, bin);
  }
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    DOCKER_CONFIG: join(dir, '.docker'),
    // cosign and sigstore-python keep TUF caches here; with an explicit
    // trusted root neither needs one, and nothing may reach the internet.
    XDG_CACHE_HOME: join(dir, '.cache'),
    XDG_DATA_HOME: join(dir, '.local', 'share'),
    XDG_CONFIG_HOME: join(dir, '.config'),
    // sigstore-python's console wraps messages at the terminal width.
    COLUMNS: '400',
    ...GH_ENV(dir),
  };
  return { dir, env, pathWith: (cosign) => `${bins.get(cosign)}:${env['PATH']}` };
}

// gh checks for a GitHub token before running any command except those it
// marks as offline (cli/cli#11803): `attestation verify --bundle FILE` is
// exempt, `--bundle-from-oci` is not, although with --custom-trusted-root it
// reads only the registry and local files and sends no API request
// (GH_DEBUG=api logs none). gh takes a token from GH_TOKEN before its config,
// so a placeholder passes the check and is never sent anywhere.
function GH_ENV(home: string): Record<string, string> {
  return {
    GH_CONFIG_DIR: join(home, '.config', 'gh'),
    GH_TOKEN: 'placeholder-token-never-sent',
    GH_NO_UPDATE_NOTIFIER: '1',
    GH_PROMPT_DISABLED: '1',
    GH_SPINNER_DISABLED: '1',
    NO_COLOR: '1',
  };
}

// sigstore-python takes a private instance as a ClientTrustConfig: the
// trusted root plus the signing config of the same instance.
export function clientTrustConfig(dir: string, trustedRoot: string, signingConfig: string): string {
  const path = join(dir, 'client_trust_config.json');
  writeFileSync(
    path,
    JSON.stringify({
      mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json',
      trustedRoot: JSON.parse(readFileSync(trustedRoot, 'utf8')),
      signingConfig: JSON.parse(readFileSync(signingConfig, 'utf8')),
    }),
  );
  return path;
}

// The fenced shell block of a step summary, one command per entry with its
// backslash-newline continuations kept, as a user would paste it.
export function summaryCommands(summary: string): string[] {
  const block = /```sh\n([\s\S]*?)\n```/.exec(summary)?.[1];
  if (!block) return [];
  return block
    .split(/\n\s*\n/)
    .map((c) => c.trim())
    .filter(Boolean);
}
