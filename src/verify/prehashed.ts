import type { KeyObject } from 'node:crypto';
// node:crypto verifies ECDSA only over a message it hashes itself; checking a
// signature against a digest alone (the `sha256:<hex>` form of verify-bundle)
// needs the ECDSA verify step over a given hash, which @noble/curves provides
// (audited, dependency-light, constant API), rather than curve code of ours.
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { VerifyError } from './error.js';

// Each curve signs with the one hash the Sigstore algorithm registry pairs
// with it (PKIX_ECDSA_P256_SHA_256, _P384_SHA_384, _P521_SHA_512).
const CURVES = {
  'P-256': { ecdsa: p256, hash: 'sha256', bytes: 32 },
  'P-384': { ecdsa: p384, hash: 'sha384', bytes: 48 },
  'P-521': { ecdsa: p521, hash: 'sha512', bytes: 64 },
} as const;

export interface Prehashed {
  algorithm: string; // node hash name: sha256, sha384, sha512
  digest: Buffer;
}

// Verifies a DER ECDSA signature over an already computed digest. A key that
// cannot be checked this way is refused with the way out (pass the file).
export function verifyPrehashed(key: KeyObject, signature: Uint8Array, message: Prehashed): boolean {
  const curve = curveOf(key);
  if (curve.hash !== message.algorithm || message.digest.length !== curve.bytes) {
    throw new VerifyError(
      'SIGNATURE',
      `the signing key (ECDSA ${curveName(key)}) signs ${curve.hash} digests, not ${message.algorithm}: pass the artifact file instead of its digest`,
    );
  }
  const jwk = key.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  try {
    // lowS: false — ECDSA as Sigstore (and node:crypto) verifies it accepts
    // either s; the check is the same as over the file, only pre-hashed.
    return curve.ecdsa.verify(signature, message.digest, point, { prehash: false, format: 'der', lowS: false });
  } catch {
    return false; // a malformed signature or point is a failed signature
  }
}

function curveName(key: KeyObject): string {
  return key.asymmetricKeyType === 'ec' ? String(key.asymmetricKeyDetails?.namedCurve) : String(key.asymmetricKeyType);
}

function curveOf(key: KeyObject): (typeof CURVES)[keyof typeof CURVES] {
  if (key.asymmetricKeyType === 'ed25519') {
    throw new VerifyError(
      'SIGNATURE',
      'an Ed25519 signature covers the artifact itself and cannot be checked against a digest: pass the artifact file instead of sha256:<hex>',
    );
  }
  const named = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
  const byNodeName: Record<string, keyof typeof CURVES> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
  const curve = named ? byNodeName[named] : undefined;
  if (!curve) {
    throw new VerifyError(
      'SIGNATURE',
      `a ${curveName(key)} signature cannot be checked against a digest here (only ECDSA P-256/P-384/P-521): pass the artifact file instead of sha256:<hex>`,
    );
  }
  return CURVES[curve];
}
