import { basename } from './common.js';
import { purl } from './purl.js';
import { MAX_CLASSIFIED_PROGRAM as MAX_PROGRAM } from './limits.js';
import type { Cataloger, ContentSink, Pkg } from './types.js';

// Version strings in executables are NUL-delimited: the patterns match NUL on purpose.
/* eslint-disable no-control-regex */

// Programs installed from release tarballs (node, python, go, redis, ...)
// leave no package database: like syft's binary classifiers, a file with a
// known name is searched for the version string its build embeds. Only the
// first match is kept; the content streams past (a node binary is ~100 MB).
// A program an OS package owns (dpkg's md5sums files, apk's database) is that
// package's, not a second component: dropOwnedBinaries removes it, as syft does.

interface Classifier {
  name: string; // the package name, as syft names it
  file: RegExp; // on the base name
  // version patterns (a named group `version`), tried on latin1 text; may
  // depend on the file name (python's version comes from it)
  patterns: (base: string) => RegExp[];
  cpes: string[]; // with VERSION where the version goes
}

const fixed =
  (...patterns: RegExp[]) =>
  () =>
    patterns;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// python3.11 and libpython3.11.so.1.0 carry "\03.11.2\0"
const pythonTemplate = (file: RegExp) => (base: string) => {
  const v = file.exec(base)?.groups?.['version'];
  return v ? [new RegExp(`\\x00(?<version>${escape(v)}[-._a-zA-Z0-9]*)\\x00`)] : [];
};
const cpe = (vendor: string, product: string) => `cpe:2.3:a:${vendor}:${product}:VERSION:*:*:*:*:*:*:*`;

const PYTHON = /^python(?<version>[0-9]{1,6}(?:\.[0-9]{1,6}){1,4})$/;

export const CLASSIFIERS: readonly Classifier[] = [
  {
    name: 'python',
    file: PYTHON,
    patterns: pythonTemplate(PYTHON),
    cpes: [cpe('python_software_foundation', 'python'), cpe('python', 'python')],
  },
  {
    name: 'python',
    file: /^libpython[0-9]{1,6}(?:\.[0-9]{1,6}){1,4}[a-z]?\.so/,
    patterns: pythonTemplate(/^libpython(?<version>[0-9]{1,6}(?:\.[0-9]{1,6}){1,4})[a-z]?\.so/),
    cpes: [cpe('python_software_foundation', 'python'), cpe('python', 'python')],
  },
  {
    name: 'go',
    file: /^(go|go\.exe)$/,
    patterns: fixed(/go(?<version>[0-9]{1,6}\.[0-9]{1,6}(\.[0-9]{1,6}|beta[0-9]{1,6}|alpha[0-9]{1,6}|rc[0-9]{1,6})?)\x00/),
    cpes: [cpe('golang', 'go')],
  },
  {
    name: 'node',
    file: /^node$/,
    patterns: fixed(/\x00(node )?v(?<version>(0|4|5|6)\.[0-9]{1,6}\.[0-9]{1,6})\x00/, /node\.js\/v(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/),
    cpes: [cpe('nodejs', 'node.js')],
  },
  {
    name: 'redis',
    file: /^redis-server$/,
    patterns: fixed(
      /[^\d](?<version>\d{1,6}.\d{1,6}\.\d{1,6})buildkitsandbox-\d/,
      /[^\d](?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})\w{12}-\d/,
      /Redis version (?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/,
    ),
    cpes: [cpe('redislabs', 'redis'), cpe('redis', 'redis')],
  },
  { name: 'busybox', file: /^busybox$/, patterns: fixed(/BusyBox\s{1,8}v(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/), cpes: [cpe('busybox', 'busybox')] },
  { name: 'httpd', file: /^httpd$/, patterns: fixed(/Apache\/(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/), cpes: [cpe('apache', 'http_server')] },
  {
    name: 'nginx',
    file: /^nginx$/,
    patterns: fixed(/(\x00|\?)nginx version: [^/]{1,64}\/(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}(?:\+\d{1,6})?(?:-\d{1,6})?)/),
    cpes: [cpe('f5', 'nginx'), cpe('nginx', 'nginx')],
  },
  {
    name: 'postgresql',
    file: /^postgres$/,
    patterns: fixed(/(\x00|\?)PostgreSQL (?<version>[0-9]{1,6}(\.[0-9]{1,6})?(\.[0-9]{1,6})?(alpha[0-9]|beta[0-9]|rc[0-9])?)/),
    cpes: [cpe('postgresql', 'postgresql')],
  },
  { name: 'memcached', file: /^memcached$/, patterns: fixed(/memcached\s(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})/), cpes: [cpe('memcached', 'memcached')] },
  { name: 'ruby', file: /^ruby$/, patterns: fixed(/ruby (?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}((p|preview|rc|dev)[0-9]*)?) /), cpes: [cpe('ruby-lang', 'ruby')] },
  {
    name: 'bash',
    file: /^bash$/,
    patterns: fixed(/@\(#\)Bash version (?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6})\([0-9]\) [a-z0-9]+ GNU/),
    cpes: [cpe('gnu', 'bash')],
  },
  {
    name: 'openssl',
    file: /^openssl$/,
    patterns: fixed(/\x00OpenSSL (?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}([a-z]+|-alpha[0-9]|-beta[0-9]|-rc[0-9])?)/),
    cpes: [cpe('openssl', 'openssl')],
  },
  {
    name: 'haproxy',
    file: /^haproxy$/,
    patterns: fixed(
      /version (?<version>[0-9]{1,6}\.[0-9]{1,6}(\.|-dev|-rc)[0-9]{1,6})(-[a-z0-9]{7})?, released 20/,
      /HA-Proxy version (?<version>[0-9]{1,6}\.[0-9]{1,6}(\.|-dev)[0-9]{1,6})/,
    ),
    cpes: [cpe('haproxy', 'haproxy')],
  },
  {
    name: 'composer',
    file: /^composer/,
    patterns: fixed(/'pretty_version'\s{0,8}=>\s{0,8}'(?<version>[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}(beta[0-9]{1,6}|alpha[0-9]{1,6}|RC[0-9]{1,6})?)'/),
    cpes: [cpe('getcomposer', 'composer')],
  },
];

// One test per tar entry before the per-classifier ones: every classifier's
// file pattern (each anchored at the start) in one anchored alternation,
// named groups made plain (a name may not repeat in one pattern).
const ANY_NAME = new RegExp(`^(?:${CLASSIFIERS.map((c) => c.file.source.replace(/^\^/, '').replace(/\(\?<\w+>/g, '(?:')).join('|')})`);
const classifiersFor = (path: string) => {
  const base = basename(path);
  return ANY_NAME.test(base) ? CLASSIFIERS.filter((c) => c.file.test(base)) : [];
};

// Version strings are short: a match can straddle two chunks by less than this.
// syft's patterns run on RE2, which is linear; JavaScript's regexes
// backtrack, so every repeat here is bounded (a version part has at most 6
// digits) and syft's haproxy pattern with a free `.+` is left out: a crafted
// file of near-matches would otherwise cost quadratic time.
const OVERLAP = 512;
const LOOKAHEAD = 32;

/** The first version each pattern set finds in the streamed bytes, as "index\tversion" lines. */
function versionSink(path: string): ContentSink {
  const base = basename(path);
  const sets = classifiersFor(path).map((c) => c.patterns(base));
  const found: (string | undefined)[] = sets.map(() => undefined);
  let tail = '';
  let seen = 0;
  // A match ending near the end of what has arrived may still grow (20.11.1
  // of 20.11.10): it is taken only once more bytes follow it, or at the end.
  const search = (text: string, final: boolean) => {
    sets.forEach((patterns, i) => {
      if (found[i] !== undefined) return;
      for (const re of patterns) {
        const m = re.exec(text);
        const v = m?.groups?.['version'];
        if (v && (final || m.index + m[0].length <= text.length - LOOKAHEAD)) return void (found[i] = v);
      }
    });
  };
  return {
    push(chunk) {
      seen += chunk.length;
      if (seen > MAX_PROGRAM || found.every((f) => f !== undefined)) return;
      const text = tail + chunk.toString('latin1');
      search(text, false);
      tail = text.slice(-OVERLAP);
    },
    end: () => {
      if (seen <= MAX_PROGRAM) search(tail, true);
      const lines = found.flatMap((v, i) => (v === undefined ? [] : [`${i}\t${v}`]));
      return lines.length > 0 ? Buffer.from(lines.join('\n')) : undefined;
    },
  };
}

// dpkg's per-package md5sums ("<md5>  usr/bin/bash"; syft's list of a
// package's files) and apk's database: only the lines naming a file a
// classifier would look at are kept (a few, of tens of thousands).
const DPKG_LIST = /\/var\/lib\/dpkg\/(?:info|status\.d)\/[^/]+\.md5sums$/;
const APK_DB = /\/lib\/apk\/db\/installed$/;
const isOwnershipDb = (path: string) => (path.endsWith('.md5sums') && DPKG_LIST.test(path)) || (path.endsWith('/installed') && APK_DB.test(path));

function ownedLinesSink(path: string): ContentSink {
  const apk = APK_DB.test(path);
  const kept: string[] = [];
  let dir = '';
  let partial = '';
  const line = (l: string) => {
    if (apk) {
      if (l.startsWith('F:')) dir = l.slice(2);
      else if (l.startsWith('R:') && classifiersFor(l.slice(2)).length > 0) kept.push(`/${dir}/${l.slice(2)}`);
    } else {
      const file = l.slice(l.indexOf(' ') + 1).trim();
      if (file && classifiersFor(file).length > 0) kept.push(file.startsWith('/') ? file : `/${file}`);
    }
  };
  return {
    push(chunk) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const l of lines) line(l);
    },
    end: () => {
      if (partial) line(partial);
      return kept.length > 0 ? Buffer.from(kept.join('\n')) : undefined;
    },
  };
}

export const OWNED = 'os-file-ownership';

export const classifiers: Cataloger = {
  name: 'binary-classifier-cataloger',
  match: (path, entry) => isOwnershipDb(path) || (entry.size > 0 && classifiersFor(path).length > 0),
  sink: (path) => (isOwnershipDb(path) ? ownedLinesSink(path) : versionSink(path)),
  parse(file) {
    const text = file.content.toString('utf8');
    if (isOwnershipDb(file.path)) {
      // carriers: each path an OS package owns, for dropOwnedBinaries
      const root = file.path.replace(/\/(var\/lib\/dpkg\/(?:info|status\.d)\/[^/]+\.md5sums|lib\/apk\/db\/installed)$/, '');
      const packages: Pkg[] = text.split('\n').map((owned) => ({
        name: owned,
        version: '',
        type: 'binary',
        purl: '',
        licenses: [],
        foundBy: OWNED,
        path: `${root}${owned}`,
        layer: file.layer,
        carrier: true,
      }));
      return { packages, relationships: [] };
    }
    const matched = classifiersFor(file.path);
    const packages: Pkg[] = [];
    for (const line of text.split('\n')) {
      const [index, version = ''] = line.split('\t');
      const c = matched[Number(index)];
      if (!c || !version) continue;
      packages.push({
        name: c.name,
        version,
        type: 'binary',
        purl: purl('generic', undefined, c.name, version),
        licenses: [],
        foundBy: classifiers.name,
        path: file.path,
        layer: file.layer,
        cpes: c.cpes.map((x) => x.replace('VERSION', version)),
      });
      break; // one package per file: the first classifier that matched
    }
    return { packages, relationships: [] };
  },
};

// /bin, /sbin and /lib are /usr's on merged-/usr systems: an md5sums naming
// /bin/bash owns /usr/bin/bash too (file paths here are canonical).
function ownedSpellings(path: string): string[] {
  const m = /^(.*?)(\/usr)?(\/(?:bin|sbin|lib[^/]*)\/.*)$/.exec(path);
  return m ? [`${m[1]}${m[3]}`, `${m[1]}/usr${m[3]}`] : [path];
}

/**
 * Removes classified programs that an OS package owns (that package lists
 * them already) and programs found twice with the same version at one path,
 * and the ownership carriers. Relationships refer to package objects, so the
 * rest stay as they are.
 */
export function dropOwnedBinaries(packages: Pkg[]): Pkg[] {
  const owned = new Set(packages.filter((p) => p.foundBy === OWNED).flatMap((p) => ownedSpellings(p.path)));
  const seen = new Set<string>();
  return packages.filter((p) => {
    if (p.foundBy === OWNED) return false;
    if (p.foundBy !== classifiers.name) return true;
    if (owned.has(p.path)) return false;
    const key = `${p.purl}\n${p.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
