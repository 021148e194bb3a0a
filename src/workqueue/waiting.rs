//! The delaying layer's waiting room: Go's `waitForPriorityQueue` min-heap
//! plus its `knownEntries` de-dup map, as one compact structure.
//!
//! Bit-exact with client-go: a binary heap ordered by ready time alone,
//! moved exactly as Go's `container/heap` moves it (`Push`/`up`, `Pop`/`down`,
//! `Fix` when an earlier request lowers a key's ready time, and the waiting
//! loop's peek at index 0). Go's `Less` is a strict `Before`, so entries
//! with equal ready times are released in the order the heap's shape gives
//! them: deterministic, but neither arrival nor key order. The port moves
//! the same entries through the same slots, so every tie is released in
//! exactly Go's order (checked against real client-go by
//! `tests/oracle_replay.rs`).
//!
//! Moves use a hole instead of Go's pairwise swaps: the entry being placed
//! is held aside and each entry it passes moves one level, which leaves
//! every entry in the slot Go's swaps would. An [`IndexTable`] maps keys to
//! heap positions so that the `Fix` costs O(log n); each entry remembers its
//! table slot, so a move re-points the index with one store instead of a
//! probe, and the table's slots carry enough of the hash that shifts and
//! rebuilds never re-hash keys.

use std::hash::Hash;

use super::clock::Time;
use super::compact::{hash_of, IndexTable, Positions};
use super::queue::Queue;

#[derive(Clone)]
struct HeapEntry<T> {
    item: T,
    ready_at: Time,
    /// The table slot pointing here, so heap moves re-point it directly.
    slot: u32,
}

/// The heap as [`Positions`] for the table: entries remember their slots.
struct Stores<'a, T> {
    heap: &'a mut [HeapEntry<T>],
}

impl<T: Hash> Positions for Stores<'_, T> {
    fn hash_at(&self, pos: usize) -> u32 {
        self.heap.get(pos).map_or(0, |e| hash_of(&e.item))
    }
    fn placed(&mut self, pos: usize, slot: usize) {
        if let Some(e) = self.heap.get_mut(pos) {
            e.slot = to_u32(slot);
        }
    }
}

/// Table slots fit in `u32` (the table would need 16 GB first); saturate
/// rather than wrap.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Waiting items, at most one entry per key, released in Go's heap order.
#[derive(Clone)]
pub(crate) struct Waiting<T> {
    heap: Vec<HeapEntry<T>>,
    table: IndexTable,
}

impl<T> Default for Waiting<T> {
    fn default() -> Self {
        Waiting {
            heap: Vec::new(),
            table: IndexTable::default(),
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

    /// The waiting loop's `Peek`: the root's ready time.
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

    /// Go's `insert`: a new key is pushed (`heap.Push`); a known key only
    /// moves earlier (`readyAt` lowered, then `heap.Fix`).
    pub(crate) fn insert(&mut self, item: T, ready_at: Time) {
        let hash = hash_of(&item);
        if let Some(pos) = self.pos_of(&item, hash) {
            if self.heap[pos].ready_at > ready_at {
                self.heap[pos].ready_at = ready_at;
                self.fix(pos);
            }
            return;
        }
        let len = self.len();
        if self.table.needs_grow(len) {
            self.rebuild_table(len + 1);
        }
        let slot = to_u32(self.table.insert(hash, len));
        self.heap.push(HeapEntry {
            item,
            ready_at,
            slot,
        });
        self.up(len);
    }

    /// Replaces the table by one sized for `count` entries, filled in heap
    /// order so that every entry's slot is written sequentially. Hashes come
    /// back from the old slots. Returns the old table.
    fn rebuild_table(&mut self, count: usize) -> IndexTable {
        let old = std::mem::replace(&mut self.table, IndexTable::with_room_for(count));
        for (pos, e) in self.heap.iter_mut().enumerate() {
            let hash = old
                .hash_in(e.slot as usize)
                .unwrap_or_else(|| hash_of(&e.item));
            e.slot = to_u32(self.table.insert(hash, pos));
        }
        old
    }

    /// Pops the root if its ready time is ≤ `now` (Go: `!readyAt.After(now)`).
    #[cfg(test)]
    pub(crate) fn pop_ready(&mut self, now: Time) -> Option<T> {
        self.pop_ready_hashed(now).map(|(item, _)| item)
    }

    /// [`pop_ready`](Self::pop_ready) with the item's table hash, which the
    /// queue's index uses too.
    fn pop_ready_hashed(&mut self, now: Time) -> Option<(T, u32)> {
        let head = self.heap.first()?;
        if head.ready_at > now {
            return None;
        }
        let slot = head.slot as usize;
        let hash = self
            .table
            .hash_in(slot)
            .unwrap_or_else(|| hash_of(&head.item));
        self.table.remove(
            slot,
            &mut Stores {
                heap: &mut self.heap,
            },
        );
        Some((self.pop(), hash))
    }

    /// Go's `heap.Pop`: the last entry takes the root's place and sinks
    /// (`Swap(0, n)`, `down(0, n)`), and the old root leaves; the index is
    /// re-pointed as entries move.
    #[inline]
    fn pop(&mut self) -> T {
        let last = self.heap.len() - 1;
        self.heap.swap(0, last);
        let root = self.heap.pop().map(|e| e.item);
        if !self.heap.is_empty() {
            self.down(0);
        }
        // The heap was not empty (the caller peeked), so there was a root.
        root.unwrap_or_else(|| unreachable!("pop of an empty waiting heap"))
    }

    /// Releases every entry whose ready time is ≤ `now` to `emit`, in Go's
    /// pop order; returns how many.
    ///
    /// When the owner jumped the clock over many ready times at once (more
    /// than 1/32 of the heap is due, which a walk of the heap's due part
    /// tells before popping anything), the same pops run without touching
    /// the index, which is rebuilt once afterwards: the heap moves, and so
    /// the order, are Go's either way.
    pub(crate) fn drain_ready(&mut self, now: Time, queue: &mut Queue<T>) -> usize {
        let mut released = 0;
        if !self.heap_due_exceeds(now, (self.heap.len() / 32).max(64)) {
            while let Some((item, hash)) = self.pop_ready_hashed(now) {
                queue.add_hashed(item, hash);
                released += 1;
            }
            return released;
        }
        // Go's pops, run on (ready time, position) pairs: half the bytes of
        // the entries, so the sinks stay in cache; entries then move once.
        let mut order = self.order_pairs();
        let mut due = Vec::new();
        if order.iter().all(|e| e.0 <= now) {
            // Everything leaves, so no layout is left behind to match Go's:
            // without equal ready times, pop order is sorted order.
            let mut sorted = order.clone();
            sorted.sort_unstable();
            if sorted.windows(2).all(|w| w[0].0 != w[1].0) {
                due = sorted.into_iter().map(|(_, pos)| pos).collect();
                order.clear();
            }
        }
        while order.first().is_some_and(|e| e.0 <= now) {
            if let Some((_, pos)) = pop_pair(&mut order) {
                due.push(pos);
            }
        }
        let mut old: Vec<Option<HeapEntry<T>>> = std::mem::take(&mut self.heap)
            .into_iter()
            .map(Some)
            .collect();
        self.heap = order
            .iter()
            .filter_map(|&(_, pos)| old[pos as usize].take())
            .collect();
        let old_table = self.rebuild_table(self.len());
        queue.reserve(due.len());
        for pos in due {
            if let Some(e) = old[pos as usize].take() {
                let hash = old_table
                    .hash_in(e.slot as usize)
                    .unwrap_or_else(|| hash_of(&e.item));
                queue.add_hashed(e.item, hash);
                released += 1;
            }
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
            stack.extend([2 * pos + 1, 2 * pos + 2].into_iter().filter(|&c| due(c)));
        }
        false
    }

    /// All entries in release order: Go's pop order, ties included.
    ///
    /// Sorting by ready time gives that order unless two entries share a
    /// ready time; then the pops are replayed on a copy of the heap's
    /// (ready time, position) pairs, which is what decides ties.
    pub(crate) fn sorted(&self) -> Vec<(&T, Time)> {
        let mut order = self.order_pairs();
        order.sort_unstable();
        if order.windows(2).any(|w| w[0].0 == w[1].0) {
            let mut heap = self.order_pairs();
            order = std::iter::from_fn(|| pop_pair(&mut heap)).collect();
        }
        order
            .into_iter()
            .map(|(t, pos)| (&self.heap[pos as usize].item, t))
            .collect()
    }

    /// The heap's (ready time, position) pairs in layout order: all that
    /// Go's moves look at.
    fn order_pairs(&self) -> Vec<(Time, u32)> {
        self.heap
            .iter()
            .enumerate()
            .map(|(pos, e)| (e.ready_at, to_u32(pos)))
            .collect()
    }

    /// Go's `heap.Fix` after the entry at `pos` got an earlier ready time:
    /// `if !down(i) { up(i) }`. (Lowering a ready time never moves an entry
    /// down, but the call is Go's, so the port makes it too.)
    fn fix(&mut self, pos: usize) {
        if !self.down(pos) {
            self.up(pos);
        }
    }

    /// Re-points the table slot of the entry now at `pos`.
    #[inline]
    fn place(&mut self, pos: usize) {
        let slot = self.heap[pos].slot as usize;
        self.table.set(slot, pos);
    }

    /// Go's `up(h, j)`: while the entry is strictly before its parent, the
    /// two swap.
    #[inline]
    fn up(&mut self, start: usize) {
        let mut j = start;
        while j > 0 {
            let parent = (j - 1) / 2;
            if self.heap[j].ready_at >= self.heap[parent].ready_at {
                break;
            }
            self.heap.swap(parent, j);
            self.place(j);
            j = parent;
        }
        self.place(j);
    }

    /// Go's `down(h, i0, n)` with `n` the heap's length: the entry swaps
    /// with its smaller child (the right one only if strictly smaller)
    /// while that child is strictly before it. Returns whether it moved.
    #[inline]
    fn down(&mut self, start: usize) -> bool {
        let n = self.heap.len();
        let mut i = start;
        loop {
            let left = 2 * i + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && self.heap[right].ready_at < self.heap[left].ready_at {
                right
            } else {
                left
            };
            if self.heap[child].ready_at >= self.heap[i].ready_at {
                break;
            }
            self.heap.swap(i, child);
            self.place(i);
            i = child;
        }
        if i < n {
            self.place(i);
        }
        i > start
    }
}

/// Go's `heap.Pop` on (ready time, tag) pairs in heap layout: the last
/// pair takes the root's place (`Swap(0, n)`) and sinks (`down(0, n)`) while
/// a child is strictly earlier, the right child only when strictly earlier
/// than the left. A hole instead of swaps: the same slots, half the writes.
fn pop_pair(heap: &mut Vec<(Time, u32)>) -> Option<(Time, u32)> {
    let last = heap.len().checked_sub(1)?;
    heap.swap(0, last);
    let root = heap.pop();
    let n = heap.len();
    if n > 1 {
        let x = heap[0];
        let mut i = 0;
        loop {
            let left = 2 * i + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && heap[right].0 < heap[left].0 {
                right
            } else {
                left
            };
            if heap[child].0 >= x.0 {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }
    root
}

#[cfg(test)]
#[path = "../../tests/support/go_heap.rs"]
mod go_heap;

#[cfg(test)]
mod tests {
    use super::go_heap::GoHeap;
    use super::*;

    fn drain(w: &mut Waiting<usize>, now: u64) -> Vec<usize> {
        let mut out = Vec::new();
        while let Some(i) = w.pop_ready(Time::from_nanos(now)) {
            out.push(i);
        }
        out
    }

    /// Ties leave in Go's `container/heap` order, worked by hand: pushes
    /// 5,3,5,1,3 lay the heap out as [3:1, 1:3, 2:5, 0:5, 4:3]; each pop
    /// moves the last entry to the root and sinks it while a child is
    /// strictly earlier. Arrival order would be 3,1,4,0,2.
    #[test]
    fn pops_in_go_heap_order() {
        let mut w = Waiting::default();
        for (i, t) in [5u64, 3, 5, 1, 3].into_iter().enumerate() {
            w.insert(i, Time::from_nanos(t));
        }
        let sorted: Vec<usize> = w.sorted().into_iter().map(|(k, _)| *k).collect();
        assert_eq!(sorted, vec![3, 4, 1, 2, 0]);
        assert_eq!(drain(&mut w, 10), vec![3, 4, 1, 2, 0]);
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

    /// Every path (pushes, `Fix` moves, single pops, bulk releases, growth)
    /// against [`GoHeap`], with few distinct ready times so ties abound.
    #[test]
    fn matches_go_container_heap() {
        let mut x = 7u64;
        let mut rnd = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        let mut w: Waiting<u64> = Waiting::default();
        let mut model = GoHeap::<u64>::default();
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
                    // Coarse delays: many entries share a ready time.
                    let delay = if rnd(4) == 0 { rnd(5) * 100 } else { 100 };
                    let at = now - now % 50 + 50 + delay;
                    w.insert(key, Time::from_nanos(at));
                    model.insert(key, at);
                }
                60..=89 => {
                    let want = model.pop_ready(now);
                    assert_eq!(w.pop_ready(Time::from_nanos(now)), want, "round {round}");
                }
                90..=92 => {
                    let want: Vec<u64> = std::iter::from_fn(|| model.pop_ready(now)).collect();
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
            assert_eq!(w.peek_ready_at(), model.peek().map(Time::from_nanos));
            if round % 97 == 0 {
                let layout: Vec<(u64, u64)> = w
                    .heap
                    .iter()
                    .map(|e| (e.item, e.ready_at.as_nanos()))
                    .collect();
                assert_eq!(layout, model.layout(), "round {round}: heap layout");
                for k in 0..keys {
                    let want = model.ready_at(k).map(Time::from_nanos);
                    assert_eq!(w.ready_at(&k), want, "round {round} key {k}");
                }
            }
        }
    }

    /// The bulk release of everything due, with and without equal ready
    /// times (sorted fast path, and Go's pops), against [`GoHeap`].
    #[test]
    fn releasing_everything_matches_go_with_and_without_ties() {
        for spread in [1u64 << 40, 700] {
            let mut w = Waiting::default();
            let mut model = GoHeap::<usize>::default();
            let mut x = 31u64;
            for i in 0..5_000usize {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let at = 1 + x % spread;
                w.insert(i, Time::from_nanos(at));
                model.insert(i, at);
            }
            let mut q = Queue::new(crate::workqueue::FakeClock::new(Time::ZERO));
            assert_eq!(w.drain_ready(Time::MAX, &mut q), 5_000);
            let want: Vec<usize> = std::iter::from_fn(|| model.pop_ready(u64::MAX)).collect();
            assert_eq!(
                q.fifo().copied().collect::<Vec<_>>(),
                want,
                "spread {spread}"
            );
            assert_eq!(w.len(), 0);
        }
    }
}
