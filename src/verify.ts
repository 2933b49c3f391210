import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { toSignedEntity, toTrustMaterial, Verifier, type TrustMaterial } from '@sigstore/verify';
import { ActionError, errorLine } from './errors.js';

// One verification library for the signing action's self-check, the verify
// action and the CLI: bundles are checked with @sigstore/verify against a
// trusted root (certificate chain, SCT, SET, inclusion proof, signature) and
// a policy pinning the signer identity.

export interface IdentityPolicy {
  san: string | RegExp;
  issuer: string;
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

// Verifies one serialized bundle; `artifact` is required for message
// signatures (the signed bytes) and unused for DSSE bundles.
export function verifyBundle(trust: TrustMaterial, bundleJSON: unknown, policy: IdentityPolicy, artifact?: Buffer): void {
  const verifier = new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 1 });
  const bundle = bundleFromJSON(bundleJSON);
  verifier.verify(toSignedEntity(bundle, artifact), {
    subjectAlternativeName: policy.san,
    extensions: { issuer: policy.issuer },
  });
}
