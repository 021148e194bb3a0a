//! The delaying layer's waiting room: Go's `waitForPriorityQueue` min-heap
//! plus its `knownEntries` de-dup map, as one structure.
//!
//! A binary min-heap ordered by (ready time, arrival sequence) with an index
//! from key to heap position, so "an earlier request moves the entry up"
//! (Go's `heap.Fix`) costs O(log n). Go leaves ties unordered; arrival order
//! makes the port deterministic.

use std::hash::Hash;

use super::clock::Time;
use super::hash::FxHashMap;

#[derive(Clone)]
struct HeapEntry<T> {
    ready_at: Time,
    seq: u64,
    item: T,
}

impl<T> HeapEntry<T> {
    fn key(&self) -> (Time, u64) {
        (self.ready_at, self.seq)
    }
}

/// Min-heap of waiting items with at most one entry per key.
pub(crate) struct Waiting<T> {
    heap: Vec<HeapEntry<T>>,
    position: FxHashMap<T, usize>,
    next_seq: u64,
}

impl<T: Clone> Clone for Waiting<T> {
    fn clone(&self) -> Self {
        Waiting {
            heap: self.heap.clone(),
            position: self.position.clone(),
            next_seq: self.next_seq,
        }
    }
}

impl<T> Default for Waiting<T> {
    fn default() -> Self {
        Waiting {
            heap: Vec::new(),
            position: FxHashMap::default(),
            next_seq: 0,
        }
    }
}

impl<T> Waiting<T> {
    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }
}

impl<T: Eq + Hash + Clone> Waiting<T> {
    pub(crate) fn clear(&mut self) {
        self.heap.clear();
        self.position.clear();
    }

    pub(crate) fn peek_ready_at(&self) -> Option<Time> {
        self.heap.first().map(|e| e.ready_at)
    }

    pub(crate) fn ready_at(&self, item: &T) -> Option<Time> {
        let &pos = self.position.get(item)?;
        self.heap.get(pos).map(|e| e.ready_at)
    }

    /// Go's `insert`: a new key is pushed; a known key only moves earlier.
    pub(crate) fn insert(&mut self, item: T, ready_at: Time) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if let Some(&pos) = self.position.get(&item) {
            if let Some(entry) = self.heap.get_mut(pos) {
                if entry.ready_at > ready_at {
                    entry.ready_at = ready_at;
                    entry.seq = seq;
                    self.sift_up(pos);
                }
            }
            return;
        }
        let pos = self.heap.len();
        self.position.insert(item.clone(), pos);
        self.heap.push(HeapEntry {
            ready_at,
            seq,
            item,
        });
        self.sift_up(pos);
    }

    /// Pops the head if its ready time is ≤ `now` (`!readyAt.After(now)`).
    pub(crate) fn pop_ready(&mut self, now: Time) -> Option<T> {
        if self.heap.first()?.ready_at > now {
            return None;
        }
        let last = self.heap.len() - 1;
        self.heap.swap(0, last);
        let entry = self.heap.pop()?;
        self.position.remove(&entry.item);
        if !self.heap.is_empty() {
            self.set_position(0);
            self.sift_down(0);
        }
        Some(entry.item)
    }

    /// All entries in release order.
    pub(crate) fn sorted(&self) -> Vec<(&T, Time)> {
        let mut all: Vec<&HeapEntry<T>> = self.heap.iter().collect();
        all.sort_unstable_by_key(|e| e.key());
        all.into_iter().map(|e| (&e.item, e.ready_at)).collect()
    }

    fn set_position(&mut self, pos: usize) {
        if let Some(entry) = self.heap.get(pos) {
            if let Some(slot) = self.position.get_mut(&entry.item) {
                *slot = pos;
            }
        }
    }

    fn less(&self, a: usize, b: usize) -> bool {
        match (self.heap.get(a), self.heap.get(b)) {
            (Some(x), Some(y)) => x.key() < y.key(),
            _ => false,
        }
    }

    fn sift_up(&mut self, mut pos: usize) {
        while pos > 0 {
            let parent = (pos - 1) / 2;
            if !self.less(pos, parent) {
                break;
            }
            self.heap.swap(pos, parent);
            self.set_position(pos);
            pos = parent;
        }
        self.set_position(pos);
    }

    fn sift_down(&mut self, mut pos: usize) {
        loop {
            let left = 2 * pos + 1;
            if left >= self.heap.len() {
                break;
            }
            let right = left + 1;
            let child = if right < self.heap.len() && self.less(right, left) {
                right
            } else {
                left
            };
            if !self.less(child, pos) {
                break;
            }
            self.heap.swap(pos, child);
            self.set_position(pos);
            pos = child;
        }
        self.set_position(pos);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_ready_then_arrival_order() {
        let mut w = Waiting::default();
        for (i, t) in [5u64, 3, 5, 1, 3].into_iter().enumerate() {
            w.insert(i, Time::from_nanos(t));
        }
        let mut out = Vec::new();
        while let Some(i) = w.pop_ready(Time::from_nanos(10)) {
            out.push(i);
        }
        assert_eq!(out, vec![3, 1, 4, 0, 2]);
    }

    #[test]
    fn known_key_only_moves_earlier() {
        let mut w = Waiting::default();
        w.insert("a", Time::from_nanos(10));
        w.insert("b", Time::from_nanos(5));
        w.insert("a", Time::from_nanos(20));
        assert_eq!(w.ready_at(&"a"), Some(Time::from_nanos(10)));
        w.insert("a", Time::from_nanos(1));
        assert_eq!(w.peek_ready_at(), Some(Time::from_nanos(1)));
        assert_eq!(w.len(), 2);
        assert_eq!(w.pop_ready(Time::from_nanos(0)), None);
        assert_eq!(w.pop_ready(Time::from_nanos(5)), Some("a"));
        assert_eq!(w.pop_ready(Time::from_nanos(5)), Some("b"));
        assert_eq!(w.ready_at(&"a"), None);
    }
}
