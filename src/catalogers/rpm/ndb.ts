// rpm's ndb backend (Packages.db, SUSE): a 32-byte header ("RpmP"), slot pages
// of 16-byte slots ("Slot", pkgidx, blkoff, blkcnt), and blobs at blkoff*16
// framed by "BlbS" pkgidx timestamp length … adler32 length "BlbE".
// All little-endian.
const PAGE = 4096;
const SLOT = 16;
const BLK = 16;
const HEADER_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_MAGIC = 0x53626c42; // "BlbS"

export function isNdb(db: Buffer): boolean {
  return db.length >= 32 && db.readUInt32LE(0) === HEADER_MAGIC;
}

export function ndbBlobs(db: Buffer): Buffer[] {
  if (!isNdb(db)) throw new Error('not an rpm ndb database');
  const slotPages = db.readUInt32LE(12);
  const end = Math.min(slotPages * PAGE, db.length);
  const blobs: Buffer[] = [];
  for (let o = 32; o + SLOT <= end; o += SLOT) {
    if (db.readUInt32LE(o) !== SLOT_MAGIC) throw new Error(`bad ndb slot at ${o}`);
    const blkoff = db.readUInt32LE(o + 8);
    if (blkoff === 0) continue; // free slot
    const at = blkoff * BLK;
    if (at + 16 > db.length || db.readUInt32LE(at) !== BLOB_MAGIC) throw new Error(`bad ndb blob at block ${blkoff}`);
    const length = db.readUInt32LE(at + 12);
    blobs.push(db.subarray(at + 16, at + 16 + length));
  }
  return blobs;
}
