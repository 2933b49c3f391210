import { bundleToJSON, type Bundle, type SerializedBundle, type TransparencyLogEntry } from '@sigstore/bundle';
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

// The bundle as JSON, with the zero values proto3 JSON leaves out written
// out: the first entry of a log or shard has logIndex 0 and an inclusion
// proof without hashes, and sigstore-python (4.5) refuses a bundle missing
// those keys. Parsers must accept defaults written out, so every verifier
// reads these bytes.
export function bundleJSON(bundle: Bundle): SerializedBundle {
  const json = bundleToJSON(bundle);
  const entries = json.verificationMaterial.tlogEntries ?? [];
  // Spreading over the defaults keeps proto field order: a key already
  // present keeps its place, a missing one lands where proto3 JSON puts it.
  const zero = { logIndex: '0' };
  json.verificationMaterial.tlogEntries = entries.map((e) => {
    const proof = e.inclusionProof && { ...zero, ...{ rootHash: e.inclusionProof.rootHash, treeSize: e.inclusionProof.treeSize, hashes: [] }, ...e.inclusionProof };
    return { ...zero, ...e, ...(proof ? { inclusionProof: proof } : {}) };
  });
  return json;
}

// Where a maintainer can look at an entry: the search UI for the public-good
// log, the API for any other instance.
export function rekorEntryURL(rekorURL: string, logIndex: number): string {
  const base = rekorURL.replace(/\/+$/, '');
  if (base === 'https://rekor.sigstore.dev') return `https://search.sigstore.dev/?logIndex=${logIndex}`;
  return `${base}/api/v1/log/entries?logIndex=${logIndex}`;
}
