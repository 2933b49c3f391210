import * as core from '@actions/core';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimString, type Identity } from '../identity.js';
import type { Inputs } from '../inputs.js';
import { artifactLine, type RunLog } from '../log.js';
import { writeTrustFiles, type TrustFiles } from '../trust-files.js';
import type { FileResult, ImageResult } from '../model.js';
import { primarySbom, resultsJSON, type RunContext, type StoreSummary } from '../results.js';
import { renderSummary } from '../summary.js';
import { storeLog, storeSummary, withStoredIds, type StoreStep } from './store.js';

// The last stage: the per-image log lines, the step outputs, the step
// summary and results.json, all rendered from the result rows (images, then
// release files).
export async function report(
  run: { results: ImageResult[]; files?: FileResult[]; stored?: StoreStep },
  log: RunLog,
  outDir: string,
  summary: ((store: StoreSummary | undefined) => RunContext) | undefined,
): Promise<void> {
  const results = run.stored ? withStoredIds(run.results, run.stored) : run.results;
  const files = run.files ?? [];
  for (const r of results) for (const a of r.artifacts) log.image(r.name, r.digest).info(artifactLine(a));
  log.flush();
  setOutputs(results, files);
  if (summary) await core.summary.addRaw(renderSummary(results, summary(run.stored && storeSummary(run.stored)), files)).write();
  await writeFile(join(outDir, 'results.json'), resultsJSON(results, files) + '\n');
  if (run.stored) {
    const said = storeLog(run.stored);
    for (const line of said.info) core.info(line);
    for (const w of said.warnings) core.warning(w);
  }
}

// The run's output folder (bundles, SBOMs, results.json) and, for a custom
// trusted root, the trust files verifiers need beside them.
export async function openOutputs(inputs: Pick<Inputs, 'trustedRoot' | 'attach' | 'rekorURL'>): Promise<{ outDir: string; trustFiles?: TrustFiles }> {
  const outDir = await mkdtemp(join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'sign-attest-'));
  const trustFiles = inputs.trustedRoot ? await writeTrustFiles(outDir, inputs.trustedRoot, { legacy: inputs.attach === 'tags', rekorURL: inputs.rekorURL }) : undefined;
  return { outDir, trustFiles };
}

// What the summary says about the run, as of when it is rendered.
export function summaryContext(
  inputs: Pick<Inputs, 'rekorURL' | 'attach' | 'rekorVersion' | 'referrersOnly'>,
  signer: { san: string; issuer: string; tlog: boolean },
  key: { hint: string } | undefined,
  identity: Identity | undefined,
  trustFiles: TrustFiles | undefined,
  started: number,
): (store: StoreSummary | undefined) => RunContext {
  const { rekorURL, attach, rekorVersion, referrersOnly: note } = inputs;
  const repository = identity ? claimString(identity.claims, 'repository') : undefined;
  const who = { san: signer.san, issuer: signer.issuer, ...(key ? { key: { hint: key.hint, tlog: signer.tlog } } : {}) };
  return (store) => ({ ...who, rekorURL, repository, attach, trustFiles, rekorVersion, note, elapsedMs: Date.now() - started, verifyAction: verifyActionRef(), store });
}

// The verify action from the same repository and ref as this one, when the
// runner names them (it does not for a local `uses: ./`).
export function verifyActionRef(): string | undefined {
  const repo = process.env['GITHUB_ACTION_REPOSITORY'];
  const ref = process.env['GITHUB_ACTION_REF'];
  return repo && ref ? `${repo}/verify@${ref}` : undefined;
}

// Single-value outputs describe the first image (with no image, the first
// release file); `results` has them all.
export function setOutputs(results: ImageResult[], files: FileResult[] = []): void {
  core.setOutput('results', resultsJSON(results, files));
  const image = results[0];
  const first = image ?? files[0];
  if (!first) return;
  const find = (kind: string) => first.artifacts.find((a) => a.kind === kind);
  // Release files have no SBOM: those outputs come from the first image only.
  const sbom = image && primarySbom(image.artifacts);
  const spdx = image?.artifacts.find((a) => a.kind === 'sbom' && a.format === 'spdx');
  core.setOutput('digest', first.digest);
  core.setOutput('signature-log-index', find('signature')?.logIndex ?? '');
  core.setOutput('sbom-log-index', sbom?.logIndex ?? '');
  core.setOutput('provenance-log-index', find('provenance')?.logIndex ?? '');
  core.setOutput('signature-bundle', find('signature')?.bundle ?? '');
  core.setOutput('sbom-bundle', sbom?.bundle ?? '');
  core.setOutput('provenance-bundle', find('provenance')?.bundle ?? '');
  core.setOutput('sbom-path', sbom?.path ?? '');
  core.setOutput('sbom-spdx-log-index', spdx?.logIndex ?? '');
  core.setOutput('sbom-spdx-bundle', spdx?.bundle ?? '');
  core.setOutput('sbom-spdx-path', spdx?.path ?? '');
}
