// Predicate type URIs, in one place: the statements we sign, the SBOM
// formats, the verifier's policy and the summary all read them here.

export const PREDICATE_TYPES = {
  cosignSign: 'https://sigstore.dev/cosign/sign/v1',
  slsaProvenance: 'https://slsa.dev/provenance/v1',
  cyclonedx: 'https://cyclonedx.org/bom',
  spdx: 'https://spdx.dev/Document',
} as const;

// cosign's `--type` names (cosign:cmd/cosign/cli/options/predicate.go);
// anything else must be a predicate type URI, compared exactly.
export const PREDICATE_TYPE_NAMES: Readonly<Record<string, string>> = {
  custom: 'https://cosign.sigstore.dev/attestation/v1',
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: PREDICATE_TYPES.slsaProvenance,
  cyclonedx: PREDICATE_TYPES.cyclonedx,
  spdx: PREDICATE_TYPES.spdx,
  spdxjson: PREDICATE_TYPES.spdx,
  link: 'https://in-toto.io/Link/v1',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
};

// The short name a cosign command line uses for a predicate type, or the URI
// itself when cosign has none (`--type` accepts either).
export function cosignTypeName(predicateType: string): string {
  if (predicateType === PREDICATE_TYPES.slsaProvenance) return 'slsaprovenance1';
  if (predicateType === PREDICATE_TYPES.spdx) return 'spdxjson';
  return Object.entries(PREDICATE_TYPE_NAMES).find(([, uri]) => uri === predicateType)?.[0] ?? predicateType;
}
