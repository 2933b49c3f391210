import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { useStack } from '../../test/harness/use-stack.js';
import { resetClaims, setClaims } from '../../test/stack/stack.mjs';

// The verify action and CLI, bundled, against what the bundled signing action
// wrote to an offline registry. Every tampering is done with plain registry
// calls, never through the code under test.

const execFileP = promisify(execFile);
const SIG = 'application/vnd.dev.cosign.simplesigning.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const SLSA = 'https://slsa.dev/provenance/v1';

const stack = useStack({ name: 'verify-e2e' });
let work: string;
const images: Record<string, Image> = {};

interface Image {
  repo: string;
  digest: string;
  ref: string;
}

// ---------- plain registry access ----------

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const tagOf = (digest: string, suffix = '') => digest.replace(':', '-') + suffix;

async function putBlob(repo: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const start = await fetch(`${stack.registryURL}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const url = new URL(start.headers.get('location') as string, stack.registryURL);
  url.searchParams.set('digest', digest);
  const res = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (res.status !== 201) throw new Error(`blob PUT ${res.status}`);
  return digest;
}

async function getBlob(repo: string, digest: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(`${stack.registryURL}/v2/${repo}/blobs/${digest}`)).arrayBuffer());
}

async function getManifest(repo: string, ref: string): Promise<any> {
  const res = await fetch(`${stack.registryURL}/v2/${repo}/manifests/${ref}`, { headers: { accept: `${OCI_MANIFEST}, ${OCI_INDEX}` } });
  if (!res.ok) throw new Error(`manifest ${repo}:${ref} ${res.status}`);
  return res.json();
}

async function putManifest(repo: string, ref: string, manifest: object, type = OCI_MANIFEST): Promise<string> {
  const body = Buffer.from(JSON.stringify(manifest));
  const res = await fetch(`${stack.registryURL}/v2/${repo}/manifests/${ref}`, { method: 'PUT', body, headers: { 'content-type': type } });
  if (res.status !== 201) throw new Error(`manifest PUT ${res.status}: ${await res.text()}`);
  return sha256(body);
}

// A distinct tiny image per test (the stack's fixture always has one digest).
async function pushImage(repo: string): Promise<Image> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { repo } }, rootfs: { type: 'layers', diff_ids: [] } }));
  const configDigest = await putBlob(repo, config);
  const digest = await putManifest(repo, 'latest', {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [],
  });
  return { repo, digest, ref: `${stack.registry}/${repo}@${digest}` };
}

// Rewrites one layer of a .sig/.att manifest: new bytes and/or annotations.
async function editLayer(img: Image, suffix: '.sig' | '.att', edit: (bytes: Buffer, ann: Record<string, string>) => Buffer) {
  const manifest = await getManifest(img.repo, tagOf(img.digest, suffix));
  const layer = manifest.layers[0];
  const bytes = edit(await getBlob(img.repo, layer.digest), layer.annotations);
  layer.digest = await putBlob(img.repo, bytes);
  layer.size = bytes.length;
  await putManifest(img.repo, tagOf(img.digest, suffix), manifest);
}

// ---------- running things ----------

const identity = () => stack.identity.subjectAlternativeName;

function sign(refs: string[], extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    inputs: { images: refs.join('\n'), 'fulcio-url': stack.fulcioURL, 'rekor-url': stack.rekorURL, 'trusted-root': stack.trustedRoot, sbom: 'false', ...extra },
    env: stack.env,
  });
}

function verify(img: Image | string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    action: 'verify',
    inputs: {
      images: typeof img === 'string' ? img : img.ref,
      'certificate-identity': identity(),
      'certificate-oidc-issuer': stack.identity.issuer,
      'trusted-root': stack.trustedRoot,
      ...inputs,
    },
  });
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], { env: { ...process.env, HOME: work } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function expectFailure(run: ActionRun, pattern: RegExp): void {
  expect(run.code).toBe(1);
  const lines = errorLines(run);
  expect(lines.some((l) => pattern.test(l))).toBe(true);
}

interface Verdict {
  image: string;
  digest: string;
  verified: boolean;
  signer?: { san: string; issuer: string };
  signatures: { format: string; verified: boolean; logIndexes: number[] }[];
  attestations: { format: string; verified: boolean; predicateType: string }[];
  predicateTypes: string[];
  logIndexes: number[];
}

const TAMPERED = ['payload', 'att-payload', 'set', 'swap', 'time', 'envelope', 'referrer-swap', 'identity', 'issuer', 'missing'];

beforeAll(async () => {
  work = stack.work;
  for (const name of ['good', 'victim', ...TAMPERED, 'unsigned', 'tsa', 'other-signer']) images[name] = await pushImage(`verify/${name}`);
  const signed = await sign(['good', 'victim', ...TAMPERED].map((n) => (images[n] as Image).ref));
  if (signed.code !== 0) throw new Error(`signing failed:\n${signed.stdout}\n${signed.stderr}`);
  const withTSA = await sign([(images['tsa'] as Image).ref], { 'tsa-url': stack.tsaURL });
  if (withTSA.code !== 0) throw new Error(`signing with a TSA failed:\n${withTSA.stdout}`);
  await setClaims(stack, { job_workflow_ref: 'octo-org/octo-repo/.github/workflows/evil.yml@refs/heads/main' });
  try {
    const other = await sign([(images['other-signer'] as Image).ref]);
    if (other.code !== 0) throw new Error(`signing as another identity failed:\n${other.stdout}`);
  } finally {
    await resetClaims(stack);
  }
}, 300_000);

describe('verify action', () => {
  it('verifies everything the signing action wrote, in both formats', async () => {
    const run = await verify(images['good'] as Image, { 'predicate-types': 'slsaprovenance1' });
    expect(errorLines(run)).toEqual([]);
    expect(run.code).toBe(0);
    const [v] = JSON.parse(run.outputs['verified'] as string) as Verdict[];
    expect(v?.verified).toBe(true);
    expect(v?.digest).toBe(images['good']?.digest);
    expect(v?.signer).toEqual({ san: identity(), issuer: stack.identity.issuer });
    expect(v?.signatures.map((s) => [s.format, s.verified]).sort()).toEqual([
      ['cosign', true],
      ['referrer', true],
    ]);
    expect(v?.attestations.map((a) => [a.format, a.predicateType, a.verified]).sort()).toEqual([
      ['cosign', SLSA, true],
      ['referrer', SLSA, true],
    ]);
    expect(v?.predicateTypes).toEqual([SLSA]);
    expect(v?.logIndexes.length).toBeGreaterThan(0);
    expect(run.summary).toContain('Image verification');
    expect(run.summary).toContain('verify/good');
  });

  it('accepts an identity regexp and a tag reference', async () => {
    const img = images['good'] as Image;
    const run = await verify(`${stack.registry}/${img.repo}:latest`, {
      'certificate-identity': '',
      'certificate-identity-regexp': '^https://github\\.com/octo-org/octo-repo/\\.github/workflows/release\\.yml@',
      'predicate-types': SLSA,
    });
    expect(errorLines(run)).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('verifies classic layers that carry an RFC 3161 timestamp', async () => {
    const img = images['tsa'] as Image;
    const sig = await getManifest(img.repo, tagOf(img.digest, '.sig'));
    expect(sig.layers[0].annotations['dev.sigstore.cosign/rfc3161timestamp']).toBeDefined();
    const run = await verify(img);
    expect(errorLines(run)).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('with require-signature false, needs only the attestations', async () => {
    const run = await verify(images['good'] as Image, { 'require-signature': 'false', 'predicate-types': 'https://slsa.dev/provenance/v1' });
    expect(errorLines(run)).toEqual([]);
    expect(run.code).toBe(0);
    const nothing = await verify(images['good'] as Image, { 'require-signature': 'false' });
    expectFailure(nothing, /nothing would be verified/);
  });

  it('fails with "no signature" for an unsigned image', async () => {
    expectFailure(await verify(images['unsigned'] as Image), /no signature/);
  });

  it('fails with "wrong identity" when another workflow signed', async () => {
    const run = await verify(images['other-signer'] as Image, { 'predicate-types': 'slsaprovenance1' });
    expectFailure(run, /wrong identity: signed by "https:\/\/github\.com\/octo-org\/octo-repo\/\.github\/workflows\/evil\.yml@refs\/heads\/main"/);
    const [v] = JSON.parse(run.outputs['verified'] as string) as Verdict[];
    expect(v?.verified).toBe(false);
  });

  it('fails with "wrong identity" when pinned to another identity', async () => {
    const run = await verify(images['identity'] as Image, {
      'certificate-identity': 'https://github.com/octo-org/octo-repo/.github/workflows/other.yml@refs/heads/main',
    });
    expectFailure(run, /wrong identity/);
  });

  it('fails with "wrong issuer"', async () => {
    expectFailure(await verify(images['issuer'] as Image, { 'certificate-oidc-issuer': 'https://accounts.google.com' }), /wrong issuer/);
  });

  it('fails with "missing attestation type" when a predicate type is absent', async () => {
    const run = await verify(images['missing'] as Image, { 'predicate-types': 'slsaprovenance1\ncyclonedx' });
    expectFailure(run, /missing attestation type https:\/\/cyclonedx\.org\/bom \(found: https:\/\/slsa\.dev\/provenance\/v1\)/);
    expect(errorLines(run)).toHaveLength(1);
  });

  it('fails when a signed payload is edited after signing', async () => {
    const img = images['payload'] as Image;
    await editLayer(img, '.sig', (bytes) => Buffer.from(bytes.toString().replace('"optional":null', '"optional":{"edited":"yes"}')));
    expectFailure(await verify(img), /cosign signature .*payload modified after signing/);
  });

  it('fails when an attestation envelope payload is edited after signing', async () => {
    const img = images['att-payload'] as Image;
    await editLayer(img, '.att', (bytes) => {
      const env = JSON.parse(bytes.toString());
      const stmt = JSON.parse(Buffer.from(env.payload, 'base64').toString());
      stmt.predicate.buildDefinition.buildType = 'https://example.com/forged';
      env.payload = Buffer.from(JSON.stringify(stmt)).toString('base64');
      return Buffer.from(JSON.stringify(env));
    });
    expectFailure(await verify(img), /cosign attestation .*payload modified after signing/);
  });

  it('fails when the .att layer is not byte-for-byte the logged envelope', async () => {
    const img = images['envelope'] as Image;
    await editLayer(img, '.att', (bytes) => Buffer.from(JSON.stringify(JSON.parse(bytes.toString()), null, 2)));
    expectFailure(await verify(img), /not the envelope logged in Rekor/);
  });

  it('fails with "bad SET" when the SET comes from another entry', async () => {
    const img = images['set'] as Image;
    const att = await getManifest(img.repo, tagOf(img.digest, '.att'));
    const otherSET = JSON.parse(att.layers[0].annotations['dev.sigstore.cosign/bundle']).SignedEntryTimestamp;
    await editLayer(img, '.sig', (bytes, ann) => {
      const rekor = JSON.parse(ann['dev.sigstore.cosign/bundle'] as string);
      rekor.SignedEntryTimestamp = otherSET;
      ann['dev.sigstore.cosign/bundle'] = JSON.stringify(rekor);
      return bytes;
    });
    expectFailure(await verify(img), /bad SET/);
  });

  it('fails with "certificate not valid at the logged time" when the integrated time is outside the certificate', async () => {
    // The integrated time is covered by the SET, so this also breaks the SET;
    // the certificate is checked at that time first.
    const img = images['time'] as Image;
    await editLayer(img, '.sig', (bytes, ann) => {
      const rekor = JSON.parse(ann['dev.sigstore.cosign/bundle'] as string);
      rekor.Payload.integratedTime += 3600;
      ann['dev.sigstore.cosign/bundle'] = JSON.stringify(rekor);
      return bytes;
    });
    expectFailure(await verify(img), /certificate not valid at the logged time/);
  });

  it('fails with "digest mismatch" when a .sig layer is swapped in from another image', async () => {
    const img = images['swap'] as Image;
    const victim = images['victim'] as Image;
    const theirs = (await getManifest(victim.repo, tagOf(victim.digest, '.sig'))).layers[0];
    await putBlob(img.repo, await getBlob(victim.repo, theirs.digest));
    const ours = await getManifest(img.repo, tagOf(img.digest, '.sig'));
    ours.layers[0] = theirs;
    await putManifest(img.repo, tagOf(img.digest, '.sig'), ours);
    expectFailure(await verify(img), new RegExp(`digest mismatch: the signed payload names ${victim.digest}`));
  });

  it('fails with "digest mismatch" when a referrer of another image is listed', async () => {
    const img = images['referrer-swap'] as Image;
    const victim = images['victim'] as Image;
    const theirIndex = await getManifest(victim.repo, tagOf(victim.digest));
    const desc = theirIndex.manifests[0];
    const manifest = await getManifest(victim.repo, desc.digest);
    for (const d of [manifest.config, ...manifest.layers]) await putBlob(img.repo, await getBlob(victim.repo, d.digest));
    await putManifest(img.repo, desc.digest, manifest);
    const ourIndex = await getManifest(img.repo, tagOf(img.digest));
    ourIndex.manifests.push(desc);
    await putManifest(img.repo, tagOf(img.digest), ourIndex, OCI_INDEX);
    expectFailure(await verify(img), /digest mismatch: the referrer's subject/);
  });

  it('fails when the certificate does not chain to the trusted Fulcio root', async () => {
    // A root whose CA is another authority (the TSA's root) in Fulcio's place.
    const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8'));
    root.certificateAuthorities[0].certChain.certificates = root.timestampAuthorities[0].certChain.certificates.slice(-1);
    const file = join(work, 'wrong-ca-root.json');
    writeFileSync(file, JSON.stringify(root));
    expectFailure(await verify(images['good'] as Image, { 'trusted-root': file }), /does not chain to the trusted Fulcio root/);
  });

  it('fails when the SCT does not verify under the trusted CT log key', async () => {
    const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8'));
    root.ctlogs[0].publicKey = root.tlogs[0].publicKey;
    const file = join(work, 'wrong-ct-root.json');
    writeFileSync(file, JSON.stringify(root));
    expectFailure(await verify(images['good'] as Image, { 'trusted-root': file }), /certificate transparency: SCT verification failed/);
  });

  it('defaults to the public-good root, which does not trust the test instance', async () => {
    const run = await verify(images['good'] as Image, { 'trusted-root': '' });
    expectFailure(run, /does not chain to the trusted Fulcio root/);
  });

  it('rejects an identity given both ways, naming the inputs', async () => {
    const run = await verify(images['good'] as Image, { 'certificate-identity-regexp': '.*' });
    expect(run.code).toBe(1);
    expect(errorLines(run).join('\n')).toMatch(/certificate-identity and certificate-identity-regexp are mutually exclusive/);
  });
});

describe('sign-attest CLI', () => {
  const policyArgs = () => ['--certificate-identity', identity(), '--certificate-oidc-issuer', stack.identity.issuer, '--trusted-root', stack.trustedRoot];

  it('verify: exits 0 for a signed image and reports both formats', async () => {
    const r = await cli(['verify', (images['good'] as Image).ref, ...policyArgs(), '--type', 'slsaprovenance1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VERIFIED /);
    expect(r.stdout).toMatch(/ok {3}cosign signature/);
    expect(r.stdout).toMatch(/ok {3}referrer attestation https:\/\/slsa\.dev\/provenance\/v1/);
  });

  it('verify: exits 1 with the reason for a tampered image', async () => {
    const r = await cli(['verify', (images['swap'] as Image).ref, ...policyArgs()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/digest mismatch/);
  });

  it('verify: exits 1 for a missing --type', async () => {
    const r = await cli(['verify', (images['good'] as Image).ref, ...policyArgs(), '--type', 'spdxjson']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing attestation type https:\/\/spdx\.dev\/Document/);
  });

  describe('verify-bundle', () => {
    let dsseBundle: string;
    let payloadFile: string;
    let messageBundle: string;

    beforeAll(async () => {
      const img = images['good'] as Image;
      const index = await getManifest(img.repo, tagOf(img.digest));
      const referrer = await getManifest(img.repo, index.manifests[0].digest);
      dsseBundle = join(work, 'dsse.sigstore.json');
      writeFileSync(dsseBundle, await getBlob(img.repo, referrer.layers[0].digest));
      // The message-signature bundle the signing action wrote, and the payload it signed.
      const signed = await sign([(images['victim'] as Image).ref], { attach: 'tags', provenance: 'false' });
      messageBundle = signed.outputs['signature-bundle'] as string;
      const victim = images['victim'] as Image;
      const sig = await getManifest(victim.repo, tagOf(victim.digest, '.sig'));
      const layer = sig.layers.find((l: { mediaType: string }) => l.mediaType === SIG);
      payloadFile = join(work, 'payload.json');
      writeFileSync(payloadFile, await getBlob(victim.repo, layer.digest));
    }, 120_000);

    it('verifies a DSSE bundle against the image digest', async () => {
      const r = await cli(['verify-bundle', '--bundle', dsseBundle, ...policyArgs(), (images['good'] as Image).digest]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });

    it('rejects a DSSE bundle for another digest', async () => {
      const r = await cli(['verify-bundle', '--bundle', dsseBundle, ...policyArgs(), (images['victim'] as Image).digest]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/digest mismatch/);
    });

    it('verifies a message-signature bundle against the signed file', async () => {
      expect(readFileSync(messageBundle, 'utf8')).toContain('messageSignature');
      const r = await cli(['verify-bundle', '--bundle', messageBundle, ...policyArgs(), payloadFile]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });

    it('rejects a message-signature bundle for an edited file', async () => {
      const edited = join(work, 'edited.json');
      writeFileSync(edited, readFileSync(payloadFile, 'utf8').replace('null', '{}'));
      const r = await cli(['verify-bundle', '--bundle', messageBundle, ...policyArgs(), edited]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/digest mismatch/);
    });

    it('rejects another identity', async () => {
      const r = await cli([
        'verify-bundle',
        '--bundle',
        dsseBundle,
        '--certificate-identity',
        'https://example.com/x',
        '--certificate-oidc-issuer',
        stack.identity.issuer,
        '--trusted-root',
        stack.trustedRoot,
        (images['good'] as Image).digest,
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/wrong identity/);
    });

    it('rejects a key that did not sign', async () => {
      const keyFile = join(work, 'other.pub');
      const { generateKeyPairSync } = await import('node:crypto');
      writeFileSync(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
      const r = await cli(['verify-bundle', '--bundle', dsseBundle, '--key', keyFile, '--trusted-root', stack.trustedRoot, (images['good'] as Image).digest]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/different key/);
    });
  });
});
