import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SbomMode } from './inputs.js';
import type { Predicate } from './pipeline.js';
import { generateImageSbom, generateIndexSbom, loadSbomFile } from './sbom.js';
import { isIndex, platformsOf, targetDir, type Target } from './targets.js';

// The SBOM predicate for one image: the user's file, or a document generated
// by streaming the image's layers from the registry. An index gets a document
// listing its platform images; each platform image gets its own full SBOM.
export async function sbomPredicate(target: Target, mode: SbomMode, outDir: string): Promise<Predicate[]> {
  if (mode.kind === 'none') return [];
  if (mode.kind === 'file') {
    const sbom = await loadSbomFile(mode.path);
    return [{ kind: 'sbom', predicateType: sbom.predicateType, document: sbom.document, path: mode.path }];
  }
  const where = `${target.name}@${target.manifest.digest}${target.platform ? ` (${target.platform})` : ''}`;
  const sbom = isIndex(target)
    ? generateIndexSbom(
        { name: target.name, digest: target.manifest.digest },
        platformsOf(target).map((p) => ({ name: target.name, digest: p.digest, platform: p.platform })),
      )
    : await core.group(`SBOM for ${where}`, () =>
        generateImageSbom({
          name: target.name,
          digest: target.manifest.digest,
          platform: target.platform,
          layers: target.manifest.manifest.layers ?? [],
          openBlob: (digest) => target.client.openBlob(target.ref.repository, digest),
          log: core.info,
          validate: 'auto',
        }),
      );
  const dir = targetDir(outDir, target);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'sbom.cdx.json');
  await writeFile(path, sbom.json);
  core.info(`SBOM for ${where}: ${sbom.componentCount} components → ${path}`);
  return [{ kind: 'sbom', predicateType: sbom.predicateType, document: sbom.document, path }];
}
