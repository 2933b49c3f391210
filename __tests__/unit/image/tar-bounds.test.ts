// Hostile layers with huge meta headers: refused as Go refuses them, in
// bounded memory. Each case runs in a child process (test/tools/tar-hostile.mjs)
// so its peak RSS is its own; the 1 GiB bodies are generated while streaming.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { ActionError } from '../../../src/errors.js';
import { generateImageSbom } from '../../../src/sbom/generate.js';
import { END, file, header, padded, pax } from '../helpers/tarbuild.js';

const LIMIT_MB = 350;

function hostile(kind: string, mib: number): { result: string; seconds: number; maxRssMB: number } {
  const out = execFileSync(
    process.execPath,
    ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', 'test/tools/tar-hostile.mjs', 'src/image/tar.ts', kind, String(mib)],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  const r = JSON.parse(out.trim()) as { result: string; seconds: number; maxRssMB: number };
  console.log(`tar bounds: ${kind} ${mib} MiB: ${r.result}, ${r.seconds} s, peak RSS ${r.maxRssMB} MB`);
  return r;
}

describe('huge meta headers', () => {
  for (const kind of ['pax', 'longname', 'longlink']) {
    it(`refuses a ${kind} header with a 1 GiB body (Go: header field too long) within ${LIMIT_MB} MB`, () => {
      const r = hostile(kind, 1024);
      expect(r.result).toBe('refused: archive/tar: header field too long');
      expect(r.maxRssMB).toBeLessThan(LIMIT_MB);
    });
  }

  it('streams a 1 GiB regular file within the same bound (the limit is for meta headers only)', () => {
    const r = hostile('plain', 1024);
    expect(r.result).toBe('read 2 entries');
    expect(r.maxRssMB).toBeLessThan(LIMIT_MB);
  }, 120_000);
});

describe('a layer Go cannot read', () => {
  const digest = `sha256:${'ab'.repeat(32)}`;
  const sbom = (layer: Buffer) =>
    generateImageSbom({
      name: 'registry.example/hostile',
      digest: `sha256:${'0'.repeat(64)}`,
      platform: 'linux/amd64',
      layers: [{ digest, mediaType: 'application/vnd.oci.image.layer.v1.tar', size: layer.length }],
      openBlob: async () => Readable.from([layer]),
      log: () => {},
      validate: 'never',
    });

  it('ends the SBOM step with one error naming the layer and Go’s reason', async () => {
    const bad = Buffer.concat([file('etc/os-release', 'ID=debian\n'), file('var/lib/dpkg/status', 'x', { checksum: 'bad' }), END]);
    const err = await sbom(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect((err as ActionError).code).toBe('SBOM');
    expect((err as Error).message).toContain(`layer ${digest} `);
    expect((err as Error).message).toContain('archive/tar: invalid tar header');
    expect((err as Error).message).not.toContain('\n');
  });

  it('refuses a pax header over 1 MiB before reading its body', async () => {
    const big = Buffer.concat([header({ name: 'PaxHeaders/x', flag: 'x', size: (1 << 20) + 1 }), padded(Buffer.alloc((1 << 20) + 1)), END]);
    await expect(sbom(big)).rejects.toThrow(`layer ${digest} is not a tar archive container runtimes can unpack (archive/tar: header field too long)`);
  });

  it('catalogues only what comes before the end-of-archive marker, as the runtime unpacks it', async () => {
    const apk = (name: string) => `C:Q1abc=\nP:${name}\nV:1.2.3-r0\nA:x86_64\nL:\nT:test\n\n`;
    const layer = Buffer.concat([
      file('etc/os-release', 'ID=alpine\nVERSION_ID=3.19.1\n'),
      file('lib/apk/db/installed', apk('musl')),
      END,
      file('lib/apk/db/installed', apk('musl') + apk('hidden-after-end')),
      END,
    ]);
    const { json } = await sbom(layer);
    expect(json).toContain('pkg:apk/alpine/musl@1.2.3-r0');
    expect(json).not.toContain('hidden-after-end');
  });

  it('catalogues a package hidden as the "data" of a directory header with a size, as the runtime installs it', async () => {
    const apk = `C:Q1abc=\nP:hidden-behind-dir\nV:6.6.6-r0\nA:x86_64\nL:\nT:test\n\n`;
    const db = file('lib/apk/db/installed', apk);
    const layer = Buffer.concat([file('etc/os-release', 'ID=alpine\nVERSION_ID=3.19.1\n'), header({ name: 'lib/', flag: '5', size: db.length }), db, END]);
    const { json } = await sbom(layer);
    expect(json).toContain('pkg:apk/alpine/hidden-behind-dir@6.6.6-r0');
  });

  it('does not expand a 1 PiB sparse hole in a wanted file past the capture limit', async () => {
    const hole = pax([
      ['GNU.sparse.major', '0'],
      ['GNU.sparse.minor', '1'],
      ['GNU.sparse.numblocks', '0'],
      ['GNU.sparse.map', ''],
      ['GNU.sparse.size', String(2 ** 50)],
    ]);
    const layer = Buffer.concat([file('etc/os-release', 'ID=debian\nVERSION_ID=12\n'), hole, file('var/lib/dpkg/status'), END]);
    const started = performance.now();
    const { json } = await sbom(layer);
    console.log(`tar bounds: 1 PiB sparse dpkg status: SBOM in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    expect(json).toContain('"name":"debian"');
  });
});
