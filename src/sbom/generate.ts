// The generator: one streaming scan of an image through the catalogers, then
// one document per requested format from that one package list.
import { catalogers, settlePackages } from '../catalogers/index.js';
import { ScanLimitError } from '../catalogers/types.js';
import { ActionError } from '../errors.js';
import { PREDICATE_TYPES } from '../formats/predicates.js';
import { scanImage } from './catalog.js';
import type { SbomFormat } from './formats.js';
import { buildSpdxDocument, buildSpdxIndexDocument, type SpdxTool } from './spdx.js';
import { problemLine, TOOL, type ImageSbomInput, type SbomContent, type SbomImage, type SbomResult } from './types.js';

const DEFAULT_TOOL: SpdxTool = { name: TOOL, version: 'unknown' };

// The CycloneDX library is a chunk of its own (~0.8 MB of bundle, the schema
// check another), loaded when the document is built, after the scan: what a
// scan keeps alive sets how often V8 runs full GCs while the layers stream
// (loaded during the scan, the chunk cost ~0.2 s of GC CPU on a 1 GB image,
// more than its compile saves in wall time). The action builds documents once
// the certificate request has left (sbom/step.ts): the compile overlaps it.
let cyclonedx: Promise<typeof import('./cyclonedx.js')> | undefined;
function loadCycloneDx(): Promise<typeof import('./cyclonedx.js')> {
  return (cyclonedx ??= import('./cyclonedx.js'));
}

// Runtime validation is for small images only: it is O(n²) in components
// (the schema's uniqueItems: 2k components take ~0.6 s, 20k ~45 s), and the
// validator adds ~35 MB to the peak memory of a large scan (measured on a
// 1 GB image: 210 MB with it, 177 MB without). Tests validate every document.
const AUTO_VALIDATE_MAX_COMPONENTS = 2000;
const AUTO_VALIDATE_MAX_BYTES = 256e6;

// The SBOM attested on a multi-platform index, in each requested format: the
// index as the subject and one container component per platform image it
// lists. Each platform's packages are in that platform's own SBOM.
export async function generateIndexSboms(
  index: SbomImage,
  platforms: SbomImage[],
  formats: readonly SbomFormat[],
  tool: SpdxTool = DEFAULT_TOOL,
): Promise<SbomResult[]> {
  const { buildCycloneDxIndexDocument } = await loadCycloneDx();
  return formats.map((format) => {
    if (format === 'cyclonedx') return { ...buildCycloneDxIndexDocument(index, platforms), format, predicateType: PREDICATE_TYPES.cyclonedx, problems: [] };
    const spdx = buildSpdxIndexDocument(index, platforms, tool);
    return { document: spdx.document, json: spdx.json, componentCount: spdx.packageCount, format, predicateType: PREDICATE_TYPES.spdx, problems: [] };
  });
}

export async function generateImageSbom(input: ImageSbomInput): Promise<SbomResult> {
  return (await generateImageSboms(input, ['cyclonedx']))[0]!;
}

// One scan of the image, then one document per format, in the order asked.
export async function generateImageSboms(input: ImageSbomInput, formats: readonly SbomFormat[]): Promise<SbomResult[]> {
  const scanned = await catalogImage(input);
  return renderSboms(scanned, formats, input);
}

export interface CatalogedImage {
  content: SbomContent;
  uncompressedBytes: number;
}

// Streams the layers once through the catalogers: the package list every
// format is written from.
export async function catalogImage(input: ImageSbomInput): Promise<CatalogedImage> {
  const log = input.log ?? (() => {});
  const layers = input.layers.map((l) => ({ digest: l.digest, open: () => input.openBlob(l.digest) }));
  let scan;
  try {
    scan = await scanImage(layers, catalogers, log);
  } catch (err) {
    // A component list cut short would be an untrue SBOM: refuse, sign nothing.
    if (err instanceof ScanLimitError) {
      throw new ActionError(
        'SBOM',
        `cannot generate a complete SBOM for ${input.name}@${input.digest}: ${err.message}; pass your own SBOM with the sbom input, or sbom: false`,
        { cause: err },
      );
    }
    throw err;
  }
  // Every problem in the log (the step's annotations show the first few).
  for (const w of scan.warnings) log(`skipped: ${problemLine(w)}`);
  return {
    content: {
      image: { name: input.name, digest: input.digest, platform: input.platform },
      distro: scan.distro,
      packages: settlePackages(scan.packages),
      relationships: scan.relationships,
      problems: scan.warnings,
    },
    uncompressedBytes: scan.uncompressedBytes,
  };
}

export async function renderSboms(
  { content, uncompressedBytes }: CatalogedImage,
  formats: readonly SbomFormat[],
  opts: Pick<ImageSbomInput, 'log' | 'validate' | 'tool'> = {},
): Promise<SbomResult[]> {
  const log = opts.log ?? (() => {});
  const { buildSbomDocument, validateCycloneDx } = await loadCycloneDx();
  const problems = content.problems ?? [];
  const results: SbomResult[] = [];
  for (const format of formats) {
    if (format === 'spdx') {
      const spdx = buildSpdxDocument(content, opts.tool ?? DEFAULT_TOOL);
      log(`SBOM (SPDX 2.3): ${spdx.packageCount} packages, ${(spdx.json.length / 1e6).toFixed(2)} MB`);
      results.push({ document: spdx.document, json: spdx.json, componentCount: spdx.packageCount, format, predicateType: PREDICATE_TYPES.spdx, problems });
      continue;
    }
    const built = buildSbomDocument(content);
    const mode = opts.validate ?? 'auto';
    const small = built.componentCount <= AUTO_VALIDATE_MAX_COMPONENTS && uncompressedBytes <= AUTO_VALIDATE_MAX_BYTES;
    if (mode === 'always' || (mode === 'auto' && small)) {
      const problem = await validateCycloneDx(built.json);
      if (problem) {
        throw new ActionError(
          'SBOM',
          `the generated SBOM for ${content.image.name} is not valid CycloneDX 1.6 (${problem}); please report this, or pass your own with the sbom input`,
        );
      }
    }
    log(`SBOM: ${built.componentCount} components, ${content.relationships.length} dependency edges, ${(built.json.length / 1e6).toFixed(2)} MB`);
    results.push({ ...built, format: 'cyclonedx', predicateType: PREDICATE_TYPES.cyclonedx, problems });
  }
  return results;
}
