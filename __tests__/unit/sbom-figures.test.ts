import { describe, it, expect } from '@jest/globals';
import { componentCounts } from '../../src/sbom-figures.js';

describe('componentCounts', () => {
  it('counts CycloneDX components by package URL type, nested ones too, largest first', () => {
    const doc = {
      bomFormat: 'CycloneDX',
      components: [
        { type: 'operating-system', name: 'debian' },
        { type: 'library', name: 'a', purl: 'pkg:deb/debian/a@1' },
        { type: 'library', name: 'b', purl: 'pkg:deb/debian/b@1' },
        { type: 'library', name: 'c', purl: 'pkg:npm/c@1', components: [{ type: 'library', name: 'd', purl: 'pkg:npm/%40s/d@1' }] },
        { type: 'library', name: 'e', purl: 'pkg:golang/x/e@v1' },
        { type: 'library', name: 'f', purl: 'pkg:DEB/debian/f@1' },
      ],
    };
    expect(Object.entries(componentCounts(doc))).toEqual([
      ['deb', 3],
      ['npm', 2],
      ['golang', 1],
      ['operating-system', 1],
    ]);
  });

  it('counts SPDX packages by their purl external reference, the rest as other', () => {
    const doc = {
      spdxVersion: 'SPDX-2.3',
      packages: [
        { name: 'a', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:pypi/a@1' }] },
        { name: 'b', externalRefs: [{ referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:b' }] },
        { name: 'c' },
      ],
    };
    expect(componentCounts(doc)).toEqual({ other: 2, pypi: 1 });
  });

  it('does not count the package an SPDX document DESCRIBES (the image), as CycloneDX metadata.component is not; names a purl-less package by its purpose', () => {
    const doc = {
      spdxVersion: 'SPDX-2.3',
      packages: [
        { SPDXID: 'SPDXRef-Image', name: 'app', externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:oci/app@sha256:ab' }] },
        { SPDXID: 'SPDXRef-a', name: 'a', externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:npm/a@1' }] },
        { SPDXID: 'SPDXRef-os', name: 'debian', primaryPackagePurpose: 'OPERATING_SYSTEM' },
      ],
      relationships: [
        { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image' },
        { spdxElementId: 'SPDXRef-Image', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-a' },
      ],
    };
    expect(componentCounts(doc)).toEqual({ npm: 1, 'operating-system': 1 });
    expect(componentCounts({ ...doc, relationships: [], documentDescribes: ['SPDXRef-Image'] })).toEqual({ npm: 1, 'operating-system': 1 });
  });

  it('gives nothing for an empty or odd document', () => {
    expect(componentCounts({})).toEqual({});
    expect(componentCounts({ components: [null, 'x', { purl: 'not a purl' }] })).toEqual({ other: 3 });
  });
});
