import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { CLASSIFIERS, classifiers, dropOwnedBinaries } from '../../../src/catalogers/classifiers.js';
import { go } from '../../../src/catalogers/go.js';
import { java, pomXml } from '../../../src/catalogers/java.js';
import { rpm } from '../../../src/catalogers/rpm.js';
import { rust } from '../../../src/catalogers/rust.js';
import type { Cataloger } from '../../../src/catalogers/types.js';
import { parse, summary } from './helpers.js';

// Runs a cataloger's sink over content split into chunks, then parses.
async function sinkAndParse(cataloger: Cataloger, path: string, content: Buffer, chunk: number) {
  const sink = cataloger.sink!(path, { size: content.length, mode: 0o755 });
  for (let i = 0; i < content.length; i += chunk) sink.push(content.subarray(i, i + chunk));
  const reduced = sink.end();
  return reduced && parse(cataloger, path, reduced);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

function goBinary(): Buffer {
  const sentinel = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
  const modinfo = Buffer.concat([
    sentinel,
    Buffer.from(
      'path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgithub.com/a/b\tv1.2.3\th1:x=\n=>\tgithub.com/fork/b\tv1.2.4\th1:y=\ndep\tgolang.org/x/sys\tv0.1.0\th1:z=\nbuild\tvcs.revision=0123456789abcdef\nbuild\tvcs.time=2024-01-02T03:04:05Z\n',
    ),
    sentinel,
  ]);
  const version = Buffer.from('go1.22.5');
  const header = Buffer.alloc(32);
  header.write('\xff Go buildinf:', 'latin1');
  header[14] = 8;
  header[15] = 2;
  // a decoy literal (unaligned) as found in programs that import debug/buildinfo
  const decoy = Buffer.concat([Buffer.alloc(3), Buffer.from('\xff Go buildinf:', 'latin1'), Buffer.alloc(15)]);
  return Buffer.concat([
    Buffer.from('\x7fELF'),
    Buffer.alloc(60),
    decoy,
    Buffer.alloc(16 - ((64 + decoy.length) % 16)),
    header,
    varint(version.length),
    version,
    varint(modinfo.length),
    modinfo,
    Buffer.alloc(5000),
  ]);
}

describe('go', () => {
  it.each([1, 13, 4096])('finds the build info streamed in %i-byte chunks', async (chunk) => {
    const r = (await sinkAndParse(go, '/usr/bin/app', goBinary(), chunk))!;
    expect(summary(r).map((p) => p.purl)).toEqual([
      'pkg:golang/example.com/app@v0.0.0-20240102030405-0123456789ab',
      'pkg:golang/github.com/fork/b@v1.2.4',
      'pkg:golang/golang.org/x/sys@v0.1.0',
      'pkg:golang/stdlib@1.22.5',
    ]);
    expect(r.relationships).toHaveLength(3);
  });

  it('drops executables without build info', async () => {
    expect(await sinkAndParse(go, '/bin/sh', Buffer.alloc(10000, 1), 1000)).toBeUndefined();
  });
});

// A real Go 1.17 executable (pointer-format build info), built at run time by
// the machine's go with GOTOOLCHAIN=go1.17.13 (fetched once through the module
// proxy) into a cache keyed by its source; never committed.
function go117Binary(): Buffer {
  const source = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("legacy") }\n';
  const mod = 'module example.com/legacy\n\ngo 1.17\n';
  const key = createHash('sha256')
    .update(source + mod)
    .digest('hex')
    .slice(0, 16);
  const dir = join(homedir(), '.cache', 'sign-attest-go117', key);
  const exe = join(dir, 'legacy');
  if (!existsSync(exe)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.go'), source);
    writeFileSync(join(dir, 'go.mod'), mod);
    const go = existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
    execFileSync(go, ['build', '-trimpath', '-o', `${exe}.tmp`, '.'], {
      cwd: dir,
      env: { ...process.env, GOTOOLCHAIN: 'go1.17.13', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      stdio: 'pipe',
      timeout: 600_000,
    });
    renameSync(`${exe}.tmp`, exe);
  }
  return readFileSync(exe);
}

describe('go 1.13-1.17 (pointer-format build info)', () => {
  let exe: Buffer;
  beforeAll(() => {
    exe = go117Binary();
  }, 600_000);

  it.each([1000, 4096, 256 * 1024])('follows the pointers to the version and module info, streamed in %i-byte chunks', async (chunk) => {
    const header = exe.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));
    expect(exe[header + 15]! & 2).toBe(0); // really the old layout
    const r = await sinkAndParse(go, '/usr/local/bin/legacy', exe, chunk);
    expect(r?.packages.map((p) => `${p.name}@${p.version} ${p.purl}`)).toEqual([
      'example.com/legacy@(devel) pkg:golang/example.com/legacy@(devel)',
      'stdlib@1.17.13 pkg:golang/stdlib@1.17.13',
    ]);
  });

  it('reads nothing from a pointer-format header in an executable without the Go build ID note', async () => {
    const stripped = Buffer.from(exe);
    const note = stripped.indexOf(Buffer.from('Go\0\0', 'latin1'));
    stripped.write('Xo', note, 'latin1');
    expect(await sinkAndParse(go, '/usr/local/bin/legacy', stripped, 4096)).toBeUndefined();
  });
});

describe('rust (cargo-auditable)', () => {
  it('reads the .dep-v0 section of a real ELF file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rust-'));
    try {
      const audit = {
        packages: [
          { name: 'app', version: '0.1.0', source: 'local', dependencies: [1], root: true },
          { name: 'serde', version: '1.0.200', source: 'crates.io' },
        ],
      };
      writeFileSync(join(dir, 'dep'), deflateSync(JSON.stringify(audit)));
      execFileSync('objcopy', ['--add-section', `.dep-v0=${join(dir, 'dep')}`, '/bin/true', join(dir, 'bin')]);
      const r = (await sinkAndParse(rust, '/usr/bin/app', readFileSync(join(dir, 'bin')), 64 * 1024))!;
      expect(summary(r).map((p) => p.purl)).toEqual(['pkg:cargo/app@0.1.0', 'pkg:cargo/serde@1.0.200']);
      expect(r.relationships.map((e) => `${e.from.name}->${e.to.name}`)).toEqual(['app->serde']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores ELF files without the section', async () => {
    expect(await sinkAndParse(rust, '/bin/true', readFileSync('/bin/true'), 4096)).toBeUndefined();
  });
});

describe('java', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('prefers pom.properties, falls back to the manifest, and recurses into nested jars', async () => {
    const inner = zipSync({ 'META-INF/MANIFEST.MF': enc('Manifest-Version: 1.0\nBundle-SymbolicName: org.example.util\nBundle-Version: 2.1.0\n') });
    const outer = zipSync({
      'META-INF/MANIFEST.MF': enc('Manifest-Version: 1.0\n'),
      'META-INF/maven/com.acme/service/pom.properties': enc('#Generated\ngroupId=com.acme\nartifactId=service\nversion=3.0.0\n'),
      'BOOT-INF/lib/util-2.1.0.jar': inner,
    });
    const r = (await sinkAndParse(java, '/app/service.jar', Buffer.from(outer), 100))!;
    expect(summary(r).map((p) => p.purl)).toEqual(['pkg:maven/com.acme/service@3.0.0', 'pkg:maven/org.example/util@2.1.0']);
  });

  it('takes the license from Bundle-License (id or well-known URL), else from a standard license text in META-INF', async () => {
    const jar = (files: Record<string, string>) =>
      Buffer.from(
        zipSync(
          Object.fromEntries(Object.entries({ 'META-INF/maven/g/a/pom.properties': 'groupId=g\nartifactId=a\nversion=1\n', ...files }).map(([k, v]) => [k, enc(v)])),
        ),
      );
    const license = async (files: Record<string, string>) => (await sinkAndParse(java, '/a.jar', jar(files), 10))!.packages[0]!.licenses;
    const apache = '\n                                 Apache License\n                           Version 2.0, January 2004\n';
    expect(await license({ 'META-INF/LICENSE.txt': apache })).toEqual(['Apache-2.0']);
    expect(await license({ 'META-INF/MANIFEST.MF': 'Bundle-License: https://www.apache.org/licenses/LICENSE-2.0.txt\n' })).toEqual(['Apache-2.0']);
    expect(await license({ 'META-INF/MANIFEST.MF': 'Bundle-License: MIT\n', 'META-INF/LICENSE': apache })).toEqual(['MIT']);
    expect(await license({ 'META-INF/LICENSE': 'Copyright (c) Someone. All rights reserved.\n' })).toEqual([]);
    expect(await license({ 'META-INF/MANIFEST.MF': 'Bundle-License: https://example.org/my-license\n' })).toEqual([]);
  });

  it('drops files that are not zips', async () => {
    expect(await sinkAndParse(java, '/x.jar', Buffer.from('not a zip'), 4)).toBeUndefined();
  });

  it("takes a pom.xml's coordinates when there is no pom.properties (groupId and version from <parent>, ${...} resolved, licenses)", async () => {
    const pom = `<?xml version="1.0"?>
<project>
  <!-- <artifactId>commented-out</artifactId> -->
  <parent><groupId>org.acme.parent</groupId><artifactId>acme-parent</artifactId><version>4.2.0</version></parent>
  <artifactId>widget-\${flavour}</artifactId>
  <properties><flavour>core</flavour></properties>
  <licenses><license><name>Apache-2.0</name></license></licenses>
  <dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>9</version></dependency></dependencies>
</project>`;
    const jar = Buffer.from(
      zipSync({ 'META-INF/MANIFEST.MF': enc('Manifest-Version: 1.0\nImplementation-Version: 0.0.1\n'), 'META-INF/maven/org.acme/widget-core/pom.xml': enc(pom) }),
    );
    const r = (await sinkAndParse(java, '/app/widget-core.jar', jar, 64))!;
    expect(summary(r)).toEqual([{ name: 'widget-core', version: '4.2.0', purl: 'pkg:maven/org.acme.parent/widget-core@4.2.0', licenses: ['Apache-2.0'] }]);
    expect(pomXml('<project><groupId>g</groupId><artifactId>a</artifactId><version>${project.groupId}-1</version></project>')).toMatchObject({
      groupId: 'g',
      artifactId: 'a',
      version: 'g-1',
    });
    // unresolvable references leave the field unknown; unclosed blocks cost linear time
    expect(pomXml('<project><artifactId>a</artifactId><version>${nope}</version></project>').version).toBeUndefined();
    expect(pomXml('<project>' + '<parent>'.repeat(200_000)).artifactId).toBeUndefined();
  });
});

describe('rpm', () => {
  it('rejects unknown database formats with an error the scan records as a warning', async () => {
    await expect(parse(rpm, '/var/lib/rpm/Packages', Buffer.alloc(1024))).rejects.toThrow('unrecognised rpm database format');
  });
});

describe('binary classifiers (programs from release tarballs)', () => {
  const program = (text: string) => Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(70_000, 0x41), Buffer.from(text, 'latin1'), Buffer.alloc(5_000)]);
  const run = async (path: string, content: Buffer, chunk = 4096) => {
    expect(classifiers.match(path, { size: content.length, mode: 0o755 })).toBe(true);
    return (await sinkAndParse(classifiers, path, content, chunk))?.packages ?? [];
  };

  it.each([1, 7, 4096])('finds the version string however the stream is chunked (%i bytes)', async (chunk) => {
    const [p] = await run('/usr/local/bin/node', program('\x00node.js/v20.11.10\x00'), chunk);
    expect(p).toMatchObject({
      name: 'node',
      version: '20.11.10',
      type: 'binary',
      purl: 'pkg:generic/node@20.11.10',
      cpes: ['cpe:2.3:a:nodejs:node.js:20.11.10:*:*:*:*:*:*:*'],
    });
    // at the very end of the file too
    expect(await run('/usr/local/bin/node', Buffer.from('\x7fELFnode.js/v22.1.0'), chunk)).toMatchObject([{ version: '22.1.0' }]);
  });

  it("takes python's version template from the file name, as syft does", async () => {
    expect(await run('/usr/local/bin/python3.12', program('\x003.12.1\x00'))).toMatchObject([{ name: 'python', version: '3.12.1', purl: 'pkg:generic/python@3.12.1' }]);
    expect(await run('/usr/local/lib/libpython3.12.so.1.0', program('\x003.12.1\x00'))).toMatchObject([{ name: 'python', version: '3.12.1' }]);
    // the template is the file's version: another one in the file is not it
    expect(await run('/usr/local/bin/python3.12', program('\x003.11.9\x00'))).toEqual([]);
    expect(classifiers.match('/usr/local/bin/python3', { size: 10, mode: 0o755 })).toBe(false);
  });

  it('knows each classifier by its file names, and no other name', () => {
    const names = [
      'python3.12',
      'libpython3.11.so.1.0',
      'go',
      'go.exe',
      'node',
      'redis-server',
      'busybox',
      'httpd',
      'nginx',
      'postgres',
      'memcached',
      'ruby',
      'bash',
      'openssl',
      'haproxy',
      'composer.phar',
    ];
    const known = (name: string) => classifiers.match(`/usr/local/bin/${name}`, { size: 10, mode: 0o755 });
    for (const name of names) expect([name, known(name)]).toEqual([name, true]);
    // every classifier has a name above, so the quick test before them cannot drop one
    for (const c of CLASSIFIERS) expect([c.name, names.some((n) => c.file.test(n))]).toEqual([c.name, true]);
    for (const name of ['python3', 'libpython.so', 'gox', 'xnode', 'node2', 'bash.bak', 'nginx-debug', 'mycomposer']) expect([name, known(name)]).toEqual([name, false]);
  });

  it('lists nothing for a known name without a version string, and ignores other names', async () => {
    expect(await run('/usr/local/bin/redis-server', program('no version here'))).toEqual([]);
    expect(classifiers.match('/usr/local/bin/nodejs-helper', { size: 10, mode: 0o755 })).toBe(false);
    expect(classifiers.match('/app/node_modules/.bin/node', { size: 0, mode: 0o755 })).toBe(false);
  });

  it('drops a program an OS package owns (dpkg md5sums, merged /usr spellings; apk database) and keeps the rest', async () => {
    const bash = await run('/usr/bin/bash', program('@(#)Bash version 5.2.15(1) release GNU'));
    const busybox = await run('/bin/busybox', program('BusyBox v1.36.1 (2024-01-01)'));
    const node = await run('/usr/local/bin/node', program('node.js/v20.11.1'));
    expect([bash, busybox, node].map((p) => p.length)).toEqual([1, 1, 1]);
    const list = await sinkAndParse(classifiers, '/var/lib/dpkg/info/bash.md5sums', Buffer.from('0123  bin/bash\n4567  usr/share/doc/bash/copyright\n'), 5);
    const apkDb = await sinkAndParse(classifiers, '/lib/apk/db/installed', Buffer.from('P:busybox\nV:1.36.1-r0\nF:bin\nR:busybox\nR:sh\n\n'), 3);
    expect(list!.packages.map((p) => p.path)).toEqual(['/bin/bash']);
    expect(apkDb!.packages.map((p) => p.path)).toEqual(['/bin/busybox']);
    const settled = dropOwnedBinaries([...bash, ...busybox, ...node, ...node, ...list!.packages, ...apkDb!.packages]);
    expect(settled.map((p) => `${p.name}@${p.version}`)).toEqual(['node@20.11.1']);
  });
});
