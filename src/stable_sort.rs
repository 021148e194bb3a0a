//! One sort for the whole program (below the layers: the workqueue, the simulation and the UI
//! all use it).
//!
//! The standard library's sorts are generic over the element type and the comparator, and
//! each instance costs several KB of wasm. Every sort off the hot paths goes through one
//! instance instead: it sorts indices with a `dyn` comparator, then moves the elements into
//! that order. The result is exactly what `slice::sort_by` gives, and what `sort_unstable_by`
//! gives whenever no two elements compare equal (or equal ones are interchangeable). The
//! per-step sorts of the waiting heap keep their own instance, for speed.

use std::cmp::Ordering;

/// Sorts the indices `order` stably by `cmp` (which compares the items two indices name).
pub fn sort_indices_by(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Sorts `v` stably by `cmp`, like `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices_by(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// Sorts `v` stably by the key `key` gives, like `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let items: Vec<(u8, u32)> = (0..200u32).map(|i| ((i * 7919 % 13) as u8, i)).collect();
        let mut ours = items.clone();
        sort_by_key(&mut ours, |p| p.0);
        let mut std_sorted = items;
        std_sorted.sort_by_key(|p| p.0);
        assert_eq!(ours, std_sorted);
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, u8::cmp);
        assert!(empty.is_empty());
    }
}
