// Imported by sbom.ts before @cyclonedx/cyclonedx-library, to prepare what
// that library needs when it loads inside the ncc ESM bundle:
// - it finds its JSON schemas at `${__dirname}/../res`, and ESM has no
//   __dirname, so this points it inside dist/ (scripts/postbuild-cyclonedx.sh
//   copies the schemas to dist/cyclonedx/res/schema). Unbundled, the library
//   is a real CommonJS module with its own __dirname and this is never read;
// - on load it probes its optional validator plugins, which require Node's
//   deprecated `punycode` and print a DEP0040 warning into every user's log.
//   Deprecation warnings are off until sbom.ts restores the setting, right
//   after the library has loaded.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const g = globalThis as { __dirname?: string };
g.__dirname ??= join(dirname(fileURLToPath(import.meta.url)), 'cyclonedx', 'lib');

export const deprecationsBefore = process.noDeprecation;
process.noDeprecation = true;
