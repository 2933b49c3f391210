import { describe, expect, it } from '@jest/globals';
import { apk } from '../../../src/catalogers/apk.js';
import { identifyDistro } from '../../../src/catalogers/distro.js';
import { dpkg } from '../../../src/catalogers/dpkg.js';
import { debian, parse, summary } from './helpers.js';

const STATUS = `Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u7
Depends: libgcc-s1

Package: g++
Status: install ok installed
Architecture: amd64
Source: gcc-defaults (1.203)
Version: 4:12.2.0-3
Depends: cpp (= 4:12.2.0-3), libc6 (>= 2.34) | libc6-alt

Package: removed
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Version: 12.2.0-14
Provides: libgcc1 (= 1:12.2.0-14)
Description: multi-line
 continuation line
`;

describe('dpkg', () => {
  it('matches the status file and distroless status.d, not md5sums', () => {
    expect(dpkg.match('/var/lib/dpkg/status', { size: 1, mode: 0o644 })).toBe(true);
    expect(dpkg.match('/var/lib/dpkg/status.d/base', { size: 1, mode: 0o644 })).toBe(true);
    expect(dpkg.match('/var/lib/dpkg/status.d/base.md5sums', { size: 1, mode: 0o644 })).toBe(false);
    expect(dpkg.match('/var/lib/dpkg/status-old', { size: 1, mode: 0o644 })).toBe(false);
  });

  it('reads installed packages with syft-shaped purls and skips removed ones', async () => {
    const r = await parse(dpkg, '/var/lib/dpkg/status', STATUS, debian);
    expect(summary(r).map((p) => p.purl)).toEqual([
      'pkg:deb/debian/libc6@2.36-9+deb12u7?arch=amd64&distro=debian-12.7&upstream=glibc',
      'pkg:deb/debian/g%2B%2B@4:12.2.0-3?arch=amd64&distro=debian-12.7&upstream=gcc-defaults%401.203',
      'pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&distro=debian-12.7',
    ]);
  });

  it('relates Depends by name, including alternatives', async () => {
    const r = await parse(dpkg, '/var/lib/dpkg/status', STATUS, debian);
    const edges = dpkg.relate!(r.packages).map((e) => `${e.from.name}->${e.to.name}`);
    expect(edges).toEqual(['libc6->libgcc-s1', 'g++->libc6']);
  });
});

describe('apk', () => {
  const DB =
    'P:busybox\nV:1.36.1-r29\nA:x86_64\nL:GPL-2.0-only\no:busybox\nD:so:libc.musl-x86_64.so.1\n\nP:libssl3\nV:3.3.2-r0\nA:x86_64\nL:MIT BSD-2-Clause\no:openssl\n\nP:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\np:so:libc.musl-x86_64.so.1=1\n';
  it('reads records, splits non-SPDX license lists and relates by provides', async () => {
    const r = await parse(apk, '/lib/apk/db/installed', DB, { id: 'alpine', idLike: [], versionId: '3.20.3' });
    expect(summary(r)).toEqual([
      { name: 'busybox', version: '1.36.1-r29', purl: 'pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3', licenses: ['GPL-2.0-only'] },
      {
        name: 'libssl3',
        version: '3.3.2-r0',
        purl: 'pkg:apk/alpine/libssl3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl',
        licenses: ['MIT', 'BSD-2-Clause'],
      },
      { name: 'musl', version: '1.2.5-r0', purl: 'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3', licenses: ['MIT'] },
    ]);
    expect(apk.relate!(r.packages).map((e) => `${e.from.name}->${e.to.name}`)).toEqual(['busybox->musl']);
  });
});

describe('identifyDistro', () => {
  it('takes the Debian point release from /etc/debian_version', () => {
    expect(identifyDistro('ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', '12.7\n')).toMatchObject({ id: 'debian', versionId: '12.7' });
    expect(identifyDistro('ID=debian\nVERSION_ID="12"\n', 'trixie/sid\n')).toMatchObject({ versionId: '12' });
    expect(identifyDistro('ID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.4"\n', undefined)).toMatchObject({ id: 'rhel', idLike: ['fedora'], versionId: '9.4' });
    expect(identifyDistro(undefined, '12.7')).toBeUndefined();
  });
});
