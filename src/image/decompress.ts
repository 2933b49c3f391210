import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ActionError } from '../errors.js';

// Layer media types lie often enough (docker's ".tar.gzip" on zstd layers,
// registries rewriting types), so the first bytes decide.
export type Compression = 'gzip' | 'zstd' | 'none';

export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

// 256 KiB output chunks: the 16 KiB default halves gunzip throughput.
const CHUNK = 256 * 1024;

export interface DecompressedLayer {
  compression: Compression;
  chunks: AsyncIterable<Buffer>;
  compressedBytes(): number;
}

export async function decompressLayer(raw: Readable, label: string): Promise<DecompressedLayer> {
  const source = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first = await source.next();
  while (!first.done && first.value.length < 4) {
    const next = await source.next();
    if (next.done) break;
    first = { done: false, value: Buffer.concat([first.value, next.value]) };
  }
  let compressed = 0;
  const head = first.done ? Buffer.alloc(0) : first.value;
  const compression = sniffCompression(head);
  async function* counted(): AsyncGenerator<Buffer> {
    if (head.length > 0) {
      compressed += head.length;
      yield head;
    }
    for (let r = await source.next(); !r.done; r = await source.next()) {
      compressed += r.value.length;
      yield r.value;
    }
  }
  let chunks: AsyncIterable<Buffer>;
  if (compression === 'none') {
    chunks = counted();
  } else {
    let inflate: zlib.Gunzip | zlib.ZstdDecompress;
    if (compression === 'gzip') inflate = zlib.createGunzip({ chunkSize: CHUNK });
    else if (typeof zlib.createZstdDecompress === 'function') inflate = zlib.createZstdDecompress({ chunkSize: CHUNK });
    else throw new ActionError('SBOM', `layer ${label} is zstd-compressed, which needs Node 24 or later: run the action on node24`);
    // Readable.from + pipe keeps backpressure; errors from either side end the iteration.
    const input = Readable.from(counted());
    input.on('error', (err) => inflate.destroy(err));
    chunks = input.pipe(inflate);
  }
  return { compression, chunks, compressedBytes: () => compressed };
}
