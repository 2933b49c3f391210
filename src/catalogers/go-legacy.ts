// Go 1.13–1.17 build info, read while the executable streams past. The
// "\xff Go buildinf:" header (flag bit 2 clear) holds two pointers to Go string
// headers (runtime.buildVersion, runtime.modinfo), each {data pointer, length}.
// The string headers sit in the data segment after the build info header, but
// the bytes they point to sit in .rodata, before it, so they have streamed
// past by the time the pointers are known. For executables that carry Go's
// build ID note (PT_NOTE named "Go"), the possible targets are noted on the
// way: every "go1." (a version string) and every module-info sentinel, each
// at its file offset. Once the pointers are mapped to file offsets through
// the ELF program headers, the strings are looked up there. The result is the
// Go ≥ 1.18 inline layout, so one parser reads both.

const HEAD = 4096; // ELF and program headers, and the Go note, sit in the first page
const VERSION = Buffer.from('go1.', 'latin1');
const SENTINEL = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const MAX_VERSION = 48;
const MAX_MODINFO = 256 * 1024;
const MAX_VERSION_CANDIDATES = 4096;
const MAX_MODINFO_CANDIDATES = 4;
const SEAM = 15; // a needle split across chunks: at most 15 of its bytes in the earlier one

interface Capture {
  offset: number;
  buf: Buffer;
  filled: number;
}

interface Elf {
  le: boolean;
  loads: { off: number; va: number; size: number }[];
}

// An unsigned word of `size` bytes (4 or 8: a pointer, or an ELF field).
function word(buf: Buffer, at: number, size: number, be: boolean): number {
  if (size === 8) return Number(be ? buf.readBigUInt64BE(at) : buf.readBigUInt64LE(at));
  return be ? buf.readUInt32BE(at) : buf.readUInt32LE(at);
}

function parseElf(head: Buffer): { elf: Elf; goNote: boolean } | undefined {
  if (head.length < 64 || head.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = head[4] === 2;
  const le = head[5] === 1;
  const u16 = (o: number) => (le ? head.readUInt16LE(o) : head.readUInt16BE(o));
  const u32 = (o: number) => word(head, o, 4, !le);
  const uw = (o: number) => word(head, o, is64 ? 8 : 4, !le);
  const phoff = uw(is64 ? 0x20 : 0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  if (phentsize < (is64 ? 56 : 32) || phoff + phnum * phentsize > head.length) return undefined;
  const elf: Elf = { le, loads: [] };
  let goNote = false;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    const type = u32(p);
    const off = uw(p + (is64 ? 8 : 4));
    const va = uw(p + (is64 ? 16 : 8));
    const size = uw(p + (is64 ? 32 : 16));
    if (type === 1) elf.loads.push({ off, va, size });
    if (type === 4 && off + size <= head.length) {
      // notes: namesz, descsz, type, name and desc each padded to 4
      for (let n = off; n + 12 <= off + size;) {
        const namesz = u32(n);
        const descsz = u32(n + 4);
        if (namesz === 4 && u32(n + 8) === 4 && head.toString('latin1', n + 12, n + 16) === 'Go\0\0') goNote = true;
        n += 12 + Math.ceil(namesz / 4) * 4 + Math.ceil(descsz / 4) * 4;
      }
    }
  }
  return { elf, goNote };
}

export class LegacyBuildInfo {
  private head: Buffer[] = [];
  private headLength = 0;
  private elf?: Elf;
  private enabled = false;
  private decided = false;
  private tail = Buffer.alloc(0);
  private readonly versions = new Map<number, Capture>();
  private readonly modinfos = new Map<number, Capture>();
  private pending: Capture[] = [];
  private header?: { ptrSize: number; be: boolean; version: Capture; modinfo: Capture };

  /** Bytes [at, at + chunk.length) of the file, in order. */
  push(chunk: Buffer, at: number): void {
    if (!this.decided) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength >= HEAD) this.decide();
      return;
    }
    if (this.enabled) this.observe(chunk, at);
  }

  private decide(): void {
    this.decided = true;
    const head = Buffer.concat(this.head);
    this.head = [];
    const parsed = parseElf(head);
    this.enabled = !!parsed?.goNote;
    this.elf = parsed?.elf;
    if (this.enabled) this.observe(head, 0);
  }

  private observe(chunk: Buffer, at: number): void {
    const window = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const base = at - this.tail.length;
    const note = (needle: Buffer, into: Map<number, Capture>, max: number, length: number) => {
      for (let i = window.indexOf(needle); i !== -1 && into.size < max; i = window.indexOf(needle, i + 1)) {
        if (into.has(base + i)) continue;
        const c = { offset: base + i, buf: Buffer.alloc(length), filled: 0 };
        into.set(c.offset, c);
        this.pending.push(c);
      }
    };
    note(VERSION, this.versions, MAX_VERSION_CANDIDATES, MAX_VERSION);
    note(SENTINEL, this.modinfos, MAX_MODINFO_CANDIDATES, MAX_MODINFO);
    for (const c of this.pending) {
      const from = Math.max(c.offset, base);
      const to = Math.min(c.offset + c.buf.length, base + window.length);
      if (to > from) {
        window.copy(c.buf, from - c.offset, from - base, to - base);
        c.filled = Math.max(c.filled, to - c.offset);
      }
    }
    this.pending = this.pending.filter((c) => c.filled < c.buf.length);
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - SEAM)));
  }

  private fileOffset(va: number): number | undefined {
    const seg = this.elf?.loads.find((s) => va >= s.va && va < s.va + s.size);
    return seg ? va - seg.va + seg.off : undefined;
  }

  /** The 32-byte pointer-format header, found at file offset `at` (before the bytes that follow it are pushed). */
  found(header: Buffer, at: number): boolean {
    if (!this.decided) this.decide();
    if (!this.enabled || this.header) return false;
    const ptrSize = header[14]!;
    const be = (header[15]! & 1) !== 0;
    const ptr = (o: number) => word(header, o, ptrSize, be);
    const want = (va: number) => {
      const off = this.fileOffset(va);
      const c = { offset: off ?? -1, buf: Buffer.alloc(2 * ptrSize), filled: 0 };
      if (off !== undefined && off >= at) this.pending.push(c);
      return c;
    };
    this.header = { ptrSize, be, version: want(ptr(16)), modinfo: want(ptr(16 + ptrSize)) };
    return true;
  }

  /** The build info in Go ≥ 1.18's inline layout, or undefined. */
  end(): Buffer | undefined {
    const h = this.header;
    if (!h || h.version.filled < h.version.buf.length || h.modinfo.filled < h.modinfo.buf.length) return undefined;
    const read = (c: Capture, o: number) => word(c.buf, o, h.ptrSize, h.be);
    const string = (c: Capture, from: Map<number, Capture>): Buffer | undefined => {
      const [va, length] = [read(c, 0), read(c, h.ptrSize)];
      if (length === 0) return Buffer.alloc(0);
      const off = this.fileOffset(va);
      const found = off === undefined ? undefined : from.get(off);
      return found && length <= found.filled ? found.buf.subarray(0, length) : undefined;
    };
    const version = string(h.version, this.versions);
    const modinfo = string(h.modinfo, this.modinfos) ?? Buffer.alloc(0);
    if (!version) return undefined;
    const varint = (n: number) => {
      const out: number[] = [];
      for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
      out.push(n);
      return Buffer.from(out);
    };
    const inline = Buffer.alloc(32);
    inline.write('\xff Go buildinf:', 0, 'latin1');
    inline[14] = h.ptrSize;
    inline[15] = 2;
    return Buffer.concat([inline, varint(version.length), version, varint(modinfo.length), modinfo]);
  }
}
