import * as core from '@actions/core';
import { errorLine } from './errors.js';
import { Http } from './http.js';
import type { Inputs } from './inputs.js';
import { findFiles } from './files/subjects.js';
import { afterRequestsLeave } from './later.js';
import { retryLine, RunLog } from './log.js';
import { identify, readSigningKey } from './stages/identify.js';
import { checkPushAccess, findTargets, loggedImage, openRegistries } from './stages/targets.js';

// The run in one screen: subjects (images, release files) → predicates → signing (logged and self-verified) →
// attaching and storing → outputs. Nothing is written to the registry until every signature is logged and verified.
export async function run(inputs: Inputs): Promise<void> {
  const started = Date.now();
  let log: RunLog | undefined;
  try {
    const [files, key] = await Promise.all([findFiles(inputs), readSigningKey(inputs)]);
    const http = new Http({ retryBudgetMs: inputs.retryBudgetSeconds * 1000, debug: core.debug, onRetry: (n) => core.info(retryLine(n)) });
    const registries = openRegistries(http, inputs);
    // The later stages compile while the token and the images are on their way (stages/index.ts); the trusted root, the
    // token and the images are independent; the registry is read before any TUF repository is asked for the services.
    const stages = afterRequestsLeave(() => import('./stages/index.js'));
    const [trust, identity, targets, stage] = await Promise.all([
      stages.then((s) => s.loadTrustMaterial(inputs.trustedRoot, (m) => core.warning(m), inputs.tuf)),
      identify(inputs, key),
      findTargets(inputs.images, registries),
      stages,
    ]);
    inputs = await stage.resolveServices(inputs);
    const runLog = (log = new RunLog(targets.map(loggedImage)));
    if (targets.length > 1) runLog.info(`${targets.length} images to sign; each one's log follows in its own group once it is signed and attached`);
    const { outDir, trustFiles } = await stage.openOutputs(inputs);
    // One provenance document for the run: the images and the release files are attested with the same one.
    const provenance = stage.provenanceDocument(inputs, identity);
    const [predicates, { signer, policy }] = await stage.describeWhileOpening(
      (events) => stage.predicatesFor(targets, registries, inputs, provenance, outDir, runLog, events),
      inputs.attach !== 'none' ? checkPushAccess(targets, registries) : undefined,
      () => stage.openSigner(http, inputs, identity, key),
    );
    const prep = inputs.attach !== 'none' ? stage.prepareAttach(targets, predicates, inputs.sign, inputs, registries) : undefined;
    const store = stage.prepareStore({ mode: inputs.attestationStore, token: inputs.githubToken, http, keySigned: key !== undefined, debug: core.debug });
    if (inputs.referrersOnly) core.notice(inputs.referrersOnly);
    const [signed, fileResults] = await Promise.all([
      stage.signAll(signer, targets, predicates, { sign: inputs.sign, attach: inputs.attach, trust, policy }, log),
      stage.signReleaseFiles(signer, files, { sign: inputs.sign, provenance, predicates: inputs.predicates, trust, policy, outDir }, log),
    ]);
    // GitHub's attestation store takes the verified bundles while the registry is written.
    const [results, stored] = await Promise.all([
      stage.attachAll(signed, prep, registries, signer.identity, outDir, { attach: inputs.attach, replace: inputs.replace }),
      stage.storeAll(signed, store),
    ]);
    const summary = inputs.summary ? stage.summaryContext(inputs, signer, key, identity, trustFiles, started) : undefined;
    await stage.report({ results, files: fileResults, stored }, log, outDir, summary);
  } catch (err) {
    log?.flush();
    core.setFailed(errorLine(err));
    if (err instanceof Error && err.cause) core.debug(`cause: ${errorLine(err.cause)}`);
  }
}
