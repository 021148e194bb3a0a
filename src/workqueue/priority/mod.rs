//! controller-runtime's priority queue (`pkg/controller/priorityqueue`,
//! v0.25.3), the default work queue of controller-runtime controllers since
//! v0.23, ported beside client-go's queue with time as an input.
//!
//! One file per concept: [`AddOpts`] (`opts.rs`), the item store with its
//! ready and waiting orders and the de-duplication rules (`entries.rs`),
//! [`PriorityQueue`] (`queue.rs`) and its metrics (`metrics.rs`).
//!
//! # What differs from client-go's queue
//!
//! - One entry per key, handed out by priority (highest first), FIFO within
//!   a priority; no separate dirty/processing/heap structures.
//! - A plain `add` of a waiting key makes it ready now and *cancels* the
//!   delayed entry, so it runs once (client-go runs it twice).
//! - Repeated adds merge: earliest readiness, highest priority (a rise puts
//!   the key at the back of its new priority).
//! - `len` counts ready entries only, including re-adds of keys being
//!   processed; a spurious `done` is a no-op.
//! - After shutdown nothing is handed out, adds are ignored before the
//!   limiter is asked, and `shut_down_with_drain` is `shut_down`.
//! - Metrics: `adds`/`depth` move when an item becomes ready, `retries`
//!   only for delays > 0, `depth` has a priority label capped at 25 values.
//! - The default limiter is `ItemExponential(5ms, 1000s)` alone
//!   ([`default_priority_queue_rate_limiter`]).
//!
//! # How Go's goroutines map onto this port
//!
//! Go's queue runs three goroutines around a lock; this port is
//! single-threaded and never blocks. It reproduces the state Go reaches
//! once every goroutine has caught up (the "settled" state the oracle in
//! `tests/oracle` records after every operation):
//!
//! - **Add buffer.** `AddWithOpts` appends to a buffer that
//!   `handleAddBuffer` (or the next `Len`/hand-out) flushes under the lock;
//!   the limiter's `When`, `now()` and the shutdown check run at flush
//!   time. Here [`PriorityQueue::add_with_opts`] applies the flush at once.
//!   Observable only in races the port cannot have: in Go a `NumRequeues`,
//!   `Forget` or `ShutDown` issued before the flush goroutine ran sees or
//!   acts on the state before the add (a shutdown then drops the buffered
//!   add without calling `When`).
//! - **Waiting items.** `handleWaitingItems` sleeps on a timer for the
//!   earliest ready time and moves due items to the ready tree. Here the
//!   owner reads [`PriorityQueue::next_ready_at`], moves its clock and calls
//!   [`PriorityQueue::advance`]; every mutating operation also advances
//!   first, so an operation always sees due items as ready, as it would in
//!   Go once the timer goroutine ran. Go can be late (goroutine
//!   scheduling), in which case an add racing the timer finds the item
//!   still waiting; the port is never late.
//! - **Hand-out.** Go's `Get` registers a waiter and blocks;
//!   `handleReadyItems` hands the first unlocked ready item to a waiter
//!   over a channel, and only while someone waits. Here
//!   [`PriorityQueue::get`] is a worker arriving: it takes the first
//!   unlocked ready item or returns `None` where Go would block, and
//!   registers no waiter. A Go worker blocked in `Get` grabs the next item
//!   the moment it becomes ready (so that item is never counted by `Len`);
//!   an owner modelling idle workers calls `get` for each of them after
//!   every change ([`PriorityQueue::has_ready`] says whether one would
//!   succeed). Several Go waiters served in one pass receive items in
//!   ready order, which is what repeated `get` calls return.
//! - **Shutdown.** In Go an item handed out while `ShutDown` runs can come
//!   back with `shutdown == true`; here `get` after `shut_down` is always
//!   `None`, and before it never reports shutdown.
//! - **Metrics clock.** `priorityqueue.New` builds its metrics on
//!   `clock.RealClock{}` (latency in wall time even under a fake clock) and
//!   refreshes the unfinished-work gauges from a 500 ms wall-clock ticker;
//!   here latencies use the injected clock and the gauges are computed at
//!   the snapshot's instant.
//!
//! Go's `logState` goroutine (a V(5) log line every 10 s) has no
//! counterpart.

mod entries;
mod metrics;
mod opts;
mod queue;

pub use metrics::{
    priority_histogram_bounds, DepthLabel, PriorityHistogram, PriorityMetricsSnapshot,
    MAX_RECOMMENDED_UNIQUE_PRIORITIES, PRIORITY_HISTOGRAM_BUCKETS,
};
pub use opts::AddOpts;
pub use queue::{default_priority_queue_rate_limiter, PriorityQueue, ReadyEntry, WaitingEntry};
