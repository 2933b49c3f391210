import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { toSignedEntity, toTrustMaterial, Verifier, type TrustMaterial } from '@sigstore/verify';
import { ActionError, errorLine } from './errors.js';
import { toVerifyError, VerifyError } from './verify/error.js';
import { checkIdentity, type IdentityPolicy, type SignerIdentity } from './verify/policy.js';

// One verification library for the signing action's self-check, the verify
// action and the CLI: bundles are checked with @sigstore/verify against a
// trusted root (certificate chain, SCT, SET, inclusion proof, signature) and
// then against a policy pinning the signer identity.

export type { IdentityPolicy, SignerIdentity } from './verify/policy.js';

export interface VerifiedBundle {
  signer: SignerIdentity;
  logIndexes: number[];
}

export async function loadTrustMaterial(trustedRootPath?: string): Promise<TrustMaterial> {
  if (trustedRootPath) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(trustedRootPath, 'utf8'));
    } catch (err) {
      throw new ActionError('INPUT', `trusted-root: cannot read "${trustedRootPath}" (${errorLine(err)}); pass the path of a trusted_root.json`);
    }
    try {
      return toTrustMaterial(TrustedRoot.fromJSON(json));
    } catch (err) {
      throw new ActionError('INPUT', `trusted-root: "${trustedRootPath}" is not a Sigstore trusted root (${errorLine(err)})`);
    }
  }
  // The public-good root via TUF; offline, the copy embedded in @sigstore/tuf.
  const cachePath = join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'sign-attest-tuf');
  try {
    return toTrustMaterial(await getTrustedRoot({ cachePath }));
  } catch {
    try {
      return toTrustMaterial(await getTrustedRoot({ cachePath, forceCache: true }));
    } catch (err) {
      throw new ActionError('VERIFY', `Could not load the public-good Sigstore trusted root (${errorLine(err)}); pass trusted-root`);
    }
  }
}

// Parses a serialized bundle, validating it against the rules of its media type.
export function parseBundle(bundleJSON: unknown): Bundle {
  try {
    return bundleFromJSON(bundleJSON);
  } catch (err) {
    throw new VerifyError('MALFORMED', `not a valid Sigstore bundle (${errorLine(err)})`, { cause: err });
  }
}

// Runs every cryptographic check on a bundle and returns who signed it,
// without judging the identity. `artifact` is the signed bytes of a message
// signature (unused for DSSE).
export function verifyBundleMaterial(trust: TrustMaterial, bundle: Bundle, artifact?: Buffer): VerifiedBundle {
  const verifier = new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 1 });
  try {
    const signer = verifier.verify(toSignedEntity(bundle, artifact));
    return {
      signer: { san: signer.identity?.subjectAlternativeName ?? '', issuer: signer.identity?.extensions?.issuer ?? '' },
      logIndexes: bundle.verificationMaterial.tlogEntries.map((e) => Number(e.logIndex)),
    };
  } catch (err) {
    throw toVerifyError(err);
  }
}

// Verifies one serialized bundle and its signer's identity.
export function verifyBundle(trust: TrustMaterial, bundleJSON: unknown, policy: IdentityPolicy, artifact?: Buffer): VerifiedBundle {
  const verified = verifyBundleMaterial(trust, parseBundle(bundleJSON), artifact);
  checkIdentity(policy, verified.signer);
  return verified;
}
