//! The priority queue's item store: Go's `items` map with its `ready` and
//! `waiting` btrees and the `addedCounter`, the `locked` set, and the
//! de-duplication rules of `lockedAddWithOpts` and `handleWaitingItems`.
//!
//! Every queued key has exactly one entry, which sits in exactly one of the
//! two trees: `ready` (ordered by priority, highest first, then by the
//! counter it got when it last entered or was re-prioritised, so FIFO within
//! a priority) or `waiting` (ordered by ready time, then like `ready`).
//! Handed-out keys are locked and have no entry; re-adding one creates a
//! fresh entry, which the hand-out skips until the key is unlocked.
//!
//! Layout: one slot per key that is queued or locked, in a slab; the hash
//! index maps a key to its slot once, and the trees and the hand-out work on
//! slot numbers, so an add hashes the key once, a hand-out not at all and a
//! `done` once (twice when the key leaves).
//!
//! Debug assertions stand in for the Go tests' `btreeInteractionValidator`:
//! no tree insert ever replaces an entry, no delete misses one.

use crate::stable_sort;
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hash};

use super::metrics::PriorityMetrics;
use crate::workqueue::clock::Time;
use crate::workqueue::hash::FoldHasher;

/// One queued key (Go's `item[T]` without the key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    /// Go's `Priority`: the highest priority any add asked for.
    pub(super) priority: i64,
    /// Go's `AddedCounter`: position within its priority.
    pub(super) counter: u64,
    /// Go's `ReadyAt`: `Some` while waiting, `None` once ready.
    pub(super) ready_at: Option<Time>,
    /// When the entry became ready (Go's metrics `addTimes[key]`); only
    /// meaningful while `ready_at` is `None`.
    pub(super) ready_since: Time,
}

/// A handed-out key (Go's `locked` set, merged with the metrics'
/// `processingStartTimes`, which has the same lifetime).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Lock {
    /// When processing started.
    pub(super) since: Time,
    /// Hand-out order, for a deterministic `processing()`.
    pub(super) seq: u64,
}

#[derive(Clone, Debug)]
struct Slot<T> {
    key: T,
    entry: Option<Entry>,
    lock: Option<Lock>,
}

/// `lessReady`: higher priority first, then lower counter.
type ReadyKey = (Reverse<i64>, u64);
/// `lessWaiting`: earlier ready time first, then `lessReady`.
type WaitKey = (Time, Reverse<i64>, u64);

fn ready_key(e: &Entry) -> ReadyKey {
    (Reverse(e.priority), e.counter)
}

fn wait_key(e: &Entry, ready_at: Time) -> WaitKey {
    (ready_at, Reverse(e.priority), e.counter)
}

/// Go's `items`, `ready`, `waiting`, `addedCounter` and `locked`.
#[derive(Clone, Debug)]
pub(super) struct Entries<T> {
    index: HashMap<T, u32, BuildHasherDefault<FoldHasher>>,
    slots: Vec<Option<Slot<T>>>,
    free: Vec<u32>,
    ready: BTreeMap<ReadyKey, u32>,
    waiting: BTreeMap<WaitKey, u32>,
    added_counter: u64,
    locked_len: usize,
    lock_seq: u64,
}

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries {
            index: HashMap::default(),
            slots: Vec::new(),
            free: Vec::new(),
            ready: BTreeMap::new(),
            waiting: BTreeMap::new(),
            added_counter: 0,
            locked_len: 0,
            lock_seq: 0,
        }
    }
}

impl<T> Entries<T> {
    /// Number of locked (handed-out) keys.
    pub(super) fn locked_len(&self) -> usize {
        self.locked_len
    }
}

impl<T: Eq + Hash + Clone> Entries<T> {
    fn next_counter(&mut self) -> u64 {
        let c = self.added_counter;
        self.added_counter += 1;
        c
    }

    fn slot(&self, idx: u32) -> Option<&Slot<T>> {
        self.slots.get(idx as usize)?.as_ref()
    }

    fn slot_mut(&mut self, idx: u32) -> Option<&mut Slot<T>> {
        self.slots.get_mut(idx as usize)?.as_mut()
    }

    /// The slot of `key`, created (empty) if the key is unknown.
    fn slot_for(&mut self, key: T) -> u32 {
        use std::collections::hash_map::Entry as MapEntry;
        match self.index.entry(key) {
            MapEntry::Occupied(o) => *o.get(),
            MapEntry::Vacant(v) => {
                let slot = Slot {
                    key: v.key().clone(),
                    entry: None,
                    lock: None,
                };
                let idx = match self.free.pop() {
                    Some(idx) => {
                        if let Some(s) = self.slots.get_mut(idx as usize) {
                            *s = Some(slot);
                        }
                        idx
                    }
                    None => {
                        self.slots.push(Some(slot));
                        u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
                    }
                };
                *v.insert(idx)
            }
        }
    }

    /// Drops `idx`'s slot if it holds neither an entry nor a lock.
    fn release_if_empty(&mut self, idx: u32) {
        let empty = self
            .slot(idx)
            .is_some_and(|s| s.entry.is_none() && s.lock.is_none());
        if !empty {
            return;
        }
        if let Some(slot) = self.slots.get_mut(idx as usize).and_then(Option::take) {
            self.index.remove(&slot.key);
            self.free.push(idx);
        }
    }

    /// One key of `lockedAddWithOpts`, after the delay was computed:
    /// `ready_at` is `None` for "ready now".
    pub(super) fn add(
        &mut self,
        key: T,
        ready_at: Option<Time>,
        priority: i64,
        now: Time,
        metrics: &mut PriorityMetrics,
    ) {
        let idx = self.slot_for(key);
        let Some(old) = self.slot(idx).and_then(|s| s.entry) else {
            let entry = Entry {
                priority,
                counter: self.next_counter(),
                ready_at,
                ready_since: now,
            };
            let prev = match ready_at {
                Some(at) => self.waiting.insert(wait_key(&entry, at), idx),
                None => {
                    metrics.add(priority);
                    self.ready.insert(ready_key(&entry), idx)
                }
            };
            debug_assert!(prev.is_none(), "tree slot taken");
            if let Some(s) = self.slot_mut(idx) {
                s.entry = Some(entry);
            }
            return;
        };
        // Earliest readiness wins: a ready entry stays ready, a waiting
        // one keeps the earlier of the two instants.
        let new_ready_at = match (old.ready_at, ready_at) {
            (None, _) => None,
            (Some(o), Some(n)) if o < n => Some(o),
            (Some(_), n) => n,
        };
        let mut entry = old;
        if priority > old.priority {
            if old.ready_at.is_none() {
                metrics.reprioritize(old.priority, priority);
            }
            entry.priority = priority;
            // The back of the new priority, not its old place.
            entry.counter = self.next_counter();
        }
        entry.ready_at = new_ready_at;
        let removed = match old.ready_at {
            None => self.ready.remove(&ready_key(&old)),
            Some(at) => self.waiting.remove(&wait_key(&old, at)),
        };
        debug_assert!(removed.is_some(), "entry missing from its tree");
        let prev = match new_ready_at {
            None => {
                if old.ready_at.is_some() {
                    // A waiting item promoted by an add without delay: it
                    // keeps its counter (unlike an expired delay).
                    metrics.add(entry.priority);
                    entry.ready_since = now;
                }
                self.ready.insert(ready_key(&entry), idx)
            }
            Some(at) => self.waiting.insert(wait_key(&entry, at), idx),
        };
        debug_assert!(prev.is_none(), "tree slot taken");
        if let Some(s) = self.slot_mut(idx) {
            s.entry = Some(entry);
        }
    }

    /// `handleWaitingItems`: every waiting entry due at `now` becomes
    /// ready, in waiting order, each with a new counter ("sorted by when
    /// they became ready, not when they were added"). Returns how many.
    pub(super) fn promote_due(&mut self, now: Time, metrics: &mut PriorityMetrics) -> usize {
        let mut moved = 0;
        while let Some(first) = self.waiting.first_entry() {
            if first.key().0 > now {
                break;
            }
            let idx = first.remove();
            let counter = self.next_counter();
            let Some(e) = self.slot_mut(idx).and_then(|s| s.entry.as_mut()) else {
                continue;
            };
            e.ready_at = None;
            e.counter = counter;
            e.ready_since = now;
            let (priority, rk) = (e.priority, ready_key(e));
            metrics.add(priority);
            let prev = self.ready.insert(rk, idx);
            debug_assert!(prev.is_none(), "ready slot taken");
            moved += 1;
        }
        moved
    }

    fn is_locked_slot(&self, idx: u32) -> bool {
        self.slot(idx).is_some_and(|s| s.lock.is_some())
    }

    /// Go's `Ascend` in `handleReadyItems` for one waiter: the first ready
    /// entry whose key is not locked leaves the store and its key is locked
    /// from `now`. Returns the key and the entry it had.
    pub(super) fn hand_out(&mut self, now: Time) -> Option<(T, Entry)> {
        let idx = if self.locked_len == 0 {
            self.ready.pop_first()?.1
        } else {
            let rk = *self
                .ready
                .iter()
                .find(|(_, &idx)| !self.is_locked_slot(idx))?
                .0;
            self.ready.remove(&rk)?
        };
        let seq = self.lock_seq;
        let slot = self.slot_mut(idx)?;
        let entry = slot.entry.take()?;
        slot.lock = Some(Lock { since: now, seq });
        let key = slot.key.clone();
        self.lock_seq += 1;
        self.locked_len += 1;
        Some((key, entry))
    }

    /// Go's `locked.Delete` for `Done`: the lock `key` had, if any.
    pub(super) fn unlock(&mut self, key: &T) -> Option<Lock> {
        let idx = *self.index.get(key)?;
        let lock = self.slot_mut(idx)?.lock.take()?;
        self.locked_len -= 1;
        self.release_if_empty(idx);
        Some(lock)
    }

    /// Whether a hand-out would find an unlocked ready entry.
    pub(super) fn has_unlocked_ready(&self) -> bool {
        self.ready.values().any(|&idx| !self.is_locked_slot(idx))
    }

    /// `key`'s queued entry, if any.
    pub(super) fn get(&self, key: &T) -> Option<&Entry> {
        self.slot(*self.index.get(key)?)?.entry.as_ref()
    }

    /// `key`'s lock, if it is handed out.
    pub(super) fn lock_of(&self, key: &T) -> Option<Lock> {
        self.slot(*self.index.get(key)?)?.lock
    }

    /// `key`'s queued entry and its lock, from one lookup.
    pub(super) fn entry_and_lock(&self, key: &T) -> (Option<&Entry>, Option<Lock>) {
        match self.index.get(key).and_then(|&idx| self.slot(idx)) {
            Some(s) => (s.entry.as_ref(), s.lock),
            None => (None, None),
        }
    }

    pub(super) fn ready_len(&self) -> usize {
        self.ready.len()
    }

    pub(super) fn waiting_len(&self) -> usize {
        self.waiting.len()
    }

    /// Ready entries in hand-out order, with whether their key is locked.
    pub(super) fn ready(&self) -> impl Iterator<Item = (&T, &Entry, bool)> + '_ {
        self.ready.values().filter_map(|&idx| {
            let s = self.slot(idx)?;
            Some((&s.key, s.entry.as_ref()?, s.lock.is_some()))
        })
    }

    /// Waiting entries in release order.
    pub(super) fn waiting(&self) -> impl Iterator<Item = (&T, &Entry)> + '_ {
        self.waiting.values().filter_map(|&idx| {
            let s = self.slot(idx)?;
            Some((&s.key, s.entry.as_ref()?))
        })
    }

    /// Locked keys with their locks, in hand-out order.
    pub(super) fn locked(&self) -> Vec<(&T, Lock)> {
        let mut v: Vec<(&T, Lock)> = self
            .slots
            .iter()
            .flatten()
            .filter_map(|s| Some((&s.key, s.lock?)))
            .collect();
        stable_sort::sort_by_key(&mut v, |(_, l)| l.seq);
        v
    }

    /// The earliest ready time among waiting entries.
    pub(super) fn next_ready_at(&self) -> Option<Time> {
        self.waiting.keys().next().map(|k| k.0)
    }

    /// Go's `addedCounter`: counters handed out so far.
    pub(super) fn added_counter(&self) -> u64 {
        self.added_counter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ns: u64) -> Time {
        Time::from_nanos(ns)
    }

    fn view(e: &Entries<&str>, k: &str) -> Option<(Option<Time>, i64, u64)> {
        e.get(&k).map(|x| (x.ready_at, x.priority, x.counter))
    }

    #[test]
    fn dedup_keeps_earliest_and_highest() {
        let mut e: Entries<&str> = Entries::default();
        let mut m = PriorityMetrics::default();
        e.add("a", Some(t(50)), 1, t(0), &mut m);
        e.add("a", Some(t(70)), 0, t(0), &mut m);
        assert_eq!(view(&e, "a"), Some((Some(t(50)), 1, 0)));
        e.add("a", Some(t(30)), 2, t(0), &mut m);
        assert_eq!(view(&e, "a"), Some((Some(t(30)), 2, 1)));
        e.add("a", None, 0, t(10), &mut m);
        assert_eq!(view(&e, "a"), Some((None, 2, 1)));
        e.add("a", Some(t(99)), 0, t(10), &mut m);
        assert_eq!((e.ready_len(), e.waiting_len()), (1, 0));
    }

    #[test]
    fn promotion_gives_new_counters_in_waiting_order() {
        let mut e: Entries<&str> = Entries::default();
        let mut m = PriorityMetrics::default();
        e.add("late", Some(t(20)), 5, t(0), &mut m);
        e.add("low", Some(t(10)), 0, t(0), &mut m);
        e.add("high", Some(t(10)), 3, t(0), &mut m);
        e.add("now", None, 0, t(0), &mut m);
        assert_eq!(e.next_ready_at(), Some(t(10)));
        assert_eq!(e.promote_due(t(15), &mut m), 2);
        let order: Vec<_> = e.ready().map(|(k, x, _)| (*k, x.counter)).collect();
        assert_eq!(order, vec![("high", 4), ("now", 3), ("low", 5)]);
    }

    #[test]
    fn locked_keys_are_skipped_and_slots_reused() {
        let mut e: Entries<&str> = Entries::default();
        let mut m = PriorityMetrics::default();
        e.add("a", None, 0, t(0), &mut m);
        assert_eq!(e.hand_out(t(1)).map(|x| x.0), Some("a"));
        assert!(e.get(&"a").is_none());
        e.add("a", None, 0, t(2), &mut m);
        e.add("b", None, 0, t(2), &mut m);
        assert_eq!(e.hand_out(t(3)).map(|x| x.0), Some("b"));
        assert!(e.hand_out(t(3)).is_none(), "only the locked a is ready");
        assert!(!e.has_unlocked_ready());
        assert_eq!(e.unlock(&"b").map(|l| l.since), Some(t(3)));
        assert_eq!(e.unlock(&"b"), None);
        assert_eq!(e.unlock(&"a").map(|l| l.seq), Some(0));
        assert!(e.has_unlocked_ready());
        assert_eq!(e.hand_out(t(4)).map(|x| x.0), Some("a"));
        assert_eq!(e.unlock(&"a").map(|l| l.seq), Some(2));
        assert_eq!((e.index.len(), e.free.len()), (0, 2));
        e.add("c", None, 0, t(5), &mut m);
        assert_eq!(e.slots.len(), 2, "a freed slot is reused");
    }
}
