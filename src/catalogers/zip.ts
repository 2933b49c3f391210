import { inflateRawSync } from 'node:zlib';

// A zip reader for archives that may be hostile: it trusts no count, size or
// offset it has not checked against the bytes it holds (APPNOTE 6.3 layout;
// the count check as Go's archive/zip does it). Entries are read from the
// central directory one at a time; only the ones asked for are inflated, by
// zlib with an output cap, so no entry can inflate past its declared size.

const EOCD = 0x06054b50;
const EOCD_LEN = 22;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const CENTRAL_LEN = 46;
const LOCAL = 0x04034b50;
const LOCAL_LEN = 30;
const MAX_COMMENT = 0xffff;

export class ZipError extends Error {}

export interface ZipEntry {
  name: string;
  method: number; // 0 stored, 8 deflate
  compressedSize: number;
  size: number; // declared uncompressed size
  dataStart: number;
}

interface Directory {
  count: number;
  offset: number;
  size: number;
  end: number; // where the directory must end (start of the end records)
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('zip64 field out of range');
  return Number(v);
}

function directory(zip: Buffer): Directory {
  let eocd = -1;
  for (let at = zip.length - EOCD_LEN; at >= 0 && at >= zip.length - EOCD_LEN - MAX_COMMENT; at--) {
    if (zip.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('no end of central directory record');
  let count = zip.readUInt16LE(eocd + 10);
  let size = zip.readUInt32LE(eocd + 12);
  let offset = zip.readUInt32LE(eocd + 16);
  let end = eocd;
  const locator = eocd - 20;
  if (locator >= 0 && zip.readUInt32LE(locator) === ZIP64_LOCATOR) {
    const record = u64(zip, locator + 8);
    if (record + 56 > locator || zip.readUInt32LE(record) !== ZIP64_EOCD) throw new ZipError('bad zip64 end of central directory record');
    count = u64(zip, record + 32);
    size = u64(zip, record + 40);
    offset = u64(zip, record + 48);
    end = record;
  }
  if (offset + size > end) throw new ZipError(`central directory (${size} bytes at ${offset}) lies outside the ${zip.length}-byte archive`);
  // Each directory record is at least 46 bytes: a count the directory cannot
  // hold is a lie (Go's archive/zip refuses it the same way).
  if (count > size / CENTRAL_LEN) throw new ZipError(`claims ${count} entries, but its ${size}-byte central directory holds at most ${Math.floor(size / CENTRAL_LEN)}`);
  return { count, offset, size, end };
}

// All entries, validated: every record inside the directory, every local
// header and its data before the directory, and no two entries' bytes
// overlapping (the overlap is how a few KiB "zip bomb" names one deflated
// kernel thousands of times).
export function zipEntries(zip: Buffer): ZipEntry[] {
  const dir = directory(zip);
  const entries: ZipEntry[] = [];
  const starts = new Float64Array(dir.count);
  const ends = new Float64Array(dir.count);
  let at = dir.offset;
  for (let i = 0; i < dir.count; i++) {
    if (at + CENTRAL_LEN > dir.offset + dir.size || zip.readUInt32LE(at) !== CENTRAL) throw new ZipError(`central directory record ${i} is malformed`);
    const method = zip.readUInt16LE(at + 10);
    let compressedSize = zip.readUInt32LE(at + 20);
    let size = zip.readUInt32LE(at + 24);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    let local = zip.readUInt32LE(at + 42);
    const next = at + CENTRAL_LEN + nameLen + extraLen + commentLen;
    if (next > dir.offset + dir.size) throw new ZipError(`central directory record ${i} runs past the directory`);
    const name = zip.toString('utf8', at + CENTRAL_LEN, at + CENTRAL_LEN + nameLen);
    // zip64 extra field (id 1): the 64-bit values, in this order, for the fields saturated above.
    if (size === 0xffffffff || compressedSize === 0xffffffff || local === 0xffffffff) {
      for (let x = at + CENTRAL_LEN + nameLen; x + 4 <= at + CENTRAL_LEN + nameLen + extraLen;) {
        const id = zip.readUInt16LE(x);
        const len = zip.readUInt16LE(x + 2);
        if (id === 1) {
          let f = x + 4;
          const take = () => {
            if (f + 8 > x + 4 + len) throw new ZipError(`zip64 extra field of ${name} is short`);
            const v = u64(zip, f);
            f += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (local === 0xffffffff) local = take();
          break;
        }
        x += 4 + len;
      }
    }
    if (local + LOCAL_LEN > dir.offset || zip.readUInt32LE(local) !== LOCAL) throw new ZipError(`entry ${name}: no local header at ${local}`);
    const dataStart = local + LOCAL_LEN + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (dataStart + compressedSize > dir.offset) throw new ZipError(`entry ${name}: data runs into the central directory`);
    starts[i] = local;
    ends[i] = dataStart + compressedSize;
    entries.push({ name, method, compressedSize, size, dataStart });
    at = next;
  }
  const order = Array.from(starts.keys()).sort((a, b) => starts[a]! - starts[b]!);
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1]!;
    const cur = order[k]!;
    if (starts[cur]! < ends[prev]!) throw new ZipError(`entries ${entries[prev]!.name} and ${entries[cur]!.name} overlap`);
  }
  return entries;
}

// The entry's bytes: stored ones as a view (no copy), deflated ones inflated
// with zlib's output cap at the declared size (which the caller has bounded).
export function readEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const data = zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw new ZipError(`entry ${entry.name}: compression method ${entry.method} is not supported`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipError(`entry ${entry.name} inflates past its declared ${entry.size} bytes`);
    throw new ZipError(`entry ${entry.name}: ${(err as Error).message}`);
  }
}
