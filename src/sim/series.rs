//! Metrics over time, decimated so that a simulated day stays small.
//!
//! Charts need the whole history from t=0, but a day of 100 ms samples is
//! 864 000 rows. So the series samples on a fixed grid and, whenever it holds
//! [`SERIES_CAPACITY`] samples, drops every other one and doubles the grid
//! step: memory is bounded by the capacity, not the run length, and the
//! resolution is always the finest that fits.

use crate::sim::PriorityDepths;
use crate::workqueue::Time;
use serde::Serialize;
use std::time::Duration;

/// Most samples kept (always even, so halving keeps the grid aligned).
pub const SERIES_CAPACITY: usize = 1024;

/// Grid step of a fresh series.
pub const INITIAL_INTERVAL: Duration = Duration::from_millis(100);

/// The state of the world at one grid instant. Counter names follow
/// client-go's metrics (`workqueue_depth`, `workqueue_adds_total`,
/// `workqueue_retries_total`); the counters restart from 0 when the
/// controller restarts, exactly as Prometheus would see them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// Grid instant, ns.
    #[serde(serialize_with = "ser_time")]
    pub at: Time,
    /// `workqueue_depth` (the dirty set's size).
    pub depth: i64,
    /// `workqueue_adds_total` of the running process.
    pub adds_total: u64,
    /// `workqueue_retries_total` of the running process.
    pub retries_total: u64,
    /// `len(failures)` of the rate limiter.
    pub failures_len: u64,
    /// Objects that exist.
    pub live_keys: u64,
    /// Failures entries whose object was deleted.
    pub orphan_entries: u64,
    /// Keys whose last reconcile failed.
    pub failing_keys: u64,
    /// Entries in the delaying heap.
    pub waiting_len: u64,
    /// Items in the FIFO (`queue.Len()`).
    pub queue_len: u64,
    /// Items being processed.
    pub processing: u64,
    /// Token bucket balance (negative: debt), if the limiter has a bucket.
    pub bucket_tokens: Option<f64>,
    /// Estimated memory in bytes (0 while the pod is down).
    pub memory_bytes: u64,
    /// OOM kills so far.
    pub oom_kills: u64,
    /// `When()` calls so far that returned the limiter's cap ("cap reached").
    pub capped_total: u64,
    /// controller-runtime's priority queue only: `workqueue_depth` per priority group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth_by_priority: Option<PriorityDepths>,
}

fn ser_time<S: serde::Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(t.as_nanos())
}

/// A decimated time series of [`Sample`]s on a regular grid.
#[derive(Clone, Debug)]
pub struct Series {
    samples: Vec<Sample>,
    interval: Duration,
    next_at: Time,
    /// The last sample was taken at the clock's instant, which may still change it (an act,
    /// or a happening an act scheduled for that instant): it is re-taken until the clock
    /// moves past it, so a live run records what a replay of it records.
    provisional: bool,
}

impl Default for Series {
    fn default() -> Self {
        Series::new()
    }
}

impl Series {
    /// An empty series whose first sample is due at t=0.
    pub fn new() -> Series {
        Series {
            samples: Vec::with_capacity(SERIES_CAPACITY),
            interval: INITIAL_INTERVAL,
            next_at: Time::ZERO,
            provisional: false,
        }
    }

    /// The samples, oldest first, `interval()` apart.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// The current grid step.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The next grid instant that still needs a sample.
    pub fn next_at(&self) -> Time {
        self.next_at
    }

    /// Whether [`fill`](Self::fill) up to `until` would record or re-take a sample: what the
    /// world must report before its clock moves to `until`.
    pub fn due_before(&self, until: Time) -> bool {
        self.next_at < until || (self.provisional && self.last_at().is_some_and(|at| at < until))
    }

    fn last_at(&self) -> Option<Time> {
        self.samples.last().map(|s| s.at)
    }

    /// Records `state` for every grid instant up to `until` (inclusive when
    /// `inclusive`), i.e. for instants at which the world looked like `state`. A sample taken
    /// at `until` inclusively stays provisional: the next fill re-takes it, with the state the
    /// world had when its clock left that instant.
    pub fn fill(&mut self, until: Time, inclusive: bool, state: &Sample) {
        if self.provisional {
            if let Some(last) = self.samples.last_mut() {
                if last.at < until || (inclusive && last.at == until) {
                    *last = Sample {
                        at: last.at,
                        ..*state
                    };
                }
            }
            self.provisional = false;
        }
        while self.next_at < until || (inclusive && self.next_at == until) {
            self.samples.push(Sample {
                at: self.next_at,
                ..*state
            });
            if self.samples.len() >= SERIES_CAPACITY {
                // Halving also moves `next_at` onto the doubled grid.
                self.halve();
                continue;
            }
            match self.next_at.checked_add(self.interval) {
                Some(t) => self.next_at = t,
                None => {
                    self.next_at = Time::MAX;
                    break;
                }
            }
        }
        self.provisional = inclusive && self.last_at() == Some(until);
    }

    /// Keeps the samples on the even grid instants and doubles the step.
    fn halve(&mut self) {
        let mut i = 0;
        self.samples.retain(|_| {
            i += 1;
            i % 2 == 1
        });
        self.interval = self.interval.saturating_mul(2);
        // The last kept sample is at an even index; the next instant on the
        // doubled grid follows it.
        if let Some(last) = self.samples.last() {
            self.next_at = last.at + self.interval;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank() -> Sample {
        Sample {
            at: Time::ZERO,
            depth: 0,
            adds_total: 0,
            retries_total: 0,
            failures_len: 0,
            live_keys: 0,
            orphan_entries: 0,
            failing_keys: 0,
            waiting_len: 0,
            queue_len: 0,
            processing: 0,
            bucket_tokens: None,
            memory_bytes: 0,
            oom_kills: 0,
            capped_total: 0,
            depth_by_priority: None,
        }
    }

    #[test]
    fn a_day_stays_bounded_and_on_a_regular_grid() {
        let mut s = Series::new();
        let day = Time::from_nanos(86_400 * 1_000_000_000);
        let mut t = Time::ZERO;
        let mut n = 0u64;
        while t < day {
            let state = Sample {
                failures_len: n,
                ..blank()
            };
            t = t + Duration::from_millis(37);
            s.fill(t, false, &state);
            n += 1;
        }
        assert!(s.samples().len() <= SERIES_CAPACITY);
        assert!(s.samples().len() >= SERIES_CAPACITY / 2);
        let step = s.interval();
        for w in s.samples().windows(2) {
            if let [a, b] = w {
                assert_eq!(b.at - a.at, step);
            }
        }
        assert_eq!(s.samples().first().map(|x| x.at), Some(Time::ZERO));
        // Each sample shows the state in force at its instant: values only grow here.
        assert!(s
            .samples()
            .windows(2)
            .all(|w| w[0].failures_len <= w[1].failures_len));
    }

    #[test]
    fn a_sample_at_the_clock_is_retaken_until_the_clock_leaves_it() {
        let mut s = Series::new();
        let state = |n| Sample {
            failures_len: n,
            ..blank()
        };
        let t200 = Time::from_nanos(200_000_000);
        s.fill(t200, true, &state(0));
        assert_eq!(s.samples().len(), 3);
        assert!(s.due_before(t200 + Duration::from_millis(1)));
        assert!(!s.due_before(t200));
        // An act at 200 ms, then a happening at 250 ms: the clock leaves 200 ms with 1.
        s.fill(t200 + Duration::from_millis(50), false, &state(1));
        s.fill(t200 + Duration::from_millis(150), false, &state(2));
        let values: Vec<u64> = s.samples().iter().map(|x| x.failures_len).collect();
        assert_eq!(values, [0, 0, 1, 2]);
        // A sample taken exclusively is final.
        assert!(!s.due_before(t200 + Duration::from_millis(160)));
    }
}
