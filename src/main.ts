import * as core from '@actions/core';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREDICATE_TYPES } from './attest.js';
import { errorLine } from './errors.js';
import { Http } from './http.js';
import { getIdentity, claimString } from './identity.js';
import type { Inputs } from './inputs.js';
import { artifactLine, retryLine, RunLog } from './log.js';
import { attachTarget, imageResult, signTarget, verifySigned, writeBundles, type Predicate, type SignedTarget } from './pipeline.js';
import { buildProvenance } from './provenance.js';
import { primarySbom, resultsJSON, type FileResult, type ImageResult } from './results.js';
import { fileLogLines, fileResults, fileStatements, signFiles, verifySignedFiles, writeFileBundles } from './files/sign-files.js';
import { mergeSubjects, resolveSubjectPaths } from './files/subjects.js';
import { sbomPredicates } from './sbom-step.js';
import { RunSigner } from './sign.js';
import { renderSummary } from './summary.js';
import { checkPushAccess, expandTargets, loggedImage, resolveTargets } from './targets.js';
import { writeTrustFiles } from './trust-files.js';
import { loadTrustMaterial } from './verify.js';

// The pipeline in one screen: inputs → identity → artifacts → signing →
// verification → attaching → outputs and summary. Nothing is written to the
// registry until every signature is logged and verified.
export async function run(inputs: Inputs): Promise<void> {
  const started = Date.now();
  let log: RunLog | undefined;
  try {
    // Release files are found and hashed first: a pattern matching nothing fails before any request.
    const files = mergeSubjects(inputs.subjectPaths ? await resolveSubjectPaths(inputs.subjectPaths, process.cwd()) : [], inputs.subjectChecksums);
    const trust = await loadTrustMaterial(inputs.trustedRoot, (m) => core.warning(m), inputs.tuf);
    const http = new Http({ retryBudgetMs: inputs.retryBudgetSeconds * 1000, debug: core.debug, onRetry: (n) => core.info(retryLine(n)) });
    const identity = await getIdentity({ explicitToken: inputs.identityToken, audience: inputs.audience });
    const creds = inputs.registryUsername || inputs.registryPassword ? { username: inputs.registryUsername, password: inputs.registryPassword } : undefined;
    const targets = inputs.images.length ? await expandTargets(await resolveTargets(inputs.images, http, creds)) : [];
    // A registry that will refuse our writes must say so before anything is logged in Rekor.
    if (inputs.attach !== 'none' && targets.length) await checkPushAccess(targets);
    // The registry is read before any TUF repository is asked for the services.
    if (inputs.servicesFromTuf) {
      inputs = await inputs.servicesFromTuf();
      core.info(`Sigstore services from ${inputs.servicesFrom}: Fulcio ${inputs.fulcioURL}, Rekor ${inputs.rekorURL}, TSA ${inputs.tsaURL ?? 'none'}`);
    }
    log = new RunLog(targets.map(loggedImage));
    if (targets.length > 1) log.info(`${targets.length} images to sign; each one's log follows in its own group once it is signed and attached`);
    const outDir = await mkdtemp(join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'sign-attest-'));
    const trustFiles = inputs.trustedRoot ? await writeTrustFiles(outDir, inputs.trustedRoot, { legacy: inputs.attach === 'tags', rekorURL: inputs.rekorURL }) : undefined;

    const provenanceDoc = inputs.provenance ? buildProvenance(identity.claims, process.env['GITHUB_SERVER_URL']) : undefined;
    const provenance: Predicate[] = provenanceDoc ? [{ kind: 'provenance', predicateType: PREDICATE_TYPES.slsaProvenance, document: provenanceDoc }] : [];
    const custom: Predicate[] = inputs.predicates.map((p) => ({ kind: 'predicate', predicateType: p.predicateType, typeName: p.name, document: p.document }));
    const sboms = await sbomPredicates(targets, inputs.sbom, outDir, log, inputs.sbomFormats);
    const predicates = sboms.map((sbom) => [...provenance, ...sbom, ...custom]);

    if (inputs.referrersOnly) core.notice(inputs.referrersOnly);
    const signer = await RunSigner.create(http, inputs, identity);
    core.info(`Signing as ${signer.san} (issuer ${identity.issuer})`);
    const [signed, signedFiles]: [SignedTarget[], Awaited<ReturnType<typeof signFiles>>] = await Promise.all([
      Promise.all(targets.map((t, i) => signTarget(signer, t, inputs.sign, inputs.attach, predicates[i] ?? []))),
      signFiles(signer, files, inputs.sign, files.length ? fileStatements(provenanceDoc, inputs.predicates) : []),
    ]);
    const policy = { san: signer.san, issuer: identity.issuer };
    const bundles = signed.flatMap((st) => [st.signature, st.signatureReferrer, ...st.attestations].filter((s) => s !== undefined));
    const indexes = bundles.map((b) => b.entry.logIndex);
    if (signed.length) log.info(`Logged ${bundles.length} entries in Rekor for ${signed.length} image(s)${indexes.length ? ` (log indexes ${Math.min(...indexes)}–${Math.max(...indexes)})` : ''}`);
    for (const st of signed) verifySigned(trust, st, policy);
    if (bundles.length) log.info(`Self-verified ${bundles.length} bundles against the trusted root: each signed by ${signer.san}, each statement names its image's digest`);
    verifySignedFiles(trust, signedFiles, policy);
    const fileBundles = signedFiles.files.filter((f) => f.signature).length + signedFiles.statements.length;
    if (fileBundles) log.info(`Self-verified ${fileBundles} release-file bundles against the trusted root: each signed by ${signer.san}, each names its files' digests`);
    const filePaths = await writeFileBundles(outDir, signedFiles);
    const fileRows: FileResult[] = fileResults(signedFiles, filePaths);
    for (const line of fileLogLines(signedFiles, filePaths)) log.info(line);

    const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const results: ImageResult[] = await Promise.all(
      signed.map(async (st) => {
        const bundles = await writeBundles(outDir, st);
        return imageResult(st, await attachTarget(st, signer, { attach: inputs.attach, replace: inputs.replace, created, bundles }));
      }),
    );

    for (const r of results) for (const a of r.artifacts) log.image(r.name, r.digest).info(artifactLine(a));
    log.flush();
    setOutputs(results, fileRows);
    if (inputs.summary) {
      const md = renderSummary(results, {
        rekorURL: inputs.rekorURL,
        san: signer.san,
        issuer: identity.issuer,
        repository: claimString(identity.claims, 'repository'),
        attach: inputs.attach,
        trustFiles,
        rekorVersion: inputs.rekorVersion,
        note: inputs.referrersOnly,
        elapsedMs: Date.now() - started,
        verifyAction: verifyActionRef(),
      }, fileRows);
      await core.summary.addRaw(md).write();
    }
    await writeFile(join(outDir, 'results.json'), resultsJSON(results, fileRows) + '\n');
  } catch (err) {
    log?.flush();
    core.setFailed(errorLine(err));
    if (err instanceof Error && err.cause) core.debug(`cause: ${errorLine(err.cause)}`);
  }
}

// The verify action from the same repository and ref as this one, when the
// runner names them (it does not for a local `uses: ./`).
function verifyActionRef(): string | undefined {
  const repo = process.env['GITHUB_ACTION_REPOSITORY'];
  const ref = process.env['GITHUB_ACTION_REF'];
  return repo && ref ? `${repo}/verify@${ref}` : undefined;
}

// Single-value outputs describe the first image (with no image, the first
// release file); `results` has them all.
function setOutputs(results: ImageResult[], files: FileResult[]): void {
  core.setOutput('results', resultsJSON(results, files));
  const first = results[0] ?? files[0];
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
}
