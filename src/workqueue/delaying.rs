//! The delaying layer: client-go's `delayingType[T]` (`delaying_queue.go`).
//!
//! Go runs a goroutine (`waitingLoop`) that owns a min-heap of
//! `(item, readyAt)`, a per-head timer and a 10 s heartbeat. This port is
//! sans-IO: the owner reads [`DelayingQueue::next_ready_at`], moves its clock
//! there and calls [`DelayingQueue::advance`] (or [`DelayingQueue::get`], which
//! advances first). Entries are released exactly at their ready time, so
//! there is no missed timer for the heartbeat to insure against and the
//! heartbeat has no counterpart. The 1000-slot `waitingForAddCh` channel
//! has none either: an entry is classified against the clock at the instant
//! of `add_after`, which is the instant Go's loop would consume it when it
//! keeps up.

use std::hash::Hash;
use std::ops::{Deref, DerefMut};
use std::rc::Rc;
use std::time::Duration;

use super::clock::{Clock, Time};
use super::queue::Queue;
use super::waiting::Waiting;

/// A [`Queue`] plus `add_after` (Go's `TypedDelayingInterface`).
///
/// Derefs to the inner [`Queue`] for `add`, `done`, `len`, introspection and
/// metrics. Its own [`get`](Self::get) and [`shut_down`](Self::shut_down)
/// shadow the inner ones, as the Go type overrides `ShutDown`.
pub struct DelayingQueue<T> {
    queue: Queue<T>,
    waiting: Waiting<T>,
}

impl<T: Eq + Hash + Clone> DelayingQueue<T> {
    /// An empty delaying queue reading time from `clock`.
    pub fn new(clock: impl Clock + 'static) -> Self {
        Self::from_queue(Queue::new(clock))
    }

    /// Like [`DelayingQueue::new`] with a custom unfinished-work tick period.
    pub fn with_unfinished_work_period(clock: impl Clock + 'static, period: Duration) -> Self {
        Self::from_queue(Queue::with_unfinished_work_period(clock, period))
    }

    /// Wraps an existing queue (Go's `NewDelayingQueueWithCustomQueue`).
    pub fn from_queue(queue: Queue<T>) -> Self {
        DelayingQueue {
            queue,
            waiting: Waiting::default(),
        }
    }

    /// A deep copy (inner queue and waiting heap) reading `clock` from now on.
    pub fn clone_onto(&self, clock: impl Clock + 'static) -> Self {
        self.clone_onto_rc(Rc::new(clock))
    }

    /// [`clone_onto`](Self::clone_onto) with a shared clock handle.
    pub fn clone_onto_rc(&self, clock: Rc<dyn Clock>) -> Self {
        DelayingQueue {
            queue: self.queue.clone_onto_rc(clock),
            waiting: self.waiting.clone(),
        }
    }

    /// Adds `item` once `d` has passed (Go's `AddAfter`).
    ///
    /// Refused after shutdown. Otherwise it counts one retry (every call,
    /// zero delays included, §14.8). A zero delay is a synchronous
    /// [`Queue::add`]. While `item` waits, a second request keeps the
    /// *earlier* ready time and drops the later one (§14.4); a plain `add`
    /// does not touch a waiting entry, so the item can run twice.
    pub fn add_after(&mut self, item: T, d: Duration) {
        let nanos = i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
        self.add_after_nanos(item, nanos);
    }

    /// [`add_after`](Self::add_after) with a Go-style signed delay in
    /// nanoseconds: Rust's `Duration` cannot be negative, Go's can, and a
    /// negative delay means "add now" exactly like zero.
    pub fn add_after_nanos(&mut self, item: T, nanos: i64) {
        if self.queue.shutting_down() {
            return;
        }
        self.queue.count_retry();
        if nanos <= 0 {
            self.queue.add(item);
            return;
        }
        let now = self.queue.now();
        let ready_at = now + Duration::from_nanos(nanos.unsigned_abs());
        // Go's loop adds an entry whose readyAt is not after the clock at
        // consumption straight to the queue; that happens here only when the
        // addition saturated at Time::MAX.
        if ready_at <= now {
            self.queue.add(item);
        } else {
            self.waiting.insert(item, ready_at);
        }
    }

    /// Waiting entries in release order: by ready time, and for equal ready
    /// times in the order client-go's `container/heap` pops them (neither
    /// arrival nor key order; see the waiting room's docs).
    pub fn waiting(&self) -> Vec<(&T, Time)> {
        self.waiting.sorted()
    }

    /// Number of waiting entries (one per key at most).
    pub fn waiting_len(&self) -> usize {
        self.waiting.len()
    }

    /// When the earliest waiting entry becomes ready, if any: the instant
    /// the owner should move its clock to next (Go arms a timer for it).
    pub fn next_ready_at(&self) -> Option<Time> {
        self.waiting.peek_ready_at()
    }

    /// The ready time of `item`'s waiting entry, if it has one.
    pub fn ready_at(&self, item: &T) -> Option<Time> {
        self.waiting.ready_at(item)
    }

    /// Moves every entry whose ready time is ≤ now into the FIFO, in Go's
    /// heap pop order, as one pass of Go's `waitingLoop` does.
    /// Returns how many entries left the heap.
    ///
    /// After shutdown the loop has exited: the heap is discarded (this is
    /// also how `shut_down_with_drain`, which Go does not override, loses
    /// the heap: lazily, on the loop's next wake-up) and 0 is returned.
    pub fn advance(&mut self) -> usize {
        if self.queue.shutting_down() {
            self.waiting.clear();
            return 0;
        }
        let now = self.queue.now();
        self.waiting.drain_ready(now, &mut self.queue)
    }

    /// [`advance`](Self::advance), then [`Queue::get`].
    pub fn get(&mut self) -> Option<T> {
        self.advance();
        self.queue.get()
    }

    /// Go's overridden `ShutDown`: shuts the inner queue down and discards
    /// every waiting entry at once.
    pub fn shut_down(&mut self) {
        self.queue.shut_down();
        self.waiting.clear();
    }

    /// The inner queue (also reachable through `Deref`).
    pub fn queue(&self) -> &Queue<T> {
        &self.queue
    }
}

impl<T> Deref for DelayingQueue<T> {
    type Target = Queue<T>;

    fn deref(&self) -> &Queue<T> {
        &self.queue
    }
}

impl<T> DerefMut for DelayingQueue<T> {
    fn deref_mut(&mut self) -> &mut Queue<T> {
        &mut self.queue
    }
}

impl<T> std::fmt::Debug for DelayingQueue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DelayingQueue")
            .field("queue", &self.queue)
            .field("waiting_len", &self.waiting.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workqueue::FakeClock;

    fn dq() -> (FakeClock, DelayingQueue<&'static str>) {
        let clock = FakeClock::new(Time::ZERO);
        (clock.clone(), DelayingQueue::new(clock))
    }

    #[test]
    fn releases_at_ready_time_in_order() {
        let (clock, mut q) = dq();
        q.add_after("foo", Duration::from_secs(1));
        q.add_after("bar", Duration::from_millis(500));
        q.add_after("baz", Duration::from_millis(250));
        assert_eq!(q.next_ready_at(), Some(Time::from_nanos(250_000_000)));
        clock.step(Duration::from_millis(249));
        assert_eq!(q.advance(), 0);
        clock.step(Duration::from_secs(2));
        assert_eq!(q.advance(), 3);
        assert_eq!(
            q.fifo().copied().collect::<Vec<_>>(),
            vec!["baz", "bar", "foo"]
        );
    }

    #[test]
    fn earlier_ready_time_wins() {
        let (_, mut q) = dq();
        q.add_after("foo", Duration::from_millis(50));
        q.add_after("foo", Duration::from_millis(70));
        assert_eq!(q.waiting(), vec![(&"foo", Time::from_nanos(50_000_000))]);
        q.add_after("foo", Duration::from_millis(30));
        assert_eq!(q.waiting(), vec![(&"foo", Time::from_nanos(30_000_000))]);
        assert_eq!(q.metrics().retries_total, 3);
    }

    #[test]
    fn zero_and_negative_delays_add_now() {
        let (_, mut q) = dq();
        q.add_after("a", Duration::ZERO);
        q.add_after_nanos("b", -5);
        assert_eq!(q.len(), 2);
        assert_eq!(q.waiting_len(), 0);
        assert_eq!(q.metrics().retries_total, 2);
    }

    #[test]
    fn shutdown_discards_heap_and_refuses() {
        let (_, mut q) = dq();
        q.add_after("a", Duration::from_secs(1));
        q.shut_down();
        assert_eq!(q.waiting_len(), 0);
        q.add_after("b", Duration::ZERO);
        assert_eq!(q.len(), 0);
        assert_eq!(q.metrics().retries_total, 1);
    }

    #[test]
    fn huge_delay_saturates() {
        let (clock, mut q) = dq();
        q.add_after("a", Duration::MAX);
        assert_eq!(q.next_ready_at(), Some(Time::from_nanos(i64::MAX as u64)));
        clock.set(Time::MAX);
        q.add_after("b", Duration::from_secs(1));
        assert_eq!(q.len(), 1);
        assert_eq!(q.advance(), 1);
    }
}
