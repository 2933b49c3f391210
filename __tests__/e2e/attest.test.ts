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
  type Trust,
} from '../../test/harness/checks.js';
import { errorLines, type ActionRun } from '../../test/harness/run-action.js';
import { stackLib, type PushedImage } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// SBOM and SLSA provenance as signed in-toto attestations: logged to Rekor,
// attached as cosign .att layers and as referrer bundles, checked
// independently of the action's code.

const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const SLSA = 'https://slsa.dev/provenance/v1';
const CDX = 'https://cyclonedx.org/bom';

const lib = await stackLib();
// A prefilled log: global indexes differ from the proof's local ones.
const stack = useStack({ name: 'attest-e2e', rekorPrefill: 5000 });
let trust: Trust;

beforeAll(() => {
  trust = loadTrust(stack.trustedRoot);
});

const run = (inputs: Record<string, string>) => stack.run(inputs);

function statementOf(bundle: any): Record<string, any> {
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Record<string, any>;
}

function claimsOf(jwt: string): Record<string, string> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, string>;
}

describe('sign + SBOM + provenance, attached both ways', () => {
  let img: PushedImage;
  let first: ActionRun;
  let stats: Record<string, number>;

  beforeAll(async () => {
    img = await lib.pushFixtureImage(stack, 'octo-org/attested');
    await lib.resetStats(stack);
    first = await run({ images: img.ref });
    stats = await lib.getStats(stack);
    console.log(`sign + SBOM + provenance, both formats: ${first.ms} ms; requests ${JSON.stringify(stats)}`);
  });

  it('succeeds with every log index as an output', () => {
    expect(errorLines(first)).toEqual([]);
    expect(first.code).toBe(0);
    for (const k of ['signature-log-index', 'sbom-log-index', 'provenance-log-index']) expect(Number(first.outputs[k])).toBeGreaterThanOrEqual(5000);
  });

  it('makes one token request, one Fulcio request and one Rekor upload per artifact', () => {
    expect(stats['token']).toBe(1);
    expect(stats['fulcio']).toBe(1);
    expect(stats['rekorPost']).toBe(4); // hashedrekord, cosign/sign/v1, SBOM, provenance
  });

  it('log-index outputs equal the entries in the bundles', () => {
    for (const kind of ['signature', 'sbom', 'provenance']) {
      const bundle = JSON.parse(readFileSync(first.outputs[`${kind}-bundle`] ?? '', 'utf8'));
      expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(bundle.verificationMaterial.tlogEntries[0].logIndex).toBe(first.outputs[`${kind}-log-index`]);
      expect(bundle.verificationMaterial.tlogEntries[0].inclusionPromise).toBeDefined();
      expect(bundle.verificationMaterial.tlogEntries[0].inclusionProof).toBeDefined();
    }
  });

  it('the provenance statement names the image and carries the token claims', async () => {
    const bundle = JSON.parse(readFileSync(first.outputs['provenance-bundle'] ?? '', 'utf8'));
    sigstoreVerify(trust, bundle, SAN, ISSUER);
    const stmt = statementOf(bundle);
    expect(Object.keys(stmt).sort()).toEqual(['_type', 'predicate', 'predicateType', 'subject']);
    expect(stmt['_type']).toBe('https://in-toto.io/Statement/v1');
    expect(stmt['predicateType']).toBe(SLSA);
    expect(stmt['subject']).toEqual([{ name: img.name, digest: { sha256: img.digest.slice(7) } }]);
    const c = claimsOf(await lib.requestToken(stack));
    const p = stmt['predicate'];
    expect(p.buildDefinition.buildType).toBe('https://actions.github.io/buildtypes/workflow/v1');
    expect(p.buildDefinition.externalParameters.workflow).toEqual({
      ref: c['ref'],
      repository: `https://github.com/${c['repository']}`,
      path: '.github/workflows/release.yml',
    });
    expect(p.buildDefinition.internalParameters.github).toEqual({
      event_name: c['event_name'],
      repository_id: c['repository_id'],
      repository_owner_id: c['repository_owner_id'],
      runner_environment: c['runner_environment'],
    });
    expect(p.buildDefinition.resolvedDependencies).toEqual([{ uri: `git+https://github.com/${c['repository']}@${c['ref']}`, digest: { gitCommit: c['sha'] } }]);
    expect(p.runDetails.builder.id).toBe(`https://github.com/${c['job_workflow_ref']}`);
    expect(p.runDetails.metadata.invocationId).toBe(`https://github.com/${c['repository']}/actions/runs/${c['run_id']}/attempts/${c['run_attempt']}`);
  });

  it('the SBOM statement carries the CycloneDX document written to sbom-path', () => {
    const bundle = JSON.parse(readFileSync(first.outputs['sbom-bundle'] ?? '', 'utf8'));
    sigstoreVerify(trust, bundle, SAN, ISSUER);
    const stmt = statementOf(bundle);
    expect(stmt['predicateType']).toBe(CDX);
    expect(stmt['subject'][0].digest.sha256).toBe(img.digest.slice(7));
    const doc = JSON.parse(readFileSync(first.outputs['sbom-path'] ?? '', 'utf8'));
    expect(stmt['predicate']).toEqual(doc);
    expect(doc.bomFormat).toBe('CycloneDX');
    expect(doc.metadata.component.version ?? doc.metadata.component.name).toBeDefined();
    const names = (doc.components as { name: string }[]).map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['libc6', 'bash', 'lodash']));
  });

  it('puts both attestations in .att with layer bytes equal to the logged envelopes', async () => {
    const att = await getManifest(img.name, tagFor(img.digest, '.att'));
    expect(att?.layers).toHaveLength(2);
    const byType = new Map(att!.layers!.map((l) => [l.annotations?.['predicateType'], l]));
    expect([...byType.keys()].sort()).toEqual([CDX, SLSA]);
    for (const [type, kind] of [
      [SLSA, 'provenance'],
      [CDX, 'sbom'],
    ] as const) {
      const layer = byType.get(type)!;
      expect(layer.mediaType).toBe('application/vnd.dsse.envelope.v1+json');
      const ann = layer.annotations ?? {};
      expect(ann['dev.cosignproject.cosign/signature']).toBe('');
      expect(ann['dev.sigstore.cosign/certificate']).toContain('BEGIN CERTIFICATE');
      expect(ann['dev.sigstore.cosign/chain']).toContain('BEGIN CERTIFICATE');
      const envelope = await getBlob(img.name, layer.digest);
      const entry = await rekorEntry(stack.rekorURL, Number(first.outputs[`${kind}-log-index`]));
      expect(entry.body['kind']).toBe('dsse');
      expect(entry.body['spec']['envelopeHash']).toEqual({ algorithm: 'sha256', value: sha256(envelope) });
      const env = JSON.parse(envelope.toString()) as { payload: string; payloadType: string };
      expect(env.payloadType).toBe('application/vnd.in-toto+json');
      expect(entry.body['spec']['payloadHash']['value']).toBe(sha256(Buffer.from(env.payload, 'base64')));
      const legacy = JSON.parse(ann['dev.sigstore.cosign/bundle'] ?? '{}');
      expect(legacy.Payload.logIndex).toBe(Number(first.outputs[`${kind}-log-index`]));
      expect(verifySET(trust, legacy.Payload, legacy.SignedEntryTimestamp)).toBe(true);
    }
  });

  it('finds both attestations and the signature through the referrers fallback tag, each verifying', async () => {
    const refs = await fallbackReferrers(img.name, img.digest);
    const types = refs.map((r) => r.manifest.annotations?.['dev.sigstore.bundle.predicateType']).sort();
    expect(types).toEqual([CDX, 'https://sigstore.dev/cosign/sign/v1', SLSA]);
    const cache = stack.tempDir('tuf-');
    for (const r of refs) {
      sigstoreVerify(trust, r.bundle, SAN, ISSUER);
      expect(statementOf(r.bundle)['subject'][0].digest.sha256).toBe(img.digest.slice(7));
      const file = join(cache, `${r.digest.slice(7, 19)}.json`);
      writeFileSync(file, JSON.stringify(r.bundle));
      expect(await sigstoreCLI(stack, file, SAN, cache)).toMatchObject({ code: 0 });
    }
  });

  it('shows each attestation and its verify commands in the summary', () => {
    expect(first.summary).toContain(`logIndex=${first.outputs['sbom-log-index']}`);
    expect(first.summary).toContain(`logIndex=${first.outputs['provenance-log-index']}`);
    expect(first.summary).toContain('cosign verify-attestation --type cyclonedx');
    expect(first.summary).toContain('cosign verify-attestation --type slsaprovenance1');
    expect(first.summary).toContain(`gh attestation verify \\\n  oci://${img.name}@${img.digest} \\\n  --bundle-from-oci`);
  });

  it("a second run adds its attestations without losing the first run's", async () => {
    const second = await run({ images: img.ref });
    expect(second.code).toBe(0);
    expect((await getManifest(img.name, tagFor(img.digest, '.att')))?.layers).toHaveLength(4);
    expect(await fallbackReferrers(img.name, img.digest)).toHaveLength(6);
  });

  it('replace: true swaps older .att layers of the same predicate type', async () => {
    const third = await run({ images: img.ref, replace: 'true', sign: 'false' });
    expect(third.code).toBe(0);
    const att = await getManifest(img.name, tagFor(img.digest, '.att'));
    expect(att?.layers).toHaveLength(2);
  });
});

describe('several images in one step', () => {
  it('gives each image its own statements, with one token and one certificate', async () => {
    const a = await lib.pushFixtureImage(stack, 'octo-org/multi-a');
    const b = await lib.pushFixtureImage(stack, 'octo-org/multi-b');
    await lib.resetStats(stack);
    const r = await run({ images: `${a.ref}\n${b.ref}`, sbom: 'false' });
    expect(errorLines(r)).toEqual([]);
    const stats = await lib.getStats(stack);
    expect(stats['token']).toBe(1);
    expect(stats['fulcio']).toBe(1);
    const results = JSON.parse(r.outputs['results'] ?? '[]') as any[];
    expect(results.map((x) => x.name)).toEqual([a.name, b.name]);
    for (const [i, img] of [a, b].entries()) {
      const bundle = JSON.parse(readFileSync(results[i].provenance.bundle, 'utf8'));
      expect(statementOf(bundle)['subject']).toEqual([{ name: img.name, digest: { sha256: img.digest.slice(7) } }]);
      expect((await getManifest(img.name, tagFor(img.digest, '.sig')))?.layers).toHaveLength(1);
    }
  });
});

describe('sbom: <path>', () => {
  let img: PushedImage;
  let dir: string;
  beforeAll(async () => {
    img = await lib.pushFixtureImage(stack, 'octo-org/sbomfile');
    dir = stack.tempDir('sbomfile-');
  });

  it('attests a CycloneDX file as is', async () => {
    const doc = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      version: 1,
      components: [{ type: 'library', name: 'left-pad', version: '1.3.0' }],
    };
    writeFileSync(join(dir, 'bom.json'), JSON.stringify(doc));
    const r = await run({ images: img.ref, sbom: join(dir, 'bom.json'), provenance: 'false', sign: 'false' });
    expect(errorLines(r)).toEqual([]);
    const stmt = statementOf(JSON.parse(readFileSync(r.outputs['sbom-bundle'] ?? '', 'utf8')));
    expect(stmt['predicateType']).toBe(CDX);
    expect(stmt['predicate']).toEqual(doc);
  });

  it('attests an SPDX file as https://spdx.dev/Document', async () => {
    const doc = {
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'app',
      dataLicense: 'CC0-1.0',
      documentNamespace: 'https://example.com/app',
      creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Tool: test'] },
      packages: [],
    };
    writeFileSync(join(dir, 'spdx.json'), JSON.stringify(doc));
    const r = await run({ images: img.ref, sbom: join(dir, 'spdx.json'), provenance: 'false', sign: 'false' });
    expect(errorLines(r)).toEqual([]);
    expect(statementOf(JSON.parse(readFileSync(r.outputs['sbom-bundle'] ?? '', 'utf8')))['predicateType']).toBe('https://spdx.dev/Document');
  });

  it('rejects JSON that is neither CycloneDX nor SPDX, naming the file', async () => {
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ hello: 'world' }));
    const r = await run({ images: img.ref, sbom: join(dir, 'other.json') });
    expect(r.code).toBe(1);
    expect(errorLines(r)).toHaveLength(1);
    expect(errorLines(r)[0]).toContain('other.json');
  });
});

describe('with a timestamp authority', () => {
  it('timestamps bundles over the signature and .att layers over the layer bytes, as cosign checks them', async () => {
    const { RFC3161Timestamp } = await import('@sigstore/core');
    const img = await lib.pushFixtureImage(stack, 'octo-org/tsa');
    const r = await run({ images: img.ref, sbom: 'false', 'tsa-url': stack.tsaURL });
    expect(errorLines(r)).toEqual([]);
    const bundle = JSON.parse(readFileSync(r.outputs['provenance-bundle'] ?? '', 'utf8'));
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    sigstoreVerify(trust, bundle, SAN, ISSUER);

    const imprint = (ann: Record<string, string> | undefined) => {
      const ts = JSON.parse(ann?.['dev.sigstore.cosign/rfc3161timestamp'] ?? '{}') as { SignedRFC3161Timestamp: string };
      return RFC3161Timestamp.parse(Buffer.from(ts.SignedRFC3161Timestamp, 'base64')).tstInfo.messageImprintHashedMessage.toString('hex');
    };
    const att = (await getManifest(img.name, tagFor(img.digest, '.att')))!.layers![0]!;
    expect(imprint(att.annotations)).toBe(sha256(await getBlob(img.name, att.digest)));
    const sig = (await getManifest(img.name, tagFor(img.digest, '.sig')))!.layers![0]!;
    expect(imprint(sig.annotations)).toBe(sha256(Buffer.from(sig.annotations?.['dev.cosignproject.cosign/signature'] ?? '', 'base64')));
  });
});
