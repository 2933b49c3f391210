import type { ArtifactResult, FileResult, ImageResult } from './model.js';
import type { TrustFiles } from './trust-files.js';

export type { ArtifactKind, ArtifactResult, FileArtifact, FileResult, ImageResult } from './model.js';

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
  store?: StoreSummary; // set when the run tried GitHub's attestation store
  // Set when signed with signing-key: verifiers pin the public key; tlog false: nothing was logged.
  key?: { hint: string; tlog: boolean };
}

// What the attestation store step did, for the summary.
export interface StoreSummary {
  repository: string; // owner/repo
  page: string; // the repository's Attestations page
  stored: number;
  total: number;
  warnings: string[];
}

// The `results` output: one object per image, artifacts keyed by kind.
// With two SBOM formats, `sbom` is the CycloneDX one (what it always meant)
// and `sbomSpdx` the SPDX one; an SPDX-only run has it under both keys.
// Release files follow the images, one object per file keyed `file`; custom
// predicates are a `predicates` array on both.
export function resultsJSON(images: ImageResult[], files: FileResult[] = []): string {
  return JSON.stringify([
    ...images.map((img) => {
      const primary = primarySbom(img.artifacts);
      const predicates = img.artifacts.filter((a) => a.kind === 'predicate').map(({ kind: _, ...rest }) => rest);
      const entries = img.artifacts.flatMap((a): [string, object][] => {
        const { kind, ...rest } = a;
        if (kind === 'predicate') return [];
        if (kind !== 'sbom') return [[kind, rest]];
        return [...(a === primary ? [['sbom', rest] as [string, object]] : []), ...(a.format === 'spdx' ? [['sbomSpdx', rest] as [string, object]] : [])];
      });
      return {
        image: `${img.name}@${img.digest}`,
        name: img.name,
        digest: img.digest,
        ...(img.platform ? { platform: img.platform } : {}),
        ...Object.fromEntries(entries),
        ...(predicates.length ? { predicates } : {}),
      };
    }),
    ...files.map((f) => {
      const predicates = f.artifacts.filter((a) => a.kind === 'predicate').map(({ kind: _, ...rest }) => rest);
      const entries = f.artifacts.filter((a) => a.kind !== 'predicate').map(({ kind, ...rest }): [string, object] => [kind, rest]);
      return {
        file: f.name,
        name: f.name,
        digest: f.digest,
        ...(f.path ? { path: f.path } : {}),
        ...Object.fromEntries(entries),
        ...(predicates.length ? { predicates } : {}),
      };
    }),
  ]);
}

// The SBOM attestation the single `sbom-*` outputs and the `sbom` key
// describe: CycloneDX when the run made one, else the only SBOM.
export function primarySbom(artifacts: ArtifactResult[]): ArtifactResult | undefined {
  const sboms = artifacts.filter((a) => a.kind === 'sbom');
  return sboms.find((a) => a.format !== 'spdx') ?? sboms[0];
}
