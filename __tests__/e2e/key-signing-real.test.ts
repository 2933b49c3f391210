import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, makeToolHome, toolPath, type ToolHome, type ToolRun } from '../../test/harness/consumers.js';
import { ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs, stackLib, type PushedImage, type Stack } from '../../test/harness/stack.js';

// Key signing against the real Sigstore services: the real rekor-server
// (v1) and rekor-tiles (v2) must accept entries that carry a public key
// instead of a certificate, and real cosign v2 and v3 must verify what was
// logged there with cosign.pub (and refuse another key). Skipped only when
// the services are not built.

const PASSWORD = 'e2e-only-password';
const WORKFLOW_ENV = {
  GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
  GITHUB_REPOSITORY_ID: '561234',
  GITHUB_REPOSITORY_OWNER_ID: '98765',
  RUNNER_ENVIRONMENT: 'github-hosted',
  ACTIONS_ID_TOKEN_REQUEST_URL: undefined,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined,
};

const lib = await stackLib();
const missing = lib.missingRealTools();
const suite = missing.length === 0 && lib.hasRekorV2() ? describe : describe.skip;
if (missing.length) console.warn(`key signing against the real services skipped: not built/installed: ${missing.join(', ')}`);

let stack: Stack;
let home: ToolHome;
let keys: string;
let other: string;
const images: Record<string, PushedImage> = {};
const runs: Record<string, ActionRun> = {};

suite('key signing against the real Rekor v1 and v2', () => {
  beforeAll(async () => {
    stack = await lib.startStack({ stateDir: mkdtempSync(join(tmpdir(), 'key-signing-real-')), real: true });
    home = makeToolHome();
    keys = mkdtempSync(join(tmpdir(), 'key-real-keys-'));
    other = mkdtempSync(join(tmpdir(), 'key-real-other-'));
    for (const dir of [keys, other])
      execFileSync(toolPath('cosign3'), ['generate-key-pair'], { cwd: dir, env: { ...home.env, COSIGN_PASSWORD: PASSWORD }, stdio: 'pipe' });
    for (const name of ['v1', 'v2']) images[name] = await lib.pushFixtureImage(stack, `octo-org/key-real-${name}`);
    const sign = (img: PushedImage, inputs: Record<string, string>) =>
      runAction({
        inputs: { ...stackInputs(stack), images: img.ref, 'signing-key': join(keys, 'cosign.key'), 'tsa-url': stack.tsaURL, ...inputs },
        env: { COSIGN_PASSWORD: PASSWORD, ...WORKFLOW_ENV },
      });
    [runs['v1'], runs['v2']] = await Promise.all([sign(images['v1']!, {}), sign(images['v2']!, { 'rekor-url': stack.rekorV2URL ?? '', 'rekor-version': '2' })]);
    for (const [name, r] of Object.entries(runs)) if (r.code !== 0) console.log(`${name}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const tool = (name: 'cosign2' | 'cosign3', args: string[]): Promise<ToolRun> => exec(toolPath(name), args, home.env);
  const check = async (name: 'cosign2' | 'cosign3', cmd: string[], ref: string) => {
    const ok = await tool(name, [...cmd, '--key', join(keys, 'cosign.pub'), '--trusted-root', stack.trustedRoot, ref]);
    if (ok.code !== 0) console.log(`${name} ${ok.args.join(' ')}\n${ok.out}`);
    expect(ok.code).toBe(0);
    const bad = await tool(name, [...cmd, '--key', join(other, 'cosign.pub'), '--trusted-root', stack.trustedRoot, ref]);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/invalid signature|no matching (signatures|attestations)/);
  };
  const COMMANDS = [['verify'], ['verify-attestation', '--type', 'slsaprovenance1'], ['verify-attestation', '--type', 'cyclonedx']];

  for (const log of ['v1', 'v2'] as const) {
    it(`Rekor ${log} logs the key's entries (the public key, no certificate)`, () => {
      const r = runs[log]!;
      expect(r.code).toBe(0);
      const bundle = JSON.parse(readFileSync(r.outputs['provenance-bundle']!, 'utf8'));
      expect(bundle.verificationMaterial.publicKey.hint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      const entry = bundle.verificationMaterial.tlogEntries[0];
      expect(entry.kindVersion).toEqual(log === 'v1' ? { kind: 'dsse', version: '0.0.1' } : { kind: 'hashedrekord', version: '0.0.2' });
      const body = JSON.parse(Buffer.from(entry.canonicalizedBody, 'base64').toString('utf8'));
      const verifier =
        log === 'v1' ? Buffer.from(body.spec.signatures[0].verifier, 'base64').toString('utf8') : JSON.stringify(body.spec.hashedRekordV002.signature.verifier);
      expect(verifier).toMatch(log === 'v1' ? /^-----BEGIN PUBLIC KEY-----/ : /"publicKey":\{"rawBytes":/);
    });

    for (const cosign of ['cosign2', 'cosign3'] as const) {
      it(`${cosign} verifies the Rekor ${log} bundles with --key cosign.pub and refuses another key`, async () => {
        for (const cmd of COMMANDS) await check(cosign, cmd, images[log]!.ref);
      });
    }

    it(`sign-attest verify --key verifies the Rekor ${log} image`, async () => {
      const r = await exec(
        process.execPath,
        [
          join(ROOT, 'dist/cli/index.js'),
          'verify',
          images[log]!.ref,
          '--key',
          join(keys, 'cosign.pub'),
          '--type',
          'slsaprovenance1',
          '--type',
          'cyclonedx',
          '--trusted-root',
          stack.trustedRoot,
        ],
        home.env,
      );
      if (r.code !== 0) console.log(r.out);
      expect(r.code).toBe(0);
    });
  }

  it('cosign3 --new-bundle-format=false verifies the Rekor v1 .sig/.att tags with --key', async () => {
    for (const cmd of COMMANDS) await check('cosign3', [...cmd, '--new-bundle-format=false'], images['v1']!.ref);
  });
});
