//! The live objects: key → incarnation.
//!
//! Nearly every step asks whether a key's object exists (is an agenda entry
//! stale, did a reconcile find its object, is a failures entry an orphan),
//! while objects are created and deleted a few times a second at most. A
//! sorted tree answered those questions with a dozen string comparisons
//! each; a hash index answers with one, and the sorted set beside it keeps
//! the order the relist, the views and the failures merge iterate in.
//! Incarnations are unique, so whether an agenda entry is stale (the check
//! every step makes) is a lookup of its incarnation, a single integer.

use crate::sim::Key;
use crate::workqueue::hash::FoldBuild;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Live objects with their incarnations, hashed for lookups and sorted for
/// iteration (all three views always agree).
#[derive(Clone, Debug, Default)]
pub(crate) struct Objects {
    incarnation: HashMap<Key, u64, FoldBuild>,
    sorted: BTreeSet<Key>,
    live: HashSet<u64, FoldBuild>,
}

impl Objects {
    /// Whether incarnation `inc` is alive: the object it was issued to
    /// exists and has not been deleted and re-created since.
    pub(crate) fn is_live(&self, inc: u64) -> bool {
        self.live.contains(&inc)
    }

    /// The incarnation of `key`'s object, if it exists.
    pub(crate) fn incarnation(&self, key: &Key) -> Option<u64> {
        self.incarnation.get(key).copied()
    }

    /// Whether `key`'s object exists.
    pub(crate) fn contains_key(&self, key: &Key) -> bool {
        self.incarnation.contains_key(key)
    }

    /// Makes `key` exist as incarnation `inc` (replacing an older one).
    pub(crate) fn insert(&mut self, key: Key, inc: u64) {
        match self.incarnation.insert(key.clone(), inc) {
            Some(old) => {
                self.live.remove(&old);
            }
            None => {
                self.sorted.insert(key);
            }
        }
        self.live.insert(inc);
    }

    /// Deletes `key`'s object: its incarnation, if it existed.
    pub(crate) fn remove(&mut self, key: &Key) -> Option<u64> {
        let inc = self.incarnation.remove(key)?;
        self.sorted.remove(key);
        self.live.remove(&inc);
        Some(inc)
    }

    /// Number of live objects.
    pub(crate) fn len(&self) -> usize {
        self.incarnation.len()
    }

    /// Live keys, sorted.
    pub(crate) fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + '_ {
        self.sorted.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_views_hold_the_same_keys() {
        let mut o = Objects::default();
        o.insert(Key::from("b"), 1);
        o.insert(Key::from("a"), 2);
        o.insert(Key::from("b"), 3);
        assert_eq!(o.len(), 2);
        assert!(!o.is_live(1) && o.is_live(2) && o.is_live(3));
        assert_eq!(o.keys().map(|k| &**k).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(o.remove(&Key::from("a")), Some(2));
        assert_eq!(o.remove(&Key::from("a")), None);
        assert!(!o.contains_key(&Key::from("a")) && !o.is_live(2));
        assert_eq!(o.keys().count(), 1);
    }
}
