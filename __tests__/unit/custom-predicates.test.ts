import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePredicatesInput, predicateSlug, readPredicates } from '../../src/custom-predicates.js';
import { ActionError } from '../../src/errors.js';

async function thrown(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ActionError);
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

describe('parsePredicatesInput', () => {
  it('maps cosign --type names to the URIs cosign attests under, and keeps URIs', () => {
    expect(parsePredicatesInput('openvex=vex.json\n\n# scan\nVULN = scan.json\nhttps://example.com/test-result/v1=out/results.json\n')).toEqual([
      { predicateType: 'https://openvex.dev/ns', name: 'openvex', path: 'vex.json' },
      { predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1', name: 'vuln', path: 'scan.json' },
      { predicateType: 'https://example.com/test-result/v1', path: 'out/results.json' },
    ]);
  });

  it('knows every name cosign 2.6 and 3 list for --type', () => {
    const names = ['slsaprovenance', 'slsaprovenance02', 'slsaprovenance1', 'link', 'spdx', 'spdxjson', 'cyclonedx', 'vuln', 'openvex', 'custom'];
    for (const n of names) expect(parsePredicatesInput(`${n}=x.json`)[0]?.name).toBe(n);
    expect(parsePredicatesInput('slsaprovenance1=x.json')[0]?.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(parsePredicatesInput('custom=x.json')[0]?.predicateType).toBe('https://cosign.sigstore.dev/attestation/v1');
  });

  it('splits at the first =, so a path may hold one', () => {
    expect(parsePredicatesInput('openvex=a=b.json')[0]?.path).toBe('a=b.json');
  });

  it('refuses a line without a type or a path, and an unknown name, with the fix', async () => {
    expect(await thrown(() => parsePredicatesInput('vex.json'))).toMatch(
      /^predicates: line 1 "vex\.json" is not predicate-type=path; write for example openvex=vex\.json/,
    );
    expect(await thrown(() => parsePredicatesInput('openvex=\n'))).toMatch(/line 1 "openvex=" is not predicate-type=path/);
    expect(await thrown(() => parsePredicatesInput('ok=1\n'))).toMatch(
      /^predicates: line 1: "ok" is neither a predicate type URI nor one of cosign's --type names \(custom, /,
    );
  });
});

describe('readPredicates', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'predicates-'));
    writeFileSync(join(dir, 'vex.json'), '\uFEFF{"@context": "https://openvex.dev/ns/v0.2.0", "statements": []}');
    writeFileSync(join(dir, 'broken.json'), '{"a": ');
    writeFileSync(join(dir, 'scalar.json'), '42');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads each document as the predicate', () => {
    const [p] = readPredicates([{ predicateType: 'https://openvex.dev/ns', name: 'openvex', path: join(dir, 'vex.json') }]);
    expect(p?.document).toEqual({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [] });
  });

  it('names the file and the fix for a missing file, bad JSON, a non-object and a directory', async () => {
    const spec = (path: string) => [{ predicateType: 'https://openvex.dev/ns', name: 'openvex', path }];
    expect(await thrown(() => readPredicates(spec(join(dir, 'nope.json'))))).toBe(
      `predicates: ${join(dir, 'nope.json')} does not exist; pass the path of the openvex JSON document`,
    );
    expect(await thrown(() => readPredicates(spec(join(dir, 'broken.json'))))).toMatch(/broken\.json is not JSON \(.+\); a predicate must be a JSON document$/);
    expect(await thrown(() => readPredicates(spec(join(dir, 'scalar.json'))))).toMatch(
      /scalar\.json is JSON but not an object \(number\); an in-toto predicate is a JSON object$/,
    );
    expect(await thrown(() => readPredicates(spec(dir)))).toMatch(/cannot be read \(not a regular file\)/);
  });
});

describe('predicateSlug', () => {
  it('is the cosign name, else the last non-version word of the URI', () => {
    expect(predicateSlug({ predicateType: 'https://openvex.dev/ns', name: 'openvex' })).toBe('openvex');
    expect(predicateSlug({ predicateType: 'https://example.com/test-result/v1' })).toBe('test-result');
    expect(predicateSlug({ predicateType: 'https://in-toto.io/attestation/vulns/v0.1' })).toBe('vulns');
    expect(predicateSlug({ predicateType: 'urn:x:1.0' })).toBe('urn-x-1.0');
  });
});
