import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { ContentSink, ScanContext, ScanProblem } from '../../../src/image/contract.js';
import { LayeredFs, type FileWant } from '../../../src/image/filesystem.js';
import { walkLayers, type LayerSource } from '../../../src/image/scan.js';
import { tar, type TarSpec } from '../helpers/tar.js';

// The scan reads the next layer while the current one is applied
// (layer-walk.ts). Whatever it reads ahead, the result must be exactly what
// applying the layers one after another gives (LayeredFs.applyLayer).

const collectSink = (f: (bytes: Buffer) => Buffer | undefined): ContentSink => {
  const parts: Buffer[] = [];
  return { push: (c) => void parts.push(Buffer.from(c)), end: () => f(Buffer.concat(parts)) };
};

// Budget spent in layer order, as the Java cataloger's inflate budget is.
const BUDGET = 1000;
function wantsForTest(): FileWant[] {
  return [
    { name: 'json', match: (p) => p.endsWith('.json') },
    { name: 'distro', match: (p) => p === '/usr/lib/os-release' },
    // its result depends on the path it was given, and it warns
    {
      name: 'exe',
      match: (_p, e) => (e.mode & 0o111) !== 0,
      sink: (path, _e, scan) =>
        collectSink((b) => {
          if (b.length > 300) scan?.warn(path, 'big program');
          return Buffer.from(`${path}:${b.length}`);
        }),
    },
    {
      name: 'jar',
      ordered: true,
      match: (p) => p.endsWith('.jar'),
      sink: (path, _e, scan) =>
        collectSink((b) => {
          if (scan!.inflatedBytes + b.length > BUDGET) {
            scan!.warn(path, 'over the budget');
            return undefined;
          }
          scan!.inflatedBytes += b.length;
          return b;
        }),
    },
  ];
}

interface Outcome {
  files: Record<string, string>;
  warnings: ScanProblem[];
}

function outcome(fs: LayeredFs, warnings: ScanProblem[]): Outcome {
  const files: Record<string, string> = {};
  for (const c of fs.live()) {
    files[c.path] = `${c.layer} ` + [...c.contents].map(([w, b]) => `${w.name}=${b.toString()}`).join(' ');
  }
  return { files, warnings: [...warnings, ...fs.warnings] };
}

async function oneAfterAnother(layers: Buffer[]): Promise<Outcome> {
  const warnings: ScanProblem[] = [];
  let layer = '';
  const scan: ScanContext = { inflatedBytes: 0, warn: (path, message) => warnings.push({ path, layer, message }) };
  const fs = new LayeredFs(wantsForTest(), scan);
  for (const [i, archive] of layers.entries()) {
    layer = `sha256:l${i}`;
    await fs.applyLayer(
      i,
      layer,
      (async function* () {
        yield archive;
      })(),
    );
  }
  return outcome(fs, warnings);
}

// Gzipped and fed in small pieces, so inflating runs on the thread pool and
// both layers' reads interleave for real.
function source(i: number, archive: Buffer, opens?: number[], before?: Promise<void>): LayerSource {
  const gz = gzipSync(archive);
  return {
    digest: `sha256:l${i}`,
    open: async () => {
      if (opens) opens[i] = (opens[i] ?? 0) + 1;
      return Readable.from(
        (async function* () {
          for (let at = 0; at < gz.length; at += 97) {
            if (before && at >= gz.length / 2) await before;
            yield gz.subarray(at, at + 97);
          }
        })(),
        { objectMode: false },
      );
    },
  };
}

// Resolves once `count()` has been above zero and unchanged for 100 ms (a
// read that stopped on its own), whatever the machine's load; its value then.
function settled(count: () => number): Promise<number> {
  return new Promise((resolve) => {
    let last = -1;
    let still = 0;
    const timer = setInterval(() => {
      const now = count();
      still = now > 0 && now === last ? still + 1 : 0;
      last = now;
      if (still >= 5) {
        clearInterval(timer);
        resolve(now);
      }
    }, 20);
  });
}

// A small lower layer whose second half comes once `until` resolves.
const slowLower = (until: Promise<void>) =>
  source(
    0,
    tar([
      { path: 'etc/lower.json', body: '{}' },
      { path: 'pad', body: 'x'.repeat(4000) },
    ]),
    undefined,
    until,
  );

// A lower layer whose /lib is a symlink to usr/lib, as in merged-/usr Debian.
const MERGED_USR: TarSpec[] = [
  { path: 'usr/lib', type: 'dir' },
  { path: 'lib', type: 'symlink', link: 'usr/lib' },
  { path: 'pad', body: 'x'.repeat(3000) },
];

async function walked(layers: LayerSource[], aheadBytes?: number): Promise<Outcome> {
  const warnings: ScanProblem[] = [];
  const { fs } = await walkLayers(
    layers,
    wantsForTest(),
    (p) => warnings.push(p),
    async () => {},
    { aheadBytes },
  );
  return outcome(fs, warnings);
}

// A small random image: symlinked parents, whiteouts, opaque directories,
// hardlinks, programs, budgeted files, over a few shared names.
function randomLayers(seed: number): Buffer[] {
  let s = seed >>> 0 || 1;
  const rnd = (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
  const dirs = ['lib', 'usr/lib', 'etc', 'app', 'usr/lib/m', 'lib/m'];
  const names = ['package.json', 'os-release', 'tool', 'a.jar', 'b.json', 'run'];
  const layers: Buffer[] = [];
  const count = 2 + rnd(3);
  for (let l = 0; l < count; l++) {
    const entries: TarSpec[] = [];
    const files: string[] = [];
    for (let n = 0, max = 1 + rnd(12); n < max; n++) {
      const dir = dirs[rnd(dirs.length)]!;
      const name = names[rnd(names.length)]!;
      const path = `${dir}/${name}`;
      switch (rnd(9)) {
        case 0:
          entries.push({ path: rnd(2) ? 'lib' : 'app', type: 'symlink', link: rnd(2) ? 'usr/lib' : '/usr/lib' });
          break;
        case 1:
          entries.push({ path: `${dir}/.wh.${rnd(2) ? name : 'm'}` });
          break;
        case 2:
          entries.push({ path: `${dir}/.wh..wh..opq` });
          break;
        case 3:
          if (files.length > 0) entries.push({ path, type: 'hardlink', link: files[rnd(files.length)]! });
          break;
        case 4:
          entries.push({ path: dir, type: 'dir' });
          break;
        default: {
          const size = [0, 10, 400, 700][rnd(4)]!;
          entries.push({ path, body: `${l}:${path}:`.padEnd(size, 'x'), mode: rnd(3) === 0 ? 0o755 : 0o644 });
          files.push(path);
        }
      }
    }
    layers.push(tar(entries));
  }
  return layers;
}

describe('walkLayers reads the next layer ahead of its turn', () => {
  it('gives exactly what applying the layers one after another gives, over random images', async () => {
    const seed = Number(process.env.LAYER_WALK_SEED ?? Date.now() % 100_000);
    for (let i = 0; i < 150; i++) {
      const layers = randomLayers(seed + i);
      const expected = await oneAfterAnother(layers);
      // The lower layers wait halfway, so the upper ones are read ahead in the meantime.
      const slow = new Promise<void>((resolve) => setTimeout(resolve, 5));
      for (const cap of [undefined, 600]) {
        const got = await walked(
          layers.map((l, n) => source(n, l, undefined, n === 0 ? slow : undefined)),
          cap,
        );
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          const short = (o: Outcome) => JSON.stringify(o, (_k, v: unknown) => (typeof v === 'string' ? v.replace(/x{8,}/g, 'x…') : v), 1);
          throw new Error(`seed ${seed + i}, cap ${cap}:\ngot ${short(got)}\nexpected ${short(expected)}`);
        }
      }
    }
  });

  it('reads the next layer while this one is still arriving', async () => {
    let drained!: () => void;
    const upperRead = new Promise<void>((resolve) => (drained = resolve));
    const upper = tar([{ path: 'app/package.json', body: '{"name":"upper"}' }]);
    const upperSource = source(1, upper);
    const watched: LayerSource = {
      digest: upperSource.digest,
      open: async () => (await upperSource.open()).on('end', drained),
    };
    // The lower layer's second half comes only once the upper layer has been read whole.
    const lower = slowLower(upperRead);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the upper layer was not read before the lower one ended')), 3000).unref());
    const got = await Promise.race([walked([lower, watched]), timeout]);
    expect(Object.keys(got.files).sort()).toEqual(['/app/package.json', '/etc/lower.json']);
  });

  it('holds at most about aheadBytes of the layer ahead, and reads the rest in its turn', async () => {
    const cap = 16 * 1024;
    const many: TarSpec[] = Array.from({ length: 200 }, (_, n) => ({ path: `app/m${n}/package.json`, body: `{"n":${n}}`.padEnd(2000) }));
    const archive = tar(many); // uncompressed: bytes read are bytes parsed
    let pulled = 0;
    let pulledWhileBlocked = -1;
    const upper: LayerSource = {
      digest: 'sha256:l1',
      open: async () =>
        Readable.from(
          (async function* () {
            for (let at = 0; at < archive.length; at += 4096) {
              pulled += 4096;
              yield archive.subarray(at, at + 4096);
            }
          })(),
          { objectMode: false },
        ),
    };
    // The lower layer ends only once the read ahead has stopped by itself.
    const release = settled(() => pulled).then((n) => void (pulledWhileBlocked = n));
    const lower = slowLower(release);
    const got = await walked([lower, upper], cap);
    expect(Object.keys(got.files)).toHaveLength(201);
    expect(archive.length).toBeGreaterThan(400 * 1024);
    // the cap, one chunk past it, and what the stream buffers (16 KiB)
    expect(pulledWhileBlocked).toBeGreaterThan(cap);
    expect(pulledWhileBlocked).toBeLessThan(cap + 64 * 1024);
  });

  it('reads an entry again in its turn when a lower layer made its parent a symlink', async () => {
    const opens: number[] = [];
    // The lower layer ends only once the upper one has been read whole, ahead.
    let upperRead!: () => void;
    const lowerDone = new Promise<void>((resolve) => (upperRead = resolve));
    const lower = source(0, tar(MERGED_USR), opens, lowerDone);
    const upperSource = source(
      1,
      tar([
        { path: 'etc/first.json', body: '{"first":1}' },
        { path: 'lib/tool', body: 'ELF', mode: 0o755 },
        { path: 'lib/os-release', body: 'ID=debian' },
        { path: 'lib/x.json', body: '{}' },
      ]),
      opens,
    );
    const upper: LayerSource = {
      digest: upperSource.digest,
      open: async () => (await upperSource.open()).on('end', () => setTimeout(upperRead, 100)),
    };
    const got = await walked([lower, upper]);
    // Only found where they land: the distro file at /usr/lib, the program told its real path.
    expect(got.files).toEqual({
      '/etc/first.json': 'sha256:l1 json={"first":1}',
      '/usr/lib/os-release': 'sha256:l1 distro=ID=debian',
      '/usr/lib/tool': 'sha256:l1 exe=/usr/lib/tool:3',
      '/usr/lib/x.json': 'sha256:l1 json={}',
    });
    expect(opens).toEqual([1, 2]);
  });

  it('lets a read it stopped applying run to its end, so its digest check still covers what it applied', async () => {
    // A registry serving other bytes the first time: the entry before the
    // re-read point comes from that first read, whose stream fails its
    // digest check only at its end (as the registry client's streams do),
    // which it reaches only after the re-read point was found.
    const entries = (body: string): TarSpec[] => [
      { path: 'etc/app.json', body },
      { path: 'lib/os-release', body: 'ID=debian' },
      { path: 'pad', body: 'x'.repeat(3000) },
    ];
    const tampered = gzipSync(tar(entries('{"evil":1}')));
    const genuine = gzipSync(tar(entries('{"good":1}')));
    let lowerApplied!: () => void;
    const gate = new Promise<void>((resolve) => (lowerApplied = resolve));
    let firstPartTaken!: () => void;
    const taken = new Promise<void>((resolve) => (firstPartTaken = resolve));
    let opens = 0;
    const upper: LayerSource = {
      digest: 'sha256:l1',
      open: async () => {
        const first = ++opens === 1;
        const bytes = first ? tampered : genuine;
        return Readable.from(
          (async function* () {
            yield bytes.subarray(0, bytes.length - 20);
            if (first) firstPartTaken();
            if (first) await gate;
            yield bytes.subarray(bytes.length - 20);
            if (first) throw new Error('blob sha256:l1: digest mismatch');
          })(),
          { objectMode: false },
        );
      },
    };
    // The lower layer ends once the first read's entries are held, ahead.
    const slow = taken.then(() => new Promise<void>((resolve) => setTimeout(resolve, 100)));
    const lower = source(0, tar(MERGED_USR), undefined, slow);
    const scan = walkLayers(
      [lower, upper],
      wantsForTest(),
      () => {},
      async (l) => {
        // the first read of the upper layer ends only once its turn has begun
        if (l.index === 0) setTimeout(lowerApplied, 20);
      },
    );
    await expect(scan).rejects.toThrow(/digest mismatch/);
    expect(opens).toBe(1); // it failed before the layer was read again
  });

  it('runs ordered wants only in their turn, so a budget is spent in layer order', async () => {
    const opens: number[] = [];
    const slow = new Promise<void>((resolve) => setTimeout(resolve, 150).unref());
    const lower = source(
      0,
      tar([
        { path: 'pad', body: 'x'.repeat(3000) },
        { path: 'opt/low.jar', body: 'L'.repeat(600) },
      ]),
      opens,
      slow,
    );
    const upper = source(
      1,
      tar([
        { path: 'opt/high.jar', body: 'H'.repeat(600) },
        { path: 'opt/after.json', body: '{}' },
      ]),
      opens,
    );
    const got = await walked([lower, upper]);
    expect(Object.keys(got.files).sort()).toEqual(['/opt/after.json', '/opt/low.jar']);
    expect(got.warnings).toEqual([{ path: '/opt/high.jar', layer: 'sha256:l1', message: 'over the budget' }]);
    expect(opens).toEqual([1, 1]); // waited, not read again
  });

  it('reports a broken layer ahead in its turn, after the layers below it', async () => {
    const applied: string[] = [];
    const lower = source(0, tar([{ path: 'a.json', body: '{}' }]));
    const broken: LayerSource = { digest: 'sha256:l1', open: async () => Readable.from([Buffer.from('not a tar archive at all'.repeat(40))]) };
    await expect(
      walkLayers(
        [lower, broken],
        wantsForTest(),
        () => {},
        async (l) => void applied.push(l.digest),
      ),
    ).rejects.toThrow(/layer sha256:l1 is not a tar archive/);
    expect(applied).toEqual(['sha256:l0']);
  });

  it('closes the layer read ahead when the scan stops', async () => {
    const lower: LayerSource = { digest: 'sha256:l0', open: async () => Readable.from([Buffer.from('garbage'.repeat(100))]) };
    const endless = new Readable({ read() {} });
    const upper: LayerSource = { digest: 'sha256:l1', open: async () => endless };
    await expect(
      walkLayers(
        [lower, upper],
        wantsForTest(),
        () => {},
        async () => {},
      ),
    ).rejects.toThrow(/layer sha256:l0/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(endless.destroyed).toBe(true);
  });
});
