import { ActionError } from '../errors.js';
import { errorText, type Http } from '../http.js';
import { jsonBody } from '../json-slices.js';

// A Rekor v1 log entry as the API returns it.
export interface RekorEntry {
  uuid: string;
  body: string; // base64 of the canonicalized body
  integratedTime: number;
  logID: string; // hex
  logIndex: number; // global index
  verification?: {
    signedEntryTimestamp?: string;
    inclusionProof?: { logIndex: number; rootHash: string; treeSize: number; hashes: string[]; checkpoint: string };
  };
}

export type ProposedEntry = { apiVersion: '0.0.1'; kind: 'hashedrekord'; spec: object } | { apiVersion: '0.0.1'; kind: 'dsse'; spec: object };

// Uploads an entry. A 409 means the same entry is already logged (a retried
// request whose first response was lost, or an identical earlier run): the
// existing entry is fetched and reused.
export async function createEntry(http: Http, rekorURL: string, entry: ProposedEntry): Promise<RekorEntry> {
  const base = rekorURL.replace(/\/+$/, '');
  // Streamed: a DSSE entry carries the whole envelope (megabytes for an SBOM).
  const body = jsonBody(entry);
  const res = await http.request(`${base}/api/v1/log/entries`, {
    method: 'POST',
    service: 'rekor',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
  });
  if (res.status === 413) throw tooLarge(base, entry.kind, body.length, await errorText(res));
  if (res.status === 409) {
    const location = res.headers.get('location');
    await res.body?.cancel().catch(() => undefined);
    if (!location) throw new ActionError('REKOR', `Rekor at ${base} reported a duplicate entry without its location; check rekor-url`);
    return getEntry(http, new URL(location, base).toString(), base);
  }
  if (res.status !== 201 && res.status !== 200) {
    const detail = await errorText(res);
    throw new ActionError('REKOR', `Rekor at ${base} rejected the ${entry.kind} entry (HTTP ${res.status}${detail ? `: ${detail}` : ''}); check rekor-url`);
  }
  return firstEntry(await res.json(), base);
}

// A body over the log's size limit fails the same way on every attempt: one
// error with the size, the limit when the log states it, and the ways out.
// rekor-server answers "Request Entity Too Large. Limit set to N".
export function tooLarge(base: string, kind: string, size: number, detail: string): ActionError {
  const limit = /limit set to (\d+)/i.exec(detail)?.[1];
  const what = kind === 'dsse' ? 'an attestation' : 'a signature';
  return new ActionError(
    'REKOR',
    `Rekor at ${base} refused the ${size}-byte ${kind} entry of ${what} as too large (HTTP 413, ` +
      `${limit ? `limit ${limit} bytes` : 'over its request size limit'}); nothing was attached. ` +
      'An SBOM this large does not fit this Rekor v1 log: log to a Rekor v2 instance, set `sbom: false`, ' +
      'or pass a smaller SBOM with `sbom: <path>`',
  );
}

export async function getEntryByIndex(http: Http, rekorURL: string, logIndex: number): Promise<RekorEntry> {
  const base = rekorURL.replace(/\/+$/, '');
  return getEntry(http, `${base}/api/v1/log/entries?logIndex=${logIndex}`, base);
}

async function getEntry(http: Http, url: string, base: string): Promise<RekorEntry> {
  const res = await http.request(url, { service: 'rekor', headers: { accept: 'application/json' } });
  if (!res.ok) {
    const detail = await errorText(res);
    throw new ActionError('REKOR', `Rekor at ${base} could not return entry ${new URL(url).pathname} (HTTP ${res.status}${detail ? `: ${detail}` : ''})`);
  }
  return firstEntry(await res.json(), base);
}

function firstEntry(json: unknown, base: string): RekorEntry {
  const [uuid, entry] = Object.entries((json ?? {}) as Record<string, Omit<RekorEntry, 'uuid'>>)[0] ?? [];
  if (!uuid || !entry || typeof entry.body !== 'string') {
    throw new ActionError('REKOR', `Rekor at ${base} returned a malformed entry; check that rekor-url points at a Rekor v1 API`);
  }
  return { ...entry, uuid };
}
