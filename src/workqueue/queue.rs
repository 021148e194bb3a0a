//! The core FIFO: client-go's `Typed[T]` (`util/workqueue/queue.go`).
//!
//! Fair (items come out in the order they were added) and stingy (an item is
//! never handed out twice at once, and repeated adds before processing
//! collapse into one). Single-threaded and non-blocking: where Go's `Get`
//! waits on a condition variable, [`Queue::get`] returns `None`; where
//! `ShutDownWithDrain` blocks, [`Queue::drained`] reports whether it would
//! have returned.

use std::collections::VecDeque;
use std::hash::Hash;
use std::rc::Rc;
use std::time::Duration;

use super::clock::{Clock, Time};
use super::compact::{hash_of, IndexTable, Positions};
use super::metrics::{seconds_between, unfinished_and_longest, MetricsSnapshot, QueueMetrics};
use crate::stable_sort;

/// Go's `unfinishedWorkUpdatePeriod`: how often the unfinished-work gauges tick.
pub const DEFAULT_UNFINISHED_WORK_UPDATE_PERIOD: Duration = Duration::from_millis(500);

/// Where an item stands in the core queue (spec §2.9), for the UI's lanes.
///
/// An absent item (`Queue::state_of` returns `None`) is in neither set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemState {
    /// In the dirty set and waiting in the FIFO.
    Queued,
    /// Handed out by `get`, not yet `done`.
    Processing,
    /// Re-added while processing: `done` will push it to the FIFO's tail.
    /// This is client-go's stingy de-dup across processing (§14.1).
    ProcessingDirty,
}

/// Observer of Go's storage `Touch` calls (see `Queue::on_touch`).
type TouchHook<T> = Box<dyn FnMut(&T)>;

/// One key's membership in Go's `dirty` and `processing` sets, merged with
/// the metrics' `addTimes` / `processingStartTimes` maps: in client-go an add
/// time exists exactly while the item is dirty and a start time exactly while
/// it is processing, so the timestamps double as the set flags and each key
/// is stored once.
///
/// Slots live in a slab addressed from the key index and from the FIFO, so
/// `get` needs no hash lookup. Each slot keeps its key and its index slot:
/// `done` on the item `get` just handed out finds it without hashing, and
/// freeing it empties the index slot directly.
#[derive(Clone, Debug)]
struct Slot<T> {
    /// The key, while the slot is in use.
    key: Option<T>,
    /// The index-table slot pointing here.
    table_slot: u32,
    /// First add since the last get (Go's `addTimes[item]`), valid while dirty.
    added_at: Time,
    /// Last get (Go's `processingStartTimes[item]`), valid while processing.
    started_at: Time,
    /// Order in which processing started, for a deterministic `processing()`.
    start_seq: u64,
    /// How many FIFO entries point here: more than one only after a
    /// spurious `done` pushed a duplicate (§2.4).
    queued: u32,
    /// In Go's dirty set.
    dirty: bool,
    /// In Go's processing set.
    processing: bool,
}

/// client-go's work queue with its dirty and processing sets (`Typed[T]`).
///
/// Every operation reads time from the injected [`Clock`], only for metrics.
/// Metrics are always on, as if the queue were named.
pub struct Queue<T> {
    clock: Rc<dyn Clock>,
    /// The FIFO: each item with its slot.
    fifo: VecDeque<(T, u32)>,
    /// Key → slot, for every key that is dirty, processing or in the FIFO.
    table: IndexTable,
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    /// The slot `get` handed out last: `done` usually follows for it.
    last_get: u32,
    dirty_len: usize,
    processing_len: usize,
    start_seq: u64,
    shutting_down: bool,
    drain: bool,
    /// Whether a `ShutDownWithDrain` call would have returned by now: once it
    /// returns it stays returned, even if a later `get` hands out an item.
    drain_returned: bool,
    metrics: QueueMetrics,
    touch_hook: Option<TouchHook<T>>,
}

impl<T: Eq + Hash + Clone> Queue<T> {
    /// An empty queue reading time from `clock`, with client-go's 500 ms
    /// unfinished-work tick.
    pub fn new(clock: impl Clock + 'static) -> Self {
        Self::with_clock_rc(Rc::new(clock), DEFAULT_UNFINISHED_WORK_UPDATE_PERIOD)
    }

    /// Like [`Queue::new`] with a custom unfinished-work tick period, as
    /// client-go's internal `newQueueWithConfig(cfg, period)` used by its
    /// metrics tests (1 ms there).
    pub fn with_unfinished_work_period(clock: impl Clock + 'static, period: Duration) -> Self {
        Self::with_clock_rc(Rc::new(clock), period)
    }

    /// Like [`Queue::new`] on a clock handle shared with other components.
    pub fn with_clock_rc(clock: Rc<dyn Clock>, period: Duration) -> Self {
        let now = clock.now();
        Queue {
            clock,
            fifo: VecDeque::new(),
            table: IndexTable::default(),
            slots: Vec::new(),
            free: Vec::new(),
            last_get: u32::MAX,
            dirty_len: 0,
            processing_len: 0,
            start_seq: 0,
            shutting_down: false,
            drain: false,
            drain_returned: false,
            metrics: QueueMetrics::new(now, period),
            touch_hook: None,
        }
    }

    /// A deep copy of every piece of state (FIFO, dirty and processing sets,
    /// metrics) that reads `clock` from now on: the sim's checkpoints fork
    /// the world onto a new clock, which a plain `Clone` sharing the old
    /// clock's handle could not do. A touch hook is not copied.
    pub fn clone_onto(&self, clock: impl Clock + 'static) -> Self {
        self.clone_onto_rc(Rc::new(clock))
    }

    /// [`clone_onto`](Self::clone_onto) with a shared clock handle.
    pub fn clone_onto_rc(&self, clock: Rc<dyn Clock>) -> Self {
        Queue {
            clock,
            fifo: self.fifo.clone(),
            table: self.table.clone(),
            slots: self.slots.clone(),
            free: self.free.clone(),
            last_get: self.last_get,
            dirty_len: self.dirty_len,
            processing_len: self.processing_len,
            start_seq: self.start_seq,
            shutting_down: self.shutting_down,
            drain: self.drain,
            drain_returned: self.drain_returned,
            metrics: self.metrics.clone(),
            touch_hook: None,
        }
    }

    /// The current instant of the queue's clock.
    pub fn now(&self) -> Time {
        self.clock.now()
    }

    fn slot(&self, idx: u32) -> Option<&Slot<T>> {
        self.slots.get(idx as usize)
    }

    /// The slot holding `item`, whose table hash is `hash`.
    #[inline]
    fn find(&self, item: &T, hash: u32) -> Option<u32> {
        let t = self.table.find(hash, |i| {
            self.slots
                .get(i)
                .is_some_and(|s| s.key.as_ref() == Some(item))
        })?;
        self.table.pos_at(t).map(to_u32)
    }

    /// The slot holding `item`, without hashing when it is the one `get`
    /// handed out last.
    #[inline]
    fn find_done(&self, item: &T) -> Option<u32> {
        match self.slot(self.last_get) {
            Some(s) if s.key.as_ref() == Some(item) => Some(self.last_get),
            _ => self.find(item, hash_of(item)),
        }
    }

    /// Marks `item` as needing processing (Go's `Add`).
    ///
    /// Ignored after shutdown. An item already queued stays where it is
    /// (Go's `Touch` hook is a no-op for the default FIFO); an item being
    /// processed is only marked dirty and is pushed to the tail by [`done`](Self::done),
    /// so it is never handed to two workers at once.
    pub fn add(&mut self, item: T) {
        let hash = hash_of(&item);
        self.add_hashed(item, hash);
    }

    /// [`add`](Self::add) for an item whose table hash (`hash_of`) the
    /// caller already knows, e.g. the delaying layer releasing entries it
    /// indexed: the key's memory is then not read at all for a new key.
    pub(crate) fn add_hashed(&mut self, item: T, hash: u32) {
        let now = self.clock.now();
        self.sync_ticks(now);
        if self.shutting_down {
            return;
        }
        if let Some(idx) = self.find(&item, hash) {
            let Some(slot) = self.slots.get_mut(idx as usize) else {
                return;
            };
            if slot.dirty {
                // Already dirty: collapse, no metric. Go calls the
                // storage's Touch only when the item sits in the FIFO,
                // not when it is dirty while processing.
                if !slot.processing {
                    if let (Some(hook), Some(key)) = (self.touch_hook.as_mut(), &slot.key) {
                        hook(key);
                    }
                }
                return;
            }
            slot.added_at = now;
            slot.dirty = true;
            self.dirty_len += 1;
            self.metrics.adds += 1;
            self.metrics.depth += 1;
            if !slot.processing {
                // Known only through a spurious-done duplicate still in
                // the FIFO: not processing, so it is pushed like a new key.
                slot.queued += 1;
                self.fifo.push_back((item, idx));
            }
            // Processing: marked dirty, pushed by `done`.
            return;
        }
        self.metrics.adds += 1;
        self.metrics.depth += 1;
        self.dirty_len += 1;
        let idx = match self.free.pop() {
            Some(idx) => idx,
            None => {
                let len = self.slots.len();
                if self.table.needs_grow(len) {
                    self.table.grow(len, &mut Slab(&mut self.slots));
                }
                self.slots.push(Slot {
                    key: None,
                    table_slot: 0,
                    added_at: now,
                    started_at: Time::ZERO,
                    start_seq: 0,
                    queued: 0,
                    dirty: false,
                    processing: false,
                });
                to_u32(len)
            }
        };
        let table_slot = to_u32(self.table.insert(hash, idx as usize));
        if let Some(s) = self.slots.get_mut(idx as usize) {
            *s = Slot {
                key: Some(item.clone()),
                table_slot,
                added_at: now,
                started_at: Time::ZERO,
                start_seq: 0,
                queued: 1,
                dirty: true,
                processing: false,
            };
        }
        self.fifo.push_back((item, idx));
    }

    /// Makes room for `additional` more queued keys without re-allocating,
    /// e.g. before the delaying layer releases a large batch at once.
    pub fn reserve(&mut self, additional: usize) {
        let positions = (self.slots.len() + additional).saturating_sub(self.free.len());
        if positions > 0 && self.table.needs_grow(positions - 1) {
            self.table.grow(positions - 1, &mut Slab(&mut self.slots));
        }
        self.fifo.reserve(additional);
        self.slots
            .reserve(additional.saturating_sub(self.free.len()));
    }

    /// Observes Go's storage `Touch(item)` calls: an add of an item that is
    /// already waiting in the FIFO. The default FIFO ignores touches (order
    /// is unchanged); client-go's tests plug a tracing storage in to check
    /// that a collapsed add touches the item and an add during processing
    /// does not. One hook at a time; a new one replaces the old.
    pub fn on_touch(&mut self, hook: impl FnMut(&T) + 'static) {
        self.touch_hook = Some(Box::new(hook));
    }

    /// Items waiting in the FIFO (Go's `Len()`).
    ///
    /// Excludes items being processed, dirty-while-processing items and
    /// delayed items; informational only, as client-go's doc warns.
    pub fn len(&self) -> usize {
        self.fifo.len()
    }

    /// Whether the FIFO is empty (`len() == 0`).
    pub fn is_empty(&self) -> bool {
        self.fifo.is_empty()
    }

    /// Hands out the FIFO's head and marks it processing (Go's `Get`).
    ///
    /// `None` means nothing is queued right now, where Go would block; check
    /// [`shutting_down`](Self::shutting_down) to tell "idle" from Go's
    /// `shutdown == true`. After shutdown, queued items keep coming out until
    /// the FIFO is empty (shutdown is not discard, §14.2).
    pub fn get(&mut self) -> Option<T> {
        let now = self.clock.now();
        self.sync_ticks(now);
        let (item, idx) = self.fifo.pop_front()?;
        self.metrics.depth -= 1;
        let Some(slot) = self.slots.get_mut(idx as usize) else {
            return Some(item);
        };
        slot.queued = slot.queued.saturating_sub(1);
        if slot.dirty {
            slot.dirty = false;
            self.metrics
                .latency
                .observe(seconds_between(slot.added_at, now));
            self.dirty_len -= 1;
        }
        if !slot.processing {
            slot.processing = true;
            self.processing_len += 1;
        }
        slot.started_at = now;
        slot.start_seq = self.start_seq;
        self.start_seq += 1;
        self.last_get = idx;
        Some(item)
    }

    /// Marks `item` as done processing (Go's `Done`).
    ///
    /// If it was re-added meanwhile it goes to the FIFO's tail. Faithful
    /// quirk (§2.4): `done` on an item that is queued but not processing
    /// pushes a *duplicate*, so `add(x); done(x)` leaves `len() == 2`.
    pub fn done(&mut self, item: &T) {
        self.finish(item);
        self.note_drain();
    }

    /// [`done`](Self::done)'s bookkeeping, before the drain check that every
    /// `Done` makes (Go signals the waiting drain on every path).
    fn finish(&mut self, item: &T) {
        let now = self.clock.now();
        self.sync_ticks(now);
        let Some(idx) = self.find_done(item) else {
            return;
        };
        let Some(slot) = self.slots.get_mut(idx as usize) else {
            return;
        };
        if slot.processing {
            slot.processing = false;
            self.metrics
                .work_duration
                .observe(seconds_between(slot.started_at, now));
            self.processing_len -= 1;
        }
        if slot.dirty {
            slot.queued += 1;
            if let Some(key) = &slot.key {
                self.fifo.push_back((key.clone(), idx));
            }
        } else if slot.queued == 0 {
            // In neither set and not queued: the key leaves the index.
            slot.key = None;
            let table_slot = slot.table_slot as usize;
            self.table.remove(table_slot, &mut Slab(&mut self.slots));
            self.free.push(idx);
        }
        // Otherwise not dirty, not processing, but a duplicate is still
        // queued: the key stays.
    }

    /// Latches [`drained`](Self::drained) where Go's blocked
    /// `ShutDownWithDrain` would wake and return: every `Done` signals it,
    /// and `ShutDown` broadcasts.
    fn note_drain(&mut self) {
        if self.shutting_down && (!self.drain || self.processing_len == 0) {
            self.drain_returned = true;
        }
    }

    /// Stops accepting adds (Go's `ShutDown`). Does not wait for workers,
    /// does not discard queued items, and cancels a pending drain.
    pub fn shut_down(&mut self) {
        let now = self.clock.now();
        self.sync_ticks(now);
        self.drain = false;
        self.shutting_down = true;
        self.note_drain();
    }

    /// Go's `ShutDownWithDrain`, which cannot block here: it shuts down with
    /// the drain flag set, and [`drained`](Self::drained) turns true once every
    /// in-flight item is `done` (items still in the FIFO are not waited for,
    /// §14.3). A later [`shut_down`](Self::shut_down) forces the drain off.
    pub fn shut_down_with_drain(&mut self) {
        let now = self.clock.now();
        self.sync_ticks(now);
        self.drain = true;
        self.shutting_down = true;
        self.note_drain();
    }

    /// Whether a blocked `ShutDownWithDrain` would have returned: since the
    /// shutdown, nothing was processing at one of its wake-ups (a `done`), or
    /// the drain was forced off by `shut_down`. False before any shutdown.
    /// Once true it stays true: an item a later `get` hands out does not
    /// make the call block again (checked against client-go by the oracle).
    pub fn drained(&self) -> bool {
        self.drain_returned
    }

    /// Whether shutdown was requested (Go's `ShuttingDown`).
    pub fn shutting_down(&self) -> bool {
        self.shutting_down
    }

    /// Where `item` stands, or `None` if it is in neither set.
    pub fn state_of(&self, item: &T) -> Option<ItemState> {
        let slot = self.slot(self.find(item, hash_of(item))?)?;
        match (slot.dirty, slot.processing) {
            (true, false) => Some(ItemState::Queued),
            (false, true) => Some(ItemState::Processing),
            (true, true) => Some(ItemState::ProcessingDirty),
            (false, false) => None,
        }
    }

    /// The FIFO, head first. A key can appear twice after a spurious `done`.
    pub fn fifo(&self) -> impl Iterator<Item = &T> + '_ {
        self.fifo.iter().map(|(item, _)| item)
    }

    /// Items being processed with their dirty flag, in the order their
    /// processing started (deterministic on every platform, unlike Go's set).
    pub fn processing(&self) -> impl Iterator<Item = (&T, bool)> + '_ {
        let mut in_flight: Vec<(u64, &T, bool)> = self
            .slots
            .iter()
            .filter(|s| s.processing)
            .filter_map(|s| Some((s.start_seq, s.key.as_ref()?, s.dirty)))
            .collect();
        stable_sort::sort_by_key(&mut in_flight, |&(seq, _, _)| seq);
        in_flight.into_iter().map(|(_, item, dirty)| (item, dirty))
    }

    /// When `item`'s current processing started, if it is processing.
    pub fn processing_since(&self, item: &T) -> Option<Time> {
        let slot = self.slot(self.find(item, hash_of(item))?)?;
        slot.processing.then_some(slot.started_at)
    }

    /// Size of Go's processing set.
    pub fn processing_len(&self) -> usize {
        self.processing_len
    }

    /// Size of Go's dirty set (queued plus dirty-while-processing keys).
    pub fn dirty_len(&self) -> usize {
        self.dirty_len
    }

    /// Every metric at the clock's now.
    pub fn metrics(&self) -> MetricsSnapshot {
        let now = self.clock.now();
        let (unfinished, longest) = self.unfinished_at(now);
        let (ticked_unfinished, ticked_longest, updates) =
            if !self.shutting_down && self.metrics.tick_due(now) {
                (unfinished, longest, self.metrics.updates + 1)
            } else {
                (
                    self.metrics.ticked_unfinished,
                    self.metrics.ticked_longest,
                    self.metrics.updates,
                )
            };
        MetricsSnapshot {
            depth: self.metrics.depth,
            adds_total: self.metrics.adds,
            retries_total: self.metrics.retries,
            queue_latency: self.metrics.latency.snapshot(),
            work_duration: self.metrics.work_duration.snapshot(),
            unfinished_work_seconds: unfinished,
            longest_running_processor_seconds: longest,
            ticked_unfinished_work_seconds: ticked_unfinished,
            ticked_longest_running_processor_seconds: ticked_longest,
            unfinished_work_updates: updates,
        }
    }

    /// Applies a due unfinished-work tick now, as Go's ticker goroutine would
    /// right after the clock moved.
    ///
    /// Ticks are otherwise applied lazily by the next queue operation or read
    /// by [`metrics`](Self::metrics); either way the gauges are computed at the
    /// instant the tick is applied (like Go's goroutine reading `clock.Since`
    /// after a fake-clock step), several missed ticks collapse into one, and
    /// nothing ticks after shutdown.
    pub fn tick_metrics(&mut self) {
        let now = self.clock.now();
        self.sync_ticks(now);
    }

    /// Counts one `AddAfter` for `workqueue_retries_total`.
    pub(crate) fn count_retry(&mut self) {
        self.metrics.retries += 1;
    }

    #[inline]
    fn sync_ticks(&mut self, now: Time) {
        if self.shutting_down || !self.metrics.tick_due(now) {
            return;
        }
        let (unfinished, longest) = self.unfinished_at(now);
        self.metrics.ticked_unfinished = unfinished;
        self.metrics.ticked_longest = longest;
        self.metrics.updates += 1;
        self.metrics.rearm(now);
    }

    fn unfinished_at(&self, now: Time) -> (f64, f64) {
        if self.processing_len == 0 {
            return (0.0, 0.0);
        }
        let starts = self.slots.iter().filter(|s| s.processing);
        unfinished_and_longest(starts.map(|s| s.started_at), now)
    }
}

/// The slab as [`Positions`] for the index: slots remember their table slot.
struct Slab<'a, T>(&'a mut [Slot<T>]);

impl<T: Hash> Positions for Slab<'_, T> {
    fn hash_at(&self, pos: usize) -> u32 {
        self.0
            .get(pos)
            .and_then(|s| s.key.as_ref())
            .map_or(0, hash_of)
    }
    fn placed(&mut self, pos: usize, slot: usize) {
        if let Some(s) = self.0.get_mut(pos) {
            s.table_slot = to_u32(slot);
        }
    }
}

/// Slab indices and table slots fit in `u32`; saturate rather than wrap.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<T> std::fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("len", &self.fifo.len())
            .field("dirty_len", &self.dirty_len)
            .field("processing_len", &self.processing_len)
            .field("shutting_down", &self.shutting_down)
            .field("drain", &self.drain)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workqueue::FakeClock;

    fn queue() -> (FakeClock, Queue<&'static str>) {
        let clock = FakeClock::new(Time::ZERO);
        (clock.clone(), Queue::new(clock))
    }

    #[test]
    fn add_collapses_and_get_is_fifo() {
        let (_, mut q) = queue();
        q.add("a");
        q.add("b");
        q.add("a");
        assert_eq!(q.len(), 2);
        assert_eq!(q.get(), Some("a"));
        assert_eq!(q.get(), Some("b"));
        assert_eq!(q.get(), None);
        assert_eq!(q.state_of(&"a"), Some(ItemState::Processing));
    }

    #[test]
    fn readd_while_processing_goes_to_tail_on_done() {
        let (_, mut q) = queue();
        q.add("a");
        q.add("b");
        assert_eq!(q.get(), Some("a"));
        q.add("a");
        assert_eq!(q.state_of(&"a"), Some(ItemState::ProcessingDirty));
        assert_eq!(q.len(), 1);
        q.done(&"a");
        assert_eq!(q.fifo().copied().collect::<Vec<_>>(), vec!["b", "a"]);
        assert_eq!(q.state_of(&"a"), Some(ItemState::Queued));
    }

    #[test]
    fn spurious_done_duplicates() {
        let (_, mut q) = queue();
        q.add("x");
        q.done(&"x");
        assert_eq!(q.len(), 2);
        assert_eq!(q.get(), Some("x"));
        q.done(&"x");
        assert_eq!(q.state_of(&"x"), None);
        assert_eq!(q.get(), Some("x"));
        assert_eq!(q.state_of(&"x"), Some(ItemState::Processing));
        assert_eq!(q.metrics().depth, -1);
    }

    /// `done` finds the item `get` handed out last without hashing; any
    /// other item, or a slot reused by another key since, is looked up.
    #[test]
    fn done_finds_last_got_other_items_and_reused_slots() {
        let (_, mut q) = queue();
        for k in ["a", "b", "c"] {
            q.add(k);
        }
        assert_eq!(q.get(), Some("a"));
        assert_eq!(q.get(), Some("b"));
        q.done(&"a");
        assert_eq!(q.state_of(&"a"), None);
        assert_eq!(q.state_of(&"b"), Some(ItemState::Processing));
        q.done(&"b");
        // "b"'s slot is free and then reused by "d": the last-got hint now
        // points at "d", which must not satisfy a done for "c" or "b".
        q.add("d");
        q.done(&"b");
        assert_eq!(q.state_of(&"d"), Some(ItemState::Queued));
        assert_eq!(q.len(), 2);
        assert_eq!(q.get(), Some("c"));
        assert_eq!(q.get(), Some("d"));
        q.done(&"c");
        assert_eq!(q.state_of(&"c"), None);
        assert_eq!(q.state_of(&"d"), Some(ItemState::Processing));
        q.done(&"d");
        assert_eq!((q.processing_len(), q.dirty_len(), q.len()), (0, 0, 0));
        // Many keys: the index grows and shrinks and stays consistent.
        let mut q: Queue<u32> = Queue::new(FakeClock::new(Time::ZERO));
        for k in 0..5_000 {
            q.add(k);
        }
        for _ in 0..2_500 {
            let k = q.get().expect("queued");
            q.done(&k);
        }
        for k in 0..5_000 {
            let want = (k >= 2_500).then_some(ItemState::Queued);
            assert_eq!(q.state_of(&k), want, "{k}");
        }
    }

    #[test]
    fn shutdown_keeps_queued_items_and_drops_new_adds() {
        let (_, mut q) = queue();
        q.add("a");
        q.shut_down();
        q.add("b");
        assert!(q.shutting_down());
        assert_eq!(q.get(), Some("a"));
        assert_eq!(q.get(), None);
    }

    #[test]
    fn drain_waits_for_processing_and_is_forced_by_shutdown() {
        let (_, mut q) = queue();
        assert!(!q.drained());
        q.add("a");
        assert_eq!(q.get(), Some("a"));
        q.shut_down_with_drain();
        assert!(!q.drained());
        q.done(&"a");
        assert!(q.drained());

        let (_, mut q) = queue();
        q.add("a");
        q.get();
        q.shut_down_with_drain();
        q.shut_down();
        assert!(q.drained());
    }

    #[test]
    fn processing_lists_in_start_order() {
        let (_, mut q) = queue();
        for k in ["c", "a", "b"] {
            q.add(k);
        }
        q.get();
        q.get();
        q.add("c");
        let got: Vec<_> = q.processing().map(|(k, d)| (*k, d)).collect();
        assert_eq!(got, vec![("c", true), ("a", false)]);
        assert_eq!(q.processing_len(), 2);
        assert_eq!(q.dirty_len(), 2);
    }

    #[test]
    fn metrics_follow_client_go_rules() {
        let (clock, mut q) = queue();
        q.add("foo");
        clock.step(Duration::from_micros(50));
        q.get();
        q.add("foo");
        q.add("foo");
        let m = q.metrics();
        assert_eq!((m.adds_total, m.depth), (2, 1));
        assert_eq!(m.queue_latency.last, Some(5e-5));
        clock.step(Duration::from_millis(2));
        let m = q.metrics();
        assert_eq!(m.longest_running_processor_seconds, 0.002);
        assert_eq!(m.unfinished_work_seconds, 0.002);
        q.done(&"foo");
        assert_eq!(q.metrics().work_duration.last, Some(0.002));
        assert_eq!(q.metrics().unfinished_work_seconds, 0.0);
    }
}
