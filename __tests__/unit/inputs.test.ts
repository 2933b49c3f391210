import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../../src/errors.js';
import { readInputs, type Inputs } from '../../src/inputs.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

// A fake core.getInput: unset inputs read as '' like an action without defaults.
function fake(values: Record<string, string>): (name: string) => string {
  return (name) => values[name] ?? '';
}

const read = (values: Record<string, string>): Inputs => readInputs(fake({ images: `ghcr.io/o/app@${D1}`, ...values }));

// Runs readInputs and returns the INPUT error it throws.
function inputError(values: Record<string, string>): ActionError {
  try {
    read(values);
  } catch (e) {
    expect(e).toBeInstanceOf(ActionError);
    expect((e as ActionError).code).toBe('INPUT');
    return e as ActionError;
  }
  throw new Error('readInputs did not throw');
}

let dir: string;
let sbomFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inputs-test-'));
  sbomFile = join(dir, 'sbom.cdx.json');
  writeFileSync(sbomFile, '{}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputs: images and digest', () => {
  it('reads a newline-separated list, skipping blank lines', () => {
    const { images } = read({ images: `ghcr.io/o/a@${D1}\n\n  ghcr.io/o/b@${D2}  \n` });
    expect(images.map((r) => `${r.registry}/${r.repository}@${r.digest}`)).toEqual([`ghcr.io/o/a@${D1}`, `ghcr.io/o/b@${D2}`]);
  });

  it('reads a comma-separated list', () => {
    expect(read({ images: `ghcr.io/o/a@${D1}, ghcr.io/o/b@${D2}` }).images).toHaveLength(2);
  });

  it('rejects an empty images input, naming it', () => {
    expect(inputError({ images: ' \n , ' }).message).toMatch(/^images: /);
  });

  it('rejects an invalid reference, naming images', () => {
    expect(inputError({ images: 'ghcr.io/O/App' }).message).toMatch(/^images: /);
  });

  it('pairs digest with a single tagless name', () => {
    const [ref] = read({ images: 'ghcr.io/o/app', digest: D1 }).images;
    expect(ref).toMatchObject({ registry: 'ghcr.io', repository: 'o/app', digest: D1 });
  });

  it('pairs digest with a tagged name and drops the tag', () => {
    const [ref] = read({ images: 'ghcr.io/o/app:v1', digest: D1 }).images;
    expect(ref?.digest).toBe(D1);
    expect(ref?.tag).toBeUndefined();
  });

  it('accepts digest equal to the one already in images', () => {
    expect(read({ images: `ghcr.io/o/app@${D1}`, digest: D1 }).images[0]?.digest).toBe(D1);
  });

  it('rejects a digest that differs from the one in images', () => {
    expect(inputError({ images: `ghcr.io/o/app@${D1}`, digest: D2 }).message).toMatch(/^digest: /);
  });

  it('rejects digest with several images', () => {
    expect(inputError({ images: 'ghcr.io/o/a\nghcr.io/o/b', digest: D1 }).message).toMatch(/^digest: .*exactly one/);
  });

  it('rejects a malformed digest', () => {
    expect(inputError({ images: 'ghcr.io/o/a', digest: 'sha256:XYZ' }).message).toMatch(/^digest: /);
  });
});

describe('readInputs: modes and booleans', () => {
  it('uses the documented defaults when inputs are empty', () => {
    const i = read({});
    expect(i).toMatchObject({
      sign: true,
      provenance: true,
      replace: false,
      summary: true,
      attach: 'both',
      sbom: { kind: 'generate' },
      fulcioURL: 'https://fulcio.sigstore.dev',
      rekorURL: 'https://rekor.sigstore.dev',
      audience: 'sigstore',
      retryBudgetSeconds: 120,
    });
    expect(i.tsaURL).toBeUndefined();
    expect(i.trustedRoot).toBeUndefined();
  });

  it.each(['both', 'referrers', 'tags', 'none'])('accepts attach: %s', (attach) => {
    expect(read({ attach }).attach).toBe(attach);
  });

  it('rejects an unknown attach mode, naming attach', () => {
    expect(inputError({ attach: 'everywhere' }).message).toMatch(/^attach: "everywhere"/);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['false', false],
  ])('reads boolean %s', (v, expected) => {
    expect(read({ replace: v }).replace).toBe(expected);
  });

  it.each(['sign', 'provenance', 'replace', 'summary'])('rejects a non-boolean %s, naming it', (name) => {
    expect(inputError({ [name]: 'yes' }).message).toMatch(new RegExp(`^${name}: "yes"`));
  });

  it.each(['generate', 'true', ''])('sbom %j generates', (sbom) => {
    expect(read({ sbom }).sbom).toEqual({ kind: 'generate' });
  });

  it.each(['false', 'none'])('sbom %j turns the SBOM off', (sbom) => {
    expect(read({ sbom }).sbom).toEqual({ kind: 'none' });
  });

  it('sbom with an existing path uses that file', () => {
    expect(read({ sbom: sbomFile }).sbom).toEqual({ kind: 'file', path: sbomFile });
  });

  it('sbom with a missing path fails, naming sbom', () => {
    expect(inputError({ sbom: join(dir, 'nope.json') }).message).toMatch(/^sbom: .*does not exist/);
  });

  it('rejects a run with sign, sbom and provenance all off', () => {
    expect(inputError({ sign: 'false', sbom: 'false', provenance: 'false' }).message).toMatch(/sign, sbom and provenance/);
  });

  it('rejects a missing trusted-root file, naming trusted-root', () => {
    expect(inputError({ 'trusted-root': join(dir, 'root.json') }).message).toMatch(/^trusted-root: /);
  });
});

describe('readInputs: retry-budget', () => {
  it.each([
    ['30', 30],
    ['0', 0],
    ['2.5', 2.5],
  ])('parses %s seconds', (v, expected) => {
    expect(read({ 'retry-budget': v }).retryBudgetSeconds).toBe(expected);
  });

  it.each(['abc', '-1', 'Infinity', '10s'])('rejects %j, naming retry-budget', (v) => {
    expect(inputError({ 'retry-budget': v }).message).toMatch(/^retry-budget: /);
  });
});

describe('readInputs: URLs', () => {
  it('strips trailing slashes', () => {
    const i = read({ 'rekor-url': 'https://rekor.example.com/', 'fulcio-url': 'http://localhost:5555//', 'tsa-url': 'https://tsa.example.com/api/' });
    expect(i.rekorURL).toBe('https://rekor.example.com');
    expect(i.fulcioURL).toBe('http://localhost:5555');
    expect(i.tsaURL).toBe('https://tsa.example.com/api');
  });

  it.each([
    ['fulcio-url', 'fulcio.sigstore.dev'],
    ['rekor-url', 'ftp://rekor.example.com'],
    ['tsa-url', 'not a url'],
  ])('rejects %s %j, naming the input', (name, v) => {
    expect(inputError({ [name]: v }).message).toMatch(new RegExp(`^${name}: `));
  });
});

describe('readInputs: sbom-format', () => {
  it('defaults to cyclonedx and accepts spdx, both, and the -json names in any case', () => {
    expect(read({}).sbomFormats).toEqual(['cyclonedx']);
    expect(read({ 'sbom-format': 'spdx' }).sbomFormats).toEqual(['spdx']);
    expect(read({ 'sbom-format': 'cyclonedx,spdx' }).sbomFormats).toEqual(['cyclonedx', 'spdx']);
    expect(read({ 'sbom-format': ' SPDX-json , cyclonedx , spdx ' }).sbomFormats).toEqual(['spdx', 'cyclonedx']);
  });

  it('names the accepted values for anything else', () => {
    for (const bad of ['cdx', 'cyclonedx;spdx', 'spdx,xml']) {
      expect(inputError({ 'sbom-format': bad }).message).toMatch(/^sbom-format: ".+" is not a known format; pass cyclonedx, spdx or both as cyclonedx,spdx$/);
    }
  });
});

describe('readInputs: rekor-version', () => {
  it('defaults to Rekor v1 and keeps attach as given', () => {
    const i = read({});
    expect(i.rekorVersion).toBe(1);
    expect(i.attach).toBe('both');
    expect(i.referrersOnly).toBeUndefined();
  });

  it('with 2, attaches referrers only and says why once', () => {
    const i = read({ 'rekor-version': '2', 'tsa-url': 'http://127.0.0.1:1' });
    expect(i.rekorVersion).toBe(2);
    expect(i.attach).toBe('referrers');
    expect(i.referrersOnly).toMatch(/signed entry timestamp.*referrers/);
    expect(read({ 'rekor-version': '2', 'tsa-url': 'http://127.0.0.1:1', attach: 'none' }).attach).toBe('none');
  });

  it('with 2, requires a TSA and refuses tags-only attachment, naming the fix', () => {
    expect(inputError({ 'rekor-version': '2' }).message).toMatch(/rekor-version: 2 needs tsa-url/);
    expect(inputError({ 'rekor-version': '2', 'tsa-url': 'http://127.0.0.1:1', attach: 'tags' }).message).toMatch(/use attach: referrers/);
    expect(inputError({ 'rekor-version': 'v2' }).message).toMatch(/rekor-version: "v2" is not 1 or 2/);
  });
});
