import { distroQualifier } from './distro.js';
import { dirname, isSpdxExpression, relateByName } from './common.js';
import { purl } from './purl.js';
import { MAX_COMPONENTS } from './limits.js';
import { ScanLimitError, type Cataloger, type Pkg } from './types.js';

// apk's installed database: blank-line separated records of one-letter fields
// (P name, V version, A arch, L license, o origin, D depends, p provides).
// Dependencies and provides look like "so:libc.musl-x86_64.so.1", "cmd:sh",
// "pc:zlib" or "name>=1.2": compare on the bare token.
function depName(token: string): string {
  return token.replace(/^!/, '').split(/[<>=~]/)[0]!;
}

export const apk: Cataloger = {
  name: 'apk-db-cataloger',
  match: (path) => path.endsWith('/lib/apk/db/installed'),
  parse(file, ctx) {
    const packages: Pkg[] = [];
    for (const record of file.content.toString('utf8').split(/\n\s*\n/)) {
      const f = new Map<string, string>();
      for (const line of record.split('\n')) {
        if (line.length > 2 && line[1] === ':' && !f.has(line[0]!)) f.set(line[0]!, line.slice(2));
      }
      const name = f.get('P');
      const version = f.get('V');
      if (!name || !version) continue;
      if (packages.length >= MAX_COMPONENTS) throw new ScanLimitError(`more than ${MAX_COMPONENTS} packages (the SBOM component limit)`);
      const license = f.get('L')?.trim();
      const origin = f.get('o');
      packages.push({
        name,
        version,
        type: 'apk',
        purl: purl('apk', ctx.distro?.id ?? 'alpine', name, version, {
          arch: f.get('A'),
          distro: distroQualifier(ctx.distro),
          upstream: origin && origin !== name ? origin : undefined,
        }),
        // Alpine writes "MIT BSD-2-Clause" for what SPDX spells with AND/OR.
        licenses: !license ? [] : isSpdxExpression(license) ? [license] : license.split(/\s+/),
        foundBy: apk.name,
        path: file.path,
        layer: file.layer,
        requires: (f.get('D') ?? '').split(/\s+/).filter(Boolean).map(depName),
        provides: (f.get('p') ?? '').split(/\s+/).filter(Boolean).map(depName),
      });
    }
    return { packages, relationships: [] };
  },
  relate: (packages) => relateByName(packages, (p) => dirname(p.path)),
};
