import { describe, expect, it } from '@jest/globals';
import { COSIGN, type CosignLayer } from '../../../src/formats/cosign.js';
import { bundleArtifact } from '../../../src/formats/referrers.js';
import { MEDIA } from '../../../src/oci/client.js';
import { executePlan } from '../../../src/writes/execute.js';
import { planWrites, stepIds, type ImageWrites } from '../../../src/writes/plan.js';
import { FakeRegistry, fakeImage } from '../helpers/fake-registry.js';

const REPO = 'org/app';
const sigLayer = (payload: string): CosignLayer => ({ mediaType: COSIGN.simpleSigning, bytes: Buffer.from(payload), annotations: { [COSIGN.signature]: payload } });

function writes(reg: FakeRegistry, over: Partial<ImageWrites> = {}): ImageWrites {
  const img = fakeImage(reg, REPO);
  return {
    registry: reg.registry,
    repo: REPO,
    subject: { mediaType: img.mediaType, digest: img.digest, size: img.bytes.length },
    sig: [sigLayer('payload')],
    att: {
      layers: [
        { mediaType: COSIGN.dsseEnvelope, bytes: Buffer.from('envelope'), annotations: { predicateType: 'https://slsa.dev/provenance/v1', [COSIGN.signature]: '' } },
      ],
      replace: false,
    },
    referrers: { artifacts: [{ ...bundleArtifact({ b: 1 }, 'https://slsa.dev/provenance/v1'), id: 'prov' }], created: '2026-01-01T00:00:00Z', apiServed: false },
    ...over,
  };
}

const run = (reg: FakeRegistry, images: ImageWrites[]) => {
  const plan = planWrites(images);
  return executePlan(plan, async () => reg).then((results) => ({ plan, results }));
};

describe('executePlan', () => {
  it('writes every tag and referrer, each manifest after what it names (the fake refuses otherwise)', async () => {
    const reg = new FakeRegistry();
    const w = writes(reg);
    const { plan, results } = await run(reg, [w]);
    const digest = w.subject.digest;
    const tag = `sha256-${digest.slice(7)}`;
    expect(reg.tagged(REPO, `${tag}.sig`)?.layers?.map((l) => l.annotations?.[COSIGN.signature])).toEqual(['payload']);
    expect(reg.tagged(REPO, `${tag}.att`)?.layers).toHaveLength(1);
    expect(reg.tagged(REPO, tag)?.manifests?.map((d) => d.digest)).toEqual([plan.referrerManifests.get('prov')]);
    expect(results.get(stepIds.sig(REPO, digest))?.digest).toBe(reg.tags.get(`${REPO}:${tag}.sig`));
    expect(results.get(stepIds.fallback(REPO, digest))?.skipped).toBeUndefined();
  });

  it('costs no existence checks, one upload per blob, and one read to confirm each tag it wrote', async () => {
    const reg = new FakeRegistry();
    const w = writes(reg);
    reg.calls.length = 0;
    await run(reg, [w]);
    expect(reg.count('HEAD')).toBe(0);
    expect(reg.count('POST upload')).toBe(6); // .sig payload + config, envelope + config, empty config + bundle
    expect(reg.count('PUT manifest')).toBe(4); // .sig, .att, the referrer, the fallback index
    expect(reg.count('GET manifest')).toBe(6); // each tag: one read before writing, one after
    expect(reg.count('GET referrers')).toBe(0); // asked before signing, not here
  });

  it('a registry that serves the referrers API and processed the subject gets no fallback index', async () => {
    const reg = new FakeRegistry({ referrersAPI: true });
    const w = writes(reg, { sig: undefined, att: undefined });
    w.referrers = { ...w.referrers!, apiServed: true };
    const { results } = await run(reg, [w]);
    expect(results.get(stepIds.fallback(REPO, w.subject.digest))?.skipped).toBe(true);
    expect(reg.tags.size).toBe(0);
    expect((await reg.referrers(REPO, w.subject.digest))?.manifests).toHaveLength(1);
  });

  it('keeps what the tag already held', async () => {
    const reg = new FakeRegistry();
    await run(reg, [writes(reg, { att: undefined, referrers: undefined, sig: [sigLayer('first')] })]);
    const w = writes(reg, { att: undefined, referrers: undefined, sig: [sigLayer('second')] });
    await run(reg, [w]);
    expect(reg.tagged(REPO, `sha256-${w.subject.digest.slice(7)}.sig`)?.layers?.map((l) => l.annotations?.[COSIGN.signature])).toEqual(['first', 'second']);
  });

  it('a writer racing ours between our read and our write is merged back, not lost', async () => {
    const reg = new FakeRegistry();
    const w = writes(reg, { att: undefined, referrers: undefined });
    const tag = `sha256-${w.subject.digest.slice(7)}.sig`;
    let raced = false;
    reg.onTag = async (op, repo, t) => {
      // Our confirming read: just before it, another job's stale write (made
      // from a read before ours landed) replaces the tag with only its layer.
      if (op !== 'get' || raced || t !== tag || !reg.tags.has(`${repo}:${t}`)) return;
      raced = true;
      reg.onTag = undefined;
      const layer = await reg.putBlob(repo, Buffer.from('theirs'));
      const config = await reg.putBlob(repo, Buffer.from('{"theirs":1}'));
      const theirs = { mediaType: COSIGN.simpleSigning, digest: layer.digest, size: layer.size, annotations: { [COSIGN.signature]: 'theirs' } };
      const manifest = {
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: { mediaType: MEDIA.ociConfig, digest: config.digest, size: config.size },
        layers: [theirs],
      };
      await reg.putManifest(repo, t, Buffer.from(JSON.stringify(manifest)), MEDIA.ociManifest);
    };
    await run(reg, [w]);
    expect(raced).toBe(true);
    expect(
      reg
        .tagged(REPO, tag)
        ?.layers?.map((l) => l.annotations?.[COSIGN.signature])
        .sort(),
    ).toEqual(['payload', 'theirs']);
  });

  it('a tag that is not an index cannot serve as the fallback: one error naming the fix, nothing pointed at it', async () => {
    const reg = new FakeRegistry();
    const w = writes(reg, { sig: undefined, att: undefined });
    const tag = `sha256-${w.subject.digest.slice(7)}`;
    const cfg = await reg.putBlob(REPO, Buffer.from('{}'));
    const image = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config: { mediaType: MEDIA.ociConfig, digest: cfg.digest, size: cfg.size }, layers: [] };
    await reg.putManifest(REPO, tag, Buffer.from(JSON.stringify(image)), MEDIA.ociManifest);
    await expect(run(reg, [w])).rejects.toThrow(`${REPO}:${tag} exists but is not an OCI index`);
  });
});
