import { distroQualifier } from './distro.js';
import { dirname, relateByName } from './common.js';
import { purl } from './purl.js';
import { bdbValues, isBdbHash } from './rpm/bdb.js';
import { parseRpmHeader } from './rpm/header.js';
import { isNdb, ndbBlobs } from './rpm/ndb.js';
import { isSqlite, sqliteBlobs } from './rpm/sqlite.js';
import type { Cataloger, Distro, Pkg } from './types.js';

// The rpm database in all three backends; the file's magic picks the reader.
const DB = /\/(?:var\/lib|usr\/share|usr\/lib\/sysimage)\/rpm\/(?:Packages|Packages\.db|rpmdb\.sqlite)$/;

// purl namespace: the distro ID, except Red Hat's and openSUSE's vendor names.
function namespace(distro: Distro | undefined): string | undefined {
  if (!distro) return undefined;
  if (distro.id === 'rhel' || distro.id === 'hummingbird') return 'redhat';
  if (distro.id.startsWith('opensuse')) return 'opensuse';
  return distro.id;
}

async function headerBlobs(db: Buffer): Promise<Buffer[]> {
  if (isSqlite(db)) return sqliteBlobs(db);
  if (isNdb(db)) return ndbBlobs(db);
  if (isBdbHash(db)) return bdbValues(db);
  throw new Error('unrecognised rpm database format');
}

export const rpm: Cataloger = {
  name: 'rpm-db-cataloger',
  match: (path) => DB.test(path),
  async parse(file, ctx) {
    const packages: Pkg[] = [];
    for (const blob of await headerBlobs(file.content)) {
      // BerkeleyDB also stores a few bookkeeping records that are not headers.
      if (blob.length < 16) continue;
      const h = parseRpmHeader(blob);
      // Imported signing keys are pseudo-packages, not software.
      if (h.name === 'gpg-pubkey') continue;
      const vr = `${h.version}-${h.release}`;
      packages.push({
        name: h.name,
        version: h.epoch !== undefined ? `${h.epoch}:${vr}` : vr,
        type: 'rpm',
        purl: purl('rpm', namespace(ctx.distro), h.name, vr, {
          arch: h.arch,
          distro: distroQualifier(ctx.distro),
          epoch: h.epoch !== undefined ? String(h.epoch) : undefined,
          upstream: h.sourceRpm,
        }),
        licenses: h.license ? [h.license] : [],
        foundBy: rpm.name,
        path: file.path,
        layer: file.layer,
        requires: h.requires.filter((r) => !r.startsWith('rpmlib(')),
        provides: h.provides,
      });
    }
    return { packages, relationships: [] };
  },
  relate: (packages) => relateByName(packages, (p) => dirname(p.path)),
};
