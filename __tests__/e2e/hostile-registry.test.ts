import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHostileRegistry, type HostileRegistry } from '../../test/harness/hostile-registry.mjs';
import { peakRssEnv, readPeakRssMB } from '../../test/harness/peak-rss.mjs';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { useTempDir } from '../../test/harness/use-stack.js';

// The bundled verify action, CLI and signing action (dist/, as a runner runs
// them) against a registry that answers with 1 GiB manifests and blobs,
// thousands of signature layers and referrers, and a redirect loop. Each run
// must end on its own, exit 1 with one clear ::error:: line naming the
// limit, and stay under a generous peak RSS measured inside the child (before
// these bounds: up to 6.4 GB, or 55 s of retries). Nothing here asserts time;
// a kill after KILL_AFTER_MS is only a safety net, and a killed child fails
// the test because it reports no peak RSS.

const PEAK_RSS_LIMIT_MB = 350;
const KILL_AFTER_MS = 90_000;
// What the server may have sent when the client hung up: a few MiB sit in
// socket buffers; anything near 1 GiB means the body was read whole.
const READ_LITTLE = 64 * 1024 * 1024;
const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

let reg: HostileRegistry;
const tmp = useTempDir('hostile-registry-e2e');
let work: string;
let trustedRoot: string;

beforeAll(async () => {
  reg = await startHostileRegistry({ big: 1024 ** 3, count: 5000 });
  work = tmp.path;
  // The public-good root embedded in @sigstore/tuf: a real root, read offline.
  const seeds = JSON.parse(readFileSync(join(ROOT, 'node_modules/@sigstore/tuf/seeds.json'), 'utf8')) as Record<string, { targets: Record<string, string> }>;
  trustedRoot = join(work, 'trusted_root.json');
  writeFileSync(trustedRoot, Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev']?.targets['trusted_root.json'] ?? '', 'base64'));
});

afterAll(async () => {
  await reg?.close();
});

let runs = 0;
const rssFile = () => join(work, `rss-${++runs}`);

// Runs an action with the peak-RSS probe and the safety-net kill.
async function measuredAction(action: string, inputs: Record<string, string>): Promise<ActionRun & { rssMB: number }> {
  const file = rssFile();
  const run = await runAction({ action, inputs, env: peakRssEnv(file), killAfterMs: KILL_AFTER_MS });
  return { ...run, rssMB: readPeakRssMB(file) };
}

async function measuredCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; rssMB: number }> {
  const file = rssFile();
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: work, ...peakRssEnv(file) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const kill = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  clearTimeout(kill);
  return { code, stdout, stderr, rssMB: readPeakRssMB(file) };
}

const verifyInputs = (image: string) => ({ images: image, 'certificate-identity': SAN, 'certificate-oidc-issuer': ISSUER, 'trusted-root': trustedRoot });

// One ::error:: line per image (the verdict's failure), matching `pattern`.
function expectOneError(run: ActionRun, pattern: RegExp): void {
  expect(run.code).toBe(1);
  const lines = errorLines(run);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

const CASES: { scenario: string; ref?: (r: HostileRegistry) => string; error: RegExp; huge: boolean }[] = [
  {
    scenario: 'huge-manifest',
    ref: (r) => `${r.host}/huge-manifest/app:latest`,
    error: /huge-manifest\/app:latest is larger than the 4 MiB limit for manifests/,
    huge: true,
  },
  { scenario: 'huge-manifest-length', error: /is 1024 MiB, over the 4 MiB limit for manifests/, huge: true },
  { scenario: 'huge-sig', error: /signature layer sha256:[0-9a-f]{64}: the registry served more than the 600 bytes its descriptor declares/, huge: true },
  {
    scenario: 'huge-sig-declared',
    error: /signature layer sha256:[0-9a-f]{64} declares 1024 MiB, over the 1 MiB limit for a signature layer; it was not downloaded/,
    huge: true,
  },
  { scenario: 'huge-sig-tag', error: /\.(sig|att) is larger than the 4 MiB limit for manifests/, huge: true },
  { scenario: 'huge-bundle', error: /bundle sha256:[0-9a-f]{64}: the registry served more than the 2000 bytes its descriptor declares/, huge: true },
  { scenario: 'huge-referrers', error: /the referrers index of sha256:[0-9a-f]{64} is larger than the 4 MiB limit for manifests/, huge: true },
  { scenario: 'huge-fallback', error: /app:sha256-[0-9a-f]{64} is larger than the 4 MiB limit for manifests/, huge: true },
  { scenario: 'many-sig', error: /\.sig has 5000 layers, over the limit of 1000 \(cosign's\); not one was checked/, huge: false },
  { scenario: 'heavy-sig', error: /the signatures and attestations attached add up to more than 512 MiB, the limit per image/, huge: false },
  { scenario: 'many-referrers', error: /5000 bundle referrers are attached to sha256:[0-9a-f]{64}, over the limit of 1000/, huge: false },
  {
    scenario: 'redirect-loop',
    error: /The registry at http:\/\/127\.0\.0\.1:\d+ redirected more than 20 times \(a redirect loop\) on GET \/v2\/redirect-loop\/app\/manifests\//,
    huge: false,
  },
];

describe('verify action against a hostile registry', () => {
  for (const c of CASES) {
    it(`${c.scenario}: ends with exit 1, one error naming the limit, bounded memory`, async () => {
      reg.resetStats();
      const run = await measuredAction('verify', verifyInputs(c.ref?.(reg) ?? reg.image(c.scenario).ref));
      expectOneError(run, c.error);
      expect(run.rssMB).toBeLessThan(PEAK_RSS_LIMIT_MB);
      if (c.huge) expect(reg.stats().bytesSent).toBeLessThan(READ_LITTLE);
      if (c.scenario === 'redirect-loop') expect(reg.stats().requests).toBe(21); // not retried
      expect(JSON.parse(run.outputs['verified'] ?? '[]')).toEqual([expect.objectContaining({ verified: false })]);
    });
  }
});

describe('sign-attest CLI against a hostile registry', () => {
  const policy = ['--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER, '--trusted-root', () => trustedRoot] as const;
  const args = (image: string) => ['verify', image, ...policy.map((a) => (typeof a === 'function' ? a() : a))];
  for (const c of CASES.filter((x) => ['huge-manifest', 'huge-sig', 'many-referrers', 'redirect-loop'].includes(x.scenario))) {
    it(`verify ${c.scenario}: exit 1 with the reason, bounded memory`, async () => {
      reg.resetStats();
      const r = await measuredCli(args(c.ref?.(reg) ?? reg.image(c.scenario).ref));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(c.error);
      expect(r.stdout).toMatch(/^FAILED /);
      expect(r.rssMB).toBeLessThan(PEAK_RSS_LIMIT_MB);
      if (c.huge) expect(reg.stats().bytesSent).toBeLessThan(READ_LITTLE);
    });
  }
});

describe('signing action against a hostile registry', () => {
  // An unsigned token with the claims the action reads: the registry is read
  // before anything is sent to Fulcio.
  const claims = { iss: ISSUER, sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud: 'sigstore', exp: Math.floor(Date.now() / 1000) + 3600 };
  const token = ['{"alg":"none"}', JSON.stringify(claims)].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.x';

  for (const [what, image, error] of [
    ['a huge image manifest', (r: HostileRegistry) => `${r.host}/huge-manifest/app:latest`, /huge-manifest\/app:latest is larger than the 4 MiB limit for manifests/],
    ['a redirect loop', (r: HostileRegistry) => r.image('redirect-loop').ref, /redirected more than 20 times \(a redirect loop\)/],
    [
      'an index of 5000 platform images',
      (r: HostileRegistry) => r.image('many-platforms').ref,
      /the index lists 5000 platform images, over the limit of 64; nothing was signed/,
    ],
  ] as const) {
    it(`${what}: exit 1 with one error, bounded memory, nothing signed`, async () => {
      reg.resetStats();
      const run = await measuredAction('.', { images: image(reg), 'identity-token': token, 'trusted-root': trustedRoot });
      expectOneError(run, error);
      expect(run.rssMB).toBeLessThan(PEAK_RSS_LIMIT_MB);
      expect([...reg.stats().byPath.keys()].every((p) => !p.includes('/blobs/uploads/'))).toBe(true);
    });
  }
});
