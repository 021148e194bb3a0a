//! Speed and memory of the workqueue core, each figure printed beside a
//! baseline measured in the same run and beside Go's figure for the same
//! workload on the real client-go / controller-runtime queues.
//!
//! Run: `cargo bench --no-default-features --bench workqueue`.
//! Go column: `scripts/bench.sh` first runs `oracle bench` (tests/oracle/
//! bench.go: these workloads in Go, on the versions tests/oracle/go.mod
//! pins) on the same machine and hands its JSON to this bench through
//! `GO_BENCH_RESULTS=path`; without it (or under WASI, which has no file
//! system here) the column says "not run". Go's figures are process CPU
//! time (its queues work on their own goroutines), ours this thread's.
//! Baseline: a bare `VecDeque` + `HashSet` (same FxHash-style hasher as the
//! queue, written here) doing the same pushes and pops, i.e. the least work
//! any FIFO with de-dup must do. Each figure is the best of several runs.
//! Keys are prebuilt 28-byte strings ("namespace-007/object-0000007"):
//! `Rc<str>` (the simulation's key type) for the speed rows, `Arc<str>` for
//! the seed-bug row as the issue specifies. Memory: a counting global
//! allocator; the key text is allocated before measuring and not counted.
//! Times are this thread's CPU time (so other processes on a shared
//! machine do not inflate them), best of several runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::hint::black_box;
use std::rc::Rc;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use workqueue_playground::workqueue::{
    default_controller_rate_limiter, default_item_based_rate_limiter, AddOpts, DelayingQueue,
    FakeClock, PriorityQueue, Queue, RateLimitingQueue, Time,
};

/// Counts live heap bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn live_bytes() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// The baseline's hasher: the same multiply-rotate scheme as the queue's.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, mut bytes: &[u8]) {
        while let Some((c, rest)) = bytes.split_first_chunk::<8>() {
            self.mix(u64::from_le_bytes(*c));
            bytes = rest;
        }
        if let Some((c, rest)) = bytes.split_first_chunk::<4>() {
            self.mix(u64::from(u32::from_le_bytes(*c)));
            bytes = rest;
        }
        for &b in bytes {
            self.mix(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }
    fn finish(&self) -> u64 {
        let h = self.0;
        (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 32)
    }
}

impl Fx {
    fn mix(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Key = Rc<str>;

fn key_text(i: usize) -> String {
    format!("namespace-{:03}/object-{:07}", i % 1000, i)
}

fn keys(n: usize) -> Vec<Key> {
    (0..n).map(|i| Rc::from(key_text(i).as_str())).collect()
}

fn arc_keys(n: usize) -> Vec<Arc<str>> {
    (0..n).map(|i| Arc::from(key_text(i).as_str())).collect()
}

/// This thread's CPU time in ns (Linux `schedstat`), so that other
/// processes on a shared machine do not inflate the figures; wall time
/// where it is unavailable.
fn cpu_now_ns(wall_start: Instant) -> u128 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or_else(|| wall_start.elapsed().as_nanos())
}

/// Best of `runs` timings of `f`, in CPU nanoseconds per `per` operations.
fn best_ns(runs: usize, per: usize, mut f: impl FnMut()) -> f64 {
    let origin = Instant::now();
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let start = cpu_now_ns(origin);
        f();
        let ns = (cpu_now_ns(origin) - start) as f64 / per as f64;
        best = best.min(ns);
    }
    best
}

/// Baseline: VecDeque + HashSet doing the cycle's pushes and pops (insert
/// and push a key, pop it and remove it).
fn baseline_cycle(keys: &[Key], cycles: usize) -> f64 {
    let mut set: HashSet<Key, BuildHasherDefault<Fx>> = HashSet::default();
    let mut fifo: VecDeque<Key> = VecDeque::new();
    best_ns(7, cycles, || {
        for i in 0..cycles {
            let k = &keys[i % keys.len()];
            if set.insert(k.clone()) {
                fifo.push_back(k.clone());
            }
            if let Some(x) = fifo.pop_front() {
                set.remove(&x);
                black_box(x);
            }
        }
    })
}

/// Baseline: push every key into VecDeque + HashSet, then pop them all.
fn baseline_bulk(keys: &[Key]) -> f64 {
    best_ns(5, keys.len(), || {
        let mut set: HashSet<Key, BuildHasherDefault<Fx>> = HashSet::default();
        let mut fifo: VecDeque<Key> = VecDeque::new();
        for k in keys {
            if set.insert(k.clone()) {
                fifo.push_back(k.clone());
            }
        }
        while let Some(x) = fifo.pop_front() {
            set.remove(&x);
            black_box(x);
        }
    })
}

struct Row {
    name: &'static str,
    ours: f64,
    unit: &'static str,
    baseline: Option<f64>,
    /// This row's key in the `oracle bench` JSON.
    go: &'static str,
    target: &'static str,
    meets: bool,
}

/// Add+Get+Done cycle over 100 keys (Go's BenchmarkQueue shape).
fn cycle(rows: &mut Vec<Row>, base: f64) {
    let hundred = keys(100);
    let cycles = 2_000_000;
    let mut q: Queue<Key> = Queue::new(FakeClock::new(Time::ZERO));
    let ours = best_ns(7, cycles, || {
        for i in 0..cycles {
            q.add(hundred[i % 100].clone());
            if let Some(x) = q.get() {
                q.done(&x);
                black_box(x);
            }
        }
    });
    rows.push(Row {
        name: "Add+Get+Done cycle (100 keys)",
        ours,
        unit: "ns",
        baseline: Some(base),
        go: "cycle",
        target: "<= 1.5x base and <= 40 ns",
        meets: ours <= 1.5 * base && ours <= 40.0,
    });
}

/// AddRateLimited+Get+Done+Forget with 10k keys in flight: every key waits
/// 1 ms (item-based default, forgotten each time) while the clock moves
/// 100 ns per iteration, so 10 000 entries sit in the heap.
fn rate_limited(rows: &mut Vec<Row>, base: f64) {
    let pool = keys(20_000);
    let clock = FakeClock::new(Time::ZERO);
    let mut rq: RateLimitingQueue<Key> =
        RateLimitingQueue::new(Box::new(default_item_based_rate_limiter()), clock.clone());
    let step = Duration::from_nanos(100);
    let mut i = 0usize;
    let mut iterate = |n: usize| {
        for _ in 0..n {
            rq.add_rate_limited(pool[i % pool.len()].clone());
            i += 1;
            clock.step(step);
            while let Some(x) = rq.get() {
                rq.done(&x);
                rq.forget(&x);
                black_box(x);
            }
        }
    };
    iterate(50_000); // warm up to the steady state
    let per = 1_000_000;
    let ours = best_ns(5, per, || iterate(per));
    rows.push(Row {
        name: "AddRateLimited+Get+Done+Forget (10k in flight)",
        ours,
        unit: "ns",
        baseline: Some(base),
        go: "rate_limited",
        target: "<= 200 ns",
        meets: ours <= 200.0,
    });
}

/// controller-runtime's priority queue, Add+Get+Done cycle over 100 keys
/// (the shape of the client-go cycle row above). The Go column is
/// controller-runtime's queue in the same loop: every cycle crosses its
/// add-buffer and hand-out goroutines.
fn pq_cycle(rows: &mut Vec<Row>, base: f64) {
    let hundred = keys(100);
    let cycles = 2_000_000;
    let mut q: PriorityQueue<Key> = PriorityQueue::new(FakeClock::new(Time::ZERO));
    let ours = best_ns(7, cycles, || {
        for i in 0..cycles {
            q.add(hundred[i % 100].clone());
            if let Some(x) = q.get() {
                q.done(&x);
                black_box(x);
            }
        }
    });
    rows.push(Row {
        name: "PQ Add+Get+Done cycle (100 keys)",
        ours,
        unit: "ns",
        baseline: Some(base),
        go: "pq_cycle",
        target: "",
        meets: true,
    });
}

/// The priority queue's AddWithOpts(RateLimited)+Get+Done+Forget with 10k
/// in flight: its default limiter (5 ms, forgotten each time) while the
/// clock moves 500 ns per iteration, so 10 000 entries wait. Priorities
/// cycle through 0..4 so the ready set has several levels. The Go column is
/// the same loop on controller-runtime's queue, its clock a fake one too
/// (injected into its unexported now/tick), so 10k are in flight there as
/// well; as its waiting loop is a goroutine, the Go loop gets what has
/// arrived and waits only for keys due a step earlier.
fn pq_rate_limited(rows: &mut Vec<Row>, base: f64) {
    let pool = keys(20_000);
    let clock = FakeClock::new(Time::ZERO);
    let mut q: PriorityQueue<Key> = PriorityQueue::new(clock.clone());
    let step = Duration::from_nanos(500);
    let mut i = 0usize;
    let mut iterate = |n: usize| {
        for _ in 0..n {
            let opts = AddOpts::new().rate_limited().priority((i % 4) as i64);
            q.add_with_opts(opts, [pool[i % pool.len()].clone()]);
            i += 1;
            clock.step(step);
            while let Some(x) = q.get() {
                q.done(&x);
                q.forget(&x);
                black_box(x);
            }
        }
    };
    iterate(50_000); // warm up to the steady state
    let per = 1_000_000;
    let ours = best_ns(5, per, || iterate(per));
    rows.push(Row {
        name: "PQ AddWithOpts(RateLimited) cycle, 10k in flight",
        ours,
        unit: "ns",
        baseline: Some(base),
        go: "pq_rate_limited",
        target: "",
        meets: true,
    });
}

/// AddAfter of 100k keys with random delays < 10 min, step 11 min, Get and
/// Done all (Go's BenchmarkDelayingQueue_AddAfter).
fn add_after(rows: &mut Vec<Row>) {
    let lots = keys(100_000);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let delays: Vec<Duration> = (0..lots.len())
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            Duration::from_nanos(seed % 600_000_000_000)
        })
        .collect();
    let base = baseline_bulk(&lots);
    let ours = best_ns(5, lots.len(), || {
        let clock = FakeClock::new(Time::ZERO);
        let mut dq: DelayingQueue<Key> = DelayingQueue::new(clock.clone());
        for (k, d) in lots.iter().zip(&delays) {
            dq.add_after(k.clone(), *d);
        }
        clock.step(Duration::from_secs(11 * 60));
        let mut got = 0;
        while let Some(x) = dq.get() {
            dq.done(&x);
            got += 1;
        }
        assert_eq!(got, lots.len());
    });
    rows.push(Row {
        name: "AddAfter 100k random delays + Get all",
        ours,
        unit: "ns/key",
        baseline: Some(base),
        go: "add_after",
        target: "<= 200 ns/key",
        meets: ours <= 200.0,
    });
}

/// The seed bug: 1M distinct keys, add_rate_limited with the default
/// controller limiter at one instant, never forget. Time and bytes retained
/// per key (everything the queue and limiter allocate; not the key text).
fn seed_bug(rows: &mut Vec<Row>) {
    let million = arc_keys(1_000_000);
    let mut best_call = f64::INFINITY;
    let mut best_bytes = f64::INFINITY;
    let mut end_state = (0, 0);
    for _ in 0..3 {
        let before = live_bytes();
        let mut rq: Option<RateLimitingQueue<Arc<str>>> = None;
        let ns = best_ns(1, million.len(), || {
            let clock = FakeClock::new(Time::ZERO);
            let mut q = RateLimitingQueue::new(
                Box::new(default_controller_rate_limiter(clock.clone())),
                clock,
            );
            for k in &million {
                black_box(q.add_rate_limited(k.clone()));
            }
            rq = Some(q);
        });
        let retained = (live_bytes() - before) as f64 / million.len() as f64;
        if let Some(q) = &rq {
            end_state = (q.limiter().failures_len(), q.waiting_len());
        }
        drop(rq);
        best_call = best_call.min(ns);
        best_bytes = best_bytes.min(retained);
    }
    println!(
        "(seed bug end state: {} failures entries, {} waiting entries)",
        end_state.0, end_state.1
    );
    rows.push(Row {
        name: "Seed bug: AddRateLimited, 1M keys, no Forget",
        ours: best_call,
        unit: "ns/call",
        baseline: None,
        go: "seed_call",
        target: "<= 300 ns/call",
        meets: best_call <= 300.0,
    });
    rows.push(Row {
        name: "Seed bug: bytes retained per key",
        ours: best_bytes,
        unit: "B/key",
        baseline: None,
        go: "seed_bytes",
        target: "<= 80 B/key",
        meets: best_bytes <= 80.0,
    });
}

/// The `oracle bench` figures named by `GO_BENCH_RESULTS`, and a line
/// saying where they come from (or why there are none).
fn go_results() -> (serde_json::Map<String, serde_json::Value>, String) {
    let none = serde_json::Map::new();
    let Some(path) = std::env::var("GO_BENCH_RESULTS")
        .ok()
        .filter(|p| !p.is_empty())
    else {
        return (
            none,
            "Go column: not run (GO_BENCH_RESULTS unset or empty; scripts/bench.sh sets it)"
                .to_owned(),
        );
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            return (
                none,
                format!("Go column: not run (cannot read {path}: {e})"),
            )
        }
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(m)) => {
            let s = |k: &str| m.get(k).and_then(|v| v.as_str()).unwrap_or("?").to_owned();
            let note = format!(
                "Go column: measured in this run by `oracle bench` ({path}): {}, client-go {}, \
                 controller-runtime {} (PQ rows); {}",
                s("go"),
                s("client_go"),
                s("controller_runtime"),
                s("clock")
            );
            (m, note)
        }
        Ok(_) => (
            none,
            format!("Go column: not run ({path} is not a JSON object)"),
        ),
        Err(e) => (none, format!("Go column: not run ({path}: {e})")),
    }
}

fn main() {
    // Optional filter: `cargo bench --bench workqueue -- seed` runs only the
    // sections whose name contains "seed" (to profile one at a time).
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let mut rows = Vec::new();
    // The cycle baseline only when a row compares to it, so a filtered
    // run profiles just its own section.
    let base = ["cycle", "rate_limited", "pq_cycle", "pq_rate_limited"]
        .into_iter()
        .any(wanted)
        .then(|| baseline_cycle(&keys(100), 2_000_000));
    if let Some(base) = base.filter(|_| wanted("cycle")) {
        cycle(&mut rows, base);
    }
    if let Some(base) = base.filter(|_| wanted("rate_limited")) {
        rate_limited(&mut rows, base);
    }
    if let Some(base) = base.filter(|_| wanted("pq_cycle")) {
        pq_cycle(&mut rows, base);
    }
    if let Some(base) = base.filter(|_| wanted("pq_rate_limited")) {
        pq_rate_limited(&mut rows, base);
    }
    if wanted("add_after") {
        add_after(&mut rows);
    }
    if wanted("seed") {
        seed_bug(&mut rows);
    }
    let (go, go_note) = go_results();
    println!("{go_note}");
    println!(
        "{:<48} {:>14} {:>14} {:>7} {:>14} {:>8}  {:<26} verdict",
        "benchmark (CPU time, best of runs)",
        "ours",
        "baseline",
        "ratio",
        "Go",
        "Go/ours",
        "target"
    );
    for r in &rows {
        let (base, ratio) = match r.baseline {
            Some(b) => (format!("{b:.1} {}", r.unit), format!("{:.2}x", r.ours / b)),
            None => ("-".to_owned(), "-".to_owned()),
        };
        let (go_text, go_ratio) = match go.get(r.go).and_then(|v| v.as_f64()) {
            Some(g) => (format!("{g:.1} {}", r.unit), format!("{:.2}x", g / r.ours)),
            None => ("not run".to_owned(), "-".to_owned()),
        };
        println!(
            "{:<48} {:>14} {:>14} {:>7} {:>14} {:>8}  {:<26} {}",
            r.name,
            format!("{:.1} {}", r.ours, r.unit),
            base,
            ratio,
            go_text,
            go_ratio,
            if r.target.is_empty() { "-" } else { r.target },
            match (r.target.is_empty(), r.meets) {
                (true, _) => "-",
                (false, true) => "MEETS",
                (false, false) => "MISSES",
            }
        );
    }
}
