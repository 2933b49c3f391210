import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../../../src/errors.js';
import { parseChecksums } from '../../../src/files/checksums.js';
import { mergeSubjects, parseSubjectPaths, resolveSubjectPaths } from '../../../src/files/subjects.js';
import { MAX_SUBJECTS_PER_STATEMENT, statement, subjectBytes, subjectGroups } from '../../../src/formats/statements.js';
import { readInputs } from '../../../src/inputs.js';
import { resultsJSON, type FileResult } from '../../../src/results.js';
import { safeName } from '../../../src/stages/files.js';
import { renderSummary } from '../../../src/summary.js';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const H1 = hex('one');
const H2 = hex('two');

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ActionError);
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

describe('parseChecksums (sha256sum output)', () => {
  it('reads text and binary mode lines, CRLF and a BOM, skipping blank lines', () => {
    const text = `\uFEFF${H1}  dist/app.tar.gz\r\n\n${H2.toUpperCase()} *app.exe\n`;
    expect(parseChecksums(text, 'SUMS')).toEqual([
      { name: 'dist/app.tar.gz', digest: `sha256:${H1}` },
      { name: 'app.exe', digest: `sha256:${H2}` },
    ]);
  });

  it("keeps spaces inside names and unescapes sha256sum's backslash form", () => {
    expect(parseChecksums(`${H1}  my file.txt\n\\${H2}  a\\\\b\\nc\n`, 'SUMS')).toEqual([
      { name: 'my file.txt', digest: `sha256:${H1}` },
      { name: 'a\\b\nc', digest: `sha256:${H2}` },
    ]);
  });

  it('names the other digest a wrong length is', () => {
    const md5 = createHash('md5').update('x').digest('hex');
    const sha512 = createHash('sha512').update('x').digest('hex');
    expect(thrown(() => parseChecksums(`${md5}  x\n`, 'SUMS'))).toBe(
      'subject-checksums: SUMS line 1: the digest has 32 hex digits (MD5), not the 64 of SHA-256; generate the file with sha256sum, not md5sum',
    );
    expect(thrown(() => parseChecksums(`${H1}  ok\n${sha512}  x\n`, 'SUMS'))).toMatch(
      /^subject-checksums: SUMS line 2: the digest has 128 hex digits \(SHA-512\).* not sha512sum$/,
    );
    expect(thrown(() => parseChecksums(`${'a'.repeat(63)}  x\n`, 'SUMS'))).toMatch(
      /63 hex digits, not the 64 of SHA-256; generate the file with sha256sum, not another hash$/,
    );
  });

  it('refuses a line that is not sha256sum output, with its number', () => {
    expect(thrown(() => parseChecksums(`${H1}  a\nSHA256 (b) = ${H2}\n`, 'SUMS'))).toMatch(/^subject-checksums: SUMS line 2 is not "<sha256 hex> {2}<file name>"/);
    expect(thrown(() => parseChecksums(`${H1} a\n`, 'SUMS'))).toMatch(/line 1 is not/); // one space: no mode character
    expect(thrown(() => parseChecksums(`\\${H1}  a\\tb\n`, 'SUMS'))).toMatch(/line 1: "\\t" is not an escape sha256sum writes/);
  });

  it('refuses one name with two digests and an empty file', () => {
    expect(thrown(() => parseChecksums(`${H1}  a\n${H2}  a\n`, 'SUMS'))).toMatch(/line 2: "a" is listed twice with different digests/);
    expect(parseChecksums(`${H1}  a\n${H1}  a\n`, 'SUMS')).toHaveLength(1);
    expect(thrown(() => parseChecksums('\n\n', 'SUMS'))).toMatch(/SUMS lists no files/);
  });
});

describe('subject-path', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'subject-path-'));
    mkdirSync(join(dir, 'dist', 'sub'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'skip'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'a.tar.gz'), 'one');
    writeFileSync(join(dir, 'dist', 'sub', 'b.tar.gz'), 'two');
    writeFileSync(join(dir, 'dist', 'skip', 'c.tar.gz'), 'skipped');
    writeFileSync(join(dir, 'dist', 'a.tar.gz.sigstore.json'), '{}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('splits lines into includes and ! exclusions, ignoring blanks and comments', () => {
    expect(parseSubjectPaths(' dist/*\n\n# built by make\n!dist/skip/**\n')).toEqual({ include: ['dist/*'], exclude: ['dist/skip/**'] });
  });

  it('resolves globs and paths to hashed files named relative to the workspace, sorted, bundles of earlier runs skipped', async () => {
    const files = await resolveSubjectPaths('dist/**\n!dist/skip/**\ndist/a.tar.gz', dir);
    expect(files).toEqual([
      { kind: 'file', name: 'dist/a.tar.gz', digest: `sha256:${H1}`, path: join(dir, 'dist', 'a.tar.gz') },
      { kind: 'file', name: 'dist/sub/b.tar.gz', digest: `sha256:${H2}`, path: join(dir, 'dist', 'sub', 'b.tar.gz') },
    ]);
  });

  it('fails on a missing path, a directory, a glob matching nothing, and exclusions alone', async () => {
    await expect(resolveSubjectPaths('dist/nope.zip', dir)).rejects.toThrow(/^subject-path: "dist\/nope\.zip" does not exist; pass the path of a built file or a glob/);
    await expect(resolveSubjectPaths('dist/sub', dir)).rejects.toThrow('subject-path: "dist/sub" is a directory; pass its files, for example dist/sub/*');
    await expect(resolveSubjectPaths('dist/*.zip', dir)).rejects.toThrow(/^subject-path: "dist\/\*\.zip" matches no file under /);
    await expect(resolveSubjectPaths('dist/skip/*\n!dist/skip/**', dir)).rejects.toThrow(/matches no file \(after the ! exclusions\)/);
    await expect(resolveSubjectPaths('!dist/**', dir)).rejects.toThrow(/only exclusions/);
  });

  it('merges with checksums lines: once per name, a conflicting digest refused', () => {
    const onDisk = [{ kind: 'file' as const, name: 'a', digest: `sha256:${H1}`, path: '/w/a' }];
    expect(
      mergeSubjects(onDisk, [
        { name: 'a', digest: `sha256:${H1}` },
        { name: 'b', digest: `sha256:${H2}` },
      ]),
    ).toEqual([...onDisk, { kind: 'file', name: 'b', digest: `sha256:${H2}` }]);
    expect(thrown(() => mergeSubjects(onDisk, [{ name: 'a', digest: `sha256:${H2}` }]))).toMatch(/"a" is both in subject-path .* and in subject-checksums/);
  });

  it('makes a checksums name one safe file name in the run folder', () => {
    expect(safeName('../../etc/passwd')).toBe('__.._etc_passwd');
    expect(safeName('dist/app v1.tar.gz')).toBe('dist_app_v1.tar.gz');
    expect(safeName('.hidden')).toBe('_hidden');
  });
});

describe('statements over many subjects', () => {
  const subjects = (n: number, name = (i: number) => `app-${String(i).padStart(4, '0')}-linux-amd64.tar.gz`) =>
    Array.from({ length: n }, (_, i) => ({ name: name(i), digest: `sha256:${hex(String(i))}` }));

  it('a subject costs 99 bytes plus its name (measured on the statement itself)', () => {
    expect(subjectBytes({ name: 'x', digest: `sha256:${H1}` })).toBe(99 + 1);
    const one = statement(subjects(1), 'https://slsa.dev/provenance/v1', {}).length;
    const many = statement(subjects(1001), 'https://slsa.dev/provenance/v1', {}).length;
    expect((many - one) / 1000).toBe(99 + 'app-0000-linux-amd64.tar.gz'.length);
    // A full statement of typical release names.
    expect(statement(subjects(MAX_SUBJECTS_PER_STATEMENT), 'https://slsa.dev/provenance/v1', {}).length).toBeLessThan(130_000);
  });

  it('one statement up to 1024 subjects, then groups of at most 1024 in order', () => {
    expect(subjectGroups(subjects(1024)).map((g) => g.length)).toEqual([1024]);
    const groups = subjectGroups(subjects(2000));
    expect(groups.map((g) => g.length)).toEqual([1024, 976]);
    expect(groups.flat().map((s) => s.name)).toEqual(subjects(2000).map((s) => s.name));
  });

  it('long names split by bytes before the count is reached', () => {
    const long = subjects(100, (i) => `${'x'.repeat(20_000)}-${i}`);
    const groups = subjectGroups(long);
    expect(groups.length).toBeGreaterThan(1);
    for (const g of groups) expect(g.reduce((sum, s) => sum + subjectBytes(s), 0)).toBeLessThanOrEqual(1024 * 1024);
  });

  it('the statement lists every subject with its name and digest', () => {
    const stmt = JSON.parse(statement(subjects(3), 'https://openvex.dev/ns', { a: 1 }).toString('utf8'));
    expect(stmt.subject[2]).toEqual({ name: 'app-0002-linux-amd64.tar.gz', digest: { sha256: hex('2') } });
    expect(Object.keys(stmt)).toEqual(['_type', 'subject', 'predicateType', 'predicate']);
  });
});

describe('inputs: images optional with release files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'files-inputs-'));
    writeFileSync(join(dir, 'SUMS'), `${H1}  a\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const get = (v: Record<string, string>) => (n: string) => v[n] ?? '';

  it('takes files without images, and both together', () => {
    const files = readInputs(get({ 'subject-checksums': join(dir, 'SUMS') }));
    expect(files.images).toEqual([]);
    expect(files.subjectChecksums).toEqual([{ name: 'a', digest: `sha256:${H1}` }]);
    const both = readInputs(get({ images: `ghcr.io/o/app@sha256:${H2}`, 'subject-path': 'dist/*' }));
    expect(both.images).toHaveLength(1);
    expect(both.subjectPaths).toBe('dist/*');
  });

  it('names both ways when there is nothing to sign', () => {
    expect(thrown(() => readInputs(get({})))).toMatch(
      /^images: no image given and no release files: nothing to sign; .* or files in subject-path or subject-checksums$/,
    );
  });

  it('refuses files with nothing to make for them', () => {
    expect(thrown(() => readInputs(get({ 'subject-path': 'x', sign: 'false', provenance: 'false' })))).toMatch(/nothing to do for the release files/);
  });
});

describe('results and summary for files', () => {
  const file = (i: number, path?: string): FileResult => ({
    name: `app-${i}.tar.gz`,
    digest: `sha256:${hex(String(i))}`,
    ...(path ? { path } : {}),
    artifacts: [
      { kind: 'signature', logIndex: 100 + i, uuid: `u${i}`, integratedTime: 1, bundle: `/w/app-${i}.tar.gz.sigstore.json` },
      {
        kind: 'provenance',
        predicateType: 'https://slsa.dev/provenance/v1',
        logIndex: 1,
        uuid: 'p',
        integratedTime: 1,
        bundle: '/out/files/provenance.sigstore.json',
        subjects: 30,
      },
      {
        kind: 'predicate',
        predicateType: 'https://openvex.dev/ns',
        typeName: 'openvex',
        logIndex: 2,
        uuid: 'v',
        integratedTime: 1,
        bundle: '/out/files/openvex.sigstore.json',
        subjects: 30,
      },
    ],
  });
  const files = Array.from({ length: 30 }, (_, i) => file(i, i === 0 ? '/w/app-0.tar.gz' : undefined));
  const ctx = {
    rekorURL: 'https://rekor.sigstore.dev',
    san: 'https://github.com/o/r/.github/workflows/rel.yml@refs/heads/main',
    issuer: 'https://token.actions.githubusercontent.com',
    repository: 'o/r',
    attach: 'both' as const,
  };

  it('results: one object per file after the images, predicates as an array', () => {
    const rows = JSON.parse(resultsJSON([], files.slice(0, 2)));
    expect(rows[0]).toEqual({
      file: 'app-0.tar.gz',
      name: 'app-0.tar.gz',
      digest: files[0]!.digest,
      path: '/w/app-0.tar.gz',
      signature: { logIndex: 100, uuid: 'u0', integratedTime: 1, bundle: '/w/app-0.tar.gz.sigstore.json' },
      provenance: {
        predicateType: 'https://slsa.dev/provenance/v1',
        logIndex: 1,
        uuid: 'p',
        integratedTime: 1,
        bundle: '/out/files/provenance.sigstore.json',
        subjects: 30,
      },
      predicates: [
        {
          predicateType: 'https://openvex.dev/ns',
          typeName: 'openvex',
          logIndex: 2,
          uuid: 'v',
          integratedTime: 1,
          bundle: '/out/files/openvex.sigstore.json',
          subjects: 30,
        },
      ],
    });
    expect(rows[1].path).toBeUndefined();
  });

  it('summary: counts each shared statement once, lists 20 files and the commands for one', () => {
    const md = renderSummary([], ctx, files);
    expect(md).toMatch(/^## ✅ Signed and attested 30 release files\n/);
    expect(md).toContain('All 32 Rekor entries were self-verified');
    expect(md).toContain('…and 10 more files');
    expect(md.match(/^\| `app-\d+\.tar\.gz` \|/gm)).toHaveLength(20);
    expect(md).toContain('cosign verify-blob \\\n  --bundle /w/app-0.tar.gz.sigstore.json');
    expect(md).toContain('cosign verify-blob-attestation --type openvex');
    expect(md).toContain('gh attestation verify app-0.tar.gz \\\n  --bundle /out/files/provenance.sigstore.json \\\n  --repo o/r');
    expect(md).toContain('--predicate-type https://openvex.dev/ns');
    expect(md).toContain('npx sign-attest verify-bundle');
    expect(md).toContain('Files from subject-checksums');
  });
});

describe('readArtifact (verify-bundle FILE)', () => {
  it('holds a small file and hashes a large one as it streams', async () => {
    const { readArtifact } = await import('../../../src/verify/artifact.js');
    const dir = mkdtempSync(join(tmpdir(), 'artifact-'));
    const file = join(dir, 'app.tar.gz');
    writeFileSync(file, 'x'.repeat(1000));
    expect(await readArtifact(file)).toEqual({ bytes: Buffer.from('x'.repeat(1000)) });
    expect(await readArtifact(file, 999)).toEqual({ digest: `sha256:${hex('x'.repeat(1000))}` });
    rmSync(dir, { recursive: true, force: true });
  });
});
