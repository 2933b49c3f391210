import { ActionError } from '../errors.js';
import { cosignConfig, cosignManifest, layerKey, MAX_COSIGN_LAYERS, type CosignLayer } from '../formats/cosign.js';
import { EMPTY_CONFIG, fallbackIndex, mergeEntries, referrerDescriptor, referrerManifest, type ReferrerArtifact } from '../formats/referrers.js';
import type { Registry } from '../model.js';
import { MEDIA, sha256Digest, type Descriptor, type FetchedManifest, type Manifest } from '../oci/client.js';
import { digestTag } from '../oci/reference.js';

// Writes signatures and attestations to the registry in the two layouts
// verifiers read: cosign's `sha256-<hex>.sig`/`.att` tags and OCI 1.1
// referrers (with the referrers tag-schema fallback). Registries such as
// distribution ignore If-Match, so every shared document (a .sig/.att
// manifest, a fallback index) is updated by write, read back, and merge
// again until both our entries and everything we read are present. The
// documents themselves are built in formats/.

const MAX_MERGE_ROUNDS = 16;
const SETTLE_MS = 150;

export interface TagWriteResult {
  tag: string;
  manifestDigest: string;
  layerDigests: string[];
}

// Appends layers to `sha256-<hex><suffix>`, keeping every layer already there.
// `replace` drops existing layers the predicate says to drop (cosign's
// `--replace`), only when the user asked for it.
export async function appendCosignLayers(
  client: Registry,
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
      if (merged.length > MAX_COSIGN_LAYERS) throw new ActionError('REGISTRY', `${repo}:${tag} would exceed cosign's 1000-layer limit; remove old signatures first`);
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
async function mergeUntilStable(client: Registry, repo: string, tag: string, spec: MergeSpec): Promise<string> {
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
    const { merged, complete } = mergeEntries(seen, existing, spec.ours, spec.key, spec.drop?.(existing));
    if (current && complete) {
      if (++confirmations >= 2) return current.digest;
      const settle = Math.max(SETTLE_MS, 2 * slowestCycleMs);
      await pause(settle + Math.random() * settle);
      continue;
    }
    confirmations = 0;
    await spec.write(merged);
    slowestCycleMs = Math.max(slowestCycleMs, Date.now() - cycleStart);
    await pause(Math.random() * Math.min(400, 25 * 2 ** round));
  }
  throw new ActionError('REGISTRY', `${repo}:${tag} kept changing under concurrent writers after ${MAX_MERGE_ROUNDS} merges; re-run the job`);
}

async function putCosignManifest(client: Registry, repo: string, tag: string, layers: Descriptor[]): Promise<void> {
  const configBlob = await client.putBlob(repo, cosignConfig(layers));
  await client.putManifest(repo, tag, cosignManifest(configBlob, layers), MEDIA.ociManifest);
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
  client: Registry,
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
    const { bytes, annotations } = referrerManifest(artifact, blob, config, { mediaType: subject.mediaType, digest: subject.digest, size: subject.bytes.length }, created);
    const put = await client.putManifest(repo, sha256Digest(bytes), bytes, MEDIA.ociManifest);
    subjectAware &&= put.subjectAware;
    descriptors.push(referrerDescriptor(put.digest, bytes.length, artifact.artifactType, annotations));
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
      await client.putManifest(repo, fallbackTag, fallbackIndex(merged), MEDIA.ociIndex);
    },
  });
  return descriptors.map((d) => ({ manifestDigest: d.digest, fallbackTag }));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
