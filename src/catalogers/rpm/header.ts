import { MAX_RPM_HEADER_DATA, MAX_RPM_HEADER_TAGS } from '../limits.js';

// An rpm header blob as rpmdb stores it (no lead, no header magic): index
// count and data length, then 16-byte index entries, then the data store.
// Everything is big-endian whatever the database's own byte order.

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  license?: string;
  sourceRpm?: string;
  vendor?: string;
  requires: string[];
  provides: string[];
}

const TAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  vendor: 1011,
  license: 1014,
  arch: 1022,
  sourceRpm: 1044,
  provideName: 1047,
  requireName: 1049,
} as const;

const INT32 = 4;
const STRING = 6;
const STRING_ARRAY = 8;
const I18NSTRING = 9;

const WANTED = new Set<number>(Object.values(TAG));

// Only the tags above are decoded, each at most once, and every count is
// checked against the data it claims (a string needs at least its NUL): a
// header may repeat a tag 65k times or claim 4 billion strings, and rpm
// itself would refuse both.
export function parseRpmHeader(blob: Buffer): RpmHeader {
  if (blob.length < 8) throw new Error('rpm header blob too short');
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  if (il > MAX_RPM_HEADER_TAGS || dl > MAX_RPM_HEADER_DATA)
    throw new Error(`rpm header claims ${il} tags and ${dl} data bytes, over rpm's limits (${MAX_RPM_HEADER_TAGS}, ${MAX_RPM_HEADER_DATA})`);
  const dataStart = 8 + il * 16;
  if (dataStart + dl > blob.length) throw new Error('rpm header blob is truncated or not a header');
  const data = blob.subarray(dataStart, dataStart + dl);
  const strings = new Map<number, string[]>();
  const ints = new Map<number, number>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = blob.readUInt32BE(at);
    if (!WANTED.has(tag) || strings.has(tag) || ints.has(tag)) continue;
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readUInt32BE(at + 8);
    const count = blob.readUInt32BE(at + 12);
    if (offset >= data.length) continue;
    if (type === INT32 && count > 0 && offset + 4 <= data.length) ints.set(tag, data.readInt32BE(offset));
    else if (type === STRING || type === STRING_ARRAY || type === I18NSTRING) {
      // I18N strings hold one translation per locale; the first is the default.
      const n = type === STRING ? 1 : count;
      if (n > data.length - offset) throw new Error(`rpm header tag ${tag} claims ${n} strings in ${data.length - offset} bytes`);
      const values: string[] = [];
      let pos = offset;
      for (let k = 0; k < n; k++) {
        const end = data.indexOf(0, pos);
        if (end === -1) throw new Error(`rpm header tag ${tag}: string ${k} is not terminated`);
        values.push(data.toString('utf8', pos, end));
        pos = end + 1;
      }
      strings.set(tag, values);
    }
  }
  const str = (tag: number) => strings.get(tag)?.[0];
  const name = str(TAG.name);
  const version = str(TAG.version);
  const release = str(TAG.release);
  if (!name || version === undefined || release === undefined) throw new Error('rpm header without name, version or release');
  return {
    name,
    version,
    release,
    epoch: ints.get(TAG.epoch),
    arch: str(TAG.arch),
    license: str(TAG.license),
    sourceRpm: str(TAG.sourceRpm),
    vendor: str(TAG.vendor),
    requires: strings.get(TAG.requireName) ?? [],
    provides: strings.get(TAG.provideName) ?? [],
  };
}
