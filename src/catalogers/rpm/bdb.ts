// rpm's BerkeleyDB backend (Packages on RHEL ≤ 8, Amazon Linux 2): a hash
// database whose values are header blobs. Rather than walk buckets, every hash
// page is scanned; values are either inline (H_KEYDATA) or, for anything
// bigger than a fraction of a page, a chain of overflow pages (H_OFFPAGE).
// Page fields are in the byte order of the machine that wrote the file.
const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASH = 13;
const P_HASHMETA = 8;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;

export function isBdbHash(db: Buffer): boolean {
  return db.length >= 512 && (db.readUInt32LE(12) === HASH_MAGIC || db.readUInt32BE(12) === HASH_MAGIC);
}

// Values, one at a time. An overflow page belongs to exactly one value in a
// real database, so a page seen twice (a chain that loops, or two values
// sharing pages) is refused: the values together are then at most the file's
// size. A bad value is reported through `skip` and the scan goes on.
export function* bdbValues(db: Buffer, skip: (why: string) => void = () => {}): Generator<Buffer> {
  if (!isBdbHash(db)) throw new Error('not a BerkeleyDB hash database');
  const le = db.readUInt32LE(12) === HASH_MAGIC;
  const u32 = (at: number) => (le ? db.readUInt32LE(at) : db.readUInt32BE(at));
  const u16 = (at: number) => (le ? db.readUInt16LE(at) : db.readUInt16BE(at));
  if (db[25] !== P_HASHMETA) throw new Error('BerkeleyDB database is not a hash');
  const pageSize = u32(20);
  // BerkeleyDB page sizes are powers of two from 512 to 64 KiB.
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`BerkeleyDB page size ${pageSize} is invalid`);
  const lastPage = Math.min(u32(32), Math.floor(db.length / pageSize) - 1);
  const used = new Uint8Array(lastPage + 1); // overflow pages already part of a value

  const overflow = (first: number, total: number): Buffer => {
    if (total > db.length) throw new Error(`overflow value claims ${total} bytes, more than the file holds`);
    const parts: Buffer[] = [];
    let size = 0;
    for (let page = first; page !== 0 && size < total;) {
      if (page > lastPage) throw new Error(`overflow chain points past the last page (${page})`);
      if (used[page]) throw new Error(`overflow chain revisits page ${page} (a loop, or pages shared by two values)`);
      used[page] = 1;
      const base = page * pageSize;
      if (db[base + 25] !== P_OVERFLOW) throw new Error(`overflow chain reaches page ${page}, which is not an overflow page`);
      const len = Math.min(u16(base + 22), pageSize - PAGE_HEADER); // hf_offset holds the byte count on overflow pages
      parts.push(db.subarray(base + PAGE_HEADER, base + PAGE_HEADER + len));
      size += len;
      page = u32(base + 16); // next_pgno
    }
    return Buffer.concat(parts, size).subarray(0, total);
  };

  for (let page = 1; page <= lastPage; page++) {
    const base = page * pageSize;
    const type = db[base + 25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = Math.min(u16(base + 20), (pageSize - PAGE_HEADER) / 2);
    // Items alternate key, value; each index is an offset into the page, and
    // items are packed from the page end downwards.
    for (let i = 1; i < entries; i += 2) {
      const offset = u16(base + PAGE_HEADER + i * 2);
      const previous = u16(base + PAGE_HEADER + (i - 1) * 2);
      if (offset >= pageSize || previous > pageSize) continue;
      const item = base + offset;
      if (db[item] === H_OFFPAGE) {
        try {
          yield overflow(u32(item + 4), u32(item + 8));
        } catch (err) {
          skip(`page ${page} item ${i}: ${(err as Error).message}`);
        }
      } else if (db[item] === H_KEYDATA) yield db.subarray(item + 1, base + previous);
    }
  }
}
