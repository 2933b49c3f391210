import type { ArtifactResult, ImageResult } from './model.js';
import type { TrustFiles } from './trust-files.js';

export type { ArtifactKind, ArtifactResult, ImageResult } from './model.js';

// What one run produced, image by image: the data outputs and the summary
// are both rendered from this.

export interface RunContext {
  rekorURL: string;
  san: string;
  issuer: string;
  repository?: string; // owner/repo, for gh commands
  attach: 'both' | 'referrers' | 'tags' | 'none';
  // The custom trusted root as written next to the bundles (none for public good).
  trustFiles?: TrustFiles;
  rekorVersion?: 1 | 2;
  note?: string; // shown once above the tables
  elapsedMs?: number; // the run's wall time, for the verdict line
  verifyAction?: string; // `owner/repo/verify@ref` when the runner says where this action came from
}

// The `results` output: one object per image, artifacts keyed by kind.
// With two SBOM formats, `sbom` is the CycloneDX one (what it always meant)
// and `sbomSpdx` the SPDX one; an SPDX-only run has it under both keys.
export function resultsJSON(images: ImageResult[]): string {
  return JSON.stringify(
    images.map((img) => {
      const primary = primarySbom(img.artifacts);
      const entries = img.artifacts.flatMap((a) => {
        const { kind, ...rest } = a;
        if (kind !== 'sbom') return [[kind, rest]];
        return [...(a === primary ? [['sbom', rest]] : []), ...(a.format === 'spdx' ? [['sbomSpdx', rest]] : [])];
      });
      return {
        image: `${img.name}@${img.digest}`,
        name: img.name,
        digest: img.digest,
        ...(img.platform ? { platform: img.platform } : {}),
        ...Object.fromEntries(entries),
      };
    }),
  );
}

// The SBOM attestation the single `sbom-*` outputs and the `sbom` key
// describe: CycloneDX when the run made one, else the only SBOM.
export function primarySbom(artifacts: ArtifactResult[]): ArtifactResult | undefined {
  const sboms = artifacts.filter((a) => a.kind === 'sbom');
  return sboms.find((a) => a.format !== 'spdx') ?? sboms[0];
}
