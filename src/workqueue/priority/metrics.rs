//! controller-runtime's priority-queue metrics
//! (`pkg/controller/priorityqueue/metrics.go` over the provider in
//! `pkg/internal/metrics/workqueue.go`), kept in the queue and read as a
//! [`PriorityMetricsSnapshot`] at the clock's now.
//!
//! They are client-go's metrics with four differences that matter to a
//! reader of the dashboards:
//! - `workqueue_depth` carries a `priority` label, and after the 26th
//!   distinct priority *every* later change (old priorities included) goes
//!   to the single label `exceeded_cardinality_limit`
//!   ([`DepthLabel::CardinalityExceeded`]), so the per-priority gauges freeze
//!   and the placeholder gauge can go negative;
//! - `adds` and `depth` move when an item becomes *ready* (not when it is
//!   added with a delay);
//! - `retries` counts only adds whose delay is > 0 (client-go counts every
//!   `AddAfter`, zero included);
//! - the histograms have 12 buckets (`ExponentialBuckets(10e-9, 10, 12)`,
//!   up to 1000 s) where component-base has 10.

use std::fmt;

use crate::workqueue::clock::Time;
use crate::workqueue::metrics::{seconds_between, unfinished_and_longest};

/// controller-runtime's `maxRecommendedUniquePriorities`: distinct
/// priorities the depth gauge labels before it gives up on the label.
pub const MAX_RECOMMENDED_UNIQUE_PRIORITIES: usize = 25;

/// Number of histogram buckets: `prometheus.ExponentialBuckets(10e-9, 10, 12)`.
pub const PRIORITY_HISTOGRAM_BUCKETS: usize = 12;

const BOUNDS: [f64; PRIORITY_HISTOGRAM_BUCKETS] = {
    let mut bounds = [0.0; PRIORITY_HISTOGRAM_BUCKETS];
    let mut b = 10e-9;
    let mut i = 0;
    while i < PRIORITY_HISTOGRAM_BUCKETS {
        bounds[i] = b;
        b *= 10.0;
        i += 1;
    }
    bounds
};

/// Upper bounds (seconds, inclusive) of the priority queue's histogram
/// buckets, computed by repeated multiplication as Prometheus does, so they
/// equal controller-runtime's bounds bit for bit (10 ns … 1000 s).
pub fn priority_histogram_bounds() -> [f64; PRIORITY_HISTOGRAM_BUCKETS] {
    BOUNDS
}

/// A Prometheus-style histogram of durations in seconds with
/// controller-runtime's 12 buckets (`workqueue_queue_duration_seconds`,
/// `workqueue_work_duration_seconds` of a priority queue).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PriorityHistogram {
    /// Number of observations.
    pub count: u64,
    /// Sum of all observations, in seconds.
    pub sum: f64,
    /// The most recent observation; `None` before the first one.
    pub last: Option<f64>,
    /// Cumulative counts: `buckets[i]` observations were
    /// `<= priority_histogram_bounds()[i]` (`+Inf` is `count`).
    pub buckets: [u64; PRIORITY_HISTOGRAM_BUCKETS],
}

/// A histogram as the queue keeps it: per-bucket (non-cumulative) counts,
/// so an observation touches one counter; [`PriorityHistogram`] is built
/// on read.
#[derive(Clone, Debug, Default)]
struct HistogramState {
    count: u64,
    sum: f64,
    last: Option<f64>,
    /// `counts[i]`: observations in (bound[i-1], bound[i]]; larger ones
    /// only show in `count` (the `+Inf` bucket).
    counts: [u64; PRIORITY_HISTOGRAM_BUCKETS],
}

impl HistogramState {
    /// Records one observation under the first bound that is >= it.
    fn observe(&mut self, seconds: f64) {
        self.count += 1;
        self.sum += seconds;
        self.last = Some(seconds);
        if let Some(i) = BOUNDS.iter().position(|&bound| seconds <= bound) {
            self.counts[i] += 1;
        }
    }

    /// The exported, cumulative form.
    fn snapshot(&self) -> PriorityHistogram {
        let mut buckets = [0; PRIORITY_HISTOGRAM_BUCKETS];
        let mut running = 0;
        for (out, n) in buckets.iter_mut().zip(self.counts) {
            running += n;
            *out = running;
        }
        PriorityHistogram {
            count: self.count,
            sum: self.sum,
            last: self.last,
            buckets,
        }
    }
}

/// The `priority` label of one `workqueue_depth` series.
///
/// Ordered so a sorted list shows the numeric labels by value and the
/// placeholder last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DepthLabel {
    /// The item priority itself (Go's `strconv.Itoa(priority)`).
    Priority(i64),
    /// `exceeded_cardinality_limit`: every change once more than
    /// [`MAX_RECOMMENDED_UNIQUE_PRIORITIES`] distinct priorities were seen.
    CardinalityExceeded,
}

impl fmt::Display for DepthLabel {
    /// The label value exactly as Prometheus shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DepthLabel::Priority(p) => write!(f, "{p}"),
            DepthLabel::CardinalityExceeded => f.write_str("exceeded_cardinality_limit"),
        }
    }
}

/// Go's `depthWithPriorityMetric`: a gauge per priority label with the
/// cardinality cap. At most 26 series exist, so both lists are short
/// vectors searched linearly.
#[derive(Clone, Debug, Default)]
struct DepthWithPriority {
    /// Every series that exists (a series appears on its first Inc/Dec and
    /// stays, at zero or below, as in Prometheus), in creation order.
    gauges: Vec<(DepthLabel, i64)>,
    /// Go's `observedPriorities`, dropped once the limit is reached.
    observed: Vec<i64>,
    limit_reached: bool,
}

impl DepthWithPriority {
    /// Go's `priorityLabel`: records the priority, and the call that sees
    /// the 26th distinct one already answers with the placeholder.
    fn label(&mut self, priority: i64) -> DepthLabel {
        if self.limit_reached {
            return DepthLabel::CardinalityExceeded;
        }
        if !self.observed.contains(&priority) {
            self.observed.push(priority);
        }
        if self.observed.len() > MAX_RECOMMENDED_UNIQUE_PRIORITIES {
            self.observed = Vec::new();
            self.limit_reached = true;
            return DepthLabel::CardinalityExceeded;
        }
        DepthLabel::Priority(priority)
    }

    fn change(&mut self, priority: i64, delta: i64) {
        let label = self.label(priority);
        match self.gauges.iter_mut().find(|(l, _)| *l == label) {
            Some((_, v)) => *v += delta,
            None => self.gauges.push((label, delta)),
        }
    }

    fn inc(&mut self, priority: i64) {
        self.change(priority, 1);
    }

    fn dec(&mut self, priority: i64) {
        self.change(priority, -1);
    }

    /// Every series, ordered by label: numeric labels by value, the
    /// placeholder last. A sorted vector, not a `BTreeMap`: a B-tree
    /// instance costs several KB of wasm, for at most 26 gauges.
    fn series(&self) -> Vec<(DepthLabel, i64)> {
        let mut series: Vec<(DepthLabel, i64)> = Vec::with_capacity(self.gauges.len());
        for &(label, value) in &self.gauges {
            let at = series.partition_point(|(l, _)| *l < label);
            series.insert(at, (label, value));
        }
        series
    }
}

/// Every metric of a priority queue at one instant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PriorityMetricsSnapshot {
    /// `workqueue_depth{priority=...}`: every series that exists, including
    /// those back at zero. +1 when an item becomes ready (at its priority),
    /// −1 when it is handed out, −1/+1 when a ready item's priority rises.
    /// Ready items dropped by shutdown stay counted, as in Go.
    /// Ordered by label (numeric labels by value, the placeholder last), one
    /// entry per label; [`PriorityMetricsSnapshot::depth_of`] looks one up.
    pub depth: Vec<(DepthLabel, i64)>,
    /// `workqueue_adds_total`: items that became ready (a new ready item, a
    /// waiting item promoted by a plain add, or a delay that expired).
    pub adds_total: u64,
    /// `workqueue_retries_total`: per item, every add whose delay (after
    /// `min` with the limiter) was > 0, even if the item was already ready.
    pub retries_total: u64,
    /// `workqueue_queue_duration_seconds`: became ready → handed out.
    pub queue_latency: PriorityHistogram,
    /// `workqueue_work_duration_seconds`: handed out → `done`.
    pub work_duration: PriorityHistogram,
    /// `workqueue_unfinished_work_seconds` computed at the snapshot's
    /// instant. Deviation: Go sets this gauge from a 500 ms *wall-clock*
    /// ticker (`time.Tick` in `updateUnfinishedWorkLoop`), which has no
    /// virtual-time meaning; an exact value at now needs no timer. Go sums
    /// in map order, this port in processing order (float rounding can
    /// differ in the last bit).
    pub unfinished_work_seconds: f64,
    /// `workqueue_longest_running_processor_seconds` at the snapshot's
    /// instant (same deviation).
    pub longest_running_processor_seconds: f64,
}

impl PriorityMetricsSnapshot {
    /// The sum over every depth series: what an unlabelled client-go depth
    /// gauge would show (ready items, as Go's gauge counts them).
    pub fn depth_total(&self) -> i64 {
        self.depth.iter().map(|(_, v)| v).sum()
    }

    /// The gauge of one label, if that series exists (Go's
    /// `depth["test"][label]` in the fake metrics provider).
    pub fn depth_of(&self, label: DepthLabel) -> Option<i64> {
        self.depth
            .iter()
            .find(|(l, _)| *l == label)
            .map(|&(_, v)| v)
    }
}

/// The counters a queue keeps; per-item timestamps (Go's `addTimes` and
/// `processingStartTimes`) live in the queue's entries.
#[derive(Clone, Debug, Default)]
pub(super) struct PriorityMetrics {
    depth: DepthWithPriority,
    adds: u64,
    retries: u64,
    latency: HistogramState,
    work_duration: HistogramState,
}

impl PriorityMetrics {
    /// Go's `add`: an item became ready at `priority`.
    pub(super) fn add(&mut self, priority: i64) {
        self.adds += 1;
        self.depth.inc(priority);
    }

    /// Go's `get`: an item that became ready at `ready_since` is handed out.
    pub(super) fn get(&mut self, priority: i64, ready_since: Time, now: Time) {
        self.depth.dec(priority);
        self.latency.observe(seconds_between(ready_since, now));
    }

    /// Go's `updateDepthWithPriorityMetric`: a ready item's priority rose.
    pub(super) fn reprioritize(&mut self, old: i64, new: i64) {
        self.depth.dec(old);
        self.depth.inc(new);
    }

    /// Go's `done` for an item that was processing since `started`.
    pub(super) fn done(&mut self, started: Time, now: Time) {
        self.work_duration.observe(seconds_between(started, now));
    }

    /// Go's `retry`.
    pub(super) fn retry(&mut self) {
        self.retries += 1;
    }

    /// Every metric at `now`, given the processing start times.
    pub(super) fn snapshot(
        &self,
        starts: impl Iterator<Item = Time>,
        now: Time,
    ) -> PriorityMetricsSnapshot {
        let (unfinished, longest) = unfinished_and_longest(starts, now);
        PriorityMetricsSnapshot {
            depth: self.depth.series(),
            adds_total: self.adds,
            retries_total: self.retries,
            queue_latency: self.latency.snapshot(),
            work_duration: self.work_duration.snapshot(),
            unfinished_work_seconds: unfinished,
            longest_running_processor_seconds: longest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_ten_ns_to_a_thousand_s() {
        let b = priority_histogram_bounds();
        assert_eq!(b[0], 10e-9);
        assert!((b[11] - 1000.0).abs() < 1e-9);
        assert!(b.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_26th_priority_switches_every_label_to_the_placeholder() {
        let mut d = DepthWithPriority::default();
        for p in 0..25 {
            d.inc(p);
        }
        assert_eq!(d.series().len(), 25);
        let gauge = |d: &DepthWithPriority, label| {
            let s = d.series();
            assert!(s.windows(2).all(|w| w[0].0 < w[1].0), "sorted: {s:?}");
            s.iter().find(|(l, _)| *l == label).map(|&(_, v)| v)
        };
        d.dec(3); // already observed: still labelled
        assert_eq!(gauge(&d, DepthLabel::Priority(3)), Some(0));
        d.inc(25); // the 26th distinct priority
        d.dec(0); // an old priority now goes to the placeholder too
        assert_eq!(gauge(&d, DepthLabel::CardinalityExceeded), Some(0));
        assert_eq!(gauge(&d, DepthLabel::Priority(0)), Some(1));
        assert_eq!(gauge(&d, DepthLabel::Priority(25)), None);
        assert_eq!(
            d.series().last().map(|s| s.0),
            Some(DepthLabel::CardinalityExceeded)
        );
        d.dec(7);
        assert_eq!(gauge(&d, DepthLabel::CardinalityExceeded), Some(-1));
        assert_eq!(
            DepthLabel::CardinalityExceeded.to_string(),
            "exceeded_cardinality_limit"
        );
        assert_eq!(DepthLabel::Priority(-100).to_string(), "-100");
    }

    #[test]
    fn histogram_is_cumulative() {
        let mut state = HistogramState::default();
        state.observe(5e-5);
        state.observe(2000.0);
        let h = state.snapshot();
        assert_eq!(h.count, 2);
        assert_eq!(h.buckets[4], 1);
        assert_eq!(h.buckets[11], 1);
        assert_eq!(h.buckets[3], 0);
        assert_eq!(h.last, Some(2000.0));
    }
}
