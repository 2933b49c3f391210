import { describe, it, expect } from '@jest/globals';
import { ActionError } from '../../src/errors.js';
import { decodeClaims } from '../../src/identity.js';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: unknown) => `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;
const now = () => Math.floor(Date.now() / 1000);
const ISS = 'https://token.actions.githubusercontent.com';

// Decodes and returns the IDENTITY error, checking it names the input and the fix.
function identityError(token: string): ActionError {
  let err: unknown;
  try {
    decodeClaims(token);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ActionError);
  const e = err as ActionError;
  expect(e.code).toBe('IDENTITY');
  expect(e.message).toContain('identity-token');
  expect(e.message).toMatch(/pass the raw token/);
  return e;
}

describe('decodeClaims', () => {
  it('returns the claims of a well-formed, unexpired token', () => {
    const claims = decodeClaims(jwt({ iss: ISS, sub: 'repo:o/r:ref:refs/heads/main', aud: 'sigstore', exp: now() + 300 }));
    expect(claims.iss).toBe(ISS);
    expect(claims.sub).toBe('repo:o/r:ref:refs/heads/main');
  });

  it('accepts a token without exp', () => {
    expect(decodeClaims(jwt({ iss: ISS })).iss).toBe(ISS);
  });

  it.each(['not-a-jwt', 'a.b', 'a.b.c.d', ''])('rejects %j as not three parts', (token) => {
    expect(identityError(token).message).toMatch(/three dot-separated parts/);
  });

  it('rejects a payload that is not base64url JSON', () => {
    expect(identityError('aaa.!!!notjson!!!.ccc').message).toMatch(/base64url JSON/);
  });

  it('rejects a payload that is JSON but not an object', () => {
    expect(identityError(`aaa.${b64url('just a string')}.ccc`).message).toMatch(/not an object/);
    expect(identityError(`aaa.${b64url(null)}.ccc`).message).toMatch(/not an object/);
  });

  it('rejects an expired token', () => {
    expect(identityError(jwt({ iss: ISS, exp: now() - 60 })).message).toMatch(/expired/);
  });

  it('rejects a token without iss', () => {
    expect(identityError(jwt({ sub: 'x', exp: now() + 300 })).message).toMatch(/"iss"/);
    expect(identityError(jwt({ iss: '', exp: now() + 300 })).message).toMatch(/"iss"/);
  });
});
