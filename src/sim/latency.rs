//! Change → reconcile latency (in the spirit of client-go's `queue_duration_seconds`, but
//! measured from the informer's change to the end of the reconcile that saw it), as p50 and
//! p99 over time from t=0.
//!
//! The whole event log is needed, and the sim keeps only a recent ring, so the run is replayed
//! ([`EventReplay`], in slices) and every event is observed once. A reconcile covers the changes
//! made before its `Get`; a failed reconcile leaves them pending for the next one. Latencies
//! are kept per time bucket in a log-spaced histogram (about 9% wide bins), so memory stays
//! small for a simulated day and percentiles are exact to one bin.

use std::collections::HashMap;
use std::time::Duration;

use crate::sim::events::{Event, EventKind};
use crate::sim::history::EventReplay;
use crate::sim::input::RecordedInput;
use crate::sim::scenario::{Scenario, ScenarioError};
use crate::sim::Key;
use crate::workqueue::hash::FoldBuild;
use crate::workqueue::Time;

/// Histogram bins per decade (bin edges grow by 10^(1/BINS_PER_DECADE), about 9%).
const BINS_PER_DECADE: f64 = 26.0;
/// The smallest latency told apart: 100 µs.
const FLOOR_S: f64 = 1e-4;
/// Bins: 100 µs to 10^5 s.
const BINS: usize = 9 * 26 + 1;

/// p50 and p99 of the reconciles that finished in one time bucket.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatencyPoint {
    /// End of the bucket, seconds since t=0.
    pub at_s: f64,
    /// Median latency, seconds (the upper edge of its bin).
    pub p50_s: f64,
    /// 99th percentile, seconds (the upper edge of its bin).
    pub p99_s: f64,
    /// Reconciles in the bucket.
    pub count: u64,
}

/// Observes events in order and buckets each change's latency by completion time.
#[derive(Debug)]
pub struct LatencyTracker {
    /// Key → earliest unreconciled change, ns. The same map type as the objects' incarnations,
    /// so the wasm carries one copy of that code; no result depends on the map's order.
    pending: HashMap<Key, u64, FoldBuild>,
    /// Key → earliest change the running reconcile covers, ns.
    in_flight: HashMap<Key, u64, FoldBuild>,
    bucket_ns: u64,
    hist: Vec<Vec<u32>>,
}

fn bin_of(seconds: f64) -> usize {
    if seconds <= FLOOR_S {
        return 0;
    }
    let b = ((seconds / FLOOR_S).log10() * BINS_PER_DECADE).ceil();
    (b.max(0.0) as usize).min(BINS - 1)
}

fn upper_edge(bin: usize) -> f64 {
    FLOOR_S * 10f64.powf(bin as f64 / BINS_PER_DECADE)
}

impl LatencyTracker {
    /// A tracker for a run observed up to `until`, in `buckets` equal time buckets.
    pub fn new(until: Time, buckets: usize) -> LatencyTracker {
        let buckets = buckets.max(1);
        LatencyTracker {
            pending: HashMap::default(),
            in_flight: HashMap::default(),
            bucket_ns: (until.as_nanos() / buckets as u64).max(1),
            hist: vec![Vec::new(); buckets],
        }
    }

    /// Takes one event of the log (in order).
    pub fn observe(&mut self, e: &Event) {
        match &e.kind {
            EventKind::ObjectCreated { key } | EventKind::ObjectUpdated { key }
                if !self.pending.contains_key(key) =>
            {
                self.pending.insert(key.clone(), e.at.as_nanos());
            }
            EventKind::Get { key, .. } => {
                if let Some(t) = self.pending.remove(key) {
                    self.in_flight.insert(key.clone(), t);
                }
            }
            EventKind::ReconcileOk { key, .. } => {
                if let Some(t) = self.in_flight.remove(key) {
                    self.record(e.at, e.at.saturating_since(Time::from_nanos(t)));
                }
            }
            EventKind::ReconcileFailed { key, .. } => {
                if let Some(t) = self.in_flight.remove(key) {
                    self.repend(key.clone(), t);
                }
            }
            EventKind::OomKilled { .. } => {
                // In-flight reconciles died with the process: their changes are pending again.
                for (k, t) in std::mem::take(&mut self.in_flight) {
                    self.repend(k, t);
                }
            }
            _ => {}
        }
    }

    /// Marks `key`'s change at `t` unreconciled again (the earliest one counts).
    fn repend(&mut self, key: Key, t: u64) {
        let earliest = self.pending.get(&key).map_or(t, |p| (*p).min(t));
        self.pending.insert(key, earliest);
    }

    fn record(&mut self, done: Time, latency: Duration) {
        let i = usize::try_from(done.as_nanos() / self.bucket_ns).unwrap_or(usize::MAX);
        let last = self.hist.len().saturating_sub(1);
        if let Some(h) = self.hist.get_mut(i.min(last)) {
            if h.is_empty() {
                h.resize(BINS, 0);
            }
            if let Some(c) = h.get_mut(bin_of(latency.as_secs_f64())) {
                *c += 1;
            }
        }
    }

    /// p50 and p99 per bucket that had reconciles.
    pub fn points(&self) -> Vec<LatencyPoint> {
        let mut out = Vec::new();
        for (i, h) in self.hist.iter().enumerate() {
            let count: u64 = h.iter().map(|c| u64::from(*c)).sum();
            if count == 0 {
                continue;
            }
            let at = |q: f64| {
                let target = ((count as f64) * q).ceil().max(1.0) as u64;
                let mut seen = 0u64;
                for (b, c) in h.iter().enumerate() {
                    seen += u64::from(*c);
                    if seen >= target {
                        return upper_edge(b);
                    }
                }
                upper_edge(BINS - 1)
            };
            out.push(LatencyPoint {
                at_s: ((i as u64 + 1) * self.bucket_ns) as f64 / 1e9,
                p50_s: at(0.5),
                p99_s: at(0.99),
                count,
            });
        }
        out
    }
}

/// Replays `scenario` with `inputs` from t=0 to `until` and returns the latency percentiles
/// in `buckets` time buckets.
pub fn latency_of_run(
    scenario: &Scenario,
    inputs: &[RecordedInput],
    until: Time,
    buckets: usize,
) -> Result<Vec<LatencyPoint>, ScenarioError> {
    let mut replay = LatencyReplay::new(scenario, inputs, until, buckets)?;
    replay.run_slice(u64::MAX);
    Ok(replay.points())
}

/// The latency of a run, computed a slice of steps at a time (the page runs one slice per
/// frame, with progress and Cancel, so a day-long run never freezes it).
#[derive(Debug)]
pub struct LatencyReplay {
    events: EventReplay,
    tracker: LatencyTracker,
}

impl LatencyReplay {
    /// A replay of `scenario` with `inputs` to `until`, percentiles in `buckets` buckets.
    pub fn new(
        scenario: &Scenario,
        inputs: &[RecordedInput],
        until: Time,
        buckets: usize,
    ) -> Result<LatencyReplay, ScenarioError> {
        Ok(LatencyReplay {
            events: EventReplay::new(scenario, inputs, until)?,
            tracker: LatencyTracker::new(until, buckets),
        })
    }

    /// Replays at most `max_steps` more steps; true once the run has reached `until`.
    pub fn run_slice(&mut self, max_steps: u64) -> bool {
        let tracker = &mut self.tracker;
        self.events.run(max_steps, &mut |e| tracker.observe(e))
    }

    /// How far the replay has come.
    pub fn now(&self) -> Time {
        self.events.now()
    }

    /// Where it stops.
    pub fn until(&self) -> Time {
        self.events.until()
    }

    /// The percentiles so far (all of them once [`run_slice`](Self::run_slice) said done).
    pub fn points(&self) -> Vec<LatencyPoint> {
        self.tracker.points()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;

    fn secs(n: u64) -> Time {
        Time::from_nanos(n * 1_000_000_000)
    }

    #[test]
    fn a_replay_in_slices_gives_what_one_replay_gives() {
        let until = secs(120);
        let scenario = preset("seed-oom").expect("p");
        let whole = latency_of_run(&scenario, &[], until, 12).expect("run");
        let mut sliced = LatencyReplay::new(&scenario, &[], until, 12).expect("run");
        let mut slices = 0;
        while !sliced.run_slice(500) {
            slices += 1;
            assert!(sliced.now() < until);
        }
        assert!(slices > 10, "{slices} slices");
        assert_eq!(sliced.now(), until);
        assert_eq!(sliced.points(), whole);
    }

    #[test]
    fn bins_bound_the_value_within_one_bin() {
        for v in [0.0002, 0.005, 0.64, 1.0, 16.0, 1000.0] {
            let b = bin_of(v);
            assert!(
                upper_edge(b) >= v * 0.999 && upper_edge(b) <= v * 1.1,
                "{v}: {}",
                upper_edge(b)
            );
        }
    }

    #[test]
    fn the_buggy_controller_delays_changes_far_more_than_the_fixed_one() {
        let until = secs(600);
        let buggy = latency_of_run(&preset("seed-oom").expect("p"), &[], until, 10).expect("run");
        let fixed = latency_of_run(&preset("fixed").expect("p"), &[], until, 10).expect("run");
        let (Some(b), Some(f)) = (buggy.last(), fixed.last()) else {
            panic!("no reconciles");
        };
        assert!(b.count > 0 && f.count > 0);
        // Fixed: a change waits for a worker, tens of ms. Buggy: its key's backoff, seconds to minutes.
        assert!(f.p50_s < 0.5, "fixed p50 {}", f.p50_s);
        assert!(
            b.p99_s > 10.0 * f.p99_s,
            "buggy p99 {} vs fixed {}",
            b.p99_s,
            f.p99_s
        );
        assert!(buggy.iter().all(|p| p.p50_s <= p.p99_s));
    }
}
