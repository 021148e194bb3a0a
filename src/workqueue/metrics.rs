//! client-go's workqueue metrics (`util/workqueue/metrics.go`), kept in the
//! queue itself and read as a [`MetricsSnapshot`] at the clock's now.
//!
//! In Go, metrics exist only for a named queue with a provider set before
//! construction; the playground always wants them, so every queue here is a
//! "named" one. The update rules are client-go's exactly (spec §6.2):
//! `depth` follows the dirty set (not `len()`), latency runs from the first
//! add since the last get, `retries` counts every non-shutdown `add_after`
//! (zero delays included).

use std::time::Duration;

use super::clock::Time;
use super::duration::go_seconds;

/// Number of histogram buckets: component-base's `ExponentialBuckets(10e-9, 10, 10)`.
pub const HISTOGRAM_BUCKETS: usize = 10;

/// Upper bounds (seconds, inclusive) of the histogram buckets, computed the
/// way Prometheus' `ExponentialBuckets(10e-9, 10, 10)` does (repeated
/// multiplication), so they equal component-base's bounds bit for bit.
pub fn histogram_bounds() -> [f64; HISTOGRAM_BUCKETS] {
    BOUNDS
}

const BOUNDS: [f64; HISTOGRAM_BUCKETS] = {
    let mut bounds = [0.0; HISTOGRAM_BUCKETS];
    let mut b = 10e-9;
    let mut i = 0;
    while i < HISTOGRAM_BUCKETS {
        bounds[i] = b;
        b *= 10.0;
        i += 1;
    }
    bounds
};

/// A Prometheus-style histogram of durations in seconds
/// (`workqueue_queue_duration_seconds`, `workqueue_work_duration_seconds`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Histogram {
    /// Number of observations.
    pub count: u64,
    /// Sum of all observations, in seconds.
    pub sum: f64,
    /// The most recent observation, what client-go's tests read as
    /// `observedValue`; `None` before the first one.
    pub last: Option<f64>,
    /// Cumulative counts: `buckets[i]` observations were `<= histogram_bounds()[i]`
    /// (Prometheus `le` semantics; `+Inf` is `count`).
    pub buckets: [u64; HISTOGRAM_BUCKETS],
}

/// A histogram as the queue keeps it: per-bucket (non-cumulative) counts,
/// so an observation touches one counter; [`Histogram`] is built on read.
#[derive(Clone, Debug, Default)]
pub(crate) struct HistogramState {
    count: u64,
    sum: f64,
    last: Option<f64>,
    /// `counts[i]`: observations in (bound[i-1], bound[i]]; larger ones
    /// only show in `count` (the `+Inf` bucket).
    counts: [u64; HISTOGRAM_BUCKETS],
}

impl HistogramState {
    /// Records one observation (Prometheus files it under the first bound
    /// that is >= the value).
    #[inline]
    pub(crate) fn observe(&mut self, seconds: f64) {
        self.count += 1;
        self.sum += seconds;
        self.last = Some(seconds);
        if let Some(i) = BOUNDS.iter().position(|&bound| seconds <= bound) {
            self.counts[i] += 1;
        }
    }

    /// The exported, cumulative form.
    pub(crate) fn snapshot(&self) -> Histogram {
        let mut buckets = [0; HISTOGRAM_BUCKETS];
        let mut running = 0;
        for (out, n) in buckets.iter_mut().zip(self.counts) {
            running += n;
            *out = running;
        }
        Histogram {
            count: self.count,
            sum: self.sum,
            last: self.last,
            buckets,
        }
    }
}

/// Every client-go workqueue metric at one instant.
///
/// Field names follow the Prometheus names of component-base
/// (`workqueue_depth`, `workqueue_adds_total`, ...).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricsSnapshot {
    /// `workqueue_depth`: size of the dirty set as Go's gauge tracks it
    /// (+1 per counted add, −1 per get). It counts re-adds during processing,
    /// and a spurious-`done` duplicate can drive it below zero, as in Go.
    pub depth: i64,
    /// `workqueue_adds_total`: adds that inserted into the dirty set.
    pub adds_total: u64,
    /// `workqueue_retries_total`: every `add_after` not refused by shutdown,
    /// zero delays and every `add_rate_limited` included.
    pub retries_total: u64,
    /// `workqueue_queue_duration_seconds`: first add since the last get → get.
    pub queue_latency: Histogram,
    /// `workqueue_work_duration_seconds`: get → done.
    pub work_duration: Histogram,
    /// `workqueue_unfinished_work_seconds`, computed at the snapshot's instant.
    ///
    /// Deviation: Go refreshes this gauge on a 500 ms ticker, so its exported
    /// value lags by up to one period; a snapshot computed at now is exact and
    /// needs no timer. The ticked value is in [`Self::ticked_unfinished_work_seconds`].
    pub unfinished_work_seconds: f64,
    /// `workqueue_longest_running_processor_seconds`, computed at the
    /// snapshot's instant (same deviation as above).
    pub longest_running_processor_seconds: f64,
    /// What Go's gauge holds: the value set by the last ticker tick
    /// (see `Queue::tick_metrics`); frozen once the queue shuts down.
    pub ticked_unfinished_work_seconds: f64,
    /// What Go's longest-running gauge holds after the last tick.
    pub ticked_longest_running_processor_seconds: f64,
    /// How many ticks ran Go's `updateUnfinishedWork` (none after shutdown);
    /// what client-go's `TestMetricShutdown` observes.
    pub unfinished_work_updates: u64,
}

/// The counters and tick state a queue keeps; per-item timestamps live in
/// the queue's own item table so each key is stored once.
#[derive(Clone, Debug)]
pub(crate) struct QueueMetrics {
    pub(crate) depth: i64,
    pub(crate) adds: u64,
    pub(crate) retries: u64,
    pub(crate) latency: HistogramState,
    pub(crate) work_duration: HistogramState,
    /// Go's `unfinishedWorkUpdatePeriod` (500 ms by default).
    pub(crate) period: Duration,
    /// When the fake-clock ticker fires next.
    pub(crate) next_tick: Time,
    pub(crate) ticked_unfinished: f64,
    pub(crate) ticked_longest: f64,
    pub(crate) updates: u64,
}

impl QueueMetrics {
    pub(crate) fn new(now: Time, period: Duration) -> QueueMetrics {
        QueueMetrics {
            depth: 0,
            adds: 0,
            retries: 0,
            latency: HistogramState::default(),
            work_duration: HistogramState::default(),
            period,
            next_tick: now + period,
            ticked_unfinished: 0.0,
            ticked_longest: 0.0,
            updates: 0,
        }
    }

    /// Whether a ticker tick is due at `now`.
    pub(crate) fn tick_due(&self, now: Time) -> bool {
        now >= self.next_tick
    }

    /// Re-arms the ticker like `k8s.io/utils` FakeClock: the target moves
    /// forward by whole periods until it is past `now`, so one big step
    /// produces one tick, not many.
    pub(crate) fn rearm(&mut self, now: Time) {
        if self.period.is_zero() {
            self.next_tick = now + Duration::from_nanos(1);
            return;
        }
        let period = u64::try_from(self.period.as_nanos()).unwrap_or(u64::MAX);
        let behind = now.as_nanos().saturating_sub(self.next_tick.as_nanos());
        let periods = behind / period + 1;
        let step = periods.saturating_mul(period);
        self.next_tick = Time::from_nanos(self.next_tick.as_nanos().saturating_add(step));
    }
}

/// Seconds from `since` to `now` as Go's `clock.Since(t).Seconds()` computes
/// them; negative if the clock was set backwards, as in Go.
pub(crate) fn seconds_between(since: Time, now: Time) -> f64 {
    let (now, since) = (now.as_nanos(), since.as_nanos());
    let nanos = if now >= since {
        i64::try_from(now - since).unwrap_or(i64::MAX)
    } else {
        i64::try_from(since - now).map_or(i64::MIN, |d| -d)
    };
    go_seconds(nanos)
}

/// Go's `updateUnfinishedWork`: the sum of all processing ages and the
/// largest one (0 when nothing is processing, negative ages never win).
pub(crate) fn unfinished_and_longest(starts: impl Iterator<Item = Time>, now: Time) -> (f64, f64) {
    let mut total = 0.0;
    let mut oldest = 0.0;
    for start in starts {
        let age = seconds_between(start, now);
        total += age;
        if age > oldest {
            oldest = age;
        }
    }
    (total, oldest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_match_prometheus() {
        let b = histogram_bounds();
        assert_eq!(b[0], 10e-9);
        assert_eq!(
            b[9],
            10e-9 * 10.0 * 10.0 * 10.0 * 10.0 * 10.0 * 10.0 * 10.0 * 10.0 * 10.0
        );
        assert!(b.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn histogram_is_cumulative() {
        let mut state = HistogramState::default();
        state.observe(5e-5);
        state.observe(2.0);
        state.observe(100.0);
        let h = state.snapshot();
        assert_eq!(h.count, 3);
        assert_eq!(h.last, Some(100.0));
        assert_eq!(h.sum, 102.00005);
        assert_eq!(h.buckets[4], 1); // 1e-4 holds 5e-5
        assert_eq!(h.buckets[9], 2); // 10 s holds both
        assert_eq!(h.buckets[3], 0);
    }

    #[test]
    fn ticker_collapses_missed_ticks() {
        let mut m = QueueMetrics::new(Time::ZERO, Duration::from_millis(1));
        assert!(!m.tick_due(Time::from_nanos(999_999)));
        assert!(m.tick_due(Time::from_nanos(5_500_000)));
        m.rearm(Time::from_nanos(5_500_000));
        assert_eq!(m.next_tick, Time::from_nanos(6_000_000));
        m.rearm(Time::from_nanos(6_000_000));
        assert_eq!(m.next_tick, Time::from_nanos(7_000_000));
    }

    #[test]
    fn ages_sum_and_max() {
        let starts = [Time::from_nanos(0), Time::from_nanos(500_000_000)];
        let (total, longest) =
            unfinished_and_longest(starts.into_iter(), Time::from_nanos(1_000_000_000));
        assert_eq!(total, 1.5);
        assert_eq!(longest, 1.0);
        assert_eq!(seconds_between(Time::from_nanos(10), Time::ZERO), -1e-8);
    }
}
