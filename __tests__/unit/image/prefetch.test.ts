import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import type { Cataloger } from '../../../src/catalogers/types.js';
import { readAhead } from '../../../src/image/prefetch.js';
import type { LayerSource } from '../../../src/image/scan.js';
import { scanImage } from '../../../src/sbom/catalog.js';
import { tar, type TarSpec } from '../helpers/tar.js';

// The next layer is opened and read ahead while the current one is parsed;
// layers still apply in order, and a failed scan leaves no stream open.

// One package per /pkg/* file, named by the file's content.
const files: Cataloger = {
  name: 'files',
  match: (p) => p.startsWith('/pkg/'),
  parse: (f) => ({
    packages: [
      {
        name: f.content.toString('utf8'),
        version: '1',
        type: 'npm',
        purl: `pkg:npm/${f.content.toString('utf8')}@1`,
        licenses: [],
        foundBy: 'files',
        path: f.path,
        layer: f.layer,
      },
    ],
    relationships: [],
  }),
};

const settle = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('layer read-ahead in scanImage', () => {
  it('opens the next layer while the current one is parsed, one ahead at most, and applies layers in order', async () => {
    const events: string[] = [];
    const layer = (i: number, entries: TarSpec[], openDelayMs = 0): LayerSource => ({
      digest: `sha256:l${i}`,
      open: async () => {
        events.push(`open ${i}`);
        await delay(openDelayMs);
        return Readable.from([tar(entries)]);
      },
    });
    const layers = [
      layer(0, [
        { path: 'pkg/a', body: 'a-from-0' },
        { path: 'pkg/b', body: 'b-from-0' },
      ]),
      // slow to open: its whiteout must still come after layer 0 and before layer 2
      layer(1, [{ path: 'pkg/.wh.a' }, { path: 'pkg/b', body: 'b-from-1' }], 30),
      layer(2, [{ path: 'pkg/a', body: 'a-from-2' }, { path: 'pkg/.wh.b' }, { path: 'pkg/c', body: 'c-from-2' }]),
      layer(3, [{ path: 'pkg/.wh..wh..opq' }, { path: 'pkg/d', body: 'd-from-3' }]),
    ];
    const r = await scanImage(layers, [files], (line) => events.push(line.split(' ').slice(0, 2).join(' ')));
    expect(r.packages.map((p) => `${p.name} ${p.layer}`)).toEqual(['d-from-3 sha256:l3']);
    expect(events).toEqual(['open 0', 'open 1', 'layer 1/4', 'open 2', 'layer 2/4', 'open 3', 'layer 3/4', 'layer 4/4']);

    const r3 = await scanImage(layers.slice(0, 3), [files]);
    expect(r3.packages.map((p) => `${p.name} ${p.layer}`).sort()).toEqual(['a-from-2 sha256:l2', 'c-from-2 sha256:l2']);
  });

  it('closes the layer read ahead when the current one fails mid-stream, and opens no further layer', async () => {
    const current = new Readable({ read() {} });
    current.push(tar([{ path: 'pkg/a', body: 'x'.repeat(4096) }]).subarray(0, 1024));
    const ahead = new Readable({ read() {} }); // a blob still arriving
    let openedLast = false;
    const layers: LayerSource[] = [
      { digest: 'sha256:l0', open: async () => current },
      { digest: 'sha256:l1', open: async () => ahead },
      { digest: 'sha256:l2', open: async () => ((openedLast = true), Readable.from([tar([])])) },
    ];
    const scanned = scanImage(layers, [files]);
    await settle();
    current.destroy(new Error('connection reset by peer'));
    await expect(scanned).rejects.toThrow('connection reset by peer');
    expect(ahead.destroyed).toBe(true);
    expect(openedLast).toBe(false);
  });

  it('closes a layer read ahead that opens only after the scan failed', async () => {
    let release: (s: Readable) => void = () => {};
    const late = new Promise<Readable>((r) => (release = r));
    const ahead = new Readable({ read() {} });
    const layers: LayerSource[] = [
      { digest: 'sha256:l0', open: async () => Readable.from([Buffer.alloc(512, 0x41)]) }, // not a tar
      { digest: 'sha256:l1', open: () => late },
    ];
    await expect(scanImage(layers, [files])).rejects.toThrow(/layer sha256:l0 is not a tar archive/);
    expect(ahead.destroyed).toBe(false);
    release(ahead);
    await settle();
    expect(ahead.destroyed).toBe(true);
  });

  it('reports a failed open of the layer read ahead only when the scan reaches it, after errors of earlier layers', async () => {
    const refused = async () => {
      throw new Error('blob unknown to registry');
    };
    const good = { digest: 'sha256:l0', open: async () => Readable.from([tar([{ path: 'pkg/a', body: 'a' }])]) };
    const bad = { digest: 'sha256:l0', open: async () => Readable.from([Buffer.alloc(512, 0x41)]) };
    await expect(scanImage([good, { digest: 'sha256:l1', open: refused }], [files])).rejects.toThrow('blob unknown to registry');
    await expect(scanImage([bad, { digest: 'sha256:l1', open: refused }], [files])).rejects.toThrow(/layer sha256:l0 is not a tar archive/);
  });
});

describe('readAhead', () => {
  it('reads ahead up to its cap, no further, and passes every byte on in order', async () => {
    const chunk = 64 * 1024;
    const total = 64;
    let pulled = 0;
    const source = new Readable({
      read() {
        if (pulled === total) return void this.push(null);
        this.push(Buffer.alloc(chunk, pulled));
        pulled++;
      },
    });
    const cap = 1024 * 1024;
    const ahead = readAhead(async () => source, cap);
    await settle(50);
    // the cap, the last chunk that crossed it and the source's own buffer (one chunk over its 16 KiB mark)
    expect(pulled * chunk).toBeGreaterThanOrEqual(cap);
    expect(pulled * chunk).toBeLessThanOrEqual(cap + 2 * chunk);
    const stream = await ahead.stream();
    const seen: number[] = [];
    let bytes = 0;
    for await (const c of stream as AsyncIterable<Buffer>) {
      bytes += c.length;
      for (let i = 0; i < c.length; i += chunk) seen.push(c[i]!);
    }
    expect(bytes).toBe(total * chunk);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
  });

  it('hands a source error to the reader, with the same error', async () => {
    const source = new Readable({ read() {} });
    const ahead = readAhead(async () => source);
    const stream = await ahead.stream();
    const err = new Error('digest mismatch');
    source.destroy(err);
    await settle();
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toBe(err);
  });
});
