//! Port of client-go `util/workqueue/default_rate_limiters_test.go` (spec
//! §9.4), same values, plus the limiter gaps spec §9 lists: the token bucket,
//! the default controller limiter and the 2^63 overflow guard.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::rc::Rc;
use std::time::Duration;

use workqueue_playground::workqueue::{
    default_controller_rate_limiter, default_item_based_rate_limiter, BucketRateLimiter, Clock,
    FakeClock, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter,
    RateLimiter, Time, WithMaxWaitRateLimiter, INF_DURATION,
};

const MS: Duration = Duration::from_millis(1);
const SEC: Duration = Duration::from_secs(1);
const MIN: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn test_item_exponential_failure_rate_limiter() {
    let mut limiter = ItemExponentialFailureRateLimiter::new(MS, SEC);

    assert_eq!(limiter.when(&"one"), MS);
    assert_eq!(limiter.when(&"one"), 2 * MS);
    assert_eq!(limiter.when(&"one"), 4 * MS);
    assert_eq!(limiter.when(&"one"), 8 * MS);
    assert_eq!(limiter.when(&"one"), 16 * MS);
    assert_eq!(limiter.num_requeues(&"one"), 5);

    assert_eq!(limiter.when(&"two"), MS);
    assert_eq!(limiter.when(&"two"), 2 * MS);
    assert_eq!(limiter.num_requeues(&"two"), 2);

    limiter.forget(&"one");
    assert_eq!(limiter.num_requeues(&"one"), 0);
    assert_eq!(limiter.when(&"one"), MS);
}

#[test]
fn test_item_exponential_failure_rate_limiter_over_flow() {
    let mut limiter = ItemExponentialFailureRateLimiter::new(MS, 1000 * SEC);
    for _ in 0..5 {
        limiter.when(&"one");
    }
    assert_eq!(limiter.when(&"one"), 32 * MS);

    for _ in 0..1000 {
        limiter.when(&"overflow1");
    }
    assert_eq!(limiter.when(&"overflow1"), 1000 * SEC);

    let mut limiter = ItemExponentialFailureRateLimiter::new(MIN, 1000 * HOUR);
    for _ in 0..2 {
        limiter.when(&"two");
    }
    assert_eq!(limiter.when(&"two"), 4 * MIN);

    for _ in 0..1000 {
        limiter.when(&"overflow2");
    }
    assert_eq!(limiter.when(&"overflow2"), 1000 * HOUR);
}

#[test]
fn test_item_fast_slow_rate_limiter() {
    let mut limiter = ItemFastSlowRateLimiter::new(5 * MS, 10 * SEC, 3);

    assert_eq!(limiter.when(&"one"), 5 * MS);
    assert_eq!(limiter.when(&"one"), 5 * MS);
    assert_eq!(limiter.when(&"one"), 5 * MS);
    assert_eq!(limiter.when(&"one"), 10 * SEC);
    assert_eq!(limiter.when(&"one"), 10 * SEC);
    assert_eq!(limiter.num_requeues(&"one"), 5);

    assert_eq!(limiter.when(&"two"), 5 * MS);
    assert_eq!(limiter.when(&"two"), 5 * MS);
    assert_eq!(limiter.num_requeues(&"two"), 2);

    limiter.forget(&"one");
    assert_eq!(limiter.num_requeues(&"one"), 0);
    assert_eq!(limiter.when(&"one"), 5 * MS);
}

#[test]
fn test_max_of_rate_limiter() {
    let mut limiter: MaxOfRateLimiter<&str> = MaxOfRateLimiter::new(vec![
        Box::new(ItemFastSlowRateLimiter::new(5 * MS, 3 * SEC, 3)),
        Box::new(ItemExponentialFailureRateLimiter::new(MS, SEC)),
    ]);

    assert_eq!(limiter.when(&"one"), 5 * MS);
    assert_eq!(limiter.when(&"one"), 5 * MS);
    assert_eq!(limiter.when(&"one"), 5 * MS);
    assert_eq!(limiter.when(&"one"), 3 * SEC);
    assert_eq!(limiter.when(&"one"), 3 * SEC);
    assert_eq!(limiter.num_requeues(&"one"), 5);

    assert_eq!(limiter.when(&"two"), 5 * MS);
    assert_eq!(limiter.when(&"two"), 5 * MS);
    assert_eq!(limiter.num_requeues(&"two"), 2);

    limiter.forget(&"one");
    assert_eq!(limiter.num_requeues(&"one"), 0);
    assert_eq!(limiter.when(&"one"), 5 * MS);
}

/// Go's test helper `StepRateLimiter`: one global counter; `base` up to
/// `threshold` calls, then `max`. `NumRequeues` is 0, `Forget` a no-op.
#[derive(Clone)]
struct StepRateLimiter {
    count: u64,
    threshold: u64,
    base: Duration,
    max: Duration,
}

impl<T> RateLimiter<T> for StepRateLimiter {
    fn when(&mut self, _item: &T) -> Duration {
        self.count += 1;
        if self.count <= self.threshold {
            self.base
        } else {
            self.max
        }
    }
    fn forget(&mut self, _item: &T) {}
    fn num_requeues(&self, _item: &T) -> u64 {
        0
    }
    fn clone_onto(&self, _clock: Rc<dyn Clock>) -> Box<dyn RateLimiter<T>> {
        Box::new(self.clone())
    }
    fn describe(&self) -> String {
        "Step".to_owned()
    }
}

#[test]
fn test_with_max_wait_rate_limiter() {
    let step = StepRateLimiter {
        count: 0,
        threshold: 100,
        base: 5 * MS,
        max: 1000 * SEC,
    };
    let mut limiter: WithMaxWaitRateLimiter<u32> =
        WithMaxWaitRateLimiter::new(Box::new(step), 500 * SEC);
    for i in 0..100 {
        assert_eq!(limiter.when(&i), 5 * MS, "{i}");
    }
    for i in 100..200 {
        assert_eq!(limiter.when(&i), 500 * SEC, "{i}");
    }
}

// ---- Gaps listed in spec §9 ----

fn bucket_when(b: &mut BucketRateLimiter) -> Duration {
    RateLimiter::<()>::when(b, &())
}

/// 10 qps, burst 100, all calls at one instant: call k waits
/// max(0, k-100) × 100 ms (as x/time/rate's float math truncates it).
#[test]
fn test_bucket_rate_limiter_debt_is_linear_and_uncapped() {
    let clock = FakeClock::new(Time::from_nanos(5_000_000_000));
    let mut b = BucketRateLimiter::new(10.0, 100, clock.clone()).expect("valid");
    for k in 1..=2000u64 {
        let got = bucket_when(&mut b);
        let ideal = Duration::from_millis(k.saturating_sub(100) * 100);
        assert!(
            got <= ideal && ideal - got <= Duration::from_nanos(1),
            "call {k}: {got:?} vs {ideal:?}"
        );
    }
    // 1900 calls in debt: 190 s, well past any per-item cap.
    assert_eq!(RateLimiter::<()>::tokens(&b), Some(-1900.0));
    assert_eq!(b.last_event(), Time::from_nanos(5_000_000_000) + 190 * SEC);
}

/// Tokens refill at qps up to burst; a partial refill shortens the wait.
#[test]
fn test_bucket_rate_limiter_refills_over_time() {
    let clock = FakeClock::new(Time::ZERO);
    let mut b = BucketRateLimiter::new(10.0, 100, clock.clone()).expect("valid");
    for _ in 0..100 {
        assert_eq!(bucket_when(&mut b), Duration::ZERO);
    }
    assert_eq!(bucket_when(&mut b), 100 * MS);
    clock.step(SEC); // +10 tokens: balance -1 → 9
    assert_eq!(RateLimiter::<()>::tokens(&b), Some(9.0));
    for _ in 0..9 {
        assert_eq!(bucket_when(&mut b), Duration::ZERO);
    }
    assert_eq!(bucket_when(&mut b), 100 * MS);
    clock.step(HOUR);
    assert_eq!(
        RateLimiter::<()>::tokens(&b),
        Some(100.0),
        "capped at burst"
    );
    // Refill is computed lazily at the next reservation, so a clock set back
    // before the last reservation (1 s) refills nothing: the balance is still
    // the -1 left at 1 s, and this call waits for 2 tokens. No panic.
    clock.set(Time::ZERO);
    assert_eq!(bucket_when(&mut b), 200 * MS);
}

/// Burst 0 can never grant a token: Go's `InfDuration` (i64::MAX ns).
#[test]
fn test_bucket_rate_limiter_burst_zero_is_infinite() {
    let mut b = BucketRateLimiter::new(10.0, 0, FakeClock::new(Time::ZERO)).expect("valid");
    assert_eq!(bucket_when(&mut b), INF_DURATION);
    assert_eq!(INF_DURATION, Duration::from_nanos(i64::MAX as u64));
    assert_eq!(bucket_when(&mut b), INF_DURATION);
}

/// Parameters Go accepts are accepted; what Go cannot express is rejected.
#[test]
fn test_bucket_rate_limiter_parameters() {
    let c = FakeClock::new(Time::ZERO);
    for bad in [f64::NAN, -1.0, f64::NEG_INFINITY] {
        let err = BucketRateLimiter::new(bad, 1, c.clone())
            .err()
            .expect("rejected");
        assert_eq!(err.parameter, "qps");
        assert!(err.to_string().starts_with("invalid qps: "));
    }
    // qps 0 (x/time's limit == 0 branch): the burst is spent, then never.
    let mut zero = BucketRateLimiter::new(0.0, 1, c.clone()).expect("valid");
    assert_eq!(bucket_when(&mut zero), Duration::ZERO);
    assert_eq!(bucket_when(&mut zero), INF_DURATION);
    // rate.Inf never waits, whatever the burst.
    let mut inf = BucketRateLimiter::new(f64::INFINITY, 0, c.clone()).expect("valid");
    for _ in 0..1000 {
        assert_eq!(bucket_when(&mut inf), Duration::ZERO);
    }
    // Tiny rates: waits beyond Go's range are InfDuration, not a panic.
    let mut tiny = BucketRateLimiter::new(1e-300, 1, c).expect("valid");
    assert_eq!(bucket_when(&mut tiny), Duration::ZERO);
    assert_eq!(bucket_when(&mut tiny), INF_DURATION);
}

/// MaxOf(Exp(5ms, 1000s), Bucket(10, 100)): both limiters run every call.
#[test]
fn test_default_controller_rate_limiter() {
    let clock = FakeClock::new(Time::ZERO);
    let mut limiter = default_controller_rate_limiter::<String>(clock.clone());
    // One key, 19 events at one instant: exponential dominates, reaching the cap.
    let mut got = Vec::new();
    for _ in 0..19 {
        got.push(limiter.when(&"ns/a".to_owned()));
    }
    assert_eq!(got[0], 5 * MS);
    assert_eq!(got[17], Duration::from_millis(655_360));
    assert_eq!(got[18], 1000 * SEC);
    assert_eq!(limiter.num_requeues(&"ns/a".to_owned()), 19);
    assert_eq!(limiter.tokens(), Some(81.0));
    // 200 distinct keys: after the burst the bucket dominates (100 ms each).
    for i in 0..200u64 {
        let d = limiter.when(&format!("ns/{i}"));
        let debt_calls = (19u64 + i + 1).saturating_sub(100);
        let want = Duration::from_millis(debt_calls * 100).max(5 * MS);
        assert!(want - d <= Duration::from_nanos(1), "key {i}: {d:?}");
    }
    assert_eq!(limiter.failures_len(), 201);
    limiter.forget(&"ns/a".to_owned());
    assert_eq!(limiter.failures_len(), 200);
    let mut seen = 0;
    limiter.visit_failures(&mut |_, n| {
        assert_eq!(n, 1);
        seen += 1;
    });
    assert_eq!(seen, 200);
}

#[test]
fn test_default_item_based_rate_limiter() {
    let mut limiter = default_item_based_rate_limiter::<&str>();
    let got: Vec<Duration> = (0..21).map(|_| limiter.when(&"k")).collect();
    assert_eq!(got[0], MS);
    assert_eq!(got[19], Duration::from_millis(524_288));
    assert_eq!(got[20], 1000 * SEC, "cap reached at call 21");
    assert_eq!(limiter.describe(), "ItemExponential(1ms, 16m40s)");
}

/// The 2^63 guard: counts far past overflow keep returning max, and base >
/// max is accepted (every call returns max), as in Go.
#[test]
fn test_exponential_overflow_guard_and_base_above_max() {
    let mut limiter = ItemExponentialFailureRateLimiter::new(5 * MS, 1000 * SEC);
    for _ in 0..5000 {
        assert!(limiter.when(&"k") <= 1000 * SEC);
    }
    assert_eq!(limiter.when(&"k"), 1000 * SEC);
    assert_eq!(limiter.num_requeues(&"k"), 5001);
    assert_eq!(limiter.delay_for(u64::MAX), 1000 * SEC);

    let mut upside_down = ItemExponentialFailureRateLimiter::new(SEC, MS);
    assert_eq!(upside_down.when(&"k"), MS);

    // Durations past Go's range are clamped to i64::MAX ns, whose float64 is
    // exactly 2^63: the guard (`> 2^63`) lets it through and amd64's
    // conversion yields a negative duration, i.e. "add now". The next call
    // (2^64) trips the guard and returns max.
    let mut huge = ItemExponentialFailureRateLimiter::new(Duration::MAX, Duration::MAX);
    assert_eq!(huge.when(&"k"), Duration::ZERO);
    assert_eq!(huge.when(&"k"), INF_DURATION);
}
