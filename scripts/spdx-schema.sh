#!/usr/bin/env bash
# Prints the path of the official SPDX 2.3 JSON schema (spdx-spec v2.3.1,
# schemas/spdx-schema.json) that the tests validate our SPDX documents
# against, fetching it once into the tools cache. No npm package ships it;
# the scancodeio wheel on PyPI does (scanpipe/pipes/schemas, with its
# .ABOUT provenance file), so it is taken from there with pip and checked
# against a pinned sha256.
set -euo pipefail
SCANCODEIO_VERSION=36.1.0
SHA256=ed9c4def98a8117d5d9ccb152cf05b5d6ba2a0958cac5f1d700a6de343968f5b
dir="${SIGN_ATTEST_TOOLS_CACHE:-$HOME/.cache/sign-attest-tools}/spdx-schema-2.3.1"
file="$dir/spdx-schema-2.3.json"
if [ ! -f "$file" ] || [ "$(sha256sum "$file" | cut -d' ' -f1)" != "$SHA256" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "spdx-schema: fetching scancodeio $SCANCODEIO_VERSION (wheel) for its copy of the SPDX 2.3 schema" >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 -d "$tmp" "scancodeio==$SCANCODEIO_VERSION" >&2
  unzip -p "$tmp"/scancodeio-"$SCANCODEIO_VERSION"-*.whl scanpipe/pipes/schemas/spdx-schema-2.3.json >"$tmp/schema.json"
  got=$(sha256sum "$tmp/schema.json" | cut -d' ' -f1)
  if [ "$got" != "$SHA256" ]; then
    echo "spdx-schema: the schema in scancodeio $SCANCODEIO_VERSION has sha256 $got, expected $SHA256" >&2
    exit 1
  fi
  mkdir -p "$dir"
  mv "$tmp/schema.json" "$file"
fi
echo "$file"
