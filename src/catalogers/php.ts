import { dirname, relateByName } from './common.js';
import { purl } from './purl.js';
import type { Cataloger, Pkg } from './types.js';

// vendor/composer/installed.json: Composer 1 writes an array, Composer 2
// `{"packages": [...]}`.
interface ComposerPackage {
  name?: unknown;
  version?: unknown;
  license?: unknown;
  require?: unknown;
}

export const php: Cataloger = {
  name: 'php-composer-installed-cataloger',
  match: (path) => path.endsWith('/installed.json'),
  parse(file) {
    const json = JSON.parse(file.content.toString('utf8')) as unknown;
    const list: unknown = Array.isArray(json) ? json : (json as { packages?: unknown } | null)?.packages;
    const packages: Pkg[] = [];
    for (const p of Array.isArray(list) ? (list as ComposerPackage[]) : []) {
      if (typeof p.name !== 'string' || typeof p.version !== 'string' || !p.name.includes('/')) continue;
      const [vendor, name] = [p.name.slice(0, p.name.indexOf('/')), p.name.slice(p.name.indexOf('/') + 1)];
      packages.push({
        name: p.name,
        version: p.version,
        type: 'php-composer',
        purl: purl('composer', vendor, name, p.version),
        licenses: Array.isArray(p.license) ? p.license.filter((l): l is string => typeof l === 'string') : typeof p.license === 'string' ? [p.license] : [],
        foundBy: php.name,
        path: file.path,
        layer: file.layer,
        requires: p.require && typeof p.require === 'object' ? Object.keys(p.require) : [],
      });
    }
    return { packages, relationships: [] };
  },
  relate: (packages) => relateByName(packages, (p) => dirname(p.path)),
};
