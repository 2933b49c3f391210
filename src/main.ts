import * as core from '@actions/core';
import { errorLine } from './errors.js';
import { Http } from './http.js';
import type { Inputs } from './inputs.js';
import { retryLine, RunLog } from './log.js';
import { attachAll, prepareAttach } from './stages/attach.js';
import { findFiles, signReleaseFiles } from './stages/files.js';
import { openOutputs, report, summaryContext } from './stages/outputs.js';
import { describeWhileOpening, predicatesFor, provenanceDocument } from './stages/predicates.js';
import { signAll } from './stages/sign.js';
import { identify, openSigner, readSigningKey, resolveServices } from './stages/signer.js';
import { prepareStore, storeAll } from './stages/store.js';
import { checkPushAccess, findTargets, loggedImage, openRegistries } from './stages/targets.js';
import { loadTrustMaterial } from './verify.js';

// The run in one screen: subjects (images, release files) → predicates → signing (logged and self-verified) →
// attaching and storing → outputs. Nothing is written to the registry until every signature is logged and verified.
export async function run(inputs: Inputs): Promise<void> {
  const started = Date.now();
  let log: RunLog | undefined;
  try {
    const [files, key] = await Promise.all([findFiles(inputs), readSigningKey(inputs)]);
    const http = new Http({ retryBudgetMs: inputs.retryBudgetSeconds * 1000, debug: core.debug, onRetry: (n) => core.info(retryLine(n)) });
    const registries = openRegistries(http, inputs);
    // The trusted root, the token and the images are independent; the registry is read before any TUF repository is asked for the services.
    const [trust, identity, targets] = await Promise.all([
      loadTrustMaterial(inputs.trustedRoot, (m) => core.warning(m), inputs.tuf),
      identify(inputs, key),
      findTargets(inputs.images, registries),
    ]);
    inputs = await resolveServices(inputs);
    const runLog = (log = new RunLog(targets.map(loggedImage)));
    if (targets.length > 1) runLog.info(`${targets.length} images to sign; each one's log follows in its own group once it is signed and attached`);
    const { outDir, trustFiles } = await openOutputs(inputs);
    // One provenance document for the run: the images and the release files are attested with the same one.
    const provenance = provenanceDocument(inputs, identity);
    const [predicates, { signer, policy }] = await describeWhileOpening(
      (events) => predicatesFor(targets, registries, inputs, provenance, outDir, runLog, events),
      inputs.attach !== 'none' ? checkPushAccess(targets, registries) : undefined,
      () => openSigner(http, inputs, identity, key),
    );
    const prep = inputs.attach !== 'none' ? prepareAttach(targets, predicates, inputs.sign, inputs, registries) : undefined;
    const store = prepareStore({ mode: inputs.attestationStore, token: inputs.githubToken, http, keySigned: key !== undefined, debug: core.debug });
    if (inputs.referrersOnly) core.notice(inputs.referrersOnly);
    const [signed, fileResults] = await Promise.all([
      signAll(signer, targets, predicates, { sign: inputs.sign, attach: inputs.attach, trust, policy }, log),
      signReleaseFiles(signer, files, { sign: inputs.sign, provenance, predicates: inputs.predicates, trust, policy, outDir }, log),
    ]);
    // GitHub's attestation store takes the verified bundles while the registry is written.
    const [results, stored] = await Promise.all([
      attachAll(signed, prep, registries, signer.identity, outDir, { attach: inputs.attach, replace: inputs.replace }),
      storeAll(signed, store),
    ]);
    await report({ results, files: fileResults, stored }, log, outDir, inputs.summary ? summaryContext(inputs, signer, key, identity, trustFiles, started) : undefined);
  } catch (err) {
    log?.flush();
    core.setFailed(errorLine(err));
    if (err instanceof Error && err.cause) core.debug(`cause: ${errorLine(err.cause)}`);
  }
}
