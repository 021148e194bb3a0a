//! The delaying layer's waiting room: Go's `waitForPriorityQueue` min-heap
//! plus its `knownEntries` de-dup map, as one compact structure.
//!
//! A 4-ary min-heap ordered by (ready time, arrival), stored densely, with
//! an [`IndexTable`] from key to heap position so that "an earlier request
//! moves the entry up" (Go's `heap.Fix`) costs O(log n). Each entry
//! remembers its table slot, so a heap move re-points the index with one
//! store instead of a probe, and the table's slots carry enough of the hash
//! that shifts and rebuilds never re-hash keys. Go leaves ties unordered;
//! arrival order makes the port deterministic. 32 bytes per entry for a
//! 16-byte key, plus 4–8 bytes of table: the heap is half of what the seed
//! bug leaks per key.

use std::hash::Hash;

use super::clock::Time;
use super::compact::{hash_of, IndexTable, Positions};
use super::queue::Queue;

#[derive(Clone)]
struct HeapEntry<T> {
    item: T,
    ready_at: Time,
    /// Arrival rank among waiting entries; renumbered (order-preserving)
    /// before it would overflow, so 32 bits suffice forever.
    seq: u32,
    /// The table slot pointing here, so heap moves re-point it directly.
    slot: u32,
}

impl<T> HeapEntry<T> {
    /// Heap order: ready time, then arrival, as one integer so that
    /// comparing siblings compiles to flag arithmetic, not branches.
    #[inline]
    fn key(&self) -> u128 {
        (u128::from(self.ready_at.as_nanos()) << 32) | u128::from(self.seq)
    }
}

/// The heap as [`Positions`] for the table: entries remember their slots.
struct Heap<'a, T>(&'a mut [HeapEntry<T>]);

impl<T: Hash> Positions for Heap<'_, T> {
    fn hash_at(&self, pos: usize) -> u32 {
        self.0.get(pos).map_or(0, |e| hash_of(&e.item))
    }
    fn placed(&mut self, pos: usize, slot: usize) {
        if let Some(e) = self.0.get_mut(pos) {
            e.slot = to_u32(slot);
        }
    }
}

/// Table slots and arrival ranks fit in `u32` (the table would need 16 GB
/// first); saturate rather than wrap.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Children per node: a 4-ary heap is half as deep as a binary one, and
/// each level moves one entry, so a pop re-points half as many table slots.
const ARITY: usize = 4;

/// Min-heap of waiting items with at most one entry per key.
#[derive(Clone)]
pub(crate) struct Waiting<T> {
    heap: Vec<HeapEntry<T>>,
    table: IndexTable,
    next_seq: u32,
}

impl<T> Default for Waiting<T> {
    fn default() -> Self {
        Waiting {
            heap: Vec::new(),
            table: IndexTable::default(),
            next_seq: 0,
        }
    }
}

impl<T> Waiting<T> {
    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }

    /// Discards every entry and frees the memory (Go's loop exiting).
    pub(crate) fn clear(&mut self) {
        self.heap = Vec::new();
        self.table = IndexTable::default();
    }

    pub(crate) fn peek_ready_at(&self) -> Option<Time> {
        self.heap.first().map(|e| e.ready_at)
    }
}

impl<T: Eq + Hash + Clone> Waiting<T> {
    fn pos_of(&self, item: &T, hash: u32) -> Option<usize> {
        let slot = self
            .table
            .find(hash, |p| self.heap.get(p).is_some_and(|e| e.item == *item))?;
        self.table.pos_at(slot)
    }

    pub(crate) fn ready_at(&self, item: &T) -> Option<Time> {
        let pos = self.pos_of(item, hash_of(item))?;
        self.heap.get(pos).map(|e| e.ready_at)
    }

    /// Go's `insert`: a new key is pushed; a known key only moves earlier.
    pub(crate) fn insert(&mut self, item: T, ready_at: Time) {
        let hash = hash_of(&item);
        if let Some(pos) = self.pos_of(&item, hash) {
            if self.heap.get(pos).is_some_and(|e| e.ready_at > ready_at) {
                let seq = self.take_seq();
                if let Some(e) = self.heap.get_mut(pos) {
                    e.ready_at = ready_at;
                    e.seq = seq;
                }
                self.sift_up(pos);
            }
            return;
        }
        let len = self.heap.len();
        if self.table.needs_grow(len) {
            self.table.grow(len, &mut Heap(&mut self.heap));
        }
        let seq = self.take_seq();
        let slot = to_u32(self.table.insert(hash, len));
        self.heap.push(HeapEntry {
            item,
            ready_at,
            seq,
            slot,
        });
        self.sift_up(len);
    }

    /// Pops the head if its ready time is ≤ `now` (Go: `!readyAt.After(now)`).
    pub(crate) fn pop_ready(&mut self, now: Time) -> Option<T> {
        let head = self.heap.first()?;
        if head.ready_at > now {
            return None;
        }
        let slot = head.slot as usize;
        self.table.remove(slot, &mut Heap(&mut self.heap));
        let entry = self.heap.swap_remove(0);
        if !self.heap.is_empty() {
            self.sift_down(0);
        }
        Some(entry.item)
    }

    /// Releases every entry whose ready time is ≤ `now` to `emit`, in
    /// (ready time, arrival) order; returns how many.
    ///
    /// Pops one by one while that is cheap. When the owner jumped the clock
    /// over many ready times at once (more than 1/32 of the heap is due),
    /// the rest is released in bulk: partition, sort the due entries,
    /// re-heapify the others and rebuild the index once, instead of
    /// re-pointing the index on every heap move of every pop. The bulk
    /// step is linear in the heap's size, which the pops before it pay for.
    pub(crate) fn drain_ready(&mut self, now: Time, queue: &mut Queue<T>) -> usize {
        let budget = (self.heap.len() / 32).max(64);
        let mut released = 0;
        while released < budget {
            match self.pop_ready(now) {
                Some(item) => {
                    queue.add(item);
                    released += 1;
                }
                None => return released,
            }
        }
        if self.peek_ready_at().is_none_or(|t| t > now) {
            return released;
        }
        // In-place partition: entries still waiting first, due ones last.
        let mut waiting = 0;
        for i in 0..self.heap.len() {
            if self.heap[i].ready_at > now {
                self.heap.swap(waiting, i);
                waiting += 1;
            }
        }
        let mut due = self.heap.split_off(waiting);
        due.sort_unstable_by_key(|e| e.key());
        for pos in (0..self.heap.len().div_ceil(ARITY)).rev() {
            self.sift_down_detached(pos);
        }
        // Hashes come back from the old slots; the table is resized to fit.
        let hashes: Vec<u32> = self
            .heap
            .iter()
            .map(|e| {
                self.table
                    .hash_in(e.slot as usize)
                    .unwrap_or_else(|| hash_of(&e.item))
            })
            .collect();
        let heap = &mut self.heap;
        self.table = IndexTable::from_hashes(&hashes, |pos, slot| heap[pos].slot = to_u32(slot));
        queue.reserve(due.len());
        for entry in due {
            queue.add(entry.item);
            released += 1;
        }
        released
    }

    /// All entries in release order.
    pub(crate) fn sorted(&self) -> Vec<(&T, Time)> {
        let mut all: Vec<&HeapEntry<T>> = self.heap.iter().collect();
        all.sort_unstable_by_key(|e| e.key());
        all.into_iter().map(|e| (&e.item, e.ready_at)).collect()
    }

    fn take_seq(&mut self) -> u32 {
        if self.next_seq == u32::MAX {
            self.renumber();
        }
        let seq = self.next_seq;
        self.next_seq = self.next_seq.saturating_add(1);
        seq
    }

    /// Order-preserving relabelling of arrivals to 0..len, so the heap
    /// stays valid and the counter never wraps.
    fn renumber(&mut self) {
        let mut order: Vec<usize> = (0..self.heap.len()).collect();
        order.sort_unstable_by_key(|&p| self.heap[p].key());
        for (rank, pos) in order.into_iter().enumerate() {
            self.heap[pos].seq = u32::try_from(rank).unwrap_or(u32::MAX);
        }
        self.next_seq = u32::try_from(self.heap.len()).unwrap_or(u32::MAX);
    }

    /// Re-points the table slot of the entry now at `pos`.
    #[inline]
    fn place(&mut self, pos: usize) {
        let slot = self.heap[pos].slot as usize;
        self.table.set(slot, pos);
    }

    /// Sifts the entry at `start` up, re-pointing every entry it passes.
    fn sift_up(&mut self, start: usize) {
        let mut pos = start;
        while pos > 0 {
            let parent = (pos - 1) / ARITY;
            if self.heap[pos].key() >= self.heap[parent].key() {
                break;
            }
            self.heap.swap(pos, parent);
            self.place(pos);
            pos = parent;
        }
        self.place(pos);
    }

    /// The smallest of the children starting at `first`. A full set of
    /// four is a branch-free tournament: which sibling wins is a coin toss
    /// the CPU cannot predict, and sift-downs do this on every level.
    /// Always inlined: as a call its prologue cost as much as the compares.
    #[inline(always)]
    fn min_child(&self, first: usize, len: usize) -> usize {
        if first + ARITY <= len {
            let k = |i: usize| self.heap[i].key();
            let (k0, k1, k2, k3) = (k(first), k(first + 1), k(first + 2), k(first + 3));
            let left = usize::from(k1 < k0);
            let right = 2 + usize::from(k3 < k2);
            let right_wins = usize::from(k2.min(k3) < k0.min(k1));
            first + left + (right - left) * right_wins
        } else {
            (first + 1..len).fold(first, |best, c| {
                if self.heap[c].key() < self.heap[best].key() {
                    c
                } else {
                    best
                }
            })
        }
    }

    /// Heap order only, for `drain_ready`'s heapify; the index is rebuilt after.
    fn sift_down_detached(&mut self, mut pos: usize) {
        let len = self.heap.len();
        loop {
            let first = ARITY * pos + 1;
            if first >= len {
                break;
            }
            let child = self.min_child(first, len);
            if self.heap[child].key() >= self.heap[pos].key() {
                break;
            }
            self.heap.swap(pos, child);
            pos = child;
        }
    }

    /// Sifts the entry at `start` down, re-pointing every entry it passes.
    fn sift_down(&mut self, start: usize) {
        let len = self.heap.len();
        let mut pos = start;
        loop {
            let first = ARITY * pos + 1;
            if first >= len {
                break;
            }
            let child = self.min_child(first, len);
            if self.heap[child].key() >= self.heap[pos].key() {
                break;
            }
            self.heap.swap(pos, child);
            self.place(pos);
            pos = child;
        }
        self.place(pos);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(w: &mut Waiting<usize>, now: u64) -> Vec<usize> {
        let mut out = Vec::new();
        while let Some(i) = w.pop_ready(Time::from_nanos(now)) {
            out.push(i);
        }
        out
    }

    #[test]
    fn pops_in_ready_then_arrival_order() {
        let mut w = Waiting::default();
        for (i, t) in [5u64, 3, 5, 1, 3].into_iter().enumerate() {
            w.insert(i, Time::from_nanos(t));
        }
        assert_eq!(drain(&mut w, 10), vec![3, 1, 4, 0, 2]);
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

    #[test]
    fn many_keys_stay_consistent() {
        let mut w = Waiting::default();
        let mut x = 12345u64;
        for i in 0..20_000usize {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            w.insert(i % 7_000, Time::from_nanos(x >> 50));
        }
        for i in 0..7_000usize {
            assert!(w.ready_at(&i).is_some(), "{i}");
        }
        let sorted: Vec<(usize, Time)> = w.sorted().into_iter().map(|(k, t)| (*k, t)).collect();
        let mut popped = Vec::new();
        while let Some(i) = w.pop_ready(Time::MAX) {
            popped.push(i);
            assert_eq!(w.ready_at(&i), None);
        }
        assert_eq!(popped, sorted.iter().map(|(k, _)| *k).collect::<Vec<_>>());
    }

    #[test]
    fn bulk_release_keeps_order_and_index() {
        let mut w = Waiting::default();
        let mut x = 99u64;
        for i in 0..5_000usize {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            w.insert(i, Time::from_nanos(x >> 54));
        }
        let sorted: Vec<(usize, Time)> = w.sorted().into_iter().map(|(k, t)| (*k, t)).collect();
        let cut = Time::from_nanos(700);
        let mut q = Queue::new(crate::workqueue::FakeClock::new(Time::ZERO));
        let n = w.drain_ready(cut, &mut q);
        let out: Vec<usize> = q.fifo().copied().collect();
        let want: Vec<usize> = sorted
            .iter()
            .filter(|(_, t)| *t <= cut)
            .map(|(k, _)| *k)
            .collect();
        assert!(n > 64 + 5_000 / 32, "the bulk path ran ({n})");
        assert_eq!(out, want);
        for (k, t) in sorted.iter().filter(|(_, t)| *t > cut) {
            assert_eq!(w.ready_at(k), Some(*t));
        }
        let rest: Vec<usize> = sorted
            .iter()
            .filter(|(_, t)| *t > cut)
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(drain(&mut w, u64::MAX), rest);
    }

    #[test]
    fn renumbering_keeps_order() {
        let mut w = Waiting {
            next_seq: u32::MAX - 2,
            ..Waiting::default()
        };
        for i in 0..6usize {
            w.insert(i, Time::from_nanos(7));
        }
        assert!(w.next_seq < 10);
        assert_eq!(drain(&mut w, 7), vec![0, 1, 2, 3, 4, 5]);
    }
}
