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
