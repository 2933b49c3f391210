import { MAX_KEPT_BYTES, MAX_KEPT_FILES, MAX_SYMLINKS } from '../catalogers/limits.js';
import { ScanLimitError, type ContentSink, type EntryInfo, type ScanContext, type ScanProblem } from './contract.js';
import { readTar, type BodySink, type TarEntry } from './tar.js';

// The final filesystem of an image, as a container runtime would assemble it,
// but holding only the files somebody asked for. Layers are applied in order;
// each captured file remembers the layer it came from.

export interface FileWant {
  name: string;
  match(path: string, entry: EntryInfo): boolean;
  sink?(path: string, entry: EntryInfo, scan?: ScanContext): ContentSink;
  // Its sink draws on what the scan shares across files (the image-wide
  // inflate budget): it runs only on the layer being applied, in layer order,
  // never on a layer read ahead of its turn (layer-walk.ts).
  ordered?: boolean;
}

export interface Capture {
  path: string;
  layer: string;
  layerIndex: number;
  info: EntryInfo;
  contents: Map<FileWant, Buffer>;
}

// What a file read ahead of its layer's turn captured, under the path it
// would have if none of its parents were symlinks (layer-walk.ts).
export interface AheadCapture {
  path: string;
  wants: FileWant[];
  contents: Map<FileWant, Buffer>;
  problems: ScanProblem[];
}

// replay's verdict on an entry read ahead: applied with what was captured,
// applied without it (nothing wants the file where it really lands), or not
// applied because the guess was wrong and the entry must be read again.
export type Replayed = 'kept' | 'dropped' | 'again';

interface Symlink {
  target: string;
  layerIndex: number;
}

// Files above this are not buffered by the default sink (package databases and
// manifests are far smaller); catalogers that need big files bring their own sink.
const MAX_CAPTURE = 64 * 1024 * 1024;
const MAX_LINK_HOPS = 40;

// Most tar names are already clean ("usr/bin/x", "./usr/bin/x", "dir/"):
// those skip the split and join (one per entry of every layer).
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)|^\.\.?(?:\/|$)|\/$|^\//;
export function normalizePath(raw: string): string {
  let fast = raw.startsWith('./') ? raw.slice(2) : raw;
  if (fast.endsWith('/')) fast = fast.slice(0, -1);
  if (fast.startsWith('/')) fast = fast.slice(1);
  if (fast !== '' && !UNCLEAN.test(fast)) return '/' + fast;
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

function isWhiteout(path: string): boolean {
  return path.startsWith('.wh.', path.lastIndexOf('/') + 1);
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function collect(limit: number): ContentSink {
  const parts: Buffer[] = [];
  let size = 0;
  return {
    push(chunk) {
      size += chunk.length;
      if (size <= limit) parts.push(chunk);
    },
    // concat copies, so no 256 KiB zlib chunk stays alive for a 2 KiB file
    end: () => (size <= limit ? Buffer.concat(parts, size) : undefined),
  };
}

// Which paths exist below a directory, for whiteouts: a node per path
// component, each knowing the lowest layer of anything at or below it, so a
// whiteout visits only what it removes (plus the path to it) instead of every
// path in the image. 20,000 whiteouts over 40,000 paths were quadratic (20 s).
// Only kept files and symlinks are in it (directories matter only for what
// they hold), and leaves have no children map, so a path costs ~200 bytes.
interface Node {
  children?: Map<string, Node>;
  min: number; // lowest layer index at or below; may be stale low, never high
}

const newNode = (min: number): Node => ({ min });
const child = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

export class LayeredFs {
  private readonly captures = new Map<string, Capture>();
  private readonly symlinks = new Map<string, Symlink>();
  private readonly tree = newNode(Infinity);
  private keptBytes = 0;
  private linkChanges = 0;
  private lastParent?: { parent: string; resolved: string | undefined; links: number };
  readonly warnings: ScanProblem[] = [];

  constructor(
    private readonly wants: readonly FileWant[],
    private readonly scan?: ScanContext,
  ) {}

  // Applies one layer tar in a single pass; returns the captures it added that
  // are still present. The scan reads layers through layer-walk.ts instead;
  // this is the plain reference its reading ahead must equal (the tests use it).
  async applyLayer(layerIndex: number, layer: string, chunks: AsyncIterable<Buffer>): Promise<{ entries: number; added: Capture[] }> {
    const added = new Set<Capture>();
    const entries = await readTar(chunks, (entry) => this.applyEntry(entry, layerIndex, layer, added));
    return { entries, added: [...added].filter((c) => this.isLive(c)) };
  }

  // Whether a capture is still in the filesystem (not replaced or removed since).
  isLive(capture: Capture): boolean {
    return this.captures.get(capture.path) === capture;
  }

  live(): Iterable<Capture> {
    return this.captures.values();
  }

  // Follows symlinks in every component (and the last one when asked).
  resolve(path: string, followLast = true): string {
    let pending = path.split('/').filter((p) => p !== '' && p !== '.');
    const out: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '..') {
        out.pop();
        continue;
      }
      const candidate = '/' + (out.length ? out.join('/') + '/' : '') + part;
      const link = this.symlinks.get(candidate);
      if (link && (pending.length > 0 || followLast) && hops++ < MAX_LINK_HOPS) {
        if (link.target.startsWith('/')) out.length = 0;
        pending = [...link.target.split('/').filter((p) => p !== '' && p !== '.'), ...pending];
        continue;
      }
      out.push(part);
    }
    return '/' + out.join('/');
  }

  read(path: string, want: FileWant): Buffer | undefined {
    return this.captures.get(this.resolve(path))?.contents.get(want);
  }

  // Which wants a file at path matches (none: undefined, no array made).
  wantsAt(path: string, entry: EntryInfo): FileWant[] | undefined {
    let wanted: FileWant[] | undefined;
    for (const w of this.wants) if (w.match(path, entry)) (wanted ??= []).push(w);
    return wanted;
  }

  // For a layer read ahead of its turn: what a file entry would capture if
  // none of its parents turned out to be a symlink. No state is read, so this
  // is safe while a lower layer is still being applied.
  speculate(entry: TarEntry): { path: string; wants: FileWant[] } | undefined {
    if (entry.type !== 'file') return undefined;
    const path = normalizePath(entry.path);
    if (isWhiteout(path)) return undefined;
    const wants = this.wantsAt(path, entry);
    return wants && { path, wants };
  }

  // Applies an entry that was read ahead, in its turn. The guess holds when
  // the file lands where it was guessed, when nothing wants it where it
  // lands, or when the same wants match and none has a sink (whose result
  // could depend on the path); otherwise nothing is applied: 'again'.
  replay(entry: TarEntry, layerIndex: number, layer: string, ahead: AheadCapture | undefined, added: Set<Capture>): Replayed {
    const path = this.canonical(entry.path);
    let kept = false;
    if (entry.type === 'file' && !isWhiteout(path)) {
      const wanted = this.wantsAt(path, entry);
      if (wanted && !ahead) return 'again';
      if (wanted && ahead && ahead.path !== path) {
        const same = wanted.length === ahead.wants.length && wanted.every((w, i) => w === ahead.wants[i] && !w.sink);
        if (!same) return 'again';
      }
      kept = wanted !== undefined;
    }
    if (this.applyHeader(entry, path, layerIndex, layer, added)) return 'dropped';
    if (kept && ahead) {
      const problems = ahead.path === path ? ahead.problems : ahead.problems.map((p) => ({ ...p, path }));
      this.keepFile(path, layer, layerIndex, entry, ahead.contents, problems, added);
    }
    return kept ? 'kept' : 'dropped';
  }

  // A runtime extracts each entry below its parent as resolved on the
  // filesystem so far, so `lib/x` lands in usr/lib/x when a lower layer made
  // lib → usr/lib. Only resolve when a parent really is a symlink (cheap check).
  // Entries arrive directory by directory, so the last parent's answer is
  // reused until a symlink is added or removed (every prefix of every path
  // was a string and a map lookup: the largest cost of an entry nobody wants).
  private canonical(raw: string): string {
    const path = normalizePath(raw);
    if (this.symlinks.size === 0) return path;
    const slash = path.lastIndexOf('/');
    if (slash <= 0) return path; // no parent below the root
    const parent = path.slice(0, slash);
    let cached = this.lastParent;
    if (!cached || cached.parent !== parent || cached.links !== this.linkChanges) {
      cached = this.lastParent = { parent, resolved: this.resolvedParent(parent), links: this.linkChanges };
    }
    return cached.resolved === undefined ? path : `${cached.resolved}/${path.slice(slash + 1)}`.replace(/^\/\//, '/');
  }

  // The parent resolved, when it or a directory above it is a symlink.
  private resolvedParent(parent: string): string | undefined {
    for (let i = parent.indexOf('/', 1); ; i = parent.indexOf('/', i + 1)) {
      if (this.symlinks.has(i === -1 ? parent : parent.slice(0, i))) return this.resolve(parent);
      if (i === -1) return undefined;
    }
  }

  // Every change to the symlinks goes through these two (canonical's cache).
  private setLink(path: string, link: Symlink): void {
    this.symlinks.set(path, link);
    this.linkChanges++;
  }

  private deleteLink(path: string): void {
    if (this.symlinks.delete(path)) this.linkChanges++;
  }

  private note(path: string, layerIndex: number): void {
    let node = this.tree;
    node.min = Math.min(node.min, layerIndex);
    for (const part of path.split('/')) {
      if (part === '') continue;
      node.children ??= new Map();
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = newNode(layerIndex)));
      next.min = Math.min(next.min, layerIndex);
      node = next;
    }
  }

  // Walks the canonical path one component at a time and stops at the first
  // one the tree lacks (most paths of a layer: only kept files are in it).
  private find(path: string): Node | undefined {
    let node: Node | undefined = this.tree;
    for (let start = 1; node && start <= path.length;) {
      let end = path.indexOf('/', start);
      if (end === -1) end = path.length;
      if (end > start) {
        if (!node.children) return undefined;
        node = node.children.get(path.slice(start, end));
      }
      start = end + 1;
    }
    return node;
  }

  // The lowest layer of what is at exactly this path, after dropping what
  // came from below `below` (when drop is set).
  private settle(path: string, below: number, drop: boolean): number {
    let min = Infinity;
    const capture = this.captures.get(path);
    if (capture) {
      if (drop && capture.layerIndex < below) this.unkeep(path);
      else min = capture.layerIndex;
    }
    const link = this.symlinks.get(path);
    if (link) {
      if (drop && link.layerIndex < below) this.deleteLink(path);
      else min = Math.min(min, link.layerIndex);
    }
    return min;
  }

  // Everything kept is counted, so that a layer naming millions of small
  // wanted files cannot make the scanner hold them all.
  private keep(capture: Capture): void {
    this.unkeep(capture.path);
    const bytes = [...capture.contents.values()].reduce((n, b) => n + b.length, 0);
    if (this.captures.size >= MAX_KEPT_FILES || this.keptBytes + bytes > MAX_KEPT_BYTES) {
      throw new ScanLimitError(
        `layer ${capture.layer}: at ${capture.path}, more than ${MAX_KEPT_FILES} package files or ${MAX_KEPT_BYTES} bytes of them to keep (the scanner's memory limit)`,
      );
    }
    this.captures.set(capture.path, capture);
    this.keptBytes += bytes;
    this.note(capture.path, capture.layerIndex);
  }

  private unkeep(path: string): void {
    const old = this.captures.get(path);
    if (!old) return;
    for (const b of old.contents.values()) this.keptBytes -= b.length;
    this.captures.delete(path);
  }

  // Removes path and everything below it that came from layers below `below`.
  // Iterative (paths can be thousands of components deep); each removed path
  // is visited once, subtrees with nothing from lower layers not at all.
  private remove(path: string, below: number, self = true): void {
    const top = this.find(path);
    if (!top) return;
    interface Frame {
      node: Node;
      path: string;
      expanded: boolean;
    }
    const stack: Frame[] = [{ node: top, path, expanded: false }];
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      if (!f.expanded) {
        if (f.node.min >= below) {
          stack.pop();
          continue;
        }
        f.expanded = true;
        for (const [name, c] of f.node.children ?? []) if (c.min < below) stack.push({ node: c, path: child(f.path, name), expanded: false });
        continue;
      }
      stack.pop();
      let min = this.settle(f.path, below, f.node !== top || self);
      for (const [name, c] of f.node.children ?? []) {
        if (!c.children?.size && this.settle(child(f.path, name), below, false) === Infinity) f.node.children!.delete(name);
        else min = Math.min(min, c.min);
      }
      f.node.min = min;
    }
  }

  // Applies one entry in its layer's turn; returns the sink for a wanted
  // file's content, which is kept when the sink ends.
  applyEntry(entry: TarEntry, layerIndex: number, layer: string, added: Set<Capture>): BodySink | undefined {
    const path = this.canonical(entry.path);
    if (this.applyHeader(entry, path, layerIndex, layer, added)) return undefined;
    const wanted = this.wantsAt(path, entry);
    if (!wanted) return undefined;
    return this.captureSink(path, layer, entry, wanted, this.scan, (contents, problems) => this.keepFile(path, layer, layerIndex, entry, contents, problems, added));
  }

  // Everything an entry does to the filesystem but capture a file's content;
  // true when that is all it does (it is not a file, or it is a whiteout).
  private applyHeader(entry: TarEntry, path: string, layerIndex: number, layer: string, added: Set<Capture>): boolean {
    if (isWhiteout(path)) {
      const base = path.slice(path.lastIndexOf('/') + 1);
      const dir = parentOf(path);
      // .wh..wh..opq: lower layers' children of dir vanish, dir itself stays.
      if (base === '.wh..wh..opq') this.remove(dir, layerIndex, false);
      else this.remove(`${dir === '/' ? '' : dir}/${base.slice(4)}`, layerIndex);
      return true;
    }
    if (entry.type === 'dir') {
      // A directory replaces a lower file or symlink at the same path.
      this.unkeep(path);
      this.deleteLink(path);
      return true;
    }
    // A non-directory replaces whatever was at path, including a whole lower
    // directory (explicit or implied by its contents), as runtimes do.
    this.remove(path, layerIndex);
    this.unkeep(path);
    this.deleteLink(path);
    if (entry.type === 'symlink') {
      if (this.symlinks.size >= MAX_SYMLINKS) {
        throw new ScanLimitError(`layer ${layer}: at ${path}, more than ${MAX_SYMLINKS} symbolic links (the scanner's limit; paths through them could not be resolved)`);
      }
      this.setLink(path, { target: entry.linkname, layerIndex });
      this.note(path, layerIndex);
      return true;
    }
    if (entry.type === 'hardlink') {
      this.linkHard(path, normalizePath(entry.linkname), layerIndex, layer, added);
      return true;
    }
    return entry.type !== 'file';
  }

  // The sink for a wanted file: each want's own sink, or a buffer. `done`
  // gets the contents and what could not be read once the file has ended.
  captureSink(
    path: string,
    layer: string,
    entry: EntryInfo,
    wanted: readonly FileWant[],
    scan: ScanContext | undefined,
    done: (contents: Map<FileWant, Buffer>, problems: ScanProblem[]) => void,
  ): BodySink {
    const info = { size: entry.size, mode: entry.mode };
    const sinks = wanted.map((w) => [w, w.sink ? w.sink(path, info, scan) : collect(MAX_CAPTURE)] as const);
    // Past the capture limit the default sinks drop bytes: saying so lets the
    // tar reader skip expanding a huge sparse hole for nothing.
    const capped = wanted.every((w) => !w.sink);
    let pushed = 0;
    return {
      push(chunk) {
        for (const [, s] of sinks) s.push(chunk);
        pushed += chunk.length;
        return !capped || pushed <= MAX_CAPTURE;
      },
      end: () => {
        const contents = new Map<FileWant, Buffer>();
        const problems: ScanProblem[] = [];
        for (const [w, s] of sinks) {
          const content = s.end();
          if (content) contents.set(w, content);
          else if (!w.sink) problems.push({ path, layer, message: `larger than the ${MAX_CAPTURE}-byte limit for a package database or manifest, not read` });
        }
        done(contents, problems);
      },
    };
  }

  private keepFile(
    path: string,
    layer: string,
    layerIndex: number,
    entry: EntryInfo,
    contents: Map<FileWant, Buffer>,
    problems: ScanProblem[],
    added: Set<Capture>,
  ): void {
    this.warnings.push(...problems);
    if (contents.size === 0) return;
    const capture = { path, layer, layerIndex, info: { size: entry.size, mode: entry.mode }, contents };
    this.keep(capture);
    added.add(capture);
  }

  // Tar hardlinks name a file already extracted, in this layer or a lower one.
  // Only captured files keep their bytes, so a link is followed only when its
  // target was wanted by the same file wants.
  private linkHard(path: string, target: string, layerIndex: number, layer: string, added: Set<Capture>): void {
    const source = this.captures.get(this.canonical(target));
    const info = source?.info ?? { size: 0, mode: 0 };
    const wanted = this.wants.filter((w) => w.match(path, info));
    if (wanted.length === 0) return;
    const contents = new Map<FileWant, Buffer>();
    for (const w of wanted) {
      const content = source?.contents.get(w);
      if (content) contents.set(w, content);
    }
    if (contents.size === 0) {
      this.warnings.push({ path, layer, message: `hardlink to ${target}, whose content was not kept` });
      return;
    }
    const capture = { path, layer, layerIndex, info, contents };
    this.keep(capture);
    added.add(capture);
  }
}
