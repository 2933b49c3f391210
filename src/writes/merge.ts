import { ActionError } from './errors.js';
import { MEDIA, sha256Digest, type Descriptor, type FetchedManifest, type Manifest, type RegistryClient } from './oci/client.js';
import { digestTag } from './oci/reference.js';

// Writes signatures and attestations to the registry in the two layouts
// verifiers read: cosign's `sha256-<hex>.sig`/`.att` tags and OCI 1.1
// referrers (with the referrers tag-schema fallback). Registries such as
// distribution ignore If-Match, so every shared document (a .sig/.att
// manifest, a fallback index) is updated by write, read back, and merge
// again until both our entries and everything we read are present.

export const COSIGN = {
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  rfc3161: 'dev.sigstore.cosign/rfc3161timestamp',
} as const;

export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
// Annotations on a bundle referrer, as cosign and actions/attest write them.
export const BUNDLE_ANNOTATIONS = {
  content: 'dev.sigstore.bundle.content',
  predicateType: 'dev.sigstore.bundle.predicateType',
} as const;
const EMPTY_CONFIG = Buffer.from('{}');
const MAX_MERGE_ROUNDS = 16;
const SETTLE_MS = 150;

// A layer for a cosign tag: its bytes and annotations.
export interface CosignLayer {
  mediaType: string;
  bytes: Buffer;
  annotations: Record<string, string>;
}

export interface TagWriteResult {
  tag: string;
  manifestDigest: string;
  layerDigests: string[];
}

// Appends layers to `sha256-<hex><suffix>`, keeping every layer already there.
// `replace` drops existing layers the predicate says to drop (cosign's
// `--replace`), only when the user asked for it.
export async function appendCosignLayers(
  client: RegistryClient,
  repo: string,
  subjectDigest: string,
  suffix: '.sig' | '.att',
  layers: CosignLayer[],
  replace?: (existing: Descriptor) => boolean,
): Promise<TagWriteResult> {
  const tag = digestTag(subjectDigest, suffix);
  const ours: Descriptor[] = [];
  for (const l of layers) {
    const blob = await client.putBlob(repo, l.bytes);
    ours.push({ mediaType: l.mediaType, digest: blob.digest, size: blob.size, annotations: l.annotations });
  }
  let dropped: Set<string> | undefined;
  const manifestDigest = await mergeUntilStable(client, repo, tag, {
    entries: (m) => m.layers ?? [],
    key: layerKey,
    ours,
    drop: (existing) => {
      dropped ??= new Set(replace ? existing.filter(replace).map(layerKey) : []);
      return dropped;
    },
    write: (merged) => {
      if (merged.length > 1000) throw new ActionError('REGISTRY', `${repo}:${tag} would exceed cosign's 1000-layer limit; remove old signatures first`);
      return putCosignManifest(client, repo, tag, merged);
    },
  });
  return { tag, manifestDigest, layerDigests: ours.map((d) => d.digest) };
}

interface MergeSpec {
  entries: (m: Manifest) => Descriptor[];
  key: (d: Descriptor) => string;
  ours: Descriptor[];
  drop?: (existing: Descriptor[]) => Set<string>;
  expectIndex?: boolean;
  write: (merged: Descriptor[]) => Promise<void>;
}

// Read, merge, write, read back: returns once two reads a moment apart both
// hold our entries and every entry seen before, so a racing writer's stale
// PUT that lands just after our check is caught and merged again.
async function mergeUntilStable(client: RegistryClient, repo: string, tag: string, spec: MergeSpec): Promise<string> {
  const seen = new Map<string, Descriptor>();
  let confirmations = 0;
  // The longest read-merge-write cycle seen: a racing writer's stale PUT lands
  // at most about that long after its read, so the confirming reads wait at
  // least twice as long (on a loaded machine or a slow registry, 150 ms was
  // seen to be too short and lose one of 16 concurrent signatures).
  let slowestCycleMs = 0;
  for (let round = 0; round < MAX_MERGE_ROUNDS; round++) {
    const cycleStart = Date.now();
    const current = await client.getManifest(repo, tag);
    if (current && spec.expectIndex && current.mediaType !== MEDIA.ociIndex) {
      throw new ActionError('REGISTRY', `${repo}:${tag} exists but is not an OCI index (${current.mediaType}), so the referrers fallback cannot use it; delete that tag`);
    }
    const existing = current ? spec.entries(current.manifest) : [];
    const dropped = spec.drop?.(existing) ?? new Set<string>();
    for (const d of existing) if (!dropped.has(spec.key(d))) seen.set(spec.key(d), d);
    for (const d of spec.ours) if (!seen.has(spec.key(d))) seen.set(spec.key(d), d);
    const present = new Set(existing.map(spec.key));
    const complete = [...seen.keys()].every((k) => present.has(k)) && existing.every((d) => seen.has(spec.key(d)));
    if (current && complete) {
      if (++confirmations >= 2) return current.digest;
      const settle = Math.max(SETTLE_MS, 2 * slowestCycleMs);
      await pause(settle + Math.random() * settle);
      continue;
    }
    confirmations = 0;
    await spec.write([...seen.values()]);
    slowestCycleMs = Math.max(slowestCycleMs, Date.now() - cycleStart);
    await pause(Math.random() * Math.min(400, 25 * 2 ** round));
  }
  throw new ActionError('REGISTRY', `${repo}:${tag} kept changing under concurrent writers after ${MAX_MERGE_ROUNDS} merges; re-run the job`);
}

async function putCosignManifest(client: RegistryClient, repo: string, tag: string, layers: Descriptor[]): Promise<void> {
  // The config is what go-containerregistry's empty image grows into: one
  // diff_id and one empty history entry per (uncompressed) layer.
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
  const configBlob = await client.putBlob(repo, config);
  const manifest: Manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: configBlob.digest, size: configBlob.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, annotations: l.annotations })),
  };
  await client.putManifest(repo, tag, Buffer.from(JSON.stringify(manifest)), MEDIA.ociManifest);
}

// cosign's dedupe rule: same payload, same media type, same annotations
// (signature and certificate included), so a retried or repeated write of an
// identical signature never adds a second layer.
function layerKey(d: Descriptor): string {
  const ann = Object.entries(d.annotations ?? {}).sort(([x], [y]) => x.localeCompare(y));
  return `${d.mediaType}|${d.digest}|${JSON.stringify(ann)}`;
}

export interface ReferrerArtifact {
  bytes: Buffer;
  artifactType: string;
  annotations: Record<string, string>;
}

export interface ReferrerWriteResult {
  manifestDigest: string;
  // The fallback tag, when the registry has no referrers API.
  fallbackTag?: string;
}

// Pushes one artifact manifest per artifact, each with the image as its
// `subject`, then makes them discoverable: registries with the referrers API
// index them themselves; others get the `sha256-<hex>` fallback index
// updated once for the whole batch.
export async function attachReferrers(
  client: RegistryClient,
  repo: string,
  subject: FetchedManifest,
  artifacts: ReferrerArtifact[],
  created: string,
): Promise<ReferrerWriteResult[]> {
  const config = await client.putBlob(repo, EMPTY_CONFIG);
  const descriptors: Descriptor[] = [];
  let subjectAware = true;
  for (const artifact of artifacts) {
    const blob = await client.putBlob(repo, artifact.bytes);
    const annotations = { ...artifact.annotations, 'org.opencontainers.image.created': created };
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      artifactType: artifact.artifactType,
      config: { mediaType: MEDIA.empty, digest: config.digest, size: config.size },
      layers: [{ mediaType: artifact.artifactType, digest: blob.digest, size: blob.size }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.bytes.length },
      annotations,
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const put = await client.putManifest(repo, sha256Digest(bytes), bytes, MEDIA.ociManifest);
    subjectAware &&= put.subjectAware;
    descriptors.push({ mediaType: MEDIA.ociManifest, digest: put.digest, size: bytes.length, artifactType: artifact.artifactType, annotations });
  }
  // Some registries send OCI-Subject without serving the API (ECR), so the
  // API must also answer before the fallback is skipped.
  if (subjectAware && (await client.referrers(repo, subject.digest))) {
    return descriptors.map((d) => ({ manifestDigest: d.digest }));
  }
  const fallbackTag = digestTag(subject.digest);
  await mergeUntilStable(client, repo, fallbackTag, {
    entries: (m) => m.manifests ?? [],
    key: (d) => d.digest,
    ours: descriptors,
    expectIndex: true,
    write: async (merged) => {
      const index: Manifest = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: merged };
      await client.putManifest(repo, fallbackTag, Buffer.from(JSON.stringify(index)), MEDIA.ociIndex);
    },
  });
  return descriptors.map((d) => ({ manifestDigest: d.digest, fallbackTag }));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
