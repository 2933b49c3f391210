import { readFileSync } from 'node:fs';
import type { Http } from '../http.js';
import type { SignedTarget } from '../pipeline.js';
import type { SignedResult } from '../sign.js';
import type { ArtifactResult, ImageResult, StoreSummary } from '../results.js';
import { attestationsPage, planStore, uploadToStore, type RepositoryFacts, type StoreItem, type StoreMode, type StoreOutcome } from './attestations.js';

// The attestation store as a run step: which bundles go (the DSSE ones, as
// actions/attest stores: the store indexes a bundle by its statement's
// subjects, so the classic message signature has nothing to index), the
// upload, and the ids folded back into the results rows.

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
};

export interface StoreStep {
  outcome?: StoreOutcome;
  skipped?: string; // why nothing was sent
}

// Plans and runs the upload. Never throws: problems come back as warnings.
export async function runStoreStep(
  items: StoreItem[],
  opts: { mode: StoreMode; token: string; http: Http; env?: NodeJS.ProcessEnv; debug?: (line: string) => void },
): Promise<StoreStep> {
  const env = opts.env ?? process.env;
  const plan = planStore(opts.mode, env, opts.token, repositoryFacts(env['GITHUB_EVENT_PATH']));
  if (!plan.upload) return { skipped: plan.reason };
  if (items.length === 0) return { skipped: 'no DSSE bundle to store (attach: tags writes no signature bundle, and no attestation was made)' };
  try {
    return { outcome: await uploadToStore(items, { target: plan.target, token: opts.token, http: opts.http, mode: opts.mode, debug: opts.debug }) };
  } catch (err) {
    // Loading the client itself failed: still only a warning.
    const message = err instanceof Error ? err.message : String(err);
    return { outcome: { target: plan.target, stored: new Map(), attempted: 0, warnings: [`GitHub attestation store: not used (${message})`] } };
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
      const s = stored.get(a.uuid);
      return s ? { ...a, attestationId: s.id, attestationUrl: s.url } : a;
    }),
  }));
}

// The summary's view of the step (nothing when it was not tried).
export function storeSummary(step: StoreStep, total: number): StoreSummary | undefined {
  const o = step.outcome;
  if (!o) return undefined;
  return { repository: `${o.target.owner}/${o.target.repo}`, page: attestationsPage(o.target), stored: o.stored.size, total, warnings: o.warnings };
}

// The run's self-verified bundles, image by image.
export function verifiedBundles(signed: SignedTarget[]): VerifiedBundle[] {
  return signed.flatMap((st) => {
    const image = `${st.target.name}@${st.target.manifest.digest}`;
    const entry = (kind: ArtifactResult['kind'], s: SignedResult | undefined): VerifiedBundle[] =>
      s ? [{ kind, image, uuid: s.entry.uuid, bundle: s.bundle, dsse: s.bundle.dsseEnvelope !== undefined }] : [];
    return [...entry('signature', st.signature), ...entry('signatureReferrer', st.signatureReferrer), ...st.attestations.flatMap((a) => entry(a.predicate.kind, a))];
  });
}
