import { PolicyError, VerificationError } from '@sigstore/verify';
import { ActionError, errorLine } from '../errors.js';

// Why a signature or attestation was rejected: a closed set, so the action,
// the CLI and tests can tell "wrong identity" from "bad SET" without parsing text.
export type VerifyReason =
  | 'NO_SIGNATURE'
  | 'MISSING_ATTESTATION'
  | 'IDENTITY'
  | 'ISSUER'
  | 'DIGEST_MISMATCH'
  | 'SET'
  | 'INCLUSION_PROOF'
  | 'CERTIFICATE'
  | 'SCT'
  | 'SIGNATURE'
  | 'TLOG_BODY'
  | 'TIMESTAMP'
  | 'MALFORMED';

export class VerifyError extends ActionError {
  readonly reason: VerifyReason;
  constructor(reason: VerifyReason, message: string, options?: { cause?: unknown }) {
    super('VERIFY', message, options);
    this.name = 'VerifyError';
    this.reason = reason;
  }
}

// Policy reasons are about who signed; the rest mean the material itself is
// forged, tampered or mismatched.
export function isPolicyReason(reason: VerifyReason): boolean {
  return reason === 'IDENTITY' || reason === 'ISSUER';
}

// Translates @sigstore/verify's errors into our reasons, with messages that
// say what was checked rather than which library function failed.
export function toVerifyError(err: unknown): VerifyError {
  if (err instanceof VerifyError) return err;
  const detail = errorLine(err);
  if (err instanceof PolicyError) return new VerifyError('IDENTITY', `signer policy: ${detail}`, { cause: err });
  if (!(err instanceof VerificationError)) return new VerifyError('MALFORMED', `malformed Sigstore material: ${detail}`, { cause: err });
  switch (err.code) {
    case 'TLOG_INCLUSION_PROMISE_ERROR':
      return new VerifyError('SET', 'bad SET: the signed entry timestamp does not verify under the trusted Rekor key for this entry', { cause: err });
    case 'TLOG_INCLUSION_PROOF_ERROR':
      return new VerifyError('INCLUSION_PROOF', `bad inclusion proof: ${detail}`, { cause: err });
    case 'TLOG_BODY_ERROR':
      // The hash we compare is computed from the bytes as found, so a hash
      // mismatch means those bytes are not the ones that were logged.
      if (/digest mismatch|hash mismatch/i.test(detail)) {
        return new VerifyError('TLOG_BODY', 'payload modified after signing: its hash differs from the one logged in Rekor', { cause: err });
      }
      return new VerifyError('TLOG_BODY', `the Rekor entry does not match the signed content (${detail})`, { cause: err });
    case 'TLOG_ERROR':
    case 'TLOG_MISSING_INCLUSION_ERROR':
      return new VerifyError('SET', `no verifiable transparency log entry (${detail})`, { cause: err });
    case 'SIGNATURE_ERROR':
      return new VerifyError('SIGNATURE', 'the signature does not verify over the signed payload', { cause: err });
    case 'TIMESTAMP_ERROR':
      return new VerifyError('TIMESTAMP', `timestamp verification failed (${detail})`, { cause: err });
    case 'CERTIFICATE_ERROR': {
      // The chain verifier wraps the specific reason (expiry, no path) in its cause.
      const inner = err.cause instanceof Error ? `: ${errorLine(err.cause)}` : '';
      if (/SCT/.test(detail)) return new VerifyError('SCT', `certificate transparency: ${detail}`, { cause: err });
      if (/not valid or expired/.test(detail + inner)) {
        return new VerifyError('CERTIFICATE', 'certificate not valid at the logged time (the integrated time is outside its validity)', { cause: err });
      }
      return new VerifyError('CERTIFICATE', `the certificate does not chain to the trusted Fulcio root (${detail}${inner})`, { cause: err });
    }
    default:
      return new VerifyError('MALFORMED', `verification failed: ${detail}`, { cause: err });
  }
}
