import { createHash, type KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { crypto as sigcrypto, X509Certificate } from '@sigstore/core';
import type { TrustMaterial } from '@sigstore/verify';
import { ActionError, errorLine } from '../errors.js';
import { leafCertificateBytes, parseBundle, verifyBundleMaterial, type VerifiedBundle } from '../verify.js';
import { VerifyError } from './error.js';

// Verification against a known public key (cosign's --key): the key pins the
// signer instead of a certificate identity. A bundle names its key only by a
// hint (cosign v3: base64 SHA-256 of the SPKI DER), which is resolved to this
// key and nothing else.

export interface KeyPolicy {
  key: KeyObject;
  spki: Buffer;
  hint: string;
}

export function keyPolicy(pemText: string, inputName = 'key'): KeyPolicy {
  let key: KeyObject;
  try {
    key = sigcrypto.createPublicKey(pemText);
  } catch (err) {
    throw new ActionError('INPUT', `${inputName}: not a PEM public key (${errorLine(err)}); pass the cosign.pub written by cosign generate-key-pair`);
  }
  if (key.type !== 'public') throw new ActionError('INPUT', `${inputName}: a private key was given; pass the public key (cosign.pub), never cosign.key`);
  const spki = key.export({ type: 'spki', format: 'der' });
  return { key, spki, hint: createHash('sha256').update(spki).digest('base64') };
}

// Makes `policy.key` the only acceptable signer of `bundle`. Material that
// names another signer (a certificate for another key, another key's hint)
// is a policy failure, as a keyless signature by someone else is: tolerated
// when another item verifies with the key.
export function pinKey(trust: TrustMaterial, bundle: Bundle, policy: KeyPolicy): TrustMaterial {
  const material = bundle.verificationMaterial.content;
  const rawCert = leafCertificateBytes(bundle);
  if (rawCert) {
    const certKey = sigcrypto.createPublicKey(X509Certificate.parse(Buffer.from(rawCert)).publicKey);
    if (!certKey.equals(policy.key)) throw new VerifyError('IDENTITY', 'signed by a different key: a certificate for another key, not the given key');
  } else if (material.$case === 'publicKey' && material.publicKey.hint && material.publicKey.hint !== policy.hint) {
    throw new VerifyError('IDENTITY', `signed by a different key (hint ${material.publicKey.hint}) than the given key (hint ${policy.hint})`);
  }
  return { ...trust, publicKey: () => ({ publicKey: policy.key, validFor: () => true }) };
}

// Verifies one serialized bundle as signed by `policy.key` (the signing
// action's self-check in key mode).
export function verifyBundleWithKey(
  trust: TrustMaterial,
  bundleJSON: unknown,
  policy: KeyPolicy,
  artifact?: Buffer,
  opts: { insecureIgnoreTlog?: boolean } = {},
): VerifiedBundle {
  const bundle = parseBundle(bundleJSON);
  return verifyBundleMaterial(pinKey(trust, bundle, policy), bundle, artifact, opts);
}

// Under an identity policy, a bundle signed with a key is someone else's
// signature (a policy failure), and the fix is to verify it with that key.
export function refuseKeyBundle(bundle: Bundle): void {
  const material = bundle.verificationMaterial.content;
  if (material.$case === 'publicKey') {
    throw new VerifyError('IDENTITY', `signed with a key (hint ${material.publicKey.hint || 'none'}), not keylessly; verify it with --key (the cosign.pub of that key)`);
  }
}
