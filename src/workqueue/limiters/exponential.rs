//! `TypedItemExponentialFailureRateLimiter`: per-item exponential backoff.

use std::hash::Hash;
use std::rc::Rc;
use std::time::Duration;

use super::failure_counts::FailureCounts;
use super::RateLimiter;
use crate::workqueue::clock::Clock;
use crate::workqueue::duration::{from_go_nanos, go_duration_string, go_nanos};

/// `base · 2^failures`, capped at `max`, per item (client-go's
/// `ItemExponentialFailureRateLimiter`).
///
/// Faithful details (§5.1, §14.5):
/// - the exponent is the count *before* this call, so the first `when`
///   returns `base` (not 2·base), and call n returns `min(base·2^(n-1), max)`;
/// - the count keeps growing after the cap; only [`forget`](RateLimiter::forget)
///   deletes an entry, so keys never forgotten stay in the map forever;
/// - the product is computed in `f64` like Go's `math.Pow`, and anything above
///   2^63 ns returns `max` (the overflow guard), so huge counts are safe;
/// - `base > max` is accepted, as in Go: every call then returns `max`;
/// - durations longer than Go's `time.Duration` (≈292 years) are clamped to
///   it, since Go cannot express them;
/// - when `base·2^exp` is *exactly* 2^63 ns (only for a power-of-two base in
///   ns), Go's float-to-int conversion is implementation-defined; this port
///   follows amd64, where it yields a negative duration that the queue treats
///   as "add now", so `when` returns zero for that one call (arm64 Go would
///   return `max`). The defaults (5 ms, 1 ms) never hit it; a base of
///   [`INF_DURATION`](crate::workqueue::INF_DURATION) does (its `f64` is
///   exactly 2^63), so its first call returns zero and later ones `max`.
#[derive(Clone)]
pub struct ItemExponentialFailureRateLimiter<T> {
    failures: FailureCounts<T>,
    base_nanos: i64,
    max_nanos: i64,
}

impl<T: Eq + Hash + Clone> ItemExponentialFailureRateLimiter<T> {
    /// A limiter starting at `base` and capped at `max`; any values, as in Go.
    pub fn new(base: Duration, max: Duration) -> Self {
        ItemExponentialFailureRateLimiter {
            failures: FailureCounts::default(),
            base_nanos: go_nanos(base),
            max_nanos: go_nanos(max),
        }
    }

    /// The first-failure delay.
    pub fn base(&self) -> Duration {
        from_go_nanos(self.base_nanos)
    }

    /// The cap.
    pub fn max(&self) -> Duration {
        from_go_nanos(self.max_nanos)
    }

    /// The delay the `count`-th-previous-failures call would get, without
    /// recording anything (for the UI's backoff table): `when` on an item
    /// with `count` failures returns `delay_for(count)`.
    pub fn delay_for(&self, count: u64) -> Duration {
        from_go_nanos(backoff_nanos(self.base_nanos, self.max_nanos, count))
    }
}

/// Go's arithmetic: `float64(base) * math.Pow(2, exp)`, the 2^63 guard,
/// then `time.Duration(backoff)` with amd64's out-of-range result.
fn backoff_nanos(base: i64, max: i64, exp: u64) -> i64 {
    // 2^exp is exact in f64 up to 2^1023; beyond it Go's math.Pow gives +Inf.
    let pow = match i32::try_from(exp) {
        Ok(e) if e <= 1023 => 2f64.powi(e),
        _ => f64::INFINITY,
    };
    let backoff = base as f64 * pow;
    if backoff > i64::MAX as f64 {
        return max;
    }
    // In range of i64 except exactly 2^63 or NaN (0·Inf): amd64's CVTTSD2SI
    // returns i64::MIN for both.
    let calculated = if backoff.is_nan() || backoff >= i64::MAX as f64 {
        i64::MIN
    } else {
        backoff as i64
    };
    if calculated > max {
        return max;
    }
    calculated
}

impl<T: Eq + Hash + Clone + 'static> RateLimiter<T> for ItemExponentialFailureRateLimiter<T> {
    fn when(&mut self, item: &T) -> Duration {
        let exp = self.failures.record(item);
        from_go_nanos(backoff_nanos(self.base_nanos, self.max_nanos, exp))
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
        visit("ItemExponentialFailureRateLimiter", self.failures.len());
    }

    fn clone_onto(&self, _clock: Rc<dyn Clock>) -> Box<dyn RateLimiter<T>> {
        Box::new(self.clone())
    }

    fn describe(&self) -> String {
        format!(
            "ItemExponential({}, {})",
            go_duration_string(self.base()),
            go_duration_string(self.max())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn doubles_from_base_and_caps() {
        let mut r = ItemExponentialFailureRateLimiter::new(5 * MS, Duration::from_secs(1000));
        let got: Vec<_> = (0..20).map(|_| r.when(&"k")).collect();
        assert_eq!(got[0], 5 * MS);
        assert_eq!(got[1], 10 * MS);
        assert_eq!(got[17], Duration::from_millis(655_360));
        assert_eq!(got[18], Duration::from_secs(1000));
        assert_eq!(r.num_requeues(&"k"), 20);
        assert_eq!(r.describe(), "ItemExponential(5ms, 16m40s)");
    }

    #[test]
    fn overflow_guard_and_huge_counts() {
        let mut r = ItemExponentialFailureRateLimiter::new(MS, Duration::from_secs(1000));
        for _ in 0..1100 {
            assert!(r.when(&"k") <= Duration::from_secs(1000));
        }
        assert_eq!(r.when(&"k"), Duration::from_secs(1000));
        assert_eq!(backoff_nanos(1_000_000, 7, u64::MAX), 7);
    }

    #[test]
    fn base_above_max_returns_max() {
        let mut r =
            ItemExponentialFailureRateLimiter::new(Duration::from_secs(10), Duration::from_secs(1));
        assert_eq!(r.when(&1), Duration::from_secs(1));
    }

    #[test]
    fn exact_two_pow_63_follows_amd64() {
        // base 1 ns: exp 62 → 2^62 (in range), exp 63 → exactly 2^63.
        assert_eq!(backoff_nanos(1, i64::MAX, 62), 1 << 62);
        assert_eq!(backoff_nanos(1, i64::MAX, 63), i64::MIN);
        assert_eq!(backoff_nanos(1, i64::MAX, 64), i64::MAX);
        // base 0 with an infinite power is NaN: also "now".
        assert_eq!(backoff_nanos(0, 9, 5000), i64::MIN);
        assert_eq!(from_go_nanos(i64::MIN), Duration::ZERO);
    }
}
