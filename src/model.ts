import type { SerializedBundle } from '@sigstore/bundle';
import type { FetchedManifest, RegistryClient } from './oci/client.js';
import type { Reference } from './oci/reference.js';
import type { RekorEntry } from './sigstore/rekor.js';

// The data that flows between the stages of a run, and nothing live: stages
// take clients explicitly. targets → predicates → sign (log, self-verify,
// bundle files) → attach (and, later, other publishers) → outputs.

// The registry as the stages use it: the seam unit tests fake.
export type Registry = Pick<RegistryClient, 'registry' | 'getManifest' | 'putManifest' | 'putBlob' | 'hasBlob' | 'openBlob' | 'referrers' | 'probePush'>;
// One client per registry host for the run.
export type Registries = (registry: string) => Promise<Registry>;

// An image in a registry, resolved to a digest.
export interface ImageTarget {
  kind: 'image';
  ref: Reference; // ref.digest is always set
  name: string; // registry/repository as users write it
  digest: string;
  manifest: FetchedManifest;
  platform?: string; // set for a platform image found inside a named index
}

// A file (a release asset): a name and a sha256, no registry. Signed and
// logged like an image; nothing is attached to a registry for it.
export interface FileTarget {
  kind: 'file';
  name: string;
  digest: string; // sha256:<hex>
  path?: string;
}

// What a run signs. Today every subject is an image.
export type Subject = ImageTarget | FileTarget;
export type Target = ImageTarget;

export type PredicateKind = 'sbom' | 'provenance';

// One attestation to make: a predicate document and its type. Custom
// predicate types join this list.
export interface Predicate {
  kind: PredicateKind;
  format?: 'cyclonedx' | 'spdx'; // for sbom: each format is its own attestation
  predicateType: string;
  document: object;
  path?: string; // where the document was written
}

// One signature, logged: the v0.3 bundle and the raw pieces the classic
// cosign formats need.
export interface SignedResult {
  kind: 'hashedrekord' | 'dsse';
  bundle: SerializedBundle;
  entry: RekorEntry;
  signature: Buffer;
  // The exact envelope bytes Rekor hashed; cosign's .att layer must equal them.
  envelopeJSON?: string;
  // RFC 3161 timestamp over the signature (what bundle verifiers check).
  timestamp?: Buffer;
  // Over the envelope bytes: cosign checks an .att layer's timestamp
  // annotation against the layer itself, not the signature inside it.
  envelopeTimestamp?: Buffer;
}

// Who signs. Keyless: a Fulcio certificate for the run's identity. A key
// signer carries a public key instead (no certificate, no chain).
export type SignerIdentity =
  | { kind: 'certificate'; san: string; issuer: string; certificatePEM: string; chainPEM: string }
  | { kind: 'key'; publicKeyPEM: string };

export interface Signer {
  readonly identity: SignerIdentity;
  // Raw bytes (cosign simple-signing payloads), logged as a hashedrekord entry.
  signMessage(payload: Buffer): Promise<SignedResult>;
  // An in-toto statement as a DSSE envelope, logged as a dsse entry.
  signStatement(statement: Buffer): Promise<SignedResult>;
}

export interface SignedTarget {
  target: Subject;
  signature?: SignedResult & { payload: Buffer };
  signatureReferrer?: SignedResult;
  attestations: (SignedResult & { predicate: Predicate })[];
}

// Result rows: what one run produced, subject by subject. The outputs, the
// log and the summary are all rendered from these.
export type ArtifactKind = 'signature' | 'signatureReferrer' | PredicateKind;

export interface ArtifactResult {
  kind: ArtifactKind;
  predicateType?: string;
  logIndex: number;
  uuid: string;
  integratedTime: number;
  bundle: string; // path of the v0.3 bundle file
  tag?: string; // cosign tag (`sha256-<hex>.sig` / `.att`)
  tagManifest?: string; // digest of that tag's manifest after our write
  referrer?: string; // digest of our OCI 1.1 referrer manifest
  fallbackTag?: string; // referrers tag-schema index, when the registry lacks the API
  path?: string; // the SBOM document, for sbom
  format?: 'cyclonedx' | 'spdx'; // for sbom: which document this attestation carries
  components?: Record<string, number>; // for sbom: component count per package URL type
}

export interface ImageResult {
  name: string; // registry/repository
  digest: string;
  platform?: string; // set for a platform manifest inside an index
  platforms?: string[]; // set for an index: the platforms it lists
  artifacts: ArtifactResult[];
}
