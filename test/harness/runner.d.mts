export declare const ROOT: string;
export declare const FAKE_GITHUB_TOKEN: string;
export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  runnerTemp: string;
  ms: number;
}
export interface RunOptions {
  action?: string;
  inputs: Record<string, string>;
  env?: Record<string, string | undefined>;
  home?: string;
  // SIGKILL the child after this long (a safety net; the run then has code -1).
  killAfterMs?: number;
}
export declare function runAction(opts: RunOptions): Promise<ActionRun>;
export declare function parseCommandFile(text: string): Record<string, string>;
export declare function errorLines(run: ActionRun): string[];
