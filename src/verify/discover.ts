import { COSIGN } from '../formats/cosign.js';
import { BUNDLE_ANNOTATIONS } from '../formats/referrers.js';
import { ActionError } from '../errors.js';
import { formatBytes } from '../http.js';
import { MEDIA, type Descriptor, type FetchedManifest, type RegistryClient } from '../oci/client.js';
import { resolveArtifactTypes } from './fallback-index.js';
import { digestTag } from '../oci/reference.js';

// Registry reads only: finds what is attached to an image digest in both
// layouts. Nothing here is trusted; every byte is verified by the caller.
// Every read is bounded: manifests by the client's 4 MiB limit, the number of
// items by MAX_ITEMS, and each signature layer or bundle by its own limit.

const BUNDLE_ARTIFACT_PREFIX = 'application/vnd.dev.sigstore.bundle';

export const DISCOVERY_LIMITS = {
  // cosign refuses a .sig/.att manifest with more than 1000 layers (and our
  // signing side never writes more); the same bound caps bundle referrers.
  // Over it the image fails: checking only some items could pass an image
  // with a forged one among the rest.
  items: 1000,
  // A simple-signing payload is a digest, a reference and optional
  // annotations: a few hundred bytes. 1 MiB is thousands of times that.
  signaturePayload: 1024 * 1024,
  // A DSSE envelope or bundle carries a whole statement, SBOMs included
  // (base64 in the envelope): 16 MiB holds a ~12 MB CycloneDX document, far
  // beyond typical image SBOMs, while 4 reads in flight stay ~64 MiB.
  envelope: 16 * 1024 * 1024,
  // Reads in flight per image, as go-containerregistry (cosign's registry
  // library) defaults to.
  concurrency: 4,
  // All attachment blobs and referrer manifests read for one image: bounds
  // the download and the time (1000 items at their per-item limits would be
  // gigabytes), while a thousand signatures plus dozens of SBOM attestations
  // stay far below it.
  totalBytes: 512 * 1024 * 1024,
} as const;

// Counts what is read for one image's attachments and stops at the limit.
export class ReadBudget {
  private spent = 0;
  constructor(
    private readonly where: string,
    private readonly limit: number = DISCOVERY_LIMITS.totalBytes,
  ) {}

  spend(bytes: number): void {
    this.spent += bytes;
    if (this.spent > this.limit) {
      throw new ActionError(
        'REGISTRY',
        `${this.where}: the signatures and attestations attached add up to more than ${formatBytes(this.limit)}, the limit per image; reading stopped there, so not all were checked: remove stale signatures and attestations`,
      );
    }
  }
}

// One layer of a `.sig` or `.att` manifest, not yet read.
export interface ClassicEntry {
  tag: string;
  index: number;
  descriptor: Descriptor;
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
export async function listClassic(client: RegistryClient, repo: string, digest: string, suffix: '.sig' | '.att'): Promise<ClassicEntry[]> {
  const tag = digestTag(digest, suffix);
  const found = await client.getManifest(repo, tag);
  if (!found) return [];
  const layers = Array.isArray(found.manifest.layers) ? found.manifest.layers : [];
  if (layers.length > DISCOVERY_LIMITS.items) {
    throw new ActionError(
      'REGISTRY',
      `${client.registry}/${repo}:${tag} has ${layers.length} layers, over the limit of ${DISCOVERY_LIMITS.items} (cosign's); not one was checked, since any could be forged: remove old signatures from that tag`,
    );
  }
  const wanted = suffix === '.sig' ? COSIGN.simpleSigning : COSIGN.dsseEnvelope;
  return layers.flatMap((descriptor, index) => (descriptor?.mediaType === wanted ? [{ tag, index, descriptor }] : []));
}

// The most a classic layer of this kind may be.
export function layerLimit(descriptor: Descriptor): number {
  return descriptor.mediaType === COSIGN.simpleSigning ? DISCOVERY_LIMITS.signaturePayload : DISCOVERY_LIMITS.envelope;
}

// Reads a classic layer's blob, within the limit for its kind.
export async function readClassicLayer(client: RegistryClient, repo: string, descriptor: Descriptor, budget: ReadBudget): Promise<Buffer> {
  const what = descriptor.mediaType === COSIGN.simpleSigning ? 'signature layer' : 'attestation layer';
  const bytes = await client.getBlob(repo, descriptor, layerLimit(descriptor), what);
  budget.spend(bytes.length);
  return bytes;
}

// Sigstore bundles attached as OCI 1.1 referrers: the referrers API when the
// registry has it, else the `sha256-<hex>` fallback index tag. Each manifest
// is listed once however often the index repeats it; one already read to
// learn its artifact type comes with it (`fetched`) and is not read again.
export interface ListedReferrer extends Descriptor {
  fetched?: FetchedManifest;
}

export async function listReferrers(client: RegistryClient, repo: string, digest: string): Promise<ListedReferrer[]> {
  const fetched = new Map<string, FetchedManifest>();
  const index = (await client.referrers(repo, digest)) ?? (await fallbackIndex(client, repo, digest, fetched));
  const listed = Array.isArray(index?.manifests) ? index.manifests : [];
  const unique = new Map<string, ListedReferrer>();
  for (const d of listed) {
    if (typeof d?.digest === 'string' && (d.artifactType ?? '').startsWith(BUNDLE_ARTIFACT_PREFIX) && !unique.has(d.digest)) {
      const manifest = fetched.get(d.digest);
      unique.set(d.digest, manifest ? { ...d, fetched: manifest } : d);
    }
  }
  if (unique.size > DISCOVERY_LIMITS.items) {
    throw new ActionError(
      'REGISTRY',
      `${client.registry}/${repo}: ${unique.size} bundle referrers are attached to ${digest}, over the limit of ${DISCOVERY_LIMITS.items}; not one was checked, since any could be forged: delete stale referrers`,
    );
  }
  return [...unique.values()];
}

async function fallbackIndex(client: RegistryClient, repo: string, digest: string, fetched: Map<string, FetchedManifest>) {
  const found = await client.getManifest(repo, digestTag(digest));
  return found?.mediaType === MEDIA.ociIndex ? resolveArtifactTypes(client, repo, found.manifest, DISCOVERY_LIMITS, fetched) : undefined;
}

export async function readReferrer(client: RegistryClient, repo: string, d: ListedReferrer, budget: ReadBudget): Promise<FoundReferrer> {
  const predicateType = d.annotations?.[BUNDLE_ANNOTATIONS.predicateType];
  const found = d.fetched ?? (await client.getManifest(repo, d.digest));
  if (!found) return { manifestDigest: d.digest, predicateType, problem: 'the referrer manifest is listed but missing' };
  budget.spend(found.bytes.length);
  const m = found.manifest;
  const base = { manifestDigest: d.digest, subjectDigest: m.subject?.digest, predicateType: m.annotations?.[BUNDLE_ANNOTATIONS.predicateType] ?? predicateType };
  const layers = (Array.isArray(m.layers) ? m.layers : []).filter((l) => typeof l?.mediaType === 'string' && l.mediaType.startsWith(BUNDLE_ARTIFACT_PREFIX));
  const layer = layers[0];
  if (layers.length !== 1 || !layer) return { ...base, problem: `expected exactly one bundle layer, found ${layers.length}` };
  const bundle = await client.getBlob(repo, layer, DISCOVERY_LIMITS.envelope, 'bundle');
  budget.spend(bundle.length);
  return { ...base, bundle };
}
