// Two listers of the same format, for differential tests of src/image/tar.ts:
// goList runs test/tools/tarlist (Go's archive/tar, what containerd and moby
// unpack layers with), nodeList runs our reader. One line per entry:
// name, type flag, size, link target, sha256 of the content (tab-separated,
// bytes outside printable ASCII written %XX); then "end", or "error\t<why>"
// at the first error, or "toobig\t..." for content over MAX_CONTENT bytes.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { encodeName, readTar, TarError } from '../../../src/image/tar.js';

export const MAX_CONTENT = 64 * 1024 * 1024;
const TOOL_DIR = join(process.cwd(), 'test/tools/tarlist');

// Builds the Go lister once per source version into the shared tool cache.
export function goTarlist(): string {
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'main.go']) hash.update(readFileSync(join(TOOL_DIR, f)));
  hash.update(execFileSync('go', ['version'], { env: { ...process.env, GOTOOLCHAIN: 'local' } })); // its archive/tar is what we compare with
  const dir = join(process.env.SIGN_ATTEST_TOOLS_CACHE ?? join(homedir(), '.cache/sign-attest-tools'), `tarlist-${hash.digest('hex').slice(0, 16)}`);
  const bin = join(dir, 'tarlist');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  execFileSync('go', ['build', '-trimpath', '-o', tmp, '.'], { cwd: TOOL_DIR, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' }, stdio: 'pipe' });
  renameSync(tmp, bin);
  return bin;
}

// The Go release the lister was built with, e.g. [1, 26].
export function goVersion(): [number, number] {
  const v = execFileSync(goTarlist(), ['-version'], { encoding: 'utf8' }).trim();
  const m = /^go(\d+)\.(\d+)/.exec(v);
  if (!m) throw new Error(`unexpected Go version ${v}`);
  return [Number(m[1]), Number(m[2])];
}

function escape(b: Buffer): string {
  let out = '';
  for (const c of b) out += c > 0x20 && c < 0x7f && c !== 0x25 ? String.fromCharCode(c) : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

const headerOnly = (flag: number) => flag >= 0x31 && flag <= 0x36;

export function maybeGunzip(archive: Buffer): Buffer {
  return archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
}

class TooBig extends Error {}

// Our reader, fed in chunks of chunkSize bytes (boundaries must not matter).
export async function nodeList(archive: Buffer, chunkSize = 64 * 1024, max = MAX_CONTENT): Promise<string[]> {
  const tarBytes = maybeGunzip(archive);
  const lines: string[] = [];
  const chunks = function* () {
    for (let i = 0; i < tarBytes.length; i += chunkSize) yield tarBytes.subarray(i, i + chunkSize);
  };
  try {
    await readTar(Readable.from(chunks(), { objectMode: true }), (e) => {
      if (!headerOnly(e.flag) && e.headerSize > BigInt(max)) {
        lines.push(`toobig\t${escape(encodeName(e.path))}\t${e.headerSize}`);
        throw new TooBig();
      }
      const hash = createHash('sha256');
      return {
        push: (c) => void hash.update(c),
        end: () =>
          void lines.push([escape(encodeName(e.path)), escape(Buffer.from([e.flag])), e.headerSize, escape(encodeName(e.linkname)), hash.digest('hex')].join('\t')),
      };
    });
    lines.push('end');
  } catch (err) {
    if (err instanceof TooBig) return lines;
    if (!(err instanceof TarError)) throw err;
    lines.push(`error\t${escape(Buffer.from(err.message))}`);
  }
  return lines;
}

// Go's view of many archives in one process (spawning one per archive would dominate a fuzz run).
export async function goListMany(archives: Buffer[], max = MAX_CONTENT): Promise<string[][]> {
  const child = spawn(goTarlist(), ['-batch', '-max', String(max)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  for (const a of archives) {
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(a.length));
    child.stdin.write(len);
    if (!child.stdin.write(a)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  const code = await done;
  if (code !== 0) throw new Error(`tarlist exited ${code}`);
  const lists = Buffer.concat(out).toString('latin1').split('\n=\n');
  lists.pop();
  if (lists.length !== archives.length) throw new Error(`tarlist listed ${lists.length} of ${archives.length} archives`);
  return lists.map((l) => l.split('\n'));
}

export async function goList(archive: Buffer): Promise<string[]> {
  return (await goListMany([archive]))[0]!;
}

// Error texts may differ in wording between the two; where the error happens may not.
export function comparable(lines: string[]): string[] {
  return lines.map((l) => (l.startsWith('error\t') ? 'error' : l));
}
