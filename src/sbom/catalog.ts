import { DISTRO_FILES, identifyDistro } from '../catalogers/distro.js';
import { MAX_COMPONENTS, MAX_HELD_PACKAGES } from '../catalogers/limits.js';
import { componentCount, ScanLimitError, type Cataloger, type CatalogResult, type Distro, type Pkg, type Relationship, type ScanProblem } from '../catalogers/types.js';
import type { Capture, FileWant, LayeredFs } from '../image/filesystem.js';
import { layerLine, walkLayers, type LayerSource } from '../image/scan.js';
import { detachStrings } from './detach.js';

// The scan driver: one streaming pass over the image (image/scan.ts) with
// the catalogers as its file wants, parsing each kept file as soon as its
// layer is done (for progress); a file parsed under a distro that a later
// layer changed is parsed again at the end.

export type { LayerSource };

export interface ScanResult {
  distro?: Distro;
  packages: Pkg[];
  relationships: Relationship[];
  warnings: ScanProblem[]; // what was skipped or truncated, in scan order
  uncompressedBytes: number;
}

const distroWant: FileWant = { name: 'distro', match: (path) => (DISTRO_FILES as readonly string[]).includes(path) };

interface Parsed {
  distroKey: string;
  result: CatalogResult;
  overLimit?: string; // the file alone broke a limit that makes the SBOM untrue if it stays
}

export async function scanImage(layers: LayerSource[], catalogers: readonly Cataloger[], log: (line: string) => void = () => {}): Promise<ScanResult> {
  const warnings: ScanProblem[] = [];
  let currentLayer: string | undefined;
  const parsed = new Map<Capture, Map<Cataloger, Parsed>>();
  // Packages of every parsed file still held; a later layer may remove files,
  // so the component limit is checked at the end, but what is held meanwhile
  // is bounded too.
  let held = 0;
  const hold = (previous: Parsed | undefined, next: Parsed) => {
    held += componentCount(next.result.packages) - (previous ? componentCount(previous.result.packages) : 0);
    if (held > MAX_HELD_PACKAGES) {
      throw new ScanLimitError(
        `layer ${currentLayer ?? '(final)'}: more than ${MAX_HELD_PACKAGES} packages held while scanning (${MAX_COMPONENTS} may remain at the end)`,
      );
    }
  };

  const parse = async (capture: Capture, distro: Distro | undefined): Promise<void> => {
    const key = JSON.stringify(distro ?? null);
    let byCataloger = parsed.get(capture);
    if (!byCataloger) parsed.set(capture, (byCataloger = new Map<Cataloger, Parsed>()));
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
        next = { distroKey: key, result: detachStrings(await cataloger.parse({ path: capture.path, layer: capture.layer, content }, { distro, warn })) };
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

  const currentDistro = (fs: LayeredFs): Distro | undefined => {
    const text = (path: string) => fs.read(path, distroWant)?.toString('utf8');
    return identifyDistro(text('/etc/os-release') ?? text('/usr/lib/os-release'), text('/etc/debian_version'));
  };
  const liveResults = (fs: LayeredFs): CatalogResult[] => [...fs.live()].flatMap((c) => [...(parsed.get(c)?.values() ?? [])].map((p) => p.result));

  const { fs, uncompressedBytes } = await walkLayers(
    layers,
    [distroWant, ...catalogers],
    (p) => warnings.push(p),
    async (layer, fs) => {
      currentLayer = layer.digest;
      const distro = currentDistro(fs);
      for (const capture of layer.added) await parse(capture, distro);
      const live = new Set(fs.live());
      for (const [capture, byCataloger] of parsed) {
        if (live.has(capture)) continue;
        for (const p of byCataloger.values()) held -= componentCount(p.result.packages);
        parsed.delete(capture);
      }
      const count = liveResults(fs).reduce((n, r) => n + componentCount(r.packages), 0);
      log(layerLine(layer, layers.length, count));
    },
  );

  currentLayer = undefined;
  const distro = currentDistro(fs);
  for (const capture of fs.live()) await parse(capture, distro);
  // A file still present that broke a limit, or too many components in all:
  // leaving packages out would make the SBOM untrue, so there is none.
  for (const capture of fs.live()) {
    for (const p of parsed.get(capture)?.values() ?? []) {
      if (p.overLimit) throw new ScanLimitError(`${capture.path} (layer ${capture.layer}) lists ${p.overLimit}`);
    }
  }
  const results = liveResults(fs);
  const found = results.reduce((n, r) => n + componentCount(r.packages), 0);
  if (found > MAX_COMPONENTS) throw new ScanLimitError(`the image holds ${found} packages, more than the SBOM component limit of ${MAX_COMPONENTS}`);
  const packages = results.flatMap((r) => r.packages);
  const relationships = results.flatMap((r) => r.relationships);
  for (const cataloger of catalogers) {
    if (!cataloger.relate) continue;
    relationships.push(...cataloger.relate(packages.filter((p) => p.foundBy === cataloger.name)));
  }
  return { distro, packages, relationships, warnings: [...fs.warnings, ...warnings], uncompressedBytes };
}
