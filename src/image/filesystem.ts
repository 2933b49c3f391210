import type { ContentSink, EntryInfo } from '../catalogers/types.js';
import { readTar, type BodySink, type TarEntry } from './tar.js';

// The final filesystem of an image, as a container runtime would assemble it,
// but holding only the files somebody asked for. Layers are applied in order;
// each captured file remembers the layer it came from.

export interface FileWant {
  name: string;
  match(path: string, entry: EntryInfo): boolean;
  sink?(path: string, entry: EntryInfo): ContentSink;
}

export interface Capture {
  path: string;
  layer: string;
  layerIndex: number;
  info: EntryInfo;
  contents: Map<FileWant, Buffer>;
}

interface Symlink {
  target: string;
  layerIndex: number;
}

// Files above this are not buffered by the default sink (package databases and
// manifests are far smaller); catalogers that need big files bring their own sink.
const MAX_CAPTURE = 64 * 1024 * 1024;
const MAX_LINK_HOPS = 40;

export function normalizePath(raw: string): string {
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
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

export class LayeredFs {
  private readonly captures = new Map<string, Capture>();
  private readonly symlinks = new Map<string, Symlink>();
  private readonly dirs = new Map<string, number>(); // explicit directory entries → layer index
  readonly warnings: string[] = [];

  constructor(private readonly wants: readonly FileWant[]) {}

  // Applies one layer tar; returns the captures it added that are still present.
  async applyLayer(layerIndex: number, layer: string, chunks: AsyncIterable<Buffer>): Promise<{ entries: number; added: Capture[] }> {
    const added = new Set<Capture>();
    const entries = await readTar(chunks, (entry) => this.onEntry(entry, layerIndex, layer, added));
    return { entries, added: [...added].filter((c) => this.captures.get(c.path) === c) };
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

  // A runtime extracts each entry below its parent as resolved on the
  // filesystem so far, so `lib/x` lands in usr/lib/x when a lower layer made
  // lib → usr/lib. Only resolve when a parent really is a symlink (cheap check).
  private canonical(raw: string): string {
    const path = normalizePath(raw);
    if (this.symlinks.size === 0) return path;
    for (let i = path.indexOf('/', 1); i !== -1; i = path.indexOf('/', i + 1)) {
      if (this.symlinks.has(path.slice(0, i))) {
        return `${this.resolve(parentOf(path))}/${path.slice(path.lastIndexOf('/') + 1)}`.replace(/^\/\//, '/');
      }
    }
    return path;
  }

  // Removes path and everything below it that came from layers below `below`.
  private remove(path: string, below: number, self = true): void {
    const prefix = path === '/' ? '/' : path + '/';
    for (const map of [this.captures, this.symlinks] as Map<string, { layerIndex: number }>[]) {
      if (self) {
        const hit = map.get(path);
        if (hit && hit.layerIndex < below) map.delete(path);
      }
      for (const [p, v] of map) if (v.layerIndex < below && p.startsWith(prefix)) map.delete(p);
    }
    for (const [p, l] of this.dirs) if (l < below && (p.startsWith(prefix) || (self && p === path))) this.dirs.delete(p);
  }

  private onEntry(entry: TarEntry, layerIndex: number, layer: string, added: Set<Capture>): BodySink | undefined {
    const path = this.canonical(entry.path);
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (base.startsWith('.wh.')) {
      const dir = parentOf(path);
      // .wh..wh..opq: lower layers' children of dir vanish, dir itself stays.
      if (base === '.wh..wh..opq') this.remove(dir, layerIndex, false);
      else this.remove(`${dir === '/' ? '' : dir}/${base.slice(4)}`, layerIndex);
      return undefined;
    }
    if (entry.type === 'dir') {
      // A directory replaces a lower file or symlink at the same path.
      this.captures.delete(path);
      this.symlinks.delete(path);
      this.dirs.set(path, layerIndex);
      return undefined;
    }
    // A non-directory replaces whatever was at path, including a whole lower directory.
    if (this.dirs.has(path)) this.remove(path, layerIndex);
    this.captures.delete(path);
    this.symlinks.delete(path);
    if (entry.type === 'symlink') {
      this.symlinks.set(path, { target: entry.linkname, layerIndex });
      return undefined;
    }
    if (entry.type === 'hardlink') {
      this.linkHard(path, normalizePath(entry.linkname), layerIndex, layer, added);
      return undefined;
    }
    if (entry.type !== 'file') return undefined;
    const info = { size: entry.size, mode: entry.mode };
    const wanted = this.wants.filter((w) => w.match(path, info));
    if (wanted.length === 0) return undefined;
    const sinks = wanted.map((w) => [w, w.sink ? w.sink(path, info) : collect(MAX_CAPTURE)] as const);
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
        for (const [w, s] of sinks) {
          const content = s.end();
          if (content) contents.set(w, content);
          else if (!w.sink) this.warnings.push(`${path}: larger than ${MAX_CAPTURE} bytes, not read`);
        }
        if (contents.size === 0) return;
        const capture = { path, layer, layerIndex, info, contents };
        this.captures.set(path, capture);
        added.add(capture);
      },
    };
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
      this.warnings.push(`${path}: hardlink to ${target}, whose content was not kept`);
      return;
    }
    const capture = { path, layer, layerIndex, info, contents };
    this.captures.set(path, capture);
    added.add(capture);
  }
}
