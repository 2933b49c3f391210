import { isUtf8 } from 'node:buffer';

// A streaming tar reader that sees exactly what Go's archive/tar sees: the
// reader containerd and moby unpack layers with. Wherever Go's Reader.Next
// (or reading an entry's content) fails, this throws a TarError, so a layer
// the runtime would refuse is never catalogued. The rules, all Go's:
// - the archive ends at the first zero block followed by EOF or a second zero
//   block; a zero block followed by anything else is an invalid header;
// - every header's checksum (unsigned or signed sum) is checked;
// - links, symlinks, devices, directories and FIFOs have no data whatever
//   their size says; the next header follows at once;
// - only the last pax header ('x') before an entry counts, GNU long names
//   ('L'/'K') win over pax path/linkpath; pax and long-name bodies over 1 MiB
//   are refused (Go's maxSpecialFileSize), so no meta body is ever buffered
//   beyond that;
// - a global pax header ('g') is an entry of its own and changes nothing else;
// - GNU sparse files (old format with extension blocks, pax 0.0, 0.1 and 1.0)
//   are read through their maps and delivered with holes as zeros.
// The differential test (__tests__/unit/image/tar-differential.test.ts)
// compares this reader with Go's over real, hand-made and fuzzed archives.

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  path: string; // as stored, e.g. "usr/bin/x", "./etc/", "/opt/a"; bytes that are not UTF-8 become U+DC80..U+DCFF
  type: TarEntryType;
  size: number; // bytes of content the sink receives (0 for header-only types)
  mode: number;
  linkname: string;
  flag: number; // Go's Header.Typeflag ('\0' already turned into '0' or '5')
  headerSize: bigint; // Go's Header.Size (what the header claims, even for header-only types)
}

export interface BodySink {
  // Returning false says no more bytes are wanted (the rest is still read and checked).
  push(chunk: Buffer): void | boolean;
  end(): void;
}

// Called once per entry; return a sink to receive the body, or undefined to skip it.
export type EntryHandler = (entry: TarEntry) => BodySink | undefined;

export class TarError extends Error {}

const BLOCK = 512;
const MAX_SPECIAL = 1 << 20; // Go's maxSpecialFileSize: pax, long-name and sparse-map bodies
const MAX_SPARSE_ENTRIES = 1 << 20;
const INT64_MAX = (1n << 63n) - 1n;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
const ZEROS = Buffer.alloc(1 << 20);

const ERR_HEADER = 'archive/tar: invalid tar header';
const ERR_EOF = 'unexpected EOF';
const ERR_TOO_LONG = 'archive/tar: header field too long';
const ERR_SPARSE_TOO_LONG = 'archive/tar: sparse map too long';
const ERR_MISS_DATA = 'archive/tar: sparse file references non-existent data';
const ERR_UNREF_DATA = 'archive/tar: sparse file contains unreferenced data';

const fail = (message: string): never => {
  throw new TarError(message);
};

const T = (c: string) => c.charCodeAt(0);
const REG = T('0');
const REG_A = 0;
const LINK = T('1');
const SYMLINK = T('2');
const DIR = T('5');
const CONT = T('7');
const PAX = T('x');
const PAX_GLOBAL = T('g');
const GNU_SPARSE = T('S');
const GNU_LONGNAME = T('L');
const GNU_LONGLINK = T('K');

function isHeaderOnly(flag: number): boolean {
  return flag >= LINK && flag <= T('6') && flag !== CONT; // '1' link .. '6' FIFO
}

// ---- byte-level parsing, as Go's strconv.go/format.go ----

function cstr(buf: Buffer, start = 0, len = buf.length - start): Buffer {
  const field = buf.subarray(start, start + len);
  const nul = field.indexOf(0);
  return nul === -1 ? field : field.subarray(0, nul);
}

// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range.
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > INT64_MAX || v < -INT64_MAX - 1n ? undefined : v;
}

class Fields {
  bad = false;

  octal(b: Buffer, from = 0, to = b.length): bigint {
    let s = from;
    let e = to;
    while (s < e && (b[s] === 0x20 || b[s] === 0)) s++;
    while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0)) e--;
    if (s === e) return 0n;
    // Fast path (every real header): up to 17 octal digits before any NUL fit
    // a double exactly, so no string, regex or BigInt parse per field.
    let end = s;
    while (end < e && b[end] !== 0) end++;
    if (end - s <= 17) {
      let n = 0;
      for (let i = s; i < end; i++) {
        const c = b[i]! - 0x30;
        if (c < 0 || c > 7) {
          this.bad = true;
          return 0n;
        }
        n = n * 8 + c;
      }
      return BigInt(n);
    }
    const text = cstr(b, s, e - s).toString('latin1');
    if (!/^[0-7]+$/.test(text) || text.replace(/^0+/, '').length > 22 || BigInt('0o' + text) > (1n << 64n) - 1n) {
      this.bad = true;
      return 0n;
    }
    return BigInt.asIntN(64, BigInt('0o' + text));
  }

  // Octal, or GNU base-256 (two's complement) when the top bit is set.
  numeric(b: Buffer, from = 0, to = b.length): bigint {
    if (to === from || !(b[from]! & 0x80)) return this.octal(b, from, to);
    const inv = b[from]! & 0x40 ? 0xff : 0;
    let x = 0n;
    for (let i = from; i < to; i++) {
      let c = b[i]! ^ inv;
      if (i === from) c &= 0x7f;
      if (x >> 56n > 0n) {
        this.bad = true;
        return 0n;
      }
      x = (x << 8n) | BigInt(c);
    }
    if (x >> 63n > 0n) {
      this.bad = true;
      return 0n;
    }
    return inv ? -x - 1n : x;
  }
}

const enum Format {
  V7,
  USTAR,
  STAR,
  GNU,
}

function headerFormat(blk: Buffer): Format | undefined {
  const f = new Fields();
  const stored = f.octal(blk, 148, 156);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : blk[i]!;
    unsigned += c;
    signed += c < 0x80 ? c : c - 0x100;
  }
  if (f.bad || (stored !== BigInt(unsigned) && stored !== BigInt(signed))) return undefined;
  const magic = blk.toString('latin1', 257, 263);
  if (magic === 'ustar\0') return blk.toString('latin1', 508, 512) === 'tar\0' ? Format.STAR : Format.USTAR;
  if (magic === 'ustar ' && blk[263] === 0x20 && blk[264] === 0) return Format.GNU;
  return Format.V7;
}

interface Header {
  flag: number;
  name: Buffer;
  linkname: Buffer;
  size: bigint;
  mode: bigint;
  pax?: Map<string, string>;
}

function parseHeader(blk: Buffer): Header {
  const format = headerFormat(blk);
  if (format === undefined) fail(ERR_HEADER);
  const f = new Fields();
  const hdr: Header = {
    flag: blk[156]!,
    name: cstr(blk, 0, 100),
    linkname: cstr(blk, 157, 100),
    size: f.numeric(blk, 124, 136),
    mode: f.numeric(blk, 100, 108),
  };
  f.numeric(blk, 108, 116); // uid
  f.numeric(blk, 116, 124); // gid
  f.numeric(blk, 136, 148); // mtime
  if (format !== Format.V7) {
    f.numeric(blk, 329, 337); // devmajor
    f.numeric(blk, 337, 345); // devminor
    let prefix: Buffer = Buffer.alloc(0);
    if (format === Format.USTAR) prefix = cstr(blk, 345, 155);
    else if (format === Format.STAR) {
      prefix = cstr(blk, 345, 131);
      f.numeric(blk, 476, 488);
      f.numeric(blk, 488, 500);
    } else {
      // GNU atime/ctime; when they do not parse, old Go writers put a ustar prefix there.
      const times = new Fields();
      if (blk[345] !== 0) times.numeric(blk, 345, 357);
      if (blk[357] !== 0) times.numeric(blk, 357, 369);
      if (times.bad) {
        const s = cstr(blk, 345, 155);
        if (s.every((c) => c < 0x80)) prefix = s;
      }
    }
    if (prefix.length > 0) hdr.name = Buffer.concat([prefix, Buffer.from('/'), hdr.name]);
  }
  if (f.bad) fail(ERR_HEADER);
  return hdr;
}

// One pax record "<len> <key>=<value>\n", on a latin1 (byte) string.
function parsePaxRecord(s: string): [string, string, string] {
  const sp = s.indexOf(' ');
  if (sp === -1) fail(ERR_HEADER);
  const n = parseInt64(s.slice(0, sp));
  if (n === undefined || n < 5n || n > BigInt(s.length)) fail(ERR_HEADER);
  const rest = s.slice(sp + 1);
  const m = Number(n) - (sp + 1);
  if (m <= 0) fail(ERR_HEADER);
  if (rest[m - 1] !== '\n') fail(ERR_HEADER);
  const rec = rest.slice(0, m - 1);
  const eq = rec.indexOf('=');
  if (eq === -1) fail(ERR_HEADER);
  const k = rec.slice(0, eq);
  const v = rec.slice(eq + 1);
  if (k === '') fail(ERR_HEADER);
  const nulIn = ['path', 'linkpath', 'uname', 'gname'].includes(k) ? v : k;
  if (nulIn.includes('\0')) fail(ERR_HEADER);
  return [k, v, rest.slice(m)];
}

function parsePax(body: Buffer): Map<string, string> {
  let s = body.toString('latin1');
  const records = new Map<string, string>();
  const sparseMap: string[] = []; // pax sparse 0.0 offset/numbytes pairs, joined into 0.1's map
  while (s.length > 0) {
    const [k, v, rest] = parsePaxRecord(s);
    s = rest;
    if (k === 'GNU.sparse.offset' || k === 'GNU.sparse.numbytes') {
      const want = sparseMap.length % 2 === 0 ? 'GNU.sparse.offset' : 'GNU.sparse.numbytes';
      if (k !== want || v.includes(',')) fail(ERR_HEADER);
      sparseMap.push(v);
    } else records.set(k, v);
  }
  if (sparseMap.length > 0) records.set('GNU.sparse.map', sparseMap.join(','));
  return records;
}

function validPaxTime(v: string): boolean {
  const dot = v.indexOf('.');
  const secs = dot === -1 ? v : v.slice(0, dot);
  return parseInt64(secs) !== undefined && (dot === -1 || /^[0-9]*$/.test(v.slice(dot + 1)));
}

// Go's mergePAX: returns false where Go returns ErrHeader.
function mergePax(hdr: Header, pax: Map<string, string>): boolean {
  for (const [k, v] of pax) {
    if (v === '') continue;
    switch (k) {
      case 'path':
        hdr.name = Buffer.from(v, 'latin1');
        break;
      case 'linkpath':
        hdr.linkname = Buffer.from(v, 'latin1');
        break;
      case 'uid':
      case 'gid':
        if (parseInt64(v) === undefined) return false;
        break;
      case 'atime':
      case 'mtime':
      case 'ctime':
        if (!validPaxTime(v)) return false;
        break;
      case 'size': {
        const size = parseInt64(v);
        if (size === undefined) return false;
        hdr.size = size;
        break;
      }
    }
  }
  hdr.pax = pax;
  return true;
}

// Names are bytes in tar; UTF-8 decodes as usual, any other byte b becomes
// U+DC00+b (never produced by valid UTF-8), so distinct names stay distinct.
export function decodeName(b: Buffer): string {
  if (isUtf8(b)) return b.toString('utf8');
  let out = '';
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n > 0 && i + n <= b.length && isUtf8(b.subarray(i, i + n))) {
      out += b.toString('utf8', i, i + n);
      i += n;
    } else {
      out += String.fromCharCode(0xdc00 + c);
      i++;
    }
  }
  return out;
}

// The inverse of decodeName (for tests that compare raw bytes).
export function encodeName(s: string): Buffer {
  const parts: Buffer[] = [];
  let run = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from([cp - 0xdc00]));
      run = '';
    } else run += ch;
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

// ---- sparse maps, as Go's readOldGNUSparseMap / readGNUSparseMap{0x1,1x0} ----

interface Fragment {
  offset: bigint;
  length: bigint;
}

function pushFragment(list: Fragment[], offset: bigint, length: bigint): void {
  if (list.length >= MAX_SPARSE_ENTRIES) fail(ERR_SPARSE_TOO_LONG);
  list.push({ offset, length });
}

function validFragments(list: Fragment[], size: bigint): boolean {
  if (size < 0n) return false;
  let preEnd = 0n;
  for (const { offset, length } of list) {
    if (offset < 0n || length < 0n || offset > INT64_MAX - length || offset + length > size || preEnd > offset) return false;
    preEnd = offset + length;
  }
  return true;
}

// Data fragments → holes, always ending with the (possibly empty) hole up to size.
function holesOf(data: Fragment[], size: bigint): Fragment[] {
  const holes: Fragment[] = [];
  let pre = 0n;
  for (const { offset, length } of data) {
    if (length === 0n) continue;
    if (offset - pre > 0n) holes.push({ offset: pre, length: offset - pre });
    pre = offset + length;
  }
  holes.push({ offset: pre, length: size - pre });
  return holes;
}

function sparse0x1(pax: Map<string, string>): Fragment[] {
  const n = parseInt64(pax.get('GNU.sparse.numblocks') ?? '');
  if (n === undefined || n < 0n || n >= 1n << 62n) fail(ERR_HEADER);
  const text = pax.get('GNU.sparse.map') ?? '';
  const fields = text === '' ? [] : text.split(',');
  if (BigInt(fields.length) !== 2n * n!) fail(ERR_HEADER);
  const list: Fragment[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const offset = parseInt64(fields[i]!);
    const length = parseInt64(fields[i + 1]!);
    if (offset === undefined || length === undefined) fail(ERR_HEADER);
    pushFragment(list, offset!, length!);
  }
  return list;
}

// ---- the byte source ----

class Source {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private done = false;

  constructor(private readonly it: AsyncIterator<Buffer>) {}

  // Stops the stream after an error.
  async close(): Promise<void> {
    if (!this.done) await this.it.return?.();
  }

  private async more(): Promise<boolean> {
    while (!this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        this.buf = r.value;
        this.pos = 0;
        return true;
      }
    }
    return false;
  }

  // Up to n bytes; fewer only at the end of the stream.
  async read(n: number): Promise<Buffer> {
    if (this.buf.length - this.pos >= n) {
      this.pos += n;
      return this.buf.subarray(this.pos - n, this.pos);
    }
    const out = Buffer.allocUnsafe(n);
    let fill = 0;
    while (fill < n && (this.pos < this.buf.length || (await this.more()))) {
      const take = Math.min(n - fill, this.buf.length - this.pos);
      this.buf.copy(out, fill, this.pos, this.pos + take);
      fill += take;
      this.pos += take;
    }
    return out.subarray(0, fill);
  }

  // Passes the next n bytes to fn (when given) without copying; returns how many there were.
  async pass(n: number, fn?: (chunk: Buffer) => void): Promise<number> {
    let left = n;
    while (left > 0 && (this.pos < this.buf.length || (await this.more()))) {
      const take = Math.min(left, this.buf.length - this.pos);
      fn?.(this.buf.subarray(this.pos, this.pos + take));
      this.pos += take;
      left -= take;
    }
    return n - left;
  }

  // Reads what is left, so the layer's byte count and digest checks see the whole stream.
  async drain(): Promise<void> {
    this.pos = this.buf.length;
    while (await this.more()) this.pos = this.buf.length;
  }
}

// ---- the reader ----

interface Next {
  entry: TarEntry;
  physical: number; // data bytes in the archive
  holes?: Fragment[]; // set for sparse files
}

class Reader {
  private pad = 0;

  constructor(private readonly src: Source) {}

  private async readBlock(): Promise<Buffer | undefined> {
    const b = await this.src.read(BLOCK);
    if (b.length === 0) return undefined;
    if (b.length < BLOCK) fail(ERR_EOF);
    return b;
  }

  // Go's readHeader: undefined at the end of the archive.
  private async readHeader(): Promise<Buffer | undefined> {
    const b = await this.readBlock();
    if (!b || !b.equals(ZERO_BLOCK)) return b;
    const c = await this.readBlock();
    if (!c || c.equals(ZERO_BLOCK)) return undefined;
    return fail(ERR_HEADER);
  }

  private dataSize(flag: number, size: bigint): number {
    const nb = isHeaderOnly(flag) ? 0n : size;
    if (nb < 0n) fail(ERR_HEADER);
    // No archive holds 2^53 bytes: past that the stream ends first, as it would for Go.
    const n = nb > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(nb);
    this.pad = (BLOCK - (n % BLOCK)) % BLOCK;
    return n;
  }

  private async special(nb: number): Promise<Buffer> {
    if (nb > MAX_SPECIAL) fail(ERR_TOO_LONG);
    const body = await this.src.read(nb);
    if (body.length < nb) fail(ERR_EOF);
    return body;
  }

  // Go's Reader.next: undefined at the end of the archive.
  async next(): Promise<Next | undefined> {
    let pax: Map<string, string> | undefined;
    let longName: Buffer | undefined;
    let longLink: Buffer | undefined;
    for (;;) {
      if (this.pad > 0 && (await this.src.pass(this.pad)) < this.pad) return undefined; // Go: short padding is a clean end
      this.pad = 0;
      const blk = await this.readHeader();
      if (!blk) return undefined;
      const hdr = parseHeader(blk);
      let physical = this.dataSize(hdr.flag, hdr.size);
      if (hdr.flag === PAX || hdr.flag === PAX_GLOBAL) {
        pax = parsePax(await this.special(physical));
        if (hdr.flag === PAX_GLOBAL) {
          // Go returns it as an entry with no data and ignores merge errors;
          // its path then depends on Go's map order, so take it only when all merge.
          const merged = { ...hdr };
          if (mergePax(merged, pax)) hdr.name = merged.name;
          return { entry: this.entry(hdr.name, Buffer.alloc(0), PAX_GLOBAL, 0n, hdr.mode), physical: 0 };
        }
        continue;
      }
      if (hdr.flag === GNU_LONGNAME || hdr.flag === GNU_LONGLINK) {
        const value = cstr(await this.special(physical));
        if (hdr.flag === GNU_LONGNAME) longName = value;
        else longLink = value;
        continue;
      }
      if (pax && !mergePax(hdr, pax)) fail(ERR_HEADER);
      if (longName?.length) hdr.name = longName;
      if (longLink?.length) hdr.linkname = longLink;
      if (hdr.flag === REG_A) hdr.flag = hdr.name[hdr.name.length - 1] === 0x2f ? DIR : REG;
      physical = this.dataSize(hdr.flag, hdr.size);
      let data: Fragment[] | undefined;
      if (hdr.flag === GNU_SPARSE) data = await this.oldGnuSparse(hdr, blk);
      else if (hdr.pax) {
        const sparse = await this.paxSparse(hdr, physical);
        if (sparse) [data, physical] = sparse;
      }
      let holes: Fragment[] | undefined;
      if (data) {
        if (isHeaderOnly(hdr.flag) || !validFragments(data, hdr.size)) fail(ERR_HEADER);
        holes = holesOf(data, hdr.size);
      }
      return { entry: this.entry(hdr.name, hdr.linkname, hdr.flag, hdr.size, hdr.mode), physical, holes };
    }
  }

  private entry(name: Buffer, linkname: Buffer, flag: number, size: bigint, mode: bigint): TarEntry {
    const content = isHeaderOnly(flag) || flag === PAX_GLOBAL ? 0 : Number(size);
    return {
      path: decodeName(name),
      type: entryType(flag),
      size: content,
      mode: Number(BigInt.asUintN(32, mode)),
      linkname: decodeName(linkname),
      flag,
      headerSize: size,
    };
  }

  private async oldGnuSparse(hdr: Header, blk: Buffer): Promise<Fragment[]> {
    if (headerFormat(blk) !== Format.GNU) fail(ERR_HEADER);
    const f = new Fields();
    hdr.size = f.numeric(blk, 483, 495);
    if (f.bad) fail(ERR_HEADER);
    const list: Fragment[] = [];
    let s: Buffer = blk.subarray(386, 386 + 24 * 4 + 1);
    let total = s.length;
    while (total < MAX_SPECIAL) {
      const max = Math.floor(s.length / 24);
      for (let i = 0; i < max; i++) {
        if (s[i * 24] === 0) break; // GNU and BSD tar stop at an empty offset
        const offset = f.numeric(s.subarray(i * 24, i * 24 + 12));
        const length = f.numeric(s.subarray(i * 24 + 12, i * 24 + 24));
        if (f.bad) fail(ERR_HEADER);
        pushFragment(list, offset, length);
      }
      if (s[24 * max]! === 0) return list;
      // Extension blocks follow the header, before the data.
      const ext = await this.src.read(BLOCK);
      if (ext.length < BLOCK) fail(ERR_EOF);
      s = ext;
      total += ext.length;
    }
    return fail(ERR_SPARSE_TOO_LONG);
  }

  // Pax sparse formats; returns the data fragments and the data bytes left after a 1.0 map.
  private async paxSparse(hdr: Header, physical: number): Promise<[Fragment[], number] | undefined> {
    const pax = hdr.pax!;
    const major = pax.get('GNU.sparse.major') ?? '';
    const minor = pax.get('GNU.sparse.minor') ?? '';
    let v1 = false;
    if (major === '0' && (minor === '0' || minor === '1')) v1 = false;
    else if (major === '1' && minor === '0') v1 = true;
    else if (major !== '' || minor !== '')
      return undefined; // unknown version: a plain file
    else if (!pax.get('GNU.sparse.map')) return undefined;
    const name = pax.get('GNU.sparse.name');
    if (name) hdr.name = Buffer.from(name, 'latin1');
    const size = pax.get('GNU.sparse.size') || pax.get('GNU.sparse.realsize');
    if (size) {
      const n = parseInt64(size);
      if (n === undefined) fail(ERR_HEADER);
      hdr.size = n!;
    }
    if (!v1) return [sparse0x1(pax), physical];

    // 1.0: the map is newline-separated decimals at the start of the data, in whole blocks.
    const tokens: string[] = [];
    let partial: string[] = [];
    let read = 0;
    const feed = async (count: bigint): Promise<void> => {
      while (BigInt(tokens.length) < count) {
        read += BLOCK;
        if (read > MAX_SPECIAL) fail(ERR_SPARSE_TOO_LONG);
        if (physical < BLOCK) fail(ERR_EOF);
        const b = await this.src.read(BLOCK);
        if (b.length < BLOCK) fail(ERR_EOF);
        physical -= BLOCK;
        const parts = b.toString('latin1').split('\n');
        if (parts.length === 1) {
          partial.push(parts[0]!); // no newline: a token still growing
          continue;
        }
        tokens.push(partial.join('') + parts[0]!);
        for (let i = 1; i < parts.length - 1; i++) tokens.push(parts[i]!);
        partial = [parts.at(-1)!];
      }
    };
    let at = 0;
    await feed(1n);
    const n = parseInt64(tokens[at++]!);
    if (n === undefined || n < 0n || n >= 1n << 62n) fail(ERR_HEADER);
    await feed(1n + 2n * n!);
    const list: Fragment[] = [];
    for (let i = 0n; i < n!; i++) {
      const offset = parseInt64(tokens[at++]!);
      const length = parseInt64(tokens[at++]!);
      if (offset === undefined || length === undefined) fail(ERR_HEADER);
      pushFragment(list, offset!, length!);
    }
    return [list, physical];
  }

  // Streams one entry's content (holes as zeros) to sink; checks it as Go's
  // reader does when the content is read.
  async content(next: Next, sink: BodySink | undefined): Promise<void> {
    let wanted = sink !== undefined;
    const push = (chunk: Buffer) => {
      if (wanted && sink!.push(chunk) === false) wanted = false;
    };
    const { holes } = next;
    let physical = next.physical;
    if (!holes) {
      if ((await this.src.pass(physical, sink && push)) < physical) fail(ERR_EOF);
    } else {
      let pos = 0n;
      for (const hole of holes) {
        const dataLen = hole.offset - pos;
        if (dataLen > 0n) {
          const take = dataLen > BigInt(physical) ? physical : Number(dataLen);
          if ((await this.src.pass(take, sink && push)) < take) fail(ERR_EOF);
          physical -= take;
          if (BigInt(take) < dataLen) fail(ERR_MISS_DATA);
        }
        for (let z = hole.length; z > 0n && wanted;) {
          const n = z > BigInt(ZEROS.length) ? ZEROS.length : Number(z);
          push(ZEROS.subarray(0, n));
          z -= BigInt(n);
        }
        pos = hole.offset + hole.length;
      }
      if (physical > 0) fail(ERR_UNREF_DATA);
    }
    sink?.end(); // the padding after the data was set when the header was read
  }

  drain(): Promise<void> {
    return this.src.drain();
  }

  close(): Promise<void> {
    return this.src.close();
  }
}

function entryType(flag: number): TarEntryType {
  switch (flag) {
    case REG:
    case CONT:
      return 'file';
    case LINK:
      return 'hardlink';
    case SYMLINK:
      return 'symlink';
    case DIR:
      return 'dir';
    default:
      return 'other'; // devices, FIFOs, global pax headers, old GNU sparse ('S', which runtimes refuse), unknown
  }
}

// Reads a whole tar stream, calling onEntry for each entry Go's Reader.Next
// would return; resolves to the number of entries, or throws TarError.
export async function readTar(chunks: AsyncIterable<Buffer>, onEntry: EntryHandler): Promise<number> {
  const reader = new Reader(new Source(chunks[Symbol.asyncIterator]()));
  let entries = 0;
  try {
    for (let next = await reader.next(); next; next = await reader.next()) {
      entries++;
      await reader.content(next, onEntry(next.entry));
    }
    await reader.drain();
  } catch (err) {
    await reader.close().catch(() => {});
    throw err;
  }
  return entries;
}
