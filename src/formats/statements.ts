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

// What `cosign sign` v3 signs for an image: a digest subject and an empty
// predicate. cosign leaves the subject nameless; we name the repository, as
// in our other statements, because sigstore-python rejects a statement whose
// subject has no "name" key (cosign checks only the digest).
export function cosignSignStatement(name: string, digest: string): Buffer {
  return statement([{ name, digest }], PREDICATE_TYPES.cosignSign, {});
}
