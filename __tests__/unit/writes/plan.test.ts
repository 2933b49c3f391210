import { describe, expect, it } from '@jest/globals';
import { COSIGN, cosignConfig, layerKey, type CosignLayer } from '../../../src/formats/cosign.js';
import { EMPTY_CONFIG, bundleArtifact } from '../../../src/formats/referrers.js';
import { MEDIA, sha256Digest, type Descriptor } from '../../../src/oci/client.js';
import { planWrites, stepIds, type ImageWrites, type MergeStep, type WriteStep } from '../../../src/writes/plan.js';

const subject = (s: string) => ({ mediaType: MEDIA.ociManifest, digest: sha256Digest(s), size: 100 });
const sigLayer = (payload: string): CosignLayer => ({ mediaType: COSIGN.simpleSigning, bytes: Buffer.from(payload), annotations: { [COSIGN.signature]: 'c2ln' } });
const attLayer = (envelope: string, predicateType: string): CosignLayer => ({
  mediaType: COSIGN.dsseEnvelope,
  bytes: Buffer.from(envelope),
  annotations: { predicateType, [COSIGN.signature]: '' },
});
const artifact = (id: string, type = 'https://slsa.dev/provenance/v1') => ({ ...bundleArtifact({ id }, type), id });

function image(over: Partial<ImageWrites> = {}): ImageWrites {
  return {
    registry: 'r.test',
    repo: 'org/app',
    subject: subject('app'),
    sig: [sigLayer('payload')],
    att: { layers: [attLayer('env-prov', 'https://slsa.dev/provenance/v1'), attLayer('env-sbom', 'https://cyclonedx.org/bom')], replace: false },
    referrers: {
      artifacts: [artifact('sig', 'https://sigstore.dev/cosign/sign/v1'), artifact('prov'), artifact('sbom', 'https://cyclonedx.org/bom')],
      created: '2026-01-01T00:00:00Z',
      apiServed: false,
    },
    ...over,
  };
}

const byKind = (steps: WriteStep[], kind: WriteStep['kind']) => steps.filter((s) => s.kind === kind);

describe('planWrites', () => {
  it('the default run: every blob once, manifests after their blobs, tags after what they name', () => {
    const plan = planWrites([image()]);
    const ids = new Set(plan.steps.map((s) => s.id));
    // .sig payload + config, two envelopes + config, empty config + three bundles
    expect(byKind(plan.steps, 'blob')).toHaveLength(9);
    expect(byKind(plan.steps, 'manifest')).toHaveLength(3);
    expect(byKind(plan.steps, 'merge').map((s) => (s as MergeStep).tag)).toEqual([
      `sha256-${subject('app').digest.slice(7)}.sig`,
      `sha256-${subject('app').digest.slice(7)}.att`,
      `sha256-${subject('app').digest.slice(7)}`,
    ]);
    for (const s of plan.steps) for (const dep of 'after' in s ? s.after : []) expect(ids.has(dep)).toBe(true);
    const fallback = plan.steps.find((s) => s.id === stepIds.fallback('org/app', subject('app').digest)) as MergeStep;
    expect(fallback.after).toEqual(byKind(plan.steps, 'manifest').map((s) => s.id));
    expect(fallback.unlessSubjectAware).toBeUndefined(); // no referrers API: the index is always written
    expect(fallback.ours.map((d) => d.digest).sort()).toEqual([...plan.referrerManifests.values()].sort());
  });

  it('a registry that served the referrers API gets the index only if it ignores a subject', () => {
    const plan = planWrites([image({ referrers: { artifacts: [artifact('prov')], created: 'x', apiServed: true } })]);
    const fallback = plan.steps.find((s) => s.id === stepIds.fallback('org/app', subject('app').digest)) as MergeStep;
    expect(fallback.unlessSubjectAware).toEqual(fallback.after);
  });

  it('the referrer manifest names the bundle blob, the empty config and the image, and is keyed by the artifact id', () => {
    const plan = planWrites([
      image({ sig: undefined, att: undefined, referrers: { artifacts: [artifact('prov')], created: '2026-01-01T00:00:00Z', apiServed: false } }),
    ]);
    const [manifest] = byKind(plan.steps, 'manifest');
    if (manifest?.kind !== 'manifest') throw new Error('no manifest step');
    expect(plan.referrerManifests.get('prov')).toBe(manifest.digest);
    const m = JSON.parse(manifest.bytes.toString('utf8')) as { config: Descriptor; layers: Descriptor[]; subject: Descriptor; annotations: Record<string, string> };
    expect(m.config.digest).toBe(sha256Digest(EMPTY_CONFIG));
    expect(m.subject).toEqual(subject('app'));
    expect(m.annotations['org.opencontainers.image.created']).toBe('2026-01-01T00:00:00Z');
    expect(manifest.after).toEqual([`blob r.test/org/app@${sha256Digest(EMPTY_CONFIG)}`, `blob r.test/org/app@${m.layers[0]!.digest}`]);
  });

  it('the cosign config uploaded with the blobs is the one the merge will need: what the tag held plus ours', () => {
    const existing: Descriptor[] = [{ mediaType: COSIGN.simpleSigning, digest: sha256Digest('older'), size: 5, annotations: { [COSIGN.signature]: 'b2xk' } }];
    const plan = planWrites([image({ att: undefined, referrers: undefined, existing: { sig: existing } })]);
    const merge = plan.steps.find((s) => s.kind === 'merge') as MergeStep;
    const expected = cosignConfig([...existing, ...merge.ours]);
    expect(merge.after).toContain(`blob r.test/org/app@${sha256Digest(expected)}`);
  });

  it('with replace, the expected .att config leaves out older layers of the same predicate types', () => {
    const old: Descriptor = {
      mediaType: COSIGN.dsseEnvelope,
      digest: sha256Digest('old'),
      size: 3,
      annotations: { predicateType: 'https://slsa.dev/provenance/v1', [COSIGN.signature]: '' },
    };
    const other: Descriptor = {
      mediaType: COSIGN.dsseEnvelope,
      digest: sha256Digest('vex'),
      size: 3,
      annotations: { predicateType: 'https://openvex.dev/ns', [COSIGN.signature]: '' },
    };
    const writes = image({
      sig: undefined,
      referrers: undefined,
      att: { layers: [attLayer('new', 'https://slsa.dev/provenance/v1')], replace: true },
      existing: { att: [old, other] },
    });
    const merge = planWrites([writes]).steps.find((s) => s.kind === 'merge') as MergeStep;
    expect(merge.replaceTypes).toEqual(['https://slsa.dev/provenance/v1']);
    expect(merge.after).toContain(`blob r.test/org/app@${sha256Digest(cosignConfig([other, ...merge.ours]))}`);
    expect(merge.ours.map(layerKey)).not.toContain(layerKey(old));
  });

  it('two images in one repository share the empty config blob; in two repositories they do not', () => {
    const a = image({ sig: undefined, att: undefined });
    const b = image({ subject: subject('other'), sig: undefined, att: undefined, referrers: { artifacts: [artifact('b-prov')], created: 'x', apiServed: false } });
    const emptyConfigs = (plan: ReturnType<typeof planWrites>) => byKind(plan.steps, 'blob').filter((s) => s.kind === 'blob' && s.digest === sha256Digest(EMPTY_CONFIG));
    expect(emptyConfigs(planWrites([a, b]))).toHaveLength(1);
    expect(emptyConfigs(planWrites([a, { ...b, repo: 'org/other' }]))).toHaveLength(2);
  });

  it('nothing to attach, nothing planned', () => {
    expect(planWrites([image({ sig: undefined, att: undefined, referrers: undefined })]).steps).toEqual([]);
  });
});
