#!/usr/bin/env bash
# Installs whatever this project needs that the machine lacks, and nothing else.
# Sourced by scripts/serve.sh and scripts/test.sh; safe to run again and again:
# every step first checks whether its tool is already there at the right version.
#
#   scripts/setup.sh serve   # what `serve` needs: wasm target, wasm-bindgen-cli, trunk, wasm-opt
#   scripts/setup.sh test    # the above + wasm-pack, Chromium + ChromeDriver, playwright-core
#
# Versions come from shared/toolchain.md (verified on Debian 12 with rustc 1.95).
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130 # must equal wasm-bindgen in Cargo.lock
TRUNK_VERSION=0.21.14        # 0.22 needs rustc >= 1.96.1
WASM_PACK_VERSION=0.15.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() { # apt_install PKG... : installs the Debian packages that are missing
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

cargo_tool() { # cargo_tool BIN VERSION CRATE [cargo install flags...]
  local bin=$1 version=$2 crate=$3; shift 3
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -q "$version"; then
    return 0
  fi
  say "cargo install $crate $version (a few minutes, once)"
  cargo install --quiet "$@" "$crate" --version "$version"
}

setup_rust() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  setup_wasm_target
  setup_wasm_bindgen
  cargo_tool trunk "$TRUNK_VERSION" trunk --locked
}

setup_wasm_target() {
  rustup target list --installed | grep -q '^wasm32-unknown-unknown$' ||
    rustup target add wasm32-unknown-unknown
}

setup_wasm_bindgen() {
  # Without --locked: with it the build fails on a lockfile entry the registry does not serve.
  cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
}

setup_wasm_pack() {
  cargo_tool wasm-pack "$WASM_PACK_VERSION" wasm-pack --locked
}

setup_node() {
  command -v npm >/dev/null || apt_install nodejs npm
  # node_modules is current when it was installed from this very package-lock.json.
  local stamp="$ROOT/node_modules/.installed-from-lock"
  if ! cmp -s "$ROOT/package-lock.json" "$stamp" 2>/dev/null || [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ]; then
    say "npm ci (binaryen's wasm-opt, playwright-core)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/package-lock.json" "$stamp"
  fi
}

setup_test_tools() {
  setup_wasm_pack
  apt_install chromium chromium-driver
}

# The Go oracle (tests/oracle) needs Go >= 1.26 (go.mod); Debian's golang-go is older, so it
# is found, not installed. go_ok says whether it is there (the usual places included).
GO_MIN_MINOR=26
export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"
go_ok() {
  command -v go >/dev/null 2>&1 || return 1
  local v
  v="$(go env GOVERSION 2>/dev/null)" || return 1 # e.g. go1.26.8
  [[ "$v" =~ ^go1\.([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge "$GO_MIN_MINOR" ]
}

main() {
  local mode=${1:-test}
  case "$mode" in
    serve) setup_rust; setup_node ;;
    test) setup_rust; setup_node; setup_test_tools ;;
    *) echo "usage: scripts/setup.sh [serve|test]" >&2; exit 2 ;;
  esac
  say "ready ($mode)"
}

# Run when executed; only define the functions when sourced.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
