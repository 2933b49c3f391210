import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fallbackReferrers,
  getBlob,
  getManifest,
  loadTrust,
  rekorEntry,
  sha256,
  sigstoreCLI,
  sigstoreVerify,
  tagFor,
  verifySET,
  verifyWithCert,
  type Trust,
} from '../../test/harness/checks.js';
import { errorLines, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs, stackLib, type PushedImage } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// The spine, end to end: the bundled action run as a runner runs it against a
// real registry and the Sigstore stand-in, then checked independently.

const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

const lib = await stackLib();
const stack = useStack({ name: 'sign-e2e', auth: true });
let trust: Trust;

beforeAll(() => {
  expect(process.version.startsWith('v24.')).toBe(true);
  trust = loadTrust(stack.trustedRoot);
});

function run(inputs: Record<string, string>, env: Record<string, string | undefined> = {}): Promise<ActionRun> {
  return stack.run(inputs, { env });
}

describe('signing a pushed image (sbom: false)', () => {
  let img: PushedImage;
  let first: ActionRun;

  beforeAll(async () => {
    img = await lib.pushFixtureImage(stack, 'octo-org/app');
    await lib.resetStats(stack);
    first = await run({ images: img.ref, sbom: 'false' });
  });

  it('succeeds and sets the outputs', () => {
    expect(errorLines(first)).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.outputs['digest']).toBe(img.digest);
    expect(first.outputs['signature-log-index']).toMatch(/^\d+$/);
    expect(first.outputs['provenance-log-index']).toMatch(/^\d+$/);
    expect(first.outputs['sbom-log-index']).toBe('');
    const results = JSON.parse(first.outputs['results'] ?? '[]') as Record<string, any>[];
    expect(results).toHaveLength(1);
    expect(results[0]?.['signature']?.['logIndex']).toBe(Number(first.outputs['signature-log-index']));
    expect(results[0]?.['signature']?.['bundle']).toBe(first.outputs['signature-bundle']);
    expect(first.outputs['signature-bundle']?.startsWith(first.runnerTemp)).toBe(true);
  });

  it('asks for one OIDC token and one Fulcio certificate', async () => {
    const stats = await lib.getStats(stack);
    expect(stats['token']).toBe(1);
    expect(stats['fulcio']).toBe(1);
  });

  it('writes a cosign .sig manifest whose payload, signature, SET and Rekor entry all check out', async () => {
    const sig = await getManifest(img.name, tagFor(img.digest, '.sig'));
    expect(sig?.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(sig?.config?.mediaType).toBe('application/vnd.oci.image.config.v1+json');
    expect(sig?.layers).toHaveLength(1);
    const layer = sig!.layers![0]!;
    expect(layer.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
    const payload = await getBlob(img.name, layer.digest);
    expect(JSON.parse(payload.toString())).toEqual({
      critical: {
        identity: { 'docker-reference': img.name },
        image: { 'docker-manifest-digest': img.digest },
        type: 'cosign container image signature',
      },
      optional: null,
    });
    const ann = layer.annotations ?? {};
    const cert = ann['dev.sigstore.cosign/certificate'] ?? '';
    expect(cert).toContain('BEGIN CERTIFICATE');
    expect(ann['dev.sigstore.cosign/chain']).toContain('BEGIN CERTIFICATE');
    expect(verifyWithCert(cert, payload, ann['dev.cosignproject.cosign/signature'] ?? '')).toBe(true);

    const legacy = JSON.parse(ann['dev.sigstore.cosign/bundle'] ?? '{}') as {
      SignedEntryTimestamp: string;
      Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
    };
    expect(Object.keys(legacy)).toEqual(['SignedEntryTimestamp', 'Payload']);
    expect(Object.keys(legacy.Payload)).toEqual(['body', 'integratedTime', 'logIndex', 'logID']);
    expect(verifySET(trust, legacy.Payload, legacy.SignedEntryTimestamp)).toBe(true);
    expect(legacy.Payload.logIndex).toBe(Number(first.outputs['signature-log-index']));

    const entry = await rekorEntry(stack.rekorURL, legacy.Payload.logIndex);
    expect(entry.body['kind']).toBe('hashedrekord');
    expect(entry.body['spec']['data']['hash']).toEqual({ algorithm: 'sha256', value: sha256(payload) });
    expect(entry.body['spec']['signature']['content']).toBe(ann['dev.cosignproject.cosign/signature']);
    expect(Buffer.from(entry.body['spec']['signature']['publicKey']['content'], 'base64').toString()).toBe(cert);
    expect(entry.raw['body']).toBe(legacy.Payload.body);
  });

  it('writes bundles that verify with @sigstore/verify against the trusted root and the SAN', () => {
    const sigBundle = JSON.parse(readFileSync(first.outputs['signature-bundle'] ?? '', 'utf8')) as Record<string, any>;
    expect(sigBundle['mediaType']).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(sigBundle['verificationMaterial']['certificate']).toBeDefined();
    expect(sigBundle['verificationMaterial']['x509CertificateChain']).toBeUndefined();
    const payload = Buffer.from(
      JSON.stringify({
        critical: { identity: { 'docker-reference': img.name }, image: { 'docker-manifest-digest': img.digest }, type: 'cosign container image signature' },
        optional: null,
      }),
    );
    sigstoreVerify(trust, sigBundle, SAN, ISSUER, payload);
    expect(() => sigstoreVerify(trust, sigBundle, 'https://github.com/evil/repo/.github/workflows/x.yml@refs/heads/main', ISSUER, payload)).toThrow();
    const prov = JSON.parse(readFileSync(first.outputs['provenance-bundle'] ?? '', 'utf8')) as unknown;
    sigstoreVerify(trust, prov, SAN, ISSUER);
  });

  it('makes the signature and provenance findable as referrers through the fallback tag', async () => {
    const refs = await fallbackReferrers(img.name, img.digest);
    const types = refs.map((r) => r.manifest.annotations?.['dev.sigstore.bundle.predicateType']).sort();
    expect(types).toEqual(['https://sigstore.dev/cosign/sign/v1', 'https://slsa.dev/provenance/v1']);
    for (const r of refs) {
      expect(r.manifest.artifactType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(r.manifest.subject?.digest).toBe(img.digest);
      expect(r.manifest.annotations?.['dev.sigstore.bundle.content']).toBe('dsse-envelope');
      sigstoreVerify(trust, r.bundle, SAN, ISSUER);
      const stmt = JSON.parse(Buffer.from((r.bundle as any).dsseEnvelope.payload, 'base64').toString()) as Record<string, any>;
      expect(stmt['subject'][0]['digest']['sha256']).toBe(img.digest.replace('sha256:', ''));
    }
  });

  it('writes bundles the sigstore CLI accepts through the TUF mirror', async () => {
    const cache = stack.tempDir('tuf-cache-');
    const payloadFile = join(cache, 'payload.json');
    const sig = await getManifest(img.name, tagFor(img.digest, '.sig'));
    writeFileSync(payloadFile, await getBlob(img.name, sig!.layers![0]!.digest));
    const ok = await sigstoreCLI(stack, first.outputs['signature-bundle'] ?? '', SAN, cache, payloadFile);
    expect(ok).toMatchObject({ code: 0 });
    const prov = await sigstoreCLI(stack, first.outputs['provenance-bundle'] ?? '', SAN, cache);
    expect(prov).toMatchObject({ code: 0 });
    const wrong = await sigstoreCLI(stack, first.outputs['provenance-bundle'] ?? '', 'https://github.com/other/repo/.github/workflows/x.yml@refs/heads/main', cache);
    expect(wrong.code).not.toBe(0);
  });

  it('writes a step summary with Rekor links and copy-paste verify commands', () => {
    const s = first.summary;
    expect(s).toContain(`${img.name}@${img.digest}`);
    expect(s).toContain(`${stack.rekorURL}/api/v1/log/entries?logIndex=${first.outputs['signature-log-index']}`);
    expect(s).toContain(`cosign verify \\\n  ${img.name}@${img.digest}`);
    expect(s).toContain(`--certificate-identity \\\n    ${SAN}`);
    expect(s).toContain(`--certificate-oidc-issuer ${ISSUER}`);
    expect(s).toContain('cosign verify-attestation --type slsaprovenance1');
  });

  it('a second run appends its signature instead of replacing the first', async () => {
    const second = await run({ images: img.ref, sbom: 'false' });
    expect(second.code).toBe(0);
    const sig = await getManifest(img.name, tagFor(img.digest, '.sig'));
    expect(sig?.layers).toHaveLength(2);
    const att = await getManifest(img.name, tagFor(img.digest, '.att'));
    expect(att?.layers).toHaveLength(2);
    const refs = await fallbackReferrers(img.name, img.digest);
    expect(refs).toHaveLength(4);
    expect(Number(second.outputs['signature-log-index'])).toBeGreaterThan(Number(first.outputs['signature-log-index']));
  });
});

describe('a tag instead of a digest', () => {
  it('resolves the tag, warns, and signs the digest', async () => {
    const img = await lib.pushFixtureImage(stack, 'octo-org/tagged', 'v1');
    const r = await run({ images: img.tagRef, sbom: 'false', provenance: 'false' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::warning::.*resolved to sha256:/);
    expect(r.outputs['digest']).toBe(img.digest);
    expect(await getManifest(img.name, tagFor(img.digest, '.sig'))).toBeDefined();
  });
});

describe('bad input and faults: one line, exit 1, nothing written', () => {
  let img: PushedImage;
  beforeAll(async () => {
    img = await lib.pushFixtureImage(stack, 'octo-org/negative');
  });

  async function nothingWritten(name: string, digest: string) {
    expect(await getManifest(name, tagFor(digest, '.sig'))).toBeUndefined();
    expect(await getManifest(name, tagFor(digest, '.att'))).toBeUndefined();
    expect(await getManifest(name, tagFor(digest))).toBeUndefined();
  }

  it('missing id-token permission names the fix', async () => {
    const r = await run({ images: img.ref, sbom: 'false' }, { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined });
    expect(r.code).toBe(1);
    expect(errorLines(r)).toHaveLength(1);
    expect(errorLines(r)[0]).toContain('permissions: id-token: write');
    await nothingWritten(img.name, img.digest);
  });

  it('an unknown image says it was not found', async () => {
    const r = await run({ images: `${stack.registry}/octo-org/missing@sha256:${'a'.repeat(64)}`, sbom: 'false' });
    expect(r.code).toBe(1);
    expect(errorLines(r)).toHaveLength(1);
    expect(errorLines(r)[0]).toMatch(/not found/);
  });

  it('a malformed reference names the input', async () => {
    const r = await run({ images: 'Not A/Valid::ref', sbom: 'false' });
    expect(r.code).toBe(1);
    expect(errorLines(r)[0]).toMatch(/images: .* not a valid image reference/);
  });

  it('a wrong registry password is refused without printing the password', async () => {
    const authImg = await lib.pushFixtureImage(stack, 'octo-org/private', 'latest', { auth: true });
    const r = await run({ images: authImg.ref, sbom: 'false', 'registry-username': 'tester', 'registry-password': 'wrong-password-xyz' });
    expect(r.code).toBe(1);
    expect(errorLines(r)).toHaveLength(1);
    expect(errorLines(r)[0]).toMatch(/refused access \(401/);
    expect(r.stdout.replace(/::add-mask::.*\n/g, '')).not.toContain('wrong-password-xyz');
    expect(r.stderr).not.toContain('wrong-password-xyz');
  });

  it('the right registry password works against an htpasswd registry', async () => {
    const authImg = await lib.pushFixtureImage(stack, 'octo-org/private2', 'latest', { auth: true });
    const r = await run({ images: authImg.ref, sbom: 'false', provenance: 'false', 'registry-username': 'tester', 'registry-password': 'secret' });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('Rekor down fails within the retry budget, naming Rekor, with nothing written', async () => {
    await lib.failService(stack, 'rekor', { mode: 'down' });
    try {
      const r = await run({ images: img.ref, sbom: 'false', 'retry-budget': '2' });
      expect(r.code).toBe(1);
      expect(errorLines(r)).toHaveLength(1);
      expect(errorLines(r)[0]).toContain(`Rekor at ${stack.rekorURL}`);
      await nothingWritten(img.name, img.digest);
    } finally {
      await lib.clearFailures(stack);
    }
  });

  it('Fulcio refusing the token names Fulcio and the audience', async () => {
    const r = await run({ images: img.ref, sbom: 'false', 'oidc-audience': 'not-sigstore' });
    expect(r.code).toBe(1);
    expect(errorLines(r)[0]).toMatch(/Fulcio at .* refused/);
    await nothingWritten(img.name, img.digest);
  });

  it('a trusted root of another instance fails self-verification before anything is written', async () => {
    const other = JSON.parse(readFileSync(stack.trustedRoot, 'utf8')) as { tlogs: { publicKey: { rawBytes: string } }[] };
    const { generateKeyPairSync } = await import('node:crypto');
    const der = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    for (const t of other.tlogs) t.publicKey.rawBytes = der.toString('base64');
    const path = join(stack.tempDir('root-'), 'trusted_root.json');
    writeFileSync(path, JSON.stringify(other));
    const r = await run({ images: img.ref, sbom: 'false', 'trusted-root': path });
    expect(r.code).toBe(1);
    expect(errorLines(r)[0]).toMatch(/Self-verification .* failed/);
    await nothingWritten(img.name, img.digest);
  });
});

describe('registry credentials from ~/.docker/config.json', () => {
  it('uses `auths` as docker/login-action leaves them', async () => {
    const img = await lib.pushFixtureImage(stack, 'octo-org/dockercfg', 'latest', { auth: true });
    const home = stack.tempDir('home-');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(home, '.docker'));
    writeFileSync(
      join(home, '.docker', 'config.json'),
      JSON.stringify({ auths: { [stack.authRegistry ?? '']: { auth: Buffer.from('tester:secret').toString('base64') } } }),
    );
    const r = await runAction({ inputs: { ...stackInputs(stack), images: img.ref, sbom: 'false', provenance: 'false' }, env: stack.env, home });
    expect(errorLines(r)).toEqual([]);
    expect(r.stdout).toContain(`::add-mask::${Buffer.from('tester:secret').toString('base64')}`);
  });

  it('asks a credential helper (docker-credential-<name> get) when config names one', async () => {
    const img = await lib.pushFixtureImage(stack, 'octo-org/credhelper', 'latest', { auth: true });
    const home = stack.tempDir('home-');
    const { mkdirSync, chmodSync } = await import('node:fs');
    mkdirSync(join(home, '.docker'));
    mkdirSync(join(home, 'bin'));
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ credHelpers: { [stack.authRegistry ?? '']: 'fake' } }));
    const helper = join(home, 'bin', 'docker-credential-fake');
    writeFileSync(
      helper,
      `#!/bin/sh\nread server\n[ "$1" = get ] && [ "$server" = "${stack.authRegistry}" ] && echo '{"ServerURL":"'"$server"'","Username":"tester","Secret":"secret"}'\n`,
    );
    chmodSync(helper, 0o755);
    const r = await runAction({
      inputs: { ...stackInputs(stack), images: img.ref, sbom: 'false', provenance: 'false' },
      env: { ...stack.env, PATH: `${join(home, 'bin')}:${process.env['PATH'] ?? ''}` },
      home,
    });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
  });
});

// Issue 10 §2: with no service named, the services come from the signing
// config of a TUF repository (here the stack's mirror, as the public-good one
// is read by default), and its TSA timestamps every signature.
describe('services from the signing config of a TUF repository', () => {
  const tufOnly = (img: PushedImage, mirror: string, extra: Record<string, string> = {}) =>
    runAction({ inputs: { images: img.ref, sbom: 'false', 'tuf-mirror-url': mirror, 'tuf-root': stack.tufRootPath, ...extra }, env: stack.env });

  it('takes Fulcio, Rekor and the TSA from signing_config.v0.2.json and the trusted root from the same mirror', async () => {
    const img = await lib.pushFixtureImage(stack, 'octo-org/tuf-config');
    await lib.resetStats(stack);
    const r = await tufOnly(img, stack.tufMirrorURL);
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('::warning::');
    expect(r.stdout).toContain(
      `Sigstore services from the signing config of ${stack.tufMirrorURL}: Fulcio ${stack.fulcioURL}, Rekor ${stack.rekorURL}, TSA ${stack.tsaTimestampURL}`,
    );
    const stats = await lib.getStats(stack);
    expect(stats.tuf).toBeGreaterThan(0);
    expect(stats.trust).toBe(0); // the trusted root came through TUF, not the plain file
    expect(stats.fulcio).toBe(1);
    for (const k of ['signature-bundle', 'provenance-bundle']) {
      const b = JSON.parse(readFileSync(r.outputs[k] ?? '', 'utf8')) as Record<string, any>;
      expect(b['verificationMaterial']['timestampVerificationData']['rfc3161Timestamps']).toHaveLength(1);
    }
    expect(stats.tsa).toBeGreaterThanOrEqual(2);
  });

  it('a private TUF repository that cannot be read is one error naming the fix, with nothing signed or written (no public-good fallback)', async () => {
    const img = await lib.pushFixtureImage(stack, 'octo-org/tuf-dead');
    const { createServer } = await import('node:net');
    const probe = createServer();
    const port = await new Promise<number>((res) => probe.listen(0, '127.0.0.1', () => res((probe.address() as { port: number }).port)));
    await new Promise((res) => probe.close(res));
    await lib.resetStats(stack);
    // (With trusted-root given, the first thing asked of the repository is the signing config.)
    const r = await tufOnly(img, `http://127.0.0.1:${port}/tuf`, { 'trusted-root': stack.trustedRoot });
    expect(r.code).toBe(1);
    expect(errorLines(r)).toEqual([
      expect.stringMatching(
        /^::error::tuf-mirror-url: cannot read signing_config\.v0\.2\.json from http:\/\/127\.0\.0\.1:\d+\/tuf .*pass signing-config or fulcio-url and rekor-url$/,
      ),
    ]);
    expect(r.stdout).not.toContain('::warning::');
    const stats = await lib.getStats(stack);
    expect(stats.fulcio + stats.rekorPost + stats.tsa).toBe(0);
    expect(await getManifest(img.name, tagFor(img.digest, '.sig'))).toBeUndefined();
    expect(await fallbackReferrers(img.name, img.digest)).toEqual([]);
  });
});
