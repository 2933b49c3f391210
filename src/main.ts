import * as core from '@actions/core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLine } from './errors.js';
import { Http } from './http.js';
import { claimString, getIdentity } from './identity.js';
import type { Inputs } from './inputs.js';
import { retryLine, RunLog } from './log.js';
import { registryClients } from './oci/client.js';
import { RunSigner } from './sign.js';
import { attachAll } from './stages/attach.js';
import { report, verifyActionRef } from './stages/outputs.js';
import { predicatesFor } from './stages/predicates.js';
import { signAll } from './stages/sign.js';
import { findTargets, loggedImage } from './stages/targets.js';
import { writeTrustFiles } from './trust-files.js';
import { loadTrustMaterial } from './verify.js';

// The run in one screen: targets → predicates → signing (logged and
// self-verified) → attaching → outputs. Nothing is written to the registry
// until every signature is logged and verified.
export async function run(inputs: Inputs): Promise<void> {
  const started = Date.now();
  let log: RunLog | undefined;
  try {
    const trust = await loadTrustMaterial(inputs.trustedRoot, (m) => core.warning(m), inputs.tuf);
    const http = new Http({ retryBudgetMs: inputs.retryBudgetSeconds * 1000, debug: core.debug, onRetry: (n) => core.info(retryLine(n)) });
    const identity = await getIdentity({ explicitToken: inputs.identityToken, audience: inputs.audience });
    const creds = inputs.registryUsername || inputs.registryPassword ? { username: inputs.registryUsername, password: inputs.registryPassword } : undefined;
    const registries = registryClients(http, creds, core.setSecret);
    const targets = await findTargets(inputs.images, registries, inputs.attach !== 'none');
    // The registry is read before any TUF repository is asked for the services.
    if (inputs.servicesFromTuf) {
      inputs = await inputs.servicesFromTuf();
      core.info(`Sigstore services from ${inputs.servicesFrom}: Fulcio ${inputs.fulcioURL}, Rekor ${inputs.rekorURL}, TSA ${inputs.tsaURL ?? 'none'}`);
    }
    log = new RunLog(targets.map(loggedImage));
    if (targets.length > 1) log.info(`${targets.length} images to sign; each one's log follows in its own group once it is signed and attached`);
    const outDir = await mkdtemp(join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'sign-attest-'));
    const trustFiles = inputs.trustedRoot ? await writeTrustFiles(outDir, inputs.trustedRoot, { legacy: inputs.attach === 'tags', rekorURL: inputs.rekorURL }) : undefined;
    const predicates = await predicatesFor(targets, registries, inputs, identity, outDir, log);
    if (inputs.referrersOnly) core.notice(inputs.referrersOnly);
    const signer = await RunSigner.create(http, inputs, identity);
    core.info(`Signing as ${signer.san} (issuer ${identity.issuer})`);
    const policy = { san: signer.san, issuer: identity.issuer };
    const signed = await signAll(signer, targets, predicates, { sign: inputs.sign, attach: inputs.attach, trust, policy }, log);
    const results = await attachAll(signed, registries, signer.identity, outDir, { attach: inputs.attach, replace: inputs.replace });
    const { rekorURL, attach, rekorVersion, referrersOnly: note } = inputs;
    const repository = claimString(identity.claims, 'repository');
    const context = () => ({ ...policy, rekorURL, repository, attach, trustFiles, rekorVersion, note, elapsedMs: Date.now() - started, verifyAction: verifyActionRef() });
    await report(results, log, outDir, inputs.summary ? context : undefined);
  } catch (err) {
    log?.flush();
    core.setFailed(errorLine(err));
    if (err instanceof Error && err.cause) core.debug(`cause: ${errorLine(err.cause)}`);
  }
}
