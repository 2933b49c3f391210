import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import type { Cataloger } from '../../../src/catalogers/types.js';
import { decompressLayer, sniffCompression } from '../../../src/image/decompress.js';
import { LayeredFs, normalizePath, type FileWant } from '../../../src/image/filesystem.js';
import { readTar, type TarEntry } from '../../../src/image/tar.js';
import { tar, type TarSpec } from '../helpers/tar.js';

async function walk(archive: Buffer, chunkSize = archive.length): Promise<{ entries: TarEntry[]; bodies: Map<string, string> }> {
  const entries: TarEntry[] = [];
  const bodies = new Map<string, string>();
  const chunks = (function* () {
    for (let i = 0; i < archive.length; i += chunkSize) yield archive.subarray(i, i + chunkSize);
  })();
  await readTar(Readable.from(chunks, { objectMode: true }), (e) => {
    entries.push(e);
    const parts: Buffer[] = [];
    return { push: (c) => void parts.push(Buffer.from(c)), end: () => void bodies.set(e.path, Buffer.concat(parts).toString()) };
  });
  return { entries, bodies };
}

const longPath = `app/${'node_modules/very-long-package-name/'.repeat(6)}package.json`;

describe('readTar', () => {
  it('reads pax, GNU and ustar-prefix long names, links and bodies', async () => {
    const archive = tar([
      { path: 'etc/', type: 'dir' },
      { path: 'etc/hello', body: 'hi' },
      { path: longPath, body: '{}', longName: 'pax' },
      { path: `gnu/${longPath}`, body: 'g', longName: 'gnu' },
      { path: `pre/${'x'.repeat(60)}/${'y'.repeat(60)}/file.txt`, body: 'p', longName: 'prefix' },
      { path: 'lib', type: 'symlink', link: 'usr/lib' },
      { path: 'etc/hard', type: 'hardlink', link: 'etc/hello' },
    ]);
    const { entries, bodies } = await walk(archive);
    expect(entries.map((e) => [e.path, e.type])).toEqual([
      ['etc/', 'dir'],
      ['etc/hello', 'file'],
      [longPath, 'file'],
      [`gnu/${longPath}`, 'file'],
      [`pre/${'x'.repeat(60)}/${'y'.repeat(60)}/file.txt`, 'file'],
      ['lib', 'symlink'],
      ['etc/hard', 'hardlink'],
    ]);
    expect(entries[5]!.linkname).toBe('usr/lib');
    expect(bodies.get(longPath)).toBe('{}');
    expect(bodies.get('etc/hello')).toBe('hi');
  });

  it('gives the same result whatever the chunk boundaries', async () => {
    const archive = tar([
      { path: longPath, body: 'x'.repeat(700), longName: 'pax' },
      { path: `gnu/${longPath}`, body: 'y'.repeat(513), longName: 'gnu' },
      { path: 'z', body: '' },
    ]);
    const whole = await walk(archive);
    for (const size of [1, 7, 511, 512, 513, 1000]) expect(await walk(archive, size)).toEqual(whole);
  });
});

describe('decompressLayer', () => {
  const archive = tar([{ path: 'a', body: 'b' }]);
  it.each([
    ['gzip', gzipSync(archive)],
    ['zstd', zstdCompressSync(archive)],
    ['none', archive],
  ] as const)('sniffs %s from the bytes, not the media type', async (kind, blob) => {
    expect(sniffCompression(blob)).toBe(kind);
    // split the input so the sniffing has to stitch small first chunks
    const layer = await decompressLayer(Readable.from([blob.subarray(0, 1), blob.subarray(1)]), 'test');
    const out: Buffer[] = [];
    for await (const c of layer.chunks) out.push(c);
    expect(Buffer.concat(out)).toEqual(archive);
    expect(layer.compressedBytes()).toBe(blob.length);
  });
});

const want = (name: string, re: RegExp): FileWant => ({ name, match: (p) => re.test(p) });

async function apply(fs: LayeredFs, layers: TarSpec[][]): Promise<void> {
  for (const [i, entries] of layers.entries()) {
    const archive = tar(entries);
    await fs.applyLayer(
      i,
      `sha256:l${i}`,
      (async function* () {
        yield archive;
      })(),
    );
  }
}

function visible(fs: LayeredFs): Record<string, string> {
  return Object.fromEntries([...fs.live()].map((c) => [c.path, c.layer]));
}

describe('LayeredFs', () => {
  const json = want('json', /\.json$/);

  it('applies whiteouts to files and whole directories from lower layers', async () => {
    const fs = new LayeredFs([json]);
    await apply(fs, [
      [{ path: 'a/x.json' }, { path: 'b/c/y.json' }, { path: 'b/z.json' }],
      [{ path: 'a/.wh.x.json' }, { path: 'b/.wh.c' }],
    ]);
    expect(visible(fs)).toEqual({ '/b/z.json': 'sha256:l0' });
  });

  it('hides lower children of an opaque directory but keeps the same layer', async () => {
    const fs = new LayeredFs([json]);
    await apply(fs, [
      [{ path: 'd/old.json' }, { path: 'd/sub/old2.json' }, { path: 'e/keep.json' }],
      [{ path: 'd/new.json' }, { path: 'd/.wh..wh..opq' }],
    ]);
    expect(visible(fs)).toEqual({ '/d/new.json': 'sha256:l1', '/e/keep.json': 'sha256:l0' });
  });

  it('lets a later layer replace a file, and a file replace a directory', async () => {
    const fs = new LayeredFs([json]);
    await apply(fs, [
      [{ path: 'p.json', body: '1' }, { path: 'dir', type: 'dir' }, { path: 'dir/q.json' }],
      [
        { path: 'p.json', body: '2' },
        { path: 'dir', body: 'now a file' },
      ],
    ]);
    expect(visible(fs)).toEqual({ '/p.json': 'sha256:l1' });
    expect(fs.read('/p.json', json)?.toString()).toBe('2');
  });

  it('extracts below symlinked parents and follows symlinks on lookup', async () => {
    const fs = new LayeredFs([json]);
    await apply(fs, [
      [
        { path: 'usr/lib', type: 'dir' },
        { path: 'lib', type: 'symlink', link: 'usr/lib' },
        { path: 'etc/x.json', type: 'symlink', link: '../usr/lib/x.json' },
      ],
      [{ path: 'lib/x.json', body: 'via link' }],
    ]);
    expect(visible(fs)).toEqual({ '/usr/lib/x.json': 'sha256:l1' });
    expect(fs.read('/etc/x.json', json)?.toString()).toBe('via link');
    expect(fs.resolve('/etc/x.json')).toBe('/usr/lib/x.json');
    // .. after a symlinked directory climbs from its target, as the kernel does
    expect(fs.resolve('/lib/../etc')).toBe('/usr/etc');
  });

  it('places each entry by the symlinks as they are at that entry, however many share its directory', async () => {
    const fs = new LayeredFs([json]);
    await apply(fs, [
      [{ path: 'usr/lib', type: 'dir' }, { path: 'etc/x', type: 'symlink', link: 'y' }, { path: 'lib/one/a.json' }, { path: 'lib/one/a2.json' }],
      // lib becomes a link after entries below it were placed: the next ones follow it
      [{ path: 'lib/one/skip.txt' }, { path: 'lib', type: 'symlink', link: 'usr/lib' }, { path: 'lib/one/b.json' }],
      // and a directory again: they no longer do
      [{ path: 'lib/one/skip.txt' }, { path: 'lib', type: 'dir' }, { path: 'lib/one/c.json' }],
      // a link that is the parent, then removed by a whiteout
      [{ path: 'lib/two', type: 'symlink', link: '/srv' }, { path: 'lib/two/d.json' }],
      [{ path: 'lib/two/x.txt' }, { path: 'lib/.wh.two' }, { path: 'lib/two/e.json' }],
    ]);
    expect(visible(fs)).toEqual({
      '/usr/lib/one/b.json': 'sha256:l1',
      '/lib/one/c.json': 'sha256:l2',
      '/srv/d.json': 'sha256:l3',
      '/lib/two/e.json': 'sha256:l4',
    });
  });

  it('follows hardlinks to files kept from a lower layer, and warns when it cannot', async () => {
    const fs = new LayeredFs([json]);
    await apply(fs, [
      [
        { path: 'a/p.json', body: 'content' },
        { path: 'a/not-kept.txt', body: 'x' },
      ],
      [
        { path: 'b/p.json', type: 'hardlink', link: 'a/p.json' },
        { path: 'b/q.json', type: 'hardlink', link: 'a/not-kept.txt' },
      ],
    ]);
    expect(fs.read('/b/p.json', json)?.toString()).toBe('content');
    expect(fs.warnings).toEqual([{ path: '/b/q.json', layer: 'sha256:l1', message: expect.stringContaining('hardlink to /a/not-kept.txt') }]);
  });

  it('gives each want its own sink', async () => {
    const upper: Cataloger = {
      name: 'upper',
      match: (p) => p.endsWith('.txt'),
      sink: () => {
        const parts: Buffer[] = [];
        return { push: (c) => parts.push(Buffer.from(c)), end: () => Buffer.from(Buffer.concat(parts).toString().toUpperCase()) };
      },
      parse: () => ({ packages: [], relationships: [] }),
    };
    const raw = want('raw', /\.txt$/);
    const fs = new LayeredFs([upper, raw]);
    await apply(fs, [[{ path: 'f.txt', body: 'abc' }]]);
    expect(fs.read('/f.txt', upper)?.toString()).toBe('ABC');
    expect(fs.read('/f.txt', raw)?.toString()).toBe('abc');
  });

  it('normalizes tar paths', () => {
    expect(normalizePath('./etc/../usr//lib/')).toBe('/usr/lib');
    expect(normalizePath('/')).toBe('/');
  });
});
