import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getManifest, tagFor } from '../../test/harness/checks.js';
import { errorLines, ROOT, runAction } from '../../test/harness/run-action.js';
import { stackInputs, stackLib, type PushedImage } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// The bundled `sign-attest` CLI as a user meets it: help and version for
// every command, verdict lines first, a ref-only identity mismatch that
// names the regexp, an index verified with its platform images, and
// registry credentials from flags.

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const REPO = 'octo-org/cli';

const lib = await stackLib();
const stack = useStack({ name: 'cli', auth: true, fixture: REPO });
let img: PushedImage;
let index: string;
let platforms: string[];
let provenanceBundle: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: stack.work } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

async function put(registry: string, repo: string, ref: string, body: object, mediaType: string): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(body));
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${ref}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
  if (res.status !== 201) throw new Error(`PUT ${ref}: ${res.status} ${await res.text()}`);
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const SAN = () => stack.identity.subjectAlternativeName;
const policy = (san = SAN()) => ['--certificate-identity', san, '--certificate-oidc-issuer', stack.identity.issuer, '--trusted-root', stack.trustedRoot];

beforeAll(async () => {
  img = stack.image;
  const base = (await getManifest(img.name, img.digest)) as Record<string, unknown>;
  const amd64 = await put(stack.registry, REPO, 'amd64', { ...base, annotations: { platform: 'amd64' } }, OCI_MANIFEST);
  const arm64 = await put(stack.registry, REPO, 'arm64', { ...base, annotations: { platform: 'arm64' } }, OCI_MANIFEST);
  const size = (d: string) => ({ digest: d, size: Buffer.byteLength(JSON.stringify({ ...base, annotations: { platform: d === amd64 ? 'amd64' : 'arm64' } })) });
  index = await put(
    stack.registry,
    REPO,
    'v1',
    {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_MANIFEST, ...size(amd64), platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: OCI_MANIFEST, ...size(arm64), platform: { os: 'linux', architecture: 'arm64' } },
      ],
    },
    OCI_INDEX,
  );
  platforms = [amd64, arm64];
  const r = await runAction({ inputs: { ...stackInputs(stack), images: `${img.name}@${index}`, sbom: 'false' }, env: stack.env });
  expect(errorLines(r)).toEqual([]);
  provenanceBundle = r.outputs['provenance-bundle'] as string;
}, 120_000);

describe('help and version', () => {
  it.each([['--help'], ['-h'], ['help']])('%s lists every command with a one-line description and examples', async (flag) => {
    const r = await cli([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}verify {9}\S.*$/m);
    expect(r.stdout).toMatch(/^ {2}verify-bundle {2}\S.*$/m);
    expect(r.stdout).toMatch(/^examples:\n {2}sign-attest verify /m);
  });

  it.each([['verify'], ['verify-bundle']])('%s --help describes every option on one line and shows an example', async (command) => {
    for (const args of [
      [command, '--help'],
      [command, '-h'],
      ['help', command],
      [command, 'x', '--bogus', '--help'],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^sign-attest ${command}: \\S`));
      const options = r.stdout.split('\n').filter((l) => /^ {2}(-\w, )?--[\w-]+/.test(l));
      expect(options.length).toBeGreaterThanOrEqual(5);
      for (const line of options) expect(line).toMatch(/^ {2}\S.*\S {2,}\S/); // flag, then its description
      expect(options.some((l) => l.includes('--certificate-identity-regexp'))).toBe(true);
      expect(r.stdout).toMatch(new RegExp(`^example:\\n {2}sign-attest ${command} `, 'm'));
    }
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = await cli([flag]);
      expect(r).toEqual({ code: 0, stdout: `sign-attest ${version}\n`, stderr: '' });
    }
  });

  it('a usage mistake is one line and a pointer to the help, exit 2', async () => {
    const r = await cli(['verify', img.ref, '--certificate-identiy', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: verify: unknown option --certificate-identiy\nrun "sign-attest verify --help" for usage\n');
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^usage: sign-attest COMMAND/m);
  });
});

describe('verify', () => {
  it('an index: every platform image is verified too, one verdict line each, first', async () => {
    const r = await cli(['verify', `${img.name}@${index}`, ...policy(), '--type', 'slsaprovenance1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `VERIFIED ${img.name}@${index}`,
      `VERIFIED ${img.name}@${platforms[0]} (linux/amd64)`,
      `VERIFIED ${img.name}@${platforms[1]} (linux/arm64)`,
      '',
    ]);
  });

  it('an index with an unsigned platform image fails on that image', async () => {
    // The arm64 image loses its signatures: its .sig tag and its referrers list are emptied.
    const arm = platforms[1] as string;
    const config = (await getManifest(img.name, tagFor(arm, '.sig'))) as { config: object };
    await put(stack.registry, REPO, tagFor(arm, '.sig'), { schemaVersion: 2, mediaType: OCI_MANIFEST, config: config.config, layers: [] }, OCI_MANIFEST);
    await put(stack.registry, REPO, arm.replace(':', '-'), { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }, OCI_INDEX);
    const r = await cli(['verify', `${img.name}@${index}`, ...policy()]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      `VERIFIED ${img.name}@${index}`,
      `VERIFIED ${img.name}@${platforms[0]} (linux/amd64)`,
      `FAILED   ${img.name}@${arm} (linux/arm64): 1 problem`,
    ]);
    expect(r.stderr).toBe(`error: ${img.name}@${arm}: no signature: neither a cosign .sig tag nor a signature bundle referrer is attached\n`);
  });

  it('an identity that differs only in its ref: verdict first, then says so and names the regexp that accepts it', async () => {
    const other = SAN().replace(/@refs\/heads\/main$/, '@refs/heads/release');
    expect(other).not.toBe(SAN());
    const r = await cli(['verify', `${img.name}@${platforms[0]}`, ...policy(other)]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^FAILED {3}${img.name.replace(/[.]/g, '\\.')}@${platforms[0]}: \\d+ problems?$`));
    const hint =
      /only the ref differs \(refs\/heads\/main, not refs\/heads\/release\): to accept this workflow at any ref, pass certificate-identity-regexp '([^']+)'/.exec(
        r.stderr,
      );
    expect(hint).not.toBeNull();
    // The suggested regexp is the fix.
    const fixed = await cli([
      'verify',
      `${img.name}@${platforms[0]}`,
      '--certificate-identity-regexp',
      hint![1]!,
      '--certificate-oidc-issuer',
      stack.identity.issuer,
      '--trusted-root',
      stack.trustedRoot,
    ]);
    expect(fixed.stderr).toBe('');
    expect(fixed.code).toBe(0);
  });

  it('reads registry credentials from flags, or says to log in', async () => {
    const authed = await lib.pushFixtureImage(stack, 'octo-org/cli-auth', 'latest', { auth: true });
    const signed = await runAction({
      inputs: { ...stackInputs(stack), images: authed.ref, sbom: 'false', provenance: 'false', 'registry-username': 'tester', 'registry-password': 'secret' },
      env: stack.env,
    });
    expect(errorLines(signed)).toEqual([]);
    const anonymous = await cli(['verify', authed.ref, ...policy()]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/refused access \(401.*log in/);
    const withFlags = await cli(['verify', authed.ref, ...policy(), '--registry-username', 'tester', '--registry-password-stdin'], 'secret\n');
    expect(withFlags.stderr).toBe('');
    expect(withFlags.code).toBe(0);
    expect(withFlags.stdout).toMatch(/^VERIFIED /);
  });
});

describe('verify-bundle', () => {
  it('accepts --certificate-identity-regexp', async () => {
    const base = ['verify-bundle', '--bundle', provenanceBundle, '--certificate-oidc-issuer', stack.identity.issuer, '--trusted-root', stack.trustedRoot];
    const ok = await cli([...base, '--certificate-identity-regexp', '^https://github\\.com/octo-org/', index]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const wrong = await cli([...base, '--certificate-identity-regexp', '^https://github\\.com/evil-org/', index]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong identity: .*expected a match for \/\^https:\\\/\\\/github\\\.com\\\/evil-org\\\/\//);
  });
});
