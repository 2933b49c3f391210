import { readFileSync } from 'node:fs';
import {
  attestationsPage,
  loadStoreClientCode,
  planStore,
  uploadToStore,
  type RepositoryFacts,
  type StoreItem,
  type StoreMode,
  type StoreOutcome,
  type StorePlan,
} from '../github/attestations.js';
import type { Http } from '../http.js';
import { afterRequestsLeave } from '../later.js';
import type { ArtifactResult, ImageResult, SignedResult, SignedTarget } from '../model.js';
import type { StoreSummary } from '../results.js';

// The publishing stage for GitHub's attestation store, run beside attaching
// once every bundle is logged and self-verified: which bundles go (the DSSE
// ones, as actions/attest stores: the store indexes a bundle by its
// statement's subjects, so the classic message signature has nothing to
// index), the upload, and the ids folded back into the result rows.

// A bundle the run self-verified, with the row it belongs to.
export interface VerifiedBundle {
  kind: ArtifactResult['kind'];
  image: string; // name@digest
  uuid: string; // its Rekor entry: the key back to its results row
  bundle: object;
  dsse: boolean;
}

export function storeItems(bundles: VerifiedBundle[]): StoreItem[] {
  return bundles.filter((b) => b.dsse).map((b) => ({ key: b.uuid, label: `${LABEL[b.kind]} bundle of ${b.image}`, bundle: b.bundle }));
}

const LABEL: Record<ArtifactResult['kind'], string> = {
  signature: 'signature',
  signatureReferrer: 'signature',
  sbom: 'SBOM',
  provenance: 'provenance',
  predicate: 'attestation',
};

export interface StoreStep {
  mode?: StoreMode; // as asked for: `false` keeps the log quiet about skipping
  outcome?: StoreOutcome;
  skipped?: string; // why nothing was sent
  total: number; // DSSE bundles the run made
}

export interface StoreOptions {
  mode: StoreMode;
  token: string;
  http: Http;
  keySigned?: boolean;
  debug?: (line: string) => void;
}

// The options and where they lead: planned once, before signing.
export interface PreparedStore extends StoreOptions {
  plan: StorePlan;
}

// Called before signing: plans the upload and, when the run will upload,
// loads the store's client code while the signatures are being logged (src/later.ts).
export function prepareStore(opts: StoreOptions, env: NodeJS.ProcessEnv = process.env): PreparedStore {
  const plan = planStore(opts.mode, env, opts.token, repositoryFacts(env['GITHUB_EVENT_PATH']));
  if (plan.upload && !opts.keySigned) afterRequestsLeave(loadStoreClientCode).catch(() => undefined); // a failure shows when the upload loads it
  return { ...opts, plan };
}

// The stage: the run's verified DSSE bundles into the store, per `mode`.
export function storeAll(signed: SignedTarget[], opts: PreparedStore): Promise<StoreStep> {
  // GitHub checks a stored bundle's workflow certificate against the
  // repository: a bundle signed with a key has none, so it is never sent.
  if (opts.keySigned)
    return Promise.resolve({
      mode: opts.mode,
      skipped: 'the bundles are signed with signing-key; the store takes only keyless bundles (a workflow certificate names the repository)',
      total: 0,
    });
  return runStoreStep(storeItems(verifiedBundles(signed)), opts).then((step) => ({ ...step, mode: opts.mode }));
}

// Runs the planned upload. Never throws: problems come back as warnings.
export async function runStoreStep(items: StoreItem[], opts: PreparedStore): Promise<StoreStep> {
  const { plan } = opts;
  const total = items.length;
  if (!plan.upload) return { skipped: plan.reason, total };
  if (total === 0) return { skipped: 'no DSSE bundle to store (attach: tags writes no signature bundle, and no attestation was made)', total };
  try {
    return { outcome: await uploadToStore(items, { target: plan.target, token: opts.token, http: opts.http, mode: opts.mode, debug: opts.debug }), total };
  } catch (err) {
    // Loading the client itself failed: still only a warning.
    const message = err instanceof Error ? err.message : String(err);
    return { outcome: { target: plan.target, stored: new Map(), attempted: 0, warnings: [`GitHub attestation store: not used (${message})`] }, total };
  }
}

// The event payload's repository visibility and owner type, when the runner
// wrote one (a user-owned private repository has no store).
export function repositoryFacts(eventPath: string | undefined): RepositoryFacts {
  if (!eventPath) return {};
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { repository?: { private?: unknown; owner?: { type?: unknown } } };
    const repo = event.repository;
    return { private: repo?.private === true, ...(typeof repo?.owner?.type === 'string' ? { ownerType: repo.owner.type } : {}) };
  } catch {
    return {};
  }
}

// Each stored bundle's id and page on its results row (matched by Rekor entry).
export function withStoredIds(results: ImageResult[], step: StoreStep): ImageResult[] {
  const stored = step.outcome?.stored;
  if (!stored?.size) return results;
  return results.map((r) => ({
    ...r,
    artifacts: r.artifacts.map((a) => {
      const s = a.uuid === undefined ? undefined : stored.get(a.uuid);
      return s ? { ...a, attestationId: s.id, attestationUrl: s.url } : a;
    }),
  }));
}

// The summary's view of the step (nothing when it was not tried).
export function storeSummary(step: StoreStep): StoreSummary | undefined {
  const o = step.outcome;
  if (!o) return undefined;
  return { repository: `${o.target.owner}/${o.target.repo}`, page: attestationsPage(o.target), stored: o.stored.size, total: step.total, warnings: o.warnings };
}

// One log line for what the store took (or why it was not used), then each
// problem as a warning.
export function storeLog(step: StoreStep, mode: StoreMode = step.mode ?? 'auto'): { info: string[]; warnings: string[] } {
  const o = step.outcome;
  const info = [
    ...(o?.stored.size
      ? [
          `GitHub attestation store: stored ${o.stored.size} of ${step.total} bundle(s) in ${o.target.owner}/${o.target.repo}: ${[...o.stored.values()].map((s) => s.url).join(' ')}`,
        ]
      : []),
    ...(step.skipped && mode !== 'false' ? [`GitHub attestation store: not used: ${step.skipped}`] : []),
  ];
  return { info, warnings: o?.warnings ?? [] };
}

// The run's self-verified bundles, image by image.
export function verifiedBundles(signed: SignedTarget[]): VerifiedBundle[] {
  return signed.flatMap((st) => {
    const image = `${st.target.name}@${st.target.digest}`;
    const entry = (kind: ArtifactResult['kind'], s: SignedResult | undefined): VerifiedBundle[] =>
      s?.entry ? [{ kind, image, uuid: s.entry.uuid, bundle: s.bundle, dsse: s.bundle.dsseEnvelope !== undefined }] : [];
    return [...entry('signature', st.signature), ...entry('signatureReferrer', st.signatureReferrer), ...st.attestations.flatMap((a) => entry(a.predicate.kind, a))];
  });
}
