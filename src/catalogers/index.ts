import { apk } from './apk.js';
import { dotnet } from './dotnet.js';
import { dpkg } from './dpkg.js';
import { dpkgCopyright } from './dpkg-copyright.js';
import { go } from './go.js';
import { java } from './java.js';
import { npm } from './npm.js';
import { php } from './php.js';
import { python } from './python.js';
import { rpm } from './rpm.js';
import { ruby } from './ruby.js';
import { rust } from './rust.js';
import type { Cataloger } from './types.js';

// Every cataloger that runs on images (installed-state evidence only, as syft
// does for images: no lock files), in output order. dpkgCopyright finds no
// packages: it carries licenses to dpkg's (see mergeCopyrightLicenses).
export const catalogers: readonly Cataloger[] = [dpkg, dpkgCopyright, apk, rpm, npm, python, go, rust, java, ruby, php, dotnet];
