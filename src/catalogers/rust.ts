import { inflateSync } from 'node:zlib';
import { Chunks, isExecutable } from './binary.js';
import { purl } from './purl.js';
import { MAX_AUDIT_JSON, MAX_COMPONENTS } from './limits.js';
import { ScanLimitError, type Cataloger, type ContentSink, type Pkg, type Relationship } from './types.js';

// cargo-auditable stores the dependency tree as zlib-compressed JSON in an ELF
// section named .dep-v0. Section headers sit at the end of the file and the
// section before them, so the executable is held (as the zlib chunks it
// arrived in, not copied) until its end, then only the section is kept.
const MAX_ELF = 64 * 1024 * 1024;

function depSection(file: Chunks): Buffer | undefined {
  if (file.length < 64) return undefined;
  const ident = file.read(0, 6);
  if (ident.readUInt32BE(0) !== 0x7f454c46) return undefined; // \x7fELF
  const is64 = ident[4] === 2;
  const le = ident[5] === 1;
  const hdr = file.read(0, is64 ? 64 : 52);
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const uw = (b: Buffer, o: number) => (is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(b, o));
  const shoff = uw(hdr, is64 ? 0x28 : 0x20);
  const shentsize = u16(hdr, is64 ? 0x3a : 0x2e);
  const shnum = u16(hdr, is64 ? 0x3c : 0x30);
  const shstrndx = u16(hdr, is64 ? 0x3e : 0x32);
  if (!shoff || !shnum || shstrndx >= shnum || shoff + shnum * shentsize > file.length) return undefined;
  const table = file.read(shoff, shnum * shentsize);
  const section = (i: number) => {
    const o = i * shentsize;
    return { name: u32(table, o), offset: uw(table, o + (is64 ? 0x18 : 0x10)), size: uw(table, o + (is64 ? 0x20 : 0x14)) };
  };
  const names = section(shstrndx);
  if (names.offset + names.size > file.length) return undefined;
  const strtab = file.read(names.offset, names.size);
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    const end = strtab.indexOf(0, s.name);
    if (strtab.toString('latin1', s.name, end) === '.dep-v0' && s.offset + s.size <= file.length) return file.read(s.offset, s.size);
  }
  return undefined;
}

function auditableSink(): ContentSink {
  const chunks = new Chunks();
  let rejected = false;
  return {
    push(chunk) {
      if (rejected) return;
      // Not ELF (a script, a zip) or too big: stop holding it.
      if (chunks.length === 0 && chunk.length >= 4 && chunk.readUInt32BE(0) !== 0x7f454c46) rejected = true;
      else if (chunks.length + chunk.length > MAX_ELF) rejected = true;
      else chunks.push(chunk);
    },
    end: () => (rejected ? undefined : depSection(chunks)),
  };
}

interface AuditPackage {
  name?: unknown;
  version?: unknown;
  source?: unknown;
  dependencies?: unknown;
}

export const rust: Cataloger = {
  name: 'cargo-auditable-binary-cataloger',
  match: isExecutable,
  sink: () => auditableSink(),
  parse(file) {
    let text: string;
    try {
      text = inflateSync(file.content, { maxOutputLength: MAX_AUDIT_JSON }).toString('utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new Error(`cargo-auditable data inflates past the ${MAX_AUDIT_JSON}-byte limit`, { cause: err });
      throw err;
    }
    const json = JSON.parse(text) as { packages?: AuditPackage[] };
    const entries = Array.isArray(json.packages) ? json.packages : [];
    if (entries.length > MAX_COMPONENTS) throw new ScanLimitError(`more than ${MAX_COMPONENTS} packages (the SBOM component limit)`);
    const packages: (Pkg | undefined)[] = entries.map((p) =>
      typeof p.name === 'string' && typeof p.version === 'string'
        ? {
            name: p.name,
            version: p.version,
            type: 'rust-crate',
            purl: purl('cargo', undefined, p.name, p.version),
            licenses: [],
            foundBy: rust.name,
            path: file.path,
            layer: file.layer,
          }
        : undefined,
    );
    // "dependencies" are indices into the same packages array.
    const relationships: Relationship[] = [];
    entries.forEach((p, i) => {
      const from = packages[i];
      if (!from || !Array.isArray(p.dependencies)) return;
      for (const d of p.dependencies) {
        const to = typeof d === 'number' ? packages[d] : undefined;
        if (to) relationships.push({ from, to });
      }
    });
    return { packages: packages.filter((p): p is Pkg => !!p), relationships };
  },
};
