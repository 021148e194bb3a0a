//! A reference for client-go's waiting heap: `container/heap` over
//! (key, ready time) with `delaying_queue.go`'s `insert`, written as Go
//! writes it (pairwise swaps, a linear key lookup), so that the port's
//! compact heap can be checked move for move, ties included.
//!
//! Shared by the waiting room's unit tests (`src/workqueue/waiting.rs`) and
//! the queue's property tests (`tests/workqueue_model_proptest.rs`).
#![allow(dead_code)] // each includer uses a different part

/// The heap in Go's layout: index 0 is the root, children at 2i+1, 2i+2.
#[derive(Clone, Default)]
pub struct GoHeap<K>(Vec<(K, u64)>);

impl<K: Copy + PartialEq> GoHeap<K> {
    /// Go's `Less`: strictly earlier.
    fn less(&self, i: usize, j: usize) -> bool {
        self.0[i].1 < self.0[j].1
    }

    /// `container/heap`'s `up`.
    fn up(&mut self, mut j: usize) {
        while j > 0 {
            let i = (j - 1) / 2;
            if !self.less(j, i) {
                break;
            }
            self.0.swap(i, j);
            j = i;
        }
    }

    /// `container/heap`'s `down`; whether the entry moved.
    fn down(&mut self, i0: usize, n: usize) -> bool {
        let mut i = i0;
        loop {
            let j1 = 2 * i + 1;
            if j1 >= n {
                break;
            }
            let mut j = j1;
            if j1 + 1 < n && self.less(j1 + 1, j1) {
                j = j1 + 1;
            }
            if !self.less(j, i) {
                break;
            }
            self.0.swap(i, j);
            i = j;
        }
        i > i0
    }

    /// client-go's `insert`: push a new key; lower a known key's ready time
    /// (then `heap.Fix`) only if the new one is earlier.
    pub fn insert(&mut self, key: K, at: u64) {
        match self.0.iter().position(|e| e.0 == key) {
            Some(i) if self.0[i].1 > at => {
                self.0[i].1 = at;
                if !self.down(i, self.0.len()) {
                    self.up(i);
                }
            }
            Some(_) => {}
            None => {
                self.0.push((key, at));
                self.up(self.0.len() - 1);
            }
        }
    }

    /// The waiting loop's peek and `heap.Pop`, if the root is due at `now`.
    pub fn pop_ready(&mut self, now: u64) -> Option<K> {
        if self.0.first()?.1 > now {
            return None;
        }
        let n = self.0.len() - 1;
        self.0.swap(0, n);
        self.down(0, n);
        self.0.pop().map(|e| e.0)
    }

    /// Every entry in release order (pops on a copy).
    pub fn release_order(&self) -> Vec<(K, u64)> {
        let mut copy = self.clone();
        std::iter::from_fn(|| {
            let at = copy.peek()?;
            copy.pop_ready(at).map(|k| (k, at))
        })
        .collect()
    }

    /// The root's ready time.
    pub fn peek(&self) -> Option<u64> {
        self.0.first().map(|e| e.1)
    }

    /// The ready time of `key`'s entry.
    pub fn ready_at(&self, key: K) -> Option<u64> {
        self.0.iter().find(|e| e.0 == key).map(|e| e.1)
    }

    /// Entries in heap layout.
    pub fn layout(&self) -> Vec<(K, u64)> {
        self.0.clone()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Discards every entry (the loop exiting at shutdown).
    pub fn clear(&mut self) {
        self.0.clear();
    }
}
