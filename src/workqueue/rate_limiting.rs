//! The rate-limiting layer: client-go's `rateLimitingType[T]`
//! (`rate_limiting_queue.go`).

use std::hash::Hash;
use std::ops::{Deref, DerefMut};
use std::rc::Rc;
use std::time::Duration;

use super::clock::Clock;
use super::delaying::DelayingQueue;
use super::limiters::RateLimiter;

/// A [`DelayingQueue`] whose retries wait as a [`RateLimiter`] says.
///
/// "Remember to call Forget! If you don't, you may end up tracking failures
/// forever." The intended flow: `add` on change events, `add_rate_limited`
/// on a failed reconcile, `forget` on success (or when giving up), and
/// `done` after every `get`. Derefs to the [`DelayingQueue`].
pub struct RateLimitingQueue<T> {
    delaying: DelayingQueue<T>,
    limiter: Box<dyn RateLimiter<T>>,
}

impl<T: Eq + Hash + Clone> RateLimitingQueue<T> {
    /// A queue reading time from `clock` and delaying retries with `limiter`.
    pub fn new(limiter: Box<dyn RateLimiter<T>>, clock: impl Clock + 'static) -> Self {
        Self::from_delaying(limiter, DelayingQueue::new(clock))
    }

    /// Wraps an existing delaying queue (Go's
    /// `NewRateLimitingQueueWithDelayingInterface`).
    pub fn from_delaying(limiter: Box<dyn RateLimiter<T>>, delaying: DelayingQueue<T>) -> Self {
        RateLimitingQueue { delaying, limiter }
    }

    /// A deep copy of every piece of state (FIFO, dirty, processing, heap,
    /// metrics, limiter state) reading `clock` from now on, for the sim's
    /// checkpoints and forks.
    pub fn clone_onto(&self, clock: impl Clock + 'static) -> Self
    where
        T: 'static,
    {
        let clock: Rc<dyn Clock> = Rc::new(clock);
        RateLimitingQueue {
            delaying: self.delaying.clone_onto_rc(Rc::clone(&clock)),
            limiter: self.limiter.clone_onto(clock),
        }
    }

    /// `add_after(item, limiter.when(item))`; returns the delay it asked for.
    ///
    /// Faithful quirk (§14.8): `when` runs *before* the shutdown check, so
    /// after shutdown the failure count still grows and a bucket token is
    /// still spent although the item is dropped.
    pub fn add_rate_limited(&mut self, item: T) -> Duration {
        let delay = self.limiter.when(&item);
        self.delaying.add_after(item, delay);
        delay
    }

    /// Clears the limiter's memory of `item` (its failures entry). It does
    /// not remove the item from the FIFO or the heap; `done` is still needed.
    pub fn forget(&mut self, item: &T) {
        self.limiter.forget(item);
    }

    /// How many `when` calls `item` had since its last `forget`: the
    /// limiter's count, not how often the item was processed.
    pub fn num_requeues(&self, item: &T) -> u64 {
        self.limiter.num_requeues(item)
    }

    /// The limiter, for the UI (failures map, bucket tokens, description).
    pub fn limiter(&self) -> &dyn RateLimiter<T> {
        &*self.limiter
    }

    /// The delaying layer (also reachable through `Deref`).
    pub fn delaying(&self) -> &DelayingQueue<T> {
        &self.delaying
    }
}

impl<T> Deref for RateLimitingQueue<T> {
    type Target = DelayingQueue<T>;

    fn deref(&self) -> &DelayingQueue<T> {
        &self.delaying
    }
}

impl<T> DerefMut for RateLimitingQueue<T> {
    fn deref_mut(&mut self) -> &mut DelayingQueue<T> {
        &mut self.delaying
    }
}

impl<T> std::fmt::Debug for RateLimitingQueue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimitingQueue")
            .field("delaying", &self.delaying)
            .field("limiter", &self.limiter.describe())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workqueue::{FakeClock, ItemExponentialFailureRateLimiter, Time};

    #[test]
    fn add_rate_limited_uses_when_and_forget_resets() {
        let clock = FakeClock::new(Time::ZERO);
        let limiter = ItemExponentialFailureRateLimiter::new(
            Duration::from_millis(1),
            Duration::from_secs(1),
        );
        let mut q = RateLimitingQueue::new(Box::new(limiter), clock.clone());
        assert_eq!(q.add_rate_limited("one"), Duration::from_millis(1));
        assert_eq!(q.add_rate_limited("one"), Duration::from_millis(2));
        assert_eq!(q.num_requeues(&"one"), 2);
        assert_eq!(q.waiting(), vec![(&"one", Time::from_nanos(1_000_000))]);
        q.forget(&"one");
        assert_eq!(q.num_requeues(&"one"), 0);
        clock.step(Duration::from_millis(1));
        assert_eq!(q.get(), Some("one"));
    }

    #[test]
    fn when_runs_even_after_shutdown() {
        let clock = FakeClock::new(Time::ZERO);
        let limiter = ItemExponentialFailureRateLimiter::new(
            Duration::from_millis(1),
            Duration::from_secs(1),
        );
        let mut q = RateLimitingQueue::new(Box::new(limiter), clock);
        q.shut_down();
        q.add_rate_limited("x");
        assert_eq!(q.num_requeues(&"x"), 1);
        assert_eq!(q.waiting_len(), 0);
        assert_eq!(q.metrics().retries_total, 0);
    }

    #[test]
    fn clone_onto_forks_state_and_clock() {
        let clock = FakeClock::new(Time::ZERO);
        let limiter = crate::workqueue::default_controller_rate_limiter(clock.clone());
        let mut q = RateLimitingQueue::new(Box::new(limiter), clock.clone());
        q.add_rate_limited("a");
        q.add("b");
        let fork_clock = FakeClock::new(Time::ZERO);
        let mut fork = q.clone_onto(fork_clock.clone());
        assert_eq!(fork.num_requeues(&"a"), 1);
        assert_eq!(fork.limiter().tokens(), Some(99.0));
        assert_eq!(fork.waiting_len(), 1);
        clock.step(Duration::from_secs(1));
        assert_eq!(fork.advance(), 0, "the fork reads its own clock");
        assert_eq!(q.advance(), 1);
        fork_clock.step(Duration::from_millis(5));
        assert_eq!(fork.get(), Some("b"));
        assert_eq!(fork.get(), Some("a"));
        assert_eq!(q.len(), 2);
    }
}
