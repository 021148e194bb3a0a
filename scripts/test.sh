#!/usr/bin/env bash
# Installs what is missing, then runs every check, in order, stopping at the first failure:
# formatting, clippy (native and wasm32), native tests, the Go oracle (fresh sequences recorded
# on real client-go and controller-runtime, replayed on the port), browser tests (wasm-pack in
# headless Chromium), the optimized release build, and the end-to-end tests against dist/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
main test
cd "$ROOT"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, all targets)"
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --no-default-features -- -D warnings

step "cargo clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings

step "cargo doc (every public item documented; no broken doc links)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet

step "cargo test (native)"
cargo test

step "Go oracle: fresh sequences on real client-go and controller-runtime, replayed on the port"
bash "$ROOT/scripts/oracle.sh"

step "JavaScript package: build pkg/, bindings under Node, pkg/ against wqplay"
bash "$ROOT/scripts/test-js.sh"

step "wasm-pack test --headless --chrome (the same tests, compiled to wasm, in Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" wasm-pack test --headless --chrome

step "trunk build --release (offline, wasm-opt -Oz)"
trunk build --release

step "end-to-end tests (real Chromium against dist/)"
node tests/e2e/run.mjs
