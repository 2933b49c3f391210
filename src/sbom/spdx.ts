import { createHash } from 'node:crypto';
import { isSpdxExpression } from '../catalogers/common.js';
import { purl } from '../catalogers/purl.js';
import type { Pkg } from '../catalogers/types.js';
import type { SbomContent, SbomImage } from './types.js';
import { cpesFor } from './cpe.js';
import { PREDICATE_TYPE } from './formats.js';

// Pure: the same package list the CycloneDX builder takes, out as an SPDX
// 2.3 JSON document. The image is the one package the document DESCRIBES;
// it CONTAINS every cataloged package (and the distro), and catalogers'
// edges become DEPENDS_ON. Nothing here reads or writes anything.

export const SPDX_PREDICATE = PREDICATE_TYPE.spdx;
const NOASSERTION = 'NOASSERTION';
// Our own namespace: SPDX requires a unique URI per document, not one that
// resolves; `.invalid` (RFC 2606) can never point at someone else's site.
const NAMESPACE_BASE = 'https://sign-attest-action.invalid/spdx';

export interface SpdxTool {
  name: string;
  version: string;
}

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  supplier: string;
  originator?: string;
  downloadLocation: string;
  filesAnalyzed: false;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: string;
  primaryPackagePurpose?: string;
  sourceInfo?: string;
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
}

interface Relationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS' | 'DEPENDS_ON';
  relatedSpdxElement: string;
}

// Packages may carry CPEs once a cataloger assigns them.
type WithCpes = Pkg & { cpe?: string; cpes?: string[]; supplier?: string; originator?: string };

// SPDXIDs allow only letters, digits, '.' and '-'.
const idPart = (s: string) =>
  s
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'x';
const shortHash = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);

// Deterministic per image name and digest: the same image documented twice
// gets the same namespace, two images never share one.
export function documentNamespace(image: SbomImage): string {
  const slug = image.name.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${NAMESPACE_BASE}/${slug}/${image.digest.replace(':', '-')}${image.platform ? `/${image.platform.replace(/\//g, '-')}` : ''}`;
}

export function imagePurl(image: SbomImage): string {
  const repository = image.name.replace(/[:@][^/]*$/, '');
  const arch = image.platform?.split('/')[1];
  return purl('oci', undefined, repository.slice(repository.lastIndexOf('/') + 1).toLowerCase(), image.digest, { arch, repository_url: repository });
}

// SPDX has one declared-license field, an expression: declared strings that
// are valid expressions are ANDed; any other text becomes a LicenseRef whose
// text is listed in hasExtractedLicensingInfos.
function declaredLicense(declared: string[], extracted: Map<string, string>): string {
  const unique = [...new Set(declared.map((l) => l.trim()).filter(Boolean))];
  if (unique.length === 0) return NOASSERTION;
  const terms = unique.map((l) => {
    if (isSpdxExpression(l)) return unique.length > 1 && /\s/.test(l) ? `(${l})` : l;
    const id = `LicenseRef-${idPart(l)}`;
    extracted.set(id, l);
    return id;
  });
  return terms.join(' AND ');
}

function imagePackage(id: string, image: SbomImage): SpdxPackage {
  return {
    SPDXID: id,
    name: image.name,
    versionInfo: image.digest,
    supplier: NOASSERTION,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    primaryPackagePurpose: 'CONTAINER',
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: imagePurl(image) }],
  };
}

// The document says what the scan did not read, so it is not silently
// incomplete (CycloneDX carries the same as sign-attest:scan:* properties).
const MAX_PROBLEMS_LISTED = 20;
function problemsComment(problems: SbomContent['problems']): { comment?: string } {
  if (!problems?.length) return {};
  const lines = problems.slice(0, MAX_PROBLEMS_LISTED).map((p) => `${p.path ? `${p.path}: ` : p.layer ? `layer ${p.layer}: ` : ''}${p.message}`);
  const more = problems.length > MAX_PROBLEMS_LISTED ? `; and ${problems.length - MAX_PROBLEMS_LISTED} more` : '';
  return { comment: `sign-attest:scan:incomplete: ${problems.length} skipped: ${lines.join('; ')}${more}` };
}

function envelope(
  image: SbomImage,
  tool: SpdxTool,
  created: Date,
  packages: SpdxPackage[],
  relationships: Relationship[],
  extracted: Map<string, string>,
  problems?: SbomContent['problems'],
) {
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${image.name}@${image.digest}`,
    documentNamespace: documentNamespace(image),
    ...problemsComment(problems),
    creationInfo: {
      created: created.toISOString().replace(/\.\d+Z$/, 'Z'),
      creators: [`Tool: ${tool.name}-${tool.version}`],
    },
    packages,
    relationships,
    ...(extracted.size ? { hasExtractedLicensingInfos: [...extracted].map(([licenseId, text]) => ({ licenseId, extractedText: text, name: text })) } : {}),
  };
}

export function buildSpdxDocument(content: SbomContent, tool: SpdxTool): { document: Record<string, unknown>; json: string; packageCount: number } {
  const { image, distro, packages, relationships } = content;
  const rootId = `SPDXRef-Image-${idPart(image.digest.replace(/^sha256:/, '').slice(0, 16))}`;
  const extracted = new Map<string, string>();
  const out: SpdxPackage[] = [imagePackage(rootId, image)];
  const rels: Relationship[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootId }];

  if (distro) {
    const id = `SPDXRef-OperatingSystem-${idPart(distro.id)}`;
    out.push({
      SPDXID: id,
      name: distro.id,
      versionInfo: distro.versionId ?? distro.buildId,
      supplier: NOASSERTION,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
      primaryPackagePurpose: 'OPERATING_SYSTEM',
      ...(distro.prettyName ? { sourceInfo: distro.prettyName } : {}),
    });
    rels.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  }

  const ids = new Map<Pkg, string>();
  const used = new Set<string>();
  for (const p of packages as WithCpes[]) {
    const id = `SPDXRef-Package-${idPart(p.type)}-${idPart(p.name)}-${shortHash(p.purl, p.path, p.name, p.version)}`;
    if (used.has(id)) {
      ids.set(p, id); // the very same package reported twice
      continue;
    }
    used.add(id);
    ids.set(p, id);
    const given = [...(p.cpe ? [p.cpe] : []), ...(p.cpes ?? [])];
    const cpes = [...new Set(given.length > 0 ? given : cpesFor(p))];
    out.push({
      SPDXID: id,
      name: p.name,
      ...(p.version ? { versionInfo: p.version } : {}),
      supplier: p.supplier ?? NOASSERTION,
      ...(p.originator ? { originator: p.originator } : {}),
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: declaredLicense(p.licenses, extracted),
      copyrightText: NOASSERTION,
      primaryPackagePurpose: 'LIBRARY',
      sourceInfo: `acquired package info from ${p.foundBy}: ${p.path} (layer ${p.layer})`,
      externalRefs: [
        ...cpes.map((c) => ({ referenceCategory: 'SECURITY', referenceType: c.startsWith('cpe:2.3:') ? 'cpe23Type' : 'cpe22Type', referenceLocator: c })),
        { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl },
      ],
    });
    rels.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  }
  const seen = new Set<string>();
  for (const { from, to } of relationships) {
    const a = ids.get(from);
    const b = ids.get(to);
    if (!a || !b || a === b || seen.has(`${a} ${b}`)) continue;
    seen.add(`${a} ${b}`);
    rels.push({ spdxElementId: a, relationshipType: 'DEPENDS_ON', relatedSpdxElement: b });
  }
  const document = envelope(image, tool, content.timestamp ?? new Date(), out, rels, extracted, content.problems);
  return { document, json: JSON.stringify(document), packageCount: out.length - 1 };
}

// The SPDX document attested on a multi-platform index: the index, and one
// container package per platform image it lists (each platform's packages
// are in that platform's own document, attested on its own digest).
export function buildSpdxIndexDocument(
  index: SbomImage,
  platforms: SbomImage[],
  tool: SpdxTool,
  created = new Date(),
): { document: Record<string, unknown>; json: string; packageCount: number } {
  const rootId = 'SPDXRef-Index';
  const out: SpdxPackage[] = [imagePackage(rootId, index)];
  const rels: Relationship[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootId }];
  for (const p of platforms) {
    const id = `SPDXRef-Image-${idPart(p.digest.replace(/^sha256:/, '').slice(0, 16))}`;
    out.push({ ...imagePackage(id, p), ...(p.platform ? { sourceInfo: `platform ${p.platform}` } : {}) });
    rels.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  }
  const document = envelope(index, tool, created, out, rels, new Map());
  return { document, json: JSON.stringify(document), packageCount: out.length - 1 };
}
