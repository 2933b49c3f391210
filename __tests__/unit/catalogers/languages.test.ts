import { describe, expect, it } from '@jest/globals';
import { dotnet } from '../../../src/catalogers/dotnet.js';
import { npm } from '../../../src/catalogers/npm.js';
import { php } from '../../../src/catalogers/php.js';
import { python } from '../../../src/catalogers/python.js';
import { ruby } from '../../../src/catalogers/ruby.js';
import { parse, summary } from './helpers.js';

describe('npm', () => {
  it('reads scoped names, the license forms and skips markers without a name', async () => {
    const scoped = await parse(npm, '/app/node_modules/@babel/core/package.json', JSON.stringify({ name: '@babel/core', version: '7.24.0', license: { type: 'MIT' } }));
    expect(summary(scoped)).toEqual([{ name: '@babel/core', version: '7.24.0', purl: 'pkg:npm/%40babel/core@7.24.0', licenses: ['MIT'] }]);
    const old = await parse(npm, '/a/package.json', JSON.stringify({ name: 'old', version: '1.0.0', licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }));
    expect(old.packages[0]!.licenses).toEqual(['MIT', 'Apache-2.0']);
    expect((await parse(npm, '/a/node_modules/x/esm/package.json', '{"type":"module"}')).packages).toEqual([]);
  });

  it('lists a named package.json without a version as syft does: version UNKNOWN, purl without one', async () => {
    const app = await parse(npm, '/srv/app/package.json', JSON.stringify({ name: 'noversion', license: 'MIT' }));
    expect(summary(app)).toEqual([{ name: 'noversion', version: 'UNKNOWN', purl: 'pkg:npm/noversion', licenses: ['MIT'] }]);
    expect(summary(await parse(npm, '/srv/app/package.json', JSON.stringify({ name: 'empty', version: '' })))[0]!.purl).toBe('pkg:npm/empty');
    expect((await parse(npm, '/srv/app/package.json', JSON.stringify({ version: '1.0.0' }))).packages).toEqual([]);
  });

  it('resolves dependencies the way Node does, nearest node_modules first', async () => {
    const pkgs = (
      await Promise.all([
        parse(npm, '/app/package.json', JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { a: '1', b: '2' } })),
        parse(npm, '/app/node_modules/a/package.json', JSON.stringify({ name: 'a', version: '1.0.0', dependencies: { b: '1' } })),
        parse(npm, '/app/node_modules/a/node_modules/b/package.json', JSON.stringify({ name: 'b', version: '1.0.0' })),
        parse(npm, '/app/node_modules/b/package.json', JSON.stringify({ name: 'b', version: '2.0.0' })),
      ])
    ).flatMap((r) => r.packages);
    expect(npm.relate!(pkgs).map((e) => `${e.from.name}@${e.from.version}->${e.to.name}@${e.to.version}`)).toEqual([
      'app@1.0.0->a@1.0.0',
      'app@1.0.0->b@2.0.0',
      'a@1.0.0->b@1.0.0',
    ]);
  });
});

describe('python', () => {
  const METADATA =
    'Metadata-Version: 2.1\nName: Foo_Bar.baz\nVersion: 2.0\nLicense-Expression: MIT OR Apache-2.0\nRequires-Dist: requests[socks] (>=2.0)\nRequires-Dist: pytest ; extra == "test"\n\nLong: description\n';
  it('normalizes names, prefers License-Expression and ignores extras', async () => {
    const r = await parse(python, '/usr/lib/python3/site-packages/Foo_Bar.baz-2.0.dist-info/METADATA', METADATA);
    expect(summary(r)).toEqual([{ name: 'foo-bar-baz', version: '2.0', purl: 'pkg:pypi/foo-bar-baz@2.0', licenses: ['MIT OR Apache-2.0'] }]);
    expect(r.packages[0]!.requires).toEqual(['requests']);
  });

  it('matches dist-info, egg-info directories and egg-info files', () => {
    const m = (p: string) => python.match(p, { size: 100, mode: 0o644 });
    expect(m('/x/a-1.dist-info/METADATA')).toBe(true);
    expect(m('/x/a-1.egg-info/PKG-INFO')).toBe(true);
    expect(m('/x/a-1.egg-info')).toBe(true);
    expect(m('/x/a-1.dist-info/RECORD')).toBe(false);
  });
});

describe('ruby', () => {
  it('reads installed gemspecs', async () => {
    const spec =
      '# -*- encoding: utf-8 -*-\nGem::Specification.new do |s|\n  s.name = "rake".freeze\n  s.version = "13.1.0".freeze\n  s.licenses = ["MIT".freeze]\nend\n';
    const r = await parse(ruby, '/usr/local/bundle/specifications/rake-13.1.0.gemspec', spec);
    expect(summary(r)).toEqual([{ name: 'rake', version: '13.1.0', purl: 'pkg:gem/rake@13.1.0', licenses: ['MIT'] }]);
  });
});

describe('php', () => {
  const pkg = { name: 'monolog/monolog', version: '3.5.0', license: ['MIT'], require: { 'psr/log': '^3' } };
  const log = { name: 'psr/log', version: '3.0.0', license: ['MIT'] };
  it.each([
    ['Composer 2', { packages: [pkg, log] }],
    ['Composer 1', [pkg, log]],
  ])('reads %s installed.json with edges', async (_, json) => {
    const r = await parse(php, '/app/vendor/composer/installed.json', JSON.stringify(json));
    expect(summary(r)[0]).toEqual({ name: 'monolog/monolog', version: '3.5.0', purl: 'pkg:composer/monolog/monolog@3.5.0', licenses: ['MIT'] });
    expect(php.relate!(r.packages).map((e) => `${e.from.name}->${e.to.name}`)).toEqual(['monolog/monolog->psr/log']);
  });
});

describe('dotnet', () => {
  it('reads NuGet packages and their edges from deps.json, not projects', async () => {
    const deps = {
      targets: {
        '.NETCoreApp,Version=v8.0': {
          'app/1.0.0': { dependencies: { 'Serilog.Sinks.Console': '5.0.0' } },
          'Serilog.Sinks.Console/5.0.0': { dependencies: { Serilog: '3.1.0' } },
          'Serilog/3.1.0': {},
        },
      },
      libraries: { 'app/1.0.0': { type: 'project' }, 'Serilog.Sinks.Console/5.0.0': { type: 'package' }, 'Serilog/3.1.0': { type: 'package' } },
    };
    const r = await parse(dotnet, '/app/app.deps.json', JSON.stringify(deps));
    expect(summary(r).map((p) => p.purl)).toEqual(['pkg:nuget/Serilog.Sinks.Console@5.0.0', 'pkg:nuget/Serilog@3.1.0']);
    expect(r.relationships.map((e) => `${e.from.name}->${e.to.name}`)).toEqual(['Serilog.Sinks.Console->Serilog']);
  });
});
