//! The per-item failures map both per-item limiters keep: client-go's
//! `failures map[T]int`, which only `Forget` shrinks (the map the seed bug
//! grows forever).

use std::hash::Hash;

use crate::workqueue::compact::CompactMap;

/// Failures per item, in the compact table that keeps the seed bug at
/// under 80 bytes per key.
#[derive(Clone)]
pub(crate) struct FailureCounts<T> {
    map: CompactMap<T, u64>,
}

impl<T> Default for FailureCounts<T> {
    fn default() -> Self {
        FailureCounts {
            map: CompactMap::default(),
        }
    }
}

impl<T: Eq + Hash + Clone> FailureCounts<T> {
    /// Counts one more failure of `item` (`failures[item]++`, adding the
    /// entry if it is new) and returns the count before it.
    #[inline]
    pub(crate) fn record(&mut self, item: &T) -> u64 {
        let (count, _) = self.map.get_or_insert(item, 0);
        let before = *count;
        *count = before.saturating_add(1);
        before
    }

    /// `delete(failures, item)`.
    pub(crate) fn forget(&mut self, item: &T) {
        self.map.remove(item);
    }

    /// `failures[item]`: 0 for an item without an entry.
    pub(crate) fn count(&self, item: &T) -> u64 {
        self.map.get(item).copied().unwrap_or(0)
    }

    /// Calls `visit` with every entry.
    pub(crate) fn visit(&self, visit: &mut dyn FnMut(&T, u64)) {
        for (item, &count) in self.map.iter() {
            visit(item, count);
        }
    }

    /// `len(failures)`.
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_returns_the_count_before_and_forget_deletes_the_entry() {
        let mut f = FailureCounts::default();
        assert_eq!((f.record(&"a"), f.record(&"a"), f.record(&"b")), (0, 1, 0));
        assert_eq!(
            (f.count(&"a"), f.count(&"b"), f.count(&"c"), f.len()),
            (2, 1, 0, 2)
        );
        f.forget(&"a");
        assert_eq!((f.count(&"a"), f.len()), (0, 1));
        let mut seen = Vec::new();
        f.visit(&mut |k, n| seen.push((*k, n)));
        assert_eq!(seen, vec![("b", 1)]);
    }
}
