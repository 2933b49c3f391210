import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ActionError } from '../errors.js';

// Random access into an uncompressed tar file (an `oci-archive` or a
// `docker save` output): one pass over the headers, seeking past the data,
// records where each regular file's bytes are; a file is then read or
// streamed straight from its offset, so a multi-GB archive is never copied
// or unpacked.

interface Member {
  offset: number;
  size: number;
}

export class TarArchive {
  private constructor(
    readonly path: string,
    private readonly members: Map<string, Member>,
  ) {}

  static async open(path: string, what: string): Promise<TarArchive> {
    const fd = await open(path, 'r').catch((err: unknown) => {
      throw new ActionError('INPUT', `${what}: cannot open ${path} (${(err as Error).message}); pass the path of an existing tar file`);
    });
    const members = new Map<string, Member>();
    try {
      const header = Buffer.alloc(512);
      const fileSize = (await fd.stat()).size;
      let pos = 0;
      let longName: string | undefined;
      for (;;) {
        const { bytesRead } = await fd.read(header, 0, 512, pos);
        if (bytesRead < 512 || header.every((b) => b === 0)) break;
        if (pos === 0 && header[0] === 0x1f && header[1] === 0x8b) {
          throw new ActionError('INPUT', `${what}: ${path} is gzip-compressed; decompress it first (gunzip), the archive must be a plain tar`);
        }
        if (header.toString('latin1', 257, 262) !== 'ustar' && !validChecksum(header)) {
          throw new ActionError('INPUT', `${what}: ${path} is not a tar archive (bad header at byte ${pos}); pass a tar file (skopeo copy … ${what}:FILE writes one)`);
        }
        const size = octal(header.subarray(124, 136));
        const type = String.fromCharCode(header[156] ?? 0x30);
        const data = pos + 512;
        if (data + size > fileSize) throw new ActionError('INPUT', `${what}: ${path} is truncated (an entry runs past the end of the file); copy it again`);
        if (type === 'L' || type === 'x') {
          const body = Buffer.alloc(size);
          await fd.read(body, 0, size, data);
          longName = type === 'L' ? body.toString('utf8').replace(/\0.*$/s, '') : (paxPath(body) ?? longName);
        } else if (type !== 'g') {
          const prefix = header.toString('utf8', 345, 500).replace(/\0.*$/s, '');
          const short = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
          const name = normalize(longName ?? (prefix ? `${prefix}/${short}` : short));
          longName = undefined;
          if (type === '0' || type === '\0' || type === '7') members.set(name, { offset: data, size });
        }
        pos = data + Math.ceil(size / 512) * 512;
      }
    } finally {
      await fd.close();
    }
    return new TarArchive(path, members);
  }

  has(name: string): boolean {
    return this.members.has(normalize(name));
  }

  size(name: string): number {
    return this.members.get(normalize(name))?.size ?? 0;
  }

  async read(name: string): Promise<Buffer | undefined> {
    const m = this.members.get(normalize(name));
    if (!m) return undefined;
    const fd = await open(this.path, 'r');
    try {
      const out = Buffer.alloc(m.size);
      await fd.read(out, 0, m.size, m.offset);
      return out;
    } finally {
      await fd.close();
    }
  }

  stream(name: string): Readable | undefined {
    const m = this.members.get(normalize(name));
    if (!m) return undefined;
    if (m.size === 0) return Readable.from([]);
    return createReadStream(this.path, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 1 << 20 });
  }
}

function normalize(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '');
}

// Sizes are octal text, or base-256 (high bit set) for files over 8 GB.
function octal(field: Buffer): number {
  if ((field[0] ?? 0) & 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  return text ? parseInt(text, 8) : 0;
}

function validChecksum(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
  return sum === octal(h.subarray(148, 156));
}

// A PAX extended header's `path` record ("<len> path=<value>\n").
function paxPath(body: Buffer): string | undefined {
  let i = 0;
  while (i < body.length) {
    const space = body.indexOf(0x20, i);
    if (space < 0) break;
    const len = parseInt(body.toString('latin1', i, space), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = body.toString('utf8', space + 1, i + len - 1);
    if (record.startsWith('path=')) return record.slice(5);
    i += len;
  }
  return undefined;
}
