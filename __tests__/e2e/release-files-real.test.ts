import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sigstoreCLI } from '../../test/harness/checks.js';
import { clientTrustConfig, exec, makeToolHome, sigstorePythonBatch, toolPath, type ToolHome, type ToolRun } from '../../test/harness/consumers.js';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs, stackLib, type Stack } from '../../test/harness/stack.js';

// Release files and a custom predicate against the real Sigstore services
// (Fulcio, Rekor v1 on Trillian, rekor-tiles as Rekor v2, the timestamp
// authority): the real Rekor checks each file's signature over its digest
// before logging it. Then cosign 2 and 3, sigstore-python, gh and the
// sigstore JS CLI verify what was written. Skipped only when the services
// are not built (.ci/run builds them).

const lib = await stackLib();
const missing = lib.missingRealTools();
const describeReal = missing.length === 0 ? describe : describe.skip;

const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const REPO = 'octo-org/octo-repo';
const CLI = join(ROOT, 'dist', 'cli', 'index.js');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const said = (r: ToolRun) => `${r.tool.split('/').pop()} ${r.args.join(' ')} → exit ${r.code}: ${r.out.trim().split('\n').slice(-2).join(' | ')}`;
const identity = ['--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER];

describeReal('release files on the real Sigstore services', () => {
  let stack: Stack;
  let dir: string;
  let home: ToolHome;
  let trustJSONL: string;
  const runs = new Map<string, { run: ActionRun; ws: string; downloads: string }>();
  const verdicts = new Map<string, ToolRun>();
  const rejections = new Map<string, ToolRun>();
  const logs = lib.hasRekorV2() ? (['v1', 'v2'] as const) : (['v1'] as const);

  beforeAll(async () => {
    for (const tool of ['cosign2', 'cosign3', 'gh', 'sigstore-python'] as const) toolPath(tool);
    dir = mkdtempSync(join(tmpdir(), 'release-files-real-'));
    stack = await lib.startStack({ stateDir: join(dir, 'stack'), real: true });
    if (!stack.real) throw new Error('asked for the real services, got the stand-in');
    home = makeToolHome();
    trustJSONL = join(dir, 'trusted_root.jsonl');
    writeFileSync(trustJSONL, JSON.stringify(JSON.parse(readFileSync(stack.trustedRoot, 'utf8'))) + '\n');
    for (const log of logs) {
      const ws = join(dir, `ws-${log}`);
      const downloads = join(dir, `downloads-${log}`);
      mkdirSync(join(ws, 'dist'), { recursive: true });
      mkdirSync(downloads);
      writeFileSync(join(ws, 'dist', 'app.tar.gz'), `app for ${log}`);
      writeFileSync(join(downloads, 'app.zip'), `zip for ${log}`);
      writeFileSync(join(ws, 'SHA256SUMS'), `${sha256(`zip for ${log}`)} *app.zip\n`);
      writeFileSync(join(ws, 'vex.json'), JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [] }));
      const v2: Record<string, string> = log === 'v2' ? { 'rekor-url': stack.rekorV2URL ?? '', 'rekor-version': '2' } : {};
      const run = await runAction({
        cwd: ws,
        env: stack.env,
        inputs: {
          ...stackInputs(stack),
          'tsa-url': stack.tsaURL ?? '',
          'subject-path': 'dist/*',
          'subject-checksums': 'SHA256SUMS',
          predicates: 'openvex=vex.json',
          ...v2,
        },
      });
      console.log(`real Rekor ${log}: ${run.ms} ms`);
      runs.set(log, { run, ws, downloads });
    }
    const trustConfig = clientTrustConfig(dir, stack.trustedRoot, stack.signingConfig);
    const root = ['--trusted-root', stack.trustedRoot];
    const python: string[][] = [];
    const pythonLabels: string[] = [];
    for (const [log, { run, ws, downloads }] of runs) {
      if (run.code !== 0) continue;
      const rows = (JSON.parse(run.outputs['results'] ?? '[]') as any[]).filter((r) => r.file);
      for (const r of rows) {
        const file = r.path ?? join(downloads, r.file);
        const check = async (label: string, tool: 'cosign2' | 'cosign3' | 'gh', args: string[]) =>
          verdicts.set(`${log} ${label} ${r.file}`, await exec(toolPath(tool), args, home.env));
        // A Rekor v2 entry has no integrated time: cosign 2 trusts the TSA's
        // timestamp only when told to (cosign 3 by itself).
        for (const tool of ['cosign2', 'cosign3'] as const) {
          const ts = log === 'v2' && tool === 'cosign2' ? ['--use-signed-timestamps'] : [];
          await check(`${tool} verify-blob${ts.join('')}`, tool, ['verify-blob', ...ts, '--bundle', r.signature.bundle, ...identity, ...root, file]);
          await check(`${tool} verify-blob-attestation slsaprovenance1`, tool, [
            'verify-blob-attestation',
            ...ts,
            '--bundle',
            r.provenance.bundle,
            '--type',
            'slsaprovenance1',
            ...identity,
            ...root,
            file,
          ]);
          await check(`${tool} verify-blob-attestation openvex`, tool, [
            'verify-blob-attestation',
            ...ts,
            '--bundle',
            r.predicates[0].bundle,
            '--type',
            'openvex',
            ...identity,
            ...root,
            file,
          ]);
        }
        if (log === 'v2') {
          const bare = await exec(toolPath('cosign2'), ['verify-blob', '--bundle', r.signature.bundle, ...identity, ...root, file], home.env);
          rejections.set(`v2 cosign2 verify-blob without --use-signed-timestamps ${r.file}`, bare);
        }
        await check('gh attestation verify', 'gh', [
          'attestation',
          'verify',
          file,
          '--bundle',
          r.provenance.bundle,
          '--repo',
          REPO,
          '--custom-trusted-root',
          trustJSONL,
        ]);
        verdicts.set(
          `${log} sign-attest verify-bundle ${r.file}`,
          await exec(process.execPath, [CLI, 'verify-bundle', '--bundle', r.signature.bundle, ...identity, ...root, file], home.env),
        );
        python.push(['--trust-config', trustConfig, 'verify', 'identity', '--bundle', r.signature.bundle, '--cert-identity', SAN, '--cert-oidc-issuer', ISSUER, file]);
        pythonLabels.push(`${log} sigstore-python verify identity ${r.file}`);
        const cache = mkdtempSync(join(tmpdir(), 'sigstore-js-'));
        const js = await sigstoreCLI(stack, r.signature.bundle, SAN, cache, file);
        verdicts.set(`${log} sigstore JS CLI verify ${r.file}`, {
          tool: 'sigstore',
          args: ['verify', r.signature.bundle, '--blob-file', file],
          code: js.code,
          out: js.out,
          ms: 0,
        });
      }
      void ws;
    }
    const pyRuns = await sigstorePythonBatch(python, home.env);
    pyRuns.forEach((r, i) => verdicts.set(pythonLabels[i]!, r));
    for (const [label, r] of [...verdicts, ...rejections]) console.log(`${label}: ${said(r)}`);
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it.each(logs)('Rekor %s logs every file, the provenance and the VEX statement', (log) => {
    const r = runs.get(log)!.run;
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.outputs['results'] ?? '[]') as any[]).filter((x) => x.file);
    expect(rows.map((x) => x.file).sort()).toEqual(['app.zip', 'dist/app.tar.gz']);
    const bundle = JSON.parse(readFileSync(rows[0].signature.bundle, 'utf8'));
    expect(bundle.verificationMaterial.tlogEntries[0].kindVersion).toEqual({ kind: 'hashedrekord', version: log === 'v1' ? '0.0.1' : '0.0.2' });
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
  });

  it('cosign 2 wants --use-signed-timestamps for a Rekor v2 bundle, as the summary prints it', () => {
    for (const [label, r] of rejections) {
      expect(`${label}: ${r.code}`).not.toBe(`${label}: 0`);
      expect(r.out).toMatch(/threshold not met for verified log entry integrated timestamps: 0 < 1/);
    }
    const v2 = runs.get('v2');
    if (v2) expect(v2.run.summary).toMatch(/cosign verify-blob --use-signed-timestamps \\/);
  });

  it('every real verifier accepts every file bundle', () => {
    expect(verdicts.size).toBeGreaterThan(0);
    const failed = [...verdicts].filter(([, r]) => r.code !== 0).map(([label, r]) => `${label}: ${said(r)}`);
    expect(failed).toEqual([]);
  });
});
