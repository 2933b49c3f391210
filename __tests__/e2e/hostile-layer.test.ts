import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { registrySnapshot, rekorTreeSize } from '../../test/harness/checks.js';
import { errorLines, runAction } from '../../test/harness/run-action.js';
import { stackInputs } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';
import { END, file, header, padded } from '../unit/helpers/tarbuild.js';

// A pushed image with a layer that Go's archive/tar (containerd, moby) refuses:
// the action must stop in the SBOM step with one ::error:: naming the layer,
// exit 1, and write nothing to Rekor or the registry.

const stack = useStack({ name: 'hostile-layer-e2e' });

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

// An OCI layout whose one layer is `tar`, gzipped; pushed with skopeo. Returns the image and layer digests.
function pushImage(repo: string, tar: Buffer): { ref: string; layer: string } {
  const dir = join(stack.work, repo.replace(/\//g, '_'));
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  const put = (b: Buffer) => {
    const d = sha(b);
    writeFileSync(join(dir, 'blobs/sha256', d.slice(7)), b);
    return { digest: d, size: b.length };
  };
  const layer = put(gzipSync(tar));
  const config = put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha(tar)] } })));
  const manifest = put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    ),
  );
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }],
    }),
  );
  execFileSync('skopeo', ['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', `oci:${dir}:v1`, `docker://${stack.registry}/${repo}:v1`]);
  return { ref: `${stack.registry}/${repo}@${manifest.digest}`, layer: layer.digest };
}

const snapshot = (repo: string) => registrySnapshot(stack.stateDir, repo);
const treeSize = () => rekorTreeSize(stack.rekorURL);

describe('a layer the container runtime cannot unpack', () => {
  const cases: [string, Buffer, RegExp][] = [
    [
      'a header with a bad checksum',
      Buffer.concat([file('etc/os-release', 'ID=debian\n'), file('var/lib/dpkg/status', 'x', { checksum: 'bad' }), END]),
      /invalid tar header/,
    ],
    [
      'a pax header over 1 MiB',
      Buffer.concat([header({ name: 'PaxHeaders/x', flag: 'x', size: (1 << 20) + 1 }), padded(Buffer.alloc((1 << 20) + 1, 0x20)), END]),
      /header field too long/,
    ],
  ];
  for (const [what, tar, reason] of cases) {
    it(`${what}: exit 1, one error naming the layer, nothing signed or written`, async () => {
      const repo = `octo-org/hostile-${what.replace(/\W+/g, '-').toLowerCase()}`;
      const img = pushImage(repo, tar);
      const before = { log: await treeSize(), registry: snapshot(repo) };
      const r = await runAction({ inputs: { ...stackInputs(stack), images: img.ref, sbom: 'generate' }, env: stack.env });
      const lines = errorLines(r);
      if (r.code !== 1 || lines.length !== 1) console.log(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      else console.log(lines[0]);
      expect(r.code).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`layer ${img.layer} is not a tar archive container runtimes can unpack`);
      expect(lines[0]).toMatch(reason);
      expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/^\s+at /m);
      expect(await treeSize()).toBe(before.log);
      expect(snapshot(repo)).toEqual(before.registry);
    });
  }
});
