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
  /** true when killAfterMs ran out and the run was killed */
  killed: boolean;
}
export interface RunOptions {
  action?: string;
  inputs: Record<string, string>;
  env?: Record<string, string | undefined>;
  home?: string;
  /** kill the action's process after this long (a bound, not an assertion on speed) */
  killAfterMs?: number;
  /** the step's working directory and GITHUB_WORKSPACE (default: a fresh temporary directory) */
  cwd?: string;
}
export declare function runAction(opts: RunOptions): Promise<ActionRun>;
export declare function parseCommandFile(text: string): Record<string, string>;
export declare function errorLines(run: ActionRun): string[];
/** Makes later runs put their runner-* directory in dir (undefined: os.tmpdir()); returns the previous one. */
export declare function setRunnerTempRoot(dir: string | undefined): string | undefined;
export declare function defaultGitHubApi(): Promise<import('../stack/github-api.mjs').GitHubApi>;
