import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { VerifyError } from '../../../src/verify/error.js';
import { checkIdentity, identityPolicy, toPredicateType } from '../../../src/verify/policy.js';

const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

function reasonOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof VerifyError ? err.reason : `not a VerifyError: ${String(err)}`;
  }
  return undefined;
}

describe('identityPolicy', () => {
  it('requires exactly one of identity and identity regexp', () => {
    expect(() => identityPolicy({ issuer: ISSUER })).toThrow(/certificate-identity or certificate-identity-regexp is required/);
    expect(() => identityPolicy({ identity: SAN, identityRegexp: '.*', issuer: ISSUER })).toThrow(/mutually exclusive/);
  });

  it('requires the issuer', () => {
    expect(() => identityPolicy({ identity: SAN })).toThrow(ActionError);
  });

  it('rejects an invalid regular expression, naming the input', () => {
    expect(() => identityPolicy({ identityRegexp: '(', issuer: ISSUER })).toThrow(/certificate-identity-regexp/);
  });
});

describe('checkIdentity', () => {
  it('compares a string identity exactly, not as a pattern', () => {
    expect(reasonOf(() => checkIdentity({ san: SAN, issuer: ISSUER }, { san: SAN, issuer: ISSUER }))).toBeUndefined();
    expect(reasonOf(() => checkIdentity({ san: 'https://github.com/octo-org/', issuer: ISSUER }, { san: SAN, issuer: ISSUER }))).toBe('IDENTITY');
    expect(reasonOf(() => checkIdentity({ san: SAN, issuer: ISSUER }, { san: SAN.replace('.github', 'xgithub'), issuer: ISSUER }))).toBe('IDENTITY');
  });

  it('searches a RegExp identity', () => {
    expect(reasonOf(() => checkIdentity({ san: /^https:\/\/github\.com\/octo-org\//, issuer: ISSUER }, { san: SAN, issuer: ISSUER }))).toBeUndefined();
    expect(reasonOf(() => checkIdentity({ san: /^https:\/\/github\.com\/evil\//, issuer: ISSUER }, { san: SAN, issuer: ISSUER }))).toBe('IDENTITY');
  });

  it('compares the issuer exactly', () => {
    expect(reasonOf(() => checkIdentity({ san: SAN, issuer: ISSUER }, { san: SAN, issuer: `${ISSUER}/` }))).toBe('ISSUER');
  });
});

describe('toPredicateType', () => {
  it("maps cosign's --type names", () => {
    expect(toPredicateType('slsaprovenance1')).toBe('https://slsa.dev/provenance/v1');
    expect(toPredicateType('cyclonedx')).toBe('https://cyclonedx.org/bom');
    expect(toPredicateType('spdxjson')).toBe('https://spdx.dev/Document');
  });

  it('passes URIs through verbatim', () => {
    expect(toPredicateType('https://spdx.dev/Document/v2.3')).toBe('https://spdx.dev/Document/v2.3');
  });

  it('rejects unknown names', () => {
    expect(() => toPredicateType('sbom')).toThrow(/predicate-types: "sbom" is neither/);
  });
});
