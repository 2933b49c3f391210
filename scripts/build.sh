#!/usr/bin/env bash
# Builds dist/ from src/: tsc to lib/, then one ncc bundle per entry point.
# Deterministic, so CI can rebuild and compare with the committed dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf lib dist
# The CycloneDX schema check, precompiled (committed; regenerated here so dist/ always matches node_modules).
node scripts/gen-cyclonedx-validator.mjs
tsc -p tsconfig.build.json
cp src/sbom/cyclonedx-validate.generated.js lib/sbom/
build() { # entry (under lib/) → output dir
  ncc build "lib/$1" -o "$2" --target es2023 >/dev/null
}
build index.js dist
[ -f lib/verify-action.js ] && build verify-action.js dist/verify
[ -f lib/cli.js ] && build cli.js dist/cli
# The signing action and the CLI (`sign-attest sbom`) generate SBOMs: each
# needs the CycloneDX schemas and the sql.js wasm beside its bundle.
bash scripts/postbuild-cyclonedx.sh dist
[ -f dist/cli/index.js ] && bash scripts/postbuild-cyclonedx.sh dist/cli
node scripts/licenses.mjs dist/licenses.txt
rm -rf lib
echo "built dist/"
