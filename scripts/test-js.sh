#!/usr/bin/env bash
# Builds the JavaScript package (scripts/build-js.sh, which installs what is missing) and tests
# it, stopping at the first failure:
#   1. the bindings compiled to wasm, under Node (wasm-pack test --node, tests/js_bindings.rs);
#      the same tests run in headless Chromium with
#      WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --chrome . --no-default-features --features js --test js_bindings
#   2. the built pkg/ under Node's test runner against the native CLI (tests/js/package.test.mjs;
#      it runs wqplay with `cargo run --release --no-default-features`, or $WQPLAY_BIN if set).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/build-js.sh"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "wasm-pack test --node (tests/js_bindings.rs, feature js)"
wasm-pack test --node . --no-default-features --features js --test js_bindings

step "node --test tests/js/package.test.mjs (pkg/ against wqplay)"
node --test tests/js/package.test.mjs
