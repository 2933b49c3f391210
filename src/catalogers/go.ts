import { isExecutable } from './binary.js';
import { LegacyBuildInfo } from './go-legacy.js';
import { purl } from './purl.js';
import type { Cataloger, ContentSink, Pkg, Relationship } from './types.js';

// Go ≥ 1.18 embeds build info as "\xff Go buildinf:" + ptrSize + flags at a
// 16-byte-aligned spot in the data segment; with flag 2 the Go version and the
// module info follow inline as varint-prefixed strings. The same 14 bytes also
// occur as a string literal in programs that import debug/buildinfo, hence the
// alignment and flag checks. Go 1.13–1.17 store pointers instead (flag bit 2
// clear): go-legacy.ts follows them while the file streams.
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const KEEP = 1024 * 1024; // build info is a few KB; 1 MB is plenty

// 1: inline (Go ≥ 1.18), 0: pointers (Go 1.13–1.17), -1: not a header
function headerKind(buf: Buffer, i: number): number {
  const ptrSize = buf[i + 14];
  if (ptrSize !== 4 && ptrSize !== 8) return -1;
  const flags = buf[i + 15]!;
  return (flags & 0x2) !== 0 ? 1 : (flags & ~0x1) === 0 ? 0 : -1;
}

// Streams an executable and keeps only the bytes from the build info header on.
function buildInfoSink(): ContentSink {
  let offset = 0;
  let tail = Buffer.alloc(0);
  let kept: Buffer[] | undefined;
  let keptBytes = 0;
  const legacy = new LegacyBuildInfo();
  const keep = (b: Buffer) => {
    if (keptBytes >= KEEP) return;
    kept!.push(b);
    keptBytes += b.length;
  };
  // The first inline header (its index), after handing any pointer-format one to legacy.
  const find = (buf: Buffer, base: number, maxStart: number): number => {
    for (let i = buf.indexOf(MAGIC); i !== -1 && i < maxStart; i = buf.indexOf(MAGIC, i + 1)) {
      if ((base + i) % 16 !== 0 || i + 16 > buf.length) continue;
      const kind = headerKind(buf, i);
      if (kind === 1) return i;
      if (kind === 0 && i + 32 <= buf.length) legacy.found(buf.subarray(i, i + 32), base + i);
    }
    return -1;
  };
  return {
    push(chunk) {
      if (kept) return keep(chunk);
      // A header split across chunks is found in the seam of tail + head.
      if (tail.length > 0) {
        const seam = Buffer.concat([tail, chunk.subarray(0, 32)]);
        const i = find(seam, offset - tail.length, tail.length);
        if (i !== -1) {
          kept = [];
          keep(Buffer.from(seam.subarray(i, tail.length)));
          keep(chunk);
          return;
        }
      }
      const i = find(chunk, offset, chunk.length - 31);
      if (i !== -1) {
        kept = [];
        keep(chunk.subarray(i));
        return;
      }
      legacy.push(chunk, offset);
      offset += chunk.length;
      // the last 31 bytes of the stream so far, however small the chunks
      const recent = chunk.length >= 31 ? chunk : Buffer.concat([tail, chunk]);
      tail = Buffer.from(recent.subarray(Math.max(0, recent.length - 31)));
    },
    end: () => (kept ? Buffer.concat(kept).subarray(0, KEEP) : legacy.end()),
  };
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && shift < 35; i++, shift += 7) {
    value += (buf[i]! & 0x7f) * 2 ** shift;
    if ((buf[i]! & 0x80) === 0) return [value, i + 1];
  }
  throw new Error('bad varint in Go build info');
}

export interface GoBuildInfo {
  goVersion: string;
  path?: string;
  main?: { path: string; version: string };
  deps: { path: string; version: string }[];
  settings: Map<string, string>;
}

export function parseBuildInfo(buf: Buffer): GoBuildInfo {
  let pos = 32;
  const [vlen, p1] = readVarint(buf, pos);
  const goVersion = buf.toString('utf8', p1, p1 + vlen);
  pos = p1 + vlen;
  const [mlen, p2] = readVarint(buf, pos);
  let modinfo = buf.toString('latin1', p2, p2 + mlen);
  // 16-byte sentinels wrap the module info so the linker can find it.
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n') modinfo = modinfo.slice(16, -16);
  modinfo = Buffer.from(modinfo, 'latin1').toString('utf8');
  const info: GoBuildInfo = { goVersion, deps: [], settings: new Map() };
  let last: { path: string; version: string } | undefined;
  for (const line of modinfo.split('\n')) {
    const [kind, a = '', b = '', ...rest] = line.split('\t');
    if (kind === 'path') info.path = a;
    else if (kind === 'mod') info.main = last = { path: a, version: b };
    else if (kind === 'dep') info.deps.push((last = { path: a, version: b }));
    // "=> path version sum" replaces the module above; a local directory has no version.
    else if (kind === '=>' && last && b) Object.assign(last, { path: a, version: b });
    else if (kind === 'build') {
      const setting = [a, b, ...rest].join('\t');
      const eq = setting.indexOf('=');
      if (eq > 0) info.settings.set(setting.slice(0, eq), setting.slice(eq + 1));
    }
  }
  return info;
}

function goPurl(path: string, version: string): string {
  const slash = path.lastIndexOf('/');
  return purl('golang', slash > 0 ? path.slice(0, slash) : undefined, path.slice(slash + 1), version);
}

// "(devel)" main modules get a pseudo-version from the VCS stamp when there is one.
function mainVersion(info: GoBuildInfo): string {
  const version = info.main?.version ?? '(devel)';
  const revision = info.settings.get('vcs.revision');
  const time = info.settings.get('vcs.time');
  if (version !== '(devel)' || !revision || !time) return version;
  const stamp = time.replace(/[-:TZ]/g, '').slice(0, 14);
  return `v0.0.0-${stamp}-${revision.slice(0, 12)}`;
}

export const go: Cataloger = {
  name: 'go-module-binary-cataloger',
  match: isExecutable,
  sink: () => buildInfoSink(),
  parse(file) {
    const info = parseBuildInfo(file.content);
    const make = (name: string, version: string, p: string): Pkg => ({
      name,
      version,
      type: 'go-module',
      purl: p,
      licenses: [],
      foundBy: go.name,
      path: file.path,
      layer: file.layer,
    });
    const deps = info.deps.map((d) => make(d.path, d.version, goPurl(d.path, d.version)));
    const stdVersion = info.goVersion.replace(/^go/, '').split(' ')[0]!;
    const stdlib = make('stdlib', stdVersion, purl('golang', undefined, 'stdlib', stdVersion));
    const packages = [...deps, stdlib];
    const relationships: Relationship[] = [];
    if (info.main?.path) {
      const version = mainVersion(info);
      const main = make(info.main.path, version, goPurl(info.main.path, version));
      packages.unshift(main);
      for (const to of [...deps, stdlib]) relationships.push({ from: main, to });
    }
    return { packages, relationships };
  },
};
