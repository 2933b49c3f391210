import type { Readable } from 'node:stream';
import { ActionError } from '../errors.js';
import type { ScanContext, ScanProblem } from './contract.js';
import { decompressLayer } from './decompress.js';
import { LayeredFs, type Capture, type FileWant } from './filesystem.js';
import { readAhead, type LayerAhead } from './prefetch.js';
import { TarError } from './tar.js';

// One streaming pass over an image's layers: decompress, walk the tar, keep
// what the caller's wants asked for, and hand over each layer's captures as
// soon as that layer is done (the caller parses them, for progress).

export interface LayerSource {
  digest: string;
  open(): Promise<Readable>;
}

// A layer just applied: what it added, and its figures for the progress line.
export interface LayerWalked {
  index: number;
  digest: string;
  added: Capture[];
  compression: string;
  compressedBytes: number;
  bytes: number;
  entries: number;
  started: number; // performance.now() when the layer began
}

// Decimal megabytes, as the scan's progress lines (and the CLI's) print sizes.
export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function layerLine(l: LayerWalked, total: number, packagesSoFar: number): string {
  const seconds = (performance.now() - l.started) / 1000;
  return (
    `layer ${l.index + 1}/${total} ${l.digest.slice(0, 19)} ${l.compression}: ${mb(l.compressedBytes)} → ${mb(l.bytes)}, ` +
    `${l.entries} entries, ${seconds.toFixed(2)} s; ${packagesSoFar} packages so far`
  );
}

// A layer Go's archive/tar (containerd, moby) cannot read is one the runtime
// would not unpack either: any SBOM of it would be untrue, so the run stops.
function layerRefused(digest: string, err: unknown): unknown {
  if (!(err instanceof TarError)) return err;
  return new ActionError(
    'SBOM',
    `layer ${digest} is not a tar archive container runtimes can unpack (${err.message}); nothing was signed: rebuild the image with a standard tar writer and push it again`,
    { cause: err },
  );
}

// Applies every layer in order to a layered filesystem that keeps what
// `wants` match; `warn` hears what was skipped, in scan order; `onLayer` runs
// after each layer (whatever it throws stops the walk, streams closed).
export async function walkLayers(
  layers: LayerSource[],
  wants: readonly FileWant[],
  warn: (problem: ScanProblem) => void,
  onLayer: (layer: LayerWalked, fs: LayeredFs) => Promise<void>,
): Promise<{ fs: LayeredFs; uncompressedBytes: number }> {
  let currentLayer: string | undefined;
  const scan: ScanContext = { inflatedBytes: 0, warn: (path, message) => warn({ path, layer: currentLayer, message }) };
  const fs = new LayeredFs(wants, scan);
  let total = 0;
  // Layers still apply strictly in order (whiteouts); only the next one's
  // transfer runs ahead, one layer and ~2 MiB plus the source's own buffer at most (prefetch.ts).
  const first = layers[0];
  let ahead: LayerAhead | undefined = first ? readAhead(() => first.open()) : undefined;
  let current: LayerAhead | undefined;
  try {
    for (const [i, layer] of layers.entries()) {
      const started = performance.now();
      currentLayer = layer.digest;
      current = ahead;
      ahead = undefined;
      if (!current) throw new Error(`walkLayers: layer ${i} was not opened`);
      // The next layer's request goes out with this one's, not after its
      // answer: a registry's latency is paid once, not once per layer.
      const next = layers[i + 1];
      if (next) ahead = readAhead(() => next.open());
      const raw = await current.stream();
      const source = await decompressLayer(raw, layer.digest);
      let bytes = 0;
      const counted = (async function* () {
        for await (const chunk of source.chunks) {
          bytes += chunk.length;
          yield chunk;
        }
      })();
      let walked: Awaited<ReturnType<LayeredFs['applyLayer']>>;
      try {
        walked = await fs.applyLayer(i, layer.digest, counted);
      } catch (err) {
        // A limit hit mid-layer leaves the rest of the blob unread: close it, or
        // its open connection keeps the process alive after the error.
        current.close();
        throw layerRefused(layer.digest, err);
      }
      total += bytes;
      await onLayer(
        {
          index: i,
          digest: layer.digest,
          added: walked.added,
          compression: source.compression,
          compressedBytes: source.compressedBytes(),
          bytes,
          entries: walked.entries,
          started,
        },
        fs,
      );
      current = undefined;
    }
  } catch (err) {
    // Whatever stopped the scan, no stream stays open: the current layer's
    // and the one read ahead (an open connection keeps the process alive).
    current?.close();
    ahead?.close();
    throw err;
  }
  return { fs, uncompressedBytes: total };
}
