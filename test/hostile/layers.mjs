// Crafted hostile image layers (uncompressed tars), one per class of scanner
// abuse from issue 15: each is small, and each once cost the scanner gigabytes
// or minutes. Shared by the e2e test and bench/hostile.mjs. Plain JS so both
// the jest tests and a bare node script can use it.
import { deflateRawSync } from 'node:zlib';

// ---------- tar ----------

function tarHeader(name, size, flag, link = '') {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write(flag, 156);
  if (link) h.write(link, 157, 100, 'utf8');
  h.write('ustar\x0000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

/** entries: {path, body?: Buffer|string, type?: 'file'|'dir'|'symlink', link?} */
export function tar(entries) {
  const parts = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = type === 'file' ? Buffer.from(e.body ?? '') : Buffer.alloc(0);
    parts.push(tarHeader(e.path, body.length, { file: '0', symlink: '2', dir: '5' }[type], e.link));
    parts.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

// ---------- zip ----------

function local(name, method, compSize, size) {
  const n = Buffer.from(name);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(method, 8);
  h.writeUInt32LE(compSize, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(n.length, 26);
  return Buffer.concat([h, n]);
}

function central(name, method, compSize, size, offset) {
  const n = Buffer.from(name);
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(method, 10);
  h.writeUInt32LE(compSize, 20);
  h.writeUInt32LE(size, 24);
  h.writeUInt16LE(n.length, 28);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, n]);
}

function eocd(count, cdSize, cdOffset) {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(Math.min(count, 0xffff), 8);
  e.writeUInt16LE(Math.min(count, 0xffff), 10);
  e.writeUInt32LE(cdSize, 12);
  e.writeUInt32LE(cdOffset, 16);
  return e;
}

/** A well-formed zip: files = [{name, body, deflate?}], or {name, deflated, size} for data deflated once and reused. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const f of files) {
    const body = Buffer.from(f.body ?? '');
    const data = f.deflated ?? (f.deflate ? deflateRawSync(body) : body);
    const method = f.deflate || f.deflated ? 8 : 0;
    const size = f.size ?? body.length;
    const l = local(f.name, method, data.length, size);
    centrals.push(central(f.name, method, data.length, size, offset));
    locals.push(l, data);
    offset += l.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  return Buffer.concat([...locals, cd, eocd(files.length, cd.length, offset)]);
}

/** One local entry (stored or deflated) that `count` central entries all point at. */
function overlapping(body, count, nameOf, deflate) {
  const data = deflate ? deflateRawSync(body) : body;
  const method = deflate ? 8 : 0;
  const l = local(nameOf(0), method, data.length, body.length);
  const cd = Buffer.concat(Array.from({ length: count }, (_, i) => central(nameOf(i), method, data.length, body.length, 0)));
  return Buffer.concat([l, data, cd, eocd(count, cd.length, l.length + data.length)]);
}

const MANIFEST = 'Manifest-Version: 1.0\r\nImplementation-Title: leaf\r\nImplementation-Version: 1.0.0\r\n\r\n';
const leafJar = (name = 'leaf') =>
  zip([
    { name: 'META-INF/MANIFEST.MF', body: MANIFEST },
    { name: `META-INF/maven/org.example/${name}/pom.properties`, body: `groupId=org.example\nartifactId=${name}\nversion=1.0.0\n` },
  ]);

/** Fifield-style overlap bomb: `count` nested-jar entries share one deflated kernel of `size` zero bytes. */
export function overlapBombJar(count = 40, size = 60 * 1024 * 1024) {
  return overlapping(Buffer.alloc(size), count, (i) => `BOOT-INF/lib/x${i}.jar`, true);
}

/** Jar-in-jar with fan-out: every level holds `fan` overlapping copies of the level below. */
export function fanOutNestedJar(levels = 6, fan = 64) {
  let jar = leafJar();
  for (let l = 0; l < levels; l++) jar = overlapping(jar, fan, (i) => `lib/l${l}-${i}.jar`, false);
  return jar;
}

/** A plain chain of `depth` jars, each stored inside the next (no overlap). */
export function deepNestedJar(depth = 50) {
  let jar = leafJar('deepest');
  for (let l = 0; l < depth; l++)
    jar = zip([
      { name: 'META-INF/MANIFEST.MF', body: MANIFEST },
      { name: `lib/level${l}.jar`, body: jar },
    ]);
  return jar;
}

/** A zip whose zip64 end record claims 2^31 entries (the real directory has one, then zeros). */
export function zip64CountJar(claimed = 2 ** 31, gap = 4096) {
  const body = Buffer.from(MANIFEST);
  const l = local('META-INF/MANIFEST.MF', 0, body.length, body.length);
  const cd = central('META-INF/MANIFEST.MF', 0, body.length, body.length, 0);
  const cdOffset = l.length + body.length;
  const rec = Buffer.alloc(56);
  rec.writeUInt32LE(0x06064b50, 0);
  rec.writeBigUInt64LE(44n, 4);
  rec.writeUInt16LE(45, 12);
  rec.writeUInt16LE(45, 14);
  rec.writeBigUInt64LE(BigInt(claimed), 24);
  rec.writeBigUInt64LE(BigInt(claimed), 32);
  rec.writeBigUInt64LE(BigInt(cd.length), 40);
  rec.writeBigUInt64LE(BigInt(cdOffset), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(cdOffset + cd.length + gap), 8);
  loc.writeUInt32LE(1, 16);
  const end = eocd(0xffff, 0xffffffff, 0xffffffff);
  return Buffer.concat([l, body, cd, Buffer.alloc(gap), rec, loc, end]);
}

// ---------- rpm ----------

function rpmHeaderBlob(entries, data) {
  const head = Buffer.alloc(8 + entries.length * 16);
  head.writeUInt32BE(entries.length, 0);
  head.writeUInt32BE(data.length, 4);
  entries.forEach(([tag, type, offset, count], i) => {
    head.writeUInt32BE(tag, 8 + i * 16);
    head.writeUInt32BE(type, 12 + i * 16);
    head.writeUInt32BE(offset, 16 + i * 16);
    head.writeUInt32BE(count, 20 + i * 16);
  });
  return Buffer.concat([head, data]);
}

/** A header naming one package, plus `extra` require-name entries each claiming `count` strings over `filler` NUL bytes. */
export function hostileRpmHeader(extra = 60_000, count = 0xffffffff, filler = 1 << 20) {
  const strings = Buffer.from('evil\0' + '1.0\0' + '1\0');
  const data = Buffer.concat([strings, Buffer.alloc(filler)]);
  const entries = [[1000, 6, 0, 1], [1001, 6, 5, 1], [1002, 6, 9, 1], ...Array.from({ length: extra }, () => [1049, 8, strings.length, count])];
  return rpmHeaderBlob(entries, data);
}

/** An ndb Packages.db with one slot whose blob is `blob`. */
export function ndbDatabase(blob) {
  const PAGE = 4096;
  const db = Buffer.alloc(PAGE + 16 + blob.length + 16);
  db.writeUInt32LE(0x506d7052, 0); // RpmP
  db.writeUInt32LE(0, 4); // version
  db.writeUInt32LE(1, 8); // generation
  db.writeUInt32LE(1, 12); // slot pages
  for (let o = 32; o + 16 <= PAGE; o += 16) db.writeUInt32LE(0x746f6c53, o); // free slots
  const blkoff = PAGE / 16;
  db.writeUInt32LE(1, 36); // pkgidx
  db.writeUInt32LE(blkoff, 40);
  db.writeUInt32LE(Math.ceil((blob.length + 32) / 16), 44);
  const at = blkoff * 16;
  db.writeUInt32LE(0x53626c42, at); // BlbS
  db.writeUInt32LE(1, at + 4);
  db.writeUInt32LE(0, at + 8);
  db.writeUInt32LE(blob.length, at + 12);
  blob.copy(db, at + 16);
  return db;
}

/** A BerkeleyDB hash Packages whose overflow pages form a loop; `values` items (each claiming half the file) all point into it. */
export function loopingBdb(values = 100, pages = 4096, pageSize = 4096) {
  const db = Buffer.alloc(pages * pageSize);
  db.writeUInt32LE(0x061561, 12); // hash magic
  db.writeUInt32LE(pageSize, 20);
  db[25] = 8; // P_HASHMETA
  db.writeUInt32LE(pages - 1, 32); // last_pgno
  // page 1: a hash page of key/value pairs, every value an H_OFFPAGE item
  const base = pageSize;
  db[base + 25] = 13; // P_HASH
  db.writeUInt16LE(values * 2, base + 20);
  let top = pageSize;
  for (let i = 0; i < values; i++) {
    top -= 12;
    const value = top;
    db[base + value] = 3; // H_OFFPAGE
    db.writeUInt32LE(2, base + value + 4); // first overflow page
    db.writeUInt32LE((pages * pageSize) / 2, base + value + 8); // claimed length
    top -= 5;
    const key = top;
    db[base + key] = 1; // H_KEYDATA
    db.writeUInt32LE(i, base + key + 1);
    db.writeUInt16LE(key, base + 26 + i * 4);
    db.writeUInt16LE(value, base + 26 + i * 4 + 2);
  }
  // page 2: an overflow page whose next page is itself
  const o = 2 * pageSize;
  db[o + 25] = 7; // P_OVERFLOW
  db.writeUInt32LE(2, o + 16);
  db.writeUInt16LE(pageSize - 26, o + 22);
  return db;
}

// ---------- the layers ----------

const jarLayer = (name, jar) =>
  tar([
    { path: 'app/', type: 'dir' },
    { path: `app/${name}`, body: jar },
  ]);

/** name → () => [layer tars] (several layers where the class needs a lower one). */
export const hostileLayers = {
  'overlapping zip entries': () => [jarLayer('bomb.jar', overlapBombJar())],
  'jar-in-jar fan-out': () => [jarLayer('nest.jar', fanOutNestedJar())],
  'jar-in-jar depth': () => [jarLayer('deep.jar', deepNestedJar())],
  'zip64 entry count': () => [jarLayer('z64.jar', zip64CountJar())],
  'rpm ndb string-array count': () => [tar([{ path: 'var/lib/rpm/Packages.db', body: ndbDatabase(hostileRpmHeader()) }])],
  'BerkeleyDB overflow loop': () => [tar([{ path: 'var/lib/rpm/Packages', body: loopingBdb() }])],
  'dpkg 400,000 stanzas': () => [tar([{ path: 'var/lib/dpkg/status', body: dpkgStatus(400_000) }])],
  '20,000 whiteouts': () => whiteoutLayers(20_000),
  '300,000 symlinks': () => [tar(Array.from({ length: 300_000 }, (_, i) => ({ path: `l/${i}`, type: 'symlink', link: `t/${i}` })))],
  '100,000 package.json': () => [tar(Array.from({ length: 100_000 }, (_, i) => ({ path: `n/${i}/package.json`, body: '{}' })))],
};

export function dpkgStatus(n) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(`Package: p${i}\nStatus: install ok installed\nVersion: 1.${i}\nArchitecture: amd64\n`);
  return parts.join('\n');
}

/** A lower layer with n directories and n symlinks, and an upper layer whiting each of them out. */
export function whiteoutLayers(n) {
  const lower = [{ path: 'd/', type: 'dir' }];
  const upper = [];
  for (let i = 0; i < n; i++) {
    lower.push({ path: `d/dir${i}/`, type: 'dir' }, { path: `d/link${i}`, type: 'symlink', link: `dir${i}` });
    upper.push({ path: `d/.wh.dir${i}` }, { path: `d/.wh.link${i}` });
  }
  lower.push({ path: 'var/lib/dpkg/status', body: 'Package: survivor\nStatus: install ok installed\nVersion: 1\n' });
  return [tar(lower), tar(upper)];
}

/** A dpkg status layer with n installed packages (at the component limit: a legitimate worst case). */
export const dpkgLayer = (n) => tar([{ path: 'var/lib/dpkg/status', body: dpkgStatus(n) }]);
