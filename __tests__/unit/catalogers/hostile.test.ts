import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { bdbValues } from '../../../src/catalogers/rpm/bdb.js';
import { parseRpmHeader } from '../../../src/catalogers/rpm/header.js';
import { ndbBlobs } from '../../../src/catalogers/rpm/ndb.js';
import { dpkg } from '../../../src/catalogers/dpkg.js';
import { archiveFacts, java } from '../../../src/catalogers/java.js';
import {
  MAX_AUDIT_JSON,
  MAX_COMPONENTS,
  MAX_HELD_PACKAGES,
  MAX_INFLATED_PER_ARCHIVE,
  MAX_NESTED_ARCHIVE,
  MAX_NESTED_ARCHIVES,
  MAX_NESTING_DEPTH,
  MAX_RPM_HEADER_TAGS,
} from '../../../src/catalogers/limits.js';
import { rpm } from '../../../src/catalogers/rpm.js';
import { rust } from '../../../src/catalogers/rust.js';
import { ScanLimitError, type Cataloger, type ScanContext, type ScanProblem } from '../../../src/catalogers/types.js';
import { readEntry, zipEntries, ZipError } from '../../../src/catalogers/zip.js';
import { LayeredFs, type FileWant } from '../../../src/image/filesystem.js';
import { scanImage } from '../../../src/sbom/catalog.js';
import { annotateProblems, MAX_PROBLEM_ANNOTATIONS } from '../../../src/sbom/step.js';
import {
  deepNestedJar,
  dpkgStatus,
  fanOutNestedJar,
  hostileRpmHeader,
  loopingBdb,
  ndbDatabase,
  overlapBombJar,
  tar,
  zip,
  zip64CountJar,
} from '../../../test/hostile/layers.mjs';
import { tar as paxTar } from '../helpers/tar.js';
import { debian, parse } from './helpers.js';

// One test per hostile input class of issue 15, at the level of the reader
// that bounds it. Memory and time of the same inputs through the bundled
// action are checked in __tests__/e2e/hostile-layers.test.ts.

const leaf = (name: string) =>
  zip([
    { name: 'META-INF/MANIFEST.MF', body: 'Manifest-Version: 1.0\n' },
    { name: `META-INF/maven/org.example/${name}/pom.properties`, body: `groupId=org.example\nartifactId=${name}\nversion=1.0.0\n` },
  ]);

function scanContext(): ScanContext & { problems: string[] } {
  const problems: string[] = [];
  return { inflatedBytes: 0, problems, warn: (path, message) => problems.push(`${path}: ${message}`) };
}

describe('zip reader', () => {
  it('reads a well-formed zip, stored and deflated', () => {
    const z = zip([
      { name: 'a.txt', body: 'stored' },
      { name: 'b.txt', body: 'deflated '.repeat(100), deflate: true },
    ]);
    const entries = zipEntries(z);
    expect(entries.map((e) => [e.name, readEntry(z, e).toString()])).toEqual([
      ['a.txt', 'stored'],
      ['b.txt', 'deflated '.repeat(100)],
    ]);
  });

  it('refuses overlapping entries (the zip bomb that names one kernel 40 times)', () => {
    expect(() => zipEntries(overlapBombJar(40, 1024))).toThrow(/entries BOOT-INF\/lib\/x0\.jar and BOOT-INF\/lib\/x1\.jar overlap/);
  });

  it('refuses an entry count the central directory cannot hold (zip64 claiming 2^31)', () => {
    expect(() => zipEntries(zip64CountJar())).toThrow(new ZipError('claims 2147483648 entries, but its 66-byte central directory holds at most 1'));
  });

  it('refuses a central directory outside the file', () => {
    const z = Buffer.from(zip([{ name: 'a', body: 'x' }]));
    z.writeUInt32LE(0x7fffffff, z.length - 6); // directory offset
    expect(() => zipEntries(z)).toThrow(/lies outside/);
  });

  it('stops inflating at the declared size', () => {
    const z = Buffer.from(zip([{ name: 'a', body: Buffer.alloc(1 << 20), deflate: true }]));
    const [entry] = zipEntries(z);
    expect(() => readEntry(z, { ...entry!, size: 1000 })).toThrow(/inflates past its declared 1000 bytes/);
  });
});

describe('java archives', () => {
  it('reports overlapping entries and reads nothing from the archive', () => {
    const scan = scanContext();
    const sink = java.sink!('/app/bomb.jar', { size: 0, mode: 0o644 }, scan);
    sink.push(overlapBombJar());
    expect(sink.end()).toBeUndefined();
    expect(scan.problems).toEqual([expect.stringMatching(/^\/app\/bomb\.jar: not read: entries .* overlap$/)]);
    expect(scan.inflatedBytes).toBe(0);
  });

  it('refuses the fan-out nest at its first level', () => {
    expect(() => archiveFacts('nest.jar', fanOutNestedJar())).toThrow(/overlap/);
  });

  it(`reads ${MAX_NESTING_DEPTH} levels of nesting and names the archive below them`, () => {
    const { facts, problems } = archiveFacts('deep.jar', deepNestedJar(10));
    let depth = 0;
    for (let f = facts; f.nested[0]; f = f.nested[0]) depth++;
    expect(depth).toBe(MAX_NESTING_DEPTH);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^deep\\.jar(!/lib/level\\d\\.jar){${MAX_NESTING_DEPTH + 1}}: nested deeper than ${MAX_NESTING_DEPTH} archives, not read$`)),
    ]);
  });

  it('stops at the per-archive inflate budget and says so', () => {
    const size = MAX_NESTED_ARCHIVE - 1024; // each entry just under the nested-archive cap
    const deflated = deflateRawSync(Buffer.alloc(size));
    const n = Math.ceil(MAX_INFLATED_PER_ARCHIVE / size) + 1;
    const jar = zip(Array.from({ length: n }, (_, i) => ({ name: `lib/z${i}.jar`, deflated, size })));
    const scan = scanContext();
    const { problems } = archiveFacts('big.war', jar, scan);
    const over = problems.filter((p) => p.includes('inflate limit reached'));
    expect(over).toHaveLength(n - Math.floor(MAX_INFLATED_PER_ARCHIVE / size));
    expect(scan.inflatedBytes).toBeLessThanOrEqual(MAX_INFLATED_PER_ARCHIVE);
  });

  it(`opens at most ${MAX_NESTED_ARCHIVES} nested archives under one archive`, () => {
    const inner = leaf('x');
    const jar = zip(Array.from({ length: MAX_NESTED_ARCHIVES + 5 }, (_, i) => ({ name: `lib/x${String(i).padStart(5, '0')}.jar`, body: inner })));
    const { facts, problems } = archiveFacts('many.jar', jar);
    expect(facts.nested).toHaveLength(MAX_NESTED_ARCHIVES);
    expect(problems).toEqual([`many.jar: more than ${MAX_NESTED_ARCHIVES} nested archives, the rest not read`]);
  });
});

describe('rpm databases', () => {
  it('refuses a string array whose count its data cannot hold, after reading one such tag, not 60,000', async () => {
    expect(() => parseRpmHeader(hostileRpmHeader(60_000, 0xffffffff, 1 << 20))).toThrow(/tag 1049 claims 4294967295 strings in 1048576 bytes/);
    const warned: string[] = [];
    const r = await rpm.parse({ path: '/var/lib/rpm/Packages.db', layer: 'sha256:l', content: ndbDatabase(hostileRpmHeader()) }, { warn: (m) => warned.push(m) });
    expect(r.packages).toEqual([]);
    expect(warned).toEqual([expect.stringMatching(/^record skipped: rpm header tag 1049 claims/)]);
  });

  it(`refuses more than rpm's ${MAX_RPM_HEADER_TAGS} tags`, () => {
    const blob = Buffer.alloc(8);
    blob.writeUInt32BE(MAX_RPM_HEADER_TAGS + 1, 0);
    expect(() => parseRpmHeader(blob)).toThrow(/over rpm's limits/);
  });

  it('still reads the header when its counts are honest', () => {
    const h = parseRpmHeader(hostileRpmHeader(3, 2, 64));
    expect([h.name, h.version, h.release]).toEqual(['evil', '1.0', '1']);
  });

  it('refuses ndb slots whose blobs overlap (one blob counted many times)', () => {
    const db = ndbDatabase(hostileRpmHeader(3, 1, 16));
    db.writeUInt32LE(0x746f6c53, 48);
    db.writeUInt32LE(db.readUInt32LE(40), 56); // a second slot → the same blob
    db.writeUInt32LE(1, 60);
    expect(() => [...ndbBlobs(db)]).toThrow(/overlap/);
  });

  it('detects a BerkeleyDB overflow chain that loops, value by value', () => {
    const skipped: string[] = [];
    const values = [...bdbValues(loopingBdb(5, 64, 4096), (why) => skipped.push(why))];
    expect(values).toEqual([]);
    expect(skipped).toHaveLength(5);
    expect(skipped[0]).toBe('page 1 item 1: overflow chain revisits page 2 (a loop, or pages shared by two values)');
  });

  it('refuses a BerkeleyDB page size that is not a power of two from 512 to 64 KiB', () => {
    const db = loopingBdb(1, 4, 4096);
    db.writeUInt32LE(0, 20);
    expect(() => [...bdbValues(db)]).toThrow(/page size 0 is invalid/);
  });
});

describe('cargo-auditable data', () => {
  it(`stops inflating at ${MAX_AUDIT_JSON} bytes (a zlib bomb in .dep-v0)`, async () => {
    const bomb = deflateSync(Buffer.alloc(MAX_AUDIT_JSON + 1, ' '));
    await expect(parse(rust, '/usr/bin/app', bomb)).rejects.toThrow(`cargo-auditable data inflates past the ${MAX_AUDIT_JSON}-byte limit`);
  });
});

describe('component limit', () => {
  it(`dpkg stops at ${MAX_COMPONENTS} packages with a ScanLimitError instead of building 400,000`, async () => {
    await expect(parse(dpkg, '/var/lib/dpkg/status', dpkgStatus(MAX_COMPONENTS + 1), debian)).rejects.toThrow(ScanLimitError);
    expect((await parse(dpkg, '/var/lib/dpkg/status', dpkgStatus(MAX_COMPONENTS), debian)).packages).toHaveLength(MAX_COMPONENTS);
  });

  const layer = (entries: Parameters<typeof tar>[0]) => ({ digest: `sha256:${entries.length}`, open: async () => Readable.from([tar(entries)]) });

  it('fails the scan when the file that broke it is still in the image', async () => {
    await expect(scanImage([layer([{ path: 'var/lib/dpkg/status', body: dpkgStatus(MAX_COMPONENTS + 1) }])], [dpkg])).rejects.toThrow(
      new ScanLimitError(`/var/lib/dpkg/status (layer sha256:1) lists more than ${MAX_COMPONENTS} packages (the SBOM component limit)`),
    );
  });

  it('does not fail when a later layer removed that file', async () => {
    const r = await scanImage(
      [layer([{ path: 'var/lib/dpkg/status', body: dpkgStatus(MAX_COMPONENTS + 1) }]), layer([{ path: 'var/lib/dpkg/.wh.status' }, { path: 'x' }])],
      [dpkg],
    );
    expect(r.packages).toEqual([]);
  });

  it(`bounds what is held mid-scan at ${MAX_HELD_PACKAGES} packages, even if a later layer might remove them`, async () => {
    const per = MAX_COMPONENTS - 1;
    const n = Math.floor(MAX_HELD_PACKAGES / per) + 1;
    const files = Array.from({ length: n }, (_, i) => ({ path: `var/lib/dpkg/status.d/p${i}`, body: dpkgStatus(per).replace(/Package: p/g, `Package: f${i}p`) }));
    await expect(scanImage([layer(files), layer([{ path: 'var/lib/dpkg/.wh.status.d' }])], [dpkg])).rejects.toThrow(
      `layer sha256:${n}: more than ${MAX_HELD_PACKAGES} packages held while scanning`,
    );
  });

  it('fails the scan when files together exceed it', async () => {
    const half = Math.ceil((MAX_COMPONENTS + 1) / 2);
    const files = [0, 1].map((i) => ({ path: `var/lib/dpkg/status.d/p${i}`, body: dpkgStatus(half).replace(/Package: p/g, `Package: f${i}p`) }));
    await expect(scanImage([layer(files)], [dpkg])).rejects.toThrow(/the image holds \d+ packages, more than the SBOM component limit/);
  });
});

describe('a limit hit mid-layer', () => {
  it('closes the layer stream it stops reading (an open registry connection would keep the action alive)', async () => {
    const boom: Cataloger = {
      name: 'boom',
      match: (p) => p === '/boom',
      sink: () => ({
        push() {
          throw new ScanLimitError('boom');
        },
        end: () => undefined,
      }),
      parse: () => ({ packages: [], relationships: [] }),
    };
    const raw = new Readable({ read() {} }); // a blob whose rest never arrives
    raw.push(tar([{ path: 'boom', body: 'x' }]).subarray(0, 1024));
    await expect(scanImage([{ digest: 'sha256:l0', open: async () => raw }], [boom])).rejects.toThrow('boom');
    expect(raw.destroyed).toBe(true);
  });
});

describe('whiteouts', () => {
  const json: FileWant = { name: 'json', match: (p) => p.endsWith('.json') };
  const apply = async (fs: LayeredFs, layers: Parameters<typeof tar>[0][]) => {
    for (const [i, entries] of layers.entries()) {
      await fs.applyLayer(
        i,
        `sha256:l${i}`,
        (async function* () {
          yield tar(entries);
        })(),
      );
    }
  };
  const visible = (fs: LayeredFs) => [...fs.live()].map((c) => c.path).sort();

  it('removes lower paths but keeps the same layer’s, whatever the order in the layer', async () => {
    const fs = new LayeredFs([json]);
    await apply(fs, [
      [{ path: 'd/a/x.json' }, { path: 'd/b.json' }, { path: 'e/keep.json' }],
      [{ path: 'd/a/new.json' }, { path: 'd/.wh.a' }, { path: 'd/.wh.a' }, { path: 'd/.wh..wh..opq' }, { path: 'd/c.json' }],
      [{ path: 'd/.wh.c.json' }],
    ]);
    expect(visible(fs)).toEqual(['/d/a/new.json', '/e/keep.json']);
  });

  it('handles a path 20,000 components deep without recursion', async () => {
    const deep = Array.from({ length: 20_000 }, () => 'a').join('/');
    const fs = new LayeredFs([json]);
    for (const [i, entries] of [[{ path: `${deep}/x.json`, body: '{}', longName: 'pax' as const }], [{ path: '.wh.a' }]].entries()) {
      await fs.applyLayer(
        i,
        `sha256:l${i}`,
        (async function* () {
          yield paxTar(entries);
        })(),
      );
      if (i === 0) expect(visible(fs)).toHaveLength(1);
    }
    expect(visible(fs)).toEqual([]);
  });
});

describe('scanner problems as annotations', () => {
  it(`one ::warning:: per problem, titled with the file, at most ${MAX_PROBLEM_ANNOTATIONS}, then one counting the rest`, () => {
    const calls: [string, { title?: string }][] = [];
    const problems: { where: string; problem: ScanProblem }[] = Array.from({ length: 13 }, (_, i) => ({
      where: 'reg/app@sha256:abc',
      problem: { path: `/app/x${i}.jar`, layer: 'sha256:l1', message: `not read: entries a and b overlap` },
    }));
    annotateProblems(problems, (message, props) => calls.push([String(message), props ?? {}]));
    expect(calls).toHaveLength(MAX_PROBLEM_ANNOTATIONS + 1);
    expect(calls[0]).toEqual(['SBOM for reg/app@sha256:abc: /app/x0.jar (layer sha256:l1): not read: entries a and b overlap', { title: 'SBOM scan: /app/x0.jar' }]);
    expect(calls[MAX_PROBLEM_ANNOTATIONS]![0]).toMatch(/^3 more SBOM scanner problems not shown here/);
  });

  it('nothing when there is nothing to say', () => {
    const calls: unknown[] = [];
    annotateProblems([], (m) => calls.push(m));
    expect(calls).toEqual([]);
  });
});
