import { describe, expect, it } from '@jest/globals';
import { copyrightLicenses } from '../../../src/catalogers/dpkg-copyright.js';
import type { CatalogResult, Pkg } from '../../../src/catalogers/types.js';
import { detachStrings } from '../../../src/sbom/detach.js';

describe('detachStrings', () => {
  it('keeps every value, the package objects and the relationships that point at them', () => {
    const text = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nLicense: public-domain-or-other and GPL-2+\n${'x'.repeat(100_000)}`;
    const a: Pkg = {
      name: text.slice(0, 6),
      version: '1.0',
      type: 'deb',
      purl: 'pkg:deb/debian/a@1.0',
      licenses: copyrightLicenses(text),
      foundBy: 't',
      path: '/var/lib/dpkg/status',
      layer: 'sha256:l',
      group: 'g',
      requires: ['b'],
      provides: ['c'],
      cpes: ['cpe:2.3:a:a:a:1.0:*:*:*:*:*:*:*'],
    };
    const b: Pkg = { name: 'b', version: '2', type: 'npm', purl: 'pkg:npm/b@2', licenses: [], foundBy: 't', path: '/b/package.json', layer: 'sha256:l' };
    const result: CatalogResult = { packages: [a, b], relationships: [{ from: a, to: b }] };
    const before = structuredClone(result);
    const out = detachStrings(result);
    expect(out).toBe(result);
    expect(out.packages[0]).toBe(a);
    expect(out.relationships[0]!.from).toBe(a);
    expect(out.relationships[0]!.to).toBe(b);
    expect(out).toEqual(before);
    expect(a.licenses).toEqual(['public-domain-or-other', 'GPL-2.0-or-later']);
    expect(b.group).toBeUndefined();
    expect('requires' in b).toBe(false);
  });

  it('keeps the scanner escapes of non-UTF-8 bytes (lone surrogates) as they are', () => {
    const odd = 'caf\udce9-\ud800';
    const p: Pkg = { name: odd, version: odd, type: 'npm', purl: odd, licenses: [odd], foundBy: 't', path: '/p', layer: 'l' };
    detachStrings({ packages: [p], relationships: [] });
    expect([p.name, p.version, p.purl, p.licenses[0]]).toEqual([odd, odd, odd, odd]);
  });
});
