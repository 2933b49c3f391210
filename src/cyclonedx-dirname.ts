// @cyclonedx/cyclonedx-library finds its JSON schemas at `${__dirname}/../res`.
// In the ncc ESM bundle there is no __dirname, so this module (imported before
// the library) points it inside dist/: scripts/postbuild-cyclonedx.sh copies
// the schemas to dist/cyclonedx/res/schema. Unbundled, the library is a real
// CommonJS module with its own __dirname and this global is never read.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const g = globalThis as { __dirname?: string };
g.__dirname ??= join(dirname(fileURLToPath(import.meta.url)), 'cyclonedx', 'lib');
