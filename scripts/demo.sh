#!/usr/bin/env bash
# Runs the whole pipeline locally on the embedded offline stack: a local
# registry and Sigstore stand-in, a small image built and pushed, the bundled
# action run as a runner runs it; prints the summary and what landed where.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="$PWD/node_modules/.bin:$PATH"
bash scripts/build.sh >/dev/null
exec node scripts/demo.mjs "$@"
