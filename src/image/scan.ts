import type { Readable } from 'node:stream';
import { DISTRO_FILES, identifyDistro } from '../catalogers/distro.js';
import type { Cataloger, CatalogResult, Distro, Pkg, Relationship } from '../catalogers/types.js';
import { ActionError } from '../errors.js';
import { decompressLayer } from './decompress.js';
import { LayeredFs, type Capture, type FileWant } from './filesystem.js';
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
  warnings: string[];
  uncompressedBytes: number;
}

const distroWant: FileWant = { name: 'distro', match: (path) => (DISTRO_FILES as readonly string[]).includes(path) };

function mb(bytes: number): string {
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
}

export async function scanImage(layers: LayerSource[], catalogers: readonly Cataloger[], log: (line: string) => void = () => {}): Promise<ScanResult> {
  const fs = new LayeredFs([distroWant, ...catalogers]);
  const parsed = new Map<Capture, Map<Cataloger, Parsed>>();
  const warnings: string[] = [];
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
      try {
        const result = await cataloger.parse({ path: capture.path, layer: capture.layer, content }, { distro });
        byCataloger.set(cataloger, { distroKey: key, result });
      } catch (err) {
        // One bad file must not cost the rest of the SBOM.
        warnings.push(`${cataloger.name}: ${capture.path}: ${err instanceof Error ? err.message : String(err)}`);
        byCataloger.set(cataloger, { distroKey: key, result: { packages: [], relationships: [] } });
      }
    }
  };
  const liveResults = (): CatalogResult[] =>
    [...fs.live()].flatMap((c) => [...(parsed.get(c)?.values() ?? [])].map((p) => p.result));

  let total = 0;
  for (const [i, layer] of layers.entries()) {
    const started = performance.now();
    const source = await decompressLayer(await layer.open(), layer.digest);
    let bytes = 0;
    const counted = (async function* () {
      for await (const chunk of source.chunks) {
        bytes += chunk.length;
        yield chunk;
      }
    })();
    const { entries, added } = await fs.applyLayer(i, layer.digest, counted).catch((err: unknown) => {
      throw layerRefused(layer.digest, err);
    });
    const distro = currentDistro();
    for (const capture of added) await parse(capture, distro);
    const live = new Set(fs.live());
    for (const capture of parsed.keys()) if (!live.has(capture)) parsed.delete(capture);
    const count = liveResults().reduce((n, r) => n + r.packages.length, 0);
    total += bytes;
    const seconds = (performance.now() - started) / 1000;
    log(
      `layer ${i + 1}/${layers.length} ${layer.digest.slice(0, 19)} ${source.compression}: ${mb(source.compressedBytes())} → ${mb(bytes)}, ` +
        `${entries} entries, ${seconds.toFixed(2)} s; ${count} packages so far`,
    );
  }

  const distro = currentDistro();
  for (const capture of fs.live()) await parse(capture, distro);
  const results = liveResults();
  const packages = results.flatMap((r) => r.packages);
  const relationships = results.flatMap((r) => r.relationships);
  for (const cataloger of catalogers) {
    if (!cataloger.relate) continue;
    relationships.push(...cataloger.relate(packages.filter((p) => p.foundBy === cataloger.name)));
  }
  return { distro, packages, relationships, warnings: [...fs.warnings, ...warnings], uncompressedBytes: total };
}
