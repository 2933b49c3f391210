// Typed entry for tests; the implementation is plain JS so `npm run demo`
// can use it without a TypeScript loader.
export { runAction, parseCommandFile, errorLines, ROOT, FAKE_GITHUB_TOKEN, defaultGitHubApi } from './runner.mjs';
export type { ActionRun, RunOptions } from './runner.mjs';
