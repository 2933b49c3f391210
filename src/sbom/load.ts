import { readFile } from 'node:fs/promises';
import { ActionError, errorLine } from '../errors.js';
import { PREDICATE_TYPES } from '../formats/predicates.js';

// A user's own SBOM file (sbom: <path>): CycloneDX or SPDX JSON, read once.
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
    return { document, json, predicateType: PREDICATE_TYPES.cyclonedx, format: 'cyclonedx', componentCount: count(document.components) };
  }
  if (typeof document.spdxVersion === 'string' && document.spdxVersion.startsWith('SPDX-')) {
    return { document, json, predicateType: PREDICATE_TYPES.spdx, format: 'spdx', componentCount: count(document.packages) };
  }
  throw new ActionError('SBOM', `sbom file ${path} is neither CycloneDX nor SPDX JSON; ${fix}`);
}
