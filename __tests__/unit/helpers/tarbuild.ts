// Block-level tar building for reader tests: every header field, meta header
// and sparse map can be set by hand, including invalid ones.

export const BLOCK = 512;
export const END = Buffer.alloc(2 * BLOCK);

export interface Hdr {
  name?: string | Buffer;
  flag?: string | number;
  size?: number | bigint;
  link?: string | Buffer;
  mode?: number;
  format?: 'ustar' | 'gnu' | 'v7' | 'star';
  prefix?: string;
  checksum?: 'unsigned' | 'signed' | 'bad';
  realSize?: number | bigint; // GNU sparse ('S')
  sparse?: [number, number][]; // GNU sparse entries in the header (at most 4)
  extended?: boolean; // GNU sparse: extension blocks follow
  edit?: (b: Buffer) => void; // raw changes before the checksum
}

// Octal with a NUL, or GNU base-256 when it does not fit (or is negative).
export function numeric(b: Buffer, at: number, len: number, value: number | bigint): void {
  const v = BigInt(value);
  if (v >= 0n && v < 8n ** BigInt(len - 1)) {
    b.write(v.toString(8).padStart(len - 1, '0') + '\0', at, 'latin1');
    return;
  }
  let x = BigInt.asUintN(len * 8, v);
  for (let i = len - 1; i >= 0; i--) {
    b[at + i] = Number(x & 0xffn);
    x >>= 8n;
  }
  b[at] = b[at]! | 0x80;
}

export function checksum(b: Buffer, kind: 'unsigned' | 'signed' | 'bad' = 'unsigned'): Buffer {
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const c of b) sum += kind === 'signed' && c >= 0x80 ? c - 0x100 : c;
  if (kind === 'bad') sum += 1;
  b.write((sum < 0 ? 0 : sum).toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return b;
}

export function header(h: Hdr = {}): Buffer {
  const b = Buffer.alloc(BLOCK);
  const name = typeof h.name === 'string' ? Buffer.from(h.name) : (h.name ?? Buffer.from('file'));
  name.copy(b, 0, 0, Math.min(100, name.length));
  numeric(b, 100, 8, h.mode ?? 0o644);
  numeric(b, 108, 8, 0);
  numeric(b, 116, 8, 0);
  numeric(b, 124, 12, h.size ?? 0);
  numeric(b, 136, 12, 0);
  b[156] = typeof h.flag === 'number' ? h.flag : (h.flag ?? '0').charCodeAt(0);
  const link = typeof h.link === 'string' ? Buffer.from(h.link) : (h.link ?? Buffer.alloc(0));
  link.copy(b, 157, 0, Math.min(100, link.length));
  const format = h.format ?? 'ustar';
  if (format === 'ustar' || format === 'star') b.write('ustar\x0000', 257, 'latin1');
  if (format === 'star') b.write('tar\0', 508, 'latin1');
  if (format === 'gnu') b.write('ustar  \0', 257, 'latin1');
  if (h.prefix) b.write(h.prefix, 345, 155, 'utf8');
  if (format === 'gnu' && (h.sparse || h.realSize !== undefined)) {
    for (const [i, [off, len]] of (h.sparse ?? []).entries()) {
      numeric(b, 386 + i * 24, 12, off);
      numeric(b, 386 + i * 24 + 12, 12, len);
    }
    b[482] = h.extended ? 1 : 0;
    numeric(b, 483, 12, h.realSize ?? 0);
  }
  h.edit?.(b);
  return checksum(b, h.checksum);
}

// A GNU sparse extension block: up to 21 entries.
export function sparseExtension(entries: [number, number][], more: boolean): Buffer {
  const b = Buffer.alloc(BLOCK);
  for (const [i, [off, len]] of entries.entries()) {
    numeric(b, i * 24, 12, off);
    numeric(b, i * 24 + 12, 12, len);
  }
  b[504] = more ? 1 : 0;
  return b;
}

export function padded(data: Buffer | string): Buffer {
  const d = Buffer.from(data);
  return Buffer.concat([d, Buffer.alloc((BLOCK - (d.length % BLOCK)) % BLOCK)]);
}

export function paxRecord(key: string, value: string | Buffer): Buffer {
  const kv = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')]);
  let len = kv.length + 1;
  while (String(len).length + kv.length !== len) len = String(len).length + kv.length;
  return Buffer.concat([Buffer.from(String(len)), kv]);
}

// A pax header ('x', or 'g' global) with its records.
export function pax(records: [string, string | Buffer][], flag: 'x' | 'g' = 'x', name = 'PaxHeaders/x'): Buffer {
  const body = Buffer.concat(records.map(([k, v]) => paxRecord(k, v)));
  return Buffer.concat([header({ name, flag, size: body.length }), padded(body)]);
}

// A GNU long name ('L') or long link ('K') meta entry.
export function gnuLong(value: string | Buffer, flag: 'L' | 'K' = 'L'): Buffer {
  const body = Buffer.concat([Buffer.from(value), Buffer.from([0])]);
  return Buffer.concat([header({ name: '././@LongLink', flag, size: body.length, format: 'gnu' }), padded(body)]);
}

export function file(name: string | Buffer, data: string | Buffer = '', h: Hdr = {}): Buffer {
  const d = Buffer.from(data);
  return Buffer.concat([header({ name, size: d.length, ...h }), padded(d)]);
}
