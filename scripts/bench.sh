#!/usr/bin/env bash
# Runs the benchmarks natively, then the very same bench code compiled to
# WebAssembly (wasm32-wasip1) under Node's WASI, printing every figure beside
# its in-run baseline and target. Installs what is missing first (the
# wasm32-wasip1 rustup target; Node >= 20 for node:wasi). Not part of
# scripts/test.sh: it takes minutes and measures, it does not check.
#
# Before the native workqueue bench it builds the Go oracle (tests/oracle)
# and runs `oracle bench`: the same workloads on the real client-go and
# controller-runtime (the versions tests/oracle/go.mod pins), whose JSON the
# Rust bench reads through GO_BENCH_RESULTS to print Go's figure and the
# Go/ours ratio beside its own. Needs Go >= 1.26 on PATH (or in
# /usr/local/go/bin); without it the Go column says "not run". The wasm run
# has no file system, so its Go column says "not run" too.
#
#   scripts/bench.sh               # sim and workqueue, native then wasm
#   scripts/bench.sh sim           # only the named benches (sim, workqueue)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

BENCHES=("$@")
[ ${#BENCHES[@]} -gt 0 ] || BENCHES=(sim workqueue)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

setup_bench() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
  rustup target list --installed | grep -q '^wasm32-wasip1$' || rustup target add wasm32-wasip1
  command -v node >/dev/null || apt_install nodejs
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then
    echo "node $major is too old: node:wasi (WASI preview1) needs Node >= 20" >&2
    exit 1
  fi
}

setup_bench

# go_bench: runs `oracle bench`, sets GO_JSON to its results (empty if not run).
GO_JSON=""
go_bench() {
  local out="$ROOT/target/oracle"
  if ! go_ok; then
    echo "Go >= 1.$GO_MIN_MINOR not found ($(command -v go >/dev/null && go version || echo 'no go')): Go benchmarks not run, the Go column will say so"
    return 0
  fi
  mkdir -p "$out"
  rm -f "$out/go-bench.json"
  step "go: $(go env GOVERSION) oracle bench (client-go, controller-runtime per tests/oracle/go.mod)"
  if ! (cd tests/oracle && go build -o "$out/oracle" .); then
    echo "building tests/oracle FAILED: Go benchmarks not run, the Go column will say so" >&2
    return 0
  fi
  if "$out/oracle" bench -out "$out/go-bench.json"; then
    GO_JSON="$out/go-bench.json"
  else
    echo "oracle bench FAILED (exit $?): the Go column will say not run" >&2
  fi
}

bench_args=()
for b in "${BENCHES[@]}"; do bench_args+=(--bench "$b"); done

for b in "${BENCHES[@]}"; do
  if [ "$b" = workqueue ]; then
    go_bench
    step "native: GO_BENCH_RESULTS=${GO_JSON#"$ROOT"/} cargo bench --no-default-features --bench $b"
    GO_BENCH_RESULTS="$GO_JSON" cargo bench --quiet --no-default-features --bench "$b"
  else
    step "native: cargo bench --no-default-features --bench $b"
    cargo bench --quiet --no-default-features --bench "$b"
  fi
done

# Same sources, same `bench` profile, built for WASI; cargo's JSON messages
# name each bench's .wasm (its file name carries a hash).
step "wasm: cargo bench --no-run --target wasm32-wasip1 ${bench_args[*]}"
wasm_list="$(cargo bench --quiet --no-run --no-default-features --target wasm32-wasip1 \
  "${bench_args[@]}" --message-format=json |
  node -e '
    let s = "";
    process.stdin.on("data", (d) => (s += d)).on("end", () => {
      for (const line of s.split("\n")) {
        if (!line.startsWith("{")) continue;
        const m = JSON.parse(line);
        if (m.reason === "compiler-artifact" && m.executable && m.target.kind.includes("bench"))
          console.log(`${m.target.name} ${m.executable}`);
      }
    });')"

for b in "${BENCHES[@]}"; do
  wasm="$(awk -v b="$b" '$1 == b { print $2 }' <<<"$wasm_list")"
  [ -n "$wasm" ] || { echo "no wasm32-wasip1 build of bench $b" >&2; exit 1; }
  step "wasm: node scripts/wasm-bench.mjs ${wasm#"$ROOT"/}"
  node scripts/wasm-bench.mjs "$wasm" --bench
done
