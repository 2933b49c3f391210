import { unzipSync } from 'fflate';
import { basename } from './common.js';
import { purl } from './purl.js';
import type { Cataloger, ContentSink, Pkg } from './types.js';

// Java archives need the zip central directory (at the end), so the archive is
// buffered, and reduced as soon as it has streamed past to the few small
// entries that identify packages: MANIFEST.MF, pom.properties and, recursively,
// nested archives (Spring Boot's BOOT-INF/lib, WEB-INF/lib, ear modules).
const ARCHIVE = /\.(?:jar|war|ear|par|sar|nar|jpi|hpi|kar|rar)$/i;
const MAX_ARCHIVE = 64 * 1024 * 1024;
const MAX_DEPTH = 4;

interface ArchiveFacts {
  name: string; // file name inside its parent, for version/name fallbacks
  manifest?: string;
  poms: string[]; // pom.properties contents
  nested: ArchiveFacts[];
}

export function archiveFacts(name: string, zip: Uint8Array, depth = 0): ArchiveFacts {
  const entries = unzipSync(zip, {
    filter: (f) =>
      f.name === 'META-INF/MANIFEST.MF' ||
      (f.name.startsWith('META-INF/maven/') && f.name.endsWith('/pom.properties')) ||
      (depth < MAX_DEPTH && ARCHIVE.test(f.name) && f.originalSize <= MAX_ARCHIVE),
  });
  const facts: ArchiveFacts = { name, poms: [], nested: [] };
  for (const [path, bytes] of Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))) {
    if (path === 'META-INF/MANIFEST.MF') facts.manifest = Buffer.from(bytes).toString('utf8');
    else if (path.endsWith('/pom.properties')) facts.poms.push(Buffer.from(bytes).toString('utf8'));
    else {
      try {
        facts.nested.push(archiveFacts(basename(path), bytes, depth + 1));
      } catch {
        // a corrupt nested archive does not spoil its parent
      }
    }
  }
  return facts;
}

function archiveSink(path: string): ContentSink {
  const parts: Buffer[] = [];
  let size = 0;
  return {
    push(chunk) {
      size += chunk.length;
      if (size <= MAX_ARCHIVE) parts.push(chunk);
    },
    end() {
      if (size > MAX_ARCHIVE || size === 0) return undefined;
      try {
        return Buffer.from(JSON.stringify(archiveFacts(basename(path), Buffer.concat(parts, size))));
      } catch {
        return undefined; // not a zip after all
      }
    },
  };
}

function properties(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (m) map.set(m[1]!, m[2]!.trim());
  }
  return map;
}

// MANIFEST.MF: "Key: value" with 72-byte lines continued by a leading space.
function manifest(text: string): Map<string, string> {
  const map = new Map<string, string>();
  const unfolded = text.replace(/\r?\n /g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    if (line === '') break; // main section only
    const colon = line.indexOf(':');
    if (colon > 0) map.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return map;
}

// "commons-lang3-3.12.0.jar" → ["commons-lang3", "3.12.0"]
function fromFileName(file: string): [string, string | undefined] {
  const stem = file.replace(ARCHIVE, '');
  const m = /^(.+?)-(\d[\w.+-]*)$/.exec(stem);
  return m ? [m[1]!, m[2]] : [stem, undefined];
}

function packagesOf(facts: ArchiveFacts, make: (name: string, version: string, group?: string, license?: string) => Pkg): Pkg[] {
  const out: Pkg[] = [];
  const mf = facts.manifest ? manifest(facts.manifest) : new Map<string, string>();
  const license = mf.get('Bundle-License');
  const licenseName = license && !/^https?:/.test(license) ? license : undefined;
  if (facts.poms.length > 0) {
    for (const pom of facts.poms) {
      const p = properties(pom);
      const artifact = p.get('artifactId');
      const version = p.get('version');
      if (artifact && version) out.push(make(artifact, version, p.get('groupId'), licenseName));
    }
  } else {
    const [fileName, fileVersion] = fromFileName(facts.name);
    const symbolic = mf.get('Bundle-SymbolicName')?.split(';')[0];
    const name = mf.get('Implementation-Title') ?? fileName;
    const version = mf.get('Implementation-Version') ?? mf.get('Bundle-Version') ?? fileVersion;
    const group = mf.get('Implementation-Vendor-Id') ?? (symbolic?.includes('.') ? symbolic.slice(0, symbolic.lastIndexOf('.')) : undefined);
    if (version) out.push(make(fileName || name, version, group, licenseName));
  }
  for (const nested of facts.nested) out.push(...packagesOf(nested, make));
  return out;
}

export const java: Cataloger = {
  name: 'java-archive-cataloger',
  match: (path) => ARCHIVE.test(path),
  sink: (path) => archiveSink(path),
  parse(file) {
    const facts = JSON.parse(file.content.toString('utf8')) as ArchiveFacts;
    const make = (name: string, version: string, group?: string, license?: string): Pkg => ({
      name,
      version,
      group,
      type: 'java-archive',
      purl: purl('maven', group ?? name, name, version),
      licenses: license ? [license] : [],
      foundBy: java.name,
      path: file.path,
      layer: file.layer,
    });
    return { packages: packagesOf(facts, make), relationships: [] };
  },
};
