export interface ParityPkg {
  type: string;
  name: string;
  version: string;
  purl: string;
  licenses: string[];
  cpes: string[];
  syftType?: string;
  foundBy?: string;
}
export interface ParityDiff {
  image: string;
  side: 'ours' | 'syft';
  type: string;
  name: string;
  version: string;
}
export type ParityTable = Record<string, { both: number; ours: number; syft: number }>;
export declare const ROOT: string;
export declare const IMAGES: string[];
export declare function buildFixtures(dir: string): void;
export declare function fixtureLayout(fixtureDir: string, layoutDir: string): string;
export declare function ours(layoutDir: string): ParityPkg[];
export declare function syft(layoutDir: string, syftBin?: string): ParityPkg[];
export declare function oursFromCycloneDx(doc: unknown): ParityPkg[];
export declare function syftFromJson(doc: unknown): ParityPkg[];
export declare function compare(
  image: string,
  ours: ParityPkg[],
  syft: ParityPkg[],
): { table: ParityTable; diffs: ParityDiff[]; cpes: CpeDiff[]; licenses: LicenseDiff[] };
export declare function formatTable(tables: Record<string, ParityTable>): string;
export interface CpeDiff {
  image: string;
  type: string;
  name: string;
  syft: string;
  ours: string | null;
}
export interface LicenseDiff {
  image: string;
  type: string;
  name: string;
  syft: string;
}
