import * as core from '@actions/core';
import type { Http } from '../http.js';
import type { Identity } from '../identity.js';
import type { Inputs } from '../inputs.js';
import { RunSigner } from '../sign.js';
import type { SigningKey } from '../signing-key.js';
import { keyPolicy } from '../verify/key.js';
import type { SelfCheck } from './sign.js';

// Who signs: the user's cosign key, or the workflow's OIDC identity through
// one Fulcio certificate for the whole run.

// The public-good services as its TUF repository names them, asked only once
// the registry has been read (the embedded signing config stood in until then).
export async function resolveServices(inputs: Inputs): Promise<Inputs> {
  if (!inputs.servicesFromTuf) return inputs;
  const resolved = await inputs.servicesFromTuf();
  core.info(`Sigstore services from ${resolved.servicesFrom}: Fulcio ${resolved.fulcioURL}, Rekor ${resolved.rekorURL}, TSA ${resolved.tsaURL ?? 'none'}`);
  return resolved;
}

// Said once in the log (a notice) when nothing is logged.
export const NO_TLOG_NOTICE =
  'tlog-upload: false: nothing was logged in a transparency log, so nobody can see or audit these signatures and a leaked key could sign unseen; ' +
  'verifiers must accept that explicitly (cosign verify --key cosign.pub --insecure-ignore-tlog, sign-attest verify --key cosign.pub --insecure-ignore-tlog)';

// The run's signer and what self-verification pins: the key, or the
// certificate's identity.
export async function openSigner(
  http: Http,
  inputs: Inputs,
  identity: Identity | undefined,
  key: SigningKey | undefined,
): Promise<{ signer: RunSigner; policy: SelfCheck }> {
  if (key) {
    const signer = RunSigner.withKey(http, inputs, key, { tlog: inputs.tlogUpload });
    core.info(`Signing with the key of signing-key (public key hint ${key.hint})`);
    if (!signer.tlog) core.notice(NO_TLOG_NOTICE);
    return { signer, policy: { key: keyPolicy(key.publicKeyPEM), insecureIgnoreTlog: !signer.tlog } };
  }
  if (!identity) throw new Error('keyless signing needs the workflow identity');
  const signer = await RunSigner.create(http, inputs, identity);
  core.info(`Signing as ${signer.san} (issuer ${signer.issuer})`);
  return { signer, policy: { san: signer.san, issuer: signer.issuer } };
}
