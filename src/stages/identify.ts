import { getIdentity, type Identity } from '../identity.js';
import type { Inputs } from '../inputs.js';
import { decryptSigningKey, type SigningKey } from '../signing-key.js';

// Who the run is, known before its first request: the user's signing key
// (decrypted now, so a wrong password fails first) and the workflow's OIDC
// token. Light on purpose: main.ts needs it before the later stages load.

// A key that does not decrypt fails here, before any registry or log is asked.
export function readSigningKey(inputs: Pick<Inputs, 'signingKey'>): Promise<SigningKey | undefined> {
  return inputs.signingKey ? decryptSigningKey(inputs.signingKey.pem, inputs.signingKey.password) : Promise.resolve(undefined);
}

// The workflow's token. Key signing needs none; it still uses one for the
// provenance when the job can get it (id-token: write, or identity-token).
export function identify(inputs: Pick<Inputs, 'identityToken' | 'audience'>, key: SigningKey | undefined): Promise<Identity | undefined> {
  const canGetToken = Boolean(inputs.identityToken || (process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] && process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']));
  return key && !canGetToken ? Promise.resolve(undefined) : getIdentity({ explicitToken: inputs.identityToken, audience: inputs.audience });
}
