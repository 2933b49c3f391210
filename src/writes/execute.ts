import { ActionError } from '../errors.js';
import { cosignConfig, cosignManifest, layerKey, MAX_COSIGN_LAYERS, replacedBy, type CosignLayer } from '../formats/cosign.js';
import { fallbackIndex, type ReferrerArtifact } from '../formats/referrers.js';
import type { Registries, Registry } from '../model.js';
import { MEDIA, sha256Digest, type FetchedManifest } from '../oci/client.js';
import { mergeUntilStable } from './merge.js';
import { planWrites, stepIds, type BlobStep, type ManifestStep, type MergeStep, type StepId, type WritePlan, type WriteStep } from './plan.js';

// Runs a write plan: every step starts as soon as the steps it names are
// done, all through the one client per registry. A merge's first read goes
// out with the last request of the steps it names; its first write waits
// for them.

export interface StepResult {
  digest?: string; // the blob, manifest or tag's manifest digest
  subjectAware?: boolean; // for a manifest: the registry processed its subject
  skipped?: boolean; // a fallback index the registry's referrers API made unnecessary
}

export async function executePlan(plan: WritePlan, registries: Registries): Promise<Map<StepId, StepResult>> {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const step = (id: StepId) => byId.get(id) ?? missing(id);
  const running = new Map<StepId, Promise<StepResult>>();
  // Resolves when a step is down to its last request (a blob's upload once
  // its session is open, a manifest once what it names is in): a merge's
  // first read goes out then, alongside it, right before the merge's write.
  const lastRequest = new Map<StepId, Promise<unknown>>();
  const uploaded = new Set<string>(); // registry/repo@digest of blobs done
  const run = (s: WriteStep): Promise<StepResult> => {
    let p = running.get(s.id);
    if (p) return p;
    let last!: () => void;
    lastRequest.set(s.id, new Promise<void>((r) => (last = r)));
    const deps = () => Promise.all(('after' in s ? s.after : []).map((id) => run(step(id))));
    p = (async () => {
      const client = await registries(s.registry);
      if (s.kind === 'blob') return putBlob(client, s, uploaded, last);
      if (s.kind === 'manifest') {
        await deps();
        last();
        return putManifest(client, s);
      }
      const ready = deps();
      const begin = Promise.all(s.after.map((id) => lastRequest.get(id) ?? Promise.resolve()));
      ready.catch(() => undefined); // awaited inside; this only keeps an early failure from going unhandled
      return merge(client, s, { begin, ready }, uploaded, async () => {
        const results = await Promise.all((s.unlessSubjectAware ?? []).map((id) => run(step(id))));
        return s.unlessSubjectAware !== undefined && results.every((r) => r.subjectAware);
      });
    })();
    // A failed step has no last request to wait for.
    p.then(last, last);
    running.set(s.id, p);
    return p;
  };
  return new Map(await Promise.all(plan.steps.map(async (s) => [s.id, await run(s)] as const)));
}

function missing(id: StepId): never {
  throw new Error(`write plan: no step ${id}`);
}

// The plan's blobs are small and new (signatures made this run), so they are
// sent without asking first whether the registry has them.
async function putBlob(client: Registry, step: BlobStep, uploaded: Set<string>, started: () => void): Promise<StepResult> {
  await client.putBlob(step.repo, step.bytes, { resend: true, started });
  uploaded.add(`${step.registry}/${step.repo}@${step.digest}`);
  return { digest: step.digest };
}

async function putManifest(client: Registry, step: ManifestStep): Promise<StepResult> {
  const put = await client.putManifest(step.repo, step.digest, step.bytes, MEDIA.ociManifest);
  return { digest: put.digest, subjectAware: put.subjectAware };
}

async function merge(
  client: Registry,
  step: MergeStep,
  { begin, ready }: { begin: Promise<unknown>; ready: Promise<unknown> },
  uploaded: Set<string>,
  skip: () => Promise<boolean>,
): Promise<StepResult> {
  const { repo, tag } = step;
  if (step.document === 'fallback-index') {
    // A registry that served the referrers API may need no index: that is
    // known once our manifests are in. Otherwise the first read of the index
    // runs while they are being written.
    if (step.unlessSubjectAware) {
      await ready;
      if (await skip()) return { skipped: true };
    }
    const digest = await mergeUntilStable(client, repo, tag, {
      entries: (m) => m.manifests ?? [],
      key: (d) => d.digest,
      ours: step.ours,
      expectIndex: true,
      begin,
      ready,
      write: async (merged) => {
        await client.putManifest(repo, tag, fallbackIndex(merged), MEDIA.ociIndex);
        return 1;
      },
    });
    return { digest };
  }
  const replace = step.replaceTypes ? replacedBy(step.replaceTypes) : undefined;
  let dropped: Set<string> | undefined;
  const digest = await mergeUntilStable(client, repo, tag, {
    entries: (m) => m.layers ?? [],
    key: layerKey,
    ours: step.ours,
    drop: (existing) => {
      dropped ??= new Set(replace ? existing.filter(replace).map(layerKey) : []);
      return dropped;
    },
    begin,
    ready,
    write: async (merged) => {
      if (merged.length > MAX_COSIGN_LAYERS) throw new ActionError('REGISTRY', `${repo}:${tag} would exceed cosign's 1000-layer limit; remove old signatures first`);
      // The config the plan expected is already there; another is uploaded now.
      const config = cosignConfig(merged);
      const digest = sha256Digest(config);
      let writes = 1;
      if (!uploaded.has(`${step.registry}/${repo}@${digest}`)) {
        await client.putBlob(repo, config);
        writes += 3; // existence check, upload session, upload
      }
      await client.putManifest(repo, tag, cosignManifest({ digest, size: config.length }, merged), MEDIA.ociManifest);
      return writes;
    },
  });
  return { digest };
}

// One image's cosign tag, appended to through a one-image plan.
export async function appendCosignLayers(
  client: Registry,
  repo: string,
  subjectDigest: string,
  suffix: '.sig' | '.att',
  layers: CosignLayer[],
): Promise<{ tag: string; manifestDigest: string }> {
  const subject = { mediaType: MEDIA.ociManifest, digest: subjectDigest, size: 0 };
  const plan = planWrites([{ registry: client.registry, repo, subject, ...(suffix === '.sig' ? { sig: layers } : { att: { layers, replace: false } }) }]);
  const id = suffix === '.sig' ? stepIds.sig(repo, subjectDigest) : stepIds.att(repo, subjectDigest);
  const step = plan.steps.find((s) => s.id === id) as MergeStep;
  const results = await executePlan(plan, () => Promise.resolve(client));
  return { tag: step.tag, manifestDigest: results.get(id)?.digest ?? '' };
}

// One image's referrers (and fallback index when the registry needs one),
// through a one-image plan.
export async function attachReferrers(
  client: Registry,
  repo: string,
  subject: FetchedManifest,
  artifacts: ReferrerArtifact[],
  created: string,
): Promise<{ manifestDigest: string; fallbackTag?: string }[]> {
  const apiServed = (await client.referrers(repo, subject.digest)) !== undefined;
  const desc = { mediaType: subject.mediaType, digest: subject.digest, size: subject.bytes.length };
  const ids = artifacts.map((a, i) => ({ ...a, id: String(i) }));
  const plan = planWrites([{ registry: client.registry, repo, subject: desc, referrers: { artifacts: ids, created, apiServed } }]);
  const results = await executePlan(plan, () => Promise.resolve(client));
  const index = plan.steps.find((s) => s.id === stepIds.fallback(repo, subject.digest)) as MergeStep;
  const fallbackTag = results.get(index.id)?.skipped ? undefined : index.tag;
  return ids.map((a) => ({ manifestDigest: plan.referrerManifests.get(a.id) ?? '', ...(fallbackTag ? { fallbackTag } : {}) }));
}
