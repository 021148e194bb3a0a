//! A faithful, deterministic port of client-go's `util/workqueue`, with
//! time as an input.
//!
//! Three layers, as in Go: [`Queue`] (fair, stingy FIFO with dirty and
//! processing sets), [`DelayingQueue`] (`add_after` with a de-duplicating
//! heap) and [`RateLimitingQueue`] (`add_rate_limited` / `forget` over a
//! [`RateLimiter`]). Behaviour follows client-go line for line, including its
//! surprises (spurious `done` duplicates, retries counting zero delays, the
//! uncapped bucket debt, `when` before the shutdown check); each is
//! documented where it happens.
//!
//! Beside them, [`priority`] ports controller-runtime's [`PriorityQueue`]
//! (one entry per key, handed out by priority, merged delays), which
//! controller-runtime controllers use by default.
//!
//! Differences that come from being single-threaded and sans-IO:
//! nothing blocks (`get` returns `None` where Go waits; `drained` reports
//! what `ShutDownWithDrain` waits for), nothing reads a wall clock (every
//! layer, the token bucket included, reads the injected [`Clock`]), and the
//! owner moves delayed items by calling [`DelayingQueue::advance`] or
//! [`DelayingQueue::get`] at [`DelayingQueue::next_ready_at`].

#![warn(missing_docs)]

mod clock;
mod compact;
mod delaying;
mod duration;
mod error;
pub(crate) mod hash;
mod limiters;
mod metrics;
pub mod priority;
mod queue;
mod rate_limiting;
mod waiting;

pub use clock::{Clock, FakeClock, Time};
pub use delaying::DelayingQueue;
pub use duration::{go_duration_string, go_nanos, INF_DURATION};
pub use error::LimiterError;
pub use limiters::{
    default_controller_rate_limiter, default_item_based_rate_limiter, BucketRateLimiter,
    ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter, RateLimiter,
    WithMaxWaitRateLimiter,
};
pub use metrics::{histogram_bounds, Histogram, MetricsSnapshot, HISTOGRAM_BUCKETS};
pub use priority::{default_priority_queue_rate_limiter, AddOpts, PriorityQueue};
pub use queue::{ItemState, Queue, DEFAULT_UNFINISHED_WORK_UPDATE_PERIOD};
pub use rate_limiting::RateLimitingQueue;
