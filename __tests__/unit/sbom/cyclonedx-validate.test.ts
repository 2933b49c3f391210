import { describe, expect, it } from '@jest/globals';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { execFileSync } from 'node:child_process';
import { buildSbomDocument, validateCycloneDx } from '../../../src/sbom/cyclonedx.js';

// The CycloneDX 1.6 check is precompiled at build time (scripts/gen-cyclonedx-validator.mjs).
// It must refuse what the library's own validator refuses, with the same errors, and
// the committed code must be what the generator makes from today's node_modules.

const image = { name: 'ghcr.io/acme/app', digest: `sha256:${'a'.repeat(64)}` };
const built = buildSbomDocument({
  image,
  packages: [{ name: 'x', version: '1', type: 'npm', purl: 'pkg:npm/x@1', licenses: ['MIT'], foundBy: 'test', path: '/x/package.json', layer: 'sha256:l' }],
  relationships: [],
  timestamp: new Date(0),
});

type Doc = Record<string, any>;
const variant = (change: (d: Doc) => void): string => {
  const d = JSON.parse(built.json) as Doc;
  change(d);
  return JSON.stringify(d);
};

async function library(json: string): Promise<string | undefined> {
  const errors: unknown = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json);
  return errors === null ? undefined : JSON.stringify(errors).slice(0, 500);
}

describe('precompiled CycloneDX 1.6 validator', () => {
  it('accepts a generated SBOM, as the library does', async () => {
    expect(await validateCycloneDx(built.json)).toBeUndefined();
    expect(await library(built.json)).toBeUndefined();
  });

  it.each([
    ['a specVersion that is not a string', (d: Doc) => (d.specVersion = 1.6)],
    ['a component type outside the enum', (d: Doc) => (d.components[0].type = 'gadget')],
    ['an unknown property (strict schema)', (d: Doc) => (d.components[0].colour = 'blue')],
    ['a timestamp that is not date-time (ajv-formats)', (d: Doc) => (d.metadata.timestamp = 'yesterday')],
    ['an author email that is not idn-email (ajv-formats-draft2019)', (d: Doc) => (d.metadata.authors = [{ name: 'a', email: 'not an address' }])],
    ['a license id outside the SPDX list (referenced schema)', (d: Doc) => (d.components[0].licenses = [{ license: { id: 'Not-A-License' } }])],
    ['the same component twice (uniqueItems, deep equality)', (d: Doc) => d.components.push(structuredClone(d.components[0]))],
  ])('refuses %s, with the library validator’s errors', async (_what, change) => {
    const json = variant(change);
    const ours = await validateCycloneDx(json);
    expect(ours).toBeDefined();
    expect(ours).toBe(await library(json));
  });

  it('is what scripts/gen-cyclonedx-validator.mjs generates from the installed schema and ajv', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-cyclonedx-validator.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
