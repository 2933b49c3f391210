import type { EntryInfo } from './types.js';

// Executables worth a look for embedded build metadata (Go buildinfo,
// cargo-auditable): anything with an exec bit that is big enough to be a
// compiled program. Scripts pass too; the sinks reject them in their first bytes.
export function isExecutable(_path: string, entry: EntryInfo): boolean {
  return (entry.mode & 0o111) !== 0 && entry.size > 4096;
}

// Random access over the chunks a sink kept, without concatenating them.
export class Chunks {
  private readonly parts: Buffer[] = [];
  private readonly starts: number[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.parts.push(chunk);
    this.starts.push(this.length);
    this.length += chunk.length;
  }

  read(offset: number, length: number): Buffer {
    if (offset < 0 || offset + length > this.length) throw new RangeError('read past end of file');
    const out = Buffer.allocUnsafe(length);
    let i = this.index(offset);
    let written = 0;
    while (written < length) {
      const part = this.parts[i]!;
      const from = offset + written - this.starts[i]!;
      written += part.copy(out, written, from, Math.min(part.length, from + length - written));
      i++;
    }
    return out;
  }

  private index(offset: number): number {
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
