#!/usr/bin/env bash
# `npm run lint`: ESLint (eslint.config.js; type-checked rules on the TypeScript)
# and Prettier's check of the layout. Runs both, then ends with one line naming
# what failed and the fix.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
failed=()
eslint . || failed+=("eslint: fix the errors listed above")
bash scripts/format.sh --check || failed+=("prettier: the files listed above differ; run bash scripts/format.sh")
if [ "${#failed[@]}" -gt 0 ]; then
  msg="lint failed: ${failed[0]}"
  [ "${#failed[@]}" -gt 1 ] && msg+=" | ${failed[1]}"
  echo "$msg" >&2
  exit 1
fi
echo "lint: eslint and prettier clean"
