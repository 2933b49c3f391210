#!/usr/bin/env bash
# Formats the JavaScript and TypeScript sources with Prettier (prettier.config.js,
# .prettierignore): the layout `npm run lint` checks.
# Usage: bash scripts/format.sh           rewrite the files that differ
#        bash scripts/format.sh --check   list them, change nothing (exit 1 if any)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
case "${1:-}" in
  '') mode=--write ;;
  --check) mode=--check ;;
  *) echo "usage: bash scripts/format.sh [--check]" >&2; exit 2 ;;
esac
exec prettier "$mode" --log-level warn '**/*.{ts,mts,mjs,js}'
