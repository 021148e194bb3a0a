#!/usr/bin/env bash
# The Go oracle, run by scripts/test.sh: builds tests/oracle against the real
# client-go and controller-runtime (tests/oracle/go.mod), records fresh
# operation sequences from new seeds (printed, so a failure can be
# reproduced with ORACLE_SEED_BASE=N), records each corpus twice and requires
# the bytes to be identical (the settling of Go's goroutines is deterministic),
# then replays both recordings on the Rust port (tests/oracle_replay.rs,
# tests/oracle_priority_replay.rs), which fails on any difference.
#
#   scripts/oracle.sh              # as test.sh runs it
#   ORACLE_SEED_BASE=123456 scripts/oracle.sh
#   ORACLE_SEQUENCES=1000 scripts/oracle.sh
#
# Go >= 1.26 must be on PATH (Debian's golang-go is older). Without it the
# oracle cannot run: under CI=true that fails the run; elsewhere it says so
# and exits 0 (the committed corpora are still replayed by `cargo test`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh" # go_ok (sourcing only defines functions)
cd "$ROOT"
if ! go_ok; then
  msg="oracle: NOT RUN: Go >= 1.$GO_MIN_MINOR is not on PATH ($(command -v go >/dev/null && go version || echo 'no go')); the Go oracle needs it to run real client-go and controller-runtime"
  if [ "${CI:-}" = true ]; then
    echo "$msg" >&2
    exit 1
  fi
  echo "$msg (not CI: continuing; the committed corpora are replayed by cargo test)" >&2
  exit 0
fi

SEQUENCES=${ORACLE_SEQUENCES:-300}
PQ_SEQUENCES=${ORACLE_PQ_SEQUENCES:-200}
JOBS=${ORACLE_JOBS:-10} # recording mostly sleeps (settling), so more processes than cores pay off
BASE=${ORACLE_SEED_BASE:-$(((RANDOM << 15 | RANDOM) + 1000))}
OUT="$ROOT/target/oracle"
mkdir -p "$OUT"

echo "oracle: $(go version); building tests/oracle"
(cd tests/oracle && go build -o "$OUT/oracle" .)

# record_parallel SUBCOMMAND FIRST LAST FILE: disjoint seed ranges in JOBS
# processes, joined in seed order (the output is a function of the seeds).
record_parallel() {
  local sub=$1 first=$2 last=$3 file=$4
  local n=$((last - first + 1)) per pids=() parts=()
  per=$(((n + JOBS - 1) / JOBS))
  for ((a = first; a <= last; a += per)); do
    local b=$((a + per - 1))
    [ "$b" -gt "$last" ] && b=$last
    parts+=("$file.part$a")
    "$OUT/oracle" "$sub" -seeds "$a-$b" -out "$file.part$a" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  cat "${parts[@]}" >"$file"
  rm -f "${parts[@]}"
}

first=$BASE
last=$((BASE + SEQUENCES - 1))
pq_last=$((BASE + PQ_SEQUENCES - 1))
echo "oracle: seeds $first-$last (client-go) and $first-$pq_last (priority queue); reproduce with ORACLE_SEED_BASE=$BASE"
start=$SECONDS
for run in a b; do
  "$OUT/oracle" clientgo -seeds "$first-$last" -when-seqs -j "$JOBS" -out "$OUT/clientgo.$run.jsonl"
  record_parallel priorityqueue "$first" "$pq_last" "$OUT/priorityqueue.$run.jsonl"
done
for f in clientgo priorityqueue; do
  if ! cmp -s "$OUT/$f.a.jsonl" "$OUT/$f.b.jsonl"; then
    echo "oracle: two recordings of the same $f seeds differ: the settling is not deterministic" >&2
    cmp "$OUT/$f.a.jsonl" "$OUT/$f.b.jsonl" >&2 || true
    exit 1
  fi
done
echo "oracle: recorded each corpus twice in $((SECONDS - start)) s, byte-identical"

status=0
ORACLE_CLIENTGO_CORPUS="$OUT/clientgo.a.jsonl" ORACLE_PQ_CORPUS="$OUT/priorityqueue.a.jsonl" \
  cargo test --quiet --no-default-features --test oracle_replay --test oracle_priority_replay \
  -- --nocapture --test-threads=1 >"$OUT/replay.log" 2>&1 || status=$?
# (--quiet prints a test's dot right before its own output, hence -o.)
grep -oE 'oracle replay .*|^test result.*|.*differs.*|.*panicked.*|^  (op|client-go|port|controller).*' "$OUT/replay.log" || true
if [ "$status" -ne 0 ]; then
  cat "$OUT/replay.log" >&2
  echo "oracle: the port differs from the Go oracle (reproduce: ORACLE_SEED_BASE=$BASE scripts/oracle.sh)" >&2
  exit "$status"
fi
