#!/usr/bin/env bash
# Runtime files the ncc bundle cannot inline. Usage: postbuild-cyclonedx.sh DIST_DIR
# - CycloneDX JSON schemas: src/cyclonedx-preload.ts points the library's
#   __dirname at DIST/cyclonedx/lib, so it reads DIST/cyclonedx/res/schema.
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
  fs.writeFileSync(file, src.replace(from, "(import.meta.url)(\"./punycode.cjs\")"));
' "$dist/index.js"
