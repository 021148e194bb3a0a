//! Compact per-key storage for the two tables that grow with every key a
//! controller ever saw: the limiters' failures map and the delaying heap.
//!
//! In the seed bug (`add_rate_limited` on every event, no `forget`) these
//! tables hold one entry per distinct key forever, so bytes per key are the
//! leak's slope. A std `HashMap` stores key and value inline in buckets whose
//! count doubles at 7/8 load, which costs 2× the entry size just after a
//! doubling. Here entries live densely in a `Vec` (in insertion order, which
//! also makes iteration deterministic on every platform) and the hash table
//! holds only `u32` slots, so the table costs 8–16 bytes per key.
//! Linear probing at most half full, backward-shift deletion: no tombstones.
//!
//! A slot packs the position, the entry's probe distance from its home
//! slot and the hash bits above the home index (a tag). Home plus tag give
//! back the key's whole table hash, so deletions and growth never re-hash
//! a key (which means chasing its heap allocation) and the storages need
//! not keep hashes beside their entries.

use std::hash::{BuildHasher, BuildHasherDefault, Hash};

use super::hash::FoldHasher;

/// Bits of a key's table hash: 32 minus [`DISP_BITS`], so home, tag and
/// displacement always fit one `u32` slot together with the position.
const HASH_BITS: u32 = 27;

/// Bits of a slot's probe-distance field. At most half full, linear probes
/// are almost always shorter than 31; a longer one is stored as "unknown"
/// (all ones) and its home recomputed from the key when needed.
const DISP_BITS: u32 = 32 - HASH_BITS;

/// A key's table hash ([`HASH_BITS`] bits), identical natively and in wasm32.
#[inline]
pub(crate) fn hash_of<K: Hash + ?Sized>(key: &K) -> u32 {
    let h = BuildHasherDefault::<FoldHasher>::default().hash_one(key);
    ((h ^ (h >> 32)) as u32) & low_mask(HASH_BITS)
}

/// The lowest `n` bits set (all 32 for `n >= 32`).
#[inline]
fn low_mask(n: u32) -> u32 {
    1u32.checked_shl(n).map_or(u32::MAX, |b| b - 1)
}

/// What an [`IndexTable`] needs from the storage whose positions it holds.
pub(crate) trait Positions {
    /// The table hash of the key stored at `pos`: asked only for a slot
    /// whose probe distance did not fit its field.
    fn hash_at(&self, pos: usize) -> u32;
    /// The table moved `pos` to `slot` (for storages that remember slots).
    fn placed(&mut self, pos: usize, slot: usize);
}

/// Open-addressing table of positions into a dense storage.
///
/// `2^bits` slots, at most half full, linear probing. A slot is 0 when
/// empty, else `tag << (bits + DISP_BITS) | disp << bits | (pos + 1)`: the
/// low `bits` hold the position (at most `2^(bits-1)` of them), `disp` is
/// the distance from the key's home slot, and the tag is the hash above
/// the home index, so most non-matching slots are skipped without touching
/// the storage. (Past 2^27 slots the tag is empty and `disp` narrower.)
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
        low_mask(self.bits)
    }

    /// The "unknown distance" value, which is also the field's mask.
    #[inline]
    fn disp_max(&self) -> u32 {
        low_mask(DISP_BITS.min(32u32.saturating_sub(self.bits)))
    }

    #[inline]
    fn tag_shift(&self) -> u32 {
        self.bits + DISP_BITS.min(32u32.saturating_sub(self.bits))
    }

    #[inline]
    fn tag(&self, hash: u32) -> u32 {
        let above = hash.checked_shr(self.bits).unwrap_or(0);
        above.checked_shl(self.tag_shift()).unwrap_or(0)
    }

    #[inline]
    fn encode(&self, hash: u32, disp: usize, pos: usize) -> u32 {
        self.tag(hash) | self.disp_field(disp) | (to_u32(pos + 1) & self.pos_mask())
    }

    #[inline]
    fn disp_field(&self, disp: usize) -> u32 {
        let max = self.disp_max();
        (to_u32(disp).min(max)).checked_shl(self.bits).unwrap_or(0)
    }

    #[inline]
    fn decode(&self, v: u32) -> usize {
        ((v & self.pos_mask()) as usize).wrapping_sub(1)
    }

    /// The probe distance stored in `v`, `None` if it did not fit.
    #[inline]
    fn disp_of(&self, v: u32) -> Option<usize> {
        let max = self.disp_max();
        let d = v.checked_shr(self.bits).unwrap_or(0) & max;
        (d != max).then_some(d as usize)
    }

    /// The table hash of the key in `slot`, from its home and tag; `None`
    /// for an empty slot or one whose distance did not fit.
    #[inline]
    pub(crate) fn hash_in(&self, slot: usize) -> Option<u32> {
        let v = *self.slots.get(slot).filter(|&&v| v != 0)?;
        let home = slot.wrapping_sub(self.disp_of(v)?) & self.mask();
        let tag = v.checked_shr(self.tag_shift()).unwrap_or(0);
        Some(home as u32 | tag.checked_shl(self.bits).unwrap_or(0))
    }

    /// The slot holding a position for which `eq` is true, if any; `eq` is
    /// only asked about positions whose tag and distance match.
    #[inline]
    pub(crate) fn find(&self, hash: u32, mut eq: impl FnMut(usize) -> bool) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let tag = self.tag(hash);
        let tag_mask = !low_mask(self.tag_shift());
        let disp_max = self.disp_max() as usize;
        let mut i = hash as usize & mask;
        let mut disp = 0usize;
        loop {
            let v = self.slots[i];
            if v == 0 {
                return None;
            }
            if v & tag_mask == tag {
                let field = v.checked_shr(self.bits).unwrap_or(0) as usize & disp_max;
                if field == disp.min(disp_max) && eq(self.decode(v)) {
                    return Some(i);
                }
            }
            i = (i + 1) & mask;
            disp += 1;
        }
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

    /// Rebuilds the table with room for `len + 1` positions, keeping every
    /// position it holds; the store hears where each one went.
    pub(crate) fn grow(&mut self, len: usize, store: &mut impl Positions) {
        let mut bits = self.bits.max(3);
        while (len + 1) * 2 > (1usize << bits) {
            bits += 1;
        }
        let mut grown = IndexTable {
            slots: vec![0; 1usize << bits],
            bits,
        };
        for (slot, &v) in self.slots.iter().enumerate() {
            if v != 0 {
                let pos = self.decode(v);
                let hash = self.hash_in(slot).unwrap_or_else(|| store.hash_at(pos));
                let to = grown.insert(hash, pos);
                store.placed(pos, to);
            }
        }
        *self = grown;
    }

    /// An empty table with room for `n` positions (and one more).
    pub(crate) fn with_room_for(n: usize) -> Self {
        let mut table = IndexTable::default();
        if n > 0 {
            table.grow(n, &mut NoPositions);
        }
        table
    }

    /// Puts `pos` in the first free slot from `hash`'s home; returns the slot.
    /// The caller has ensured capacity (`needs_grow` / `grow`).
    #[inline]
    pub(crate) fn insert(&mut self, hash: u32, pos: usize) -> usize {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        let mut disp = 0;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
            disp += 1;
        }
        self.slots[i] = self.encode(hash, disp, pos);
        i
    }

    /// Points `slot` (which keeps its tag and distance) at `pos`.
    #[inline]
    pub(crate) fn set(&mut self, slot: usize, pos: usize) {
        let pos_mask = self.pos_mask();
        if let Some(v) = self.slots.get_mut(slot) {
            *v = (*v & !pos_mask) | (to_u32(pos + 1) & pos_mask);
        }
    }

    /// Empties `slot`, shifting later entries of the probe run back so no
    /// tombstone is needed. Distances come from the slots themselves; the
    /// store is asked for a hash only when one did not fit.
    pub(crate) fn remove(&mut self, slot: usize, store: &mut impl Positions) {
        if slot >= self.slots.len() {
            return;
        }
        let mask = self.mask();
        let disp_field = self.disp_max().checked_shl(self.bits).unwrap_or(0);
        let mut hole = slot;
        let mut i = (slot + 1) & mask;
        loop {
            let v = self.slots[i];
            if v == 0 {
                break;
            }
            let pos = self.decode(v);
            let disp = match self.disp_of(v) {
                Some(d) => d,
                None => i.wrapping_sub(store.hash_at(pos) as usize) & mask,
            };
            let gap = i.wrapping_sub(hole) & mask;
            // Move it back unless its home is cyclically within (hole, i].
            if disp >= gap {
                self.slots[hole] = (v & !disp_field) | self.disp_field(disp - gap);
                store.placed(pos, hole);
                hole = i;
            }
            i = (i + 1) & mask;
        }
        self.slots[hole] = 0;
    }
}

/// A store that remembers nothing, for tables filled by hand.
struct NoPositions;

impl Positions for NoPositions {
    fn hash_at(&self, _pos: usize) -> u32 {
        0
    }
    fn placed(&mut self, _pos: usize, _slot: usize) {}
}

/// Positions fit in `u32` (4 billion entries would need ~100 GB of entries
/// first); saturate rather than wrap if that were ever exceeded.
#[inline]
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The map's entries as [`Positions`]: hashes recomputed from the keys
/// (only for a slot whose distance did not fit), slots not remembered.
struct Dense<'a, K, V>(&'a [Option<(K, V)>]);

impl<K: Hash, V> Positions for Dense<'_, K, V> {
    fn hash_at(&self, pos: usize) -> u32 {
        match self.0.get(pos) {
            Some(Some((k, _))) => hash_of(k),
            _ => 0,
        }
    }
    fn placed(&mut self, _pos: usize, _slot: usize) {}
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
        // An empty map (a limiter whose keys were all forgotten) answers
        // without hashing the key.
        if self.len() == 0 {
            return None;
        }
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
        if self.len() == 0 {
            return None;
        }
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

    /// Keys that all hash alike probe past the 5-bit distance field: the
    /// saturated slots must still be found, shifted back and re-homed.
    #[derive(Clone, Debug, PartialEq, Eq)]
    struct Collide(u32);

    impl Hash for Collide {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            state.write_u8(7);
        }
    }

    #[test]
    fn colliding_keys_survive_long_probes() {
        let mut m: CompactMap<Collide, u32> = CompactMap::default();
        for k in 0..100 {
            assert!(m.get_or_insert(&Collide(k), k).1);
        }
        for k in (0..100).step_by(2) {
            assert_eq!(m.remove(&Collide(k)), Some(k));
        }
        for k in 100..300 {
            assert!(
                m.get_or_insert(&Collide(k), k).1,
                "grows past saturated slots"
            );
        }
        for k in 0..300 {
            let want = (k % 2 == 1 || k >= 100).then_some(k);
            assert_eq!(m.get(&Collide(k)).copied(), want, "{k}");
        }
    }

    #[test]
    fn slots_give_back_the_hash() {
        let mut t = IndexTable::default();
        let hashes: Vec<u32> = (0..1000u32).map(|k| hash_of(&k)).collect();
        for (pos, &h) in hashes.iter().enumerate() {
            if t.needs_grow(pos) {
                t.grow(pos, &mut NoPositions);
            }
            let slot = t.insert(h, pos);
            assert_eq!(t.hash_in(slot), Some(h));
        }
        for (pos, &h) in hashes.iter().enumerate() {
            let slot = t.find(h, |p| p == pos).expect("present");
            assert_eq!(t.pos_at(slot), Some(pos));
            assert_eq!(t.hash_in(slot), Some(h), "survives growth");
        }
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
