import { ActionError } from '../errors.js';
import { PREDICATE_TYPE_NAMES } from '../formats/predicates.js';
import { VerifyError } from './error.js';

// Who must have signed: a certificate identity (exact, or a regular
// expression as cosign's --certificate-identity-regexp) and an exact issuer.
export interface IdentityPolicy {
  san: string | RegExp;
  issuer: string;
}

// The identity a verified certificate names.
export interface SignerIdentity {
  san: string;
  issuer: string;
}

// Builds the policy from the action inputs or CLI flags; exactly one of
// identity and identityRegexp must be given.
export function identityPolicy(opts: { identity?: string; identityRegexp?: string; issuer?: string }, names = INPUT_NAMES): IdentityPolicy {
  if (opts.identity && opts.identityRegexp) {
    throw new ActionError('INPUT', `${names.identity} and ${names.identityRegexp} are mutually exclusive; pass one`);
  }
  if (!opts.identity && !opts.identityRegexp) {
    throw new ActionError('INPUT', `${names.identity} or ${names.identityRegexp} is required: pin the workflow identity that must have signed`);
  }
  if (!opts.issuer) throw new ActionError('INPUT', `${names.issuer} is required (for GitHub Actions: https://token.actions.githubusercontent.com)`);
  let san: string | RegExp;
  if (opts.identityRegexp) {
    try {
      san = new RegExp(opts.identityRegexp);
    } catch (err) {
      throw new ActionError('INPUT', `${names.identityRegexp}: "${opts.identityRegexp}" is not a valid regular expression (${(err as Error).message})`);
    }
  } else {
    san = opts.identity as string;
  }
  return { san, issuer: opts.issuer };
}

const INPUT_NAMES = {
  identity: 'certificate-identity',
  identityRegexp: 'certificate-identity-regexp',
  issuer: 'certificate-oidc-issuer',
};

// Throws IDENTITY or ISSUER when the signer is not the one the policy pins.
// A string identity is compared exactly; a RegExp is searched, as cosign does.
export function checkIdentity(policy: IdentityPolicy, signer: SignerIdentity): void {
  const sanOK = typeof policy.san === 'string' ? signer.san === policy.san : policy.san.test(signer.san);
  if (!sanOK) {
    throw new VerifyError('IDENTITY', `wrong identity: signed by "${signer.san}", expected ${describeSAN(policy.san)}${refHint(policy.san, signer.san)}`);
  }
  if (signer.issuer !== policy.issuer) {
    throw new VerifyError('ISSUER', `wrong issuer: certificate issued for "${signer.issuer}", expected "${policy.issuer}"`);
  }
}

// When the same workflow signed at another ref (`…/release.yml@refs/heads/dev`
// for an expected `…@refs/heads/main`), says so and names the regexp that
// accepts that workflow at any ref.
export function refHint(expected: string | RegExp, actual: string): string {
  if (typeof expected !== 'string') return '';
  const at = (s: string) => s.lastIndexOf('@');
  const [e, a] = [at(expected), at(actual)];
  if (e < 0 || a < 0 || expected.slice(0, e) !== actual.slice(0, a)) return '';
  if (!expected.startsWith('refs/', e + 1) || !actual.startsWith('refs/', a + 1)) return ''; // e-mail identities have no ref
  const workflow = expected.slice(0, e + 1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `; only the ref differs (${actual.slice(a + 1)}, not ${expected.slice(e + 1)}): to accept this workflow at any ref, pass certificate-identity-regexp '^${workflow}'`;
}

export function describeSAN(san: string | RegExp): string {
  return typeof san === 'string' ? `"${san}"` : `a match for /${san.source}/`;
}

export function toPredicateType(value: string, inputName = 'predicate-types'): string {
  const known = PREDICATE_TYPE_NAMES[value.toLowerCase()];
  if (known) return known;
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) return value;
  throw new ActionError('INPUT', `${inputName}: "${value}" is neither a predicate type URI nor one of ${Object.keys(PREDICATE_TYPE_NAMES).join(', ')}`);
}
