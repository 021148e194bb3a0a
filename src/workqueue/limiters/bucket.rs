//! `TypedBucketRateLimiter`: one global token bucket over
//! `golang.org/x/time/rate`, ported with its exact arithmetic.
//!
//! Ported from `rate.go` as of x/time v0.15.0 (the version client-go pins):
//! `NewLimiter` starts full; `reserveN` has an `Inf` branch (act now), a
//! `limit == 0` branch (spend the burst itself, then refuse), and otherwise
//! `advance` + `tokens -= 1` + `durationFromTokens(-tokens)`, storing the
//! negative balance as debt; `durationFromTokens(t)` is
//! `time.Duration(t / limit * 1e9)` (float, truncated) returning
//! `InfDuration` past `MaxInt64` or for `limit <= 0`; `tokensFromDuration(d)`
//! is `d.Seconds() * limit`.

use std::rc::Rc;
use std::time::Duration;

use super::RateLimiter;
use crate::workqueue::clock::{Clock, Time};
use crate::workqueue::duration::{go_seconds, INF_DURATION};
use crate::workqueue::error::LimiterError;

/// A reserving token bucket: `qps` tokens per second, `burst` capacity,
/// shared by all items (client-go's `BucketRateLimiter`).
///
/// Each `when` reserves one token and returns how long to wait for it; the
/// balance can go arbitrarily negative, so above `qps` calls per second the
/// delay grows linearly *without a cap* (the 1000 s of the exponential
/// limiter does not apply). `forget` does nothing and `num_requeues` is 0.
///
/// Deviation: client-go's bucket reads the wall clock (`time.Now()` in
/// `Reserve()` and `Delay()`), ignoring the queue's clock, so Go's fake-clock
/// tests cannot drive it; this port reads the injected [`Clock`], which makes
/// it deterministic. Reserve and delay then happen at the same instant, so the
/// returned delay is exactly the reservation's wait.
pub struct BucketRateLimiter {
    clock: Rc<dyn Clock>,
    /// Tokens per second; `f64::MAX` is Go's `rate.Inf`.
    limit: f64,
    /// Go's `int` burst; the `limit == 0` branch spends it.
    burst: u64,
    tokens: f64,
    last: Time,
    last_event: Time,
}

impl BucketRateLimiter {
    /// A full bucket of `burst` tokens refilled at `qps` per second.
    ///
    /// Accepted as in Go: `qps == 0` (the burst is spent once, then every
    /// call waits forever), `burst == 0` (every call waits "forever", Go's
    /// `InfDuration` = `i64::MAX` ns) and `qps = +∞` or `f64::MAX` (Go's
    /// `rate.Inf`: never waits). Rejected, because Go's `rate.Limit` and `int`
    /// cannot express them meaningfully: NaN or negative `qps`, and a burst
    /// above `i64::MAX`.
    pub fn new(qps: f64, burst: u64, clock: impl Clock + 'static) -> Result<Self, LimiterError> {
        Self::with_clock_rc(qps, burst, Rc::new(clock))
    }

    /// [`BucketRateLimiter::new`] on a clock handle shared with the queue.
    pub fn with_clock_rc(qps: f64, burst: u64, clock: Rc<dyn Clock>) -> Result<Self, LimiterError> {
        if qps.is_nan() {
            return Err(LimiterError {
                parameter: "qps",
                reason: "is NaN; expected a rate in tokens per second".to_owned(),
            });
        }
        if qps < 0.0 {
            return Err(LimiterError {
                parameter: "qps",
                reason: format!("is negative ({qps}); expected 0 or more tokens per second"),
            });
        }
        if burst > i64::MAX as u64 {
            return Err(LimiterError {
                parameter: "burst",
                reason: format!("{burst} exceeds Go's int range (at most {})", i64::MAX),
            });
        }
        Ok(Self::from_parts(qps, burst, clock))
    }

    /// Construction without validation, for the known-good defaults.
    pub(crate) fn from_parts(qps: f64, burst: u64, clock: Rc<dyn Clock>) -> Self {
        BucketRateLimiter {
            clock,
            limit: if qps.is_infinite() { f64::MAX } else { qps },
            burst,
            tokens: burst as f64,
            last: Time::ZERO,
            last_event: Time::ZERO,
        }
    }

    /// Tokens per second (`f64::MAX` for Go's `rate.Inf`).
    pub fn qps(&self) -> f64 {
        self.limit
    }

    /// Current burst (capacity). Only the `qps == 0` branch changes it.
    pub fn burst(&self) -> u64 {
        self.burst
    }

    /// When the last reserved token becomes available (Go's `lastEvent`).
    pub fn last_event(&self) -> Time {
        self.last_event
    }

    /// Go's `TokensAt(now)`: the balance after refilling up to `now`
    /// (without changing state); negative while in debt.
    pub fn tokens_at(&self, now: Time) -> f64 {
        self.advance(now)
    }

    /// Go's `advance`: refill for the time since `last`, capped at burst. A
    /// clock that went backwards refills nothing.
    fn advance(&self, now: Time) -> f64 {
        let last = self.last.min(now);
        let elapsed = i64::try_from(now.as_nanos() - last.as_nanos()).unwrap_or(i64::MAX);
        let tokens = self.tokens + self.tokens_from_duration(elapsed);
        let burst = self.burst as f64;
        if tokens > burst {
            burst
        } else {
            tokens
        }
    }

    fn tokens_from_duration(&self, nanos: i64) -> f64 {
        if self.limit <= 0.0 {
            return 0.0;
        }
        go_seconds(nanos) * self.limit
    }

    fn duration_from_tokens(&self, tokens: f64) -> i64 {
        if self.limit <= 0.0 {
            return i64::MAX;
        }
        let duration = (tokens / self.limit) * 1e9;
        if duration > i64::MAX as f64 {
            return i64::MAX;
        }
        duration as i64
    }

    /// `Reserve().Delay()` at one instant: Go's `reserveN(now, 1, InfDuration)`.
    fn reserve(&mut self, now: Time) -> Duration {
        if self.limit == f64::MAX {
            return Duration::ZERO;
        }
        if self.limit == 0.0 {
            if self.burst >= 1 {
                self.burst -= 1;
                return Duration::ZERO;
            }
            return INF_DURATION;
        }
        let tokens = self.advance(now) - 1.0;
        let wait = if tokens < 0.0 {
            self.duration_from_tokens(-tokens)
        } else {
            0
        };
        // ok := n <= burst && wait <= InfDuration (always true for the latter).
        if self.burst < 1 {
            return INF_DURATION;
        }
        let wait = Duration::from_nanos(wait.unsigned_abs());
        self.last = now;
        self.tokens = tokens;
        self.last_event = now + wait;
        wait
    }
}

impl<T> RateLimiter<T> for BucketRateLimiter {
    fn when(&mut self, _item: &T) -> Duration {
        let now = self.clock.now();
        self.reserve(now)
    }

    fn forget(&mut self, _item: &T) {}

    fn num_requeues(&self, _item: &T) -> u64 {
        0
    }

    fn tokens(&self) -> Option<f64> {
        Some(self.advance(self.clock.now()))
    }

    fn clone_onto(&self, clock: Rc<dyn Clock>) -> Box<dyn RateLimiter<T>> {
        Box::new(BucketRateLimiter {
            clock,
            limit: self.limit,
            burst: self.burst,
            tokens: self.tokens,
            last: self.last,
            last_event: self.last_event,
        })
    }

    fn describe(&self) -> String {
        if self.limit == f64::MAX {
            format!("Bucket(inf qps, burst {})", self.burst)
        } else {
            format!("Bucket({} qps, burst {})", self.limit, self.burst)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workqueue::FakeClock;

    fn when(b: &mut BucketRateLimiter) -> Duration {
        RateLimiter::<()>::when(b, &())
    }

    #[test]
    fn burst_then_linear_debt() {
        let clock = FakeClock::new(Time::from_nanos(1_000_000_000));
        let mut b = BucketRateLimiter::new(10.0, 100, clock.clone()).expect("valid");
        let mut got = Vec::new();
        for _ in 0..300 {
            got.push(when(&mut b));
        }
        // Call k waits (k-100)·100 ms, as float math truncated to ns: Go's
        // `(41.0/10.0)*1e9` is 4099999999.9999995, so call 141 gets 1 ns less.
        for (i, d) in got.iter().enumerate() {
            let ideal = Duration::from_millis((i as u64 + 1).saturating_sub(100) * 100);
            assert!(
                ideal - *d <= Duration::from_nanos(1),
                "call {}: {d:?}",
                i + 1
            );
        }
        assert_eq!(got[99], Duration::ZERO);
        assert_eq!(got[100], Duration::from_millis(100));
        assert_eq!(got[140], Duration::from_nanos(4_099_999_999));
        assert_eq!(RateLimiter::<()>::tokens(&b), Some(-200.0));
        clock.step(Duration::from_secs(30));
        assert_eq!(RateLimiter::<()>::tokens(&b), Some(100.0));
    }

    #[test]
    fn zero_burst_is_infinite_and_zero_qps_spends_burst() {
        let clock = FakeClock::new(Time::ZERO);
        let mut b = BucketRateLimiter::new(10.0, 0, clock.clone()).expect("valid");
        assert_eq!(when(&mut b), INF_DURATION);
        assert_eq!(INF_DURATION.as_nanos(), i64::MAX as u128);
        let mut z = BucketRateLimiter::new(0.0, 2, clock).expect("valid");
        assert_eq!(when(&mut z), Duration::ZERO);
        assert_eq!(when(&mut z), Duration::ZERO);
        assert_eq!(when(&mut z), INF_DURATION);
        assert_eq!(z.burst(), 0);
    }

    #[test]
    fn rejects_what_go_cannot_express() {
        let c = FakeClock::new(Time::ZERO);
        let e = BucketRateLimiter::new(f64::NAN, 1, c.clone())
            .err()
            .expect("NaN rejected");
        assert_eq!(e.parameter, "qps");
        assert!(BucketRateLimiter::new(-1.0, 1, c.clone()).is_err());
        assert_eq!(
            BucketRateLimiter::new(1.0, u64::MAX, c.clone())
                .err()
                .map(|e| e.parameter),
            Some("burst")
        );
        let mut inf = BucketRateLimiter::new(f64::INFINITY, 0, c).expect("inf is rate.Inf");
        assert_eq!(when(&mut inf), Duration::ZERO);
    }
}
