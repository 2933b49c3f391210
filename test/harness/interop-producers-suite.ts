import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cosignHome, cosignSignAndAttest, PRODUCERS, writePredicates, type CosignHome, type Producer } from './producers.mjs';
import { errorLines, ROOT, runAction, type ActionRun } from './run-action.js';
import { useStack } from './use-stack.js';
import { resetClaims, setClaims } from '../stack/stack.mjs';

// Real producers feed our verifier: images signed and attested keylessly by
// the real cosign v2 (classic .sig/.att tags) and v3 (Sigstore bundles as OCI
// referrers, services from a signing config) against the offline stack. The
// bundled verify action and `sign-attest verify` must accept them under the
// signing identity and the attested types, and reject them under another
// identity, another issuer, a type that was not attested, and when another
// workflow signed.
//
// One suite body, two stacks: __tests__/e2e/interop-producers.test.ts runs
// it against the stand-in, interop-producers-real.test.ts against the real
// Sigstore services (Fulcio with a CT log, Rekor v1 on Trillian, the TSA).

const execFileP = promisify(execFile);
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const SLSA = 'https://slsa.dev/provenance/v1';
const CYCLONEDX = 'https://cyclonedx.org/bom';
const EVIL = 'octo-org/octo-repo/.github/workflows/evil.yml@refs/heads/main';

// Each cosign's default (v2 tags, v3 referrer bundles) and its other format,
// plus v2's intoto Rekor entries for attestations.
const PRODUCER_NAMES: Producer[] = ['cosign2', 'cosign3', 'cosign2-bundle', 'cosign3-tags', 'cosign2-intoto'];
// Tampered copies of intoto v0.0.1 attestations, whose log body our verifier binds itself.
const INTOTO_TAMPERED = ['set', 'envelope', 'payload'];
const FORMAT = (name: Producer) => PRODUCERS[name].format;

interface Image {
  repo: string;
  digest: string;
  ref: string;
  size: number;
}

interface Verdict {
  verified: boolean;
  digest: string;
  signer?: { san: string; issuer: string };
  signatures: { format: string; verified: boolean }[];
  attestations: { format: string; verified: boolean; predicateType: string }[];
  predicateTypes: string[];
  failures: { reason: string; message: string }[];
}

export function interopProducersSuite({ real }: { real: boolean }): void {
  // Checks that the kind of services asked for answered (a stand-in run would pass for a real one).
  const stack = useStack({ name: 'interop-producers', real });
  let work: string;
  let home: CosignHome;
  const images: Record<string, Image> = {};
  const indexes: Record<string, { index: Image; platforms: Image[] }> = {};
  const cosignMs: Record<string, number> = {};

  const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

  async function getBlob(repo: string, digest: string): Promise<Buffer> {
    return Buffer.from(await (await fetch(`${stack.registryURL}/v2/${repo}/blobs/${digest}`)).arrayBuffer());
  }

  async function putManifest(repo: string, ref: string, manifest: object): Promise<void> {
    const res = await fetch(`${stack.registryURL}/v2/${repo}/manifests/${ref}`, {
      method: 'PUT',
      body: JSON.stringify(manifest),
      headers: { 'content-type': OCI_MANIFEST },
    });
    if (res.status !== 201) throw new Error(`manifest PUT ${res.status}: ${await res.text()}`);
  }

  // Rewrites the first layer of an image's .att manifest: new bytes and/or annotations.
  async function editAttestation(img: Image, edit: (bytes: Buffer, ann: Record<string, string>) => Buffer): Promise<void> {
    const tag = `${img.digest.replace(':', '-')}.att`;
    const manifest = await getJSON(img.repo, tag);
    const layer = manifest.layers[0];
    const bytes = edit(await getBlob(img.repo, layer.digest), layer.annotations);
    layer.digest = await putBlob(img.repo, bytes);
    layer.size = bytes.length;
    await putManifest(img.repo, tag, manifest);
  }

  async function putBlob(repo: string, bytes: Buffer): Promise<string> {
    const digest = sha256(bytes);
    const start = await fetch(`${stack.registryURL}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    const url = new URL(start.headers.get('location') as string, stack.registryURL);
    url.searchParams.set('digest', digest);
    const res = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    if (res.status !== 201) throw new Error(`blob PUT ${res.status}`);
    return digest;
  }

  // A distinct tiny image per case, so no case sees another's signatures.
  async function pushImage(repo: string, architecture = 'amd64'): Promise<Image> {
    const config = Buffer.from(JSON.stringify({ architecture, os: 'linux', config: { Labels: { repo } }, rootfs: { type: 'layers', diff_ids: [] } }));
    const configDigest = await putBlob(repo, config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: [],
      }),
    );
    const res = await fetch(`${stack.registryURL}/v2/${repo}/manifests/${architecture}`, { method: 'PUT', body: manifest, headers: { 'content-type': OCI_MANIFEST } });
    if (res.status !== 201) throw new Error(`manifest PUT ${res.status}`);
    const digest = sha256(manifest);
    return { repo, digest, ref: `${stack.registry}/${repo}@${digest}`, size: manifest.length };
  }

  async function getJSON(repo: string, ref: string, kind: 'manifests' | 'blobs' = 'manifests'): Promise<any> {
    const res = await fetch(`${stack.registryURL}/v2/${repo}/${kind}/${ref}`, { headers: { accept: `${OCI_MANIFEST}, application/vnd.oci.image.index.v1+json` } });
    if (!res.ok) throw new Error(`${repo} ${kind}/${ref}: ${res.status}`);
    return res.json();
  }

  // A two-platform index: the index digest and each platform's.
  async function pushIndex(repo: string): Promise<{ index: Image; platforms: Image[] }> {
    const platforms: Image[] = [];
    const entries = [];
    for (const architecture of ['amd64', 'arm64']) {
      const img = await pushImage(repo, architecture);
      platforms.push(img);
      entries.push({ mediaType: OCI_MANIFEST, digest: img.digest, size: img.size, platform: { os: 'linux', architecture } });
    }
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries }));
    const res = await fetch(`${stack.registryURL}/v2/${repo}/manifests/latest`, { method: 'PUT', body, headers: { 'content-type': OCI_INDEX } });
    if (res.status !== 201) throw new Error(`index PUT ${res.status}`);
    const digest = sha256(body);
    return { index: { repo, digest, ref: `${stack.registry}/${repo}@${digest}`, size: body.length }, platforms };
  }

  const identity = () => stack.identity.subjectAlternativeName;
  const OTHER_IDENTITY = 'https://github.com/octo-org/octo-repo/.github/workflows/other.yml@refs/heads/main';
  const OTHER_ISSUER = 'https://accounts.google.com';

  function verifyAction(img: Image, inputs: Record<string, string> = {}): Promise<ActionRun> {
    return runAction({
      action: 'verify',
      inputs: {
        images: img.ref,
        'certificate-identity': identity(),
        'certificate-oidc-issuer': stack.identity.issuer,
        'trusted-root': stack.trustedRoot,
        ...inputs,
      },
    });
  }

  async function cli(img: Image, flags: Record<string, string> = {}, types: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
    const policy: Record<string, string> = {
      '--certificate-identity': identity(),
      '--certificate-oidc-issuer': stack.identity.issuer,
      '--trusted-root': stack.trustedRoot,
      ...flags,
    };
    const args = ['verify', img.ref, ...Object.entries(policy).flat(), ...types.flatMap((t) => ['--type', t])];
    try {
      const { stdout, stderr } = await execFileP(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], { env: { ...process.env, HOME: work } });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  function verdictOf(run: ActionRun): Verdict {
    const [v] = JSON.parse(run.outputs['verified'] as string) as Verdict[];
    if (!v) throw new Error(`no verdict:\n${run.stdout}`);
    return v;
  }

  function expectRejected(run: ActionRun, pattern: RegExp): void {
    expect(run.code).toBe(1);
    expect(errorLines(run).join('\n')).toMatch(pattern);
    expect(verdictOf(run).verified).toBe(false);
  }

  beforeAll(async () => {
    work = stack.work;
    const homeDir = join(work, 'cosign-home');
    mkdirSync(homeDir);
    home = cosignHome(stack, homeDir);
    const predicates = writePredicates(work);
    for (const name of PRODUCER_NAMES) {
      const sign = async (key: string, opts: { predicates?: Record<string, string>; tsa?: boolean } = {}) => {
        const img = (images[`${name}/${key}`] = await pushImage(`interop/${name}-${key}`));
        const { runs } = await cosignSignAndAttest(name, stack, img.ref, { home, ...opts });
        for (const r of runs) cosignMs[r.what] = (cosignMs[r.what] ?? 0) + r.ms;
      };
      await sign('good', { predicates });
      // The tag format is stamped only when asked; a signing config names the TSA, so bundles always are.
      if (name === 'cosign2') await sign('tsa', { tsa: true });
      if (name === 'cosign2' || name === 'cosign3') {
        // A multi-platform index, signed with --recursive (the index and each platform).
        const multi = (indexes[name] = await pushIndex(`interop/${name}-multi`));
        await cosignSignAndAttest(name, stack, multi.index.ref, { home, signFlags: ['--recursive'] });
      }
      if (name === 'cosign2-intoto') {
        for (const key of INTOTO_TAMPERED) await sign(key, { predicates: { slsaprovenance1: predicates.slsaprovenance1 } });
      }
      await setClaims(stack, { job_workflow_ref: EVIL });
      try {
        await sign('evil', { predicates: { slsaprovenance1: predicates.slsaprovenance1 } });
      } finally {
        await resetClaims(stack);
      }
    }
    process.stdout.write(`interop-producers: cosign wall time per step (ms): ${JSON.stringify(cosignMs)}\n`);
  }, 300_000);

  describe.each(PRODUCER_NAMES)('images signed and attested by %s', (name) => {
    const img = (key: string) => images[`${name}/${key}`] as Image;
    // Policy checks that do not depend on the format run for each cosign's default only.
    const itDefault = (title: string, fn: () => Promise<void>) => (name === 'cosign2' || name === 'cosign3') && it(title, fn);

    it('the verify action accepts the signature and both attestations under the signing identity', async () => {
      const run = await verifyAction(img('good'), { 'predicate-types': 'slsaprovenance1\ncyclonedx' });
      expect(errorLines(run)).toEqual([]);
      expect(run.code).toBe(0);
      const v = verdictOf(run);
      expect(v.verified).toBe(true);
      expect(v.digest).toBe(img('good').digest);
      expect(v.signer).toEqual({ san: identity(), issuer: stack.identity.issuer });
      expect(v.signatures.map((s) => [s.format, s.verified])).toEqual([[FORMAT(name), true]]);
      expect(v.attestations.map((a) => [a.format, a.predicateType, a.verified]).sort()).toEqual([
        [FORMAT(name), CYCLONEDX, true],
        [FORMAT(name), SLSA, true],
      ]);
      expect(v.predicateTypes.sort()).toEqual([CYCLONEDX, SLSA]);
    });

    itDefault('the verify action accepts an identity regexp and the full predicate type URIs', async () => {
      const run = await verifyAction(img('good'), {
        'certificate-identity': '',
        'certificate-identity-regexp': '^https://github\\.com/octo-org/octo-repo/\\.github/workflows/release\\.yml@refs/heads/main$',
        'predicate-types': `${SLSA}\n${CYCLONEDX}`,
      });
      expect(errorLines(run)).toEqual([]);
      expect(run.code).toBe(0);
    });

    it('sign-attest verify accepts them and reports each item', async () => {
      const r = await cli(img('good'), {}, ['slsaprovenance1', 'cyclonedx']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^VERIFIED /);
      expect(r.stdout).toContain(`ok   ${FORMAT(name)} signature`);
      expect(r.stdout).toContain(`ok   ${FORMAT(name)} attestation ${SLSA}`);
      expect(r.stdout).toContain(`ok   ${FORMAT(name)} attestation ${CYCLONEDX}`);
    });

    itDefault('rejects another identity', async () => {
      expectRejected(await verifyAction(img('good'), { 'certificate-identity': OTHER_IDENTITY, 'predicate-types': 'slsaprovenance1' }), /wrong identity/);
      const r = await cli(img('good'), { '--certificate-identity': OTHER_IDENTITY });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/wrong identity/);
    });

    itDefault('rejects another issuer', async () => {
      expectRejected(await verifyAction(img('good'), { 'certificate-oidc-issuer': OTHER_ISSUER }), /wrong issuer/);
      const r = await cli(img('good'), { '--certificate-oidc-issuer': OTHER_ISSUER });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/wrong issuer/);
    });

    it('rejects a predicate type that was not attested', async () => {
      const run = await verifyAction(img('good'), { 'predicate-types': 'slsaprovenance1\nspdxjson' });
      expectRejected(run, /missing attestation type https:\/\/spdx\.dev\/Document/);
      expect(errorLines(run)).toHaveLength(1);
      const r = await cli(img('good'), {}, ['cyclonedx', 'spdxjson']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/missing attestation type https:\/\/spdx\.dev\/Document/);
    });

    it('rejects what it signed and attested as another workflow', async () => {
      const run = await verifyAction(img('evil'), { 'predicate-types': 'slsaprovenance1' });
      expectRejected(run, new RegExp(`wrong identity: signed by "https://github\\.com/${EVIL.replace(/[.]/g, '\\.')}"`));
      const v = verdictOf(run);
      expect([...v.signatures, ...v.attestations].map((i) => [i.format, i.verified])).toEqual([
        [FORMAT(name), false],
        [FORMAT(name), false],
      ]);
      // The same image under the identity that did sign it verifies: the rejection is the policy's, not the bytes'.
      const evil = await verifyAction(img('evil'), { 'certificate-identity': `https://github.com/${EVIL}`, 'predicate-types': 'slsaprovenance1' });
      expect(errorLines(evil)).toEqual([]);
      expect(evil.code).toBe(0);
    });

    itDefault('accepts a multi-platform index signed with --recursive: the index digest and each platform digest', async () => {
      const multi = indexes[name] as { index: Image; platforms: Image[] };
      const run = await verifyAction(multi.index, { images: [multi.index, ...multi.platforms].map((i) => i.ref).join('\n') });
      expect(errorLines(run)).toEqual([]);
      expect(run.code).toBe(0);
      const verdicts = JSON.parse(run.outputs['verified'] as string) as Verdict[];
      expect(verdicts.map((v) => [v.digest, v.verified, v.signatures.map((s) => s.format)])).toEqual(
        [multi.index, ...multi.platforms].map((i) => [i.digest, true, [FORMAT(name)]]),
      );
    });

    if (name === 'cosign2') {
      it('accepts a tag-format signature that carries an RFC 3161 timestamp', async () => {
        const sig = await getJSON(img('tsa').repo, `${img('tsa').digest.replace(':', '-')}.sig`);
        expect(sig.layers[0].annotations['dev.sigstore.cosign/rfc3161timestamp']).toBeDefined();
        const run = await verifyAction(img('tsa'));
        expect(errorLines(run)).toEqual([]);
        expect(run.code).toBe(0);
      });
    }
    if (PRODUCERS[name].signingConfig) {
      it('its bundles carry the TSA timestamp the signing config asked for', async () => {
        const index = await getJSON(img('good').repo, img('good').digest.replace(':', '-'));
        expect(index.manifests).toHaveLength(3);
        for (const d of index.manifests) {
          const manifest = await getJSON(img('good').repo, d.digest);
          const bundle = await getJSON(img('good').repo, manifest.layers[0].digest, 'blobs');
          expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
        }
      });
    }
  });

  // @sigstore/verify cannot match an intoto v0.0.1 entry's body to an envelope,
  // so our verifier binds it (the logged envelope hash is the layer's, the
  // logged key the certificate's) and has the library check only its inclusion.
  // These prove that binding and that inclusion check still reject tampering.
  describe('cosign2 intoto v0.0.1 attestations, tampered', () => {
    const img = (key: string) => images[`cosign2-intoto/${key}`] as Image;
    const verifyAttestation = (key: string) => verifyAction(img(key), { 'predicate-types': 'slsaprovenance1', 'require-signature': 'false' });

    it('each verifies before it is tampered with', async () => {
      for (const key of INTOTO_TAMPERED) {
        const run = await verifyAttestation(key);
        expect(errorLines(run)).toEqual([]);
      }
    });

    it('rejects a SET taken from another entry', async () => {
      const sig = await getJSON(img('set').repo, `${img('set').digest.replace(':', '-')}.sig`);
      const otherSET = JSON.parse(sig.layers[0].annotations['dev.sigstore.cosign/bundle']).SignedEntryTimestamp;
      await editAttestation(img('set'), (bytes, ann) => {
        const rekor = JSON.parse(ann['dev.sigstore.cosign/bundle'] as string);
        expect(JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString()).kind).toBe('intoto');
        rekor.SignedEntryTimestamp = otherSET;
        ann['dev.sigstore.cosign/bundle'] = JSON.stringify(rekor);
        return bytes;
      });
      expectRejected(await verifyAttestation('set'), /cosign attestation .*bad SET/);
    });

    it('rejects an envelope that is not byte for byte the logged one (same signature, re-serialised)', async () => {
      await editAttestation(img('envelope'), (bytes) => Buffer.from(JSON.stringify(JSON.parse(bytes.toString()), null, 2)));
      expectRejected(await verifyAttestation('envelope'), /cosign attestation .*not the envelope logged in Rekor/);
    });

    it('rejects an edited statement', async () => {
      await editAttestation(img('payload'), (bytes) => {
        const env = JSON.parse(bytes.toString());
        const stmt = JSON.parse(Buffer.from(env.payload, 'base64').toString());
        stmt.predicate.buildDefinition.buildType = 'https://example.com/forged';
        env.payload = Buffer.from(JSON.stringify(stmt)).toString('base64');
        return Buffer.from(JSON.stringify(env));
      });
      expectRejected(await verifyAttestation('payload'), /cosign attestation .*the signature does not verify over the signed payload/);
    });
  });
}
