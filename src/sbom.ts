// The only module that knows CycloneDX. generateImageSboms streams an image
// through the catalogers once and writes each requested format from that one
// package list: buildSbomDocument (pure) makes CycloneDX 1.6, sbom/spdx.ts
// SPDX 2.3; loadSbomFile accepts a user's own SBOM.
import './cyclonedx-preload.js'; // must run before the library loads (ncc ESM bundle)
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Enums, Models, Serialize, Spec, Validation } from '@cyclonedx/cyclonedx-library';
import type { Readable } from 'node:stream';
import { catalogers, settlePackages } from './catalogers/index.js';
import { isSpdxExpression } from './catalogers/common.js';
import { ScanLimitError, type Distro, type Pkg, type Relationship, type ScanProblem } from './catalogers/types.js';
import { ActionError, errorLine } from './errors.js';
import { scanImage } from './image/scan.js';
import type { LayerRef } from './image/source.js';
import type { SbomFormat } from './sbom/formats.js';
import { cpesFor } from './sbom/cpe.js';
import { buildSpdxDocument, buildSpdxIndexDocument, imagePurl, SPDX_PREDICATE, type SpdxTool } from './sbom/spdx.js';

export { SBOM_FORMATS, type SbomFormat } from './sbom/formats.js';
export type { LayerRef };
export type OpenBlob = (digest: string) => Promise<Readable>; // raw (still-compressed) blob bytes
export interface ImageSbomInput {
  name: string;
  digest: string;
  platform?: string;
  layers: LayerRef[];
  openBlob: OpenBlob;
  log?: (line: string) => void;
  validate?: 'always' | 'auto' | 'never';
  tool?: SpdxTool; // names the generator in SPDX creationInfo
}
export interface SbomResult {
  document: Record<string, unknown>;
  json: string;
  componentCount: number;
  format: SbomFormat;
  predicateType: string;
  problems: ScanProblem[]; // what the scanner skipped or truncated (also listed in the document)
}

const CDX_PREDICATE = 'https://cyclonedx.org/bom';
const TOOL = 'sign-attest-action';
const DEFAULT_TOOL: SpdxTool = { name: TOOL, version: 'unknown' };
// Runtime validation is for small images only: it is O(n²) in components
// (the schema's uniqueItems: 2k components take ~0.6 s, 20k ~45 s), and the
// validator adds ~35 MB to the peak memory of a large scan (measured on a
// 1 GB image: 210 MB with it, 177 MB without). Tests validate every document.
const AUTO_VALIDATE_MAX_COMPONENTS = 2000;
const AUTO_VALIDATE_MAX_BYTES = 256e6;

export interface SbomImage {
  name: string;
  digest: string;
  platform?: string;
}

export interface SbomContent {
  image: SbomImage;
  distro?: Distro;
  packages: Pkg[];
  relationships: Relationship[];
  timestamp?: Date;
  problems?: ScanProblem[];
}

// The signed document says what it did not read, so that it is not silently
// incomplete: one metadata property per skipped file (the first ones), and a
// count. Policies can refuse SBOMs that carry sign-attest:scan:incomplete.
const MAX_PROBLEM_PROPERTIES = 100;

export function problemLine(p: ScanProblem): string {
  const where = p.path ? `${p.path}${p.layer ? ` (layer ${p.layer})` : ''}: ` : p.layer ? `layer ${p.layer}: ` : '';
  return `${where}${p.message}`;
}

// CycloneDX allows one license *expression* per component and the library
// silently drops all but the first, so several declared licenses are merged
// here: all SPDX-valid → one AND expression; otherwise each becomes an id or a
// named license.
function licensesOf(declared: string[]): Models.License[] {
  const unique = [...new Set(declared.map((l) => l.trim()).filter(Boolean))];
  if (unique.length === 0) return [];
  const valid = unique.map(isSpdxExpression);
  if (valid.every(Boolean)) {
    if (unique.length === 1) {
      const only = unique[0]!;
      return [/^[A-Za-z0-9.+-]+$/.test(only) && !only.endsWith('+') ? new Models.SpdxLicense(only) : new Models.LicenseExpression(only)];
    }
    return [new Models.LicenseExpression(unique.map((l) => (/\s/.test(l) ? `(${l})` : l)).join(' AND '))];
  }
  // SpdxLicense ids the schema does not know are written as names by the library.
  return unique.map((l, i) => (valid[i] && /^[A-Za-z0-9.-]+$/.test(l) ? new Models.SpdxLicense(l) : new Models.NamedLicense(l)));
}

// Stable across runs for the same image and contents, so re-attesting an
// unchanged image yields the same document apart from the timestamp.
function serialNumber(image: SbomImage, packages: Pkg[]): string {
  const h = createHash('sha256').update(`${image.name}\n${image.digest}\n${image.platform ?? ''}\n`);
  for (const p of packages) h.update(`${p.purl}\n${p.path}\n`);
  const x = h.digest('hex');
  const variant = ((parseInt(x[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-5${x.slice(13, 16)}-${variant}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

export function buildSbomDocument(content: SbomContent): { document: Record<string, unknown>; json: string; componentCount: number } {
  const { image, distro, packages, relationships } = content;
  const bom = new Models.Bom({ serialNumber: serialNumber(image, packages) });
  bom.metadata.timestamp = content.timestamp ?? new Date();
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, TOOL));
  const root = new Models.Component(Enums.ComponentType.Container, image.name, {
    version: image.digest,
    purl: imagePurl(image),
    bomRef: `${image.name}@${image.digest}`,
  });
  if (image.platform) root.properties.add(new Models.Property('sign-attest:platform', image.platform));
  bom.metadata.component = root;
  const problems = content.problems ?? [];
  if (problems.length > 0) {
    bom.metadata.properties.add(new Models.Property('sign-attest:scan:incomplete', String(problems.length)));
    for (const p of problems.slice(0, MAX_PROBLEM_PROPERTIES)) bom.metadata.properties.add(new Models.Property('sign-attest:scan:skipped', problemLine(p)));
  }

  if (distro) {
    const os = new Models.Component(Enums.ComponentType.OperatingSystem, distro.id, {
      version: distro.versionId ?? distro.buildId,
      description: distro.prettyName,
      bomRef: `os:${distro.id}@${distro.versionId ?? distro.buildId ?? ''}`,
    });
    bom.components.add(os);
  }

  // bom-refs must be unique; the same purl found at two paths (two copies of
  // one npm package) gets a suffix derived from its location.
  const purlCount = new Map<string, number>();
  for (const p of packages) purlCount.set(p.purl, (purlCount.get(p.purl) ?? 0) + 1);
  const components = new Map<Pkg, Models.Component>();
  const usedRefs = new Set<string>();
  for (const p of packages) {
    let ref = p.purl;
    if (purlCount.get(p.purl)! > 1) {
      const id = createHash('sha256').update(`${p.path}\n${p.name}\n${p.version}`).digest('hex').slice(0, 16);
      ref = `${p.purl}${p.purl.includes('?') ? '&' : '?'}package-id=${id}`;
    }
    if (usedRefs.has(ref)) continue; // the very same package reported twice
    usedRefs.add(ref);
    const c = new Models.Component(Enums.ComponentType.Library, p.name, {
      version: p.version,
      group: p.group,
      purl: p.purl,
      bomRef: ref,
    });
    for (const l of licensesOf(p.licenses)) c.licenses.add(l);
    // the primary CPE in `cpe`, alternatives as syft writes them
    const [cpe, ...moreCpes] = cpesFor(p);
    if (cpe) c.cpe = cpe;
    for (const alt of moreCpes) c.properties.add(new Models.Property('syft:cpe23', alt));
    c.properties.add(new Models.Property('syft:package:foundBy', p.foundBy));
    c.properties.add(new Models.Property('syft:package:type', p.type));
    c.properties.add(new Models.Property('syft:location:0:layerID', p.layer));
    c.properties.add(new Models.Property('syft:location:0:path', p.path));
    components.set(p, c);
    bom.components.add(c);
  }
  for (const { from, to } of relationships) {
    const a = components.get(from);
    const b = components.get(to);
    if (a && b && a !== b) a.dependencies.add(b.bomRef);
  }

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const json = serializer.serialize(bom, { sortLists: true });
  return { document: JSON.parse(json) as Record<string, unknown>, json, componentCount: bom.components.size };
}

// The SBOM attested on a multi-platform index: the index as the subject and
// one container component per platform image it lists. Each platform's
// packages are in that platform's own SBOM, attested on its own digest.
export function generateIndexSbom(index: SbomImage, platforms: SbomImage[]): SbomResult {
  const bom = new Models.Bom({ serialNumber: serialNumber(index, []) });
  bom.metadata.timestamp = new Date();
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, TOOL));
  const root = new Models.Component(Enums.ComponentType.Container, index.name, {
    version: index.digest,
    purl: imagePurl(index),
    bomRef: `${index.name}@${index.digest}`,
  });
  bom.metadata.component = root;
  for (const p of platforms) {
    const c = new Models.Component(Enums.ComponentType.Container, p.name, {
      version: p.digest,
      purl: imagePurl(p),
      bomRef: `${p.name}@${p.digest}`,
    });
    if (p.platform) c.properties.add(new Models.Property('sign-attest:platform', p.platform));
    bom.components.add(c);
    root.dependencies.add(c.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const json = serializer.serialize(bom, { sortLists: true });
  return { document: JSON.parse(json) as Record<string, unknown>, json, componentCount: bom.components.size, format: 'cyclonedx', predicateType: CDX_PREDICATE, problems: [] };
}

// The index document in each requested format.
export function generateIndexSboms(index: SbomImage, platforms: SbomImage[], formats: readonly SbomFormat[], tool: SpdxTool = DEFAULT_TOOL): SbomResult[] {
  return formats.map((format) => {
    if (format === 'cyclonedx') return generateIndexSbom(index, platforms);
    const spdx = buildSpdxIndexDocument(index, platforms, tool);
    return { document: spdx.document, json: spdx.json, componentCount: spdx.packageCount, format, predicateType: SPDX_PREDICATE, problems: [] };
  });
}

export async function validateCycloneDx(json: string): Promise<string | undefined> {
  const errors: unknown = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json);
  return errors === null ? undefined : JSON.stringify(errors).slice(0, 500);
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
  const problems = content.problems ?? [];
  const results: SbomResult[] = [];
  for (const format of formats) {
    if (format === 'spdx') {
      const spdx = buildSpdxDocument(content, opts.tool ?? DEFAULT_TOOL);
      log(`SBOM (SPDX 2.3): ${spdx.packageCount} packages, ${(spdx.json.length / 1e6).toFixed(2)} MB`);
      results.push({ document: spdx.document, json: spdx.json, componentCount: spdx.packageCount, format, predicateType: SPDX_PREDICATE, problems });
      continue;
    }
    const built = buildSbomDocument(content);
    const mode = opts.validate ?? 'auto';
    const small = built.componentCount <= AUTO_VALIDATE_MAX_COMPONENTS && uncompressedBytes <= AUTO_VALIDATE_MAX_BYTES;
    if (mode === 'always' || (mode === 'auto' && small)) {
      const problem = await validateCycloneDx(built.json);
      if (problem) {
        throw new ActionError('SBOM', `the generated SBOM for ${content.image.name} is not valid CycloneDX 1.6 (${problem}); please report this, or pass your own with the sbom input`);
      }
    }
    log(`SBOM: ${built.componentCount} components, ${content.relationships.length} dependency edges, ${(built.json.length / 1e6).toFixed(2)} MB`);
    results.push({ ...built, format: 'cyclonedx', predicateType: CDX_PREDICATE, problems });
  }
  return results;
}

export async function loadSbomFile(path: string): Promise<{
  document: Record<string, unknown>;
  json: string;
  predicateType: string;
  format: 'cyclonedx' | 'spdx';
  componentCount: number;
}> {
  const fix = 'pass a CycloneDX JSON (bomFormat "CycloneDX") or SPDX JSON (spdxVersion "SPDX-2.x") document, or set sbom: generate to catalog the image instead';
  let json: string;
  try {
    json = await readFile(path, 'utf8');
  } catch (err) {
    throw new ActionError('SBOM', `cannot read sbom file ${path}: ${errorLine(err)}; ${fix}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new ActionError('SBOM', `sbom file ${path} is not JSON (${errorLine(err)}); ${fix}`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ActionError('SBOM', `sbom file ${path} is not a JSON object; ${fix}`);
  }
  const document = parsed as Record<string, unknown>;
  const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  if (document.bomFormat === 'CycloneDX' && typeof document.specVersion === 'string') {
    return { document, json, predicateType: CDX_PREDICATE, format: 'cyclonedx', componentCount: count(document.components) };
  }
  if (typeof document.spdxVersion === 'string' && document.spdxVersion.startsWith('SPDX-')) {
    return { document, json, predicateType: SPDX_PREDICATE, format: 'spdx', componentCount: count(document.packages) };
  }
  throw new ActionError('SBOM', `sbom file ${path} is neither CycloneDX nor SPDX JSON; ${fix}`);
}
