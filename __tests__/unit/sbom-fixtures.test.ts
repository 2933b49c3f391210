// Ground truth: fixture images built offline from real packages by
// test/fixtures/sbom/build.py (needs test/fixtures/sbom/APT_PACKAGES). Every
// package the real tools list must appear with exact name, version and purl;
// nothing a whiteout, an opaque directory or a later layer removed may.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validation, Spec } from '@cyclonedx/cyclonedx-library';
import { generateImageSbom } from '../../src/sbom/generate.js';
import type { SbomResult } from '../../src/sbom/types.js';

interface Expected {
  present: { name: string; version: string; purl: string; path?: string }[];
  absent: { name: string; why: string }[];
}
interface Component {
  type: string;
  name: string;
  version?: string;
  purl?: string;
  'bom-ref': string;
  properties?: { name: string; value: string }[];
}

const IMAGES = ['debian', 'alpine', 'rpm-sqlite', 'rpm-bdb', 'rpm-ndb', 'go', 'java'];
let out: string;
const results = new Map<string, { sbom: SbomResult; expected: Expected; layers: { file: string; digest: string }[]; log: string[] }>();

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'sbom-fixtures-'));
  execFileSync('python3', ['test/fixtures/sbom/build.py', out], { stdio: 'inherit' });
  for (const image of IMAGES) {
    const dir = join(out, image);
    const layers = JSON.parse(readFileSync(join(dir, 'layers.json'), 'utf8')) as { file: string; digest: string }[];
    const log: string[] = [];
    const sbom = await generateImageSbom({
      name: `registry.example/fixtures/${image}`,
      digest: `sha256:${'0'.repeat(64)}`,
      platform: 'linux/amd64',
      layers: layers.map((l) => ({ digest: l.digest, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 0 })),
      openBlob: async (digest) => createReadStream(join(dir, layers.find((l) => l.digest === digest)!.file)),
      log: (line) => log.push(line),
      validate: 'never',
    });
    results.set(image, { sbom, expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected, layers, log });
  }
}, 300_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

function components(sbom: SbomResult): Component[] {
  return (sbom.document.components ?? []) as Component[];
}
const prop = (c: Component, name: string) => c.properties?.find((p) => p.name === name)?.value;

describe.each(IMAGES)('fixture image %s', (image) => {
  it('has every known package with exact name, version and purl', () => {
    const { sbom, expected } = results.get(image)!;
    const found = components(sbom);
    const missing = expected.present.filter(
      (e) => !found.some((c) => c.name === e.name && c.version === e.version && c.purl === e.purl && (!e.path || prop(c, 'syft:location:0:path') === e.path)),
    );
    expect(missing).toEqual([]);
    expect(expected.present.length).toBeGreaterThan(0);
  });

  it('has nothing that a whiteout or a later layer removed', () => {
    const { sbom, expected } = results.get(image)!;
    const names = new Set(components(sbom).map((c) => c.name));
    expect(expected.absent.filter((a) => names.has(a.name))).toEqual([]);
  });

  it('reads real package databases and archives without a scanner problem (the bounds refuse no real input)', () => {
    expect(results.get(image)!.sbom.problems).toEqual([]);
  });

  it('records the layer each package came from', () => {
    const { sbom, layers } = results.get(image)!;
    const digests = new Set(layers.map((l) => l.digest));
    for (const c of components(sbom).filter((c) => c.type === 'library')) expect(digests.has(prop(c, 'syft:location:0:layerID')!)).toBe(true);
  });

  it('is valid CycloneDX 1.6', async () => {
    const { sbom } = results.get(image)!;
    const errors: unknown = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(sbom.json);
    expect(errors).toBeNull();
    expect(sbom.document.specVersion).toBe('1.6');
  });
});

describe('fixture image details', () => {
  it('takes the package from the layer that last wrote the database', () => {
    const { sbom, layers } = results.get('alpine')!;
    const jq = components(sbom).find((c) => c.name === 'jq')!;
    expect(prop(jq, 'syft:location:0:layerID')).toBe(layers[1]!.digest);
  });

  it('uses the Debian point release and the image as metadata.component', () => {
    const { sbom } = results.get('debian')!;
    const os = components(sbom).find((c) => c.type === 'operating-system')!;
    expect(os.version).toMatch(/^\d+\.\d+$/);
    const meta = sbom.document.metadata as { component: Component };
    expect(meta.component).toMatchObject({ type: 'container', name: 'registry.example/fixtures/debian', version: `sha256:${'0'.repeat(64)}` });
  });

  it('records dependency edges from the sources', () => {
    const deps = (image: string) => (results.get(image)!.sbom.document.dependencies ?? []) as { ref: string; dependsOn?: string[] }[];
    const ajv = deps('debian').find((d) => d.ref === 'pkg:npm/ajv@8.20.0');
    expect(ajv?.dependsOn).toEqual(expect.arrayContaining(['pkg:npm/fast-deep-equal@3.1.3']));
    const app = deps('rpm-sqlite').find((d) => d.ref.startsWith('pkg:rpm/fedora/fixture-app@'));
    expect(app?.dependsOn?.some((r) => r.startsWith('pkg:rpm/fedora/fixture-lib@'))).toBe(true);
    const hello = deps('go').find((d) => d.ref.startsWith('pkg:golang/example.com/fixture/hello@'));
    expect(hello?.dependsOn).toEqual(expect.arrayContaining(['pkg:golang/golang.org/x/text@v0.7.0', 'pkg:golang/stdlib@1.19.8']));
  });

  it('logs per-layer progress with bytes and packages so far', () => {
    const { log } = results.get('debian')!;
    expect(log.filter((l) => /^layer \d\/4 .* MB → .* packages so far$/.test(l))).toHaveLength(4);
  });
});

// The tar reader sees each fixture layer (Python tarfile: pax, GNU long names,
// plain; gzip, zstd, none) exactly as Go's archive/tar does.
describe('fixture layers, read by Go and by our tar reader', () => {
  it('list the same entries and content', async () => {
    const { goListMany, nodeList, comparable } = await import('./helpers/tarlist.js');
    const { zstdDecompressSync, gunzipSync } = await import('node:zlib');
    const tars: Buffer[] = [];
    for (const image of IMAGES) {
      for (const l of results.get(image)!.layers) {
        const raw = readFileSync(join(out, image, l.file));
        tars.push(raw[0] === 0x1f ? gunzipSync(raw) : raw.readUInt32LE(0) === 0xfd2fb528 ? zstdDecompressSync(raw) : raw);
      }
    }
    const go = await goListMany(tars);
    for (const [i, t] of tars.entries()) expect(comparable(await nodeList(t))).toEqual(comparable(go[i]!));
    expect(go.every((l) => l.at(-1) === 'end')).toBe(true);
    console.log(`tar corpus: ${tars.length} fixture layers from build.py, ${go.reduce((n, l) => n + l.length - 1, 0)} entries, all equal`);
  }, 120_000);
});
