// The only module that knows CycloneDX: pure builders from the scanned
// package list (and from an index's platform list) to a CycloneDX 1.6
// document, and the schema check.
import { createHash } from 'node:crypto';
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { isSpdxExpression } from '../catalogers/common.js';
import type { Pkg } from '../catalogers/types.js';
import { cpesFor } from './cpe.js';
import { imagePurl } from './spdx.js';
import { problemLine, TOOL, type SbomContent, type SbomImage } from './types.js';

export { TOOL };

// The signed document says what it did not read, so that it is not silently
// incomplete: one metadata property per skipped file (the first ones), and a
// count. Policies can refuse SBOMs that carry sign-attest:scan:incomplete.
const MAX_PROBLEM_PROPERTIES = 100;

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
export function buildCycloneDxIndexDocument(index: SbomImage, platforms: SbomImage[]): { document: Record<string, unknown>; json: string; componentCount: number } {
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
  return { document: JSON.parse(json) as Record<string, unknown>, json, componentCount: bom.components.size };
}

// The library's JsonStrictValidator(1.6) check, precompiled at build time
// (scripts/gen-cyclonedx-validator.mjs): same schema, options and formats,
// without compiling the schema on every run (~400 ms). A chunk of its own
// (~1 MB of code), loaded only when a document is checked: the documents of
// large images are not (see generate.ts).
export async function validateCycloneDx(json: string): Promise<string | undefined> {
  const { validate: checkBom16 } = await import('./cyclonedx-validate.generated.js');
  const errors: unknown = checkBom16(JSON.parse(json)) ? null : checkBom16.errors;
  return errors === null ? undefined : JSON.stringify(errors).slice(0, 500);
}
