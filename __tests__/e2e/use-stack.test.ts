import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { useStack } from '../../test/harness/use-stack.js';

// The shared e2e helper itself: what a suite gets, and what it leaves behind
// (nothing: its processes stopped, its temp directory with the runner
// directories of its action runs removed).

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const outer = useStack({ name: 'use-stack-e2e', fixture: { repo: 'octo-org/use-stack', tag: 'v1' } });

// Read while describe() collects the tests, before any hook has run.
let early: unknown;
try {
  early = outer.registry;
} catch (e) {
  early = e;
}

describe('useStack()', () => {
  it('refuses to be read before its beforeAll ran, saying where to read it', () => {
    expect(early).toBeInstanceOf(Error);
    expect((early as Error).message).toMatch(/use-stack-e2e.*registry read before the stack started.*beforeAll\/it/);
  });

  it('is the started stack: its state in work/stack, the fixture pushed, startMs measured', async () => {
    expect(outer.stateDir).toBe(join(outer.work, 'stack'));
    expect(outer.registry).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(outer.startMs).toBeGreaterThan(0);
    expect(outer.image).toMatchObject({ name: `${outer.registry}/octo-org/use-stack`, tag: 'v1' });
    const res = await fetch(`${outer.registryURL}/v2/octo-org/use-stack/manifests/v1`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } });
    await res.arrayBuffer();
    expect(res.headers.get('docker-content-digest')).toBe(outer.image.digest);
    expect(outer.inputs({ images: 'x' })).toEqual({ 'fulcio-url': outer.fulcioURL, 'rekor-url': outer.rekorURL, 'trusted-root': outer.trustedRoot, images: 'x' });
  });

  it('keeps action runs and tempDir()s inside its work directory', async () => {
    const run = await outer.run({ images: outer.image.ref, sbom: 'false', provenance: 'false' });
    expect(run.code).toBe(0);
    expect(dirname(dirname(run.runnerTemp))).toBe(outer.work);
    expect(dirname(outer.tempDir('x-'))).toBe(outer.work);
  });

  let seen: { work: string; pids: number[] } | undefined;
  describe('a second stack in a describe block', () => {
    const inner = useStack({ name: 'use-stack-inner', rekorPrefill: 7 });
    it('runs beside the first, on other ports', () => {
      expect(inner.registry).not.toBe(outer.registry);
      expect(Object.values(inner.pids).every(alive)).toBe(true);
      seen = { work: inner.work, pids: Object.values(inner.pids) };
    });
  });

  it('once that block ended, its processes are stopped and its directory is gone; the first runs on', async () => {
    expect(seen?.pids.length).toBeGreaterThan(0);
    expect(seen?.pids.filter(alive)).toEqual([]);
    expect(existsSync(seen?.work ?? '')).toBe(false);
    const run = await outer.run({ images: outer.image.ref, sbom: 'false', provenance: 'false' });
    expect(run.code).toBe(0);
    expect(dirname(dirname(run.runnerTemp))).toBe(outer.work);
  });
});
