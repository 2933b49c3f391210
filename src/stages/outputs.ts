import * as core from '@actions/core';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { artifactLine, type RunLog } from '../log.js';
import type { ImageResult } from '../model.js';
import { primarySbom, resultsJSON, type RunContext } from '../results.js';
import { renderSummary } from '../summary.js';

// The last stage: the per-image log lines, the step outputs, the step
// summary and results.json, all rendered from the result rows.
export async function report(results: ImageResult[], log: RunLog, outDir: string, summary: (() => RunContext) | undefined): Promise<void> {
  for (const r of results) for (const a of r.artifacts) log.image(r.name, r.digest).info(artifactLine(a));
  log.flush();
  setOutputs(results);
  if (summary) await core.summary.addRaw(renderSummary(results, summary())).write();
  await writeFile(join(outDir, 'results.json'), resultsJSON(results) + '\n');
}

// The verify action from the same repository and ref as this one, when the
// runner names them (it does not for a local `uses: ./`).
export function verifyActionRef(): string | undefined {
  const repo = process.env['GITHUB_ACTION_REPOSITORY'];
  const ref = process.env['GITHUB_ACTION_REF'];
  return repo && ref ? `${repo}/verify@${ref}` : undefined;
}

// Single-value outputs describe the first image; `results` has them all.
export function setOutputs(results: ImageResult[]): void {
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
