import type { StackInfo } from '../stack/stack.mjs';

export type Cosign = 'cosign2' | 'cosign3';
export declare const COSIGNS: Cosign[];
export type Producer = 'cosign2' | 'cosign2-bundle' | 'cosign2-intoto' | 'cosign3' | 'cosign3-tags';
export declare const PRODUCERS: Record<Producer, { bin: Cosign; format: 'cosign' | 'referrer'; signingConfig?: boolean; flags?: string[]; attestFlags?: string[] }>;
export declare function cosignPath(name: Cosign): string | null;
export interface CosignHome {
  dir: string;
  env: Record<string, string>;
}
export declare function cosignHome(stack: StackInfo, dir: string): CosignHome;
export declare function writePredicates(dir: string): { slsaprovenance1: string; cyclonedx: string };
export interface CosignRun {
  what: string;
  code: number;
  out: string;
  ms: number;
}
export declare function cosignSignAndAttest(
  name: Producer,
  stack: StackInfo,
  ref: string,
  opts: { home: CosignHome; predicates?: Record<string, string>; tsa?: boolean; signFlags?: string[] },
): Promise<{ name: Producer; runs: CosignRun[] }>;
