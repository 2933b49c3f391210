import { describe, expect, it } from '@jest/globals';
import { MEDIA } from '../../../src/oci/client.js';
import { checkPushAccess, findTargets, isIndex, MAX_PLATFORMS, targetDir } from '../../../src/stages/targets.js';
import { FakeRegistry, fakeImage } from '../helpers/fake-registry.js';

const REPO = 'org/app';

describe('targets stage', () => {
  it('the same digest named twice is one target; a tag resolves to its digest', async () => {
    const reg = new FakeRegistry();
    const img = fakeImage(reg, REPO);
    reg.tags.set(`${REPO}:v1`, img.digest);
    const registries = async () => reg;
    const targets = await findTargets(
      [
        { registry: reg.registry, repository: REPO, digest: img.digest },
        { registry: reg.registry, repository: REPO, tag: 'v1' },
      ],
      registries,
    );
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ kind: 'image', name: `${reg.registry}/${REPO}`, digest: img.digest, ref: { digest: img.digest } });
  });

  it('an index is followed by its platform images, each its own target', async () => {
    const reg = new FakeRegistry();
    const amd = fakeImage(reg, REPO, Buffer.from('amd'));
    const arm = fakeImage(reg, REPO, Buffer.from('arm'));
    const index = reg.pushImage(REPO, {
      schemaVersion: 2,
      mediaType: MEDIA.ociIndex,
      manifests: [
        { mediaType: MEDIA.ociManifest, digest: amd.digest, size: amd.bytes.length, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: MEDIA.ociManifest, digest: arm.digest, size: arm.bytes.length, platform: { os: 'linux', architecture: 'arm64' } },
      ],
    });
    const targets = await findTargets([{ registry: reg.registry, repository: REPO, digest: index.digest }], async () => reg);
    expect(targets.map((t) => [t.digest, t.platform])).toEqual([
      [index.digest, undefined],
      [amd.digest, 'linux/amd64'],
      [arm.digest, 'linux/arm64'],
    ]);
    expect(isIndex(targets[0]!)).toBe(true);
    expect(MAX_PLATFORMS).toBe(64);
  });

  it('probes each repository once, and a refusal stops the run', async () => {
    const reg = new FakeRegistry();
    const img = fakeImage(reg, REPO);
    const targets = await findTargets([{ registry: reg.registry, repository: REPO, digest: img.digest }], async () => reg);
    await checkPushAccess([...targets, { ...targets[0]!, platform: 'linux/amd64' }], async () => reg);
    expect(reg.count('POST probe')).toBe(1);
    const refusing = new FakeRegistry({ refusePush: true });
    await expect(checkPushAccess(targets, async () => refusing)).rejects.toThrow('refuses pushes');
  });

  it('files go under a folder named after the subject', () => {
    expect(targetDir('/out', { kind: 'file', name: 'dist/app v1.tgz', digest: `sha256:${'0'.repeat(64)}` })).toBe(`/out/dist_app_v1.tgz@sha256-${'0'.repeat(64)}`);
  });
});
