//! Property test: random operation sequences on the priority queue against
//! a small, obviously correct reference model (one `Vec` of entries, linear
//! scans and sorts instead of the port's hash map and two btrees) with an
//! `ItemExponential(1ms, 64ms)` limiter and the counted metrics. Every
//! observable is compared after every step: what `get` returned, `len`,
//! ready entries in hand-out order, waiting entries in release order,
//! processing keys, Go's added counter, `num_requeues` of every key,
//! `next_ready_at`, `has_ready` and the metrics (depth per label with the
//! 25-priority cap, adds, retries, latency and work duration).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::Config;

use workqueue_playground::workqueue::priority::{AddOpts, PriorityQueue};
use workqueue_playground::workqueue::{FakeClock, ItemExponentialFailureRateLimiter, Time};

const MS: i64 = 1_000_000;
const KEYS: u8 = 6;

#[derive(Clone, Debug)]
enum Op {
    /// keys, After in ms (negative allowed), RateLimited, Priority
    Add(Vec<u8>, i64, bool, Option<i64>),
    Get,
    Done(u8),
    Forget(u8),
    Step(u64),
    Advance,
    ShutDown,
}

fn op(wide: bool) -> impl Strategy<Value = Op> {
    let key = 0..KEYS;
    let prio = if wide { -40i64..40 } else { -2i64..3 };
    prop_oneof![
        10 => (
            prop::collection::vec(key.clone(), 1..4),
            prop_oneof![3 => Just(0i64), 6 => 1i64..40, 1 => Just(-1i64)],
            prop::bool::weighted(0.3),
            prop::option::weighted(0.6, prio),
        )
            .prop_map(|(k, a, r, p)| Op::Add(k, a, r, p)),
        7 => Just(Op::Get),
        5 => key.clone().prop_map(Op::Done),
        2 => key.prop_map(Op::Forget),
        5 => (0..30u64).prop_map(Op::Step),
        1 => Just(Op::Advance),
        1 => Just(Op::ShutDown),
    ]
}

#[derive(Clone, Debug)]
struct MEntry {
    key: u8,
    priority: i64,
    counter: u64,
    ready_at: Option<u64>,
    since: u64,
}

/// The reference: controller-runtime's rules spelled out over a `Vec`.
#[derive(Default)]
struct Model {
    now: u64,
    entries: Vec<MEntry>,
    /// (key, processing since), in hand-out order.
    locked: Vec<(u8, u64)>,
    counter: u64,
    shut: bool,
    failures: BTreeMap<u8, u64>,
    adds: u64,
    retries: u64,
    depth: BTreeMap<String, i64>,
    observed: Vec<i64>,
    capped: bool,
    lat: (u64, f64),
    work: (u64, f64),
}

fn secs(since: u64, now: u64) -> f64 {
    let d = (now - since) as i64;
    (d / 1_000_000_000) as f64 + (d % 1_000_000_000) as f64 / 1e9
}

impl Model {
    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter - 1
    }

    fn label(&mut self, p: i64) -> String {
        if self.capped {
            return "exceeded_cardinality_limit".into();
        }
        if !self.observed.contains(&p) {
            self.observed.push(p);
        }
        if self.observed.len() > 25 {
            self.capped = true;
            return "exceeded_cardinality_limit".into();
        }
        p.to_string()
    }

    fn depth_add(&mut self, p: i64, delta: i64) {
        let l = self.label(p);
        *self.depth.entry(l).or_insert(0) += delta;
    }

    fn became_ready(&mut self, p: i64) {
        self.adds += 1;
        self.depth_add(p, 1);
    }

    fn when(&mut self, k: u8) -> i64 {
        let c = self.failures.entry(k).or_insert(0);
        let d = (MS << (*c).min(20)).min(64 * MS);
        *c += 1;
        d
    }

    fn advance(&mut self) {
        if self.shut {
            return;
        }
        let now = self.now;
        let mut due: Vec<usize> = (0..self.entries.len())
            .filter(|&i| self.entries[i].ready_at.is_some_and(|t| t <= now))
            .collect();
        due.sort_by_key(|&i| {
            let e = &self.entries[i];
            (e.ready_at, -e.priority, e.counter)
        });
        for i in due {
            let c = self.next();
            let e = &mut self.entries[i];
            e.ready_at = None;
            e.counter = c;
            e.since = now;
            let p = e.priority;
            self.became_ready(p);
        }
    }

    fn add(&mut self, keys: &[u8], after_ms: i64, rate_limited: bool, priority: Option<i64>) {
        if self.shut {
            return;
        }
        self.advance();
        let p = priority.unwrap_or(0);
        for &k in keys {
            let mut after = after_ms * MS;
            if rate_limited {
                let w = self.when(k);
                if after == 0 || w < after {
                    after = w;
                }
            }
            let ready_at = (after > 0).then(|| {
                self.retries += 1;
                self.now + after as u64
            });
            match self.entries.iter().position(|e| e.key == k) {
                None => {
                    let c = self.next();
                    self.entries.push(MEntry {
                        key: k,
                        priority: p,
                        counter: c,
                        ready_at,
                        since: self.now,
                    });
                    if ready_at.is_none() {
                        self.became_ready(p);
                    }
                }
                Some(i) => {
                    let old = self.entries[i].clone();
                    let new_ready = match (old.ready_at, ready_at) {
                        (None, _) => None,
                        (Some(o), Some(n)) => Some(o.min(n)),
                        (Some(_), None) => None,
                    };
                    if p > old.priority {
                        if old.ready_at.is_none() {
                            self.depth_add(old.priority, -1);
                            self.depth_add(p, 1);
                        }
                        let c = self.next();
                        self.entries[i].priority = p;
                        self.entries[i].counter = c;
                    }
                    if new_ready.is_none() && old.ready_at.is_some() {
                        let pr = self.entries[i].priority;
                        self.became_ready(pr);
                        self.entries[i].since = self.now;
                    }
                    self.entries[i].ready_at = new_ready;
                }
            }
        }
    }

    fn handable(&self) -> Option<usize> {
        (0..self.entries.len())
            .filter(|&i| {
                let e = &self.entries[i];
                e.ready_at.is_none() && !self.locked.iter().any(|l| l.0 == e.key)
            })
            .min_by_key(|&i| (-self.entries[i].priority, self.entries[i].counter))
    }

    fn get(&mut self) -> Option<(u8, i64)> {
        if self.shut {
            return None;
        }
        self.advance();
        let i = self.handable()?;
        let e = self.entries.remove(i);
        self.depth_add(e.priority, -1);
        self.lat.0 += 1;
        self.lat.1 += secs(e.since, self.now);
        self.locked.push((e.key, self.now));
        Some((e.key, e.priority))
    }

    fn done(&mut self, k: u8) {
        self.advance();
        if let Some(i) = self.locked.iter().position(|l| l.0 == k) {
            let (_, since) = self.locked.remove(i);
            self.work.0 += 1;
            self.work.1 += secs(since, self.now);
        }
    }

    fn ready(&self) -> Vec<(u8, i64, bool)> {
        let mut r: Vec<&MEntry> = self
            .entries
            .iter()
            .filter(|e| e.ready_at.is_none())
            .collect();
        r.sort_by_key(|e| (-e.priority, e.counter));
        r.iter()
            .map(|e| (e.key, e.priority, self.locked.iter().any(|l| l.0 == e.key)))
            .collect()
    }

    fn waiting(&self) -> Vec<(u8, u64, i64)> {
        let mut w: Vec<&MEntry> = self
            .entries
            .iter()
            .filter(|e| e.ready_at.is_some())
            .collect();
        w.sort_by_key(|e| (e.ready_at, -e.priority, e.counter));
        w.iter()
            .map(|e| (e.key, e.ready_at.unwrap_or(0), e.priority))
            .collect()
    }
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let clock = FakeClock::new(Time::ZERO);
    let limiter =
        ItemExponentialFailureRateLimiter::new(Duration::from_millis(1), Duration::from_millis(64));
    let mut q: PriorityQueue<u8> = PriorityQueue::with_limiter(Box::new(limiter), clock.clone());
    let mut m = Model::default();
    for (step, op) in ops.iter().enumerate() {
        match op {
            Op::Add(keys, after, rl, p) => {
                let mut opts = AddOpts::new().after_nanos(after * MS);
                opts.rate_limited = *rl;
                opts.priority = *p;
                q.add_with_opts(opts, keys.iter().copied());
                m.add(keys, *after, *rl, *p);
            }
            Op::Get => {
                let want = m.get();
                prop_assert_eq!(q.get_with_priority(), want, "step {} get", step);
            }
            Op::Done(k) => {
                q.done(k);
                m.done(*k);
            }
            Op::Forget(k) => {
                q.forget(k);
                m.failures.remove(k);
            }
            Op::Step(ms) => {
                clock.step(Duration::from_millis(*ms));
                m.now += ms * MS as u64;
            }
            Op::Advance => {
                q.advance();
                m.advance();
            }
            Op::ShutDown => {
                q.shut_down();
                m.advance();
                m.shut = true;
            }
        }
        let ready: Vec<_> = q.ready().map(|e| (*e.key, e.priority, e.locked)).collect();
        prop_assert_eq!(&ready, &m.ready(), "step {} {:?}: ready", step, op);
        prop_assert_eq!(q.len(), ready.len());
        let waiting: Vec<_> = q
            .waiting()
            .map(|e| (*e.key, e.ready_at.as_nanos(), e.priority))
            .collect();
        prop_assert_eq!(&waiting, &m.waiting(), "step {} {:?}: waiting", step, op);
        let processing: Vec<u8> = q.processing().into_iter().map(|(k, _)| *k).collect();
        let want: Vec<u8> = m.locked.iter().map(|l| l.0).collect();
        prop_assert_eq!(processing, want, "step {}: processing", step);
        prop_assert_eq!(q.added_counter(), m.counter, "step {}: counter", step);
        for k in 0..KEYS {
            prop_assert_eq!(
                q.num_requeues(&k),
                m.failures.get(&k).copied().unwrap_or(0),
                "step {}: requeues of {}",
                step,
                k
            );
        }
        let next = m
            .waiting()
            .first()
            .filter(|_| !m.shut)
            .map(|w| Time::from_nanos(w.1));
        prop_assert_eq!(q.next_ready_at(), next, "step {}: next_ready_at", step);
        // Neither side advances on a bare step, so both agree throughout.
        prop_assert_eq!(
            q.has_ready(),
            !m.shut && m.handable().is_some(),
            "step {}: has_ready",
            step
        );
        let metrics = q.metrics();
        let depth: BTreeMap<String, i64> = metrics
            .depth
            .iter()
            .map(|(l, v)| (l.to_string(), *v))
            .collect();
        prop_assert_eq!(&depth, &m.depth, "step {}: depth", step);
        prop_assert_eq!(
            (metrics.adds_total, metrics.retries_total),
            (m.adds, m.retries),
            "step {}: adds/retries",
            step
        );
        prop_assert_eq!(
            (metrics.queue_latency.count, metrics.queue_latency.sum),
            m.lat,
            "step {}: latency",
            step
        );
        prop_assert_eq!(
            (metrics.work_duration.count, metrics.work_duration.sum),
            m.work,
            "step {}: work",
            step
        );
        // The label cap moves counts between labels, never loses them.
        prop_assert_eq!(
            metrics.depth_total(),
            ready.len() as i64,
            "step {}: depth total = ready",
            step
        );
        // Go's tick validator: a waiting entry is never due after an
        // operation that advanced (all but a bare step and forget).
        if !matches!(op, Op::Step(_) | Op::Forget(_)) {
            if let Some(next) = q.next_ready_at() {
                prop_assert!(
                    next.as_nanos() > m.now,
                    "step {}: due entry left waiting",
                    step
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 400, ..Config::default() })]

    #[test]
    fn priority_queue_matches_the_model(ops in prop::collection::vec(op(false), 1..120)) {
        run(ops)?;
    }

    #[test]
    fn priority_queue_matches_the_model_with_many_priorities(
        ops in prop::collection::vec(op(true), 1..200)
    ) {
        run(ops)?;
    }
}
