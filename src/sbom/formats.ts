import { PREDICATE_TYPES } from '../formats/predicates.js';

// The SBOM formats we write, each its own document and, in the action, its
// own signed attestation.
export type SbomFormat = 'cyclonedx' | 'spdx';
export const SBOM_FORMATS: readonly SbomFormat[] = ['cyclonedx', 'spdx'];
export const PREDICATE_TYPE: Record<SbomFormat, string> = {
  cyclonedx: PREDICATE_TYPES.cyclonedx,
  spdx: PREDICATE_TYPES.spdx,
};
