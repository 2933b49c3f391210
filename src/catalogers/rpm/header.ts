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

export function parseRpmHeader(blob: Buffer): RpmHeader {
  if (blob.length < 8) throw new Error('rpm header blob too short');
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 100_000 || dataStart + dl > blob.length) throw new Error('rpm header blob is truncated or not a header');
  const data = blob.subarray(dataStart, dataStart + dl);
  const strings = new Map<number, string[]>();
  const ints = new Map<number, number>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = blob.readUInt32BE(at);
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readUInt32BE(at + 8);
    const count = blob.readUInt32BE(at + 12);
    if (offset >= data.length) continue;
    if (type === INT32 && count > 0 && offset + 4 <= data.length) ints.set(tag, data.readInt32BE(offset));
    else if (type === STRING || type === STRING_ARRAY || type === I18NSTRING) {
      const values: string[] = [];
      let pos = offset;
      // I18N strings hold one translation per locale; the first is the default.
      const n = type === STRING ? 1 : count;
      for (let k = 0; k < n && pos < data.length; k++) {
        const end = data.indexOf(0, pos);
        const stop = end === -1 ? data.length : end;
        values.push(data.toString('utf8', pos, stop));
        pos = stop + 1;
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
