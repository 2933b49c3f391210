import { describe, expect, it } from '@jest/globals';
import type { Pkg, PkgType } from '../../../src/catalogers/types.js';
import { cpesFor } from '../../../src/sbom/cpe.js';
import { buildSbomDocument } from '../../../src/sbom/cyclonedx.js';

// CPE candidates in the shape syft emits (checked against syft v1.57.2's
// output on the fixture images by __tests__/e2e/syft-parity.test.ts).

const pkg = (type: PkgType, name: string, version: string, group?: string): Pkg => ({
  type,
  name,
  version,
  group,
  purl: `pkg:generic/${name}@${version}`,
  licenses: [],
  foundBy: 'test',
  path: '/x',
  layer: 'sha256:00',
});

describe('cpesFor', () => {
  it('quotes every character CPE 2.3 formatted strings do not allow unquoted', () => {
    expect(cpesFor(pkg('deb', 'zlib1g', '1:1.2.13.dfsg-1'))).toEqual(['cpe:2.3:a:zlib1g:zlib1g:1\\:1.2.13.dfsg-1:*:*:*:*:*:*:*']);
    expect(cpesFor(pkg('deb', 'libssl3', '3.0.19-1~deb12u2+b1'))[0]).toBe('cpe:2.3:a:libssl3:libssl3:3.0.19-1\\~deb12u2\\+b1:*:*:*:*:*:*:*');
  });

  it('spells hyphenated names both ways and adds shorter vendor prefixes', () => {
    expect(cpesFor(pkg('deb', 'python3-yaml', '6.0-3'))).toEqual([
      'cpe:2.3:a:python3-yaml:python3-yaml:6.0-3:*:*:*:*:*:*:*',
      'cpe:2.3:a:python3-yaml:python3_yaml:6.0-3:*:*:*:*:*:*:*',
      'cpe:2.3:a:python3_yaml:python3-yaml:6.0-3:*:*:*:*:*:*:*',
      'cpe:2.3:a:python3_yaml:python3_yaml:6.0-3:*:*:*:*:*:*:*',
      'cpe:2.3:a:python3:python3-yaml:6.0-3:*:*:*:*:*:*:*',
      'cpe:2.3:a:python3:python3_yaml:6.0-3:*:*:*:*:*:*:*',
    ]);
    expect(cpesFor(pkg('apk', 'bash', '5.2-r0'))).toEqual(['cpe:2.3:a:bash:bash:5.2-r0:*:*:*:*:*:*:*']);
  });

  it('names Apache artifacts under vendor apache, Go modules by their path, the Go stdlib as golang:go', () => {
    expect(cpesFor(pkg('java-archive', 'commons-io', '2.11.0', 'commons-io'))).toEqual([
      'cpe:2.3:a:apache:commons-io:2.11.0:*:*:*:*:*:*:*',
      'cpe:2.3:a:apache:commons_io:2.11.0:*:*:*:*:*:*:*',
      'cpe:2.3:a:apache:commons:2.11.0:*:*:*:*:*:*:*',
      'cpe:2.3:a:apache:io:2.11.0:*:*:*:*:*:*:*',
    ]);
    expect(cpesFor(pkg('java-archive', 'fixture-boot', '1.0.0', 'com.example'))).toContain('cpe:2.3:a:example:fixture-boot:1.0.0:*:*:*:*:*:*:*');
    expect(cpesFor(pkg('go-module', 'stdlib', '1.19.8'))).toEqual(['cpe:2.3:a:golang:go:1.19.8:-:*:*:*:*:*:*']);
    expect(cpesFor(pkg('go-module', 'golang.org/x/text', 'v0.7.0'))).toEqual(['cpe:2.3:a:golang:text:v0.7.0:*:*:*:*:*:*:*']);
    expect(cpesFor(pkg('go-module', 'example.com/fixture/hello', '(devel)'))).toEqual(['cpe:2.3:a:fixture:hello:*:*:*:*:*:*:*:*']);
  });

  it('puts the python- spelling first for Python packages and the whole scoped name for scoped npm packages', () => {
    expect(cpesFor(pkg('python', 'through-symlink', '1.0'))[0]).toBe('cpe:2.3:a:python-through-symlink:python-through-symlink:1.0:*:*:*:*:*:*:*');
    // as syft writes it (measured on the benchmark image: 150 scoped packages)
    expect(cpesFor(pkg('npm', '@babel/code-frame', '7.0.0'))[0]).toBe('cpe:2.3:a:\\@babel\\/code-frame:\\@babel\\/code-frame:7.0.0:*:*:*:*:*:*:*');
    expect(cpesFor(pkg('npm', '@babel/core', '7.0.0'))).not.toContain('cpe:2.3:a:babel:core:7.0.0:*:*:*:*:*:*:*');
    // case kept, and '_' names also spelled with '-' (ranked first by text, as syft ranks them)
    expect(cpesFor(pkg('npm', 'rxjs/webSocket', ''))[0]).toBe('cpe:2.3:a:rxjs\\/webSocket:rxjs\\/webSocket:*:*:*:*:*:*:*:*');
    expect(cpesFor(pkg('npm', 'string_decoder', '1.1.1'))[0]).toBe('cpe:2.3:a:string-decoder:string-decoder:1.1.1:*:*:*:*:*:*:*');
  });

  it('writes the primary CPE as the component cpe and the rest as syft:cpe23 properties', () => {
    const p = pkg('deb', 'python3-yaml', '6.0-3');
    const { document } = buildSbomDocument({
      image: { name: 'registry.example/x', digest: `sha256:${'0'.repeat(64)}`, layers: [] } as never,
      packages: [p],
      relationships: [],
    });
    const c = (document['components'] as { cpe?: string; properties?: { name: string; value: string }[] }[])[0]!;
    expect(c.cpe).toBe('cpe:2.3:a:python3-yaml:python3-yaml:6.0-3:*:*:*:*:*:*:*');
    expect(c.properties!.filter((x) => x.name === 'syft:cpe23')).toHaveLength(5);
  });
});
