//! The priority queue's item store: Go's `items` map with its `ready` and
//! `waiting` btrees and the `addedCounter`, and the de-duplication rules of
//! `lockedAddWithOpts` and `handleWaitingItems`.
//!
//! Every queued key has exactly one entry, which sits in exactly one of the
//! two trees: `ready` (ordered by priority, highest first, then by the
//! counter it got when it last entered or was re-prioritised, so FIFO within
//! a priority) or `waiting` (ordered by ready time, then like `ready`).
//! Handed-out keys have no entry; re-adding one creates a fresh entry.
//!
//! Debug assertions stand in for the Go tests' `btreeInteractionValidator`:
//! no tree insert ever replaces an entry, no delete misses one.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hash};

use super::metrics::PriorityMetrics;
use crate::workqueue::clock::Time;
use crate::workqueue::hash::FxHasher;

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

/// Go's `items`, `ready`, `waiting` and `addedCounter`.
#[derive(Clone, Debug)]
pub(super) struct Entries<T> {
    items: HashMap<T, Entry, BuildHasherDefault<FxHasher>>,
    ready: BTreeMap<ReadyKey, T>,
    waiting: BTreeMap<WaitKey, T>,
    added_counter: u64,
}

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries {
            items: HashMap::default(),
            ready: BTreeMap::new(),
            waiting: BTreeMap::new(),
            added_counter: 0,
        }
    }
}

impl<T: Eq + Hash + Clone> Entries<T> {
    fn next_counter(&mut self) -> u64 {
        let c = self.added_counter;
        self.added_counter += 1;
        c
    }

    /// One key of `lockedAddWithOpts`, after the delay was computed:
    /// `ready_at` is `None` for "ready now". Returns whether the key is
    /// ready afterwards.
    pub(super) fn add(
        &mut self,
        key: T,
        ready_at: Option<Time>,
        priority: i64,
        now: Time,
        metrics: &mut PriorityMetrics,
    ) -> bool {
        let Some(old) = self.items.get(&key).copied() else {
            let entry = Entry {
                priority,
                counter: self.next_counter(),
                ready_at,
                ready_since: now,
            };
            match ready_at {
                Some(at) => {
                    let prev = self.waiting.insert(wait_key(&entry, at), key.clone());
                    debug_assert!(prev.is_none(), "waiting slot taken");
                }
                None => {
                    let prev = self.ready.insert(ready_key(&entry), key.clone());
                    debug_assert!(prev.is_none(), "ready slot taken");
                    metrics.add(priority);
                }
            }
            self.items.insert(key, entry);
            return ready_at.is_none();
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
        match new_ready_at {
            None => {
                if old.ready_at.is_some() {
                    // A waiting item promoted by an add without delay: it
                    // keeps its counter (unlike an expired delay).
                    metrics.add(entry.priority);
                    entry.ready_since = now;
                }
                let prev = self.ready.insert(ready_key(&entry), key.clone());
                debug_assert!(prev.is_none(), "ready slot taken");
            }
            Some(at) => {
                let prev = self.waiting.insert(wait_key(&entry, at), key.clone());
                debug_assert!(prev.is_none(), "waiting slot taken");
            }
        }
        self.items.insert(key, entry);
        new_ready_at.is_none()
    }

    /// `handleWaitingItems`: every waiting entry due at `now` becomes
    /// ready, in waiting order, each with a new counter ("sorted by when
    /// they became ready, not when they were added"). Returns how many.
    pub(super) fn promote_due(&mut self, now: Time, metrics: &mut PriorityMetrics) -> usize {
        let mut moved = 0;
        while let Some(entry) = self.waiting.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let key = entry.remove();
            let counter = self.next_counter();
            if let Some(e) = self.items.get_mut(&key) {
                e.ready_at = None;
                e.counter = counter;
                e.ready_since = now;
                metrics.add(e.priority);
                let prev = self.ready.insert(ready_key(e), key);
                debug_assert!(prev.is_none(), "ready slot taken");
            }
            moved += 1;
        }
        moved
    }

    /// The first ready entry (in hand-out order) whose key `skip` does not
    /// reject, removed from the store: Go's `Ascend` in `handleReadyItems`
    /// skipping locked keys.
    pub(super) fn pop_ready(&mut self, skip: impl Fn(&T) -> bool) -> Option<(T, Entry)> {
        let rk = *self.ready.iter().find(|(_, k)| !skip(k))?.0;
        let key = self.ready.remove(&rk)?;
        let entry = self.items.remove(&key)?;
        Some((key, entry))
    }

    /// Whether any ready entry's key is not rejected by `skip`.
    pub(super) fn has_ready(&self, skip: impl Fn(&T) -> bool) -> bool {
        self.ready.values().any(|k| !skip(k))
    }

    pub(super) fn get(&self, key: &T) -> Option<&Entry> {
        self.items.get(key)
    }

    pub(super) fn ready_len(&self) -> usize {
        self.ready.len()
    }

    pub(super) fn waiting_len(&self) -> usize {
        self.waiting.len()
    }

    /// Ready entries in hand-out order.
    pub(super) fn ready(&self) -> impl Iterator<Item = (&T, &Entry)> + '_ {
        self.ready
            .values()
            .filter_map(|k| Some((k, self.items.get(k)?)))
    }

    /// Waiting entries in release order.
    pub(super) fn waiting(&self) -> impl Iterator<Item = (&T, &Entry)> + '_ {
        self.waiting
            .values()
            .filter_map(|k| Some((k, self.items.get(k)?)))
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

    #[test]
    fn dedup_keeps_earliest_and_highest() {
        let mut e: Entries<&str> = Entries::default();
        let mut m = PriorityMetrics::default();
        assert!(!e.add("a", Some(t(50)), 1, t(0), &mut m));
        assert!(!e.add("a", Some(t(70)), 0, t(0), &mut m));
        assert_eq!(
            e.get(&"a").map(|x| (x.ready_at, x.priority)),
            Some((Some(t(50)), 1))
        );
        assert!(!e.add("a", Some(t(30)), 2, t(0), &mut m));
        assert_eq!(
            e.get(&"a").map(|x| (x.ready_at, x.priority, x.counter)),
            Some((Some(t(30)), 2, 1))
        );
        assert!(e.add("a", None, 0, t(10), &mut m));
        assert_eq!(
            e.get(&"a").map(|x| (x.ready_at, x.counter)),
            Some((None, 1))
        );
        assert!(e.add("a", Some(t(99)), 0, t(10), &mut m));
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
        let order: Vec<_> = e.ready().map(|(k, x)| (*k, x.counter)).collect();
        assert_eq!(order, vec![("high", 4), ("now", 3), ("low", 5)]);
        assert_eq!(e.pop_ready(|k| *k == "high").map(|x| x.0), Some("now"));
        assert!(e.get(&"now").is_none());
    }
}
