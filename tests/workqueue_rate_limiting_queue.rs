//! Port of client-go `util/workqueue/rate_limiting_queue_test.go` (spec §9.3).
//!
//! Go replaces the delaying layer with one whose loop never runs and reads
//! each `waitFor` straight off the channel, so it sees every request's
//! `readyAt` before de-dup. Here `add_rate_limited` returns the delay it
//! requested (`readyAt - now`), and the heap shows what survives de-dup.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;

use workqueue_playground::workqueue::{
    FakeClock, ItemExponentialFailureRateLimiter, RateLimitingQueue, Time,
};

const MS: Duration = Duration::from_millis(1);

#[test]
fn test_rate_limiting_queue() {
    let limiter = ItemExponentialFailureRateLimiter::new(MS, Duration::from_secs(1));
    let clock = FakeClock::new(Time::from_nanos(1_764_000_000_000_000_000));
    let now = clock.clone();
    let mut q = RateLimitingQueue::new(Box::new(limiter), clock);

    let ready_in = |q: &RateLimitingQueue<&str>, key: &str| {
        q.waiting()
            .into_iter()
            .find(|(k, _)| **k == key)
            .map(|(_, at)| at - now_of(&now))
    };

    assert_eq!(q.add_rate_limited("one"), MS);
    assert_eq!(ready_in(&q, "one"), Some(MS));
    assert_eq!(q.add_rate_limited("one"), 2 * MS);
    // The heap keeps the earlier readyAt of the two requests.
    assert_eq!(ready_in(&q, "one"), Some(MS));
    assert_eq!(q.num_requeues(&"one"), 2);

    assert_eq!(q.add_rate_limited("two"), MS);
    assert_eq!(q.add_rate_limited("two"), 2 * MS);
    assert_eq!(ready_in(&q, "two"), Some(MS));

    q.forget(&"one");
    assert_eq!(q.num_requeues(&"one"), 0);
    assert_eq!(q.add_rate_limited("one"), MS);
    assert_eq!(q.metrics().retries_total, 5);
}

fn now_of(clock: &FakeClock) -> Time {
    use workqueue_playground::workqueue::Clock;
    clock.now()
}

// Gap: AddRateLimited calls When before AddAfter's shutdown check.
#[test]
fn test_when_is_counted_after_shutdown() {
    let limiter = ItemExponentialFailureRateLimiter::new(MS, Duration::from_secs(1));
    let mut q = RateLimitingQueue::new(Box::new(limiter), FakeClock::new(Time::ZERO));
    q.shut_down();
    assert_eq!(q.add_rate_limited("one"), MS);
    assert_eq!(q.add_rate_limited("one"), 2 * MS);
    assert_eq!(q.num_requeues(&"one"), 2);
    assert_eq!(q.waiting_len(), 0);
    assert_eq!(q.metrics().retries_total, 0);
}

// Gap: Forget clears limiter memory only; the waiting entry stays and Done
// is still needed.
#[test]
fn test_forget_does_not_touch_queue() {
    let limiter = ItemExponentialFailureRateLimiter::new(MS, Duration::from_secs(1));
    let clock = FakeClock::new(Time::ZERO);
    let mut q = RateLimitingQueue::new(Box::new(limiter), clock.clone());
    q.add_rate_limited("one");
    q.forget(&"one");
    assert_eq!(q.waiting_len(), 1);
    clock.step(MS);
    assert_eq!(q.get(), Some("one"));
    q.forget(&"one");
    assert_eq!(q.processing_len(), 1);
    q.done(&"one");
    assert_eq!(q.processing_len(), 0);
}
