import { basename, dirname } from './common.js';
import { purl } from './purl.js';
import type { Cataloger, Pkg, Relationship } from './types.js';

interface PackageJson {
  name?: unknown;
  version?: unknown;
  license?: unknown;
  licenses?: unknown;
  dependencies?: unknown;
  optionalDependencies?: unknown;
}

function licenseOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
    return (value as { type: string }).type;
  }
  return undefined;
}

// A key as Go's encoding/json matches it (and so syft): exactly, else in any
// case ("LICENSE": "MPL-2.0" is a license field to it).
function caseless(json: object, key: string): unknown {
  if (key in json) return (json as Record<string, unknown>)[key];
  const other = Object.keys(json).find((k) => k.toLowerCase() === key);
  return other === undefined ? undefined : (json as Record<string, unknown>)[other];
}

function depNames(value: unknown): string[] {
  return value && typeof value === 'object' ? Object.keys(value) : [];
}

// Installed packages only: every package.json in the image (node_modules and
// app roots), not lock files. Files without a name are markers such as
// {"type":"module"} in a package's subfolder, not packages. A named package
// without a version (an unpublished app) is listed as syft lists it: version
// UNKNOWN, and a purl without one.
const UNKNOWN = 'UNKNOWN';
export const npm: Cataloger = {
  name: 'javascript-package-cataloger',
  match: (path) => path.endsWith('/package.json'),
  parse(file) {
    const json = JSON.parse(file.content.toString('utf8')) as PackageJson;
    if (typeof json !== 'object' || json === null) return { packages: [], relationships: [] };
    const { name } = json;
    if (typeof name !== 'string' || name === '') return { packages: [], relationships: [] };
    const version = typeof json.version === 'string' && json.version !== '' ? json.version : UNKNOWN;
    const license = caseless(json, 'license');
    const list = caseless(json, 'licenses');
    const licenses = [licenseOf(license), ...(Array.isArray(list) ? list.map(licenseOf) : [])];
    const scoped = name.startsWith('@') && name.includes('/');
    return {
      packages: [
        {
          name,
          version,
          type: 'npm',
          purl: purl(
            'npm',
            scoped ? name.slice(0, name.indexOf('/')) : undefined,
            scoped ? name.slice(name.indexOf('/') + 1) : name,
            version === UNKNOWN ? undefined : version,
          ),
          licenses: licenses.filter((l): l is string => !!l),
          foundBy: npm.name,
          path: file.path,
          layer: file.layer,
          requires: [...depNames(json.dependencies), ...depNames(json.optionalDependencies)],
        },
      ],
      relationships: [],
    };
  },
  // Node's resolution: from the package's folder upwards, the first
  // node_modules/<dep> wins.
  relate(packages) {
    const byDir = new Map<string, Pkg>();
    for (const p of packages) byDir.set(dirname(p.path), p);
    const edges: Relationship[] = [];
    for (const p of packages) {
      for (const dep of new Set(p.requires)) {
        for (let dir = dirname(p.path); ; dir = dirname(dir)) {
          if (basename(dir) === 'node_modules') continue;
          const to = byDir.get(`${dir === '/' ? '' : dir}/node_modules/${dep}`);
          if (to) {
            edges.push({ from: p, to });
            break;
          }
          if (dir === '/') break;
        }
      }
    }
    return edges;
  },
};
