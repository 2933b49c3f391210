import { Readable } from 'node:stream';

// The next layer's blob opens and starts arriving while the current layer is
// walked and parsed, so a registry's first-byte latency and the catalogers'
// CPU time overlap with the transfer. What arrives ahead is held up to about
// `cap` bytes; past that the source is no longer read, so its own
// backpressure stops the transfer. Once the layer is current it is read
// straight from its source: no extra buffer sits in the scan's path (chunks
// held longer survive young-generation GCs and cost full ones).
export const READ_AHEAD_BYTES = 2 * 1024 * 1024;

export interface LayerAhead {
  // The layer's bytes, those read ahead first; rejects as open() did.
  stream(): Promise<Readable>;
  // Destroys the source, now or as soon as it opens.
  close(): void;
}

export function readAhead(open: () => Promise<Readable>, cap = READ_AHEAD_BYTES): LayerAhead {
  let closed = false;
  let source: Readable | undefined;
  const held: Buffer[] = [];
  let heldBytes = 0;
  let failed: { err: unknown } | undefined;
  const onError = (err: unknown) => (failed ??= { err });
  const fill = () => {
    for (let chunk: Buffer | null; heldBytes < cap && (chunk = source!.read() as Buffer | null) !== null;) {
      held.push(chunk);
      heldBytes += chunk.length;
    }
  };
  const opened = open().then((s) => {
    source = s;
    if (closed) s.destroy();
    // Until the scan takes it: an error is kept for then, not thrown unheard.
    s.on('error', onError);
    s.on('readable', fill);
    return s;
  });
  // Not awaited until the scan reaches this layer: an open that fails before
  // then is reported there, in layer order, not as an unhandled rejection.
  opened.catch(() => {});
  return {
    stream: async () => {
      const s = await opened;
      s.off('readable', fill);
      async function* bytes(): AsyncGenerator<Buffer> {
        while (held.length > 0) {
          const chunk = held.shift()!;
          heldBytes -= chunk.length;
          yield chunk;
        }
        if (failed) throw failed.err;
        s.off('error', onError);
        yield* s as AsyncIterable<Buffer>;
      }
      return Readable.from(bytes(), { objectMode: false });
    },
    close: () => {
      closed = true;
      source?.destroy();
    },
  };
}
