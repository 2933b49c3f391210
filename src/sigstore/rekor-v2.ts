import { createHash } from 'node:crypto';
import { ActionError } from '../errors.js';
import { errorText, type Http } from '../http.js';
import type { RekorEntry } from './rekor.js';

// Rekor v2 (rekor-tiles): one entry type, hashedrekord v0.0.2, over a digest
// and a signature with the signing certificate. A DSSE envelope is logged the
// way rekor-tiles accepts it: the digest of its pre-authentication encoding
// (what the signature covers). The answer is the bundle's tlog entry itself:
// inclusion proof and checkpoint, no signed entry timestamp.

export interface HashedRekordV2 {
  digest: Buffer; // sha256 of the signed bytes
  signature: Buffer;
  // The verifier: the signing certificate (keyless) or the public key (key signing), DER.
  certificate?: Buffer;
  publicKey?: Buffer; // SPKI
}

interface TlogEntryJSON {
  logIndex?: string;
  logId?: { keyId?: string };
  integratedTime?: string;
  canonicalizedBody?: string;
  inclusionProof?: { logIndex?: string; rootHash?: string; treeSize?: string; hashes?: string[]; checkpoint?: { envelope?: string } };
}

const hex = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('hex');

export async function createEntryV2(http: Http, rekorURL: string, req: HashedRekordV2): Promise<RekorEntry> {
  const base = rekorURL.replace(/\/+$/, '');
  const body = JSON.stringify({
    hashedRekordRequestV002: {
      digest: req.digest.toString('base64'),
      signature: {
        content: req.signature.toString('base64'),
        verifier: {
          ...(req.certificate
            ? { x509Certificate: { rawBytes: req.certificate.toString('base64') } }
            : { publicKey: { rawBytes: req.publicKey?.toString('base64') ?? '' } }),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256',
        },
      },
    },
  });
  const res = await http.request(`${base}/api/v2/log/entries`, {
    method: 'POST',
    service: 'rekor',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
  });
  if (!res.ok) {
    const detail = await errorText(res);
    throw new ActionError(
      'REKOR',
      `Rekor v2 at ${base} rejected the hashedrekord entry (HTTP ${res.status}${detail ? `: ${detail}` : ''}); check rekor-url and rekor-version`,
    );
  }
  const e = (await res.json()) as TlogEntryJSON;
  const proof = e.inclusionProof;
  if (!e.canonicalizedBody || !proof?.checkpoint?.envelope || !proof.rootHash || !e.logId?.keyId) {
    throw new ActionError('REKOR', `Rekor v2 at ${base} answered without an inclusion proof and checkpoint; check that rekor-url points at a Rekor v2 log`);
  }
  const canonical = Buffer.from(e.canonicalizedBody, 'base64');
  return {
    // RFC 6962 leaf hash, which is what a v1 entry UUID is as well.
    uuid: createHash('sha256')
      .update(Buffer.concat([Buffer.from([0]), canonical]))
      .digest('hex'),
    body: e.canonicalizedBody,
    integratedTime: Number(e.integratedTime ?? 0),
    logID: hex(e.logId.keyId),
    logIndex: Number(e.logIndex ?? 0),
    verification: {
      inclusionProof: {
        logIndex: Number(proof.logIndex ?? 0),
        rootHash: hex(proof.rootHash),
        treeSize: Number(proof.treeSize ?? 0),
        hashes: (proof.hashes ?? []).map(hex),
        checkpoint: proof.checkpoint.envelope,
      },
    },
  };
}
