import { describe, expect, it } from '@jest/globals';
import { fallbackIndex } from '../../../src/formats/referrers.js';
import { MEDIA, type Descriptor } from '../../../src/oci/client.js';
import { mergeUntilStable, type MergeSpec } from '../../../src/writes/merge.js';
import { FakeRegistry, fakeImage } from '../helpers/fake-registry.js';

const REPO = 'org/app';
const TAG = 'sha256-' + 'a'.repeat(64);

function spec(reg: FakeRegistry, ours: Descriptor[]): MergeSpec {
  return {
    entries: (m) => m.manifests ?? [],
    key: (d) => d.digest,
    ours,
    expectIndex: true,
    write: async (merged) => {
      await reg.putManifest(REPO, TAG, fallbackIndex(merged), MEDIA.ociIndex);
      return 1;
    },
  };
}

describe('mergeUntilStable', () => {
  it('after writing, one read a moment later confirms it', async () => {
    const reg = new FakeRegistry();
    const img = fakeImage(reg, REPO);
    const ours = { mediaType: MEDIA.ociManifest, digest: img.digest, size: img.bytes.length };
    await mergeUntilStable(reg, REPO, TAG, spec(reg, [ours]));
    expect(reg.calls.filter((c) => c.includes(TAG))).toEqual([`GET manifest ${REPO}:${TAG}`, `PUT manifest ${REPO}:${TAG}`, `GET manifest ${REPO}:${TAG}`]);
  });

  it('found complete without our writing it: two reads a moment apart, no write', async () => {
    const reg = new FakeRegistry();
    const img = fakeImage(reg, REPO);
    const ours = { mediaType: MEDIA.ociManifest, digest: img.digest, size: img.bytes.length };
    await reg.putManifest(REPO, TAG, fallbackIndex([ours]), MEDIA.ociIndex);
    reg.calls.length = 0;
    const started = Date.now();
    await mergeUntilStable(reg, REPO, TAG, spec(reg, [ours]));
    expect(reg.calls).toEqual([`GET manifest ${REPO}:${TAG}`, `GET manifest ${REPO}:${TAG}`]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140); // the moment: at least SETTLE_MS
  });

  it('a first read that waited long for what the document names is read again before writing', async () => {
    const reg = new FakeRegistry();
    const img = fakeImage(reg, REPO);
    const ours = { mediaType: MEDIA.ociManifest, digest: img.digest, size: img.bytes.length };
    const ready = new Promise((r) => setTimeout(r, 300));
    await mergeUntilStable(reg, REPO, TAG, { ...spec(reg, [ours]), ready });
    expect(reg.calls.filter((c) => c.includes(TAG))).toEqual([
      `GET manifest ${REPO}:${TAG}`,
      `GET manifest ${REPO}:${TAG}`,
      `PUT manifest ${REPO}:${TAG}`,
      `GET manifest ${REPO}:${TAG}`,
    ]);
  });
});
