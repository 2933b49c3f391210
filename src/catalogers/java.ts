import { basename } from './common.js';
import {
  MAX_ARCHIVE,
  MAX_INFLATED_PER_ARCHIVE,
  MAX_INFLATED_PER_IMAGE,
  MAX_METADATA_ENTRY,
  MAX_NESTED_ARCHIVE,
  MAX_NESTED_ARCHIVES,
  MAX_NESTING_DEPTH,
} from './limits.js';
import { purl } from './purl.js';
import type { Cataloger, ContentSink, Pkg, ScanContext } from './types.js';
import { readEntry, zipEntries, ZipError } from './zip.js';

// Java archives need the zip central directory (at the end), so the archive is
// buffered, and reduced as soon as it has streamed past to the few small
// entries that identify packages: MANIFEST.MF, pom.properties and, recursively,
// nested archives (Spring Boot's BOOT-INF/lib, WEB-INF/lib, ear modules).
// Every archive is validated before anything in it is inflated (zip.ts), and
// depth, counts and inflated bytes are bounded (limits.ts); what a bound
// leaves unread is reported, naming the archive.
const ARCHIVE = /\.(?:jar|war|ear|par|sar|nar|jpi|hpi|kar|rar)$/i;

interface ArchiveFacts {
  name: string; // file name inside its parent, for version/name fallbacks
  manifest?: string;
  poms: string[]; // pom.properties contents
  pomXmls?: string[]; // META-INF/maven/**/pom.xml contents
  licenseText?: string; // META-INF/LICENSE[.txt|.md], the first bytes
  nested: ArchiveFacts[];
}

// Shared by one top-level archive and everything nested in it.
interface Walk {
  inflated: number;
  archives: number;
  problems: string[]; // what was not read, "inner/path.jar: why"
  scan?: ScanContext; // the image-wide inflate budget
}

function take(walk: Walk, bytes: number): boolean {
  if (walk.inflated + bytes > MAX_INFLATED_PER_ARCHIVE) return false;
  if (walk.scan && walk.scan.inflatedBytes + bytes > MAX_INFLATED_PER_IMAGE) return false;
  walk.inflated += bytes;
  if (walk.scan) walk.scan.inflatedBytes += bytes;
  return true;
}

function archiveFactsIn(name: string, zip: Buffer, walk: Walk, depth: number, where: string): ArchiveFacts {
  const facts: ArchiveFacts = { name, poms: [], nested: [] };
  const entries = zipEntries(zip).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const licenseFile = LICENSE_FILE.test(entry.name);
    const metadata =
      entry.name === 'META-INF/MANIFEST.MF' ||
      licenseFile ||
      (entry.name.startsWith('META-INF/maven/') && (entry.name.endsWith('/pom.properties') || entry.name.endsWith('/pom.xml')));
    const nested = !metadata && ARCHIVE.test(entry.name);
    if (!metadata && !nested) continue;
    const at = `${where}!/${entry.name}`;
    if (nested && depth >= MAX_NESTING_DEPTH) {
      walk.problems.push(`${at}: nested deeper than ${MAX_NESTING_DEPTH} archives, not read`);
      continue;
    }
    if (nested && ++walk.archives > MAX_NESTED_ARCHIVES) {
      walk.problems.push(`${where}: more than ${MAX_NESTED_ARCHIVES} nested archives, the rest not read`);
      break;
    }
    const cap = metadata ? MAX_METADATA_ENTRY : MAX_NESTED_ARCHIVE;
    if (entry.size > cap) {
      walk.problems.push(`${at}: ${entry.size} bytes, over the ${cap}-byte limit for ${metadata ? 'a metadata file' : 'a nested archive'}, not read`);
      continue;
    }
    if (entry.method !== 0 && !take(walk, entry.size)) {
      walk.problems.push(`${at}: inflate limit reached (${MAX_INFLATED_PER_ARCHIVE} bytes per archive, ${MAX_INFLATED_PER_IMAGE} per image), not read`);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readEntry(zip, entry);
    } catch (err) {
      walk.problems.push(`${at}: ${(err as Error).message}`);
      continue;
    }
    if (entry.name === 'META-INF/MANIFEST.MF') facts.manifest = bytes.toString('utf8');
    else if (licenseFile) facts.licenseText ??= bytes.subarray(0, 4096).toString('utf8');
    else if (entry.name.endsWith('/pom.xml')) (facts.pomXmls ??= []).push(bytes.toString('utf8'));
    else if (metadata) facts.poms.push(bytes.toString('utf8'));
    else {
      try {
        facts.nested.push(archiveFactsIn(basename(entry.name), bytes, walk, depth + 1, at));
      } catch (err) {
        // A corrupt nested archive does not spoil its parent, but is reported.
        walk.problems.push(`${at}: ${(err as Error).message}`);
      }
    }
  }
  return facts;
}

// Facts of one archive and what could not be read in it. Throws ZipError when
// the archive itself is not a valid zip.
export function archiveFacts(name: string, zip: Buffer, scan?: ScanContext): { facts: ArchiveFacts; problems: string[] } {
  const walk: Walk = { inflated: 0, archives: 0, problems: [], scan };
  const facts = archiveFactsIn(name, zip, walk, 0, name);
  return { facts, problems: walk.problems };
}

function archiveSink(path: string, scan?: ScanContext): ContentSink {
  const parts: Buffer[] = [];
  let size = 0;
  return {
    push(chunk) {
      size += chunk.length;
      if (size <= MAX_ARCHIVE) parts.push(chunk);
    },
    end() {
      if (size === 0) return undefined;
      if (size > MAX_ARCHIVE) {
        scan?.warn(path, `${size} bytes, over the ${MAX_ARCHIVE}-byte limit for a Java archive, not read`);
        return undefined;
      }
      try {
        const { facts, problems } = archiveFacts(basename(path), Buffer.concat(parts, size), scan);
        parts.length = 0;
        // Inner paths start with the archive's own name; the scan names the file.
        for (const p of problems.slice(0, 20)) scan?.warn(path, p.startsWith(facts.name) ? p.slice(facts.name.length).replace(/^!\//, '') : p);
        if (problems.length > 20) scan?.warn(path, `${problems.length - 20} more problems in this archive`);
        return Buffer.from(JSON.stringify(facts));
      } catch (err) {
        // Not a zip at all is common (a .rar that is RAR); an invalid zip is worth a word.
        if (err instanceof ZipError && !/no end of central directory/.test(err.message)) scan?.warn(path, `not read: ${err.message}`);
        return undefined;
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

// The project's own coordinates in a pom.xml: groupId and version fall back
// to <parent>'s, ${...} references resolve from <properties> and the
// project's own fields (as syft's Maven resolver does offline); licenses are
// the <licenses><license><name> values.
export function pomXml(text: string): { groupId?: string; artifactId?: string; version?: string; licenses: string[] } {
  const xml = text.replace(/<!--[\s\S]*?-->/g, '');
  // Blocks found with indexOf, so a hostile pom costs linear time.
  const opening = (tag: string, within: string, from: number) => {
    for (let i = within.indexOf(`<${tag}`, from); i !== -1; i = within.indexOf(`<${tag}`, i + 1)) {
      const c = within[i + tag.length + 1];
      if (c === '>' || c === ' ' || c === '\t' || c === '\n' || c === '\r') return i;
    }
    return -1;
  };
  const blocks = (tag: string, within: string): [number, number, string][] => {
    const out: [number, number, string][] = [];
    for (let at = 0; ;) {
      const start = opening(tag, within, at);
      if (start === -1) return out;
      const body = within.indexOf('>', start) + 1;
      const end = within.indexOf(`</${tag}>`, body);
      if (body === 0 || end === -1) return out;
      out.push([start, end + tag.length + 3, within.slice(body, end)]);
      at = end;
    }
  };
  const block = (tag: string, within = xml) => blocks(tag, within)[0]?.[2];
  const value = (tag: string, within: string) => block(tag, within)?.trim();
  const parent = block('parent') ?? '';
  // the project's direct children: drop the blocks whose children share names with them
  let own = xml;
  for (const tag of [
    'parent',
    'dependencies',
    'dependencyManagement',
    'build',
    'profiles',
    'reporting',
    'pluginRepositories',
    'repositories',
    'distributionManagement',
    'licenses',
    'developers',
    'contributors',
    'organization',
    'scm',
    'issueManagement',
    'ciManagement',
    'mailingLists',
    'modules',
    'properties',
  ]) {
    const kept: string[] = [];
    let from = 0;
    for (const [start, end] of blocks(tag, own)) {
      kept.push(own.slice(from, start));
      from = end;
    }
    own = kept.join('') + own.slice(from);
  }
  const props = new Map<string, string>();
  for (const m of (block('properties') ?? '').matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g)) props.set(m[1]!, m[2]!.trim());
  const raw = {
    groupId: value('groupId', own) ?? value('groupId', parent),
    artifactId: value('artifactId', own),
    version: value('version', own) ?? value('version', parent),
  };
  props.set('project.groupId', raw.groupId ?? '');
  props.set('project.version', raw.version ?? '');
  props.set('project.artifactId', raw.artifactId ?? '');
  props.set('project.parent.version', value('version', parent) ?? '');
  props.set('project.parent.groupId', value('groupId', parent) ?? '');
  const resolve = (v: string | undefined) => {
    for (let i = 0; v && i < 8 && v.includes('${'); i++) v = v.replace(/\$\{([^}]+)\}/g, (ref, name: string) => props.get(name) || ref);
    return v && !v.includes('${') ? v : undefined;
  };
  const licenses = blocks('license', block('licenses') ?? '')
    .map(([, , body]) => value('name', body))
    .filter((n): n is string => !!n);
  return { groupId: resolve(raw.groupId), artifactId: resolve(raw.artifactId), version: resolve(raw.version), licenses };
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

// A license the archive names: Bundle-License (an SPDX id, or a well-known
// license URL), else the bundled license text when it starts with one of the
// few standard texts recognised here (what syft concludes from the text).
const LICENSE_FILE = /^META-INF\/LICENSE(?:\.txt|\.md)?$/i;
const LICENSE_URLS: [RegExp, string][] = [
  [/apache\.org\/licenses\/LICENSE-2\.0/i, 'Apache-2.0'],
  [/opensource\.org\/licenses\/MIT/i, 'MIT'],
  [/eclipse\.org\/legal\/epl-2\.0/i, 'EPL-2.0'],
  [/eclipse\.org\/legal\/epl-v10/i, 'EPL-1.0'],
];
const LICENSE_TEXTS: [RegExp, string][] = [
  [/^\s*Apache License\s+Version 2\.0, January 2004/, 'Apache-2.0'],
  [/^\s*Eclipse Public License - v 2\.0/, 'EPL-2.0'],
  [/^\s*Eclipse Public License - v 1\.0/, 'EPL-1.0'],
];

function archiveLicense(bundleLicense: string | undefined, text: string | undefined): string | undefined {
  if (bundleLicense) {
    if (!/^https?:/.test(bundleLicense)) return bundleLicense;
    const known = LICENSE_URLS.find(([re]) => re.test(bundleLicense));
    if (known) return known[1];
  }
  return text ? LICENSE_TEXTS.find(([re]) => re.test(text))?.[1] : undefined;
}

function packagesOf(facts: ArchiveFacts, make: (name: string, version: string, group?: string, license?: string) => Pkg): Pkg[] {
  const out: Pkg[] = [];
  const mf = facts.manifest ? manifest(facts.manifest) : new Map<string, string>();
  const licenseName = archiveLicense(mf.get('Bundle-License'), facts.licenseText);
  // No pom.properties but exactly one pom.xml: its coordinates, as syft takes them.
  const pom = facts.poms.length === 0 && facts.pomXmls?.length === 1 ? pomXml(facts.pomXmls[0]!) : undefined;
  if (facts.poms.length > 0) {
    for (const pom of facts.poms) {
      const p = properties(pom);
      const artifact = p.get('artifactId');
      const version = p.get('version');
      if (artifact && version) out.push(make(artifact, version, p.get('groupId'), licenseName));
    }
  } else if (pom?.artifactId) {
    const version = pom.version ?? mf.get('Implementation-Version') ?? mf.get('Bundle-Version') ?? fromFileName(facts.name)[1];
    if (version) out.push(make(pom.artifactId, version, pom.groupId, licenseName ?? pom.licenses[0]));
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
  sink: (path, _entry, scan) => archiveSink(path, scan),
  ordered: true, // the image-wide inflate budget is spent in layer order
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
