import { readFile } from 'node:fs/promises';
import type { Bundle } from '@sigstore/bundle';
import { crypto as sigcrypto, X509Certificate } from '@sigstore/core';
import type { TrustMaterial } from '@sigstore/verify';
import { ActionError, errorLine } from '../errors.js';
import { parseBundle, verifyBundleMaterial, type VerifiedBundle } from '../verify.js';
import { VerifyError } from './error.js';
import { checkIdentity, type IdentityPolicy } from './policy.js';
import { checkStatementSubject, sha256Hex, statementOf } from './subject.js';

// Verifies a standalone bundle against a file or a digest: the Sigstore
// conformance protocol's `verify-bundle`.

// What the bundle must be about: the bytes of a file, or only their digest.
export type Artifact = { bytes: Buffer } | { digest: string };

// `sha256:<hex>` is a digest; anything else is a path.
export async function readArtifact(fileOrDigest: string): Promise<Artifact> {
  if (/^sha256:[0-9a-f]{64}$/.test(fileOrDigest)) return { digest: fileOrDigest };
  try {
    return { bytes: await readFile(fileOrDigest) };
  } catch (err) {
    throw new ActionError('INPUT', `cannot read artifact "${fileOrDigest}" (${errorLine(err)}); pass a file or sha256:<hex>`);
  }
}

// Who must have signed: an identity policy (keyless) or a known public key.
export type SignerCheck = { policy: IdentityPolicy } | { keyPEM: string };

export function verifyArtifactBundle(trust: TrustMaterial, bundleJSON: unknown, artifact: Artifact, signer: SignerCheck): VerifiedBundle {
  const bundle = parseBundle(bundleJSON);
  if ('keyPEM' in signer) trust = pinKey(trust, bundle, signer.keyPEM);
  const digest = 'digest' in artifact ? artifact.digest : `sha256:${sha256Hex(artifact.bytes)}`;
  let verified: VerifiedBundle;
  if (bundle.content.$case === 'dsseEnvelope') {
    verified = verifyBundleMaterial(trust, bundle);
    checkStatementSubject(statementOf(bundle), digest);
  } else {
    if (!('bytes' in artifact)) {
      throw new VerifyError('MALFORMED', 'a message-signature bundle is verified over the artifact itself: pass the file, not its digest');
    }
    checkMessageDigest(bundle, digest);
    verified = verifyBundleMaterial(trust, bundle, artifact.bytes);
  }
  if ('policy' in signer) checkIdentity(signer.policy, verified.signer);
  return verified;
}

// Makes the given key the only acceptable signer: a key hint resolves to it,
// and a certificate must carry it.
function pinKey(trust: TrustMaterial, bundle: Bundle, keyPEM: string): TrustMaterial {
  let publicKey;
  try {
    publicKey = sigcrypto.createPublicKey(keyPEM);
  } catch (err) {
    throw new ActionError('INPUT', `--key: not a PEM public key (${errorLine(err)})`);
  }
  const material = bundle.verificationMaterial.content;
  const rawCert = material.$case === 'certificate' ? material.certificate.rawBytes : material.$case === 'x509CertificateChain' ? material.x509CertificateChain.certificates[0]?.rawBytes : undefined;
  if (rawCert) {
    const certKey = sigcrypto.createPublicKey(X509Certificate.parse(Buffer.from(rawCert)).publicKey);
    if (!certKey.equals(publicKey)) throw new VerifyError('SIGNATURE', 'the bundle was signed by a different key than --key');
  }
  return { ...trust, publicKey: () => ({ publicKey, validFor: () => true }) };
}

// The digest the log vouches for must be the artifact's.
function checkMessageDigest(bundle: Bundle, digest: string): void {
  if (bundle.content.$case !== 'messageSignature') return;
  const logged = Buffer.from(bundle.content.messageSignature.messageDigest?.digest ?? []).toString('hex');
  if (`sha256:${logged}` !== digest) throw new VerifyError('DIGEST_MISMATCH', `digest mismatch: the bundle signs sha256:${logged}, not ${digest}`);
}
