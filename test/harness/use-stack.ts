import { afterAll, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setRunnerTempRoot } from './runner.mjs';
import { runAction, type ActionRun, type RunOptions } from './run-action.js';
import { stackInputs } from './stack.js';
import { pushFixtureImage, startStack, stopStack, type PushedImage, type Stack, type StartOptions } from '../stack/stack.mjs';

// One offline stack per e2e suite (or per describe block), with its hooks:
//
//   const stack = useStack({ name: 'sign-e2e', auth: true, fixture: 'octo-org/app' });
//   it('signs', async () => {
//     const run = await stack.run({ images: stack.image.ref });
//     expect(run.code).toBe(0);
//   });
//
// useStack() registers a beforeAll that makes a temp directory, starts the
// stack in it on free ports and pushes the fixture image, and an afterAll that
// stops the processes that start launched and removes the directory, with
// everything the suite put there: stack.tempDir() directories and the
// runner-* directory of every runAction() made in this test file meanwhile.
// Call it at the top of a file or inside a describe (it then starts only if
// that block runs). The handle is filled when the beforeAll has run: read it
// in hooks and tests, not while describe() collects them.
// SIGN_ATTEST_KEEP_TMP=1 keeps the directory and prints where it is.

export interface UseStackOptions extends Omit<StartOptions, 'stateDir' | 'detached'> {
  /** Prefix of the suite's temp directory under os.tmpdir() (default "stack"). */
  name?: string;
  /** Pushed once the stack is up, read as handle.image: a repository ("octo-org/app") or repo, tag, registry. */
  fixture?: string | { repo: string; tag?: string; auth?: boolean };
  /** Of the start hook; default 120 s, 300 s for the real services. */
  timeoutMs?: number;
}

export type StackHandle = Stack & {
  /** The suite's temp directory; the stack's state is in work/stack. Removed after the suite. */
  readonly work: string;
  /** The image pushed for options.fixture. */
  readonly image: PushedImage;
  /** How long startStack took, in ms. */
  readonly startMs: number;
  /** A new empty directory inside work. */
  tempDir(prefix?: string): string;
  /** pushFixtureImage on this stack. */
  push(repo: string, tag?: string, opts?: { auth?: boolean }): Promise<PushedImage>;
  /** The action inputs that point at this stack (fulcio-url, rekor-url, trusted-root), then extra. */
  inputs(extra?: Record<string, string>): Record<string, string>;
  /** runAction with inputs() + inputs and this stack's OIDC env + opts.env. */
  run(inputs: Record<string, string>, opts?: Omit<RunOptions, 'inputs'>): Promise<ActionRun>;
};

// Read by tools that probe objects they are handed (await, expect, JSON); answered before the start.
const PROBES = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType', 'constructor']);

// The suite's temp directory, where runAction() puts its runner-* directories meanwhile.
function openWork(name: string): { dir: string; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const previousRunnerRoot = setRunnerTempRoot(dir);
  return {
    dir,
    close() {
      setRunnerTempRoot(previousRunnerRoot);
      if (process.env['SIGN_ATTEST_KEEP_TMP'] === '1') console.log(`${name}: kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** For a suite without the stack: a temp directory made before and removed after it, with the runner-* directories of its runs. */
export function useTempDir(name: string): { readonly path: string; tempDir(prefix?: string): string } {
  let work: { dir: string; close(): void } | undefined;
  beforeAll(() => {
    work = openWork(name);
  });
  afterAll(() => work?.close());
  const path = () => {
    if (!work) throw new Error(`useTempDir(${name}): read before the suite started`);
    return work.dir;
  };
  return {
    get path() {
      return path();
    },
    tempDir: (prefix = 'tmp-') => mkdtempSync(join(path(), prefix)),
  };
}

export function useStack(options: UseStackOptions = {}): StackHandle {
  const { name = 'stack', fixture, timeoutMs, ...start } = options;
  let started: Stack | undefined;
  let work: string | undefined;
  let image: PushedImage | undefined;
  let startMs = 0;
  let opened: { dir: string; close(): void } | undefined;

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useStack(${name}): ${what}`);
    return value;
  };
  const helpers = {
    get work() {
      return need(work, 'work read before the stack started');
    },
    get image() {
      return need(image, started ? 'no fixture image: pass useStack({ fixture: "org/repo" })' : 'image read before the stack started');
    },
    get startMs() {
      return startMs;
    },
    tempDir: (prefix = 'tmp-') => mkdtempSync(join(need(work, 'tempDir() called before the stack started'), prefix)),
    push: (repo: string, tag?: string, opts?: { auth?: boolean }) => pushFixtureImage(need(started, 'push() called before the stack started'), repo, tag, opts),
    inputs: (extra: Record<string, string> = {}) => ({ ...stackInputs(need(started, 'inputs() called before the stack started')), ...extra }),
    run: (inputs: Record<string, string>, opts: Omit<RunOptions, 'inputs'> = {}) => {
      const s = need(started, 'run() called before the stack started');
      return runAction({ ...opts, inputs: { ...stackInputs(s), ...inputs }, env: { ...s.env, ...opts.env } });
    },
  };
  const target: Record<string | symbol, unknown> = Object.defineProperties({}, Object.getOwnPropertyDescriptors(helpers));
  const handle = new Proxy(target, {
    get(t, key) {
      if (key in t || typeof key === 'symbol' || started || PROBES.has(key)) return t[key];
      throw new Error(`useStack(${name}): stack.${key} read before the stack started; read it in beforeAll/it, not while describe() runs`);
    },
  }) as unknown as StackHandle;

  const startTimeout = timeoutMs ?? (start.real ? 300_000 : 120_000);
  beforeAll(async () => {
    opened = openWork(name);
    work = opened.dir;
    const t0 = performance.now();
    const stack = await startStack({ ...start, stateDir: join(work, 'stack') });
    startMs = performance.now() - t0;
    started = stack;
    for (const [k, v] of Object.entries(stack)) if (!(k in helpers)) target[k] = v;
    // A stand-in run would pass for a real one: fail when the other kind answered.
    if (start.real !== undefined && Boolean(stack.real) !== start.real) {
      throw new Error(`useStack(${name}): asked for the ${start.real ? 'real services' : 'stand-in'}, got the other`);
    }
    if (fixture !== undefined) {
      const f = typeof fixture === 'string' ? { repo: fixture } : fixture;
      image = await pushFixtureImage(stack, f.repo, f.tag, { auth: f.auth ?? false });
    }
  }, startTimeout);

  afterAll(async () => {
    try {
      // stop() ends only the processes this start launched; stopStack() is the
      // fallback by the PIDs recorded in pids.json, checked to still be ours.
      if (started) await started.stop().catch(() => stopStack(started!.stateDir));
    } finally {
      opened?.close();
    }
  }, 60_000);

  return handle;
}
