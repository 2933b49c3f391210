import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import tufSeeds from '@sigstore/tuf/seeds.json' with { type: 'json' };
import { toSignedEntity, toTrustMaterial, Verifier, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
// Not in the package's index: the library's own SET and inclusion-proof check,
// for entries whose body the caller binds (see verifyBundleMaterial).
import { verifyTLogInclusion } from '@sigstore/verify/dist/tlog/index.js';
import { ActionError, errorLine } from './errors.js';
import { toVerifyError, VerifyError } from './verify/error.js';
import { checkProofOnlyLogWindows, missingValidityStart } from './verify/validity.js';
import { checkIdentity, type IdentityPolicy, type SignerIdentity } from './verify/policy.js';
import { isPublicGood, PUBLIC_GOOD_TUF, tufTarget, type TufSource } from './tuf.js';

// One verification library for the signing action's self-check, the verify
// action and the CLI: bundles are checked with @sigstore/verify against a
// trusted root (certificate chain, SCT, SET, inclusion proof, signature) and
// then against a policy pinning the signer identity.

export type { IdentityPolicy, SignerIdentity } from './verify/policy.js';

export interface VerifiedBundle {
  signer: SignerIdentity;
  logIndexes: number[];
}

// Loads a trusted_root.json, or the public-good root when no path is given;
// `onFallback` hears when that had to come from the embedded copy. `tuf`: a
// private instance's TUF repository instead (no fallback: its root is not ours).
export async function loadTrustMaterial(trustedRootPath?: string, onFallback?: (message: string) => void, tuf: TufSource = PUBLIC_GOOD_TUF): Promise<TrustMaterial> {
  if (trustedRootPath) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(trustedRootPath, 'utf8'));
    } catch (err) {
      throw new ActionError('INPUT', `trusted-root: cannot read "${trustedRootPath}" (${errorLine(err)}); pass the path of a trusted_root.json`);
    }
    let root: TrustedRoot;
    try {
      root = TrustedRoot.fromJSON(json);
    } catch (err) {
      throw new ActionError('INPUT', `trusted-root: "${trustedRootPath}" is not a Sigstore trusted root (${errorLine(err)})`);
    }
    // fromJSON accepts any object; a root that trusts no CA or log would only
    // fail later, after the certificate and log entries were already made.
    if (root.certificateAuthorities.length === 0 || root.tlogs.length === 0) {
      throw new ActionError(
        'INPUT',
        `trusted-root: "${trustedRootPath}" is not a Sigstore trusted root (it lists no certificate authority or transparency log); pass the trusted_root.json of your Sigstore instance`,
      );
    }
    const unbounded = missingValidityStart(root);
    if (unbounded)
      throw new ActionError(
        'INPUT',
        `trusted-root: "${trustedRootPath}" is malformed: ${unbounded}; give every log, CT log, CA and TSA the time it became trusted, or pass your instance's trusted_root.json`,
      );
    return toTrustMaterial(root);
  }
  // The public-good root via TUF, kept fresh in a cache; offline, the copy
  // embedded in @sigstore/tuf.
  let fromTuf: TrustedRoot;
  try {
    fromTuf = TrustedRoot.fromJSON(JSON.parse(await tufTarget(tuf, 'trusted_root.json')));
  } catch (err) {
    if (!isPublicGood(tuf)) {
      throw new ActionError(
        'INPUT',
        `tuf-mirror-url: cannot read trusted_root.json from ${tuf.mirrorURL} (${errorLine(err)}); fix the mirror or tuf-root, or pass trusted-root`,
      );
    }
    onFallback?.(`Using the public-good trusted root embedded in @sigstore/tuf: the TUF repository could not be reached (${errorLine(err)})`);
    return toTrustMaterial(TrustedRoot.fromJSON(embeddedTrustedRoot()));
  }
  // A private mirror's root gets the same shape check as a trusted-root file.
  const unbounded = isPublicGood(tuf) ? undefined : missingValidityStart(fromTuf);
  if (unbounded)
    throw new ActionError(
      'INPUT',
      `tuf-mirror-url: the trusted_root.json from ${tuf.mirrorURL} is malformed: ${unbounded}; fix the instance's root, or pass trusted-root`,
    );
  return toTrustMaterial(fromTuf);
}

function embeddedTrustedRoot(): unknown {
  const target = (tufSeeds as Record<string, { targets?: Record<string, string> }>)[PUBLIC_GOOD_TUF.mirrorURL]?.targets?.['trusted_root.json'];
  if (!target) throw new ActionError('VERIFY', 'No embedded public-good trusted root is available offline; pass trusted-root');
  return JSON.parse(Buffer.from(target, 'base64').toString('utf8'));
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
// signature (unused for DSSE). `bodyBoundByCaller`: @sigstore/verify matches
// a log entry's body to the content only for the kinds it knows, and intoto
// v0.0.1 (cosign's attestation entries) is not one; with it set, each entry's
// inclusion (SET, proof) is still checked here, and the caller must bind the
// logged body to the content itself, as cosign does. `overDigest`: a message
// signature known only by the artifact's digest is checked by this function
// (verify/prehashed.ts, passed in so only the CLI bundles its curve code);
// every other check (log body, certificate, timestamps) is the library's.
export function verifyBundleMaterial(
  trust: TrustMaterial,
  bundle: Bundle,
  artifact?: Buffer,
  opts: { bodyBoundByCaller?: boolean; overDigest?: (key: KeyObject, signature: Uint8Array) => boolean; insecureIgnoreTlog?: boolean } = {},
): VerifiedBundle {
  // cosign's --insecure-ignore-tlog, for key signatures made with
  // tlog-upload: false: no log entry (and then perhaps no timestamp) is
  // required; entries present are still checked.
  const relaxed = opts.insecureIgnoreTlog && bundle.verificationMaterial.content.$case === 'publicKey';
  const verifier = new Verifier(trust, { tlogThreshold: relaxed ? 0 : 1, ctlogThreshold: 1, ...(relaxed ? { timestampThreshold: 0 } : {}) });
  rememberCertificateChecks(verifier, trust, bundle);
  if (opts.bodyBoundByCaller) {
    // Replaces only the body comparison of the (private) log step; its other
    // checks are these, and the timestamps still come from the same entries.
    Object.assign(verifier, {
      verifyTLogs: ({ tlogEntries }: SignedEntity) => {
        if (tlogEntries.length < 1) throw new VerifyError('MALFORMED', 'no transparency log entry');
        tlogEntries.forEach((entry) => verifyTLogInclusion(entry, trust.tlogs));
      },
    });
  }
  if (bundle.verificationMaterial.content.$case === 'publicKey' && bundle.verificationMaterial.tlogEntries.length === 0 && !opts.insecureIgnoreTlog) {
    throw new VerifyError(
      'TLOG_BODY',
      'not logged in a transparency log (the bundle has no tlog entry); if it was signed with tlog-upload: false, verify with --insecure-ignore-tlog',
    );
  }
  try {
    const entity = toSignedEntity(bundle, artifact);
    const { overDigest } = opts;
    if (overDigest && !artifact && bundle.content.$case === 'messageSignature') {
      const signature = bundle.content.messageSignature.signature;
      entity.signature.verifySignature = (key) => overDigest(key, signature);
    }
    const signer = verifier.verify(entity);
    const untrustedLog = checkProofOnlyLogWindows(trust, bundle);
    if (untrustedLog) throw new VerifyError('INCLUSION_PROOF', untrustedLog);
    const material = bundle.verificationMaterial.content;
    return {
      signer: {
        san: signer.identity?.subjectAlternativeName ?? '',
        issuer: signer.identity?.extensions?.issuer ?? '',
        ...(material.$case === 'publicKey' ? { keyHint: material.publicKey.hint } : {}),
      },
      logIndexes: bundle.verificationMaterial.tlogEntries.map((e) => Number(e.logIndex)),
    };
  } catch (err) {
    throw toVerifyError(err);
  }
}

// A certificate's chain and SCT checks depend only on it, the times it is
// checked at and the trusted root, and every bundle of a run carries the same
// certificate: each (certificate, times) is checked once per trusted root and
// its result reused (the ~6 ECDSA checks and DER re-encodings per bundle were
// most of the self-verification's CPU). Failures are not kept. Every Verifier
// here has ctlogThreshold 1, the one option that check reads.
type SigningKeyCheck = (entity: SignedEntity, timestamps: Date[]) => unknown;
const checkedCertificates = new WeakMap<TrustMaterial, Map<string, unknown>>();

// The DER of the signing certificate a bundle carries (alone, or first of its chain).
export function leafCertificateBytes(bundle: Bundle): Uint8Array | undefined {
  const material = bundle.verificationMaterial.content;
  if (material.$case === 'certificate') return material.certificate.rawBytes;
  return material.$case === 'x509CertificateChain' ? material.x509CertificateChain.certificates[0]?.rawBytes : undefined;
}

function rememberCertificateChecks(verifier: Verifier, trust: TrustMaterial, bundle: Bundle): void {
  const leaf = leafCertificateBytes(bundle);
  if (!leaf) return;
  const checks = checkedCertificates.get(trust) ?? new Map<string, unknown>();
  checkedCertificates.set(trust, checks);
  const certificate = Buffer.from(leaf).toString('base64');
  // A private method of @sigstore/verify's Verifier (as verifyTLogs above); verify() calls it once.
  const self = verifier as unknown as { verifySigningKey: SigningKeyCheck };
  const check = self.verifySigningKey.bind(verifier);
  self.verifySigningKey = (entity, timestamps) => {
    const key = `${certificate} ${timestamps.map((t) => t.getTime()).join(',')}`;
    if (!checks.has(key)) checks.set(key, check(entity, timestamps));
    return checks.get(key);
  };
}

// Verifies one serialized bundle and its signer's identity.
export function verifyBundle(trust: TrustMaterial, bundleJSON: unknown, policy: IdentityPolicy, artifact?: Buffer): VerifiedBundle {
  const verified = verifyBundleMaterial(trust, parseBundle(bundleJSON), artifact);
  checkIdentity(policy, verified.signer);
  return verified;
}
