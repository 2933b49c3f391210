import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getManifest, loadTrust, sigstoreVerify, tagFor, type Trust } from '../../test/harness/checks.js';
import { errorLines, runAction } from '../../test/harness/run-action.js';
import { stackInputs, stackLib } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// A multi-platform index: the index and every platform image in it get their
// own signature, provenance and SBOM; a platform's SBOM catalogs its layers
// and names that platform's digest, the index's lists its platform images.

const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

const lib = await stackLib();
const stack = useStack({ name: 'multiarch' });
let trust: Trust;

beforeAll(() => {
  trust = loadTrust(stack.trustedRoot);
});

async function put(repo: string, ref: string, body: object, mediaType: string): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify(body));
  const res = await fetch(`http://${stack.registry}/v2/${repo}/manifests/${ref}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
  if (res.status !== 201) throw new Error(`PUT ${ref}: ${res.status} ${await res.text()}`);
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
}

describe('a multi-platform index', () => {
  it('signs and attests the index and each platform image', async () => {
    const img = await lib.pushFixtureImage(stack, 'octo-org/multi');
    const base = (await getManifest(img.name, img.digest)) as Record<string, unknown>;
    // Two platform manifests over the same layers, told apart by an annotation.
    const amd64 = await put('octo-org/multi', 'amd64', { ...base, annotations: { platform: 'amd64' } }, OCI_MANIFEST);
    const arm64 = await put('octo-org/multi', 'arm64', { ...base, annotations: { platform: 'arm64' } }, OCI_MANIFEST);
    const index = await put(
      'octo-org/multi',
      'v1',
      {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { mediaType: OCI_MANIFEST, ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
          { mediaType: OCI_MANIFEST, ...arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        ],
      },
      OCI_INDEX,
    );

    const r = await runAction({ inputs: { ...stackInputs(stack), images: `${img.name}@${index.digest}` }, env: stack.env });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.outputs['digest']).toBe(index.digest);

    const results = JSON.parse(r.outputs['results'] ?? '[]') as any[];
    expect(results.map((x) => [x.digest, x.platform])).toEqual([
      [index.digest, undefined],
      [amd64.digest, 'linux/amd64'],
      [arm64.digest, 'linux/arm64/v8'],
    ]);
    const indexSbom = JSON.parse(readFileSync(results[0].sbom.path, 'utf8'));
    expect(indexSbom.metadata.component.version).toBe(index.digest);
    expect(indexSbom.components.map((c: any) => c.version).sort()).toEqual([amd64.digest, arm64.digest].sort());
    for (const res of results) {
      expect(res.signature.logIndex).toEqual(expect.any(Number));
      expect(res.provenance.logIndex).toEqual(expect.any(Number));
      expect((await getManifest(img.name, tagFor(res.digest, '.sig')))?.layers).toHaveLength(1);
    }
    for (const res of results.slice(1)) {
      const bundle = JSON.parse(readFileSync(res.sbom.bundle, 'utf8'));
      sigstoreVerify(trust, bundle, SAN, ISSUER);
      const stmt = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
      expect(stmt.subject[0].digest.sha256).toBe(res.digest.slice(7));
      expect(stmt.predicate.metadata.component.version ?? stmt.predicate.metadata.component['bom-ref']).toBeDefined();
      const att = await getManifest(img.name, tagFor(res.digest, '.att'));
      expect(att?.layers?.map((l) => l.annotations?.['predicateType']).sort()).toEqual(['https://cyclonedx.org/bom', 'https://slsa.dev/provenance/v1']);
    }
    expect(r.summary).toContain('(linux/arm64/v8)');
  });
});
