//! Replays operation sequences recorded on the real client-go workqueue
//! (`tests/oracle`, `go run . clientgo`) on the port and fails on any
//! difference: what each operation returned (`Get`'s item and shutdown flag,
//! the delay `When` gave inside `AddRateLimited`, `Len`, `NumRequeues`) and
//! the state after it (`Len`, `NumRequeues` of the key, the clock, the FIFO
//! front first, whether `ShutDownWithDrain` has returned).
//!
//! Corpora replayed, each reported with its counts:
//! - `tests/oracle/corpus/clientgo.jsonl.gz`: client-go v0.37.2 (committed);
//! - `../shared/vectors/clientgo-v0.30.14/public.jsonl.gz`, when that folder
//!   is beside the repository (it is for the developers and in CI);
//! - the file named by `ORACLE_CLIENTGO_CORPUS` (plain or `.gz`): what
//!   `scripts/test.sh` records fresh from real client-go on every run.
//!
//! One documented deviation is accepted, and counted: where Go's `When`
//! returns a negative duration (exactly 2^63 ns overflows `time.Duration` to
//! `math.MinInt64` on amd64) the port returns zero. Both mean "add now".
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Debug;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use workqueue_playground::workqueue::{
    default_controller_rate_limiter, BucketRateLimiter, Clock, FakeClock,
    ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter, RateLimiter,
    RateLimitingQueue, Time, WithMaxWaitRateLimiter,
};

/// A limiter as the recorder names it (durations in ns).
#[derive(Deserialize, Debug)]
#[serde(tag = "type", rename_all = "snake_case")]
enum LimiterSpec {
    Exp { base: u64, max: u64 },
    Fastslow { fast: u64, slow: u64, max_fast: u64 },
    Bucket { qps: f64, burst: u64 },
    Maxof { of: Vec<LimiterSpec> },
    Maxwait { of: Vec<LimiterSpec>, max: u64 },
    DefaultController,
}

impl LimiterSpec {
    fn build(&self, clock: &FakeClock) -> Box<dyn RateLimiter<String>> {
        let ns = Duration::from_nanos;
        match self {
            LimiterSpec::Exp { base, max } => {
                Box::new(ItemExponentialFailureRateLimiter::new(ns(*base), ns(*max)))
            }
            LimiterSpec::Fastslow {
                fast,
                slow,
                max_fast,
            } => Box::new(ItemFastSlowRateLimiter::new(
                ns(*fast),
                ns(*slow),
                *max_fast,
            )),
            LimiterSpec::Bucket { qps, burst } => Box::new(
                BucketRateLimiter::new(*qps, *burst, clock.clone()).expect("recorded bucket"),
            ),
            LimiterSpec::Maxof { of } => Box::new(MaxOfRateLimiter::new(
                of.iter().map(|l| l.build(clock)).collect(),
            )),
            LimiterSpec::Maxwait { of, max } => {
                let inner = of.first().expect("maxwait wraps one limiter");
                Box::new(WithMaxWaitRateLimiter::new(inner.build(clock), ns(*max)))
            }
            LimiterSpec::DefaultController => {
                Box::new(default_controller_rate_limiter(clock.clone()))
            }
        }
    }
}

/// One recorded sequence: a queue run or limiter-only `When` calls.
#[derive(Deserialize, Debug)]
struct Sequence {
    seed: i64,
    kind: String,
    limiter: LimiterSpec,
    #[serde(default)]
    ops: Vec<Op>,
    #[serde(default)]
    calls: Vec<Call>,
}

/// A queue operation with what client-go returned and the state after it.
#[derive(Deserialize, Debug)]
struct Op {
    i: usize,
    op: String,
    key: Option<String>,
    d: Option<i64>,
    delay: Option<i64>,
    n: Option<u64>,
    result: Option<String>,
    shutdown: Option<bool>,
    len: usize,
    nr: Option<u64>,
    now: u64,
    fifo: Vec<String>,
    drained: Option<bool>,
}

/// A limiter-only call: `When` (or `Forget`) at fake time `t`.
#[derive(Deserialize, Debug)]
struct Call {
    t: u64,
    op: Option<String>,
    key: String,
    delay: Option<i64>,
    nr: u64,
}

/// What a replay counted.
#[derive(Default, Debug)]
struct Tally {
    sequences: usize,
    ops: usize,
    /// Negative `When` results (Go's 2^63 overflow) the port answered with 0.
    negative_when: usize,
}

/// The first difference found, with enough to reproduce it.
fn differ(
    seq: &Sequence,
    index: usize,
    what: &str,
    op: &dyn Debug,
    want: &dyn Debug,
    got: &dyn Debug,
) -> String {
    format!(
        "seed {seed} ({kind}), op #{index}: {what} differs\n  op:       {op:?}\n  client-go: {want:?}\n  port:      {got:?}",
        seed = seq.seed,
        kind = seq.kind,
    )
}

/// Compares a delay the port returned with Go's, allowing only the
/// documented negative-duration case.
fn same_delay(want: i64, got: Duration, tally: &mut Tally) -> bool {
    if want < 0 {
        tally.negative_when += 1;
        return got == Duration::ZERO;
    }
    u128::try_from(want).ok() == Some(got.as_nanos())
}

fn replay_queue(seq: &Sequence, tally: &mut Tally) -> Result<(), String> {
    let clock = FakeClock::new(Time::ZERO);
    let mut q: RateLimitingQueue<String> =
        RateLimitingQueue::new(seq.limiter.build(&clock), clock.clone());
    for (index, op) in seq.ops.iter().enumerate() {
        let key = || op.key.clone().unwrap_or_default();
        let fail = |what: &str, want: &dyn Debug, got: &dyn Debug| {
            Err(differ(seq, op.i.max(index), what, op, want, got))
        };
        match op.op.as_str() {
            "add" => q.add(key()),
            "add_after" => q.add_after_nanos(key(), op.d.unwrap_or(0)),
            "add_rate_limited" => {
                let got = q.add_rate_limited(key());
                let want = op.delay.ok_or("add_rate_limited without delay")?;
                if !same_delay(want, got, tally) {
                    return fail("When's delay", &want, &got.as_nanos());
                }
            }
            "forget" => q.forget(&key()),
            "num_requeues" => {
                let got = q.num_requeues(&key());
                if op.n != Some(got) {
                    return fail("NumRequeues", &op.n, &got);
                }
            }
            "len" => {
                let got = q.len() as u64;
                if op.n != Some(got) {
                    return fail("Len", &op.n, &got);
                }
            }
            "get" => {
                let got = q.get();
                let want = if op.shutdown == Some(true) {
                    None
                } else {
                    op.result.clone()
                };
                if got != want {
                    return fail("Get", &(&op.result, op.shutdown), &got);
                }
            }
            "done" => q.done(&key()),
            "step" => {
                let d = op.d.ok_or("step without d")?;
                clock.step(Duration::from_nanos(d.unsigned_abs()));
                q.advance();
            }
            "shutdown" => q.shut_down(),
            "shutdown_with_drain" => q.shut_down_with_drain(),
            other => return Err(format!("seed {}: unknown op {other:?}", seq.seed)),
        }
        tally.ops += 1;
        if q.len() != op.len {
            return fail("Len after", &op.len, &q.len());
        }
        let now = clock.now().as_nanos();
        if now != op.now {
            return fail("clock", &op.now, &now);
        }
        let fifo: Vec<&String> = q.fifo().collect();
        if fifo
            .iter()
            .map(|s| s.as_str())
            .ne(op.fifo.iter().map(|s| s.as_str()))
        {
            return fail("FIFO (front first)", &op.fifo, &fifo);
        }
        if let Some(want) = op.nr {
            let of = if op.op == "get" {
                op.result.clone()
            } else {
                op.key.clone()
            };
            let got = q.num_requeues(&of.unwrap_or_default());
            if got != want {
                return fail("NumRequeues after", &want, &got);
            }
        }
        if let Some(want) = op.drained {
            if q.drained() != want {
                return fail("ShutDownWithDrain returned", &want, &q.drained());
            }
        }
    }
    Ok(())
}

fn replay_when_seq(seq: &Sequence, tally: &mut Tally) -> Result<(), String> {
    let clock = FakeClock::new(Time::ZERO);
    let mut limiter = seq.limiter.build(&clock);
    for (index, call) in seq.calls.iter().enumerate() {
        clock.set(Time::from_nanos(call.t));
        if call.op.as_deref() == Some("forget") {
            limiter.forget(&call.key);
        } else {
            let got = limiter.when(&call.key);
            let want = call.delay.ok_or("when call without delay")?;
            if !same_delay(want, got, tally) {
                return Err(differ(seq, index, "When", call, &want, &got.as_nanos()));
            }
        }
        tally.ops += 1;
        let nr = limiter.num_requeues(&call.key);
        if nr != call.nr {
            return Err(differ(seq, index, "NumRequeues after", call, &call.nr, &nr));
        }
    }
    Ok(())
}

/// Replays every line of `path` (jsonl, gzipped when it ends in `.gz`).
fn replay_file(path: &Path) -> Result<Tally, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut tally = Tally::default();
    for (n, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let seq: Sequence = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        match seq.kind.as_str() {
            "queue" => replay_queue(&seq, &mut tally)?,
            "when_seq" => replay_when_seq(&seq, &mut tally)?,
            other => {
                return Err(format!(
                    "{}:{}: unknown kind {other:?}",
                    path.display(),
                    n + 1
                ))
            }
        }
        tally.sequences += 1;
    }
    if tally.sequences == 0 {
        return Err(format!("{}: no sequences", path.display()));
    }
    Ok(tally)
}

fn replay_and_report(label: &str, path: &Path) {
    match replay_file(path) {
        Ok(t) => println!(
            "oracle replay ({label}): {} sequences, {} operations, 0 differences \
             ({} negative When results answered with 0, the documented 2^63 case) [{}]",
            t.sequences,
            t.ops,
            t.negative_when,
            path.display()
        ),
        Err(e) => panic!("oracle replay ({label}) [{}]:\n{e}", path.display()),
    }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_client_go_v0_37_corpus_replays_with_zero_differences() {
    replay_and_report(
        "client-go v0.37.2, committed",
        &manifest_dir().join("tests/oracle/corpus/clientgo.jsonl.gz"),
    );
}

#[test]
fn shared_client_go_v0_30_corpus_replays_with_zero_differences() {
    let path = manifest_dir().join("../shared/vectors/clientgo-v0.30.14/public.jsonl.gz");
    if !path.exists() {
        // Not a pass: said plainly, and CI has the folder (see the module docs).
        println!(
            "oracle replay (client-go v0.30.14, shared): not run, {} is absent",
            path.display()
        );
        return;
    }
    replay_and_report("client-go v0.30.14, shared", &path);
}

#[test]
fn fresh_recording_replays_with_zero_differences() {
    match std::env::var_os("ORACLE_CLIENTGO_CORPUS") {
        Some(path) => replay_and_report("client-go v0.37.2, fresh", Path::new(&path)),
        None => println!("oracle replay (fresh): not run, ORACLE_CLIENTGO_CORPUS is unset"),
    }
}
