// Types for layers.mjs.
export interface TarEntrySpec {
  path: string;
  body?: Buffer | string;
  type?: 'file' | 'dir' | 'symlink';
  link?: string;
}
export function tar(entries: TarEntrySpec[]): Buffer;
export function zip(files: ({ name: string; body: Buffer | string; deflate?: boolean } | { name: string; deflated: Buffer; size: number })[]): Buffer;
export function overlapBombJar(count?: number, size?: number): Buffer;
export function fanOutNestedJar(levels?: number, fan?: number): Buffer;
export function deepNestedJar(depth?: number): Buffer;
export function zip64CountJar(claimed?: number, gap?: number): Buffer;
export function hostileRpmHeader(extra?: number, count?: number, filler?: number): Buffer;
export function ndbDatabase(blob: Buffer): Buffer;
export function loopingBdb(values?: number, pages?: number, pageSize?: number): Buffer;
export function dpkgStatus(n: number): string;
export function whiteoutLayers(n: number): Buffer[];
export const hostileLayers: Record<string, () => Buffer[]>;
export function dpkgLayer(n: number): Buffer;
