//! Compact per-key storage for the two tables that grow with every key a
//! controller ever saw: the limiters' failures map and the delaying heap.
//!
//! In the seed bug (`add_rate_limited` on every event, no `forget`) these
//! tables hold one entry per distinct key forever, so bytes per key are the
//! leak's slope. A std `HashMap` stores key and value inline in buckets whose
//! count doubles at 7/8 load, which costs 2× the entry size just after a
//! doubling. Here entries live densely in a `Vec` (in insertion order, which
//! also makes iteration deterministic on every platform) and the hash table
//! holds only tagged `u32` positions, so the table costs 8–16 bytes per key.
//! Linear probing at most half full, backward-shift deletion: no tombstones.

use std::hash::{BuildHasher, BuildHasherDefault, Hash};

use super::hash::FxHasher;

/// A key's 32-bit table hash, identical natively and in wasm32.
#[inline]
pub(crate) fn hash_of<K: Hash + ?Sized>(key: &K) -> u32 {
    let h = BuildHasherDefault::<FxHasher>::default().hash_one(key);
    (h ^ (h >> 32)) as u32
}

/// What an [`IndexTable`] needs from the storage whose positions it holds.
pub(crate) trait Positions {
    /// The table hash of the key stored at `pos`.
    fn hash_at(&self, pos: usize) -> u32;
    /// The table moved `pos` to `slot` (for storages that remember slots).
    fn placed(&mut self, pos: usize, slot: usize);
    /// Whether `pos` holds an entry (storages with holes say no for those).
    fn is_live(&self, _pos: usize) -> bool {
        true
    }
}

/// Open-addressing table of positions into a dense storage.
///
/// `2^bits` slots, at most half full, linear probing. A slot is 0 when
/// empty, else `tag << bits | (pos + 1)`: the low `bits` hold the position
/// (at most `2^(bits-1)` of them), the spare high bits hold the hash bits
/// above the home index as a tag, so most non-matching slots are skipped
/// without touching the storage.
#[derive(Clone, Debug, Default)]
pub(crate) struct IndexTable {
    slots: Vec<u32>,
    bits: u32,
}

impl IndexTable {
    #[inline]
    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    #[inline]
    fn pos_mask(&self) -> u32 {
        if self.bits >= 32 {
            u32::MAX
        } else {
            (1u32 << self.bits) - 1
        }
    }

    #[inline]
    fn home(&self, hash: u32) -> usize {
        hash as usize & self.mask()
    }

    #[inline]
    fn tag(&self, hash: u32) -> u32 {
        if self.bits >= 32 {
            0
        } else {
            (hash >> self.bits) << self.bits
        }
    }

    #[inline]
    fn encode(&self, hash: u32, pos: usize) -> u32 {
        self.tag(hash) | (to_u32(pos + 1) & self.pos_mask())
    }

    #[inline]
    fn decode(&self, v: u32) -> usize {
        ((v & self.pos_mask()) as usize).wrapping_sub(1)
    }

    /// The slot holding a position for which `eq` is true, if any; `eq` is
    /// only asked about positions whose tag matches.
    #[inline]
    pub(crate) fn find(&self, hash: u32, mut eq: impl FnMut(usize) -> bool) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let tag = self.tag(hash);
        let tag_mask = !self.pos_mask();
        let mut i = self.home(hash);
        loop {
            let v = self.slots[i];
            if v == 0 {
                return None;
            }
            if v & tag_mask == tag && eq(self.decode(v)) {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The slot currently holding `pos` (whose key hashes to `hash`).
    #[inline]
    pub(crate) fn find_pos(&self, hash: u32, pos: usize) -> Option<usize> {
        self.find(hash, |p| p == pos)
    }

    /// The position held in `slot`.
    #[inline]
    pub(crate) fn pos_at(&self, slot: usize) -> Option<usize> {
        match self.slots.get(slot) {
            Some(&v) if v != 0 => Some(self.decode(v)),
            _ => None,
        }
    }

    /// Whether a table holding `len` positions must grow before one more.
    #[inline]
    pub(crate) fn needs_grow(&self, len: usize) -> bool {
        (len + 1) * 2 > self.slots.len()
    }

    /// Rebuilds the table for `len + 1` positions, re-inserting positions
    /// `0..len` of `store`.
    pub(crate) fn grow(&mut self, len: usize, store: &mut impl Positions) {
        let mut bits = self.bits.max(3);
        while (len + 1) * 2 > (1usize << bits) {
            bits += 1;
        }
        self.bits = bits;
        self.slots = vec![0; 1usize << bits];
        for pos in 0..len {
            if store.is_live(pos) {
                let slot = self.insert(store.hash_at(pos), pos);
                store.placed(pos, slot);
            }
        }
    }

    /// Rebuilds the table from scratch for exactly `len` positions of
    /// `store` (after a bulk removal), shrinking it if it is oversized.
    pub(crate) fn rebuild(&mut self, len: usize, store: &mut impl Positions) {
        self.bits = 0;
        self.slots = Vec::new();
        if len > 0 {
            self.grow(len, store);
        }
    }

    /// Puts `pos` in the first free slot from `hash`'s home; returns the slot.
    /// The caller has ensured capacity (`needs_grow` / `grow`).
    #[inline]
    pub(crate) fn insert(&mut self, hash: u32, pos: usize) -> usize {
        let mask = self.mask();
        let mut i = self.home(hash);
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = self.encode(hash, pos);
        i
    }

    /// Points `slot` (which keeps its tag) at `pos`.
    #[inline]
    pub(crate) fn set(&mut self, slot: usize, pos: usize) {
        let pos_mask = self.pos_mask();
        if let Some(v) = self.slots.get_mut(slot) {
            *v = (*v & !pos_mask) | (to_u32(pos + 1) & pos_mask);
        }
    }

    /// Empties `slot`, shifting later entries of the probe run back so no
    /// tombstone is needed.
    pub(crate) fn remove(&mut self, slot: usize, store: &mut impl Positions) {
        if slot >= self.slots.len() {
            return;
        }
        let mask = self.mask();
        let mut hole = slot;
        let mut i = (slot + 1) & mask;
        loop {
            let v = self.slots[i];
            if v == 0 {
                break;
            }
            let pos = self.decode(v);
            let home = self.home(store.hash_at(pos));
            // Move it back if its home is not cyclically within (hole, i].
            if (i.wrapping_sub(home) & mask) >= (i.wrapping_sub(hole) & mask) {
                self.slots[hole] = v;
                store.placed(pos, hole);
                hole = i;
            }
            i = (i + 1) & mask;
        }
        self.slots[hole] = 0;
    }
}

/// Positions fit in `u32` (4 billion entries would need ~100 GB of entries
/// first); saturate rather than wrap if that were ever exceeded.
#[inline]
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The map's entries as [`Positions`]: hashes recomputed from the keys,
/// holes skipped, slots not remembered.
struct Dense<'a, K, V>(&'a [Option<(K, V)>]);

impl<K: Hash, V> Positions for Dense<'_, K, V> {
    fn hash_at(&self, pos: usize) -> u32 {
        match self.0.get(pos) {
            Some(Some((k, _))) => hash_of(k),
            _ => 0,
        }
    }
    fn placed(&mut self, _pos: usize, _slot: usize) {}
    fn is_live(&self, pos: usize) -> bool {
        matches!(self.0.get(pos), Some(Some(_)))
    }
}

/// A dense map from keys to values (the failures map).
///
/// A removal leaves a hole that the next insertion reuses, so no other
/// entry moves (nothing to re-hash) and iteration order, first-insertion
/// order with reused holes, is the same on every platform.
#[derive(Clone, Debug)]
pub(crate) struct CompactMap<K, V> {
    entries: Vec<Option<(K, V)>>,
    free: Vec<u32>,
    table: IndexTable,
}

impl<K, V> Default for CompactMap<K, V> {
    fn default() -> Self {
        CompactMap {
            entries: Vec::new(),
            free: Vec::new(),
            table: IndexTable::default(),
        }
    }
}

impl<K: Eq + Hash + Clone, V> CompactMap<K, V> {
    pub(crate) fn len(&self) -> usize {
        self.entries.len() - self.free.len()
    }

    /// Entries in storage order: first insertion, holes left by removals
    /// reused by later insertions. The same on every platform.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.entries
            .iter()
            .filter_map(|e| e.as_ref().map(|(k, v)| (k, v)))
    }

    fn slot_of(&self, key: &K, hash: u32) -> Option<usize> {
        self.table.find(
            hash,
            |pos| matches!(self.entries.get(pos), Some(Some((k, _))) if k == key),
        )
    }

    fn pos_of(&self, key: &K) -> Option<usize> {
        let slot = self.slot_of(key, hash_of(key))?;
        self.table.pos_at(slot)
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        let pos = self.pos_of(key)?;
        match self.entries.get(pos) {
            Some(Some((_, v))) => Some(v),
            _ => None,
        }
    }

    /// The value for `key`, inserting `init` under a clone of `key` first
    /// if absent; the flag tells whether it was inserted.
    #[inline]
    pub(crate) fn get_or_insert(&mut self, key: &K, init: V) -> (&mut V, bool) {
        let hash = hash_of(key);
        let found = self
            .slot_of(key, hash)
            .and_then(|slot| self.table.pos_at(slot));
        let (pos, inserted) = match found {
            Some(pos) => (pos, false),
            None => {
                // The table is sized for every position ever used, so a
                // reused hole always fits; a new position may need growth.
                let pos = match self.free.pop() {
                    Some(hole) => hole as usize,
                    None => {
                        let len = self.entries.len();
                        if self.table.needs_grow(len) {
                            self.table.grow(len, &mut Dense(&self.entries));
                        }
                        self.entries.push(None);
                        len
                    }
                };
                self.table.insert(hash, pos);
                (pos, true)
            }
        };
        // `pos` is a live entry found in the table, or the hole just claimed
        // for this key (filled here).
        let (_, value) = self.entries[pos].get_or_insert_with(|| (key.clone(), init));
        (value, inserted)
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let hash = hash_of(key);
        let slot = self.slot_of(key, hash)?;
        let pos = self.table.pos_at(slot)?;
        self.table.remove(slot, &mut Dense(&self.entries));
        let (_, value) = self.entries.get_mut(pos)?.take()?;
        self.free.push(u32::try_from(pos).unwrap_or(u32::MAX));
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_get_remove_many() {
        let mut m: CompactMap<u64, u64> = CompactMap::default();
        for k in 0..5_000u64 {
            let (v, inserted) = m.get_or_insert(&k, k * 2);
            assert!(inserted);
            assert_eq!(*v, k * 2);
        }
        let (v, inserted) = m.get_or_insert(&7, 0);
        assert!(!inserted);
        *v += 1;
        assert_eq!(m.get(&7), Some(&15));
        for k in (0..5_000u64).step_by(3) {
            assert_eq!(m.remove(&k), Some(if k == 7 { 15 } else { k * 2 }));
            assert_eq!(m.remove(&k), None);
        }
        for k in 0..5_000u64 {
            let want = if k % 3 == 0 {
                None
            } else if k == 7 {
                Some(15)
            } else {
                Some(k * 2)
            };
            assert_eq!(m.get(&k).copied(), want, "{k}");
        }
        assert_eq!(m.len(), 5_000 - 1_667);
        assert_eq!(m.iter().count(), m.len());
    }

    #[test]
    fn iteration_is_storage_order() {
        let mut m: CompactMap<&str, u8> = CompactMap::default();
        for k in ["c", "a", "b"] {
            m.get_or_insert(&k, 0);
        }
        let keys: Vec<_> = m.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec!["c", "a", "b"]);
        m.remove(&"c");
        let keys: Vec<_> = m.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec!["a", "b"]);
        m.get_or_insert(&"d", 0);
        let keys: Vec<_> = m.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec!["d", "a", "b"], "the hole is reused");
    }
}
