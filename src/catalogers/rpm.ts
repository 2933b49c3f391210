import { distroQualifier } from './distro.js';
import { dirname, relateByName } from './common.js';
import { purl } from './purl.js';
import { bdbValues, isBdbHash } from './rpm/bdb.js';
import { parseRpmHeader } from './rpm/header.js';
import { isNdb, ndbBlobs } from './rpm/ndb.js';
import { isSqlite, sqliteBlobs } from './rpm/sqlite.js';
import { MAX_COMPONENTS } from './limits.js';
import { ScanLimitError, type Cataloger, type Distro, type Pkg } from './types.js';

// The rpm database in all three backends; the file's magic picks the reader.
const DB = /\/(?:var\/lib|usr\/share|usr\/lib\/sysimage)\/rpm\/(?:Packages|Packages\.db|rpmdb\.sqlite)$/;

// purl namespace: the distro ID, except Red Hat's and openSUSE's vendor names.
function namespace(distro: Distro | undefined): string | undefined {
  if (!distro) return undefined;
  if (distro.id === 'rhel' || distro.id === 'hummingbird') return 'redhat';
  if (distro.id.startsWith('opensuse')) return 'opensuse';
  return distro.id;
}

// Header blobs one at a time, so a database is never held twice.
async function headerBlobs(db: Buffer, skip: (why: string) => void): Promise<Iterable<Buffer>> {
  if (isSqlite(db)) return sqliteBlobs(db);
  if (isNdb(db)) return ndbBlobs(db);
  if (isBdbHash(db)) return bdbValues(db, skip);
  throw new Error('unrecognised rpm database format');
}

// A few reports per database; then one line counting the rest.
function reporter(warn: ((message: string) => void) | undefined): { skip(why: string): void; done(): void } {
  let n = 0;
  return {
    skip(why) {
      if (++n <= 10) warn?.(`record skipped: ${why}`);
    },
    done() {
      if (n > 10) warn?.(`${n - 10} more records skipped`);
    },
  };
}

export const rpm: Cataloger = {
  name: 'rpm-db-cataloger',
  match: (path) => DB.test(path),
  async parse(file, ctx) {
    const packages: Pkg[] = [];
    const report = reporter(ctx.warn);
    for (const blob of await headerBlobs(file.content, report.skip)) {
      // BerkeleyDB also stores a few bookkeeping records that are not headers.
      if (blob.length < 16) continue;
      let h;
      try {
        h = parseRpmHeader(blob);
      } catch (err) {
        report.skip((err as Error).message);
        continue;
      }
      if (packages.length >= MAX_COMPONENTS) throw new ScanLimitError(`more than ${MAX_COMPONENTS} packages (the SBOM component limit)`);
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
    report.done();
    return { packages, relationships: [] };
  },
  relate: (packages) => relateByName(packages, (p) => dirname(p.path)),
};
