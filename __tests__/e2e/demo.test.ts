// `npm run demo` as a contributor runs it (scripts/demo.mjs on the built
// dist/): the action signs, our verifier and (when built) real cosign verify,
// the summary is printed as text, and no temp folder is left behind.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = () =>
  new Promise<{ code: number; out: string }>((res) =>
    execFile(
      process.execPath,
      ['scripts/demo.mjs', '--hold', '0'],
      { env: { ...process.env, SIGN_ATTEST_REAL_SIGSTORE: '0' }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => res({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    ),
  );

describe('npm run demo', () => {
  it('signs, verifies what it signed, prints the summary as text and cleans up', async () => {
    const { code, out } = await run();
    expect(code).toBe(0);
    expect(out).toMatch(/^action exited 0/m);
    expect(out).toMatch(/^sign-attest verify: exit 0$/m);
    expect(out).toMatch(/^ {2}VERIFIED .*demo\/app@sha256:/m);
    // The summary as a terminal shows it: no markdown tables or HTML tags.
    const summary = out.slice(out.indexOf('--- step summary'), out.indexOf('--- outputs'));
    expect(summary).toMatch(/Signed and attested 1 image/);
    expect(summary).not.toMatch(/<\/?(details|summary|a|br|sub)\b/);
    expect(summary).not.toMatch(/^\|.*\|$/m);
    // The runner folder the action wrote into is gone once the demo ends.
    const runnerDir = /→ (\/\S+?\/runner-[^/]+)\//.exec(out)?.[1];
    expect(runnerDir).toBeDefined();
    expect(existsSync(runnerDir as string)).toBe(false);
  });
});
