#!/usr/bin/env bash
# Runtime files the ncc bundle cannot inline. Usage: postbuild-cyclonedx.sh DIST_DIR
# - CycloneDX JSON schemas: the library finds them at `${__dirname}/../res`,
#   and an ESM bundle has no __dirname; its one such line is rewritten below
#   to DIST/cyclonedx/res, beside the bundle (unbundled, as in unit tests, the
#   library is real CommonJS and reads its own res/).
# - sql.js and its wasm, loaded by src/catalogers/rpm/sqlite.ts from next to
#   the bundle (webpack breaks sql.js when it bundles it; see that file).
set -euo pipefail
dist="${1:?usage: postbuild-cyclonedx.sh DIST_DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
schemas="$root/node_modules/@cyclonedx/cyclonedx-library/res/schema"
mkdir -p "$dist/cyclonedx/res/schema"
cp "$schemas"/*.schema.json "$dist/cyclonedx/res/schema/"
cp "$root/node_modules/sql.js/dist/sql-wasm.wasm" "$dist/sql-wasm.wasm"
cp "$root/node_modules/sql.js/dist/sql-wasm.js" "$dist/sql-wasm.cjs"
# - punycode: the library's JSON validator plugin (ajv-formats-draft2019)
#   requires `punycode`, meaning the userland package it depends on, but Node
#   resolves that name to its deprecated built-in and prints DEP0040 into the
#   user's log. The bundle's one external require of it is pointed at a copy
#   of the userland package instead; the build fails if that require moved.
cp "$root/node_modules/punycode/punycode.js" "$dist/punycode.cjs"
"$root/node_modules/.bin/node" -e '
  const fs = require("node:fs");
  const file = process.argv[1];
  const from = "(import.meta.url)(\"punycode\")";
  const src = fs.readFileSync(file, "utf8");
  const n = src.split(from).length - 1;
  if (n !== 1) { console.error(`postbuild: expected one require of the punycode built-in in ${file}, found ${n}`); process.exit(1); }
  const root = "(0, node_path_1.resolve)(__dirname, \x27..\x27, \x27res\x27)";
  const m = src.split(root).length - 1;
  if (m !== 1) { console.error(`postbuild: expected one CycloneDX resource root in ${file}, found ${m}`); process.exit(1); }
  const here = "__WEBPACK_EXTERNAL_createRequire(import.meta.url)(\"node:url\").fileURLToPath(new URL(\"./cyclonedx/res\", import.meta.url))";
  fs.writeFileSync(file, src.replace(from, "(import.meta.url)(\"./punycode.cjs\")").replace(root, here));
' "$dist/index.js"
