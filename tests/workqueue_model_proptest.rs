//! Property test: random operation sequences against a small, obviously
//! correct reference model (Vecs and linear scans) of the three layers, a
//! `MaxOf(ItemExponential(1ms, 64ms), Bucket(2 qps, burst 3))` limiter and
//! the counted metrics. Every observable is compared after every step.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

#[path = "support/go_heap.rs"]
mod go_heap;
use go_heap::GoHeap;

use proptest::prelude::*;
use proptest::test_runner::Config;

use workqueue_playground::workqueue::{
    BucketRateLimiter, FakeClock, ItemExponentialFailureRateLimiter, ItemState, MaxOfRateLimiter,
    RateLimitingQueue, Time,
};

const MS: u64 = 1_000_000;

#[derive(Clone, Debug)]
enum Op {
    Add(u8),
    Get,
    Done(u8),
    AddAfter(u8, u64),
    AddRateLimited(u8),
    Forget(u8),
    ShutDown,
    ShutDownWithDrain,
    Step(u64),
    Advance,
    TickMetrics,
}

/// Operations over keys `0..keys`: few keys stress collapsing and
/// de-dup; many keys stress the index tables' growth and deletion.
fn op(keys: u8) -> impl Strategy<Value = Op> {
    let key = 0..keys;
    prop_oneof![
        6 => key.clone().prop_map(Op::Add),
        6 => Just(Op::Get),
        5 => key.clone().prop_map(Op::Done),
        4 => (key.clone(), 0..40u64).prop_map(|(k, ms)| Op::AddAfter(k, ms)),
        5 => key.clone().prop_map(Op::AddRateLimited),
        2 => key.prop_map(Op::Forget),
        1 => Just(Op::ShutDown),
        1 => Just(Op::ShutDownWithDrain),
        5 => (0..800u64).prop_map(Op::Step),
        2 => Just(Op::Advance),
        1 => Just(Op::TickMetrics),
    ]
}

/// The reference: client-go's rules spelled out over plain vectors.
#[derive(Default)]
struct Model {
    now: u64,
    fifo: Vec<u8>,
    dirty: Vec<u8>,
    processing: Vec<u8>,
    shutting_down: bool,
    drain: bool,
    /// Whether a blocked `ShutDownWithDrain` has returned (it stays so).
    drain_returned: bool,
    /// client-go's waiting heap, in Go's layout (ties pop in its order).
    waiting: GoHeap<u8>,
    failures: Vec<(u8, u64)>,
    tokens: f64,
    bucket_last: u64,
    depth: i64,
    adds: u64,
    retries: u64,
    latency_count: u64,
    work_count: u64,
}

impl Model {
    fn new() -> Model {
        Model {
            tokens: 3.0,
            ..Model::default()
        }
    }

    fn add(&mut self, k: u8) {
        if self.shutting_down || self.dirty.contains(&k) {
            return;
        }
        self.adds += 1;
        self.depth += 1;
        self.dirty.push(k);
        if !self.processing.contains(&k) {
            self.fifo.push(k);
        }
    }

    fn advance(&mut self) {
        if self.shutting_down {
            self.waiting.clear();
            return;
        }
        while let Some(k) = self.waiting.pop_ready(self.now) {
            self.add(k);
        }
    }

    fn get(&mut self) -> Option<u8> {
        self.advance();
        if self.fifo.is_empty() {
            return None;
        }
        let k = self.fifo.remove(0);
        self.depth -= 1;
        if let Some(i) = self.dirty.iter().position(|&d| d == k) {
            self.dirty.remove(i);
            self.latency_count += 1;
        }
        if !self.processing.contains(&k) {
            self.processing.push(k);
        }
        Some(k)
    }

    fn done(&mut self, k: u8) {
        if let Some(i) = self.processing.iter().position(|&p| p == k) {
            self.processing.remove(i);
            self.work_count += 1;
        }
        if self.dirty.contains(&k) {
            self.fifo.push(k);
        }
        self.note_drain();
    }

    /// Every `Done` and `ShutDown` wakes a blocked `ShutDownWithDrain`,
    /// which returns if nothing is processing (or the drain was cancelled).
    fn note_drain(&mut self) {
        if self.shutting_down && (!self.drain || self.processing.is_empty()) {
            self.drain_returned = true;
        }
    }

    fn add_after(&mut self, k: u8, nanos: u64) {
        if self.shutting_down {
            return;
        }
        self.retries += 1;
        if nanos == 0 {
            self.add(k);
            return;
        }
        self.waiting.insert(k, self.now + nanos);
    }

    fn bucket_tokens_at(&self, now: u64) -> f64 {
        let elapsed = now.saturating_sub(self.bucket_last.min(now));
        let refill =
            (elapsed / 1_000_000_000) as f64 * 2.0 + (elapsed % 1_000_000_000) as f64 / 1e9 * 2.0;
        (self.tokens + refill).min(3.0)
    }

    fn when(&mut self, k: u8) -> u64 {
        let exp = match self.failures.iter_mut().find(|f| f.0 == k) {
            Some(f) => {
                f.1 += 1;
                f.1 - 1
            }
            None => {
                self.failures.push((k, 1));
                0
            }
        };
        let exponential = if exp >= 7 {
            64 * MS
        } else {
            (MS << exp).min(64 * MS)
        };
        let tokens = self.bucket_tokens_at(self.now) - 1.0;
        let bucket = if tokens < 0.0 {
            ((-tokens / 2.0) * 1e9) as u64
        } else {
            0
        };
        self.tokens = tokens;
        self.bucket_last = self.now;
        exponential.max(bucket)
    }

    fn state_of(&self, k: u8) -> Option<ItemState> {
        match (self.dirty.contains(&k), self.processing.contains(&k)) {
            (true, false) => Some(ItemState::Queued),
            (false, true) => Some(ItemState::Processing),
            (true, true) => Some(ItemState::ProcessingDirty),
            (false, false) => None,
        }
    }
}

fn check(q: &RateLimitingQueue<u8>, m: &Model, keys: u8) -> Result<(), TestCaseError> {
    prop_assert_eq!(q.len(), m.fifo.len());
    prop_assert_eq!(q.fifo().copied().collect::<Vec<_>>(), m.fifo.clone());
    prop_assert_eq!(q.processing_len(), m.processing.len());
    prop_assert_eq!(q.dirty_len(), m.dirty.len());
    prop_assert_eq!(q.shutting_down(), m.shutting_down);
    prop_assert_eq!(q.drained(), m.drain_returned);
    let want_waiting = m.waiting.release_order();
    let got_waiting: Vec<(u8, u64)> = q
        .waiting()
        .into_iter()
        .map(|(k, t)| (*k, t.as_nanos()))
        .collect();
    prop_assert_eq!(got_waiting, want_waiting.clone());
    prop_assert_eq!(q.waiting_len(), m.waiting.len());
    prop_assert_eq!(
        q.next_ready_at().map(Time::as_nanos),
        want_waiting.first().map(|w| w.1)
    );
    for k in 0..keys {
        prop_assert_eq!(q.state_of(&k), m.state_of(k), "state of {}", k);
        let count = m.failures.iter().find(|f| f.0 == k).map_or(0, |f| f.1);
        prop_assert_eq!(q.num_requeues(&k), count, "requeues of {}", k);
    }
    let mut failures = Vec::new();
    q.limiter()
        .visit_failures(&mut |k, n| failures.push((*k, n)));
    failures.sort_unstable();
    let mut want_failures = m.failures.clone();
    want_failures.sort_unstable();
    prop_assert_eq!(failures, want_failures);
    prop_assert_eq!(q.limiter().failures_len(), m.failures.len());
    prop_assert_eq!(q.limiter().tokens(), Some(m.bucket_tokens_at(m.now)));
    let metrics = q.metrics();
    prop_assert_eq!(metrics.depth, m.depth);
    prop_assert_eq!(metrics.adds_total, m.adds);
    prop_assert_eq!(metrics.retries_total, m.retries);
    prop_assert_eq!(metrics.queue_latency.count, m.latency_count);
    prop_assert_eq!(metrics.work_duration.count, m.work_count);
    prop_assert!(metrics.longest_running_processor_seconds >= 0.0);
    prop_assert!(metrics.unfinished_work_seconds >= metrics.longest_running_processor_seconds);
    Ok(())
}

fn run(ops: &[Op], keys: u8) -> Result<(), TestCaseError> {
    let clock = FakeClock::new(Time::ZERO);
    let limiter: MaxOfRateLimiter<u8> = MaxOfRateLimiter::new(vec![
        Box::new(ItemExponentialFailureRateLimiter::new(
            Duration::from_millis(1),
            Duration::from_millis(64),
        )),
        Box::new(
            BucketRateLimiter::new(2.0, 3, clock.clone())
                .map_err(|e| TestCaseError::fail(e.to_string()))?,
        ),
    ]);
    let mut q = RateLimitingQueue::new(Box::new(limiter), clock.clone());
    let mut m = Model::new();
    for op in ops {
        match *op {
            Op::Add(k) => {
                q.add(k);
                m.add(k);
            }
            Op::Get => prop_assert_eq!(q.get(), m.get()),
            Op::Done(k) => {
                q.done(&k);
                m.done(k);
            }
            Op::AddAfter(k, ms) => {
                q.add_after(k, Duration::from_millis(ms));
                m.add_after(k, ms * MS);
            }
            Op::AddRateLimited(k) => {
                let want = m.when(k);
                m.add_after(k, want);
                let got = q.add_rate_limited(k);
                prop_assert_eq!(got, Duration::from_nanos(want));
            }
            Op::Forget(k) => {
                q.forget(&k);
                m.failures.retain(|f| f.0 != k);
            }
            Op::ShutDown => {
                q.shut_down();
                m.shutting_down = true;
                m.drain = false;
                m.waiting.clear();
                m.note_drain();
            }
            Op::ShutDownWithDrain => {
                q.shut_down_with_drain();
                m.shutting_down = true;
                m.drain = true;
                m.note_drain();
            }
            Op::Step(ms) => {
                clock.step(Duration::from_millis(ms));
                m.now += ms * MS;
            }
            Op::Advance => {
                q.advance();
                m.advance();
            }
            Op::TickMetrics => q.tick_metrics(),
        }
        check(&q, &m, keys)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config {
        cases: 2500,
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn queue_matches_reference_model(ops in proptest::collection::vec(op(5), 1..120)) {
        run(&ops, 5)?;
    }
}

proptest! {
    #![proptest_config(Config {
        cases: 120,
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn queue_matches_reference_model_many_keys(ops in proptest::collection::vec(op(200), 1..400)) {
        run(&ops, 200)?;
    }
}
