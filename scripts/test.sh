#!/usr/bin/env bash
# Runs the whole test suite (unit + end-to-end on the offline stack) on the
# Node the action runs on, installing whatever is missing first.
# Usage: npm test [-- jest args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="$PWD/node_modules/.bin:$PATH"
case "$(node --version)" in v24.*) ;; *) echo "tests need Node 24 (node_modules/.bin/node)" >&2; exit 1 ;; esac
[ -f dist/index.js ] || bash scripts/build.sh
# The real verifiers the interop suite runs (pinned in tools/versions.env):
# built once into a cache outside the clone, so this only links them when
# they are there already. syft is the reference for __tests__/e2e/syft-parity.test.ts.
bash scripts/install-tools.sh cosign2 cosign3 gh sigstore-python syft
export NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning --disable-warning=DEP0040"
exec jest "$@"
