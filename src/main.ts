import * as core from '@actions/core';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREDICATE_TYPES } from './attest.js';
import { errorLine } from './errors.js';
import { Http } from './http.js';
import { getIdentity, claimString, type Identity } from './identity.js';
import type { Inputs } from './inputs.js';
import { artifactLine, retryLine, RunLog } from './log.js';
import { attachTarget, imageResult, signTarget, verifySigned, writeBundles, type Predicate, type SelfCheck, type SignedTarget } from './pipeline.js';
import { buildProvenance } from './provenance.js';
import { primarySbom, resultsJSON, type ImageResult } from './results.js';
import { sbomPredicates } from './sbom-step.js';
import { RunSigner } from './sign.js';
import { decryptSigningKey } from './signing-key.js';
import { renderSummary } from './summary.js';
import { checkPushAccess, expandTargets, loggedImage, resolveTargets } from './targets.js';
import { writeTrustFiles } from './trust-files.js';
import { loadTrustMaterial } from './verify.js';
import { keyPolicy } from './verify/key.js';
import { claimsFromEnvironment } from './workflow-claims.js';

// The pipeline in one screen: inputs → identity → artifacts → signing →
// verification → attaching → outputs and summary. Nothing is written to the
// registry until every signature is logged and verified.
export async function run(inputs: Inputs): Promise<void> {
  const started = Date.now();
  let log: RunLog | undefined;
  try {
    const trust = await loadTrustMaterial(inputs.trustedRoot, (m) => core.warning(m), inputs.tuf);
    const http = new Http({ retryBudgetMs: inputs.retryBudgetSeconds * 1000, debug: core.debug, onRetry: (n) => core.info(retryLine(n)) });
    // A key that does not decrypt fails here, before the registry or any log is touched.
    const key = inputs.signingKey ? await decryptSigningKey(inputs.signingKey.pem, inputs.signingKey.password) : undefined;
    // Key signing needs no token; one is still used for the provenance when the job can get it.
    const identity = key && !canGetToken(inputs) ? undefined : await getIdentity({ explicitToken: inputs.identityToken, audience: inputs.audience });
    const creds = inputs.registryUsername || inputs.registryPassword ? { username: inputs.registryUsername, password: inputs.registryPassword } : undefined;
    const targets = await expandTargets(await resolveTargets(inputs.images, http, creds));
    // A registry that will refuse our writes must say so before anything is logged in Rekor.
    if (inputs.attach !== 'none') await checkPushAccess(targets);
    // The registry is read before any TUF repository is asked for the services.
    if (inputs.servicesFromTuf) {
      inputs = await inputs.servicesFromTuf();
      core.info(`Sigstore services from ${inputs.servicesFrom}: Fulcio ${inputs.fulcioURL}, Rekor ${inputs.rekorURL}, TSA ${inputs.tsaURL ?? 'none'}`);
    }
    log = new RunLog(targets.map(loggedImage));
    if (targets.length > 1) log.info(`${targets.length} images to sign; each one's log follows in its own group once it is signed and attached`);
    const outDir = await mkdtemp(join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'sign-attest-'));
    const trustFiles = inputs.trustedRoot ? await writeTrustFiles(outDir, inputs.trustedRoot, { legacy: inputs.attach === 'tags', rekorURL: inputs.rekorURL }) : undefined;

    const provenance: Predicate[] = inputs.provenance
      ? [{ kind: 'provenance', predicateType: PREDICATE_TYPES.slsaProvenance, document: buildProvenance(identity?.claims ?? claimsFromEnvironment(), process.env['GITHUB_SERVER_URL']) }]
      : [];
    const sboms = await sbomPredicates(targets, inputs.sbom, outDir, log, inputs.sbomFormats);
    const predicates = sboms.map((sbom) => [...provenance, ...sbom]);

    if (inputs.referrersOnly) core.notice(inputs.referrersOnly);
    const signer = key ? RunSigner.withKey(http, inputs, key, { tlog: inputs.tlogUpload }) : await RunSigner.create(http, inputs, identity as Identity);
    core.info(key ? `Signing with the key of signing-key (public key hint ${key.hint})` : `Signing as ${signer.san} (issuer ${identity?.issuer})`);
    if (!signer.tlog) core.notice(NO_TLOG_NOTICE);
    const signed: SignedTarget[] = await Promise.all(targets.map((t, i) => signTarget(signer, t, inputs.sign, inputs.attach, predicates[i] ?? [])));
    const policy: SelfCheck = key ? { key: keyPolicy(key.publicKeyPEM), insecureIgnoreTlog: !signer.tlog } : { san: signer.san, issuer: identity?.issuer ?? '' };
    const bundles = signed.flatMap((st) => [st.signature, st.signatureReferrer, ...st.attestations].filter((s) => s !== undefined));
    const indexes = bundles.flatMap((b) => (b.entry ? [b.entry.logIndex] : []));
    if (signer.tlog) log.info(`Logged ${bundles.length} entries in Rekor for ${signed.length} image(s)${indexes.length ? ` (log indexes ${Math.min(...indexes)}–${Math.max(...indexes)})` : ''}`);
    else log.info(`Signed ${bundles.length} bundles for ${signed.length} image(s); none logged in Rekor (tlog-upload: false)`);
    for (const st of signed) verifySigned(trust, st, policy);
    const by = key ? `the key of signing-key (hint ${key.hint})` : signer.san;
    log.info(`Self-verified ${bundles.length} bundles${signer.tlog || !key ? ' against the trusted root' : ''}: each signed by ${by}, each statement names its image's digest`);

    const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const results: ImageResult[] = await Promise.all(
      signed.map(async (st) => {
        const bundles = await writeBundles(outDir, st);
        return imageResult(st, await attachTarget(st, signer, { attach: inputs.attach, replace: inputs.replace, created, bundles }));
      }),
    );

    for (const r of results) for (const a of r.artifacts) log.image(r.name, r.digest).info(artifactLine(a));
    log.flush();
    setOutputs(results);
    if (inputs.summary) {
      const md = renderSummary(results, {
        rekorURL: inputs.rekorURL,
        san: signer.san,
        issuer: identity?.issuer ?? '',
        repository: identity ? claimString(identity.claims, 'repository') : undefined,
        ...(key ? { key: { hint: key.hint, tlog: signer.tlog } } : {}),
        attach: inputs.attach,
        trustFiles,
        rekorVersion: inputs.rekorVersion,
        note: inputs.referrersOnly,
        elapsedMs: Date.now() - started,
        verifyAction: verifyActionRef(),
      });
      await core.summary.addRaw(md).write();
    }
    await writeFile(join(outDir, 'results.json'), resultsJSON(results) + '\n');
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

// The verify action from the same repository and ref as this one, when the
// runner names them (it does not for a local `uses: ./`).
function verifyActionRef(): string | undefined {
  const repo = process.env['GITHUB_ACTION_REPOSITORY'];
  const ref = process.env['GITHUB_ACTION_REF'];
  return repo && ref ? `${repo}/verify@${ref}` : undefined;
}

// Single-value outputs describe the first image; `results` has them all.
function setOutputs(results: ImageResult[]): void {
  const first = results[0];
  if (!first) return;
  const find = (kind: string) => (kind === 'sbom' ? primarySbom(first.artifacts) : first.artifacts.find((a) => a.kind === kind));
  const spdx = first.artifacts.find((a) => a.kind === 'sbom' && a.format === 'spdx');
  core.setOutput('digest', first.digest);
  core.setOutput('signature-log-index', find('signature')?.logIndex ?? '');
  core.setOutput('sbom-log-index', find('sbom')?.logIndex ?? '');
  core.setOutput('provenance-log-index', find('provenance')?.logIndex ?? '');
  core.setOutput('signature-bundle', find('signature')?.bundle ?? '');
  core.setOutput('sbom-bundle', find('sbom')?.bundle ?? '');
  core.setOutput('provenance-bundle', find('provenance')?.bundle ?? '');
  core.setOutput('sbom-path', find('sbom')?.path ?? '');
  core.setOutput('sbom-spdx-log-index', spdx?.logIndex ?? '');
  core.setOutput('sbom-spdx-bundle', spdx?.bundle ?? '');
  core.setOutput('sbom-spdx-path', spdx?.path ?? '');
  core.setOutput('results', resultsJSON(results));
}
