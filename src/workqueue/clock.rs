//! Virtual time: the queue and its limiters read time only through [`Clock`],
//! so tests, the simulation and the browser can step it by hand.
//!
//! client-go takes a `clock.WithTicker` from `k8s.io/utils/clock`; this port
//! takes a [`Clock`] and never reads a wall clock (`std::time::Instant::now()`
//! panics on `wasm32-unknown-unknown`).

use std::cell::Cell;
use std::fmt;
use std::ops::{Add, Sub};
use std::rc::Rc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A virtual instant: nanoseconds since the clock's epoch.
///
/// Nanoseconds match the resolution of Go's `time.Duration`, so every delay
/// client-go computes is representable exactly. Arithmetic saturates instead
/// of overflowing: a backoff of "forever" lands at [`Time::MAX`], never wraps.
///
/// Serializes as its bare nanosecond count (the sim's checkpoints and share
/// links store it).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Time(u64);

impl Time {
    /// The clock's epoch.
    pub const ZERO: Time = Time(0);
    /// The latest representable instant; saturating arithmetic stops here.
    pub const MAX: Time = Time(u64::MAX);

    /// An instant `nanos` nanoseconds after the epoch.
    pub const fn from_nanos(nanos: u64) -> Time {
        Time(nanos)
    }

    /// Nanoseconds since the epoch.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// The duration from the epoch to this instant.
    pub const fn since_epoch(self) -> Duration {
        Duration::from_nanos(self.0)
    }

    /// `self + d`, or `None` if it would pass [`Time::MAX`].
    pub fn checked_add(self, d: Duration) -> Option<Time> {
        let nanos = u64::try_from(d.as_nanos()).ok()?;
        self.0.checked_add(nanos).map(Time)
    }

    /// `self - earlier`, or zero if `earlier` is later than `self`.
    pub fn saturating_since(self, earlier: Time) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Time {
    type Output = Time;

    /// Saturating: a duration past [`Time::MAX`] yields [`Time::MAX`].
    fn add(self, d: Duration) -> Time {
        self.checked_add(d).unwrap_or(Time::MAX)
    }
}

impl Sub<Time> for Time {
    type Output = Duration;

    /// Saturating: an earlier minus a later instant is zero.
    fn sub(self, earlier: Time) -> Duration {
        self.saturating_since(earlier)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t+{}ns", self.0)
    }
}

/// A source of the current virtual time.
///
/// The port of `k8s.io/utils/clock.PassiveClock`. Timers and tickers are not
/// part of it: the owner of the queue asks for the next due instant
/// (`DelayingQueue::next_ready_at`) and moves time itself, sans-IO style.
pub trait Clock {
    /// The current instant.
    fn now(&self) -> Time;
}

/// A cloneable handle onto one shared, hand-stepped time.
///
/// Every clone sees the same instant, so the queue, its limiters and the
/// simulation stay in lockstep. Single-threaded (`Rc<Cell>`): one owner drives
/// the world, as in the browser.
#[derive(Clone, Debug, Default)]
pub struct FakeClock {
    now: Rc<Cell<Time>>,
}

impl FakeClock {
    /// A clock whose current instant is `start`.
    pub fn new(start: Time) -> FakeClock {
        FakeClock {
            now: Rc::new(Cell::new(start)),
        }
    }

    /// Moves time forward by `d` (saturating at [`Time::MAX`]).
    pub fn step(&self, d: Duration) {
        self.now.set(self.now.get() + d);
    }

    /// Sets the current instant. Going backwards is allowed, as with
    /// client-go's `FakeClock.SetTime`; the queue tolerates it.
    pub fn set(&self, t: Time) {
        self.now.set(t);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Time {
        self.now.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(Time::MAX + Duration::from_nanos(1), Time::MAX);
        assert_eq!(Time::ZERO + Duration::MAX, Time::MAX);
        assert_eq!(Time::ZERO - Time::from_nanos(5), Duration::ZERO);
        assert_eq!(
            Time::from_nanos(7) - Time::from_nanos(2),
            Duration::from_nanos(5)
        );
    }

    #[test]
    fn clones_share_one_time() {
        let a = FakeClock::new(Time::from_nanos(10));
        let b = a.clone();
        a.step(Duration::from_nanos(5));
        assert_eq!(b.now(), Time::from_nanos(15));
        b.set(Time::from_nanos(3));
        assert_eq!(a.now(), Time::from_nanos(3));
    }
}
