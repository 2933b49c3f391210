import type { Readable } from 'node:stream';
import type { ScanContext } from './contract.js';
import { decompressLayer } from './decompress.js';
import type { AheadCapture, Capture, LayeredFs } from './filesystem.js';
import { readTar, type BodySink, type TarEntry } from './tar.js';

// One layer's tar, read and parsed either in its turn (each entry applied to
// the filesystem as it comes) or ahead of it, while the layer below is still
// being applied. Layers must apply in order (whiteouts, symlinks), but
// inflating and parsing need not: two layers in flight keep both cores busy.
//
// Ahead of its turn, an entry is held until the layers below are applied,
// with the content of the files it would capture if none of its parents were
// symlinks (most layers name paths as they land). In its turn each held entry
// is replayed in order; a guess that does not hold there (a parent turned out
// to be a symlink, so other wants match, or a want's sink failed) ends what
// this read applies, and the layer is read again from that entry, in turn,
// exactly.
//
// What is held ahead is bounded: past AHEAD_BYTES (entries, their paths, and
// the bytes pushed into their sinks) the read waits for its turn, and so does
// the transfer below it. Files whose wants draw on shared state (`ordered`)
// wait for the turn too: only the rest of the chunk they began in is held.

export const AHEAD_BYTES = 16 * 1024 * 1024;
const ENTRY_COST = 256; // a held entry's objects, roughly, besides its strings

export interface LayerSource {
  digest: string;
  open(): Promise<Readable>;
}

interface Held {
  entry: TarEntry;
  index: number; // of the entry in the layer
  ended: boolean;
  cost: number;
  ahead?: AheadCapture & { warned: [string, string][] };
  failed?: boolean; // a sink threw ahead: the entry is read again in turn
  wait?: { chunks: Buffer[]; sink?: BodySink; endSent?: boolean }; // an ordered file
}

// Thrown into the read to stop it once the scan has stopped.
class Stopped extends Error {}

const NOTHING: BodySink = { push: () => false, end: () => {} };

export interface WalkOptions {
  inTurn?: boolean; // applied as it is read, from the start
  skipBelow?: number; // entries already applied by an earlier read
  added?: Set<Capture>; // what that earlier read captured
  cap?: number; // AHEAD_BYTES, smaller in tests
}

export class LayerWalk {
  readonly added: Set<Capture>;
  bytes = 0;
  compression = 'none';
  private compressedBytesOf = () => 0;
  // A queue: entries from `next` on are waiting (shift() on ten thousand
  // entries would move them all each time).
  private held: (Held | undefined)[] = [];
  private next = 0;
  private heldBytes = 0;
  private inTurn: boolean;
  private stalled = false;
  private wake?: () => void;
  private closed = false;
  private again?: number;
  private raw?: Readable;
  private readonly skipBelow: number;
  private readonly cap: number;
  private readonly read: Promise<number>;

  constructor(
    private readonly fs: LayeredFs,
    private readonly index: number,
    private readonly layer: LayerSource,
    private readonly scan: ScanContext,
    opts: WalkOptions = {},
  ) {
    this.inTurn = opts.inTurn ?? false;
    this.skipBelow = opts.skipBelow ?? 0;
    this.added = opts.added ?? new Set();
    this.cap = opts.cap ?? AHEAD_BYTES;
    this.read = this.run();
    // Not awaited until this layer's turn: a failure ahead is reported then,
    // in layer order, not as an unhandled rejection.
    this.read.catch(() => {});
  }

  compressedBytes(): number {
    return this.compressedBytesOf();
  }

  // This layer's turn: applies what was held, lets the read run on, and
  // resolves once the whole layer is applied, or to the entry to read again from.
  async turn(): Promise<{ entries: number; again?: number }> {
    this.inTurn = true;
    this.pump();
    this.resume();
    const entries = await this.read;
    if (this.again !== undefined) return { entries, again: this.again };
    this.pump();
    if (this.waiting() > 0) throw new Error(`layer ${this.layer.digest}: ${this.waiting()} entries read but never applied`);
    return { entries };
  }

  // Stops the read and closes its stream (an open connection keeps the process alive).
  close(): void {
    this.closed = true;
    this.raw?.destroy();
    this.resume();
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async run(): Promise<number> {
    const raw = await this.layer.open();
    this.raw = raw;
    if (this.closed) raw.destroy();
    const source = await decompressLayer(raw, this.layer.digest);
    this.compression = source.compression;
    this.compressedBytesOf = source.compressedBytes;
    const chunks = async function* (this: LayerWalk): AsyncGenerator<Buffer> {
      for await (const chunk of source.chunks) {
        if (this.closed) throw new Stopped();
        this.bytes += chunk.length;
        yield chunk;
        while (!this.inTurn && !this.closed && (this.stalled || this.heldBytes > this.cap)) {
          await new Promise<void>((resolve) => (this.wake = resolve));
        }
      }
    }.call(this);
    let entry = 0;
    return readTar(chunks, (e) => {
      const index = entry++;
      // Entries an earlier read applied, and, once this read is to stop,
      // those still in the chunk at hand: nothing of them is applied.
      if (index < this.skipBelow || this.again !== undefined || this.closed) return undefined;
      if (this.inTurn && this.waiting() === 0) return this.fs.applyEntry(e, this.index, this.layer.digest, this.added);
      return this.hold(e, index);
    });
  }

  private hold(entry: TarEntry, index: number): BodySink | undefined {
    const base = ENTRY_COST + 2 * (entry.path.length + entry.linkname.length);
    const h: Held = { entry, index, ended: true, cost: base };
    this.held.push(h);
    this.heldBytes += h.cost;
    const guess = this.fs.speculate(entry);
    if (!guess) return undefined;
    h.ended = false;
    const grow = (n: number) => {
      h.cost += n;
      this.heldBytes += n;
    };
    if (guess.wants.some((w) => w.ordered)) {
      const wait = (h.wait = { chunks: [] as Buffer[] } as NonNullable<Held['wait']>);
      this.stalled = true;
      return {
        push: (chunk) => {
          if (wait.sink) return wait.sink.push(chunk);
          wait.chunks.push(chunk);
          grow(chunk.length);
        },
        end: () => {
          h.ended = true;
          this.pump();
        },
      };
    }
    const warned: [string, string][] = [];
    const ahead: NonNullable<Held['ahead']> = (h.ahead = { ...guess, contents: new Map(), problems: [], warned });
    // Sinks run ahead warn into the entry (said in its turn, if it is kept);
    // the shared budget is for ordered wants only.
    const unordered = (): never => {
      throw new Error(`${guess.path}: a want that uses the scan's shared budget must be marked ordered`);
    };
    const scan: ScanContext = {
      get inflatedBytes(): number {
        return unordered();
      },
      set inflatedBytes(_: number) {
        unordered();
      },
      warn: (path, message) => warned.push([path, message]),
    };
    const fail = () => {
      h.failed = true;
      h.ended = true;
      return false;
    };
    let sink: BodySink;
    try {
      sink = this.fs.captureSink(guess.path, this.layer.digest, entry, guess.wants, scan, (contents, problems) => {
        ahead.contents = contents;
        ahead.problems = problems;
      });
    } catch {
      fail();
      return undefined;
    }
    return {
      push: (chunk) => {
        if (h.failed) return false;
        grow(chunk.length);
        try {
          return sink.push(chunk);
        } catch {
          return fail();
        }
      },
      end: () => {
        if (!h.failed) {
          try {
            sink.end();
            let kept = 0;
            for (const b of ahead.contents.values()) kept += b.length;
            grow(base + kept - h.cost); // what it holds now, no longer what was pushed
          } catch {
            fail();
          }
        }
        h.ended = true;
        this.pump();
      },
    };
  }

  private waiting(): number {
    return this.held.length - this.next;
  }

  // In turn: applies the held entries, in order, as far as they have ended.
  private pump(): void {
    while (this.inTurn && this.again === undefined && this.waiting() > 0) {
      const h = this.held[this.next]!;
      if (h.wait) {
        const wait = h.wait;
        if (!wait.sink) {
          wait.sink = this.fs.applyEntry(h.entry, this.index, this.layer.digest, this.added) ?? NOTHING;
          for (const chunk of wait.chunks) wait.sink.push(chunk);
          wait.chunks = [];
        }
        if (!h.ended) return; // the rest of its bytes go straight to the sink; its end pumps again
        if (!wait.endSent) {
          wait.endSent = true;
          wait.sink.end();
        }
      } else {
        if (!h.ended) return;
        const verdict = h.failed ? 'again' : this.fs.replay(h.entry, this.index, this.layer.digest, h.ahead, this.added);
        if (verdict === 'again') {
          // The read runs on to its end, applying nothing more: entries
          // already applied came from it, and only a source read whole has
          // had its digest checked (a registry could serve other bytes twice).
          this.again = h.index;
          this.held = [];
          this.next = 0;
          this.heldBytes = 0;
          return;
        }
        if (verdict === 'kept') for (const [path, message] of h.ahead!.warned) this.scan.warn(path, message);
      }
      this.held[this.next++] = undefined;
      if (this.next === this.held.length) {
        this.held = [];
        this.next = 0;
      }
      this.heldBytes -= h.cost;
    }
  }
}
