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

// A file (a release asset): a name and a sha256, no registry. Signed by its
// digest (stages/files.ts: the `cosign sign-blob --bundle` shape) and named
// with the other files in one statement per predicate; nothing is attached.
export interface FileTarget {
  kind: 'file';
  name: string;
  digest: string; // sha256:<hex>
  path?: string;
}

// What a run signs. Today every subject is an image.
export type Subject = ImageTarget | FileTarget;
export type Target = ImageTarget;

// predicate: a document from the `predicates` input.
export type PredicateKind = 'sbom' | 'provenance' | 'predicate';

// One attestation to make: a predicate document and its type. Custom
// predicate types join this list.
export interface Predicate {
  kind: PredicateKind;
  format?: 'cyclonedx' | 'spdx'; // for sbom: each format is its own attestation
  predicateType: string;
  typeName?: string; // for predicate: the cosign --type name it was given as
  document: object;
  path?: string; // where the document was written
}

// One signature, logged: the v0.3 bundle and the raw pieces the classic
// cosign formats need.
export interface SignedResult {
  kind: 'hashedrekord' | 'dsse';
  bundle: SerializedBundle;
  // Absent when the signer logs nothing (a key signer with tlog-upload: false).
  entry?: RekorEntry;
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
  | { kind: 'key'; publicKeyPEM: string; publicKeyDER: Buffer; hint: string };

export interface Signer {
  readonly identity: SignerIdentity;
  // Raw bytes (cosign simple-signing payloads), logged as a hashedrekord entry.
  signMessage(payload: Buffer): Promise<SignedResult>;
  // A file by its sha256 digest, logged as a hashedrekord entry (the bundle
  // `cosign sign-blob --bundle` makes for the file's bytes).
  signDigest(digest: Buffer): Promise<SignedResult>;
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
  // The Rekor entry; absent when nothing was logged (key signing with tlog-upload: false).
  logIndex?: number;
  uuid?: string;
  integratedTime?: number;
  bundle: string; // path of the v0.3 bundle file
  tag?: string; // cosign tag (`sha256-<hex>.sig` / `.att`)
  tagManifest?: string; // digest of that tag's manifest after our write
  referrer?: string; // digest of our OCI 1.1 referrer manifest
  fallbackTag?: string; // referrers tag-schema index, when the registry lacks the API
  path?: string; // the SBOM document, for sbom
  format?: 'cyclonedx' | 'spdx'; // for sbom: which document this attestation carries
  components?: Record<string, number>; // for sbom: component count per package URL type
  attestationId?: number; // id in the repository's GitHub attestation store
  attestationUrl?: string; // its page: {server}/{owner}/{repo}/attestations/{id}
  typeName?: string; // for predicate: the cosign --type name it was given as
}

export interface ImageResult {
  name: string; // registry/repository
  digest: string;
  platform?: string; // set for a platform manifest inside an index
  platforms?: string[]; // set for an index: the platforms it lists
  artifacts: ArtifactResult[];
}

// A release file: its own signature, and the statements (provenance, custom
// predicates) that name it among their subjects.
export interface FileResult {
  name: string; // the subject name
  digest: string;
  path?: string; // on disk (subject-path); absent for a subject-checksums line
  artifacts: FileArtifact[];
}

export interface FileArtifact {
  kind: 'signature' | 'provenance' | 'predicate';
  predicateType?: string;
  typeName?: string;
  // Absent when nothing was logged (signing-key with tlog-upload: false).
  logIndex?: number;
  uuid?: string;
  integratedTime?: number;
  bundle: string;
  subjects?: number; // for a statement: how many files it names
  part?: string; // `2/3` when the files were split over several statements
}
