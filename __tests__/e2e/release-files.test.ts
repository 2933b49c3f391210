import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sigstoreCLI } from '../../test/harness/checks.js';
import {
  clientTrustConfig,
  exec,
  limiter,
  makeToolHome,
  sigstorePythonBatch,
  summaryCommands,
  toolPath,
  type ToolHome,
  type ToolRun,
} from '../../test/harness/consumers.js';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs, stackLib, type Stack } from '../../test/harness/stack.js';

// Release files (subject-path, subject-checksums): a message-signature bundle
// per file and one SLSA provenance statement over all of them, judged by
// verifiers we did not write: cosign v2 and v3 verify-blob and
// verify-blob-attestation, sigstore-python, gh attestation verify, and the
// sigstore JS CLI, each also shown a file the bundle is not about.

const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const REPO = 'octo-org/octo-repo';
const SLSA = 'https://slsa.dev/provenance/v1';
const CLI = join(ROOT, 'dist', 'cli', 'index.js');

let lib: Awaited<ReturnType<typeof stackLib>>;
let stack: Stack;
let dir: string;
let home: ToolHome;
let trustJSONL: string;
let trustConfig: string;

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  for (const tool of ['cosign2', 'cosign3', 'gh', 'sigstore-python'] as const) toolPath(tool);
  lib = await stackLib();
  dir = mkdtempSync(join(tmpdir(), 'release-files-'));
  stack = await lib.startStack({ stateDir: join(dir, 'stack') });
  home = makeToolHome();
  trustJSONL = join(dir, 'trusted_root.jsonl');
  writeFileSync(trustJSONL, JSON.stringify(JSON.parse(readFileSync(stack.trustedRoot, 'utf8'))) + '\n');
  trustConfig = clientTrustConfig(dir, stack.trustedRoot, stack.signingConfig);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const run = (cwd: string, inputs: Record<string, string>) => runAction({ cwd, inputs: { ...stackInputs(stack), ...inputs }, env: stack.env });

interface FileRow {
  file: string;
  digest: string;
  path?: string;
  signature?: { logIndex: number; bundle: string };
  provenance?: { logIndex: number; bundle: string; predicateType: string; subjects: number; part?: string };
}

const fileRows = (r: ActionRun) => (JSON.parse(r.outputs['results'] ?? '[]') as FileRow[]).filter((x) => x.file);

const identity = ['--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER];
const cosign = (tool: 'cosign2' | 'cosign3', args: string[]) => exec(toolPath(tool), [...args, '--trusted-root', stack.trustedRoot], home.env);
const gh = (file: string, bundle: string, extra: string[] = []) =>
  exec(toolPath('gh'), ['attestation', 'verify', file, '--bundle', bundle, '--repo', REPO, '--custom-trusted-root', trustJSONL, ...extra], home.env);
const ours = (bundle: string, file: string) =>
  exec(process.execPath, [CLI, 'verify-bundle', '--bundle', bundle, ...identity, '--trusted-root', stack.trustedRoot, file], home.env);
const python = (bundle: string, file: string, san = SAN) => [
  '--trust-config',
  trustConfig,
  'verify',
  'identity',
  '--bundle',
  bundle,
  '--cert-identity',
  san,
  '--cert-oidc-issuer',
  ISSUER,
  file,
];

function statementOf(bundlePath: string): { subject: { name: string; digest: { sha256: string } }[]; predicateType: string; predicate: any } {
  const b = JSON.parse(readFileSync(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  return JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8'));
}

// What a tool said, for the failure message and the log.
const said = (r: ToolRun) => `${r.tool.split('/').pop()} ${r.args.join(' ')} → exit ${r.code}: ${r.out.trim().split('\n').slice(-3).join(' | ')}`;

describe('subject-path and subject-checksums together, no image', () => {
  let ws: string;
  let downloads: string;
  let first: ActionRun;
  let rows: FileRow[];
  const onDisk = {
    'dist/app-linux-amd64.tar.gz': 'linux amd64 build',
    'dist/app-darwin-arm64.tar.gz': 'darwin arm64 build',
    'dist/sub/install.sh': '#!/bin/sh\necho install\n',
  };
  // Files known only by a sha256sum line (built elsewhere), one in binary mode.
  const listed = { 'app-windows-amd64.zip': 'windows build', 'app.deb': 'debian package' };
  let stats: Record<string, number>;

  beforeAll(async () => {
    ws = join(dir, 'ws');
    downloads = join(dir, 'downloads');
    mkdirSync(join(ws, 'dist', 'sub'), { recursive: true });
    mkdirSync(join(ws, 'dist', 'skip'), { recursive: true });
    mkdirSync(downloads);
    for (const [name, content] of Object.entries(onDisk)) writeFileSync(join(ws, name), content);
    writeFileSync(join(ws, 'dist', 'skip', 'debug.tar.gz'), 'excluded');
    for (const [name, content] of Object.entries(listed)) writeFileSync(join(downloads, name), content);
    writeFileSync(join(ws, 'checksums.txt'), `${sha256(listed['app-windows-amd64.zip'])}  app-windows-amd64.zip\n${sha256(listed['app.deb'])} *app.deb\n`);
    await lib.resetStats(stack);
    first = await run(ws, { 'subject-path': 'dist/**/*.tar.gz\ndist/sub/install.sh\n!dist/skip/**', 'subject-checksums': 'checksums.txt' });
    stats = await lib.getStats(stack);
    console.log(`release files: 5 files (3 on disk, 2 from checksums) in ${first.ms} ms; requests ${JSON.stringify(stats)}`);
  }, 120_000);

  it('succeeds with one row per file, the exclusion honoured', () => {
    expect(errorLines(first)).toEqual([]);
    expect(first.code).toBe(0);
    expect((rows = fileRows(first))).toHaveLength(5);
    expect(rows.map((r) => r.file).sort()).toEqual([...Object.keys(onDisk), ...Object.keys(listed)].sort());
    for (const r of rows) {
      const content = (onDisk as Record<string, string>)[r.file] ?? (listed as Record<string, string>)[r.file];
      expect(r.digest).toBe(`sha256:${sha256(content ?? '')}`);
    }
  });

  it('logs one hashedrekord per file and one provenance statement for all', () => {
    expect(stats['rekorPost']).toBe(6);
    expect(stats['fulcio']).toBe(1);
    const prov = new Set(rows.map((r) => r.provenance?.bundle));
    expect(prov.size).toBe(1);
    const stmt = statementOf([...prov][0] ?? '');
    expect(stmt.predicateType).toBe(SLSA);
    expect(stmt.subject.map((s) => s.name).sort()).toEqual(rows.map((r) => r.file).sort());
    expect(stmt.subject.find((s) => s.name === 'app.deb')?.digest.sha256).toBe(sha256(listed['app.deb']));
    expect(rows.every((r) => r.provenance?.subjects === 5 && r.provenance.logIndex === rows[0]?.provenance?.logIndex)).toBe(true);
  });

  it('writes each on-disk file’s bundle next to it, the checksums files’ in the run folder', () => {
    for (const name of Object.keys(onDisk)) {
      const row = rows.find((r) => r.file === name);
      expect(row?.signature?.bundle).toBe(join(ws, `${name}.sigstore.json`));
      expect(existsSync(join(ws, `${name}.sigstore.json`))).toBe(true);
    }
    for (const name of Object.keys(listed)) {
      const row = rows.find((r) => r.file === name);
      expect(row?.path).toBeUndefined();
      expect(row?.signature?.bundle.startsWith(first.runnerTemp)).toBe(true);
      expect(row?.signature?.bundle.endsWith(`/files/${name}.sigstore.json`)).toBe(true);
    }
    expect(existsSync(join(ws, 'dist', 'skip', 'debug.tar.gz.sigstore.json'))).toBe(false);
    const bundle = JSON.parse(readFileSync(rows[0]!.signature!.bundle, 'utf8'));
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(bundle.messageSignature.messageDigest).toEqual({ algorithm: 'SHA2_256', digest: Buffer.from(rows[0]!.digest.slice(7), 'hex').toString('base64') });
    expect(bundle.verificationMaterial.tlogEntries[0].kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
  });

  // Each file where a user has it: on disk in the workspace, or downloaded.
  const fileOf = (r: FileRow) => r.path ?? join(downloads, r.file);
  const wrongFile = () => join(ws, 'dist', 'skip', 'debug.tar.gz');

  describe('verified by tools we did not write', () => {
    const verdicts = new Map<string, ToolRun>();
    beforeAll(async () => {
      const tools = limiter(2);
      const jobs: Promise<void>[] = [];
      const check = (label: string, fn: () => Promise<ToolRun>) => jobs.push(tools(fn).then((r) => void verdicts.set(label, r)));
      for (const r of rows) {
        const file = fileOf(r);
        const sig = r.signature!.bundle;
        const prov = r.provenance!.bundle;
        for (const tool of ['cosign2', 'cosign3'] as const) {
          check(`${tool} verify-blob ${r.file}`, () => cosign(tool, ['verify-blob', '--bundle', sig, ...identity, file]));
          check(`${tool} verify-blob-attestation ${r.file}`, () =>
            cosign(tool, ['verify-blob-attestation', '--bundle', prov, '--type', 'slsaprovenance1', ...identity, file]),
          );
        }
        check(`gh ${r.file}`, () => gh(file, prov));
        check(`ours signature ${r.file}`, () => ours(sig, file));
        check(`ours provenance ${r.file}`, () => ours(prov, file));
      }
      const r0 = rows[0]!;
      for (const tool of ['cosign2', 'cosign3'] as const) {
        check(`${tool} verify-blob wrong file`, () => cosign(tool, ['verify-blob', '--bundle', r0.signature!.bundle, ...identity, wrongFile()]));
        check(`${tool} verify-blob wrong identity`, () =>
          cosign(tool, ['verify-blob', '--bundle', r0.signature!.bundle, '--certificate-identity', `${SAN}x`, '--certificate-oidc-issuer', ISSUER, fileOf(r0)]),
        );
        check(`${tool} verify-blob-attestation wrong file`, () =>
          cosign(tool, ['verify-blob-attestation', '--bundle', r0.provenance!.bundle, '--type', 'slsaprovenance1', ...identity, wrongFile()]),
        );
      }
      check('gh wrong file', () => gh(wrongFile(), r0.provenance!.bundle));
      check('gh wrong repo', () =>
        exec(
          toolPath('gh'),
          ['attestation', 'verify', fileOf(r0), '--bundle', r0.provenance!.bundle, '--repo', 'octo-org/other', '--custom-trusted-root', trustJSONL],
          home.env,
        ),
      );
      check('ours wrong file', () => ours(r0.signature!.bundle, wrongFile()));
      jobs.push(
        tools(async () => {
          const argvs = [
            ...rows.map((r) => python(r.signature!.bundle, fileOf(r))),
            python(r0.signature!.bundle, wrongFile()),
            python(r0.signature!.bundle, fileOf(r0), `${SAN}x`),
          ];
          const runs = await sigstorePythonBatch(argvs, home.env);
          rows.forEach((r, i) => verdicts.set(`sigstore-python ${r.file}`, runs[i]!));
          verdicts.set('sigstore-python wrong file', runs[rows.length]!);
          verdicts.set('sigstore-python wrong identity', runs[rows.length + 1]!);
        }),
      );
      await Promise.all(jobs);
      for (const [label, r] of verdicts) console.log(`${label}: ${said(r)}`);
    }, 600_000);

    const ok = (label: string) => {
      const r = verdicts.get(label);
      expect(r ? `${label}: exit ${r.code}` : `${label}: not run`).toBe(`${label}: exit 0`);
    };
    const rejected = (label: string, reason: RegExp) => {
      const r = verdicts.get(label);
      expect(r?.code).not.toBe(0);
      expect(r?.out).toMatch(reason);
    };

    it('cosign v2 and v3 verify-blob --bundle accept every file’s bundle', () => {
      for (const r of rows) for (const tool of ['cosign2', 'cosign3']) ok(`${tool} verify-blob ${r.file}`);
    });
    it('cosign v2 and v3 verify-blob-attestation --type slsaprovenance1 accept the one provenance bundle for every file', () => {
      for (const r of rows) for (const tool of ['cosign2', 'cosign3']) ok(`${tool} verify-blob-attestation ${r.file}`);
    });
    it('gh attestation verify FILE --bundle accepts the provenance for every file', () => {
      for (const r of rows) ok(`gh ${r.file}`);
    });
    it('sigstore-python verify identity accepts every file’s bundle', () => {
      for (const r of rows) ok(`sigstore-python ${r.file}`);
    });
    it('sign-attest verify-bundle accepts each file’s signature and the provenance', () => {
      for (const r of rows) {
        ok(`ours signature ${r.file}`);
        ok(`ours provenance ${r.file}`);
      }
    });
    it('each tool rejects a file the bundle is not about, and a wrong identity', () => {
      for (const tool of ['cosign2', 'cosign3']) {
        rejected(`${tool} verify-blob wrong file`, /invalid signature|error verifying bundle|failed to verify signature|artifact digest/i);
        rejected(`${tool} verify-blob wrong identity`, /expected SAN value|none of the expected identities matched/);
        rejected(`${tool} verify-blob-attestation wrong file`, /subject|digest|no matching/i);
      }
      // gh hides sigstore-go's reason behind the issuer it tried; the passing
      // twins (same bundle, the right file or repo) pin the cause.
      rejected('gh wrong file', /verifying with issuer "sigstore\.mock"/);
      rejected('gh wrong repo', /verifying with issuer "sigstore\.mock"/);
      rejected('sigstore-python wrong file', /digest|Signature is invalid|invalid/i);
      rejected('sigstore-python wrong identity', /Certificate's SANs do not match/);
      rejected('ours wrong file', /digest mismatch/);
    });
    it('the sigstore JS CLI verifies a file’s bundle against the file and the provenance', async () => {
      const cache = mkdtempSync(join(tmpdir(), 'sigstore-js-'));
      const r0 = rows[0]!;
      const sig = await sigstoreCLI(stack, r0.signature!.bundle, SAN, cache, fileOf(r0));
      expect(sig).toMatchObject({ code: 0 });
      const wrong = await sigstoreCLI(stack, r0.signature!.bundle, SAN, cache, wrongFile());
      expect(wrong.code).not.toBe(0);
      expect(await sigstoreCLI(stack, r0.provenance!.bundle, SAN, cache)).toMatchObject({ code: 0 });
      console.log(`sigstore JS CLI: signature bundle → ${sig.code}, wrong file → ${wrong.code}: ${wrong.out.trim().split('\n').pop()}`);
    }, 120_000);
  });

  it('the summary lists the files and its commands run verbatim from the workspace', async () => {
    expect(first.summary).toContain('### Release files');
    expect(first.summary).toMatch(/## ✅ Signed and attested 5 release files/);
    const commands = summaryCommands(first.summary);
    expect(commands.some((c) => c.startsWith('cosign verify-blob '))).toBe(true);
    expect(commands.some((c) => c.startsWith('gh attestation verify '))).toBe(true);
    expect(commands.some((c) => c.startsWith('npx sign-attest verify-bundle'))).toBe(true);
    const runs: ToolRun[] = [];
    for (const cosignBuild of ['cosign2', 'cosign3'] as const) {
      for (const c of commands) {
        const line = c.replace(/^npx sign-attest /, `${process.execPath} ${CLI} `).replace(/^gh /, `${toolPath('gh')} `);
        runs.push(await exec('/bin/sh', ['-c', `cd ${JSON.stringify(ws)} && ${line}`], { ...home.env, PATH: home.pathWith(cosignBuild) }));
      }
    }
    for (const r of runs) expect(`${r.args[1]}: ${r.code}`).toBe(`${r.args[1]}: 0`);
  }, 300_000);

  it('outputs name the first file when there is no image', () => {
    expect(first.outputs['digest']).toBe(rows[0]?.digest);
    expect(first.outputs['signature-bundle']).toBe(rows[0]?.signature?.bundle);
    expect(first.outputs['provenance-bundle']).toBe(rows[0]?.provenance?.bundle);
  });
});

// sigstore-go (cosign 2 and 3, gh) refuses a statement of more than 1024
// subjects, so 2000 files are named by two statements of at most 1024.
describe('thousands of subjects', () => {
  const N = 2000;
  let run2000: ActionRun;
  let rows: FileRow[];
  let downloads: string;

  beforeAll(async () => {
    const ws = join(dir, 'ws2000');
    downloads = join(dir, 'downloads2000');
    mkdirSync(ws);
    mkdirSync(downloads);
    const lines: string[] = [];
    for (let i = 0; i < N; i++) {
      const name = `app-${String(i).padStart(4, '0')}-linux-amd64.tar.gz`;
      const content = `build ${i}`;
      if (i % 500 === 0) writeFileSync(join(downloads, name), content);
      lines.push(`${sha256(content)}  ${name}`);
    }
    writeFileSync(join(ws, 'SHA256SUMS'), lines.join('\n') + '\n');
    await lib.resetStats(stack);
    run2000 = await run(ws, { 'subject-checksums': 'SHA256SUMS' });
    const stats = await lib.getStats(stack);
    const prov = fileRows(run2000)[0]?.provenance?.bundle ?? '';
    const size = existsSync(prov) ? readFileSync(prov).length : 0;
    console.log(`${N} subjects from a checksums file: ${run2000.ms} ms; Rekor uploads ${stats['rekorPost']}; provenance bundle ${size} bytes`);
  }, 900_000);

  it('signs every file and names each in one of two provenance statements of at most 1024 subjects', () => {
    expect(errorLines(run2000)).toEqual([]);
    expect(run2000.code).toBe(0);
    rows = fileRows(run2000);
    expect(rows).toHaveLength(N);
    const prov = [...new Set(rows.map((r) => r.provenance?.bundle ?? ''))];
    expect(prov.map((p) => p.split('/').pop())).toEqual(['provenance-1-of-2.sigstore.json', 'provenance-2-of-2.sigstore.json']);
    const statements = prov.map(statementOf);
    expect(statements.map((s) => s.subject.length)).toEqual([1024, N - 1024]);
    const named = new Map(statements.flatMap((s, i) => s.subject.map((x) => [x.name, { part: i, sha256: x.digest.sha256 }] as const)));
    expect(named.size).toBe(N);
    for (const r of rows) {
      const where = named.get(r.file);
      expect(`sha256:${where?.sha256}`).toBe(r.digest);
      expect(r.provenance?.bundle).toBe(prov[where?.part ?? -1]);
      expect(r.provenance?.part).toBe(`${(where?.part ?? -1) + 1}/2`);
    }
    expect(readdirSync(join(rows[0]!.signature!.bundle, '..')).filter((f) => f.endsWith('.sigstore.json'))).toHaveLength(N + 2);
  });

  it('the summary lists the first files and points to results for the rest', () => {
    expect(run2000.summary).toContain(`…and ${N - 20} more files`);
    expect(Buffer.byteLength(run2000.summary)).toBeLessThan(64 * 1024);
  });

  it('cosign, gh and sigstore-python verify files from across the list, each against its statement', async () => {
    const sample = rows.filter((r) => existsSync(join(downloads, r.file)));
    expect(sample).toHaveLength(4);
    for (const r of sample) {
      const file = join(downloads, r.file);
      const prov = r.provenance!.bundle;
      const checks = [
        await cosign('cosign3', ['verify-blob', '--bundle', r.signature!.bundle, ...identity, file]),
        await cosign('cosign3', ['verify-blob-attestation', '--bundle', prov, '--type', 'slsaprovenance1', ...identity, file]),
        await cosign('cosign2', ['verify-blob-attestation', '--bundle', prov, '--type', 'slsaprovenance1', ...identity, file]),
        await gh(file, prov),
      ];
      for (const c of checks) expect(said(c)).toMatch(/→ exit 0/);
    }
    const py = await sigstorePythonBatch(
      sample.map((r) => python(r.signature!.bundle, join(downloads, r.file))),
      home.env,
    );
    for (const r of py) expect(said(r)).toMatch(/→ exit 0/);
  }, 300_000);
});

describe('a user error fails the step with one line and writes nothing', () => {
  let ws: string;
  beforeAll(() => {
    ws = join(dir, 'ws-errors');
    mkdirSync(join(ws, 'dist'), { recursive: true });
    writeFileSync(join(ws, 'dist', 'a.tar.gz'), 'a');
    writeFileSync(join(ws, 'bad-line.txt'), `${sha256('x')}  ok.bin\nnot a checksum line\n`);
    writeFileSync(join(ws, 'sha512.txt'), `${createHash('sha512').update('x').digest('hex')}  x.bin\n`);
  });

  const cases: [string, Record<string, string>, RegExp][] = [
    ['a missing file', { 'subject-path': 'dist/missing.tar.gz' }, /^::error::subject-path: "dist\/missing\.tar\.gz" does not exist; pass the path of a built file/],
    ['a glob matching nothing', { 'subject-path': 'dist/*.zip' }, /^::error::subject-path: "dist\/\*\.zip" matches no file under .*; check the pattern/],
    ['a malformed checksums line', { 'subject-checksums': 'bad-line.txt' }, /^::error::subject-checksums: bad-line\.txt line 2 is not "<sha256 hex> {2}<file name>"/],
    [
      'a SHA-512 checksums file',
      { 'subject-checksums': 'sha512.txt' },
      /^::error::subject-checksums: sha512\.txt line 1: the digest has 128 hex digits \(SHA-512\), not the 64 of SHA-256/,
    ],
    ['a missing checksums file', { 'subject-checksums': 'nope.txt' }, /^::error::subject-checksums: "nope\.txt" does not exist/],
  ];
  for (const [what, inputs, message] of cases) {
    it(`${what}`, async () => {
      await lib.resetStats(stack);
      const r = await run(ws, inputs);
      expect(r.code).toBe(1);
      const lines = errorLines(r);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      const stats = await lib.getStats(stack);
      expect(stats['rekorPost']).toBe(0);
      expect(stats['fulcio']).toBe(0);
      expect(existsSync(join(ws, 'dist', 'a.tar.gz.sigstore.json'))).toBe(false);
    });
  }

  it('no images and no files: the message names both ways', async () => {
    const r = await run(ws, {});
    expect(r.code).toBe(1);
    expect(errorLines(r)).toEqual([
      expect.stringMatching(/^::error::images: no image given and no release files: nothing to sign; .* or files in subject-path or subject-checksums$/),
    ]);
  });
});
