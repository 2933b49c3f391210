#!/usr/bin/env bash
# Builds the pinned real tools (tools/versions.env) from their modules, once:
# each lands in a version-keyed folder of a cache outside the clone, so a fresh
# clone on the same machine reuses it, and is linked into .tools/bin.
# Usage: scripts/install-tools.sh [name ...]   (default: every tool but kyverno)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/versions.env
cache="${SIGN_ATTEST_TOOLS_CACHE:-$HOME/.cache/sign-attest-tools}"
bin="$PWD/.tools/bin"
mkdir -p "$cache" "$bin"
export GOTOOLCHAIN="$GO_TOOLCHAIN" GOFLAGS="-buildvcs=false -trimpath" CGO_ENABLED=0

# Holds an exclusive lock on DIR.lock until the calling function returns, so
# two clones (or two test runs) needing the same tool build it once: the
# second waits, then finds it built.
lock() {
  exec {lock_fd}>"$1.lock"
  flock "$lock_fd"
}

# go_tool NAME VERSION MODULE/CMD[@VERSION] [BINARY]: go install into the cache.
go_tool() {
  local name=$1 version=$2 pkg=$3 binary=${4:-$(basename "${3%@*}")}
  local dir="$cache/$name-$version" lock_fd
  if [ ! -x "$dir/bin/$binary" ]; then
    lock "$dir"
  fi
  if [ ! -x "$dir/bin/$binary" ]; then
    local t0=$SECONDS
    echo "tools: building $name $version"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/bin"
    GOBIN="$dir.tmp/bin" go install -ldflags="-s -w" "$pkg@$version"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    echo "tools: built $name $version in $((SECONDS - t0)) s"
  fi
  [ -z "${lock_fd:-}" ] || exec {lock_fd}>&-
  ln -sfn "$dir/bin/$binary" "$bin/$name"
}

# go_module_build NAME VERSION MODULE CMD_DIR [LDFLAGS]: builds CMD_DIR inside
# the downloaded module, with the module's own go.mod and go.sum, exactly as
# `go install MODULE/CMD_DIR@VERSION` would. For modules whose version list
# the module proxy refuses (403): `go install pkg@version` reads that list to
# look for a deprecation notice and stops when it cannot, while downloading
# the pinned version itself works; and for modules whose go.mod has replace
# directives, which `go install pkg@version` refuses outright.
go_module_build() {
  local name=$1 version=$2 module=$3 cmd=$4 ldflags=${5:-}
  local dir="$cache/$name-$version" lock_fd
  if [ ! -x "$dir/bin/$name" ]; then
    lock "$dir"
  fi
  if [ ! -x "$dir/bin/$name" ]; then
    local t0=$SECONDS src
    echo "tools: building $name $version"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/bin"
    src=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -d "$src" ] || { echo "tools: go mod download $module@$version gave no source directory" >&2; return 1; }
    (cd "$src" && go build -ldflags="-s -w $ldflags" -o "$dir.tmp/bin/$name" "./$cmd")
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    echo "tools: built $name $version in $((SECONDS - t0)) s"
  fi
  [ -z "${lock_fd:-}" ] || exec {lock_fd}>&-
  ln -sfn "$dir/bin/$name" "$bin/$name"
}

# Trillian's MySQL schema ships only inside its module: keep a copy next to the
# binary (the module cache may be cleaned) and link it as .tools/share/trillian-storage.sql.
trillian_schema() {
  local dir="$cache/trillian-log-server-$TRILLIAN_VERSION"
  if [ ! -f "$dir/storage.sql" ]; then
    go mod download github.com/google/trillian@"$TRILLIAN_VERSION"
    cp "$(go env GOMODCACHE)/github.com/google/trillian@$TRILLIAN_VERSION/storage/mysql/schema/storage.sql" "$dir/storage.sql"
  fi
  mkdir -p "$PWD/.tools/share"
  ln -sfn "$dir/storage.sql" "$PWD/.tools/share/trillian-storage.sql"
}

py_tool() {
  local dir="$cache/sigstore-python-$SIGSTORE_PYTHON_VERSION" lock_fd
  if [ ! -x "$dir/bin/sigstore" ]; then
    lock "$dir"
  fi
  if [ ! -x "$dir/bin/sigstore" ]; then
    local t0=$SECONDS
    echo "tools: installing sigstore-python $SIGSTORE_PYTHON_VERSION"
    rm -rf "$dir" && python3 -m venv "$dir"
    "$dir/bin/pip" install -q "sigstore==$SIGSTORE_PYTHON_VERSION"
    echo "tools: installed sigstore-python in $((SECONDS - t0)) s"
  fi
  [ -z "${lock_fd:-}" ] || exec {lock_fd}>&-
  ln -sfn "$dir/bin/sigstore" "$bin/sigstore-python"
}

install_one() {
  case "$1" in
    cosign2) go_tool cosign2 "$COSIGN2_VERSION" github.com/sigstore/cosign/v2/cmd/cosign cosign ;;
    cosign3) go_tool cosign3 "$COSIGN3_VERSION" github.com/sigstore/cosign/v3/cmd/cosign cosign ;;
    # The proxy refuses cli/cli's version list, which `go install` needs.
    gh) go_module_build gh "$GH_VERSION" github.com/cli/cli/v2 cmd/gh "-X github.com/cli/cli/v2/internal/build.Version=${GH_VERSION#v}" ;;
    syft) go_tool syft "$SYFT_VERSION" github.com/anchore/syft/cmd/syft ;;
    sigstore-python) py_tool ;;
    fulcio) go_tool fulcio "$FULCIO_VERSION" github.com/sigstore/fulcio ;;
    rekor-server) go_tool rekor-server "$REKOR_VERSION" github.com/sigstore/rekor/cmd/rekor-server ;;
    trillian-log-server) go_tool trillian-log-server "$TRILLIAN_VERSION" github.com/google/trillian/cmd/trillian_log_server
      trillian_schema ;;
    trillian-log-signer) go_tool trillian-log-signer "$TRILLIAN_VERSION" github.com/google/trillian/cmd/trillian_log_signer ;;
    createtree) go_tool createtree "$TRILLIAN_VERSION" github.com/google/trillian/cmd/createtree ;;
    ct-server) go_tool ct-server "$CTGO_VERSION" github.com/google/certificate-transparency-go/trillian/ctfe/ct_server ct_server ;;
    timestamp-server) go_tool timestamp-server "$TSA_VERSION" github.com/sigstore/timestamp-authority/v2/cmd/timestamp-server ;;
    # v2 is a separate module; its POSIX build keeps tiles on local disk (no cloud emulator).
    rekor-tiles) go_tool rekor-tiles "$REKOR_TILES_VERSION" github.com/sigstore/rekor-tiles/v2/cmd/rekor-server/posix posix ;;
    # Kyverno's go.mod has a replace directive, which go install refuses.
    kyverno) go_module_build kyverno "$KYVERNO_VERSION" github.com/kyverno/kyverno cmd/cli/kubectl-kyverno "-X github.com/kyverno/kyverno/pkg/version.BuildVersion=$KYVERNO_VERSION" ;;
    *) echo "tools: unknown tool $1" >&2; return 2 ;;
  esac
}

tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(cosign2 cosign3 gh sigstore-python syft
  fulcio trillian-log-server trillian-log-signer createtree rekor-server ct-server timestamp-server rekor-tiles)
for t in "${tools[@]}"; do install_one "$t"; done
