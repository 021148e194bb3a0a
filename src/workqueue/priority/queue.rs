//! The priority queue itself: controller-runtime's `priorityqueue[T]`
//! (`pkg/controller/priorityqueue/priorityqueue.go`, v0.25.3).

use std::hash::Hash;
use std::rc::Rc;
use std::time::Duration;

use super::entries::Entries;
use super::metrics::{PriorityMetrics, PriorityMetricsSnapshot};
use super::opts::AddOpts;
use crate::workqueue::clock::{Clock, Time};
use crate::workqueue::duration::go_nanos;
use crate::workqueue::limiters::{ItemExponentialFailureRateLimiter, RateLimiter};

/// controller-runtime's default limiter for the priority queue:
/// `ItemExponential(5ms, 1000s)` and nothing else.
///
/// Both `priorityqueue.New` (when `Opts.RateLimiter` is nil) and
/// `controller.NewTypedUnmanaged` (when the priority queue is on, the
/// default since v0.23) use it; with the queue off, controllers get
/// client-go's `MaxOf(ItemExponential(5ms, 1000s), Bucket(10 qps, burst
/// 100))` instead. So the priority queue has no overall bucket: retries of
/// many keys are not slowed down together.
pub fn default_priority_queue_rate_limiter<T: Eq + Hash + Clone>(
) -> ItemExponentialFailureRateLimiter<T> {
    ItemExponentialFailureRateLimiter::new(Duration::from_millis(5), Duration::from_secs(1000))
}

/// One ready entry, as [`PriorityQueue::ready`] lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadyEntry<'a, T> {
    /// The key.
    pub key: &'a T,
    /// Its priority.
    pub priority: i64,
    /// The key is being processed (a re-add while locked): `get` skips the
    /// entry until `done`, but `len` counts it.
    pub locked: bool,
}

/// One waiting entry, as [`PriorityQueue::waiting`] lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitingEntry<'a, T> {
    /// The key.
    pub key: &'a T,
    /// When it becomes ready.
    pub ready_at: Time,
    /// Its priority (kept when it becomes ready).
    pub priority: i64,
}

/// controller-runtime's priority queue (`priorityqueue.PriorityQueue[T]`),
/// the default work queue of controllers since v0.23.
///
/// One entry per key, handed out highest priority first and FIFO within a
/// priority; delays and priorities of repeated adds merge (earliest
/// readiness, highest priority). See the [module docs](super) for how Go's
/// goroutines map onto this single-threaded, clock-driven port.
///
/// Every mutating operation first [`advance`](Self::advance)s, i.e. acts on
/// the state Go reaches once its waiting goroutine has caught up with the
/// clock; read-only views show the state as of the last mutation, so an
/// owner that moves the clock calls `advance` before reading them.
pub struct PriorityQueue<T> {
    clock: Rc<dyn Clock>,
    limiter: Box<dyn RateLimiter<T>>,
    entries: Entries<T>,
    shutting_down: bool,
    metrics: PriorityMetrics,
}

impl<T: Eq + Hash + Clone + 'static> PriorityQueue<T> {
    /// A queue with controller-runtime's default limiter
    /// ([`default_priority_queue_rate_limiter`]) reading time from `clock`.
    pub fn new(clock: impl Clock + 'static) -> Self {
        Self::with_limiter(Box::new(default_priority_queue_rate_limiter()), clock)
    }
}

impl<T: Eq + Hash + Clone> PriorityQueue<T> {
    /// A queue asking `limiter` for the delay of rate-limited adds (Go's
    /// `Opts.RateLimiter`) and reading time from `clock`.
    pub fn with_limiter(limiter: Box<dyn RateLimiter<T>>, clock: impl Clock + 'static) -> Self {
        Self::with_clock_rc(limiter, Rc::new(clock))
    }

    /// [`with_limiter`](Self::with_limiter) on a clock handle shared with
    /// other components.
    pub fn with_clock_rc(limiter: Box<dyn RateLimiter<T>>, clock: Rc<dyn Clock>) -> Self {
        PriorityQueue {
            clock,
            limiter,
            entries: Entries::default(),
            shutting_down: false,
            metrics: PriorityMetrics::default(),
        }
    }

    /// A deep copy of every piece of state (entries, locked keys, metrics,
    /// limiter) reading `clock` from now on, for the sim's checkpoints and
    /// forks.
    pub fn clone_onto(&self, clock: impl Clock + 'static) -> Self {
        let clock: Rc<dyn Clock> = Rc::new(clock);
        PriorityQueue {
            limiter: self.limiter.clone_onto(Rc::clone(&clock)),
            clock,
            entries: self.entries.clone(),
            shutting_down: self.shutting_down,
            metrics: self.metrics.clone(),
        }
    }

    /// The current instant of the queue's clock.
    pub fn now(&self) -> Time {
        self.clock.now()
    }

    /// Adds `items` with `opts` (Go's `AddWithOpts`).
    ///
    /// Ignored after shutdown, before the limiter is asked (unlike
    /// client-go, where `AddRateLimited` counts a failure even then). For
    /// each item in turn: with `rate_limited` the limiter's `when` runs
    /// (counting a failure) and the delay is `min(after, when)`, or `when`
    /// when `after` is zero; a delay > 0 counts a retry and makes the item
    /// wait until now + delay, otherwise it is ready now. A key already
    /// queued keeps one entry: the earliest readiness (a ready entry stays
    /// ready, so a plain add promotes a waiting one and its delayed run is
    /// cancelled) and the highest priority (a rise moves it to the back of
    /// the new priority). A key being processed gets a fresh entry that
    /// `get` skips until `done`.
    ///
    /// Go appends to a buffer that a goroutine flushes; this applies the
    /// flush at once (see the module docs).
    pub fn add_with_opts(&mut self, opts: AddOpts, items: impl IntoIterator<Item = T>) {
        if self.shutting_down {
            return;
        }
        let now = self.clock.now();
        self.advance_to(now);
        for key in items {
            self.add_one(&opts, key, now);
        }
    }

    /// Go's `AddWithOpts` for one item, returning the `When` the limiter gave
    /// it when `opts.rate_limited` (Go's caller never sees it; the playground
    /// logs it beside the call).
    pub fn add_one_with_opts(&mut self, opts: AddOpts, item: T) -> Option<Duration> {
        if self.shutting_down {
            return None;
        }
        let now = self.clock.now();
        self.advance_to(now);
        self.add_one(&opts, item, now)
    }

    fn add_one(&mut self, opts: &AddOpts, key: T, now: Time) -> Option<Duration> {
        let mut after = opts.after_go_nanos();
        let mut when = None;
        if opts.rate_limited {
            let w = self.limiter.when(&key);
            when = Some(w);
            let rl_after = go_nanos(w);
            if after == 0 || rl_after < after {
                after = rl_after;
            }
        }
        let ready_at = if after > 0 {
            self.metrics.retry();
            Some(now + Duration::from_nanos(after.unsigned_abs()))
        } else {
            None
        };
        let priority = opts.priority.unwrap_or(0);
        self.entries
            .add(key, ready_at, priority, now, &mut self.metrics);
        when
    }

    /// Go's `Add`: `add_with_opts(AddOpts::default(), [item])`, ready now
    /// at priority 0 (or the priority it already has).
    pub fn add(&mut self, item: T) {
        self.add_with_opts(AddOpts::default(), [item]);
    }

    /// Go's `AddAfter`: ready once `after` has passed, unless it is queued
    /// for earlier. Counts a retry when `after` > 0.
    pub fn add_after(&mut self, item: T, after: Duration) {
        self.add_with_opts(AddOpts::new().after(after), [item]);
    }

    /// Go's `AddRateLimited`: ready after the limiter's `when` (which
    /// counts a failure; call [`forget`](Self::forget) on success).
    pub fn add_rate_limited(&mut self, item: T) {
        self.add_with_opts(AddOpts::new().rate_limited(), [item]);
    }

    /// Moves every waiting entry whose ready time is ≤ now to the ready
    /// set, in waiting order (ready time, priority, counter), each with a
    /// new counter, so among equal priorities items come out in the order
    /// they *became* ready. Each counts an add. Returns how many moved.
    ///
    /// This is one pass of Go's `handleWaitingItems` goroutine. After
    /// shutdown that goroutine has exited: nothing moves, 0 is returned.
    pub fn advance(&mut self) -> usize {
        let now = self.clock.now();
        self.advance_to(now)
    }

    /// [`advance`](Self::advance) at `now`, the clock's current instant,
    /// which the caller already read.
    fn advance_to(&mut self, now: Time) -> usize {
        if self.shutting_down {
            return 0;
        }
        self.entries.promote_due(now, &mut self.metrics)
    }

    /// When the earliest waiting entry becomes ready: the instant the owner
    /// should move its clock to next (Go's `tick(readyIn)`). `None` when
    /// nothing waits or after shutdown (nothing will move).
    pub fn next_ready_at(&self) -> Option<Time> {
        if self.shutting_down {
            return None;
        }
        self.entries.next_ready_at()
    }

    /// Hands out the highest-priority ready item whose key is not being
    /// processed and locks its key until [`done`](Self::done) (Go's `Get`).
    ///
    /// `None` where Go would block: nothing handable is ready (check
    /// [`has_ready`](Self::has_ready)), or the queue is shut down (check
    /// [`shutting_down`](Self::shutting_down)); after shutdown nothing is
    /// handed out even if items are ready.
    pub fn get(&mut self) -> Option<T> {
        self.get_with_priority().map(|(item, _)| item)
    }

    /// [`get`](Self::get) with the item's priority (Go's
    /// `GetWithPriority`), e.g. for a reconciler that treats low-priority
    /// work differently.
    pub fn get_with_priority(&mut self) -> Option<(T, i64)> {
        if self.shutting_down {
            return None;
        }
        let now = self.clock.now();
        self.advance_to(now);
        let (key, entry) = self.entries.hand_out(now)?;
        self.metrics.get(entry.priority, entry.ready_since, now);
        Some((key, entry.priority))
    }

    /// Unlocks `item` after processing (Go's `Done`): a ready re-add of it
    /// can now be handed out. Unlike client-go, a `done` for a key that is
    /// not processing changes nothing (no duplicate, no metric).
    pub fn done(&mut self, item: &T) {
        let now = self.clock.now();
        self.advance_to(now);
        if let Some(lock) = self.entries.unlock(item) {
            self.metrics.done(lock.since, now);
        }
    }

    /// Clears the limiter's memory of `item` (Go's `Forget`, delegated to
    /// the limiter). It does not touch the queue; `done` is still needed.
    pub fn forget(&mut self, item: &T) {
        self.limiter.forget(item);
    }

    /// How many `when` calls `item` had since its last `forget` (Go's
    /// `NumRequeues`, the limiter's count).
    pub fn num_requeues(&self, item: &T) -> u64 {
        self.limiter.num_requeues(item)
    }

    /// Ready entries (Go's `Len`): only items ready to be handed out, none
    /// still waiting, but *including* re-adds of keys being processed that
    /// `get` skips until `done`. Still counts the ready items a shutdown
    /// stranded (Go's `Len` does not check for shutdown).
    pub fn len(&self) -> usize {
        self.entries.ready_len()
    }

    /// Whether no entry is ready (`len() == 0`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether [`get`](Self::get) would hand something out now: a ready
    /// entry whose key is not being processed, and no shutdown. A Go
    /// worker calling `Get` blocks exactly when this is false.
    pub fn has_ready(&self) -> bool {
        !self.shutting_down && self.entries.has_unlocked_ready()
    }

    /// Shuts the queue down (Go's `ShutDown`): adds are ignored, `get`
    /// returns `None` at once, and queued items are never handed out.
    /// Ready and waiting entries are not cleared (Go leaves its trees
    /// alone, so `len` keeps counting the ready ones), but waiting entries
    /// never become ready. `done`, `forget` and `num_requeues` still work.
    /// Calling it twice is a no-op here; in Go it panics (closing a closed
    /// channel).
    pub fn shut_down(&mut self) {
        self.advance();
        self.shutting_down = true;
    }

    /// Go's `ShutDownWithDrain`, which "just calls ShutDown, as the draining
    /// functionality is not used by controller-runtime": it does not wait
    /// for items being processed.
    pub fn shut_down_with_drain(&mut self) {
        self.shut_down();
    }

    /// Whether shutdown was requested (Go's `ShuttingDown`).
    pub fn shutting_down(&self) -> bool {
        self.shutting_down
    }

    /// Ready entries in hand-out order (priority, highest first, then the
    /// order they became ready or were raised), locked keys included and
    /// flagged.
    pub fn ready(&self) -> impl Iterator<Item = ReadyEntry<'_, T>> + '_ {
        self.entries.ready().map(|(key, e, locked)| ReadyEntry {
            key,
            priority: e.priority,
            locked,
        })
    }

    /// Waiting entries in release order (ready time, then priority, then
    /// counter), which is the order they receive their ready counters in.
    pub fn waiting(&self) -> impl Iterator<Item = WaitingEntry<'_, T>> + '_ {
        self.entries.waiting().filter_map(|(key, e)| {
            Some(WaitingEntry {
                key,
                ready_at: e.ready_at?,
                priority: e.priority,
            })
        })
    }

    /// Number of waiting entries.
    pub fn waiting_len(&self) -> usize {
        self.entries.waiting_len()
    }

    /// Keys being processed (handed out, not yet `done`) with the instant
    /// their processing started, in that order.
    pub fn processing(&self) -> Vec<(&T, Time)> {
        self.entries
            .locked()
            .into_iter()
            .map(|(k, l)| (k, l.since))
            .collect()
    }

    /// Number of keys being processed.
    pub fn processing_len(&self) -> usize {
        self.entries.locked_len()
    }

    /// Whether `item` is being processed.
    pub fn is_processing(&self, item: &T) -> bool {
        self.entries.lock_of(item).is_some()
    }

    /// `item`'s queued entry: its priority and, while it waits, its ready
    /// time. `None` when not queued (a key being processed may also have
    /// an entry, from a re-add).
    pub fn entry(&self, item: &T) -> Option<(i64, Option<Time>)> {
        self.entries.get(item).map(|e| (e.priority, e.ready_at))
    }

    /// [`entry`](Self::entry) and [`is_processing`](Self::is_processing)
    /// together, from one lookup of the key (what an owner logging every
    /// call asks before each `add` and `done`).
    pub fn entry_and_processing(&self, item: &T) -> (Option<(i64, Option<Time>)>, bool) {
        let (entry, lock) = self.entries.entry_and_lock(item);
        (entry.map(|e| (e.priority, e.ready_at)), lock.is_some())
    }

    /// Go's `addedCounter`: how many ready-order positions were handed out
    /// (one per new entry, priority rise and expired delay).
    pub fn added_counter(&self) -> u64 {
        self.entries.added_counter()
    }

    /// The limiter, for the UI (failures map, description).
    pub fn limiter(&self) -> &dyn RateLimiter<T> {
        &*self.limiter
    }

    /// Every metric at the clock's now.
    pub fn metrics(&self) -> PriorityMetricsSnapshot {
        let locked = self.entries.locked();
        self.metrics
            .snapshot(locked.iter().map(|(_, l)| l.since), self.clock.now())
    }
}

impl<T> std::fmt::Debug for PriorityQueue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PriorityQueue")
            .field("limiter", &self.limiter.describe())
            .field("processing", &self.entries.locked_len())
            .field("shutting_down", &self.shutting_down)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workqueue::FakeClock;

    fn pq() -> (FakeClock, PriorityQueue<&'static str>) {
        let clock = FakeClock::new(Time::ZERO);
        (clock.clone(), PriorityQueue::new(clock))
    }

    #[test]
    fn plain_add_promotes_a_waiting_item_once() {
        let (clock, mut q) = pq();
        q.add_after("a", Duration::from_secs(1));
        assert_eq!((q.len(), q.waiting_len()), (0, 1));
        q.add("a");
        assert_eq!((q.len(), q.waiting_len()), (1, 0));
        assert_eq!(q.get(), Some("a"));
        q.done(&"a");
        clock.step(Duration::from_secs(2));
        assert_eq!(q.advance(), 0);
        assert_eq!(q.get(), None);
        let m = q.metrics();
        assert_eq!((m.adds_total, m.retries_total, m.depth_total()), (1, 1, 0));
    }

    #[test]
    fn locked_readd_is_counted_but_skipped_until_done() {
        let (_, mut q) = pq();
        q.add("a");
        assert_eq!(q.get(), Some("a"));
        q.add("a");
        assert_eq!(q.len(), 1);
        assert!(!q.has_ready());
        assert_eq!(q.get(), None);
        q.done(&"a");
        assert_eq!(q.get_with_priority(), Some(("a", 0)));
    }

    #[test]
    fn shutdown_strands_ready_items_in_len() {
        let (_, mut q) = pq();
        q.add("a");
        q.add_rate_limited("b");
        q.shut_down();
        q.add_rate_limited("c");
        assert_eq!(q.num_requeues(&"c"), 0, "no when after shutdown");
        assert_eq!(q.len(), 1);
        assert_eq!(q.get(), None);
        assert_eq!(q.next_ready_at(), None);
        q.shut_down();
    }

    #[test]
    fn clone_onto_forks_state_and_clock() {
        let (clock, mut q) = pq();
        q.add_rate_limited("a");
        q.add_with_opts(AddOpts::new().priority(3), ["b", "c"]);
        assert_eq!(q.get(), Some("b"));
        let fork_clock = FakeClock::new(Time::ZERO);
        let mut fork = q.clone_onto(fork_clock.clone());
        assert_eq!(fork.num_requeues(&"a"), 1);
        assert!(fork.is_processing(&"b"));
        clock.step(Duration::from_millis(5));
        assert_eq!(q.advance(), 1);
        assert_eq!(fork.advance(), 0, "the fork reads its own clock");
        fork.done(&"b");
        assert!(q.is_processing(&"b"));
        assert_eq!(fork.get_with_priority(), Some(("c", 3)));
        assert_eq!(q.metrics().adds_total, 3);
        assert_eq!(fork.metrics().adds_total, 2);
    }

    #[test]
    fn default_limiter_is_exponential_only() {
        let (_, q) = pq();
        assert_eq!(q.limiter().describe(), "ItemExponential(5ms, 16m40s)");
        assert_eq!(q.limiter().tokens(), None);
    }
}
