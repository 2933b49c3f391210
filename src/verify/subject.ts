import { createHash } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { VerifyError } from './error.js';

// Binding checks: a valid signature proves who signed *something*; these
// prove that something names the image (or file) being verified.

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface Statement {
  predicateType: string;
  subject: { name?: string; digest?: Record<string, string> }[];
}

// cosign's SimpleClaimVerifier: the simple-signing payload must name the digest.
export function checkSimpleSigning(payload: Buffer, digest: string): void {
  let claimed: unknown;
  try {
    const doc = JSON.parse(payload.toString('utf8')) as { critical?: { image?: { 'docker-manifest-digest'?: unknown } } };
    claimed = doc.critical?.image?.['docker-manifest-digest'];
  } catch {
    throw new VerifyError('MALFORMED', 'the signed payload is not simple-signing JSON');
  }
  if (claimed !== digest) {
    throw new VerifyError('DIGEST_MISMATCH', `digest mismatch: the signed payload names ${String(claimed)}, not ${digest}`);
  }
}

// The in-toto statement inside a DSSE bundle; cosign rejects other payload types.
export function statementOf(bundle: Bundle): Statement {
  if (bundle.content.$case !== 'dsseEnvelope') throw new VerifyError('MALFORMED', 'expected a DSSE envelope, found a message signature');
  const env = bundle.content.dsseEnvelope;
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new VerifyError('MALFORMED', `DSSE payload type is "${env.payloadType}", expected ${IN_TOTO_PAYLOAD_TYPE}`);
  }
  try {
    const stmt = JSON.parse(Buffer.from(env.payload).toString('utf8')) as Partial<Statement>;
    if (typeof stmt.predicateType !== 'string' || !Array.isArray(stmt.subject)) throw new Error('missing predicateType or subject');
    return stmt as Statement;
  } catch (err) {
    throw new VerifyError('MALFORMED', `the DSSE payload is not an in-toto statement (${(err as Error).message})`);
  }
}

// Some subject must carry the digest (cosign's --check-claims).
export function checkStatementSubject(stmt: Statement, digest: string): void {
  const [alg, hex] = digest.split(':');
  if (!stmt.subject.some((s) => s.digest?.[alg ?? ''] === hex)) {
    const named = stmt.subject
      .map((s) =>
        Object.entries(s.digest ?? {})
          .map(([a, h]) => `${a}:${h}`)
          .join(','),
      )
      .join(' ');
    throw new VerifyError('DIGEST_MISMATCH', `digest mismatch: the statement's subjects (${named || 'none'}) do not include ${digest}`);
  }
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
