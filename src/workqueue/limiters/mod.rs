//! Rate limiters: client-go's `default_rate_limiters.go`, one per file.
//!
//! A limiter answers "how long should this item wait before its next
//! retry?" and remembers per-item failures until `forget`. Every limiter
//! here is deterministic and reads time (the bucket only) through the
//! injected [`Clock`](super::Clock).

mod bucket;
mod defaults;
mod exponential;
mod failure_counts;
mod fast_slow;
mod max_of;
mod max_wait;

pub use bucket::BucketRateLimiter;
pub use defaults::{default_controller_rate_limiter, default_item_based_rate_limiter};
pub use exponential::ItemExponentialFailureRateLimiter;
pub use fast_slow::ItemFastSlowRateLimiter;
pub use max_of::MaxOfRateLimiter;
pub use max_wait::WithMaxWaitRateLimiter;

use std::rc::Rc;
use std::time::Duration;

use super::Clock;

/// Go's `TypedRateLimiter[T]`: decides retry delays (object safe).
///
/// "Remember to call Forget! If you don't, you may end up tracking failures
/// forever": per-item limiters keep a failures entry for every key passed to
/// [`when`](Self::when) until [`forget`](Self::forget); that map is the
/// memory leak the playground demonstrates.
pub trait RateLimiter<T> {
    /// How long `item` should wait now. Per-item limiters count this call as
    /// a failure; the bucket consumes a token.
    fn when(&mut self, item: &T) -> Duration;
    /// Stops tracking `item`: clears its failures entry (success, or giving up).
    fn forget(&mut self, item: &T);
    /// How many `when` calls `item` had since its last `forget` (Go's
    /// `NumRequeues`): not how many times it was processed.
    fn num_requeues(&self, item: &T) -> u64;
    /// Calls `visit` with each entry of the per-item failures map(s), for the
    /// UI's failures table and the memory model. Default: no map.
    ///
    /// Order: first-failure order, except that a key failing after a
    /// `forget` may take a forgotten key's place; the same on every platform.
    fn visit_failures(&self, visit: &mut dyn FnMut(&T, u64)) {
        let _ = visit;
    }
    /// `len(failures)`: the entries of the per-item limiter's failures map.
    /// A limiter combining several per-item limiters (`MaxOf`, `WithMaxWait`)
    /// reports the largest of their maps: each of them sees every `when` and
    /// `forget`, so they hold the same keys (see
    /// [`failure_maps`](Self::failure_maps) for each by name). Default: 0.
    fn failures_len(&self) -> usize {
        0
    }
    /// Calls `visit` with each per-item failures map's limiter name and
    /// length, in the order a `MaxOf` consults them: one map for client-go's
    /// usual limiters, two for a `MaxOf` of two per-item limiters (their
    /// memory adds up). Default: no map.
    fn failure_maps(&self, visit: &mut dyn FnMut(&'static str, usize)) {
        let _ = visit;
    }
    /// The token bucket's tokens at the clock's now (negative means debt);
    /// `None` when the limiter has no bucket.
    fn tokens(&self) -> Option<f64> {
        None
    }
    /// A deep copy of the limiter's state (failures, bucket balance) that
    /// reads `clock` from now on, for the sim's checkpoints.
    fn clone_onto(&self, clock: Rc<dyn Clock>) -> Box<dyn RateLimiter<T>>;
    /// A one-line description in client-go's vocabulary, e.g.
    /// `MaxOf(ItemExponential(5ms, 16m40s), Bucket(10 qps, burst 100))`.
    fn describe(&self) -> String;
}

/// A boxed limiter is a limiter, so limiters nest (`MaxOf` of boxes, ...).
impl<T, L: RateLimiter<T> + ?Sized> RateLimiter<T> for Box<L> {
    fn when(&mut self, item: &T) -> Duration {
        (**self).when(item)
    }
    fn forget(&mut self, item: &T) {
        (**self).forget(item)
    }
    fn num_requeues(&self, item: &T) -> u64 {
        (**self).num_requeues(item)
    }
    fn visit_failures(&self, visit: &mut dyn FnMut(&T, u64)) {
        (**self).visit_failures(visit)
    }
    fn failures_len(&self) -> usize {
        (**self).failures_len()
    }
    fn failure_maps(&self, visit: &mut dyn FnMut(&'static str, usize)) {
        (**self).failure_maps(visit)
    }
    fn tokens(&self) -> Option<f64> {
        (**self).tokens()
    }
    fn clone_onto(&self, clock: Rc<dyn Clock>) -> Box<dyn RateLimiter<T>> {
        (**self).clone_onto(clock)
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}
