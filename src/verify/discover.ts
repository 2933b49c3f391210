import { BUNDLE_ANNOTATIONS, COSIGN } from '../attach.js';
import { MEDIA, type Descriptor, type RegistryClient } from '../oci/client.js';
import { resolveArtifactTypes } from './fallback-index.js';
import { digestTag } from '../oci/reference.js';
import type { ClassicLayer } from './classic.js';

// Registry reads only: finds what is attached to an image digest in both
// layouts. Nothing here is trusted; every byte is verified by the caller.

const BUNDLE_ARTIFACT_PREFIX = 'application/vnd.dev.sigstore.bundle';

export interface FoundClassic {
  tag: string;
  index: number;
  layer: ClassicLayer;
}

export interface FoundReferrer {
  manifestDigest: string;
  // The subject the referrer manifest names; must equal the image digest.
  subjectDigest?: string;
  // Unsigned, for display only until the bundle verifies.
  predicateType?: string;
  bundle?: Buffer;
  // Why the bundle could not be read, when it could not.
  problem?: string;
}

// The layers of `sha256-<hex>.sig` or `.att` with the media type cosign uses there.
export async function findClassic(client: RegistryClient, repo: string, digest: string, suffix: '.sig' | '.att'): Promise<FoundClassic[]> {
  const tag = digestTag(digest, suffix);
  const found = await client.getManifest(repo, tag);
  if (!found) return [];
  const wanted = suffix === '.sig' ? COSIGN.simpleSigning : COSIGN.dsseEnvelope;
  const out: FoundClassic[] = [];
  for (const [index, d] of (found.manifest.layers ?? []).entries()) {
    if (d.mediaType !== wanted) continue;
    out.push({ tag, index, layer: { mediaType: d.mediaType, bytes: await client.getBlob(repo, d.digest), annotations: d.annotations ?? {} } });
  }
  return out;
}

// Sigstore bundles attached as OCI 1.1 referrers: the referrers API when the
// registry has it, else the `sha256-<hex>` fallback index tag.
export async function findReferrers(client: RegistryClient, repo: string, digest: string): Promise<FoundReferrer[]> {
  const index = (await client.referrers(repo, digest)) ?? (await fallbackIndex(client, repo, digest));
  const bundles = (index?.manifests ?? []).filter((d) => (d.artifactType ?? '').startsWith(BUNDLE_ARTIFACT_PREFIX));
  return Promise.all(bundles.map((d) => readReferrer(client, repo, d)));
}

async function fallbackIndex(client: RegistryClient, repo: string, digest: string) {
  const found = await client.getManifest(repo, digestTag(digest));
  return found?.mediaType === MEDIA.ociIndex ? resolveArtifactTypes(client, repo, found.manifest) : undefined;
}

async function readReferrer(client: RegistryClient, repo: string, d: Descriptor): Promise<FoundReferrer> {
  const predicateType = d.annotations?.[BUNDLE_ANNOTATIONS.predicateType];
  const found = await client.getManifest(repo, d.digest);
  if (!found) return { manifestDigest: d.digest, predicateType, problem: 'the referrer manifest is listed but missing' };
  const m = found.manifest;
  const base = { manifestDigest: d.digest, subjectDigest: m.subject?.digest, predicateType: m.annotations?.[BUNDLE_ANNOTATIONS.predicateType] ?? predicateType };
  const layers = (m.layers ?? []).filter((l) => l.mediaType.startsWith(BUNDLE_ARTIFACT_PREFIX));
  const layer = layers[0];
  if (layers.length !== 1 || !layer) return { ...base, problem: `expected exactly one bundle layer, found ${layers.length}` };
  return { ...base, bundle: await client.getBlob(repo, layer.digest) };
}
