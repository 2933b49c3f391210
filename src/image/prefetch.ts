import { PassThrough, pipeline, type Readable } from 'node:stream';

// The next layer's blob opens and starts arriving while the current layer is
// walked and parsed, so a registry's first-byte latency and the catalogers'
// CPU time overlap with the transfer. What arrives ahead waits in a
// backpressured buffer of at most about `cap` bytes (plus the source stream's
// own small buffer); the rest is read only as the scan consumes it.
export const READ_AHEAD_BYTES = 4 * 1024 * 1024;

export interface LayerAhead {
  // The layer's bytes, those read ahead first; rejects as open() did.
  stream(): Promise<Readable>;
  // Destroys the stream and its source, now or as soon as it opens.
  close(): void;
}

export function readAhead(open: () => Promise<Readable>, cap = READ_AHEAD_BYTES): LayerAhead {
  let closed = false;
  const opened = open().then((source) => {
    // Half the cap on each side of the PassThrough: pipe stops reading the
    // source once both are full.
    const buffer = new PassThrough({
      highWaterMark: Math.max(1, Math.floor(cap / 2)),
      // Destroying the buffer destroys the source at once, not a tick later.
      destroy(err, callback) {
        source.destroy();
        callback(err);
      },
    });
    // A source error destroys the buffer with that same error: the scan sees
    // it when it reaches this layer.
    pipeline(source, buffer, () => {});
    if (closed) buffer.destroy();
    return buffer;
  });
  // Not awaited until the scan reaches this layer: an open that fails before
  // then is reported there, in layer order, not as an unhandled rejection.
  opened.catch(() => {});
  return {
    stream: () => opened,
    close: () => {
      closed = true;
      opened.then(
        (s) => s.destroy(),
        () => {},
      );
    },
  };
}
