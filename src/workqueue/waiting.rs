//! The delaying layer's waiting room: Go's `waitForPriorityQueue` min-heap
//! plus its `knownEntries` de-dup map, as one compact structure.
//!
//! Entries are ordered by (ready time, arrival). Go leaves ties unordered;
//! arrival order makes the port deterministic. Two stores share one
//! [`IndexTable`] from key to place, so that "an earlier request moves the
//! entry up" (Go's `heap.Fix`) costs O(log n):
//! - a *run*: a deque of entries that arrived in order (each new entry not
//!   earlier than the run's last one is appended). Retries with a constant
//!   or growing delay, the common case, arrive this way: they are pushed and
//!   popped in O(1) and never move, so the index is written once per entry;
//! - a 4-ary min-heap for the rest.
//!
//! The head is the smaller of the two heads. Each entry remembers its table
//! slot, so a heap move re-points the index with one store instead of a
//! probe, and the table's slots carry enough of the hash that shifts and
//! rebuilds never re-hash keys. 32 bytes per entry for a 16-byte key, plus
//! 4–8 bytes of table: the waiting room is half of what the seed bug leaks
//! per key.

use std::collections::VecDeque;
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
        entry_key(self.ready_at, self.seq)
    }
}

#[inline]
fn entry_key(ready_at: Time, seq: u32) -> u128 {
    (u128::from(ready_at.as_nanos()) << 32) | u128::from(seq)
}

/// Where a table position points: heap positions are stored as is, run
/// entries as `half + (run_base + index) mod (half - 1)`, where `half` is
/// the table's [`IndexTable::half`]. The table holds at most `half - 1`
/// entries, so both ranges fit its position field and popping the run's
/// front (advancing `run_base`) re-points nothing.
#[derive(Clone, Copy)]
struct Codes {
    half: usize,
    run_base: usize,
}

enum Place {
    Heap(usize),
    Run(usize),
}

impl Codes {
    #[inline]
    fn modulus(self) -> usize {
        self.half.saturating_sub(1).max(1)
    }

    #[inline]
    fn place(self, code: usize) -> Place {
        if code < self.half {
            return Place::Heap(code);
        }
        let c = code - self.half;
        let m = self.modulus();
        Place::Run(if c >= self.run_base {
            c - self.run_base
        } else {
            c + m - self.run_base
        })
    }

    #[inline]
    fn run(self, index: usize) -> usize {
        let c = self.run_base + index;
        let m = self.modulus();
        self.half + if c >= m { c - m } else { c }
    }
}

/// Both stores as [`Positions`] for the table: entries remember their slots.
struct Stores<'a, T> {
    heap: &'a mut [HeapEntry<T>],
    run: &'a mut VecDeque<HeapEntry<T>>,
    codes: Codes,
}

impl<T: Hash> Positions for Stores<'_, T> {
    fn hash_at(&self, code: usize) -> u32 {
        let entry = match self.codes.place(code) {
            Place::Heap(pos) => self.heap.get(pos),
            Place::Run(i) => self.run.get(i),
        };
        entry.map_or(0, |e| hash_of(&e.item))
    }
    fn placed(&mut self, code: usize, slot: usize) {
        let entry = match self.codes.place(code) {
            Place::Heap(pos) => self.heap.get_mut(pos),
            Place::Run(i) => self.run.get_mut(i),
        };
        if let Some(e) = entry {
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

/// Waiting items, at most one entry per key, released in (ready time,
/// arrival) order.
#[derive(Clone)]
pub(crate) struct Waiting<T> {
    heap: Vec<HeapEntry<T>>,
    /// Entries in key order, appended in arrival order.
    run: VecDeque<HeapEntry<T>>,
    /// See [`Codes`].
    run_base: usize,
    table: IndexTable,
    next_seq: u32,
}

impl<T> Default for Waiting<T> {
    fn default() -> Self {
        Waiting {
            heap: Vec::new(),
            run: VecDeque::new(),
            run_base: 0,
            table: IndexTable::default(),
            next_seq: 0,
        }
    }
}

impl<T> Waiting<T> {
    pub(crate) fn len(&self) -> usize {
        self.heap.len() + self.run.len()
    }

    /// Discards every entry and frees the memory (Go's loop exiting).
    pub(crate) fn clear(&mut self) {
        self.heap = Vec::new();
        self.run = VecDeque::new();
        self.run_base = 0;
        self.table = IndexTable::default();
    }

    pub(crate) fn peek_ready_at(&self) -> Option<Time> {
        let heap = self.heap.first().map(|e| e.ready_at);
        let run = self.run.front().map(|e| e.ready_at);
        match (heap, run) {
            (Some(h), Some(r)) => Some(h.min(r)),
            (h, r) => h.or(r),
        }
    }

    #[inline]
    fn codes(&self) -> Codes {
        Codes {
            half: self.table.half(),
            run_base: self.run_base,
        }
    }

    #[inline]
    fn entry(&self, code: usize) -> Option<&HeapEntry<T>> {
        match self.codes().place(code) {
            Place::Heap(pos) => self.heap.get(pos),
            Place::Run(i) => self.run.get(i),
        }
    }

    /// Whether the next entry to release is the run's front.
    #[inline]
    fn head_in_run(&self) -> bool {
        match (self.heap.first(), self.run.front()) {
            (Some(h), Some(r)) => r.key() < h.key(),
            (None, r) => r.is_some(),
            (Some(_), None) => false,
        }
    }
}

impl<T: Eq + Hash + Clone> Waiting<T> {
    fn code_of(&self, item: &T, hash: u32) -> Option<usize> {
        let slot = self
            .table
            .find(hash, |c| self.entry(c).is_some_and(|e| e.item == *item))?;
        self.table.pos_at(slot)
    }

    pub(crate) fn ready_at(&self, item: &T) -> Option<Time> {
        let code = self.code_of(item, hash_of(item))?;
        self.entry(code).map(|e| e.ready_at)
    }

    /// Go's `insert`: a new key is pushed; a known key only moves earlier.
    pub(crate) fn insert(&mut self, item: T, ready_at: Time) {
        let hash = hash_of(&item);
        if let Some(code) = self.code_of(&item, hash) {
            self.move_earlier(code, ready_at);
            return;
        }
        let len = self.len();
        if self.table.needs_grow(len + 1) {
            self.rebuild_table(len + 1);
        }
        let seq = self.take_seq();
        let key = entry_key(ready_at, seq);
        if self.run.back().is_none_or(|last| last.key() < key) {
            let code = self.codes().run(self.run.len());
            let slot = to_u32(self.table.insert(hash, code));
            self.run.push_back(HeapEntry {
                item,
                ready_at,
                seq,
                slot,
            });
        } else {
            let pos = self.heap.len();
            let slot = to_u32(self.table.insert(hash, pos));
            self.heap.push(HeapEntry {
                item,
                ready_at,
                seq,
                slot,
            });
            self.sift_up(pos);
        }
    }

    /// Moves the entry at `code` to `ready_at` if that is earlier, as a
    /// new arrival (Go's `heap.Fix` after lowering readyAt).
    fn move_earlier(&mut self, code: usize, ready_at: Time) {
        if self.entry(code).is_none_or(|e| e.ready_at <= ready_at) {
            return;
        }
        let seq = self.take_seq();
        match self.codes().place(code) {
            Place::Heap(pos) => {
                if let Some(e) = self.heap.get_mut(pos) {
                    e.ready_at = ready_at;
                    e.seq = seq;
                }
                self.sift_up(pos);
            }
            Place::Run(i) => {
                let key = entry_key(ready_at, seq);
                let fits = i == 0 || self.run.get(i - 1).is_some_and(|prev| prev.key() < key);
                if fits {
                    // Still after its predecessor and, being earlier than
                    // before, still before its successor.
                    if let Some(e) = self.run.get_mut(i) {
                        e.ready_at = ready_at;
                        e.seq = seq;
                    }
                    return;
                }
                // The run is cut before the entry; it and everything after
                // it join the heap (each entry does so at most once).
                while self.run.len() > i {
                    let Some(mut e) = self.run.pop_back() else {
                        break;
                    };
                    if self.run.len() == i {
                        e.ready_at = ready_at;
                        e.seq = seq;
                    }
                    let pos = self.heap.len();
                    self.heap.push(e);
                    self.sift_up(pos);
                }
            }
        }
    }

    /// Replaces the table by one sized for `count` entries, filled in
    /// storage order (heap, then run from its front) so that every entry's
    /// slot is written sequentially. Hashes come back from the old slots.
    /// Returns the old table.
    fn rebuild_table(&mut self, count: usize) -> IndexTable {
        let old = std::mem::replace(&mut self.table, IndexTable::with_room_for(count));
        self.run_base = 0;
        let codes = self.codes();
        for (pos, e) in self.heap.iter_mut().enumerate() {
            let hash = old
                .hash_in(e.slot as usize)
                .unwrap_or_else(|| hash_of(&e.item));
            e.slot = to_u32(self.table.insert(hash, pos));
        }
        for (i, e) in self.run.iter_mut().enumerate() {
            let hash = old
                .hash_in(e.slot as usize)
                .unwrap_or_else(|| hash_of(&e.item));
            e.slot = to_u32(self.table.insert(hash, codes.run(i)));
        }
        old
    }

    /// Pops the head if its ready time is ≤ `now` (Go: `!readyAt.After(now)`).
    #[cfg(test)]
    pub(crate) fn pop_ready(&mut self, now: Time) -> Option<T> {
        self.pop_ready_hashed(now).map(|(item, _)| item)
    }

    /// [`pop_ready`](Self::pop_ready) with the item's table hash, which the
    /// queue's index uses too.
    fn pop_ready_hashed(&mut self, now: Time) -> Option<(T, u32)> {
        let in_run = self.head_in_run();
        let head = if in_run {
            self.run.front()?
        } else {
            self.heap.first()?
        };
        if head.ready_at > now {
            return None;
        }
        let slot = head.slot as usize;
        let hash = self
            .table
            .hash_in(slot)
            .unwrap_or_else(|| hash_of(&head.item));
        let codes = self.codes();
        self.table.remove(
            slot,
            &mut Stores {
                heap: &mut self.heap,
                run: &mut self.run,
                codes,
            },
        );
        if in_run {
            let entry = self.run.pop_front()?;
            self.run_base = if self.run_base + 1 >= codes.modulus() {
                0
            } else {
                self.run_base + 1
            };
            return Some((entry.item, hash));
        }
        let entry = self.heap.swap_remove(0);
        if !self.heap.is_empty() {
            self.sift_down(0);
        }
        Some((entry.item, hash))
    }

    /// Releases every entry whose ready time is ≤ `now` to `emit`, in
    /// (ready time, arrival) order; returns how many.
    ///
    /// Pops one by one while that is cheap: run entries always are, heap
    /// entries while few are due. When the owner jumped the clock over
    /// many ready times at once (more than 1/32 of the heap is due, which
    /// a walk of the heap's due part tells before popping anything),
    /// everything due is released in bulk: partition, sort the due
    /// entries, re-heapify the others and rebuild the index once, instead
    /// of re-pointing the index on every heap move of every pop. The bulk
    /// step is linear in the heap's size, which that many pops would cost.
    pub(crate) fn drain_ready(&mut self, now: Time, queue: &mut Queue<T>) -> usize {
        let mut released = 0;
        if !self.heap_due_exceeds(now, (self.heap.len() / 32).max(64)) {
            while let Some((item, hash)) = self.pop_ready_hashed(now) {
                queue.add_hashed(item, hash);
                released += 1;
            }
            return released;
        }
        // The run's due entries are its front, already in order.
        let run_due = self.run.partition_point(|e| e.ready_at <= now);
        let from_run: Vec<HeapEntry<T>> = self.run.drain(..run_due).collect();
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
        // The run's front moved, so the run's codes are rebuilt too.
        let old = self.rebuild_table(self.len());
        queue.reserve(due.len() + from_run.len());
        // Merge the two sorted sequences; hashes come from the old slots.
        let mut add = |e: HeapEntry<T>| {
            let hash = old
                .hash_in(e.slot as usize)
                .unwrap_or_else(|| hash_of(&e.item));
            queue.add_hashed(e.item, hash);
        };
        let mut from_run = from_run.into_iter().peekable();
        for entry in due {
            while let Some(r) = from_run.next_if(|r| r.key() < entry.key()) {
                add(r);
                released += 1;
            }
            add(entry);
            released += 1;
        }
        for r in from_run {
            add(r);
            released += 1;
        }
        released
    }

    /// Whether more than `budget` heap entries are due at `now`. Due
    /// entries form a subtree at the root, so a walk that stops at the
    /// budget visits only them and their children.
    fn heap_due_exceeds(&self, now: Time, budget: usize) -> bool {
        let due = |pos: usize| self.heap.get(pos).is_some_and(|e| e.ready_at <= now);
        if self.heap.len() <= budget || !due(0) {
            return false;
        }
        let mut stack = vec![0usize];
        let mut count = 0;
        while let Some(pos) = stack.pop() {
            count += 1;
            if count > budget {
                return true;
            }
            let first = ARITY * pos + 1;
            stack.extend((first..first + ARITY).filter(|&c| due(c)));
        }
        false
    }

    /// All entries in release order.
    pub(crate) fn sorted(&self) -> Vec<(&T, Time)> {
        let mut all: Vec<&HeapEntry<T>> = self.heap.iter().chain(&self.run).collect();
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
        let heap_len = self.heap.len();
        let mut order: Vec<(u128, usize)> = self
            .heap
            .iter()
            .chain(&self.run)
            .enumerate()
            .map(|(i, e)| (e.key(), i))
            .collect();
        order.sort_unstable();
        for (rank, (_, i)) in order.into_iter().enumerate() {
            let entry = if i < heap_len {
                self.heap.get_mut(i)
            } else {
                self.run.get_mut(i - heap_len)
            };
            if let Some(e) = entry {
                e.seq = to_u32(rank);
            }
        }
        self.next_seq = to_u32(self.len());
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

    /// Sifts the entry at `start` down, re-pointing every entry it passes.
    fn sift_down(&mut self, start: usize) {
        self.sift_down_with::<true>(start);
    }

    /// Heap order only, for `drain_ready`'s heapify; the index is rebuilt after.
    fn sift_down_detached(&mut self, start: usize) {
        self.sift_down_with::<false>(start);
    }

    /// The one sift-down loop; `REPOINT` (resolved at compile time, so the
    /// detached heapify pays nothing for it) re-points the index as it goes.
    #[inline(always)]
    fn sift_down_with<const REPOINT: bool>(&mut self, start: usize) {
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
            if REPOINT {
                self.place(pos);
            }
            pos = child;
        }
        if REPOINT {
            self.place(pos);
        }
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

    /// Every path (run appends, in-place and cut moves in the run, heap
    /// moves, single pops, bulk releases, growth) against a naive model:
    /// a list of (key, ready time, arrival) released in sorted order.
    #[test]
    fn matches_a_naive_model() {
        let mut x = 7u64;
        let mut rnd = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        let mut w: Waiting<u64> = Waiting::default();
        let mut model: Vec<(u64, u64, u64)> = Vec::new();
        let mut seq = 0u64;
        let mut now = 0u64;
        let mut q = Queue::new(crate::workqueue::FakeClock::new(Time::ZERO));
        for round in 0..40_000u64 {
            // Alternating phases: few keys popped often; many keys piling
            // up between rare releases (so drains take the bulk path).
            let big = round % 10_000 >= 5_000;
            let keys = if big { 400 } else { 40 };
            let op = match rnd(100) {
                60..=89 if big => 0,
                op => op,
            };
            match op {
                0..=59 => {
                    let key = rnd(keys);
                    // Mostly constant delays (in order), sometimes random.
                    let delay = if rnd(4) == 0 { rnd(500) } else { 100 };
                    let at = now + 1 + delay;
                    w.insert(key, Time::from_nanos(at));
                    match model.iter_mut().find(|e| e.0 == key) {
                        Some(e) if e.1 > at => *e = (key, at, seq),
                        Some(_) => {}
                        None => model.push((key, at, seq)),
                    }
                    seq += 1;
                }
                60..=89 => {
                    model.sort_by_key(|e| (e.1, e.2));
                    let want = model.first().filter(|e| e.1 <= now).map(|e| e.0);
                    if want.is_some() {
                        model.remove(0);
                    }
                    assert_eq!(w.pop_ready(Time::from_nanos(now)), want, "round {round}");
                }
                90..=92 => {
                    model.sort_by_key(|e| (e.1, e.2));
                    let due = model.iter().take_while(|e| e.1 <= now).count();
                    let want: Vec<u64> = model.drain(..due).map(|e| e.0).collect();
                    assert_eq!(w.drain_ready(Time::from_nanos(now), &mut q), want.len());
                    let got: Vec<u64> = q.fifo().copied().collect();
                    assert_eq!(got, want, "round {round}");
                    while let Some(k) = q.get() {
                        q.done(&k);
                    }
                }
                _ => now += rnd(300),
            }
            assert_eq!(w.len(), model.len());
            let min = model.iter().map(|e| e.1).min().map(Time::from_nanos);
            assert_eq!(w.peek_ready_at(), min);
            if round % 97 == 0 {
                for k in 0..keys {
                    let want = model
                        .iter()
                        .find(|e| e.0 == k)
                        .map(|e| Time::from_nanos(e.1));
                    assert_eq!(w.ready_at(&k), want, "round {round} key {k}");
                }
            }
        }
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
        // Renumbering across both stores: a run (in-order arrivals) and a
        // heap (an earlier arrival).
        w.next_seq = u32::MAX - 3;
        for (i, t) in [(0usize, 10u64), (1, 20), (2, 30), (3, 5), (4, 25), (5, 20)] {
            w.insert(i, Time::from_nanos(t));
        }
        assert!(w.next_seq < 10);
        assert_eq!(drain(&mut w, 100), vec![3, 0, 1, 5, 4, 2]);
    }
}
