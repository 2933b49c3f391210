import * as core from '@actions/core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLine } from './errors.js';
import { Http } from './http.js';
import { claimString, getIdentity, type Identity } from './identity.js';
import type { Inputs } from './inputs.js';
import { retryLine, RunLog } from './log.js';
import { registryClients } from './oci/client.js';
import { RunSigner } from './sign.js';
import { decryptSigningKey } from './signing-key.js';
import { attachAll } from './stages/attach.js';
import { report, verifyActionRef } from './stages/outputs.js';
import { predicatesFor } from './stages/predicates.js';
import { fileLogLines, fileResults, fileStatements, signFiles, verifySignedFiles, writeFileBundles } from './stages/files.js';
import { signAll, type SelfCheck } from './stages/sign.js';
import { storeAll, storeLog, storeSummary, withStoredIds } from './stages/store.js';
import { findTargets, loggedImage } from './stages/targets.js';
import { writeTrustFiles } from './trust-files.js';
import { loadTrustMaterial } from './verify.js';
import { keyPolicy } from './verify/key.js';
import { buildProvenance } from './provenance.js';
import { mergeSubjects, resolveSubjectPaths } from './files/subjects.js';
import { claimsFromEnvironment } from './workflow-claims.js';

// The run in one screen: targets (images and release files) → predicates →
// signing (logged and self-verified) → attaching → outputs. Nothing is
// written to the registry until every signature is logged and verified;
// files have no registry: their bundles are files.
export async function run(inputs: Inputs): Promise<void> {
  const started = Date.now();
  let log: RunLog | undefined;
  try {
    // Release files are found and hashed first: a pattern matching nothing fails before any request.
    const files = mergeSubjects(inputs.subjectPaths ? await resolveSubjectPaths(inputs.subjectPaths, process.cwd()) : [], inputs.subjectChecksums);
    const trust = await loadTrustMaterial(inputs.trustedRoot, (m) => core.warning(m), inputs.tuf);
    const http = new Http({ retryBudgetMs: inputs.retryBudgetSeconds * 1000, debug: core.debug, onRetry: (n) => core.info(retryLine(n)) });
    // A key that does not decrypt fails here, before the registry or any log is touched.
    const key = inputs.signingKey ? await decryptSigningKey(inputs.signingKey.pem, inputs.signingKey.password) : undefined;
    // Key signing needs no token; one is still used for the provenance when the job can get it.
    const identity = key && !canGetToken(inputs) ? undefined : await getIdentity({ explicitToken: inputs.identityToken, audience: inputs.audience });
    const creds = inputs.registryUsername || inputs.registryPassword ? { username: inputs.registryUsername, password: inputs.registryPassword } : undefined;
    const registries = registryClients(http, creds, core.setSecret);
    const targets = inputs.images.length ? await findTargets(inputs.images, registries, inputs.attach !== 'none') : [];
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
    const signer = key ? RunSigner.withKey(http, inputs, key, { tlog: inputs.tlogUpload }) : await RunSigner.create(http, inputs, identity as Identity);
    core.info(key ? `Signing with the key of signing-key (public key hint ${key.hint})` : `Signing as ${signer.san} (issuer ${signer.issuer})`);
    if (!signer.tlog) core.notice(NO_TLOG_NOTICE);
    const policy: SelfCheck = key ? { key: keyPolicy(key.publicKeyPEM), insecureIgnoreTlog: !signer.tlog } : { san: signer.san, issuer: signer.issuer };
    const provenance = inputs.provenance && files.length ? buildProvenance(identity?.claims ?? claimsFromEnvironment(), process.env['GITHUB_SERVER_URL']) : undefined;
    const [signed, signedFiles] = await Promise.all([
      targets.length ? signAll(signer, targets, predicates, { sign: inputs.sign, attach: inputs.attach, trust, policy }, log) : [],
      signFiles(signer, files, inputs.sign, files.length ? fileStatements(provenance, inputs.predicates) : []),
    ]);
    verifySignedFiles(trust, signedFiles, policy);
    const filePaths = await writeFileBundles(outDir, signedFiles);
    for (const line of fileLogLines(signedFiles, filePaths, signer.san)) log.info(line);
    // GitHub's attestation store takes the verified bundles while the registry is written.
    const storing = storeAll(signed, { mode: inputs.attestationStore, token: inputs.githubToken, http, keySigned: key !== undefined, debug: core.debug });
    const attached = await attachAll(signed, registries, signer.identity, outDir, { attach: inputs.attach, replace: inputs.replace });
    const stored = await storing;
    const results = withStoredIds(attached, stored);
    const { rekorURL, attach, rekorVersion, referrersOnly: note } = inputs;
    const repository = identity ? claimString(identity.claims, 'repository') : undefined;
    const who = { san: signer.san, issuer: signer.issuer, ...(key ? { key: { hint: key.hint, tlog: signer.tlog } } : {}) };
    const store = storeSummary(stored);
    const context = () => ({ ...who, rekorURL, repository, attach, trustFiles, rekorVersion, note, elapsedMs: Date.now() - started, verifyAction: verifyActionRef(), store });
    await report(results, log, outDir, inputs.summary ? context : undefined, fileResults(signedFiles, filePaths));
    const said = storeLog(stored, inputs.attestationStore);
    for (const line of said.info) core.info(line);
    for (const w of said.warnings) core.warning(w);
  } catch (err) {
    log?.flush();
    core.setFailed(errorLine(err));
    if (err instanceof Error && err.cause) core.debug(`cause: ${errorLine(err.cause)}`);
  }
}

// Said once in the log (a notice) when nothing is logged.
export const NO_TLOG_NOTICE =
  'tlog-upload: false: nothing was logged in a transparency log, so nobody can see or audit these signatures and a leaked key could sign unseen; ' +
  'verifiers must accept that explicitly (cosign verify --key cosign.pub --insecure-ignore-tlog, sign-attest verify --key cosign.pub --insecure-ignore-tlog)';

// A token is fetched in key mode only when the job can get one (id-token: write, or identity-token).
function canGetToken(inputs: Inputs): boolean {
  return Boolean(inputs.identityToken || (process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] && process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']));
}
