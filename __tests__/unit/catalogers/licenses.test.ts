import { describe, expect, it } from '@jest/globals';
import { dpkg } from '../../../src/catalogers/dpkg.js';
import { copyrightLicenses, dpkgCopyright, mergeCopyrightLicenses } from '../../../src/catalogers/dpkg-copyright.js';
import { MAX_COPYRIGHT_FILE } from '../../../src/catalogers/limits.js';
import { npm } from '../../../src/catalogers/npm.js';
import { python } from '../../../src/catalogers/python.js';
import { debian, parse } from './helpers.js';

const DEP5 = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: fixpkg

Files: *
Copyright: 2020 A
License: GPL-2+
 This program is free software.

Files: lib/*
Copyright: 2020 B
License: MIT
 Permission is hereby granted

Files: debian/*
License: GPL-2+

Files: contrib/*
License: LGPL-2.1 or Artistic-2.0

License: GPL-2+
 On Debian systems, see /usr/share/common-licenses/GPL-2.
`;

describe('dpkg copyright files', () => {
  it('reads every DEP-5 License: short name once, GNU names as SPDX ids (the licenses syft gives)', () => {
    expect(copyrightLicenses(DEP5)).toEqual(['GPL-2.0-or-later', 'MIT', 'LGPL-2.1-only', 'Artistic-2.0']);
    expect(copyrightLicenses('Format: x\n\nFiles: *\nLicense: Expat\n')).toEqual(['MIT']);
  });

  it('reads no license from a free-form copyright file', () => {
    expect(copyrightLicenses('This package was debianized by X.\n\nLicense:\n\nsee /usr/share/common-licenses/GPL-2\n')).toEqual([]);
  });

  it('gives the licenses to the dpkg package of that name and root, and leaves no carrier', async () => {
    const status =
      'Package: fixpkg\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\nPackage: other\nStatus: install ok installed\nVersion: 2\nArchitecture: all\n';
    const db = await parse(dpkg, '/var/lib/dpkg/status', status, debian);
    const carriers = await parse(dpkgCopyright, '/usr/share/doc/fixpkg/copyright', DEP5);
    const elsewhere = await parse(dpkgCopyright, '/opt/chroot/usr/share/doc/other/copyright', 'Format: x\nLicense: MIT\n');
    const before = db.packages[0]!;
    const merged = mergeCopyrightLicenses([...db.packages, ...carriers.packages, ...elsewhere.packages]);
    expect(merged.map((p) => [p.name, p.licenses])).toEqual([
      ['fixpkg', ['GPL-2.0-or-later', 'MIT', 'LGPL-2.1-only', 'Artistic-2.0']],
      ['other', []],
    ]);
    expect(merged[0]).toBe(before); // relationships refer to these very objects
  });

  it('does not keep a copyright file over the bound, and says so', () => {
    expect(dpkgCopyright.match('/usr/share/doc/x/copyright', { size: 100, mode: 0o644 })).toBe(true);
    expect(dpkgCopyright.match('/usr/share/doc/x/changelog.gz', { size: 100, mode: 0o644 })).toBe(false);
    const warnings: string[] = [];
    const scan = { inflatedBytes: 0, warn: (path: string, message: string) => warnings.push(`${path}: ${message}`) };
    const big = dpkgCopyright.sink!('/usr/share/doc/x/copyright', { size: MAX_COPYRIGHT_FILE + 1, mode: 0o644 }, scan);
    big.push(Buffer.alloc(1024));
    expect(big.end()).toBeUndefined();
    expect(warnings).toEqual([`/usr/share/doc/x/copyright: ${MAX_COPYRIGHT_FILE + 1} bytes, over the ${MAX_COPYRIGHT_FILE}-byte limit for a copyright file, not read`]);
    const small = dpkgCopyright.sink!('/usr/share/doc/y/copyright', { size: 9, mode: 0o644 }, scan);
    small.push(Buffer.from('Format: x'));
    expect(small.end()?.toString()).toBe('Format: x');
    expect(warnings).toHaveLength(1);
  });
});

describe('python licenses', () => {
  const meta = (headers: string) => `Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n${headers}\n\nlong description\nLicense: not a header\n`;
  const licenses = async (headers: string) => (await parse(python, '/usr/lib/python3/dist-packages/pkg-1.0.dist-info/METADATA', meta(headers))).packages[0]!.licenses;

  it('prefers License-Expression, then License, then the license classifiers', async () => {
    expect(await licenses('License-Expression: Apache-2.0 OR MIT\nLicense: BSD\nClassifier: License :: OSI Approved :: MIT License')).toEqual(['Apache-2.0 OR MIT']);
    expect(await licenses('License: BSD\nClassifier: License :: OSI Approved :: MIT License')).toEqual(['BSD']);
    expect(
      await licenses(
        'Classifier: Programming Language :: Python\nClassifier: License :: OSI Approved :: MIT License\nClassifier: License :: OSI Approved :: Apache Software License',
      ),
    ).toEqual(['MIT', 'Apache-2.0']);
    expect(await licenses('License: UNKNOWN\nClassifier: License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)')).toEqual(['GPL-2.0-or-later']);
    expect(await licenses('Classifier: License :: Other/Proprietary License')).toEqual([]);
  });
});

describe('npm licenses', () => {
  const licenses = async (json: object) =>
    (await parse(npm, '/app/node_modules/x/package.json', JSON.stringify({ name: 'x', version: '1.0.0', ...json }))).packages[0]!.licenses;

  it('reads license and licenses keys in any case, as Go JSON decoding (and so syft) does', async () => {
    expect(await licenses({ license: 'MIT' })).toEqual(['MIT']);
    // next.js ships @vercel/og with "LICENSE": "MLP-2.0"; syft lists that value
    expect(await licenses({ LICENSE: 'MLP-2.0' })).toEqual(['MLP-2.0']);
    expect(await licenses({ Licenses: [{ type: 'ISC' }] })).toEqual(['ISC']);
    expect(await licenses({ license: 'MIT', LICENSE: 'GPL-2.0' })).toEqual(['MIT']);
    expect(await licenses({ description: 'no license' })).toEqual([]);
  });
});
