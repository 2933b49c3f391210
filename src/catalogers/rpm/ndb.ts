// rpm's ndb backend (Packages.db, SUSE): a 32-byte header ("RpmP"), slot pages
// of 16-byte slots ("Slot", pkgidx, blkoff, blkcnt), and blobs at blkoff*16
// framed by "BlbS" pkgidx timestamp length … adler32 length "BlbE".
// All little-endian.
const PAGE = 4096;
const SLOT = 16;
const BLK = 16;
const BLOB_HEAD = 16;
const HEADER_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_MAGIC = 0x53626c42; // "BlbS"

export function isNdb(db: Buffer): boolean {
  return db.length >= 32 && db.readUInt32LE(0) === HEADER_MAGIC;
}

// Header blobs, one at a time (views into db, no copies). Every blob must lie
// inside the file and no two may overlap, so the blobs together are at most
// the file's size whatever the slots claim.
export function* ndbBlobs(db: Buffer): Generator<Buffer> {
  if (!isNdb(db)) throw new Error('not an rpm ndb database');
  const slotPages = db.readUInt32LE(12);
  const end = Math.min(slotPages * PAGE, db.length);
  const blobs: { at: number; length: number }[] = [];
  for (let o = 32; o + SLOT <= end; o += SLOT) {
    if (db.readUInt32LE(o) !== SLOT_MAGIC) throw new Error(`bad ndb slot at ${o}`);
    const blkoff = db.readUInt32LE(o + 8);
    if (blkoff === 0) continue; // free slot
    const at = blkoff * BLK;
    if (at < end || at + BLOB_HEAD > db.length || db.readUInt32LE(at) !== BLOB_MAGIC) throw new Error(`bad ndb blob at block ${blkoff}`);
    const length = db.readUInt32LE(at + 12);
    if (at + BLOB_HEAD + length > db.length) throw new Error(`ndb blob at block ${blkoff} claims ${length} bytes past the end of the file`);
    blobs.push({ at, length });
  }
  blobs.sort((a, b) => a.at - b.at);
  for (let i = 1; i < blobs.length; i++) {
    const prev = blobs[i - 1]!;
    if (blobs[i]!.at < prev.at + BLOB_HEAD + prev.length) throw new Error(`ndb blobs at bytes ${prev.at} and ${blobs[i]!.at} overlap`);
  }
  for (const { at, length } of blobs) yield db.subarray(at + BLOB_HEAD, at + BLOB_HEAD + length);
}
