// Hand-made archives for each way a tar reader can disagree with Go's
// archive/tar (what containerd and moby unpack with). Each case asserts that
// our reader lists exactly what Go lists, and what that is.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { comparable, goList, goTarlist, goVersion, nodeList } from '../helpers/tarlist.js';
import { END, file, gnuLong, header, numeric, padded, pax, sparseExtension } from '../helpers/tarbuild.js';

beforeAll(() => {
  goTarlist();
}, 120_000);

// Both views, equal at every chunking; returns Go's lines (errors as "error").
async function same(archive: Buffer, chunks = [archive.length || 1, 1, 100, 512, 4096]): Promise<string[]> {
  const go = comparable(await goList(archive));
  for (const chunk of chunks) expect(comparable(await nodeList(archive, chunk))).toEqual(go);
  return go;
}

const names = (lines: string[]) => lines.map((l) => l.split('\t')[0]);
const flags = (lines: string[]) => lines.map((l) => l.split('\t')[1]);
const hidden = file('app/node_modules/hidden/package.json', '{"name":"hidden","version":"6.6.6"}');

describe('end of archive', () => {
  it('stops at two zero blocks: entries after them do not exist', async () => {
    const lines = await same(Buffer.concat([file('a', 'x'), END, file('var/lib/dpkg/.wh.status'), hidden, END]));
    expect(names(lines)).toEqual(['a', 'end']);
  });

  it('ends cleanly at one zero block then the end of the stream', async () => {
    expect(names(await same(Buffer.concat([file('a', 'x'), Buffer.alloc(512)])))).toEqual(['a', 'end']);
  });

  it('refuses a zero block followed by a header', async () => {
    expect(await same(Buffer.concat([file('a', 'x'), Buffer.alloc(512), hidden, END]))).toEqual([expect.stringMatching(/^a\t/), 'error']);
  });

  it('ends cleanly without any zero block, and when the last padding is cut short', async () => {
    expect(names(await same(file('a', 'x')))).toEqual(['a', 'end']);
    expect(names(await same(file('a', 'x').subarray(0, 600)))).toEqual(['a', 'end']);
  });

  it('refuses a header or data cut short', async () => {
    expect(await same(file('a', 'x').subarray(0, 300))).toEqual(['error']);
    expect(await same(file('a', 'x'.repeat(600)).subarray(0, 700))).toEqual(['error']);
  });
});

describe('header-only entry types have no data, whatever their size says', () => {
  // The "data" of the directory is the header of a file the runtime installs.
  for (const [flag, name] of [
    ['1', 'link'],
    ['2', 'symlink'],
    ['3', 'char device'],
    ['4', 'block device'],
    ['5', 'directory'],
    ['6', 'FIFO'],
  ] as const) {
    it(`reads the next header right after a ${name} with a size`, async () => {
      const lines = await same(Buffer.concat([header({ name: 'x/', flag, size: hidden.length, link: 'a' }), hidden, END]));
      expect(names(lines)).toEqual(['x/', 'app/node_modules/hidden/package.json', 'end']);
      expect(lines[0]!.split('\t')[2]).toBe(String(hidden.length)); // Go still reports the claimed size
    });
  }

  it('treats an old-style regular file (flag NUL) named with a trailing slash as a directory', async () => {
    const lines = await same(Buffer.concat([header({ name: 'olddir/', flag: 0, size: hidden.length }), hidden, file('plain', 'p', { flag: 0 }), END]));
    expect(flags(lines)).toEqual(['5', '0', '0', undefined]);
    expect(names(lines)).toEqual(['olddir/', 'app/node_modules/hidden/package.json', 'plain', 'end']);
  });

  it('reads data after contiguous files and unknown types', async () => {
    expect(names(await same(Buffer.concat([file('c', 'cc', { flag: '7' }), file('u', hidden, { flag: 'A' }), END])))).toEqual(['c', 'u', 'end']);
  });
});

describe('pax and GNU long-name state', () => {
  it('keeps only the last pax header before an entry', async () => {
    const lines = await same(Buffer.concat([pax([['path', 'usr/lib/evil']]), pax([['linkpath', 'l']]), file('real', 'r'), END]));
    expect(names(lines)).toEqual(['real', 'end']);
  });

  it('prefers a GNU long name over a pax path, before or after it', async () => {
    const long = `long/${'n'.repeat(150)}`;
    expect(names(await same(Buffer.concat([gnuLong(long), pax([['path', 'paxname']]), file('short', 's'), END])))).toEqual([long, 'end']);
    expect(names(await same(Buffer.concat([pax([['path', 'paxname']]), gnuLong(long), file('short', 's'), END])))).toEqual([long, 'end']);
  });

  it('keeps the last of several long names, and ignores an empty one', async () => {
    expect(names(await same(Buffer.concat([gnuLong('first'), gnuLong('second'), file('short'), END])))).toEqual(['second', 'end']);
    expect(names(await same(Buffer.concat([gnuLong(''), file('short'), END])))).toEqual(['short', 'end']);
  });

  it('applies long link names and pax linkpath to the link target', async () => {
    const lines = await same(
      Buffer.concat([
        gnuLong('target/long', 'K'),
        header({ name: 's', flag: '2', link: 'short' }),
        pax([['linkpath', 'paxlink']]),
        header({ name: 'h', flag: '1', link: 'x' }),
        END,
      ]),
    );
    expect(lines.slice(0, 2).map((l) => l.split('\t')[3])).toEqual(['target/long', 'paxlink']);
  });

  it('lists a global pax header as an entry; its records change nothing after it, and it drops pending meta headers', async () => {
    const lines = await same(
      Buffer.concat([
        gnuLong('lost'),
        pax([['path', 'gname']], 'g', 'pax_global_header'),
        file('f', 'x'),
        pax([['path', 'p']]),
        pax([['size', '1']], 'g'),
        file('g', 'y'),
        END,
      ]),
    );
    expect(names(lines)).toEqual(['gname', 'f', 'PaxHeaders/x', 'g', 'end']);
    expect(flags(lines)).toEqual(['g', '0', 'g', '0', undefined]);
  });

  it('takes the size from pax, and refuses a bad or negative one', async () => {
    expect((await same(Buffer.concat([pax([['size', '3']]), header({ name: 'f', size: 0 }), padded('abc'), END])))[0]).toMatch(/^f\t0\t3\t/);
    expect(await same(Buffer.concat([pax([['size', '-1']]), file('f'), END]))).toEqual(['error']);
    expect(await same(Buffer.concat([pax([['size', '1x']]), file('f'), END]))).toEqual(['error']);
    expect(names(await same(Buffer.concat([pax([['size', '-1']]), header({ name: 'd/', flag: '5' }), END])))).toEqual(['d/', 'end']);
  });

  it('refuses malformed pax records and bad times or ids, ignores empty values', async () => {
    const raw = (body: string) => Buffer.concat([header({ name: 'p', flag: 'x', size: body.length }), padded(body), file('f'), END]);
    for (const body of ['5 a=b\n', '9 path=a\r', '11 path=a\n', 'x path=a\n', '7 =abc\n', '8 noeq\n\n']) expect(await same(raw(body))).toEqual(['error']);
    for (const [k, v] of [
      ['mtime', '.5'],
      ['mtime', '1.5x'],
      ['uid', 'x'],
      ['gid', ''],
    ] as [string, string][])
      await same(Buffer.concat([pax([[k, v]]), file('f'), END]));
    expect(names(await same(Buffer.concat([pax([['path', '']]), file('f'), END])))).toEqual(['f', 'end']);
    expect(names(await same(raw('+0014 path=ab\n')))).toEqual(['ab', 'end']);
  });

  it('refuses pax and long-name bodies over 1 MiB (Go maxSpecialFileSize) and accepts 1 MiB', async () => {
    const big = Buffer.alloc((1 << 20) + 1, 'a');
    const chunks = [4096, 65536];
    expect(await same(Buffer.concat([header({ name: 'L', flag: 'L', size: big.length, format: 'gnu' }), padded(big), file('f'), END]), chunks)).toEqual(['error']);
    expect(await same(Buffer.concat([header({ name: 'x', flag: 'x', size: big.length }), padded(big), file('f'), END]), chunks)).toEqual(['error']);
    const name = Buffer.alloc(1 << 20, 'b');
    expect((await same(Buffer.concat([header({ name: 'L', flag: 'L', size: name.length, format: 'gnu' }), padded(name), file('f'), END]), chunks)).length).toBe(2);
  });
});

describe('headers', () => {
  it('refuses a bad checksum and accepts a signed-sum checksum', async () => {
    expect(await same(Buffer.concat([file('a', 'x'), file('b', 'y', { checksum: 'bad' }), END]))).toEqual([expect.stringMatching(/^a\t/), 'error']);
    expect(names(await same(Buffer.concat([file(Buffer.from('caf\xe9', 'latin1'), 'y', { checksum: 'signed' }), END])))).toEqual(['caf%E9', 'end']);
  });

  it('reads base-256 sizes and refuses unparsable numeric fields', async () => {
    const h = header({ name: 'b', size: 0 });
    numeric(h, 124, 12, 5n);
    h[124] = 0x80;
    expect(await same(Buffer.concat([header({ name: 'b', size: 3, edit: (b) => numeric(b, 124, 12, 3n) }), padded('abc'), END]))).toHaveLength(2);
    const b256 = header({ name: 'b', edit: (b) => (b.fill(0, 124, 136), (b[124] = 0x80), (b[135] = 3)) });
    expect((await same(Buffer.concat([b256, padded('abc'), END])))[0]).toMatch(/^b\t0\t3\t/);
    expect(await same(Buffer.concat([header({ name: 'm', edit: (b) => b.write('9', 100) }), END]))).toEqual(['error']);
    expect(await same(Buffer.concat([header({ name: 'n', size: -5n }), END]))).toEqual(['error']);
    expect(names(await same(Buffer.concat([header({ name: 'd/', flag: '5', size: -5n }), END])))).toEqual(['d/', 'end']);
  });

  it('joins ustar prefixes, star prefixes, and the pre-Go-1.8 GNU prefix fallback', async () => {
    expect(names(await same(Buffer.concat([file('n', 'x', { prefix: 'pre/fix' }), file('s', 'x', { format: 'star', prefix: 'star' }), END])))).toEqual([
      'pre/fix/n',
      'star/s',
      'end',
    ]);
    expect(names(await same(Buffer.concat([file('g', 'x', { format: 'gnu', prefix: 'notatime' }), file('v', 'x', { format: 'v7', prefix: 'ignored' }), END])))).toEqual([
      'notatime/g',
      'v',
      'end',
    ]);
  });

  it('keeps names that are not UTF-8 byte for byte', async () => {
    const lines = await same(Buffer.concat([file(Buffer.from([0x61, 0xff, 0xfe, 0xc3]), 'x'), file(Buffer.from('caf\u00e9'), 'y'), END]));
    expect(names(lines)).toEqual(['a%FF%FE%C3', 'caf%C3%A9', 'end']);
  });
});

describe('GNU sparse files', () => {
  const data = (i: number) => Buffer.alloc(512, 0x41 + (i % 26));

  it('reads old GNU sparse maps with extension blocks and keeps the walk in step', async () => {
    // 30 fragments of one block each, every other block a hole: 4 in the header, 21 + 5 in two extension blocks.
    const frags: [number, number][] = Array.from({ length: 30 }, (_, i) => [i * 1024, 512]);
    const archive = Buffer.concat([
      header({ name: 'sparse', flag: 'S', format: 'gnu', size: 30 * 512, realSize: 30 * 1024, sparse: frags.slice(0, 4), extended: true }),
      sparseExtension(frags.slice(4, 25), true),
      sparseExtension(frags.slice(25), false),
      ...frags.map((_, i) => data(i)),
      hidden,
      END,
    ]);
    const lines = await same(archive);
    expect(names(lines)).toEqual(['sparse', 'app/node_modules/hidden/package.json', 'end']);
    expect(lines[0]!.split('\t')[2]).toBe(String(30 * 1024));
  });

  it('refuses a sparse map that references more or less data than there is', async () => {
    const more = header({ name: 's', flag: 'S', format: 'gnu', size: 1024, realSize: 4096, sparse: [[0, 512]] });
    expect(await same(Buffer.concat([more, data(0), data(1), END]))).toEqual(['error']);
    const less = header({
      name: 's',
      flag: 'S',
      format: 'gnu',
      size: 512,
      realSize: 4096,
      sparse: [
        [0, 512],
        [1024, 512],
      ],
    });
    expect(await same(Buffer.concat([less, data(0), END]))).toEqual(['error']);
    const overlap = header({
      name: 's',
      flag: 'S',
      format: 'gnu',
      size: 1024,
      realSize: 4096,
      sparse: [
        [512, 512],
        [0, 512],
      ],
    });
    expect(await same(Buffer.concat([overlap, data(0), data(1), END]))).toEqual(['error']);
  });

  it('reads pax sparse 0.0, 0.1 and 1.0', async () => {
    const v00 = pax([
      ['GNU.sparse.size', '3072'],
      ['GNU.sparse.numblocks', '2'],
      ['GNU.sparse.offset', '0'],
      ['GNU.sparse.numbytes', '512'],
      ['GNU.sparse.offset', '2048'],
      ['GNU.sparse.numbytes', '512'],
    ]);
    const v01 = pax([
      ['GNU.sparse.size', '3072'],
      ['GNU.sparse.numblocks', '2'],
      ['GNU.sparse.map', '0,512,2048,512'],
      ['GNU.sparse.name', 'real/name01'],
    ]);
    const v10 = pax([
      ['GNU.sparse.major', '1'],
      ['GNU.sparse.minor', '0'],
      ['GNU.sparse.realsize', '3072'],
      ['GNU.sparse.name', 'real/name10'],
    ]);
    const lines = await same(
      Buffer.concat([
        v00,
        file('s00', Buffer.concat([data(0), data(1)])),
        v01,
        file('s01', Buffer.concat([data(2), data(3)])),
        v10,
        file('s10', Buffer.concat([padded('2\n0\n512\n2048\n512\n'), data(4), data(5)])),
        hidden,
        END,
      ]),
    );
    expect(names(lines)).toEqual(['s00', 'real/name01', 'real/name10', 'app/node_modules/hidden/package.json', 'end']);
    expect(lines.slice(0, 3).map((l) => l.split('\t')[2])).toEqual(['3072', '3072', '3072']);
  });

  it('refuses pax sparse maps that do not add up, and sparse header-only entries', async () => {
    expect(
      await same(
        Buffer.concat([
          pax([
            ['GNU.sparse.numblocks', '2'],
            ['GNU.sparse.map', '0,512'],
          ]),
          file('s', data(0)),
          END,
        ]),
      ),
    ).toEqual(['error']);
    expect(
      await same(
        Buffer.concat([
          pax([
            ['GNU.sparse.offset', '0'],
            ['GNU.sparse.offset', '1'],
          ]),
          file('s'),
          END,
        ]),
      ),
    ).toEqual(['error']);
    expect(
      await same(
        Buffer.concat([
          pax([
            ['GNU.sparse.numblocks', '0'],
            ['GNU.sparse.map', ''],
          ]),
          file('s'),
          END,
        ]),
      ),
    ).toEqual(['s\t0\t0\t\te3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'end']);
    expect(
      await same(
        Buffer.concat([
          pax([
            ['GNU.sparse.major', '0'],
            ['GNU.sparse.minor', '1'],
            ['GNU.sparse.numblocks', '0'],
          ]),
          header({ name: 'd/', flag: '5' }),
          END,
        ]),
      ),
    ).toEqual(['error']);
    expect(
      await same(
        Buffer.concat([
          pax([
            ['GNU.sparse.major', '1'],
            ['GNU.sparse.minor', '0'],
          ]),
          file('s', '3\n'),
          END,
        ]),
      ),
    ).toEqual(['error']);
    expect(
      names(
        await same(
          Buffer.concat([
            pax([
              ['GNU.sparse.major', '2'],
              ['GNU.sparse.minor', '0'],
            ]),
            file('unknown-version', 'x'),
            END,
          ]),
        ),
      ),
    ).toEqual(['unknown-version', 'end']);
  });

  // Go bounds sparse maps at 1 MiB since the fix for CVE-2025-58183 (in 1.26;
  // Debian's 1.19 reads them without limit). We refuse them as current Go
  // does, and compare with Go only where the Go here is known to have the bound.
  const boundedGo = () => {
    const [major, minor] = goVersion();
    return major > 1 || minor >= 26;
  };

  it('refuses an old GNU sparse map of more than 1 MiB of extension blocks', async () => {
    const ext = sparseExtension([], true);
    const archive = Buffer.concat([
      header({ name: 's', flag: 'S', format: 'gnu', size: 0, realSize: 0, extended: true }),
      ...Array(2048).fill(ext),
      sparseExtension([], false),
      END,
    ]);
    const ours = comparable(await nodeList(archive));
    expect(ours).toEqual(['error']);
    if (boundedGo()) expect(comparable(await goList(archive))).toEqual(ours);
    const fits = Buffer.concat([
      header({ name: 's', flag: 'S', format: 'gnu', size: 0, realSize: 0, extended: true }),
      ...Array(2046).fill(ext),
      sparseExtension([], false),
      END,
    ]);
    expect(names(await same(fits, [65536]))).toEqual(['s', 'end']);
  });

  it('refuses a pax sparse 1.0 map of more than 1 MiB', async () => {
    const map = Buffer.concat([Buffer.from('1\n'), Buffer.alloc(1 << 20, '0'), Buffer.from('\n0\n')]);
    const archive = Buffer.concat([
      pax([
        ['GNU.sparse.major', '1'],
        ['GNU.sparse.minor', '0'],
        ['GNU.sparse.realsize', '0'],
      ]),
      file('s', padded(map)),
      END,
    ]);
    const ours = comparable(await nodeList(archive));
    expect(ours).toEqual(['error']);
    if (boundedGo()) expect(comparable(await goList(archive))).toEqual(ours);
  });
});
