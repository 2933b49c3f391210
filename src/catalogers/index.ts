import { apk } from './apk.js';
import { classifiers, dropOwnedBinaries } from './classifiers.js';
import { dotnet } from './dotnet.js';
import { dpkg } from './dpkg.js';
import { dpkgCopyright, mergeCopyrightLicenses } from './dpkg-copyright.js';
import { go } from './go.js';
import { java } from './java.js';
import { npm } from './npm.js';
import { php } from './php.js';
import { python } from './python.js';
import { rpm } from './rpm.js';
import { ruby } from './ruby.js';
import { rust } from './rust.js';
import type { Cataloger, Pkg } from './types.js';

// Every cataloger that runs on images (installed-state evidence only, as syft
// does for images: no lock files), in output order. dpkgCopyright finds no
// packages: it carries licenses to dpkg's (see mergeCopyrightLicenses).
export const catalogers: readonly Cataloger[] = [dpkg, dpkgCopyright, apk, rpm, npm, python, go, rust, java, ruby, php, dotnet, classifiers];

// What catalogers found, settled across catalogers: copyright licenses given
// to dpkg packages, programs an OS package owns dropped; no carrier left.
export function settlePackages(packages: Pkg[]): Pkg[] {
  return dropOwnedBinaries(mergeCopyrightLicenses(packages));
}
