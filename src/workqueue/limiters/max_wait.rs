//! `TypedWithMaxWaitRateLimiter`: a ceiling over any limiter.

use std::rc::Rc;
use std::time::Duration;

use super::RateLimiter;
use crate::workqueue::clock::Clock;
use crate::workqueue::duration::{from_go_nanos, go_duration_string, go_nanos};

/// Caps another limiter's delay at `max` (client-go's `WithMaxWaitRateLimiter`,
/// added in 2021 to bound the bucket's uncapped debt). `forget` and
/// `num_requeues` delegate.
pub struct WithMaxWaitRateLimiter<T> {
    limiter: Box<dyn RateLimiter<T>>,
    max_nanos: i64,
}

impl<T> WithMaxWaitRateLimiter<T> {
    /// `limiter`, never waiting longer than `max` (clamped to Go's range).
    pub fn new(limiter: Box<dyn RateLimiter<T>>, max: Duration) -> Self {
        WithMaxWaitRateLimiter {
            limiter,
            max_nanos: go_nanos(max),
        }
    }
}

impl<T: 'static> RateLimiter<T> for WithMaxWaitRateLimiter<T> {
    fn when(&mut self, item: &T) -> Duration {
        self.limiter.when(item).min(from_go_nanos(self.max_nanos))
    }

    fn forget(&mut self, item: &T) {
        self.limiter.forget(item);
    }

    fn num_requeues(&self, item: &T) -> u64 {
        self.limiter.num_requeues(item)
    }

    fn visit_failures(&self, visit: &mut dyn FnMut(&T, u64)) {
        self.limiter.visit_failures(visit);
    }

    fn failures_len(&self) -> usize {
        self.limiter.failures_len()
    }

    fn failure_maps(&self, visit: &mut dyn FnMut(&'static str, usize)) {
        self.limiter.failure_maps(visit)
    }

    fn tokens(&self) -> Option<f64> {
        self.limiter.tokens()
    }

    fn clone_onto(&self, clock: Rc<dyn Clock>) -> Box<dyn RateLimiter<T>> {
        Box::new(WithMaxWaitRateLimiter {
            limiter: self.limiter.clone_onto(clock),
            max_nanos: self.max_nanos,
        })
    }

    fn describe(&self) -> String {
        format!(
            "WithMaxWait({}, {})",
            self.limiter.describe(),
            go_duration_string(from_go_nanos(self.max_nanos))
        )
    }
}
