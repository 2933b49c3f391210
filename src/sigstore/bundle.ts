import type { TransparencyLogEntry } from '@sigstore/bundle';
import type { RekorEntry } from './rekor.js';

// Pure converters between Rekor v1 responses and the formats verifiers read.

// A Rekor v1 entry as a bundle's tlog entry: inclusion promise (SET) and
// inclusion proof, kind and version taken from the logged body itself.
export function toTlogEntry(entry: RekorEntry): TransparencyLogEntry {
  const body = JSON.parse(Buffer.from(entry.body, 'base64').toString('utf8')) as { kind: string; apiVersion: string };
  const proof = entry.verification?.inclusionProof;
  const set = entry.verification?.signedEntryTimestamp;
  return {
    logIndex: String(entry.logIndex),
    logId: { keyId: Buffer.from(entry.logID, 'hex') },
    kindVersion: { kind: body.kind, version: body.apiVersion },
    integratedTime: String(entry.integratedTime),
    inclusionPromise: set ? { signedEntryTimestamp: Buffer.from(set, 'base64') } : undefined,
    inclusionProof: proof
      ? {
          logIndex: String(proof.logIndex),
          treeSize: String(proof.treeSize),
          rootHash: Buffer.from(proof.rootHash, 'hex'),
          hashes: proof.hashes.map((h) => Buffer.from(h, 'hex')),
          checkpoint: { envelope: proof.checkpoint },
        }
      : undefined,
    canonicalizedBody: Buffer.from(entry.body, 'base64'),
  };
}

// cosign's legacy `dev.sigstore.cosign/bundle` annotation. The outer keys are
// capitalised (Go struct without JSON tags) and the inner order is Go's field
// order: body, integratedTime, logIndex, logID.
export function cosignRekorBundle(entry: RekorEntry): string {
  return JSON.stringify({
    SignedEntryTimestamp: entry.verification?.signedEntryTimestamp ?? '',
    Payload: {
      body: entry.body,
      integratedTime: entry.integratedTime,
      logIndex: entry.logIndex,
      logID: entry.logID,
    },
  });
}

// Where a maintainer can look at an entry: the search UI for the public-good
// log, the API for any other instance.
export function rekorEntryURL(rekorURL: string, logIndex: number): string {
  const base = rekorURL.replace(/\/+$/, '');
  if (base === 'https://rekor.sigstore.dev') return `https://search.sigstore.dev/?logIndex=${logIndex}`;
  return `${base}/api/v1/log/entries?logIndex=${logIndex}`;
}
