import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { packageTable, parseOutputs, withProgress } from '../../../src/cli/sbom.js';
import { TarArchive } from '../../../src/image/archive.js';
import { choosePlatform, hostPlatform, openImage, parseSource, type OpenedImage } from '../../../src/image/source.js';
import type { Pkg } from '../../../src/catalogers/types.js';
import { buildFixtureLayout } from '../../../test/stack/stack.mjs';
import { tar } from '../helpers/tar.js';

// Image sources on disk (OCI layout, its tar, docker save output) give the
// same manifest digest, layers and bytes as the registry would, and every
// mistake a user can make names the fix.

let dir: string;
let layout: string;
let manifestDigest: string;

async function readAll(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) parts.push(c);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'source-unit-'));
  layout = join(dir, 'layout');
  manifestDigest = await buildFixtureLayout(layout, 'v1');
  execFileSync('tar', ['-C', layout, '-cf', join(dir, 'layout.tar'), '.']);
  execFileSync('skopeo', ['copy', '--quiet', `oci:${layout}:v1`, `docker-archive:${join(dir, 'docker.tar')}:example.org/app:v1`]);
}, 120_000);

describe('parseSource', () => {
  it('reads syft/skopeo style prefixes, an optional tag after an existing path, and bare registry references', () => {
    expect(parseSource(`oci-dir:${layout}:v1`)).toEqual({ kind: 'oci-dir', target: layout, ref: 'v1' });
    expect(parseSource(`oci-dir:${layout}`)).toEqual({ kind: 'oci-dir', target: layout, ref: undefined });
    expect(parseSource(`docker-archive:${dir}/docker.tar:example.org/app:v1`)).toEqual({
      kind: 'docker-archive',
      target: `${dir}/docker.tar`,
      ref: 'example.org/app:v1',
    });
    expect(parseSource('ghcr.io/org/app:v1')).toEqual({ kind: 'registry', target: 'ghcr.io/org/app:v1' });
    expect(parseSource('registry:ghcr.io/org/app:v1')).toEqual({ kind: 'registry', target: 'ghcr.io/org/app:v1' });
    expect(parseSource('docker://ghcr.io/org/app')).toEqual({ kind: 'registry', target: 'ghcr.io/org/app' });
    expect(parseSource('registry:5000/org/app:v1')).toEqual({ kind: 'registry', target: 'registry:5000/org/app:v1' });
  });
});

describe('openImage from files', () => {
  const expectFixture = async (img: OpenedImage) => {
    expect(img.platform).toBe('linux/amd64');
    expect(img.layers).toHaveLength(2);
    for (const l of img.layers) expect((await readAll(await img.openBlob(l.digest))).length).toBeGreaterThan(0);
  };

  it('oci-dir and oci-archive: the manifest digest and its layers, blobs checked', async () => {
    for (const src of [`oci-dir:${layout}:v1`, `oci-dir:${layout}`, `oci-archive:${dir}/layout.tar`, `oci-archive:${dir}/layout.tar:v1`]) {
      const img = await openImage(parseSource(src));
      expect(img.digest).toBe(manifestDigest);
      await expectFixture(img);
    }
  });

  it('docker-archive: identified by its config digest, layers by diff_id, with the saved tag as its name', async () => {
    const img = await openImage(parseSource(`docker-archive:${dir}/docker.tar`));
    const manifest = JSON.parse(readFileSync(join(layout, 'blobs/sha256', manifestDigest.slice(7)), 'utf8')) as { config: { digest: string } };
    const config = JSON.parse(readFileSync(join(layout, 'blobs/sha256', manifest.config.digest.slice(7)), 'utf8')) as { rootfs: { diff_ids: string[] } };
    expect(img.name).toBe('example.org/app:v1');
    expect(img.digest).toBe(manifest.config.digest);
    expect(img.layers.map((l) => l.digest)).toEqual(config.rootfs.diff_ids);
    await expectFixture(img);
  });

  it('refuses an unknown tag, a missing layout, a gzipped archive, and docker save output given as oci-archive, each naming the fix', async () => {
    await expect(openImage(parseSource(`oci-dir:${layout}:nope`))).rejects.toThrow(/no image tagged "nope"; the layout has v1: pass one of them/);
    await expect(openImage(parseSource(`oci-dir:${dir}`))).rejects.toThrow(/not an OCI image layout \(no index.json\); pass a directory written by skopeo/);
    writeFileSync(join(dir, 'layout.tar.gz'), gzipSync(readFileSync(join(dir, 'layout.tar'))));
    await expect(openImage(parseSource(`oci-archive:${dir}/layout.tar.gz`))).rejects.toThrow(/gzip-compressed; decompress it first/);
    await expect(openImage(parseSource(`oci-archive:${dir}/docker.tar`))).rejects.toThrow(/use docker-archive:/);
    await expect(openImage(parseSource(`docker-archive:${dir}/layout.tar`))).rejects.toThrow(/no manifest.json.*use oci-archive:/);
    await expect(openImage(parseSource(`docker-archive:${dir}/docker.tar:other:v2`))).rejects.toThrow(/no image tagged other:v2; it has example.org\/app:v1/);
  });

  it('a blob whose bytes do not match its digest fails the read', async () => {
    const copy = join(dir, 'corrupt');
    cpSync(layout, copy, { recursive: true });
    const img = await openImage(parseSource(`oci-dir:${copy}`));
    const layer = img.layers[0]!;
    const path = join(copy, 'blobs/sha256', layer.digest.slice(7));
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(path, bytes);
    await expect(readAll(await img.openBlob(layer.digest))).rejects.toThrow(/does not match its digest; the layout is corrupt/);
  });
});

describe('TarArchive', () => {
  it('finds members under pax, GNU and ustar-prefix long names and reads their bytes in place', async () => {
    const long = `blobs/sha256/${'a'.repeat(64)}/${'deep/'.repeat(25)}file`;
    const path = join(dir, 'names.tar');
    writeFileSync(
      path,
      tar([
        { path: 'index.json', body: '{}' },
        { path: long, body: 'pax', longName: 'pax' },
        { path: `${long}2`, body: 'gnu', longName: 'gnu' },
        { path: `${'p'.repeat(120)}/x`, body: 'prefix', longName: 'prefix' },
        { path: 'dir/', type: 'dir' },
      ]),
    );
    const t = await TarArchive.open(path, 'oci-archive');
    expect((await t.read('./index.json'))?.toString()).toBe('{}');
    expect((await t.read(long))?.toString()).toBe('pax');
    expect((await readAll(t.stream(`${long}2`)!)).toString()).toBe('gnu');
    expect((await t.read(`${'p'.repeat(120)}/x`))?.toString()).toBe('prefix');
    expect(t.has('dir')).toBe(false);
  });

  it('refuses a file that is not a tar, and one cut short', async () => {
    writeFileSync(join(dir, 'junk.tar'), Buffer.alloc(1024, 7));
    await expect(TarArchive.open(join(dir, 'junk.tar'), 'oci-archive')).rejects.toThrow(/is not a tar archive/);
    const whole = tar([{ path: 'index.json', body: 'x'.repeat(2000) }]);
    writeFileSync(join(dir, 'short.tar'), whole.subarray(0, 1024));
    await expect(TarArchive.open(join(dir, 'short.tar'), 'oci-archive')).rejects.toThrow(/is truncated/);
  });
});

describe('choosePlatform', () => {
  const d = (os: string, architecture: string, variant?: string) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${os}${architecture}${variant ?? ''}`,
    size: 1,
    platform: { os, architecture, variant },
  });
  const list = [d('linux', 'amd64'), d('linux', 'arm64', 'v8'), d('linux', 'arm', 'v7'), d('unknown', 'unknown')];

  it('takes --platform with or without a variant, else the host platform, else the only image', () => {
    expect(choosePlatform(list, 'linux/arm/v7', 'x').digest).toBe('sha256:linuxarmv7');
    expect(choosePlatform(list, 'linux/arm64', 'x').digest).toBe('sha256:linuxarm64v8');
    const [os, arch] = hostPlatform().split('/') as [string, string];
    expect(choosePlatform([d('windows', 'amd64'), d(os, arch)], undefined, 'x').digest).toBe(`sha256:${os}${arch}`);
    expect(choosePlatform([d('linux', 's390x'), d('unknown', 'unknown')], undefined, 'x').digest).toBe('sha256:linuxs390x');
  });

  it('lists what the index has when the platform is not there', () => {
    expect(() => choosePlatform(list, 'linux/ppc64le', 'idx')).toThrow(
      '--platform linux/ppc64le: idx has no such image; it has linux/amd64, linux/arm64/v8, linux/arm/v7',
    );
    expect(() => choosePlatform([d('windows', 'x'), d('plan9', 'y')], undefined, 'idx')).toThrow(/pass --platform with one of windows\/x, plan9\/y/);
  });
});

describe('sbom command helpers', () => {
  it('parses -o FORMAT and FORMAT=FILE, table by default, at most one to stdout', () => {
    expect(parseOutputs([])).toEqual([{ format: 'table' }]);
    expect(parseOutputs(['cyclonedx-json=a.json', 'spdx-json=b.json', 'table'])).toEqual([
      { format: 'cyclonedx', file: 'a.json' },
      { format: 'spdx', file: 'b.json' },
      { format: 'table', file: undefined },
    ]);
    expect(() => parseOutputs(['spdx-json', 'table'])).toThrow('only one -o may go to stdout; give the others a file: -o FORMAT=FILE');
    expect(() => parseOutputs(['xml'])).toThrow(/unknown format "xml"; use one of cyclonedx-json, spdx-json, table/);
    expect(() => parseOutputs(['spdx-json='])).toThrow(/no file after "="/);
  });

  it('prints NAME VERSION TYPE, one sorted row per distinct package', () => {
    const p = (name: string, version: string, type: Pkg['type']) => ({ name, version, type }) as Pkg;
    expect(packageTable([p('zlib1g', '1:1.2.13', 'deb'), p('lodash', '4.17.21', 'npm'), p('zlib1g', '1:1.2.13', 'deb')])).toBe(
      'NAME    VERSION   TYPE\nlodash  4.17.21   npm\nzlib1g  1:1.2.13  deb\n',
    );
    expect(packageTable([])).toBe('No packages discovered\n');
  });

  it('reports how far into a slow layer the read is, and stops when the layer ends', async () => {
    const lines: string[] = [];
    const image: OpenedImage = {
      name: 'x',
      digest: 'sha256:0',
      layers: [{ digest: 'sha256:aaaa', mediaType: '', size: 3_000_000 }],
      openBlob: async () =>
        Readable.from(
          (async function* () {
            for (let i = 0; i < 3; i++) {
              yield Buffer.alloc(1_000_000);
              await new Promise((r) => setTimeout(r, 60));
            }
          })(),
        ),
    };
    const bytes = await readAll(await withProgress(image, (l) => lines.push(l), 20)('sha256:aaaa'));
    expect(bytes.length).toBe(3_000_000);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^layer 1\/1 sha256:aaaa: \d\.\d MB read of 3\.0 MB \(\d+%\)$/);
    const after = lines.length;
    await new Promise((r) => setTimeout(r, 80));
    expect(lines.length).toBe(after);
  });
});
