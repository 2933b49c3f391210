import * as core from '@actions/core';
import { ActionError, errorLine } from './errors.js';

// The workflow identity for one run: the OIDC token (fetched once) and its
// claims, decoded once and passed on. Fulcio verifies the token's signature;
// provenance reads the same claims, never editable environment variables.
export interface Identity {
  token: string;
  claims: Claims;
  issuer: string;
}

export type Claims = Record<string, unknown> & { iss: string; sub?: string };

export async function getIdentity(opts: { explicitToken?: string; audience: string }): Promise<Identity> {
  let token = opts.explicitToken?.trim();
  if (token) {
    core.setSecret(token);
  } else {
    if (!process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] || !process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']) {
      throw new ActionError(
        'IDENTITY',
        'No OIDC token available: add `permissions: id-token: write` to the job (or pass identity-token when not running on GitHub Actions)',
      );
    }
    core.setSecret(process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
    try {
      token = await core.getIDToken(opts.audience);
    } catch (err) {
      throw new ActionError(
        'IDENTITY',
        `Could not get an OIDC token for audience "${opts.audience}": ${errorLine(err)}; check that the job has \`permissions: id-token: write\``,
      );
    }
  }
  const claims = decodeClaims(token);
  return { token, claims, issuer: claims.iss };
}

// Decodes a JWT payload without verifying it (Fulcio does that). Garbage is
// reported here rather than as an opaque 400 from Fulcio.
export function decodeClaims(token: string): Claims {
  const parts = token.split('.');
  const fail = (why: string): never => {
    throw new ActionError('IDENTITY', `identity-token is not a valid OIDC JWT (${why}); pass the raw token your CI issues for audience "sigstore"`);
  };
  if (parts.length !== 3) fail('expected three dot-separated parts');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    fail('payload is not base64url JSON');
  }
  if (typeof claims !== 'object' || claims === null) fail('payload is not an object');
  const c = claims as Claims;
  if (typeof c.iss !== 'string' || !c.iss) fail('no "iss" claim');
  const exp = c['exp'];
  if (typeof exp === 'number' && exp * 1000 < Date.now()) fail('the token has expired');
  return c;
}

export function claimString(claims: Claims, name: string): string | undefined {
  const v = claims[name];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}
