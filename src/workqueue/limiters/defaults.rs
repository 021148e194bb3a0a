//! client-go's two ready-made limiters.

use std::hash::Hash;
use std::rc::Rc;
use std::time::Duration;

use super::{BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter};
use crate::workqueue::clock::Clock;

/// `DefaultTypedControllerRateLimiter`: `MaxOf(ItemExponential(5ms, 1000s),
/// Bucket(10 qps, burst 100))`, what controllers built on client-go get.
///
/// Per-item backoff plus an overall bucket "only for retry speed"; every call
/// consumes a bucket token, so above 10 calls/s the delay grows 100 ms per
/// call without any cap (§14.6). The bucket reads `clock`, not a wall clock.
pub fn default_controller_rate_limiter<T: Eq + Hash + Clone + 'static>(
    clock: impl Clock + 'static,
) -> MaxOfRateLimiter<T> {
    MaxOfRateLimiter::new(vec![
        Box::new(ItemExponentialFailureRateLimiter::new(
            Duration::from_millis(5),
            Duration::from_secs(1000),
        )),
        Box::new(BucketRateLimiter::from_parts(10.0, 100, Rc::new(clock))),
    ])
}

/// `DefaultTypedItemBasedRateLimiter`: `ItemExponential(1ms, 1000s)`. Note the
/// 1 ms base: the often-quoted 5 ms belongs to the controller default.
pub fn default_item_based_rate_limiter<T: Eq + Hash + Clone>(
) -> ItemExponentialFailureRateLimiter<T> {
    ItemExponentialFailureRateLimiter::new(Duration::from_millis(1), Duration::from_secs(1000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workqueue::limiters::RateLimiter;
    use crate::workqueue::{FakeClock, Time};

    #[test]
    fn controller_default_is_max_of_exponential_and_bucket() {
        let mut r = default_controller_rate_limiter::<u32>(FakeClock::new(Time::ZERO));
        assert_eq!(
            r.describe(),
            "MaxOf(ItemExponential(5ms, 16m40s), Bucket(10 qps, burst 100))"
        );
        assert_eq!(r.when(&1), Duration::from_millis(5));
        assert_eq!(r.tokens(), Some(99.0));
        assert_eq!(r.failures_len(), 1);
    }

    #[test]
    fn item_based_default_starts_at_one_ms() {
        let mut r = default_item_based_rate_limiter::<u32>();
        assert_eq!(r.when(&1), Duration::from_millis(1));
    }
}
