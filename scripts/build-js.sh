#!/usr/bin/env bash
# Builds the simulation's JavaScript package (no UI) into pkg/: wasm-pack over this crate with
# the `js` feature (`--target web`, through the cdylib shim js/Cargo.toml), then the hand-written files from js/ (the Node entry, the
# TypeScript declarations, the README) and their entries in pkg/package.json.
# Installs what is missing first, with scripts/setup.sh's functions (wasm32 target,
# wasm-bindgen-cli, wasm-pack, npm's wasm-opt); downloads nothing else.
#
#   scripts/build-js.sh          # prints the package's .wasm size, raw and gzipped
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"

command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
setup_wasm_target
setup_wasm_bindgen
setup_wasm_pack
setup_node
cd "$ROOT"

say "wasm-pack build --release --target web (feature js, no UI) into pkg/"
# js/ is the cdylib shim over this crate with its `js` feature (see js/Cargo.toml).
# --mode no-install: use the wasm-bindgen and wasm-opt installed above, never download one.
wasm-pack --log-level warn build "$ROOT/js" --release --target web --out-dir "$ROOT/pkg" \
  --out-name workqueue_playground --no-typescript --mode no-install
node js/finish-pkg.mjs pkg

wasm=pkg/workqueue_playground_bg.wasm
say "built pkg/: $(wc -c <"$wasm") bytes of wasm, $(gzip -9 -c "$wasm" | wc -c) gzipped"
