import * as core from '@actions/core';
import { existsSync, readFileSync } from 'node:fs';
import { ActionError, errorLine } from './errors.js';
import { Http } from './http.js';
import { loadTrustMaterial } from './verify.js';
import { verifyImages, type VerifyImagesOptions } from './verify/image.js';
import { keyPolicy } from './verify/key.js';
import { identityPolicy, toPredicateType } from './verify/policy.js';
import { failureLines, summaryMarkdown } from './verify/report.js';

// Entry point of the verify action (verify/action.yml): inputs in, one
// library call, the `verified` output and summary out, one ::error:: line
// per failure reason.

const RETRY_BUDGET_MS = 60_000;

type Inputs = Omit<VerifyImagesOptions, 'trust' | 'http' | 'mask'> & { trustedRoot?: string };

export function readInputs(get: (name: string) => string = (n) => core.getInput(n)): Inputs {
  const password = get('registry-password');
  if (password) core.setSecret(password);
  const images = list(get('images'));
  if (images.length === 0) throw new ActionError('INPUT', 'images: pass at least one image reference (registry/repo@sha256:<hex> or registry/repo:tag)');
  const requireSignature = (get('require-signature') || 'true').toLowerCase();
  if (requireSignature !== 'true' && requireSignature !== 'false') throw new ActionError('INPUT', `require-signature: "${requireSignature}" is not true or false`);
  const username = get('registry-username');
  const insecure = (get('insecure-ignore-tlog') || 'false').toLowerCase();
  if (insecure !== 'true' && insecure !== 'false') throw new ActionError('INPUT', `insecure-ignore-tlog: "${insecure}" is not true or false`);
  const keyInput = get('key').trim();
  if (insecure === 'true' && !keyInput) throw new ActionError('INPUT', 'insecure-ignore-tlog is only for images signed with a key: pass key (the cosign.pub) as well');
  const identity = { identity: get('certificate-identity'), identityRegexp: get('certificate-identity-regexp'), issuer: get('certificate-oidc-issuer') };
  if (keyInput && (identity.identity || identity.identityRegexp || identity.issuer)) {
    throw new ActionError('INPUT', 'key and the certificate-* inputs are mutually exclusive: a key signature has no certificate identity; pass one or the other');
  }
  return {
    images,
    ...(keyInput ? { key: keyPolicy(publicKeyText(keyInput), 'key'), insecureIgnoreTlog: insecure === 'true' } : { policy: identityPolicy(identity) }),
    predicateTypes: list(get('predicate-types')).map((t) => toPredicateType(t)),
    requireSignature: requireSignature === 'true',
    credentials: username || password ? { username, password } : undefined,
    trustedRoot: get('trusted-root') || undefined,
  };
}

// The key input: PEM text, or the path of a PEM file.
function publicKeyText(value: string): string {
  if (value.includes('-----BEGIN')) return value;
  if (!existsSync(value))
    throw new ActionError('INPUT', `key: neither a PEM public key nor the path of an existing file ("${value}"); pass the contents or the path of cosign.pub`);
  return readFileSync(value, 'utf8');
}

function list(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

async function run(inputs: Inputs): Promise<void> {
  const trust = await loadTrustMaterial(inputs.trustedRoot, (m) => core.warning(m));
  const http = new Http({ retryBudgetMs: RETRY_BUDGET_MS, userAgent: 'sign-attest-action/verify', debug: (l) => core.debug(l) });
  const verdicts = await verifyImages({ ...inputs, trust, http, mask: (s) => core.setSecret(s) });
  core.setOutput('verified', JSON.stringify(verdicts));
  await core.summary.addRaw(summaryMarkdown(verdicts)).write();
  const lines = failureLines(verdicts);
  for (const line of lines) core.error(line);
  // The error lines above are the whole message: one per reason, nothing more.
  if (lines.length > 0) {
    process.exitCode = 1;
  } else {
    core.info(`Verified ${verdicts.length} image(s)`);
  }
}

try {
  await run(readInputs());
} catch (err) {
  core.setFailed(errorLine(err));
}
