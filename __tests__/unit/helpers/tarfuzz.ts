// Archive generator and mutator for the tar fuzz test (seeded, deterministic).
import { BLOCK, checksum, END, gnuLong, header, numeric, padded, pax, sparseExtension, type Hdr } from './tarbuild.js';

// mulberry32: small, fast and the same everywhere.
export function rng(seed: number) {
  let a = seed >>> 0;
  const u32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = () => u32() / 4294967296;
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => next() < p;
  const bytes = (n: number) => {
    const b = Buffer.allocUnsafe(n + 3);
    for (let i = 0; i < n; i += 4) b.writeUInt32LE(u32(), i);
    return b.subarray(0, n);
  };
  return { next, int, pick, chance, bytes };
}
type Rng = ReturnType<typeof rng>;

const NAMES = ['a', 'etc/os-release', 'var/lib/dpkg/status', 'usr/', 'dir/', 'x/.wh.y', '.wh..wh..opq', './app/package.json', '/abs', '../up', 'caf\u00e9'];

function name(r: Rng): string | Buffer {
  switch (r.int(6)) {
    case 0:
      return `${'long/'.repeat(20 + r.int(20))}${r.pick(NAMES)}`;
    case 1:
      return Buffer.concat([Buffer.from('raw'), r.bytes(1 + r.int(3))]);
    case 2:
      return '';
    default:
      return r.pick(NAMES);
  }
}

function data(r: Rng, n: number): Buffer {
  return r.chance(0.5) ? Buffer.alloc(n, 0x41 + r.int(26)) : r.bytes(n);
}

function num(r: Rng): string {
  return r.pick(['0', '1', '512', '1024', '3', '-1', '+5', 'x', '', '99999999999999999999', String(r.int(4096))]);
}

function paxRecords(r: Rng): [string, string | Buffer][] {
  const out: [string, string | Buffer][] = [];
  for (let i = r.int(4); i >= 0; i--) {
    const k = r.pick([
      'path',
      'linkpath',
      'size',
      'mtime',
      'uid',
      'gid',
      'uname',
      'comment',
      'SCHILY.xattr.a',
      'GNU.sparse.name',
      'GNU.sparse.size',
      'GNU.sparse.realsize',
      'GNU.sparse.major',
      'GNU.sparse.minor',
    ]);
    let v: string | Buffer;
    if (k === 'path' || k === 'linkpath' || k === 'GNU.sparse.name' || k === 'uname') v = r.chance(0.1) ? 'a\0b' : name(r);
    else if (k === 'mtime') v = r.pick(['1', '1.5', '.5', '-1.25', '1.x', '']);
    else if (k === 'GNU.sparse.major' || k === 'GNU.sparse.minor') v = r.pick(['0', '1', '2', '']);
    else v = num(r);
    out.push([k, v]);
  }
  return out;
}

function hdr(r: Rng, h: Hdr): Hdr {
  return {
    format: r.pick(['ustar', 'ustar', 'gnu', 'gnu', 'v7', 'star'] as const),
    prefix: r.chance(0.1) ? 'pre' : undefined,
    checksum: r.chance(0.05) ? 'signed' : undefined,
    mode: r.chance(0.05) ? -1 : undefined,
    ...h,
  };
}

// One piece of an archive: an entry, a meta header, or something between entries.
function piece(r: Rng): Buffer {
  switch (r.int(14)) {
    case 0:
    case 1:
    case 2: {
      const d = data(r, r.pick([0, 1, 100, 511, 512, 513, 1500]));
      return Buffer.concat([header(hdr(r, { name: name(r), flag: r.pick(['0', '0', '7', 0, 'A']), size: d.length })), padded(d)]);
    }
    case 3: {
      // header-only type; its "data" may be another header
      const flag = r.pick(['1', '2', '3', '4', '5', '6', 0]);
      const inner = r.chance(0.5) ? Buffer.concat([header({ name: 'inner', size: 3 }), padded('abc')]) : Buffer.alloc(0);
      return Buffer.concat([header(hdr(r, { name: flag === 0 ? 'olddir/' : name(r), flag, size: r.chance(0.7) ? inner.length : r.int(2000), link: name(r) })), inner]);
    }
    case 4:
      return pax(paxRecords(r), r.chance(0.8) ? 'x' : 'g');
    case 5:
      return gnuLong(r.chance(0.2) ? '' : name(r), r.pick(['L', 'K'] as const));
    case 6: {
      // old GNU sparse, maybe with extension blocks
      const n = r.pick([0, 1, 3, 4, 5, 25, 30]);
      const frags: [number, number][] = Array.from({ length: n }, (_, i) => [i * 1024 + (r.chance(0.1) ? 1 : 0), 512]);
      const physical = n * 512 + (r.chance(0.2) ? 512 : 0) - (r.chance(0.1) && n > 0 ? 512 : 0);
      const parts = [
        header({
          name: name(r),
          flag: 'S',
          format: r.chance(0.9) ? 'gnu' : 'ustar',
          size: physical,
          realSize: n * 1024 + r.pick([0, 0, 7, -2000]),
          sparse: frags.slice(0, 4),
          extended: n > 4,
        }),
      ];
      for (let i = 4; i < n; i += 21) parts.push(sparseExtension(frags.slice(i, i + 21), i + 21 < n));
      parts.push(data(r, Math.max(physical, 0)));
      return Buffer.concat(parts);
    }
    case 7: {
      // pax sparse 0.0 / 0.1 / 1.0
      const n = r.int(4);
      const frags = Array.from({ length: n }, (_, i) => [i * 2048, 512 + (r.chance(0.1) ? 1 : 0)] as const);
      const size = String(n * 2048 + r.pick([0, 0, 100, -5000]));
      const v = r.int(3);
      let body = data(r, n * 512 + (r.chance(0.2) ? 512 : 0));
      const recs: [string, string][] = [['GNU.sparse.size', size]];
      if (v === 0) {
        recs.push(['GNU.sparse.numblocks', String(n + (r.chance(0.1) ? 1 : 0))]);
        for (const [o, l] of frags) recs.push(['GNU.sparse.offset', String(o)], ['GNU.sparse.numbytes', String(l)]);
      } else if (v === 1) {
        recs.push(['GNU.sparse.major', '0'], ['GNU.sparse.minor', '1'], ['GNU.sparse.numblocks', String(n)], ['GNU.sparse.map', frags.flat().join(',')]);
      } else {
        recs.push(['GNU.sparse.major', '1'], ['GNU.sparse.minor', '0'], ['GNU.sparse.realsize', size]);
        const map = `${n}\n${frags.flat().join('\n')}\n`;
        body = Buffer.concat([r.chance(0.1) ? Buffer.from(map) : padded(map), body]);
      }
      if (r.chance(0.5)) recs.push(['GNU.sparse.name', 'sparse/real']);
      return Buffer.concat([pax(recs), header(hdr(r, { name: 'GNUSparseFile.0/x', size: body.length })), padded(body)]);
    }
    case 8:
      return Buffer.alloc(BLOCK * r.pick([1, 1, 2]));
    case 9:
      return r.chance(0.3) ? r.bytes(BLOCK) : Buffer.concat([header(hdr(r, { name: name(r), size: 0 })), pax([['path', name(r)]])]);
    case 10: {
      // base-256 or odd octal fields
      const h = header(hdr(r, { name: name(r), size: 2 }));
      const at = r.pick([100, 108, 116, 124, 136, 329, 337]);
      const len = at === 124 || at === 136 ? 12 : 8;
      if (r.chance(0.5)) numeric(h, at, len, r.pick([2n, -1n, 1n << 40n, (1n << 62n) + 5n]));
      else h.write(r.pick(['  2  ', '2 3', '\x002', '8', '0000000000002', '']), at, 'latin1');
      return Buffer.concat([checksum(h), padded('hi')]);
    }
    case 11:
      return END;
    default: {
      const d = data(r, r.int(40));
      return Buffer.concat([header(hdr(r, { name: name(r), size: d.length })), padded(d)]);
    }
  }
}

function mutate(r: Rng, a: Buffer): Buffer {
  let b = Buffer.from(a);
  for (let m = r.int(4); m > 0 && b.length > 0; m--) {
    const blocks = Math.ceil(b.length / BLOCK);
    const blk = r.int(blocks) * BLOCK;
    switch (r.int(7)) {
      case 0: {
        // a byte in a header field, checksum fixed up most of the time
        const at = blk + r.pick([0, 99, 100, 124, 125, 135, 136, 148, 156, 157, 257, 262, 263, 345, 386, 482, 483, 494]) + r.int(4);
        if (at < b.length) b[at] = r.pick([0, 0x20, 0x30, 0x37, 0x38, 0x80, 0xff, r.int(256)]);
        if (blk + BLOCK <= b.length && r.chance(0.8)) checksum(b.subarray(blk, blk + BLOCK));
        break;
      }
      case 1:
        b[r.int(b.length)] = r.int(256);
        break;
      case 2:
        b = b.subarray(0, r.chance(0.5) ? r.int(b.length) : blk);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, blk), b.subarray(blk, blk + BLOCK), b.subarray(blk)]);
        break;
      case 4:
        b = Buffer.concat([b.subarray(0, blk), b.subarray(blk + BLOCK)]);
        break;
      case 5:
        b = Buffer.concat([b.subarray(0, blk), Buffer.alloc(BLOCK), b.subarray(blk)]);
        break;
      default: {
        // a size field rewritten, checksum fixed up
        if (blk + BLOCK <= b.length) {
          numeric(b, blk + 124, 12, r.pick([0, 1, 511, 512, 513, 1024, r.int(5000)]));
          checksum(b.subarray(blk, blk + BLOCK));
        }
      }
    }
  }
  return b;
}

export function archive(r: Rng): Buffer {
  const parts = Array.from({ length: 1 + r.int(10) }, () => piece(r));
  if (r.chance(0.8)) parts.push(END);
  if (r.chance(0.2)) parts.push(piece(r));
  const a = Buffer.concat(parts);
  return r.chance(0.5) ? mutate(r, a) : a;
}
