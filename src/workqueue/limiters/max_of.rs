//! `TypedMaxOfRateLimiter`: the worst of several limiters.

use std::rc::Rc;
use std::time::Duration;

use super::RateLimiter;
use crate::workqueue::clock::Clock;

/// Returns the longest delay of its limiters (client-go's `MaxOfRateLimiter`).
///
/// Every limiter's `when` runs on every call, so all side effects happen:
/// exponential counts grow *and* a bucket token is consumed on each
/// `add_rate_limited` (§14.6). Starts from zero, so nothing is negative.
pub struct MaxOfRateLimiter<T> {
    limiters: Vec<Box<dyn RateLimiter<T>>>,
}

impl<T> MaxOfRateLimiter<T> {
    /// The max of `limiters`, consulted in order.
    pub fn new(limiters: Vec<Box<dyn RateLimiter<T>>>) -> Self {
        MaxOfRateLimiter { limiters }
    }

    /// The combined limiters, in order.
    pub fn limiters(&self) -> &[Box<dyn RateLimiter<T>>] {
        &self.limiters
    }
}

impl<T: 'static> RateLimiter<T> for MaxOfRateLimiter<T> {
    fn when(&mut self, item: &T) -> Duration {
        let mut worst = Duration::ZERO;
        for limiter in &mut self.limiters {
            worst = worst.max(limiter.when(item));
        }
        worst
    }

    fn forget(&mut self, item: &T) {
        for limiter in &mut self.limiters {
            limiter.forget(item);
        }
    }

    fn num_requeues(&self, item: &T) -> u64 {
        self.limiters
            .iter()
            .map(|l| l.num_requeues(item))
            .max()
            .unwrap_or(0)
    }

    fn visit_failures(&self, visit: &mut dyn FnMut(&T, u64)) {
        for limiter in &self.limiters {
            limiter.visit_failures(visit);
        }
    }

    /// The largest child's map: every child sees the same `when` and
    /// `forget` calls, so per-item children hold the same keys, and summing
    /// them would count each key once per map.
    fn failures_len(&self) -> usize {
        self.limiters
            .iter()
            .map(|l| l.failures_len())
            .max()
            .unwrap_or(0)
    }

    fn failure_maps(&self, visit: &mut dyn FnMut(&'static str, usize)) {
        for limiter in &self.limiters {
            limiter.failure_maps(visit);
        }
    }

    /// The first bucket's tokens.
    fn tokens(&self) -> Option<f64> {
        self.limiters.iter().find_map(|l| l.tokens())
    }

    fn clone_onto(&self, clock: Rc<dyn Clock>) -> Box<dyn RateLimiter<T>> {
        Box::new(MaxOfRateLimiter {
            limiters: self
                .limiters
                .iter()
                .map(|l| l.clone_onto(Rc::clone(&clock)))
                .collect(),
        })
    }

    fn describe(&self) -> String {
        let parts: Vec<String> = self.limiters.iter().map(|l| l.describe()).collect();
        format!("MaxOf({})", parts.join(", "))
    }
}
