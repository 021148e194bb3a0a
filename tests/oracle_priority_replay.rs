//! Replays operation sequences recorded on the real controller-runtime
//! priority queue (`tests/oracle`, `go run . priorityqueue`) on the port and
//! fails on any difference in what an operation returned or in the state
//! after it: `len`, the clock, ready entries in hand-out order with their
//! priorities, waiting entries in release order with ready times, locked
//! keys, Go's `addedCounter`, `NumRequeues` of every key, and the metrics
//! (adds, retries, depth per priority label, latency and work-duration
//! counts and sums).
//!
//! Corpora: `tests/oracle/corpus/priorityqueue.jsonl.gz` (committed), and the
//! file named by `ORACLE_PQ_CORPUS` (plain or `.gz`): what `scripts/test.sh`
//! records fresh from real controller-runtime on every run.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::io::Read;
use std::time::Duration;

use serde::Deserialize;

use workqueue_playground::workqueue::priority::{AddOpts, PriorityQueue};
use workqueue_playground::workqueue::{
    BucketRateLimiter, FakeClock, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter,
    MaxOfRateLimiter, RateLimiter, Time, WithMaxWaitRateLimiter,
};

#[derive(Deserialize, Debug)]
struct LimiterSpec {
    kind: String,
    #[serde(default)]
    base: u64,
    #[serde(default)]
    max: u64,
    #[serde(default)]
    fast: u64,
    #[serde(default)]
    slow: u64,
    #[serde(default)]
    max_fast: u64,
    #[serde(default)]
    qps: f64,
    #[serde(default)]
    burst: u64,
    #[serde(default)]
    of: Vec<LimiterSpec>,
}

/// The state after an operation. The recording delta-encodes it: an
/// operation carries only the fields that changed since the previous one
/// (the first carries all), so the replayer carries them forward.
#[derive(Deserialize, Debug)]
struct State {
    len: usize,
    now: u64,
    ready: Vec<(String, i64)>,
    waiting: Vec<(String, i64, u64)>,
    locked: Vec<String>,
    ac: u64,
    requeues: Vec<u64>,
    #[serde(flatten)]
    metrics: Metrics,
}

const STATE_FIELDS: [&str; 14] = [
    "len", "now", "ready", "waiting", "locked", "ac", "requeues", "adds", "retries", "depth",
    "lat_n", "lat_sum", "work_n", "work_sum",
];

#[derive(Deserialize, Debug, PartialEq)]
struct Metrics {
    adds: u64,
    retries: u64,
    depth: BTreeMap<String, i64>,
    lat_n: u64,
    /// Go's float64 in its shortest round-trip form: `str::parse` gives
    /// back the exact value (serde_json's default float parsing may not).
    lat_sum: String,
    work_n: u64,
    work_sum: String,
}

/// An operation with its arguments and results.
#[derive(Deserialize, Debug)]
struct Op {
    i: usize,
    op: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    after: i64,
    #[serde(default)]
    rate_limited: bool,
    priority: Option<i64>,
    #[serde(default)]
    d: u64,
    result: Option<String>,
    result_priority: Option<i64>,
    shutdown: Option<bool>,
    nr: Option<u64>,
    n: Option<usize>,
}

#[derive(Deserialize, Debug)]
struct Sequence {
    seed: u64,
    kind: String,
    limiter: LimiterSpec,
    keys: usize,
    ops: Vec<serde_json::Map<String, serde_json::Value>>,
}

fn build(spec: &LimiterSpec, clock: &FakeClock) -> Box<dyn RateLimiter<String>> {
    let ns = Duration::from_nanos;
    match spec.kind.as_str() {
        "exponential" => Box::new(ItemExponentialFailureRateLimiter::new(
            ns(spec.base),
            ns(spec.max),
        )),
        "fast_slow" => Box::new(ItemFastSlowRateLimiter::new(
            ns(spec.fast),
            ns(spec.slow),
            spec.max_fast,
        )),
        "max_of" => Box::new(MaxOfRateLimiter::new(
            spec.of.iter().map(|s| build(s, clock)).collect(),
        )),
        "with_max_wait" => Box::new(WithMaxWaitRateLimiter::new(
            build(&spec.of[0], clock),
            ns(spec.max),
        )),
        "bucket" => Box::new(
            BucketRateLimiter::new(spec.qps, spec.burst, clock.clone()).expect("valid bucket"),
        ),
        other => panic!("unknown limiter kind {other:?}"),
    }
}

/// The first difference of one sequence, if any.
struct Diff {
    seed: u64,
    i: usize,
    op: String,
    what: String,
}

fn check<V: PartialEq + Debug>(what: &str, expected: V, actual: V) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{what}:\n    expected (Go): {expected:?}\n    actual (Rust): {actual:?}"
        ))
    }
}

fn apply(q: &mut PriorityQueue<String>, clock: &FakeClock, op: &Op) -> Result<(), String> {
    match op.op.as_str() {
        "add" => q.add(op.key.clone()),
        "add_after" => match u64::try_from(op.after) {
            Ok(after) => q.add_after(op.key.clone(), Duration::from_nanos(after)),
            Err(_) => q.add_with_opts(AddOpts::new().after_nanos(op.after), [op.key.clone()]),
        },
        "add_rate_limited" => q.add_rate_limited(op.key.clone()),
        "add_with_opts" => {
            let mut opts = AddOpts::new().after_nanos(op.after);
            opts.rate_limited = op.rate_limited;
            opts.priority = op.priority;
            q.add_with_opts(opts, op.keys.iter().cloned());
        }
        "get" => {
            // Go's Get was only called when it could not block.
            check(
                "get would not block",
                true,
                q.has_ready() || q.shutting_down(),
            )?;
            let got = q.get_with_priority();
            let (key, priority, shutdown) = match got {
                Some((k, p)) => (k, p, false),
                None => (String::new(), 0, q.shutting_down()),
            };
            check("get result", op.result.clone(), Some(key))?;
            check("get priority", op.result_priority, Some(priority))?;
            check("get shutdown", op.shutdown, Some(shutdown))?;
        }
        "done" => q.done(&op.key),
        "forget" => q.forget(&op.key),
        "num_requeues" => check("num_requeues", op.nr, Some(q.num_requeues(&op.key)))?,
        "len" => check("len result", op.n, Some(q.len()))?,
        "step" => {
            clock.step(Duration::from_nanos(op.d));
            // Go's waiting goroutine catches up before the next operation.
            q.advance();
        }
        "shutdown" => q.shut_down(),
        other => return Err(format!("unknown op {other:?}")),
    }
    Ok(())
}

fn compare_state(
    q: &PriorityQueue<String>,
    clock: &FakeClock,
    keys: &[String],
    op: &State,
) -> Result<(), String> {
    use workqueue_playground::workqueue::Clock;
    check("len", op.len, q.len())?;
    check("now", op.now, clock.now().as_nanos())?;
    let ready: Vec<(String, i64)> = q.ready().map(|e| (e.key.clone(), e.priority)).collect();
    check("ready (hand-out order)", &op.ready, &ready)?;
    let waiting: Vec<(String, i64, u64)> = q
        .waiting()
        .map(|e| (e.key.clone(), e.priority, e.ready_at.as_nanos()))
        .collect();
    check("waiting (release order)", &op.waiting, &waiting)?;
    let mut locked: Vec<String> = q.processing().into_iter().map(|(k, _)| k.clone()).collect();
    locked.sort();
    check("locked", &op.locked, &locked)?;
    check("addedCounter", op.ac, q.added_counter())?;
    let requeues: Vec<u64> = keys.iter().map(|k| q.num_requeues(k)).collect();
    check("NumRequeues of every key", &op.requeues, &requeues)?;
    let m = q.metrics();
    let actual = Metrics {
        adds: m.adds_total,
        retries: m.retries_total,
        depth: m.depth.iter().map(|(l, v)| (l.to_string(), *v)).collect(),
        lat_n: m.queue_latency.count,
        lat_sum: String::new(),
        work_n: m.work_duration.count,
        work_sum: String::new(),
    };
    let exact = |s: &str| {
        s.parse::<f64>()
            .map_err(|e| format!("bad float {s:?}: {e}"))
    };
    check(
        "latency sum",
        exact(&op.metrics.lat_sum)?,
        m.queue_latency.sum,
    )?;
    check(
        "work duration sum",
        exact(&op.metrics.work_sum)?,
        m.work_duration.sum,
    )?;
    let expected = Metrics {
        lat_sum: String::new(),
        work_sum: String::new(),
        depth: op.metrics.depth.clone(),
        ..op.metrics
    };
    check("metrics", &expected, &actual)
}

fn replay(seq: &Sequence) -> Result<usize, Diff> {
    assert_eq!(seq.kind, "priorityqueue", "seed {}", seq.seed);
    let clock = FakeClock::new(Time::ZERO);
    let mut q = PriorityQueue::with_limiter(build(&seq.limiter, &clock), clock.clone());
    let keys: Vec<String> = (0..seq.keys).map(|i| format!("k{i}")).collect();
    let mut state = serde_json::Map::new();
    for fields in &seq.ops {
        let op: Op = serde_json::from_value(fields.clone().into())
            .unwrap_or_else(|e| panic!("seed {}: bad op {fields:?}: {e}", seq.seed));
        for name in STATE_FIELDS {
            if let Some(v) = fields.get(name) {
                state.insert(name.to_owned(), v.clone());
            }
        }
        let expected: State = serde_json::from_value(state.clone().into())
            .unwrap_or_else(|e| panic!("seed {} op {}: bad state: {e}", seq.seed, op.i));
        let op = &op;
        let result =
            apply(&mut q, &clock, op).and_then(|()| compare_state(&q, &clock, &keys, &expected));
        if let Err(what) = result {
            return Err(Diff {
                seed: seq.seed,
                i: op.i,
                op: format!(
                    "{} key={:?} keys={:?} after={} rate_limited={} priority={:?} d={}",
                    op.op, op.key, op.keys, op.after, op.rate_limited, op.priority, op.d
                ),
                what,
            });
        }
    }
    Ok(seq.ops.len())
}

/// Reads a corpus: jsonl, gzipped when the name ends in `.gz`.
fn read_corpus(path: &str) -> String {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut text = String::new();
    let read = if path.ends_with(".gz") {
        flate2::read::GzDecoder::new(file).read_to_string(&mut text)
    } else {
        std::io::BufReader::new(file).read_to_string(&mut text)
    };
    read.unwrap_or_else(|e| panic!("reading {path}: {e}"));
    text
}

/// Replays every sequence of `path`; fails listing every differing one.
fn replay_corpus(label: &str, path: &str) {
    let text = read_corpus(path);
    let (mut sequences, mut ops) = (0, 0);
    let mut diffs = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let seq: Sequence = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{path}:{}: not a sequence: {e}", n + 1));
        sequences += 1;
        match replay(&seq) {
            Ok(count) => ops += count,
            Err(d) => diffs.push(d),
        }
    }
    println!(
        "oracle replay ({label}): {sequences} sequences, {ops} operations, {} differences [{path}]",
        diffs.len()
    );
    for d in &diffs {
        eprintln!("seed {} op {} ({}): {}", d.seed, d.i, d.op, d.what);
    }
    assert!(sequences > 0, "empty corpus {path}");
    assert!(diffs.is_empty(), "{} sequences differ from Go", diffs.len());
}

#[test]
fn committed_controller_runtime_corpus_replays_with_zero_differences() {
    replay_corpus(
        "controller-runtime v0.25.3 priority queue, committed",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/oracle/corpus/priorityqueue.jsonl.gz"
        ),
    );
}

#[test]
fn fresh_controller_runtime_recording_replays_with_zero_differences() {
    match std::env::var("ORACLE_PQ_CORPUS") {
        Ok(path) => replay_corpus("controller-runtime v0.25.3 priority queue, fresh", &path),
        Err(_) => {
            println!("oracle replay (priority queue, fresh): not run, ORACLE_PQ_CORPUS is unset")
        }
    }
}
