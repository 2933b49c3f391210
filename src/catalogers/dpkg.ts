import { distroQualifier } from './distro.js';
import { basename, dirname, field, relateByName, stanzas } from './common.js';
import { MAX_COMPONENTS } from './limits.js';
import { purl } from './purl.js';
import { ScanLimitError, type Cataloger, type Pkg } from './types.js';

// /var/lib/dpkg/status, and distroless images' status.d/<pkg> (one stanza per
// file, with <pkg>.md5sums alongside, which is not a package).
const STATUS = /\/lib\/dpkg\/status$/;
const STATUS_D = /\/lib\/dpkg\/status\.d\/[^/]+$/;

function names(list: string | undefined): string[] {
  if (!list) return [];
  // "libc6 (>= 2.34), libgcc-s1 | libgcc1, python3:any" → every alternative's name
  return list
    .split(/[,|]/)
    .map((s) => s.trim().split(/[\s(:]/)[0]!)
    .filter(Boolean);
}

function databaseRoot(path: string): string {
  const dir = dirname(path);
  return dir.endsWith('/status.d') ? dirname(dir) : dir;
}

export const dpkg: Cataloger = {
  name: 'dpkg-db-cataloger',
  match: (path) => STATUS.test(path) || (STATUS_D.test(path) && !path.endsWith('.md5sums')),
  parse(file, ctx) {
    const packages: Pkg[] = [];
    for (const s of stanzas(file.content.toString('utf8'))) {
      const name = field(s, 'package');
      const version = field(s, 'version');
      if (!name || !version) continue;
      // Stop before building more packages than an SBOM may hold.
      if (packages.length >= MAX_COMPONENTS) throw new ScanLimitError(`more than ${MAX_COMPONENTS} packages (the SBOM component limit)`);
      // "deinstall ok config-files" and friends: the package is not on disk.
      const status = field(s, 'status') ?? 'install ok installed';
      if (/deinstall|purge|not-installed|config-files/.test(status)) continue;
      const source = /^(\S+)(?:\s+\((\S+)\))?/.exec(field(s, 'source') ?? '');
      const upstream = source ? (source[2] ? `${source[1]}@${source[2]}` : source[1]) : undefined;
      const d = ctx.distro;
      packages.push({
        name,
        version,
        type: 'deb',
        purl: purl('deb', d?.id ?? 'debian', name, version, {
          arch: field(s, 'architecture'),
          distro: distroQualifier(d),
          upstream,
        }),
        licenses: [],
        foundBy: dpkg.name,
        path: file.path,
        layer: file.layer,
        requires: [...names(field(s, 'pre-depends')), ...names(field(s, 'depends'))],
        provides: names(field(s, 'provides')),
      });
    }
    if (STATUS_D.test(file.path) && packages.length === 0) throw new Error(`no package stanza in ${basename(file.path)}`);
    return { packages, relationships: [] };
  },
  relate: (packages) => relateByName(packages, (p) => databaseRoot(p.path)),
};
