import { MAX_COPYRIGHT_FILE } from './limits.js';
import { type Cataloger, type ContentSink, type EntryInfo, type Pkg, type ScanContext } from './types.js';

// Licenses of Debian packages from their machine-readable copyright files
// (DEP-5: every `License:` field's short name). dpkg's database records no
// license. The scanner keeps only files still present in the final image; each
// copyright file yields a carrier record that mergeCopyrightLicenses() folds
// into the dpkg package of the same name and root, then drops.

const COPYRIGHT = /^(.*)\/usr\/share\/doc\/([^/]+)\/copyright$/;
export const CARRIER = 'dpkg-copyright-cataloger';

// Debian's short names for the GNU family: "GPL-2+" is GPL-2.0-or-later, a
// bare "GPL-2" is GPL-2.0-only; others are kept as written.
function spdxOf(short: string): string {
  const m = /^(A|L)?GPL-(\d)(?:\.(\d))?(\+)?$/i.exec(short);
  if (m) return `${(m[1] ?? '').toUpperCase()}GPL-${m[2]}.${m[3] ?? '0'}-${m[4] ? 'or-later' : 'only'}`;
  if (/^expat$/i.test(short)) return 'MIT';
  return short;
}

/** Short license names of a DEP-5 copyright file, in order of first appearance; [] for free-form files. */
export function copyrightLicenses(text: string): string[] {
  if (!/^Format:\s*\S/m.test(text)) return [];
  const out: string[] = [];
  for (const m of text.matchAll(/^License:[ \t]*([^\n]*)$/gm)) {
    // "GPL-2+ or Artistic" and "MIT and BSD-3-clause": every name counts
    for (const name of m[1]!.trim().split(/\s+(?:or|and)\s+|\s*[,|]\s*/i)) {
      const s = name.replace(/,?\s*with\s+.*$/i, '').trim();
      if (s && /^[A-Za-z0-9.+_-]+$/.test(s)) out.push(spdxOf(s));
    }
  }
  return [...new Set(out)];
}

export const dpkgCopyright: Cataloger = {
  name: CARRIER,
  match: (path) => COPYRIGHT.test(path),
  // A file over the bound is not kept: a warning, and its package has no license.
  sink(path: string, entry: EntryInfo, scan?: ScanContext): ContentSink {
    const over = entry.size > MAX_COPYRIGHT_FILE;
    if (over) scan?.warn(path, `${entry.size} bytes, over the ${MAX_COPYRIGHT_FILE}-byte limit for a copyright file, not read`);
    const parts: Buffer[] = [];
    return {
      push: (chunk) => void (over || parts.push(chunk)),
      end: () => (over || parts.length === 0 ? undefined : Buffer.concat(parts)),
    };
  },
  parse(file) {
    const [, root, name] = COPYRIGHT.exec(file.path)!;
    const licenses = copyrightLicenses(file.content.toString('utf8'));
    if (licenses.length === 0) return { packages: [], relationships: [] };
    const carrier: Pkg = { name: name!, version: '', type: 'deb', purl: '', licenses, foundBy: CARRIER, path: root ?? '', layer: file.layer, carrier: true };
    return { packages: [carrier], relationships: [] };
  },
};

const rootOf = (statusPath: string) => statusPath.replace(/\/var\/lib\/dpkg\/status(?:\.d\/[^/]+)?$/, '');

/**
 * Gives each dpkg package without a license the licenses of its copyright
 * file, and removes the carriers. In place: relationships refer to the
 * package objects themselves.
 */
export function mergeCopyrightLicenses(packages: Pkg[]): Pkg[] {
  const byKey = new Map<string, string[]>();
  for (const p of packages) if (p.foundBy === CARRIER) byKey.set(`${p.path}\n${p.name}`, p.licenses);
  if (byKey.size === 0) return packages;
  for (const p of packages) {
    if (p.type !== 'deb' || p.foundBy === CARRIER || p.licenses.length > 0) continue;
    const licenses = byKey.get(`${rootOf(p.path)}\n${p.name}`);
    if (licenses) p.licenses = licenses;
  }
  return packages.filter((p) => p.foundBy !== CARRIER);
}
