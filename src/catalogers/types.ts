// The cataloger contract: a cataloger is one of image/'s file wants (it
// names the files it needs, match, and may reduce a large file while it
// streams past, sink: see image/contract.ts) and turns each file that
// survives to the final filesystem into packages (parse). Catalogers know
// nothing of CycloneDX; sbom/ turns Pkg into components.
import type { FileWant } from '../image/filesystem.js';

export { ScanLimitError, type ContentSink, type EntryInfo, type ScanContext, type ScanProblem } from '../image/contract.js';

export interface CapturedFile {
  path: string; // absolute, canonical (symlinked parents resolved), e.g. /var/lib/dpkg/status
  layer: string; // digest of the layer the file came from
  content: Buffer;
}

export interface Distro {
  id: string; // os-release ID, lower-case, e.g. debian
  idLike: string[];
  versionId?: string; // Debian: the point release from /etc/debian_version
  versionCodename?: string;
  buildId?: string;
  prettyName?: string;
}

export interface ParseContext {
  distro?: Distro;
  // Something in the file was skipped or could not be read, but the rest of
  // it was: reported as a warning naming the file (throw for the whole file).
  warn?(message: string): void;
}

export type PkgType = 'deb' | 'apk' | 'rpm' | 'npm' | 'python' | 'go-module' | 'java-archive' | 'gem' | 'php-composer' | 'dotnet' | 'rust-crate' | 'binary';

export interface Pkg {
  name: string;
  version: string;
  type: PkgType;
  purl: string;
  licenses: string[]; // raw declared strings; sbom/ decides id vs expression vs name
  foundBy: string;
  path: string; // where the evidence was found
  layer: string;
  group?: string;
  requires?: string[]; // dependency names as the source records them, for relate()
  provides?: string[]; // virtual names other packages may require by
  cpes?: string[]; // known CPEs (binary classifiers name NVD's), instead of generated ones
  // Not a component: a record that only carries data to other packages (dpkg
  // copyright licenses), merged away before the SBOM is built. Limits and
  // progress counts skip it.
  carrier?: boolean;
}

// How many components a cataloger's packages become (carriers are not).
export const componentCount = (packages: Pkg[]): number => packages.reduce((n, p) => n + (p.carrier ? 0 : 1), 0);

export interface Relationship {
  from: Pkg; // from depends on to
  to: Pkg;
}

export interface CatalogResult {
  packages: Pkg[];
  relationships: Relationship[];
}

// A cataloger is a file want (name, match, sink) that also parses.
export interface Cataloger extends FileWant {
  parse(file: CapturedFile, ctx: ParseContext): CatalogResult | Promise<CatalogResult>;
  // Edges that span files (npm's node_modules lookup, python's Requires-Dist),
  // resolved once over everything this cataloger found.
  relate?(packages: Pkg[]): Relationship[];
}

export const emptyResult = (): CatalogResult => ({ packages: [], relationships: [] });
