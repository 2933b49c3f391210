// A minimal tar walker: one pass over decompressed bytes, no copies of bodies
// nobody asked for. Handles ustar prefixes, pax `path`/`linkpath`/`size`
// records and GNU long names (././@LongLink), which layer tars from BuildKit,
// Docker and Kaniko all use for paths over 100 bytes.

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  path: string; // as stored, e.g. "usr/bin/x", "./etc/", "/opt/a"
  type: TarEntryType;
  size: number;
  mode: number;
  linkname: string;
}

export interface BodySink {
  push(chunk: Buffer): void;
  end(): void;
}

// Called once per entry; return a sink to receive the body, or undefined to skip it.
export type EntryHandler = (entry: TarEntry) => BodySink | undefined;

const BLOCK = 512;

function cstring(buf: Buffer, start: number, len: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end === -1 || end > start + len ? start + len : end);
}

function octal(buf: Buffer, start: number, len: number): number {
  // GNU base-256 for values that do not fit in octal (files over 8 GiB).
  if (buf[start]! & 0x80) {
    let value = buf[start]! & 0x7f;
    for (let i = start + 1; i < start + len; i++) value = value * 256 + buf[i]!;
    return value;
  }
  const text = cstring(buf, start, len).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function entryType(flag: number): TarEntryType {
  switch (flag) {
    case 0: // pre-POSIX regular file
    case 0x30: // '0'
    case 0x37: // '7' contiguous file
      return 'file';
    case 0x31:
      return 'hardlink';
    case 0x32:
      return 'symlink';
    case 0x35:
      return 'dir';
    default:
      return 'other';
  }
}

function parsePax(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(body.toString('utf8', pos, space), 10);
    if (!(len > 0)) break;
    const record = body.toString('utf8', space + 1, pos + len - 1); // drop trailing \n
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return records;
}

interface Pending {
  path?: string;
  linkname?: string;
  size?: number;
}

export class TarWalker {
  private header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private remaining = 0; // body bytes left in the current entry
  private padding = 0;
  private sink: BodySink | undefined;
  private meta: { kind: 'pax' | 'longname' | 'longlink'; parts: Buffer[] } | undefined;
  private pending: Pending = {};
  entries = 0;

  constructor(private readonly onEntry: EntryHandler) {}

  write(chunk: Buffer): void {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, len - pos);
        if (this.sink) this.sink.push(chunk.subarray(pos, pos + take));
        else if (this.meta) this.meta.parts.push(Buffer.from(chunk.subarray(pos, pos + take)));
        this.remaining -= take;
        pos += take;
        if (this.remaining === 0) this.finishBody();
        continue;
      }
      if (this.padding > 0) {
        const take = Math.min(this.padding, len - pos);
        this.padding -= take;
        pos += take;
        continue;
      }
      const take = Math.min(BLOCK - this.headerFill, len - pos);
      if (this.headerFill === 0 && take === BLOCK) {
        this.onHeader(chunk.subarray(pos, pos + BLOCK));
      } else {
        chunk.copy(this.header, this.headerFill, pos, pos + take);
        this.headerFill += take;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.onHeader(this.header);
        }
      }
      pos += take;
    }
  }

  private onHeader(h: Buffer): void {
    if (h[0] === 0 && h[156] === 0 && h.every((b) => b === 0)) return; // end-of-archive blocks
    const flag = h[156]!;
    // 'x' pax, 'g' global pax, 'L' GNU long name, 'K' GNU long link name
    const isMeta = flag === 0x78 || flag === 0x67 || flag === 0x4c || flag === 0x4b;
    const size = isMeta ? octal(h, 124, 12) : (this.pending.size ?? octal(h, 124, 12));
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.remaining = size;
    if (isMeta) {
      // Global pax headers carry defaults we do not need: their body is skipped.
      const kind = flag === 0x4c ? 'longname' : flag === 0x4b ? 'longlink' : 'pax';
      this.meta = flag === 0x67 ? undefined : { kind, parts: [] };
      if (size === 0) this.finishBody();
      return;
    }
    let path = this.pending.path;
    if (path === undefined) {
      path = cstring(h, 0, 100);
      // POSIX ustar ("ustar\0") splits long paths into prefix + name; GNU's
      // "ustar  \0" uses those bytes for other fields.
      if (h[257] === 0x75 && h[262] === 0 && h[345] !== 0) path = `${cstring(h, 345, 155)}/${path}`;
    }
    const entry: TarEntry = {
      path,
      type: entryType(flag),
      size: flag === 0x31 || flag === 0x32 || flag === 0x35 ? 0 : size,
      mode: octal(h, 100, 8),
      linkname: this.pending.linkname ?? cstring(h, 157, 100),
    };
    this.pending = {};
    this.entries++;
    this.sink = this.onEntry(entry);
    if (size === 0) this.finishBody();
  }

  private finishBody(): void {
    if (this.sink) {
      this.sink.end();
      this.sink = undefined;
      return;
    }
    const meta = this.meta;
    if (!meta) return;
    this.meta = undefined;
    const body = Buffer.concat(meta.parts);
    if (meta.kind === 'longname') this.pending.path = cstring(body, 0, body.length);
    else if (meta.kind === 'longlink') this.pending.linkname = cstring(body, 0, body.length);
    else {
      const pax = parsePax(body);
      const p = pax.get('path');
      const l = pax.get('linkpath');
      const s = pax.get('size');
      if (p !== undefined) this.pending.path = p;
      if (l !== undefined) this.pending.linkname = l;
      if (s !== undefined) this.pending.size = Number(s);
    }
  }
}
