import { cosignConfig, layerKey, replacedBy, type CosignLayer } from '../formats/cosign.js';
import { EMPTY_CONFIG, mergeEntries, referrerDescriptor, referrerManifest, type ReferrerArtifact } from '../formats/referrers.js';
import { sha256Digest, type Descriptor } from '../oci/client.js';
import { digestTag } from '../oci/reference.js';

// Every registry write of a run as a dependency graph, computed from data
// alone (no client, no clock): blobs first, then the manifests that name
// them, then the shared tags (.sig, .att, the referrers fallback index) that
// are read, merged and written until stable. One executor (execute.ts) runs
// it with as much concurrency as the edges allow.

export type StepId = string;

// A blob to upload.
export interface BlobStep {
  kind: 'blob';
  id: StepId;
  registry: string;
  repo: string;
  bytes: Buffer;
  digest: string;
}

// A manifest pushed by digest (a referrer artifact manifest).
export interface ManifestStep {
  kind: 'manifest';
  id: StepId;
  registry: string;
  repo: string;
  bytes: Buffer;
  digest: string;
  after: StepId[];
}

// A shared tag merged with what is already there: cosign's `.sig`/`.att`
// image, or the referrers tag-schema fallback index.
export interface MergeStep {
  kind: 'merge';
  id: StepId;
  registry: string;
  repo: string;
  tag: string;
  document: 'cosign' | 'fallback-index';
  ours: Descriptor[];
  replaceTypes?: string[]; // cosign's --replace: older .att layers of these predicate types go
  after: StepId[]; // written (not read) only once these are done
  // The fallback index is skipped when the registry serves the referrers API
  // and processed the subject of every one of these manifests itself.
  unlessSubjectAware?: StepId[];
}

export type WriteStep = BlobStep | ManifestStep | MergeStep;

export interface WritePlan {
  steps: WriteStep[];
  // The manifest each referrer artifact becomes, by the artifact's id.
  referrerManifests: Map<string, string>;
}

// What one image gets, in data.
export interface ImageWrites {
  registry: string;
  repo: string;
  subject: { mediaType: string; digest: string; size: number };
  sig?: CosignLayer[]; // layers appended to sha256-<hex>.sig
  att?: { layers: CosignLayer[]; replace: boolean }; // layers appended to sha256-<hex>.att
  referrers?: { artifacts: (ReferrerArtifact & { id: string })[]; created: string; apiServed: boolean };
  // The .sig/.att layers read before signing: the cosign config the merge
  // will most likely need is uploaded with the other blobs (if the tag has
  // changed since, the merge uploads its own).
  existing?: { sig?: Descriptor[]; att?: Descriptor[] };
}

// Step ids an image's results are found under.
export const stepIds = {
  sig: (repo: string, digest: string) => `merge ${repo}:${digestTag(digest, '.sig')}`,
  att: (repo: string, digest: string) => `merge ${repo}:${digestTag(digest, '.att')}`,
  fallback: (repo: string, digest: string) => `merge ${repo}:${digestTag(digest)}`,
  referrer: (repo: string, manifestDigest: string) => `manifest ${repo}@${manifestDigest}`,
};

export function planWrites(images: ImageWrites[]): WritePlan {
  const steps = new Map<StepId, WriteStep>();
  const blob = (registry: string, repo: string, bytes: Buffer): BlobStep => {
    const digest = sha256Digest(bytes);
    const id = `blob ${registry}/${repo}@${digest}`;
    const existing = steps.get(id);
    if (existing?.kind === 'blob') return existing;
    const step: BlobStep = { kind: 'blob', id, registry, repo, bytes, digest };
    steps.set(id, step);
    return step;
  };
  const add = (step: WriteStep) => steps.set(step.id, step);
  const referrerManifests = new Map<string, string>();

  for (const img of images) {
    const { registry, repo, subject } = img;
    const cosign = (suffix: '.sig' | '.att', layers: CosignLayer[], existing: Descriptor[] = [], replaceTypes?: string[]) => {
      const blobs = layers.map((l) => blob(registry, repo, l.bytes));
      const ours = layers.map((l, i): Descriptor => ({ mediaType: l.mediaType, digest: blobs[i]!.digest, size: l.bytes.length, annotations: l.annotations }));
      const dropped = replaceTypes ? new Set(existing.filter(replacedBy(replaceTypes)).map(layerKey)) : undefined;
      const expected = mergeEntries(new Map(), existing, ours, layerKey, dropped).merged;
      const config = blob(registry, repo, cosignConfig(expected));
      add({
        kind: 'merge',
        id: suffix === '.sig' ? stepIds.sig(repo, subject.digest) : stepIds.att(repo, subject.digest),
        registry,
        repo,
        tag: digestTag(subject.digest, suffix),
        document: 'cosign',
        ours,
        ...(replaceTypes ? { replaceTypes } : {}),
        after: [...blobs.map((b) => b.id), config.id],
      });
    };
    if (img.sig?.length) cosign('.sig', img.sig, img.existing?.sig);
    if (img.att?.layers.length) {
      const types = img.att.replace ? img.att.layers.map((l) => l.annotations['predicateType'] ?? '') : undefined;
      cosign('.att', img.att.layers, img.existing?.att, types);
    }
    if (img.referrers?.artifacts.length) {
      const { artifacts, created, apiServed } = img.referrers;
      const config = blob(registry, repo, EMPTY_CONFIG);
      const manifests = artifacts.map((artifact) => {
        const layer = blob(registry, repo, artifact.bytes);
        const { bytes, annotations } = referrerManifest(
          artifact,
          { digest: layer.digest, size: artifact.bytes.length },
          { digest: config.digest, size: EMPTY_CONFIG.length },
          subject,
          created,
        );
        const digest = sha256Digest(bytes);
        const step: ManifestStep = { kind: 'manifest', id: stepIds.referrer(repo, digest), registry, repo, bytes, digest, after: [config.id, layer.id] };
        add(step);
        referrerManifests.set(artifact.id, digest);
        return { step, descriptor: referrerDescriptor(digest, bytes.length, artifact.artifactType, annotations) };
      });
      add({
        kind: 'merge',
        id: stepIds.fallback(repo, subject.digest),
        registry,
        repo,
        tag: digestTag(subject.digest),
        document: 'fallback-index',
        ours: manifests.map((m) => m.descriptor),
        after: manifests.map((m) => m.step.id),
        ...(apiServed ? { unlessSubjectAware: manifests.map((m) => m.step.id) } : {}),
      });
    }
  }
  return { steps: [...steps.values()], referrerManifests };
}
