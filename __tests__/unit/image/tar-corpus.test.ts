// Real archives, read by Go's archive/tar (test/tools/tarlist) and by our
// reader: the fixture image's layers (test/fixtures/mkimage.sh), the layers
// the unit tests build (helpers/tar.ts), and GNU tar archives in every format
// it writes (gnu, oldgnu, pax, ustar, v7), with long names and links, every
// file type, names that are not UTF-8, and sparse files (tar -S: old GNU
// sparse with extension blocks, pax sparse 0.0, 0.1 and 1.0). The layers of
// test/fixtures/sbom/build.py are compared in sbom-fixtures.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, linkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tar } from '../helpers/tar.js';
import { comparable, goListMany, nodeList } from '../helpers/tarlist.js';

let work: string;
const corpus = new Map<string, Buffer>();

function gnuTar(args: string[], cwd: string): Buffer {
  // Exit 1/2 only for warnings such as "file name too long" in ustar/v7: the archive is still written.
  try {
    return execFileSync('tar', args, { cwd, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const out = (err as { stdout?: Buffer }).stdout;
    if (out && out.length > 0) return out;
    throw err;
  }
}

// A source tree with everything tar formats disagree about.
function makeTree(root: string): void {
  const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}`;
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, long), { recursive: true });
  writeFileSync(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID=12\n');
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, `${long}/${'n'.repeat(120)}.json`), '{"name":"deep"}');
  writeFileSync(join(root, 'block-exact'), Buffer.alloc(1024, 7));
  writeFileSync(join(root, 'caf\u00e9 \u2603.txt'), 'unicode');
  writeFileSync(Buffer.concat([Buffer.from(join(root, 'raw-')), Buffer.from([0xff, 0xfe])]), 'name not UTF-8');
  symlinkSync('../etc/os-release', join(root, 'link'));
  symlinkSync(`/${long}/${'t'.repeat(150)}`, join(root, 'longlink'));
  linkSync(join(root, 'etc/os-release'), join(root, 'hard'));
  linkSync(join(root, `${long}/${'n'.repeat(120)}.json`), join(root, 'hard-to-long'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  // Sparse: 40 one-block data fragments 64 KiB apart (more than fit in the header),
  // one with data only at the end, and one that is all hole.
  const fd = openSync(join(root, 'sparse-many'), 'w');
  for (let i = 0; i < 40; i++) writeSync(fd, Buffer.alloc(4096, 0x41 + (i % 26)), 0, 4096, i * 65536);
  closeSync(fd);
  const tail = openSync(join(root, 'sparse-tail'), 'w');
  writeSync(tail, Buffer.from('end'), 0, 3, 5 * 1024 * 1024);
  closeSync(tail);
  execFileSync('truncate', ['-s', '3M', join(root, 'sparse-empty')]);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tar-corpus-'));
  const tree = join(work, 'tree');
  mkdirSync(tree);
  makeTree(tree);
  const common = ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '.'];
  for (const format of ['gnu', 'oldgnu', 'pax', 'ustar', 'v7', 'posix']) {
    corpus.set(`gnu tar --format=${format}`, gnuTar([`--format=${format}`, ...common], tree));
    // ustar and v7 cannot hold sparse files
    if (!['ustar', 'v7'].includes(format)) corpus.set(`gnu tar --format=${format} -S`, gnuTar([`--format=${format}`, '-S', ...common], tree));
  }
  for (const version of ['0.0', '0.1', '1.0'])
    corpus.set(`gnu tar --format=pax -S --sparse-version=${version}`, gnuTar(['--format=pax', '-S', `--sparse-version=${version}`, ...common], tree));
  corpus.set('gnu tar --format=gnu -S -z', gnuTar(['--format=gnu', '-S', '-z', ...common], tree));
  corpus.set('gnu tar --format=pax -z', gnuTar(['--format=pax', '-z', ...common], tree));

  // The fixture image every end-to-end test pushes.
  const layout = join(work, 'layout');
  execFileSync('bash', ['test/fixtures/mkimage.sh', 'test/fixtures/image', layout], { stdio: 'pipe' });
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const blob = (d: string) => readFileSync(join(layout, 'blobs/sha256', d.slice(7)));
  const manifest = JSON.parse(blob(index.manifests[0]!.digest).toString()) as { layers: { digest: string }[] };
  for (const l of manifest.layers) corpus.set(`fixture image layer ${l.digest}`, blob(l.digest));

  // Layers as the unit tests build them.
  const longPath = `app/${'node_modules/very-long-package-name/'.repeat(6)}package.json`;
  corpus.set(
    'helpers/tar.ts layer',
    tar([
      { path: 'etc/', type: 'dir' },
      { path: 'etc/hello', body: 'hi' },
      { path: longPath, body: '{}', longName: 'pax' },
      { path: `gnu/${longPath}`, body: 'g', longName: 'gnu' },
      { path: `pre/${'x'.repeat(60)}/${'y'.repeat(60)}/file.txt`, body: 'p', longName: 'prefix' },
      { path: 'lib', type: 'symlink', link: 'usr/lib' },
      { path: 'etc/hard', type: 'hardlink', link: 'etc/hello' },
    ]),
  );
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('real archives', () => {
  it('list the same entries, content hashes and ends in Go and in our reader', async () => {
    const names = [...corpus.keys()];
    const go = await goListMany(names.map((n) => corpus.get(n)!));
    let entries = 0;
    for (const [i, name] of names.entries()) {
      const ours = await nodeList(corpus.get(name)!);
      expect({ name, lines: comparable(ours) }).toEqual({ name, lines: comparable(go[i]!) });
      expect({ name, last: go[i]!.at(-1) }).toEqual({ name, last: 'end' });
      entries += go[i]!.length - 1;
    }
    console.log(`tar corpus: ${names.length} real archives, ${entries} entries, all equal`);
    // The sparse archives really are sparse, in each encoding.
    const text = (n: string) => corpus.get(n)!.toString('latin1');
    expect(text('gnu tar --format=gnu -S')).toMatch(/sparse-many/);
    expect(
      corpus
        .get('gnu tar --format=gnu -S')!
        .subarray(0, 1 << 20)
        .includes(Buffer.from('ustar  \0')),
    ).toBe(true);
    expect(text('gnu tar --format=pax -S --sparse-version=1.0')).toContain('GNU.sparse.major=1');
    expect(text('gnu tar --format=pax -S --sparse-version=0.0')).toContain('GNU.sparse.offset=');
    expect(text('gnu tar --format=pax -S --sparse-version=0.1')).toContain('GNU.sparse.map=');
    expect(go[names.indexOf('gnu tar --format=gnu -S')]!.some((l) => l.split('\t')[1] === 'S')).toBe(true);
    expect(readdirSync(join(work, 'tree')).length).toBeGreaterThan(10);
  }, 120_000);
});
