import * as undici from 'undici';
import { ActionError, errorLine } from '../errors.js';
import { StreamedBody, type Http } from '../http.js';
import { jsonBody } from '../json-slices.js';

// GitHub's attestation store: each DSSE bundle of the run is POSTed to
// /repos/{owner}/{repo}/attestations as {"bundle": …}, so `gh attestation
// verify` finds it without --bundle-from-oci and the repository's
// Attestations page lists it. The call goes through @actions/github's
// octokit, whose fetch is our Http: one retry policy and budget for the run.
// Nothing here can fail the run: every problem becomes one warning that says
// why and what to change.

export type StoreMode = 'auto' | 'true' | 'false';
export const STORE_MODES: readonly StoreMode[] = ['auto', 'true', 'false'];

// The REST API version the request is written against (its shape is the
// same in every version GitHub serves).
export const API_VERSION = '2022-11-28';
export const CREATE_ROUTE = 'POST /repos/{owner}/{repo}/attestations';

export interface StoreTarget {
  apiUrl: string;
  serverUrl: string;
  owner: string;
  repo: string;
}

// One bundle to store; `key` ties the answer back to its results row (the
// Rekor entry's UUID).
export interface StoreItem {
  key: string;
  label: string; // `signature referrer of registry/repo@sha256:…`, for the warning
  bundle: object;
}

export interface StoredAttestation {
  id: number;
  url: string;
}

export interface StoreOutcome {
  target: StoreTarget;
  stored: Map<string, StoredAttestation>;
  attempted: number;
  warnings: string[];
}

export type StorePlan = { upload: true; target: StoreTarget } | { upload: false; reason: string };

export interface RunEnvironment {
  GITHUB_ACTIONS?: string;
  GITHUB_API_URL?: string;
  GITHUB_SERVER_URL?: string;
  GITHUB_REPOSITORY?: string;
}

// The repository's event payload fields that tell a user-owned private
// repository (no store there unless it is public).
export interface RepositoryFacts {
  private?: boolean;
  ownerType?: string;
}

// Whether to upload and where, from the mode, the runner's variables and the
// token. `false` never uploads; `auto` uploads where the store can exist
// (GitHub.com or a GHE.com tenant, a token, a repository); `true` tries even
// where it looks absent, so the answer explains it. No API tells a
// GITHUB_TOKEN's permissions: the first upload finds out (a 403).
export function planStore(mode: StoreMode, env: RunEnvironment, token: string, repo: RepositoryFacts = {}): StorePlan {
  if (mode === 'false') return { upload: false, reason: 'attestation-store is false' };
  const skip = (reason: string): StorePlan => ({ upload: false, reason });
  const [owner, name, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !name || rest.length) return skip('GITHUB_REPOSITORY does not name a repository (not a GitHub Actions run)');
  if (!token) return skip('github-token is empty');
  const serverUrl = trimSlash(env.GITHUB_SERVER_URL || 'https://github.com');
  const apiUrl = trimSlash(env.GITHUB_API_URL || (isHostedGitHub(serverUrl) ? 'https://api.github.com' : `${serverUrl}/api/v3`));
  const target = { apiUrl, serverUrl, owner, repo: name };
  if (mode === 'true') return { upload: true, target };
  if (env.GITHUB_ACTIONS !== 'true') return skip('not running on GitHub Actions');
  if (!isHostedGitHub(serverUrl)) return skip(`${serverUrl} is GitHub Enterprise Server, which has no attestation store`);
  if (repo.private && repo.ownerType === 'User') return skip(`${owner}/${name} is a user-owned private repository, for which GitHub keeps no attestations`);
  return { upload: true, target };
}

// GitHub.com and GHE.com (data residency) tenants have the store; GitHub
// Enterprise Server does not.
export function isHostedGitHub(serverUrl: string): boolean {
  try {
    const host = new URL(serverUrl).hostname.toLowerCase();
    return host === 'github.com' || host.endsWith('.ghe.com');
  } catch {
    return false;
  }
}

export const attestationUrl = (t: StoreTarget, id: number) => `${t.serverUrl}/${t.owner}/${t.repo}/attestations/${id}`;
export const attestationsPage = (t: StoreTarget) => `${t.serverUrl}/${t.owner}/${t.repo}/attestations`;

// What went wrong with one create request, as octokit and Http report it.
export interface StoreFailure {
  status?: number; // absent: no answer (network, retry budget spent)
  message: string; // GitHub's `message`, or the transport error
  headers?: Record<string, string | undefined>;
  details?: string[]; // GitHub's `errors[].message` of a 422
}

// Stops the remaining uploads: every later request would get the same answer.
export function isFatal(f: StoreFailure): boolean {
  return (
    f.status === undefined || f.status === 401 || f.status === 403 || f.status === 404 || f.status === 429 || f.status >= 500 || /user-owned private/i.test(f.message)
  );
}

const VERIFY_FROM_OCI = 'the signatures and attestations in the registry are unaffected (gh attestation verify oci://IMAGE --bundle-from-oci)';

// One warning for a failed upload: what GitHub said, why, and the fix.
export function storeWarning(f: StoreFailure, ctx: { mode: StoreMode; target: StoreTarget; item: string; stored: number; total: number }): string {
  const where = `${ctx.target.owner}/${ctx.target.repo}`;
  const said = f.status === undefined ? f.message : `HTTP ${f.status}${f.message ? ` ${f.message}` : ''}${f.details?.length ? ` (${f.details.join('; ')})` : ''}`;
  const progress = ctx.stored ? `stored ${ctx.stored} of ${ctx.total} bundles in ${where}, then ` : '';
  const off = ctx.mode === 'auto' ? ', or set attestation-store: false to skip the store' : '';
  const fix = storeFix(f, ctx.target, off);
  // GitHub's messages may end in a full stop already.
  return `GitHub attestation store: ${progress}the upload of the ${ctx.item} failed: ${said.replace(/\.+$/, '')}. ${fix}; ${VERIFY_FROM_OCI}`;
}

function storeFix(f: StoreFailure, target: StoreTarget, off: string): string {
  const remaining = Number(f.headers?.['x-ratelimit-remaining']);
  const rateLimited = f.status === 429 || (f.status === 403 && (remaining === 0 || /rate limit/i.test(f.message)));
  if (rateLimited) {
    const reset = Number(f.headers?.['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? ` (it resets at ${new Date(reset * 1000).toISOString().replace(/\.\d+Z$/, 'Z')})` : '';
    return `GitHub's API rate limit for this token is spent${when}: re-run the job after the reset, or give the job a token of its own${off}`;
  }
  if (/user-owned private/i.test(f.message)) {
    return `GitHub keeps attestations of private repositories only for organizations on GitHub Enterprise Cloud: make ${target.owner}/${target.repo} public or move it to such an organization${off.replace(', or', ', or else')}`;
  }
  if (f.status === 401) return 'The token was refused: pass a valid token as github-token (its default is ${{ github.token }})';
  if (f.status === 403) {
    return `The token lacks the attestations permission: add \`permissions: attestations: write\` to the job (next to \`id-token: write\`)${off}`;
  }
  if (f.status === 404) {
    return isHostedGitHub(target.serverUrl)
      ? `The token cannot see ${target.owner}/${target.repo} or the store is not offered there: use the job's own token (github-token: \${{ github.token }}) in the repository that runs the workflow${off}`
      : `The server ${target.serverUrl} looks like GitHub Enterprise Server, which has no attestation store: set attestation-store: false there`;
  }
  if (f.status === 413 || /too large|16 ?MB/i.test(f.message))
    return 'GitHub takes attestations up to 16 MB: attest a smaller document (a smaller SBOM: sbom-format with one format), or set attestation-store: false';
  if (f.status === 422 && /values do not match/i.test(f.message + (f.details ?? []).join(' '))) {
    return "GitHub stores only attestations signed by a workflow of this repository: sign with the job's own identity (no identity-token from elsewhere)";
  }
  if (f.status === 422) return 'GitHub refused this bundle: report it with the bundle file from results';
  if (f.status === undefined || f.status >= 500) return `The GitHub API at ${target.apiUrl} did not take the bundles: re-run the job once it answers`;
  return 'Unexpected answer from the GitHub API: re-run the job; report it if it persists';
}

// Uploads one bundle after another: GitHub asks integrations to send writes
// serially (its secondary rate limits punish concurrent POSTs), and a
// refusal of the first (a 403) saves sending the rest.
export async function uploadToStore(
  items: StoreItem[],
  opts: { target: StoreTarget; token: string; http: Http; mode: StoreMode; debug?: (line: string) => void },
): Promise<StoreOutcome> {
  const { target } = opts;
  const stored = new Map<string, StoredAttestation>();
  const warnings: string[] = [];
  const octokit = await storeClient(opts.token, target.apiUrl, opts.http, opts.debug ?? (() => undefined));
  let attempted = 0;
  for (const item of items) {
    attempted++;
    try {
      const res = await octokit.request(CREATE_ROUTE, {
        owner: target.owner,
        repo: target.repo,
        // {"bundle": …} streamed, never one string: an SBOM bundle is megabytes.
        data: jsonBody({ bundle: item.bundle }),
        headers: { accept: 'application/vnd.github+json', 'x-github-api-version': API_VERSION },
      });
      const id = createdId(res.data);
      if (id === undefined) throw new ActionError('NETWORK', `GitHub answered ${res.status} without an attestation id`);
      stored.set(item.key, { id, url: attestationUrl(target, id) });
    } catch (err) {
      const failure = toFailure(err);
      warnings.push(storeWarning(failure, { mode: opts.mode, target, item: item.label, stored: stored.size, total: items.length }));
      if (isFatal(failure)) break;
    }
  }
  return { target, stored, attempted, warnings };
}

// The created attestation's id: `{"id": N}` (a string body is parsed, as
// GitHub has answered with text/plain before).
export function createdId(data: unknown): number | undefined {
  const body = typeof data === 'string' ? safeJSON(data) : data;
  const id = (body as { id?: unknown } | undefined)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

// octokit's RequestError (status, response.data.message, headers), or the
// Http error that ended the retries (as the `cause` octokit keeps).
export function toFailure(err: unknown): StoreFailure {
  const e = err as { status?: number; message?: string; cause?: unknown; response?: { data?: unknown; headers?: Record<string, string | undefined> } };
  const raw = e.response?.data;
  const data = (typeof raw === 'object' && raw !== null ? raw : {}) as { message?: unknown; errors?: unknown };
  if (e.response && typeof e.status === 'number') {
    const details = Array.isArray(data.errors)
      ? data.errors
          .map((x: { message?: unknown; code?: unknown }) => (typeof x?.message === 'string' ? x.message : typeof x?.code === 'string' ? x.code : ''))
          .filter(Boolean)
      : [];
    const message = typeof data.message === 'string' ? data.message : typeof raw === 'string' ? raw.slice(0, 200) : '';
    return { status: e.status, message, headers: e.response.headers, ...(details.length ? { details } : {}) };
  }
  if (e.cause instanceof ActionError) return { message: errorLine(e.cause) };
  return { message: errorLine(err) };
}

// @actions/github is a chunk of its own, loaded once: stages/store.ts starts
// it while the run waits for its log entries, so its compile is not on the
// way of the registry writes.
let storeClientCode: Promise<typeof import('@actions/github')> | undefined;
export function loadStoreClientCode(): Promise<typeof import('@actions/github')> {
  return (storeClientCode ??= import('@actions/github'));
}

type StoreClient = { request: (route: string, params: Record<string, unknown>) => Promise<{ status: number; data: unknown }> };

// @actions/github is loaded only when the store is used; its octokit sends
// through Http (the run's retries and budget; octokit itself retries nothing
// without its retry plugin). A StreamedBody passed as `data` reaches this
// fetch untouched (octokit encodes only plain objects and arrays).
async function storeClient(token: string, baseUrl: string, http: Http, debug: (line: string) => void): Promise<StoreClient> {
  const { getOctokit } = await loadStoreClientCode();
  const fetch = async (url: string | URL, init: RequestInit = {}): Promise<Response> =>
    http.request(String(url), {
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new undici.Headers(init.headers as undici.HeadersInit).entries()),
      body: typeof init.body === 'string' || init.body instanceof StreamedBody ? init.body : undefined,
      service: 'github',
    });
  const log = { debug, info: debug, warn: debug, error: debug };
  return getOctokit(token, { baseUrl, request: { fetch }, log });
}

function safeJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');
