import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Bundle } from '@sigstore/bundle';
import type { TrustMaterial } from '@sigstore/verify';
import { ActionError, errorLine } from '../errors.js';
import { parseBundle, verifyBundleMaterial, type VerifiedBundle } from '../verify.js';
import { VerifyError } from './error.js';
import { pinKey, refuseKeyBundle, type KeyPolicy } from './key.js';
import { verifyPrehashed } from './prehashed.js';
import { checkIdentity, type IdentityPolicy } from './policy.js';
import { checkStatementSubject, sha256Hex, statementOf } from './subject.js';

// Verifies a standalone bundle against a file or a digest: the Sigstore
// conformance protocol's `verify-bundle`.

// What the bundle must be about: the bytes of a file, or only their digest.
export type Artifact = { bytes: Buffer } | { digest: string };

// A release file larger than this is hashed as it streams and checked by its
// digest (the same ECDSA check) instead of being held in memory.
export const STREAM_ABOVE_BYTES = 256 * 1024 * 1024;

// `sha256:<hex>` is a digest; anything else is a path.
export async function readArtifact(fileOrDigest: string, streamAbove = STREAM_ABOVE_BYTES): Promise<Artifact> {
  // As the conformance protocol says: a digest-shaped name of an existing file is that file.
  if (/^sha256:[0-9a-f]{64}$/.test(fileOrDigest) && !existsSync(fileOrDigest)) return { digest: fileOrDigest };
  try {
    if ((await stat(fileOrDigest)).size > streamAbove) {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(fileOrDigest)) hash.update(chunk as Buffer);
      return { digest: `sha256:${hash.digest('hex')}` };
    }
    return { bytes: await readFile(fileOrDigest) };
  } catch (err) {
    throw new ActionError('INPUT', `cannot read artifact "${fileOrDigest}" (${errorLine(err)}); pass a file or sha256:<hex>`);
  }
}

// Who must have signed: an identity policy (keyless) or a known public key.
export type SignerCheck = { policy: IdentityPolicy } | { key: KeyPolicy };

export function verifyArtifactBundle(
  trust: TrustMaterial,
  bundleJSON: unknown,
  artifact: Artifact,
  signer: SignerCheck,
  opts: { insecureIgnoreTlog?: boolean } = {},
): VerifiedBundle {
  const bundle = parseBundle(bundleJSON);
  if ('key' in signer) trust = pinKey(trust, bundle, signer.key);
  else refuseKeyBundle(bundle);
  const digest = 'digest' in artifact ? artifact.digest : `sha256:${sha256Hex(artifact.bytes)}`;
  let verified: VerifiedBundle;
  if (bundle.content.$case === 'dsseEnvelope') {
    verified = verifyBundleMaterial(trust, bundle, undefined, opts);
    checkStatementSubject(statementOf(bundle), digest);
  } else {
    checkMessageDigest(bundle, digest);
    checkLoggedDigest(bundle, digest);
    verified =
      'bytes' in artifact
        ? verifyBundleMaterial(trust, bundle, artifact.bytes, opts)
        : // Only the digest is known: the signature is checked over it (ECDSA
          // signs the hash of the message, so this is the same check).
          verifyBundleMaterial(trust, bundle, undefined, {
            ...opts,
            overDigest: (key, signature) => verifyPrehashed(key, signature, { algorithm: 'sha256', digest: Buffer.from(digest.slice('sha256:'.length), 'hex') }),
          });
  }
  if ('policy' in signer) checkIdentity(signer.policy, verified.signer);
  return verified;
}

// The digest the log vouches for must be the artifact's.
function checkMessageDigest(bundle: Bundle, digest: string): void {
  if (bundle.content.$case !== 'messageSignature') return;
  const logged = Buffer.from(bundle.content.messageSignature.messageDigest?.digest ?? []).toString('hex');
  if (`sha256:${logged}` !== digest) throw new VerifyError('DIGEST_MISMATCH', `digest mismatch: the bundle signs sha256:${logged}, not ${digest}`);
}

// Each hashedrekord entry (v0.0.1 on Rekor v1, v0.0.2 on Rekor v2) must log
// the artifact's digest. @sigstore/verify matches the entry to the bundle's
// messageDigest; this binds it to the digest given or computed here as well,
// so a digest-form check never rests on a field the signer chose alone.
// The fields of a hashedrekord body read below; the JSON is not trusted to have them.
interface HashedRekordBody {
  spec?: {
    data?: { hash?: { algorithm?: unknown; value?: unknown } };
    hashedRekordV002?: { data?: { algorithm?: unknown; digest?: unknown } };
  };
}

function checkLoggedDigest(bundle: Bundle, digest: string): void {
  for (const entry of bundle.verificationMaterial.tlogEntries) {
    if (entry.kindVersion?.kind !== 'hashedrekord') continue;
    let logged: string | undefined;
    try {
      const spec = (JSON.parse(Buffer.from(entry.canonicalizedBody).toString('utf8')) as HashedRekordBody | null)?.spec;
      const v1 = spec?.data?.hash;
      const v2 = spec?.hashedRekordV002?.data;
      if (v1 && v1.algorithm === 'sha256' && typeof v1.value === 'string') logged = `sha256:${v1.value.toLowerCase()}`;
      else if (v2 && (v2.algorithm === 'SHA2_256' || v2.algorithm === undefined) && typeof v2.digest === 'string')
        logged = `sha256:${Buffer.from(v2.digest, 'base64').toString('hex')}`;
    } catch {
      // an unreadable body is reported as not matching below
    }
    if (logged !== digest) throw new VerifyError('TLOG_BODY', `the log entry ${entry.logIndex} records ${logged ?? 'no sha256 digest'}, not ${digest}`);
  }
}
