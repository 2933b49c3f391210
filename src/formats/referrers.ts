import { MEDIA, type Descriptor, type Manifest } from '../oci/client.js';

// OCI 1.1 referrers as pure builders: the Sigstore bundle artifact manifest,
// the referrers tag-schema fallback index, and the merge of a shared
// document's entries. No I/O.

export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
// Annotations on a bundle referrer, as cosign and actions/attest write them.
export const BUNDLE_ANNOTATIONS = {
  content: 'dev.sigstore.bundle.content',
  predicateType: 'dev.sigstore.bundle.predicateType',
} as const;
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';
export const EMPTY_CONFIG = Buffer.from('{}');

export interface ReferrerArtifact {
  bytes: Buffer;
  artifactType: string;
  annotations: Record<string, string>;
}

// A Sigstore bundle as a referrer artifact, tagged with its predicate type.
export function bundleArtifact(bundle: object, predicateType: string): ReferrerArtifact {
  return {
    bytes: Buffer.from(JSON.stringify(bundle)),
    artifactType: BUNDLE_MEDIA_TYPE,
    annotations: { [BUNDLE_ANNOTATIONS.content]: 'dsse-envelope', [BUNDLE_ANNOTATIONS.predicateType]: predicateType },
  };
}

// The artifact manifest: an empty config, the artifact as its one layer, and
// the image as its subject.
export function referrerManifest(
  artifact: ReferrerArtifact,
  blob: { digest: string; size: number },
  config: { digest: string; size: number },
  subject: { mediaType: string; digest: string; size: number },
  created: string,
): { bytes: Buffer; annotations: Record<string, string> } {
  const annotations = { ...artifact.annotations, [CREATED_ANNOTATION]: created };
  const manifest: Manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    artifactType: artifact.artifactType,
    config: { mediaType: MEDIA.empty, digest: config.digest, size: config.size },
    layers: [{ mediaType: artifact.artifactType, digest: blob.digest, size: blob.size }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
  return { bytes: Buffer.from(JSON.stringify(manifest)), annotations };
}

// The descriptor a fallback index lists for one referrer manifest.
export function referrerDescriptor(digest: string, size: number, artifactType: string, annotations: Record<string, string>): Descriptor {
  return { mediaType: MEDIA.ociManifest, digest, size, artifactType, annotations };
}

export function fallbackIndex(manifests: Descriptor[]): Buffer {
  const index: Manifest = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests };
  return Buffer.from(JSON.stringify(index));
}

// One round of merging a shared document (a `.sig`/`.att` manifest's layers,
// a fallback index's manifests): `seen` gathers every entry read so far (less
// those `dropped`) and ours; the document is complete when it holds exactly
// what was seen. Pure: the caller reads, writes and repeats.
export function mergeEntries(
  seen: Map<string, Descriptor>,
  existing: Descriptor[],
  ours: Descriptor[],
  key: (d: Descriptor) => string,
  dropped: Set<string> = new Set(),
): { merged: Descriptor[]; complete: boolean } {
  for (const d of existing) if (!dropped.has(key(d))) seen.set(key(d), d);
  for (const d of ours) if (!seen.has(key(d))) seen.set(key(d), d);
  const present = new Set(existing.map(key));
  const complete = [...seen.keys()].every((k) => present.has(k)) && existing.every((d) => seen.has(key(d)));
  return { merged: [...seen.values()], complete };
}
