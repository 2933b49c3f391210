import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pkg } from '../../../src/catalogers/types.js';
import { openImage, parseSource } from '../../../src/image/source.js';
import { validateCycloneDx } from '../../../src/sbom/cyclonedx.js';
import { catalogImage, renderSboms } from '../../../src/sbom/generate.js';
import type { SbomContent } from '../../../src/sbom/types.js';
import { buildSpdxDocument, buildSpdxIndexDocument, documentNamespace } from '../../../src/sbom/spdx.js';
import { spdxSchemaErrors } from '../../../test/harness/spdx-schema.js';
import { buildFixtureLayout } from '../../../test/stack/stack.mjs';

// SPDX 2.3 documents from the same package list as CycloneDX, checked
// against the official SPDX 2.3 JSON schema, field by field where syft and
// scanners read them.

const TOOL = { name: 'sign-attest', version: '9.9.9' };
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const LAYER = `sha256:${'cd'.repeat(32)}`;

function pkg(over: Partial<Pkg>): Pkg {
  return {
    name: 'x',
    version: '1.0',
    type: 'npm',
    purl: 'pkg:npm/x@1.0',
    licenses: [],
    foundBy: 'npm',
    path: '/app/node_modules/x/package.json',
    layer: LAYER,
    ...over,
  };
}

const lodash = pkg({ name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21', licenses: ['MIT'], path: '/app/node_modules/lodash/package.json' });
const app = pkg({ name: '@org/app', version: '1.0.0', purl: 'pkg:npm/%40org/app@1.0.0', licenses: ['MIT OR Apache-2.0', 'ISC'], path: '/app/package.json' });
const bash = pkg({
  name: 'bash',
  version: '5.2.15-2+b8',
  type: 'deb',
  purl: 'pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12.11',
  licenses: ['GPL-3+', 'custom: see /usr/share/doc'],
  foundBy: 'dpkg',
  path: '/var/lib/dpkg/status',
});
const withCpe = Object.assign(
  pkg({ name: 'openssl', version: '3.0.19', type: 'deb', purl: 'pkg:deb/debian/openssl@3.0.19', foundBy: 'dpkg', path: '/var/lib/dpkg/status' }),
  {
    cpes: ['cpe:2.3:a:openssl:openssl:3.0.19:*:*:*:*:*:*:*'],
  },
);

const content: SbomContent = {
  image: { name: 'ghcr.io/org/app', digest: DIGEST, platform: 'linux/amd64' },
  distro: { id: 'debian', idLike: [], versionId: '12.11', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  packages: [app, lodash, bash, withCpe, lodash],
  relationships: [{ from: app, to: lodash }],
  timestamp: new Date('2026-01-02T03:04:05.678Z'),
};

type Doc = {
  spdxVersion: string;
  SPDXID: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: {
    SPDXID: string;
    name: string;
    versionInfo?: string;
    licenseDeclared: string;
    licenseConcluded: string;
    downloadLocation: string;
    externalRefs?: { referenceType: string; referenceLocator: string }[];
    primaryPackagePurpose?: string;
  }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  hasExtractedLicensingInfos?: { licenseId: string; extractedText: string }[];
};

describe('buildSpdxDocument', () => {
  const built = buildSpdxDocument(content, TOOL);
  const doc = built.document as unknown as Doc;
  const byName = (n: string) => doc.packages.find((p) => p.name === n)!;

  it('is valid against the official SPDX 2.3 schema', () => {
    expect(spdxSchemaErrors(built.document)).toEqual([]);
    expect(JSON.parse(built.json)).toEqual(built.document);
  });

  it('the schema check fails a document that breaks it', () => {
    const broken = { ...built.document, packages: [{ ...doc.packages[1], SPDXID: undefined, bogus: 1 }] };
    expect(spdxSchemaErrors(broken).length).toBeGreaterThan(0);
  });

  it('has SPDX-2.3 header fields, our tool and version, and a second-precision timestamp', () => {
    expect(doc.spdxVersion).toBe('SPDX-2.3');
    expect(doc.SPDXID).toBe('SPDXRef-DOCUMENT');
    expect(doc.creationInfo).toEqual({ created: '2026-01-02T03:04:05Z', creators: ['Tool: sign-attest-9.9.9'] });
  });

  it('has one package per distinct package, plus the image and the distro, each with a valid SPDXID', () => {
    expect(doc.packages.map((p) => p.name).sort()).toEqual(['@org/app', 'bash', 'debian', 'ghcr.io/org/app', 'lodash', 'openssl']);
    for (const p of doc.packages) {
      expect(p.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
      expect(p.downloadLocation).toBe('NOASSERTION');
      expect(p.licenseConcluded).toBe('NOASSERTION');
    }
    expect(new Set(doc.packages.map((p) => p.SPDXID)).size).toBe(doc.packages.length);
    expect(byName('ghcr.io/org/app')).toMatchObject({ versionInfo: DIGEST, primaryPackagePurpose: 'CONTAINER' });
    expect(byName('debian')).toMatchObject({ versionInfo: '12.11', primaryPackagePurpose: 'OPERATING_SYSTEM' });
  });

  it('declares licenses as one expression; text that is not SPDX becomes a LicenseRef with its text', () => {
    expect(byName('lodash').licenseDeclared).toBe('MIT');
    expect(byName('@org/app').licenseDeclared).toBe('(MIT OR Apache-2.0) AND ISC');
    expect(byName('openssl').licenseDeclared).toBe('NOASSERTION');
    const bashLicense = byName('bash').licenseDeclared;
    const refs = bashLicense.split(' AND ');
    expect(refs).toHaveLength(2);
    for (const r of refs) expect(r).toMatch(/^LicenseRef-[A-Za-z0-9.-]+$/);
    expect(doc.hasExtractedLicensingInfos?.map((e) => e.extractedText).sort()).toEqual(['GPL-3+', 'custom: see /usr/share/doc']);
  });

  it('carries the purl, and the CPEs the package has or else generated ones', () => {
    expect(byName('lodash').externalRefs).toEqual([
      { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:lodash:lodash:4.17.21:*:*:*:*:*:*:*' },
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/lodash@4.17.21' },
    ]);
    expect(byName('openssl').externalRefs?.map((r) => r.referenceType)).toEqual(['cpe23Type', 'purl']);
    expect(byName('ghcr.io/org/app').externalRefs?.[0]?.referenceLocator).toMatch(/^pkg:oci\/app@sha256:ab/);
  });

  it('relates the document DESCRIBES image, image CONTAINS each package, and dependencies as DEPENDS_ON', () => {
    const id = (n: string) => byName(n).SPDXID;
    const rel = (a: string, t: string, b: string) => ({ spdxElementId: a, relationshipType: t, relatedSpdxElement: b });
    const image = id('ghcr.io/org/app');
    expect(doc.relationships).toContainEqual(rel('SPDXRef-DOCUMENT', 'DESCRIBES', image));
    for (const n of ['debian', 'lodash', '@org/app', 'bash', 'openssl']) expect(doc.relationships).toContainEqual(rel(image, 'CONTAINS', id(n)));
    expect(doc.relationships).toContainEqual(rel(id('@org/app'), 'DEPENDS_ON', id('lodash')));
    expect(doc.relationships.filter((r) => r.relationshipType === 'DEPENDS_ON')).toHaveLength(1);
  });

  it('has a namespace that is the same for the same image and differs per digest, name and platform', () => {
    const again = buildSpdxDocument({ ...content, timestamp: new Date() }, TOOL).document as unknown as Doc;
    expect(again.documentNamespace).toBe(doc.documentNamespace);
    expect(() => new URL(doc.documentNamespace)).not.toThrow();
    expect(doc.documentNamespace).not.toContain('#');
    const variants = [
      { ...content.image, digest: `sha256:${'ef'.repeat(32)}` },
      { ...content.image, name: 'ghcr.io/org/other' },
      { ...content.image, platform: 'linux/arm64' },
    ].map(documentNamespace);
    expect(new Set([doc.documentNamespace, ...variants]).size).toBe(4);
  });
});

describe('an incomplete scan', () => {
  it('says what was skipped in the document comment, and stays schema-valid', () => {
    const problems = [
      { path: '/usr/lib/big.jar', layer: LAYER, message: 'archive over 64 MiB, not read' },
      ...Array.from({ length: 25 }, (_, i) => ({ message: `problem ${i}` })),
    ];
    const built = buildSpdxDocument({ ...content, problems }, TOOL);
    expect(spdxSchemaErrors(built.document)).toEqual([]);
    const comment = (built.document as { comment?: string }).comment ?? '';
    expect(comment).toMatch(/^sign-attest:scan:incomplete: 26 skipped: \/usr\/lib\/big\.jar: archive over 64 MiB, not read; problem 0;/);
    expect(comment).toMatch(/; and 6 more$/);
    expect((buildSpdxDocument(content, TOOL).document as { comment?: string }).comment).toBeUndefined();
  });
});

describe('buildSpdxIndexDocument', () => {
  it('lists each platform image of an index, and is schema-valid', () => {
    const index = { name: 'ghcr.io/org/app', digest: DIGEST };
    const platforms = [
      { name: 'ghcr.io/org/app', digest: `sha256:${'01'.repeat(32)}`, platform: 'linux/amd64' },
      { name: 'ghcr.io/org/app', digest: `sha256:${'02'.repeat(32)}`, platform: 'linux/arm64' },
    ];
    const built = buildSpdxIndexDocument(index, platforms, TOOL);
    expect(spdxSchemaErrors(built.document)).toEqual([]);
    const doc = built.document as unknown as Doc;
    expect(doc.packages.map((p) => p.versionInfo)).toEqual([DIGEST, ...platforms.map((p) => p.digest)]);
    expect(doc.relationships.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(2);
  });
});

describe('one scan of a real image, both formats', () => {
  let results: Awaited<ReturnType<typeof renderSboms>>;
  let packages: number;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spdx-unit-'));
    await buildFixtureLayout(join(dir, 'layout'), 'v1');
    const image = await openImage(parseSource(`oci-dir:${join(dir, 'layout')}:v1`));
    const cataloged = await catalogImage({ ...image, log: () => {} });
    packages = cataloged.content.packages.length;
    results = await renderSboms(cataloged, ['spdx', 'cyclonedx'], { validate: 'never', tool: TOOL });
  }, 120_000);

  it('writes SPDX 2.3 and CycloneDX 1.6 that both validate, with the same packages', async () => {
    const [spdx, cdx] = results;
    expect(spdx?.format).toBe('spdx');
    expect(spdx?.predicateType).toBe('https://spdx.dev/Document');
    expect(spdxSchemaErrors(spdx?.document)).toEqual([]);
    expect(cdx?.format).toBe('cyclonedx');
    expect(await validateCycloneDx(cdx!.json)).toBeUndefined();
    const spdxPurls = (spdx!.document as unknown as Doc).packages
      .flatMap((p) => p.externalRefs ?? [])
      .filter((r) => r.referenceType === 'purl')
      .map((r) => r.referenceLocator);
    const cdxPurls = ((cdx!.document['components'] ?? []) as { purl?: string }[]).map((c) => c.purl).filter(Boolean);
    expect(packages).toBeGreaterThan(20);
    expect(new Set(spdxPurls.filter((p) => !p.startsWith('pkg:oci/')))).toEqual(new Set(cdxPurls));
  });
});
