import { basename, dirname, field, parseStanzas, relateByName } from './common.js';
import { purl } from './purl.js';
import type { Cataloger } from './types.js';

// Installed distributions: wheel-style *.dist-info/METADATA, setuptools
// *.egg-info/PKG-INFO, and the single-file *.egg-info Debian ships for some.
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function isMetadataPath(path: string): boolean {
  const base = basename(path);
  const parent = basename(dirname(path));
  if (base === 'METADATA') return parent.endsWith('.dist-info');
  if (base === 'PKG-INFO') return parent.endsWith('.egg-info');
  return base.endsWith('.egg-info');
}

// "requests[socks] (>=2.0) ; python_version < '3.8'" → "requests"; extras
// are optional features, not installed dependencies.
function requirement(spec: string): string | undefined {
  if (/;\s*.*\bextra\s*==/.test(spec)) return undefined;
  return /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(spec.trim())?.[0];
}

// Trove license classifiers, for distributions that declare neither
// License-Expression nor License: the common ones name one SPDX license.
const CLASSIFIERS: Record<string, string> = {
  'MIT License': 'MIT',
  'Apache Software License': 'Apache-2.0',
  'ISC License (ISCL)': 'ISC',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
  'GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.0-or-later',
  'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'Python Software Foundation License': 'PSF-2.0',
  'The Unlicense (Unlicense)': 'Unlicense',
  'Zope Public License': 'ZPL-2.1',
};

function classifierLicenses(headers: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const c of headers.get('classifier') ?? []) {
    const m = /^License\s*::\s*(?:OSI Approved\s*::\s*)?(.+)$/.exec(c.trim());
    const id = m && CLASSIFIERS[m[1]!.trim()];
    if (id) out.push(id);
  }
  return [...new Set(out)];
}

export const python: Cataloger = {
  name: 'python-installed-package-cataloger',
  match: (path, entry) => entry.size < 4 * 1024 * 1024 && isMetadataPath(path),
  parse(file) {
    // Only the header block: the body after the first blank line is the long description.
    const text = file.content.toString('utf8');
    const end = text.search(/\r?\n\r?\n/);
    const headers = parseStanzas(end === -1 ? text : text.slice(0, end))[0];
    const name = headers && field(headers, 'name');
    const version = headers && field(headers, 'version');
    if (!headers || !name || !version) return { packages: [], relationships: [] };
    const expression = field(headers, 'license-expression');
    const license = field(headers, 'license');
    const licenses = expression ? [expression] : license && license !== 'UNKNOWN' && !license.includes('\n') ? [license] : classifierLicenses(headers);
    const normalized = normalizePythonName(name);
    return {
      packages: [
        {
          name: normalized,
          version,
          type: 'python',
          purl: purl('pypi', undefined, normalized, version),
          licenses,
          foundBy: python.name,
          path: file.path,
          layer: file.layer,
          requires: (headers.get('requires-dist') ?? []).map(requirement).filter((r): r is string => !!r),
        },
      ],
      relationships: [],
    };
  },
  // One site-packages folder is one environment.
  relate: (packages) => relateByName(packages, (p) => (basename(p.path).endsWith('.egg-info') ? dirname(p.path) : dirname(dirname(p.path))), normalizePythonName),
};
