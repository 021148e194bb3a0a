//! `TypedItemFastSlowRateLimiter`: a few quick retries, then slow ones.

use std::hash::Hash;
use std::rc::Rc;
use std::time::Duration;

use super::failure_counts::FailureCounts;
use super::RateLimiter;
use crate::workqueue::clock::Clock;
use crate::workqueue::duration::{from_go_nanos, go_duration_string, go_nanos};

/// `fast` for the first `max_fast_attempts` calls per item, then `slow`
/// (lavalamp's "X fast retries then Y slow ones" from the 2016 review).
///
/// The count is incremented *before* the comparison, so with
/// `max_fast_attempts = 3` calls 1–3 are fast and call 4 is slow. Like
/// every per-item limiter it forgets only on [`forget`](RateLimiter::forget).
#[derive(Clone)]
pub struct ItemFastSlowRateLimiter<T> {
    failures: FailureCounts<T>,
    fast_nanos: i64,
    slow_nanos: i64,
    max_fast_attempts: u64,
}

impl<T: Eq + Hash + Clone> ItemFastSlowRateLimiter<T> {
    /// A limiter returning `fast` up to `max_fast_attempts` times per item,
    /// then `slow`. Durations beyond Go's range are clamped to it.
    pub fn new(fast: Duration, slow: Duration, max_fast_attempts: u64) -> Self {
        ItemFastSlowRateLimiter {
            failures: FailureCounts::default(),
            fast_nanos: go_nanos(fast),
            slow_nanos: go_nanos(slow),
            max_fast_attempts,
        }
    }
}

impl<T: Eq + Hash + Clone + 'static> RateLimiter<T> for ItemFastSlowRateLimiter<T> {
    fn when(&mut self, item: &T) -> Duration {
        // Counted before the comparison: with 3 fast attempts, call 4 is slow.
        let count = self.failures.record(item).saturating_add(1);
        if count <= self.max_fast_attempts {
            from_go_nanos(self.fast_nanos)
        } else {
            from_go_nanos(self.slow_nanos)
        }
    }

    fn forget(&mut self, item: &T) {
        self.failures.forget(item);
    }

    fn num_requeues(&self, item: &T) -> u64 {
        self.failures.count(item)
    }

    fn visit_failures(&self, visit: &mut dyn FnMut(&T, u64)) {
        self.failures.visit(visit);
    }

    fn failures_len(&self) -> usize {
        self.failures.len()
    }

    fn failure_maps(&self, visit: &mut dyn FnMut(&'static str, usize)) {
        visit("ItemFastSlowRateLimiter", self.failures.len());
    }

    fn clone_onto(&self, _clock: Rc<dyn Clock>) -> Box<dyn RateLimiter<T>> {
        Box::new(self.clone())
    }

    fn describe(&self) -> String {
        format!(
            "ItemFastSlow({}, {}, {})",
            go_duration_string(from_go_nanos(self.fast_nanos)),
            go_duration_string(from_go_nanos(self.slow_nanos)),
            self.max_fast_attempts
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_then_slow_until_forget() {
        let fast = Duration::from_millis(5);
        let slow = Duration::from_secs(10);
        let mut r = ItemFastSlowRateLimiter::new(fast, slow, 3);
        let got: Vec<_> = (0..5).map(|_| r.when(&"one")).collect();
        assert_eq!(got, vec![fast, fast, fast, slow, slow]);
        r.forget(&"one");
        assert_eq!(r.num_requeues(&"one"), 0);
        assert_eq!(r.when(&"one"), fast);
        assert_eq!(r.describe(), "ItemFastSlow(5ms, 10s, 3)");
    }
}
