import type { Readable } from 'node:stream';
import { DISTRO_FILES, identifyDistro } from '../catalogers/distro.js';
import { MAX_COMPONENTS, MAX_HELD_PACKAGES } from '../catalogers/limits.js';
import { componentCount, ScanLimitError, type Cataloger, type CatalogResult, type Distro, type Pkg, type Relationship, type ScanContext, type ScanProblem } from '../catalogers/types.js';
import { ActionError } from '../errors.js';
import { decompressLayer } from './decompress.js';
import { LayeredFs, type Capture, type FileWant } from './filesystem.js';
import { readAhead, type LayerAhead } from './prefetch.js';
import { TarError } from './tar.js';

// One streaming pass over an image's layers: decompress, walk the tar, keep
// what catalogers asked for, and parse each kept file as soon as its layer is
// done (for progress); a file parsed under a distro that a later layer changed
// is parsed again at the end.

export interface LayerSource {
  digest: string;
  open(): Promise<Readable>;
}

export interface ScanResult {
  distro?: Distro;
  packages: Pkg[];
  relationships: Relationship[];
  warnings: ScanProblem[]; // what was skipped or truncated, in scan order
  uncompressedBytes: number;
}

const distroWant: FileWant = { name: 'distro', match: (path) => (DISTRO_FILES as readonly string[]).includes(path) };

// Decimal megabytes, as the scan's progress lines (and the CLI's) print sizes.
export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
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

interface Parsed {
  distroKey: string;
  result: CatalogResult;
  overLimit?: string; // the file alone broke a limit that makes the SBOM untrue if it stays
}

export async function scanImage(layers: LayerSource[], catalogers: readonly Cataloger[], log: (line: string) => void = () => {}): Promise<ScanResult> {
  const warnings: ScanProblem[] = [];
  let currentLayer: string | undefined;
  const scan: ScanContext = { inflatedBytes: 0, warn: (path, message) => warnings.push({ path, layer: currentLayer, message }) };
  const fs = new LayeredFs([distroWant, ...catalogers], scan);
  const parsed = new Map<Capture, Map<Cataloger, Parsed>>();
  // Packages of every parsed file still held; a later layer may remove files,
  // so the component limit is checked at the end, but what is held meanwhile
  // is bounded too.
  let held = 0;
  const hold = (previous: Parsed | undefined, next: Parsed) => {
    held += componentCount(next.result.packages) - (previous ? componentCount(previous.result.packages) : 0);
    if (held > MAX_HELD_PACKAGES) {
      throw new ScanLimitError(`layer ${currentLayer ?? '(final)'}: more than ${MAX_HELD_PACKAGES} packages held while scanning (${MAX_COMPONENTS} may remain at the end)`);
    }
  };
  const currentDistro = (): Distro | undefined => {
    const text = (path: string) => fs.read(path, distroWant)?.toString('utf8');
    return identifyDistro(text('/etc/os-release') ?? text('/usr/lib/os-release'), text('/etc/debian_version'));
  };

  const parse = async (capture: Capture, distro: Distro | undefined): Promise<void> => {
    const key = JSON.stringify(distro ?? null);
    let byCataloger = parsed.get(capture);
    if (!byCataloger) parsed.set(capture, (byCataloger = new Map()));
    for (const cataloger of catalogers) {
      const content = capture.contents.get(cataloger);
      if (!content || byCataloger.get(cataloger)?.distroKey === key) continue;
      // A file parsed again (the distro changed) reports its problems once.
      const again = byCataloger.has(cataloger);
      const warn = (message: string) => {
        if (!again) warnings.push({ path: capture.path, layer: capture.layer, message: `${cataloger.name}: ${message}` });
      };
      const previous = byCataloger.get(cataloger);
      let next: Parsed;
      try {
        next = { distroKey: key, result: await cataloger.parse({ path: capture.path, layer: capture.layer, content }, { distro, warn }) };
      } catch (err) {
        const empty = { packages: [], relationships: [] };
        if (err instanceof ScanLimitError) next = { distroKey: key, result: empty, overLimit: err.message };
        else {
          // One bad file must not cost the rest of the SBOM.
          warn(`not read: ${err instanceof Error ? err.message : String(err)}`);
          next = { distroKey: key, result: empty };
        }
      }
      byCataloger.set(cataloger, next);
      hold(previous, next);
    }
  };
  const liveResults = (): CatalogResult[] =>
    [...fs.live()].flatMap((c) => [...(parsed.get(c)?.values() ?? [])].map((p) => p.result));

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
      if (!current) throw new Error(`scanImage: layer ${i} was not opened`);
      const raw = await current.stream();
      const next = layers[i + 1];
      if (next) ahead = readAhead(() => next.open());
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
      const { entries, added } = walked;
      const distro = currentDistro();
      for (const capture of added) await parse(capture, distro);
      const live = new Set(fs.live());
      for (const [capture, byCataloger] of parsed) {
        if (live.has(capture)) continue;
        for (const p of byCataloger.values()) held -= componentCount(p.result.packages);
        parsed.delete(capture);
      }
      const count = liveResults().reduce((n, r) => n + componentCount(r.packages), 0);
      total += bytes;
      const seconds = (performance.now() - started) / 1000;
      log(
        `layer ${i + 1}/${layers.length} ${layer.digest.slice(0, 19)} ${source.compression}: ${mb(source.compressedBytes())} → ${mb(bytes)}, ` +
          `${entries} entries, ${seconds.toFixed(2)} s; ${count} packages so far`,
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

  currentLayer = undefined;
  const distro = currentDistro();
  for (const capture of fs.live()) await parse(capture, distro);
  // A file still present that broke a limit, or too many components in all:
  // leaving packages out would make the SBOM untrue, so there is none.
  for (const capture of fs.live()) {
    for (const p of parsed.get(capture)?.values() ?? []) {
      if (p.overLimit) throw new ScanLimitError(`${capture.path} (layer ${capture.layer}) lists ${p.overLimit}`);
    }
  }
  const results = liveResults();
  const found = results.reduce((n, r) => n + componentCount(r.packages), 0);
  if (found > MAX_COMPONENTS) throw new ScanLimitError(`the image holds ${found} packages, more than the SBOM component limit of ${MAX_COMPONENTS}`);
  const packages = results.flatMap((r) => r.packages);
  const relationships = results.flatMap((r) => r.relationships);
  for (const cataloger of catalogers) {
    if (!cataloger.relate) continue;
    relationships.push(...cataloger.relate(packages.filter((p) => p.foundBy === cataloger.name)));
  }
  return { distro, packages, relationships, warnings: [...fs.warnings, ...warnings], uncompressedBytes: total };
}
