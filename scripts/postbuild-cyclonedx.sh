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
# The CycloneDX library is a chunk of its own (src/sbom/generate.ts loads it
# when an SBOM is made): the lines are looked for in every bundle file.
"$root/node_modules/.bin/node" -e '
  const fs = require("node:fs");
  const path = require("node:path");
  const dir = process.argv[1];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".js")).sort().map((f) => path.join(dir, f));
  const from = "(import.meta.url)(\"punycode\")";
  const root = "(0, node_path_1.resolve)(__dirname, \x27..\x27, \x27res\x27)";
  // (in a chunk, where the bundle\x27s createRequire is out of scope: process.getBuiltinModule)
  const here = "process.getBuiltinModule(\"node:url\").fileURLToPath(new URL(\"./cyclonedx/res\", import.meta.url))";
  const count = (src, s) => src.split(s).length - 1;
  const srcs = new Map(files.map((f) => [f, fs.readFileSync(f, "utf8")]));
  const total = (s) => [...srcs.values()].reduce((n, src) => n + count(src, s), 0);
  const n = total(from);
  if (n !== 1) { console.error(`postbuild: expected one require of the punycode built-in in ${dir}/*.js, found ${n}`); process.exit(1); }
  const m = total(root);
  if (m !== 1) { console.error(`postbuild: expected one CycloneDX resource root in ${dir}/*.js, found ${m}`); process.exit(1); }
  for (const [file, src] of srcs) {
    if (count(src, from) || count(src, root)) fs.writeFileSync(file, src.replace(from, "(import.meta.url)(\"./punycode.cjs\")").replace(root, here));
  }
' "$dist"
