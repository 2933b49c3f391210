// Pure builders for what gets signed: cosign simple-signing payloads and
// in-toto v1 statements. No I/O; the bytes returned are the bytes signed.

import { PREDICATE_TYPES } from './predicates.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

export interface Subject {
  name?: string;
  digest: string; // sha256:<hex>
}

// cosign's Simple Signing payload, keys in Go's field order so the bytes
// match what cosign itself would sign for the same image.
export function simpleSigningPayload(repository: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': repository },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
}

// An in-toto v1 statement with exactly the four top-level fields: cosign
// parses statements strictly and rejects unknown fields.
export function statement(subjects: Subject[], predicateType: string, predicate: object): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: STATEMENT_TYPE,
      subject: subjects.map((s) => ({
        ...(s.name ? { name: s.name } : {}),
        digest: { sha256: s.digest.replace(/^sha256:/, '') },
      })),
      predicateType,
      predicate,
    }),
  );
}

// A statement names at most this many subjects, and their JSON at most this
// many bytes; more are split over several statements of the same predicate,
// each signed and logged on its own. 1024 is what the verifiers take:
// sigstore-go, which cosign 2 and 3 and gh verify with, refuses more
// ("too many subjects: 2000 > 1024"), and actions/attest stops there too.
// A subject is 99 bytes plus its name (unit tests), so a full statement is
// about 130 KB for typical release file names: far below Rekor's and GitHub's
// size limits. The byte bound only matters for very long names.
export const MAX_SUBJECTS_PER_STATEMENT = 1024;
export const MAX_SUBJECT_BYTES_PER_STATEMENT = 1024 * 1024;

// Splits subjects into groups that each fit one statement, in order.
export function subjectGroups<T extends Subject>(subjects: T[], maxCount = MAX_SUBJECTS_PER_STATEMENT, maxBytes = MAX_SUBJECT_BYTES_PER_STATEMENT): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const s of subjects) {
    const size = subjectBytes(s);
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(s);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

// The bytes one subject adds to a statement (with its separating comma).
export function subjectBytes(s: Subject): number {
  return Buffer.byteLength(JSON.stringify({ ...(s.name ? { name: s.name } : {}), digest: { sha256: s.digest.replace(/^sha256:/, '') } })) + 1;
}

// What `cosign sign` v3 signs for an image: a digest subject and an empty
// predicate. cosign leaves the subject nameless; we name the repository, as
// in our other statements, because sigstore-python rejects a statement whose
// subject has no "name" key (cosign checks only the digest).
export function cosignSignStatement(name: string, digest: string): Buffer {
  return statement([{ name, digest }], PREDICATE_TYPES.cosignSign, {});
}
