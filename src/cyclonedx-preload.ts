// Imported by sbom.ts before @cyclonedx/cyclonedx-library: the library finds
// its JSON schemas at `${__dirname}/../res`, and ESM has no __dirname, so this
// points it inside dist/ (scripts/postbuild-cyclonedx.sh copies the schemas to
// dist/cyclonedx/res/schema). Unbundled, the library is a real CommonJS
// module with its own __dirname and this is never read.
// (Its JSON validator plugin requires `punycode`; the bundle is rewritten at
// build time to load the userland package, not Node's deprecated built-in,
// so no DEP0040 warning is printed and no process-wide flag is touched.)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const g = globalThis as { __dirname?: string };
g.__dirname ??= join(dirname(fileURLToPath(import.meta.url)), 'cyclonedx', 'lib');
