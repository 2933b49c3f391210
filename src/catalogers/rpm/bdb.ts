// rpm's BerkeleyDB backend (Packages on RHEL ≤ 8, Amazon Linux 2): a hash
// database whose values are header blobs. Rather than walk buckets, every hash
// page is scanned; values are either inline (H_KEYDATA) or, for anything
// bigger than a fraction of a page, a chain of overflow pages (H_OFFPAGE).
// Page fields are in the byte order of the machine that wrote the file.
const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_HASH = 13;
const P_HASHMETA = 8;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;

export function isBdbHash(db: Buffer): boolean {
  return db.length >= 512 && (db.readUInt32LE(12) === HASH_MAGIC || db.readUInt32BE(12) === HASH_MAGIC);
}

export function bdbValues(db: Buffer): Buffer[] {
  if (!isBdbHash(db)) throw new Error('not a BerkeleyDB hash database');
  const le = db.readUInt32LE(12) === HASH_MAGIC;
  const u32 = (at: number) => (le ? db.readUInt32LE(at) : db.readUInt32BE(at));
  const u16 = (at: number) => (le ? db.readUInt16LE(at) : db.readUInt16BE(at));
  if (db[25] !== P_HASHMETA) throw new Error('BerkeleyDB database is not a hash');
  const pageSize = u32(20);
  const lastPage = Math.min(u32(32), Math.floor(db.length / pageSize) - 1);

  const overflow = (first: number, total: number): Buffer => {
    const parts: Buffer[] = [];
    let size = 0;
    for (let page = first, hops = 0; page !== 0 && size < total && hops <= lastPage; hops++) {
      const base = page * pageSize;
      const len = u16(base + 22); // hf_offset holds the byte count on overflow pages
      parts.push(db.subarray(base + PAGE_HEADER, base + PAGE_HEADER + len));
      size += len;
      page = u32(base + 16); // next_pgno
    }
    return Buffer.concat(parts).subarray(0, total);
  };

  const values: Buffer[] = [];
  for (let page = 1; page <= lastPage; page++) {
    const base = page * pageSize;
    const type = db[base + 25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(base + 20);
    // Items alternate key, value; each index is an offset into the page, and
    // items are packed from the page end downwards.
    for (let i = 1; i < entries; i += 2) {
      const offset = u16(base + PAGE_HEADER + i * 2);
      const previous = u16(base + PAGE_HEADER + (i - 1) * 2);
      const item = base + offset;
      if (db[item] === H_OFFPAGE) values.push(overflow(u32(item + 4), u32(item + 8)));
      else if (db[item] === H_KEYDATA) values.push(db.subarray(item + 1, base + previous));
    }
  }
  return values;
}
