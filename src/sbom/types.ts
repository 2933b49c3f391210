import type { Readable } from 'node:stream';
import type { Distro, Pkg, Relationship, ScanProblem } from '../catalogers/types.js';
import type { LayerRef } from '../image/source.js';
import type { SbomFormat } from './formats.js';
import type { SpdxTool } from './spdx.js';

// What the SBOM builders, the generator and the step share: the package list
// one scan found, and a rendered document.

export type { LayerRef };
export type OpenBlob = (digest: string) => Promise<Readable>; // raw (still-compressed) blob bytes
export interface ImageSbomInput {
  name: string;
  digest: string;
  platform?: string;
  layers: LayerRef[];
  openBlob: OpenBlob;
  log?: (line: string) => void;
  validate?: 'always' | 'auto' | 'never';
  tool?: SpdxTool; // names the generator in SPDX creationInfo
}
export interface SbomResult {
  document: Record<string, unknown>;
  json: string;
  componentCount: number;
  format: SbomFormat;
  predicateType: string;
  problems: ScanProblem[]; // what the scanner skipped or truncated (also listed in the document)
}

export interface SbomImage {
  name: string;
  digest: string;
  platform?: string;
}

export interface SbomContent {
  image: SbomImage;
  distro?: Distro;
  packages: Pkg[];
  relationships: Relationship[];
  timestamp?: Date;
  problems?: ScanProblem[];
}

export function problemLine(p: ScanProblem): string {
  const where = p.path ? `${p.path}${p.layer ? ` (layer ${p.layer})` : ''}: ` : p.layer ? `layer ${p.layer}: ` : '';
  return `${where}${p.message}`;
}

// The generator named in every SBOM this action makes.
export const TOOL = 'sign-attest-action';
