// The SBOM formats we write, each its own document and, in the action, its
// own signed attestation.
export type SbomFormat = 'cyclonedx' | 'spdx';
export const SBOM_FORMATS: readonly SbomFormat[] = ['cyclonedx', 'spdx'];
export const PREDICATE_TYPE: Record<SbomFormat, string> = {
  cyclonedx: 'https://cyclonedx.org/bom',
  spdx: 'https://spdx.dev/Document',
};
