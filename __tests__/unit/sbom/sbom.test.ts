import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Pkg } from '../../../src/catalogers/types.js';
import { ActionError } from '../../../src/errors.js';
import { buildSbomDocument, validateCycloneDx } from '../../../src/sbom/cyclonedx.js';
import { generateImageSbom } from '../../../src/sbom/generate.js';
import { loadSbomFile } from '../../../src/sbom/load.js';
import { tar } from '../helpers/tar.js';

const image = { name: 'ghcr.io/acme/app', digest: `sha256:${'a'.repeat(64)}`, platform: 'linux/arm64' };

function pkg(over: Partial<Pkg>): Pkg {
  return { name: 'x', version: '1', type: 'npm', purl: 'pkg:npm/x@1', licenses: [], foundBy: 'test', path: '/x/package.json', layer: 'sha256:l', ...over };
}

interface Doc {
  metadata: { component: Record<string, unknown> };
  components: { name: string; 'bom-ref': string; licenses?: unknown[] }[];
  dependencies: { ref: string; dependsOn?: string[] }[];
}

describe('buildSbomDocument', () => {
  it('merges licenses instead of letting the library drop all but one expression', async () => {
    const packages = [
      pkg({ name: 'a', purl: 'pkg:npm/a@1', licenses: ['MIT OR Apache-2.0', 'BSD-3-Clause'] }),
      pkg({ name: 'b', purl: 'pkg:npm/b@1', licenses: ['MIT'] }),
      pkg({ name: 'c', purl: 'pkg:npm/c@1', licenses: ['GPLv2+', 'MIT'] }),
      pkg({ name: 'd', purl: 'pkg:npm/d@1', licenses: ['Not-A-Real-Id-But-Valid-Looking'] }),
    ];
    const { json, document } = buildSbomDocument({ image, packages, relationships: [], timestamp: new Date(0) });
    const lic = (name: string) => (document as unknown as Doc).components.find((c) => c.name === name)?.licenses;
    expect(lic('a')).toEqual([{ expression: '(MIT OR Apache-2.0) AND BSD-3-Clause' }]);
    expect(lic('b')).toEqual([{ license: { id: 'MIT' } }]);
    expect(lic('c')).toEqual([{ license: { name: 'GPLv2+' } }, { license: { id: 'MIT' } }]);
    expect(lic('d')).toEqual([{ license: { name: 'Not-A-Real-Id-But-Valid-Looking' } }]);
    expect(await validateCycloneDx(json)).toBeUndefined();
  });

  it('describes the image, gives duplicate purls distinct bom-refs and keeps edges', async () => {
    const a1 = pkg({ name: 'a', purl: 'pkg:npm/a@1', path: '/one/node_modules/a/package.json' });
    const a2 = pkg({ name: 'a', purl: 'pkg:npm/a@1', path: '/two/node_modules/a/package.json' });
    const b = pkg({ name: 'b', purl: 'pkg:npm/b@2' });
    const built = buildSbomDocument({ image, packages: [a1, a2, b], relationships: [{ from: b, to: a1 }], distro: { id: 'alpine', idLike: [], versionId: '3.20.3' } });
    const doc = built.document as unknown as Doc;
    expect(doc.metadata.component).toMatchObject({
      type: 'container',
      name: 'ghcr.io/acme/app',
      version: image.digest,
      purl: `pkg:oci/app@sha256:${'a'.repeat(64)}?arch=arm64&repository_url=ghcr.io%2Facme%2Fapp`,
    });
    const refs = doc.components.map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs.filter((r) => r.startsWith('pkg:npm/a@1?package-id='))).toHaveLength(2);
    expect(doc.dependencies.find((d) => d.ref === 'pkg:npm/b@2')?.dependsOn).toHaveLength(1);
    expect(built.componentCount).toBe(4); // three packages and the operating system
    expect(await validateCycloneDx(built.json)).toBeUndefined();
  });

  it('is deterministic apart from the timestamp', () => {
    const input = { image, packages: [pkg({})], relationships: [], timestamp: new Date(0) };
    expect(buildSbomDocument(input).json).toBe(buildSbomDocument(input).json);
  });
});

describe('generateImageSbom', () => {
  it('streams layers from openBlob and keeps partial results when one file is corrupt', async () => {
    const layer = gzipSync(
      tar([
        { path: 'app/node_modules/good/package.json', body: JSON.stringify({ name: 'good', version: '1.0.0', license: 'MIT' }) },
        { path: 'app/node_modules/bad/package.json', body: '{ not json' },
      ]),
    );
    const log: string[] = [];
    const result = await generateImageSbom({
      ...image,
      layers: [{ digest: 'sha256:one', mediaType: 'application/vnd.oci.image.layer.v1.tar', size: layer.length }],
      openBlob: async () => Readable.from([layer]),
      log: (l) => log.push(l),
      validate: 'always',
    });
    expect(result).toMatchObject({ componentCount: 1, format: 'cyclonedx', predicateType: 'https://cyclonedx.org/bom' });
    expect(JSON.parse(result.json)).toEqual(result.document);
    expect(log.some((l) => l.startsWith('skipped: /app/node_modules/bad/package.json (layer sha256:one): javascript-package-cataloger: not read:'))).toBe(true);
    expect(result.problems).toEqual([{ path: '/app/node_modules/bad/package.json', layer: 'sha256:one', message: expect.stringContaining('not read') }]);
    // the signed document says what it did not read
    const props = (result.document as any).metadata.properties as { name: string; value: string }[];
    expect(props).toContainEqual({ name: 'sign-attest:scan:incomplete', value: '1' });
    expect(props.find((p) => p.name === 'sign-attest:scan:skipped')?.value).toMatch(/^\/app\/node_modules\/bad\/package.json \(layer sha256:one\): /);
  });
});

describe('loadSbomFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbom-file-'));
  const write = (name: string, body: string) => {
    writeFileSync(join(dir, name), body);
    return join(dir, name);
  };

  it('accepts CycloneDX and SPDX JSON as they are', async () => {
    const cdx = { bomFormat: 'CycloneDX', specVersion: '1.5', serialNumber: 'urn:uuid:x', components: [{}, {}] };
    await expect(loadSbomFile(write('c.json', JSON.stringify(cdx)))).resolves.toMatchObject({
      format: 'cyclonedx',
      predicateType: 'https://cyclonedx.org/bom',
      componentCount: 2,
      document: cdx,
    });
    const spdx = { spdxVersion: 'SPDX-2.3', packages: [{}] };
    await expect(loadSbomFile(write('s.json', JSON.stringify(spdx)))).resolves.toMatchObject({
      format: 'spdx',
      predicateType: 'https://spdx.dev/Document',
      componentCount: 1,
    });
  });

  it.each([
    ['not JSON', 'n.xml', '<bom/>', /is not JSON/],
    ['another JSON', 'o.json', '{"hello":1}', /neither CycloneDX nor SPDX/],
    ['missing', 'missing.json', undefined, /cannot read sbom file/],
  ])('rejects %s with a coded one-line error naming the file', async (_, name, body, message) => {
    const path = body === undefined ? join(dir, name) : write(name, body);
    const err = (await loadSbomFile(path).catch((e: unknown) => e)) as ActionError;
    expect(err).toBeInstanceOf(ActionError);
    expect(err.code).toBe('SBOM');
    expect(err.message).toMatch(message);
    expect(err.message).toContain(path);
    expect(err.message).not.toContain('\n');
  });
});
