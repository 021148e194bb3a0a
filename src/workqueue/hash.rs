//! A tiny, deterministic, platform-independent hasher for the queue's maps.
//!
//! std's default SipHash is DoS-resistant but costs ~20 ns per short key,
//! which would dominate an Add+Get+Done cycle. The queue only ever hashes keys
//! its own owner chose, so the multiply-rotate scheme popularised by rustc's
//! FxHash is enough. It always works on 64-bit words (`usize` is widened), so a
//! key hashes identically natively and in wasm32.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Word-at-a-time multiply-rotate hasher (FxHash-style), written for this crate.
#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, mut bytes: &[u8]) {
        while let Some((chunk, rest)) = bytes.split_first_chunk::<8>() {
            self.mix(u64::from_le_bytes(*chunk));
            bytes = rest;
        }
        if let Some((chunk, rest)) = bytes.split_first_chunk::<4>() {
            self.mix(u64::from(u32::from_le_bytes(*chunk)));
            bytes = rest;
        }
        for &b in bytes {
            self.mix(u64::from(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // A final avalanche so that hashbrown's top-7-bit tags are well spread
        // even for small integer keys.
        let h = self.hash;
        (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 32)
    }
}

/// The map type every per-item table in this module uses.
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash_of<T: Hash>(t: &T) -> u64 {
        BuildHasherDefault::<FxHasher>::default().hash_one(t)
    }

    #[test]
    fn equal_keys_hash_equal_and_distinct_keys_differ() {
        assert_eq!(hash_of(&"ns/pod-1"), hash_of(&String::from("ns/pod-1")));
        assert_ne!(hash_of(&"ns/pod-1"), hash_of(&"ns/pod-2"));
        assert_ne!(hash_of(&1u64), hash_of(&2u64));
    }

    #[test]
    fn usize_hashes_like_u64_on_every_platform() {
        assert_eq!(hash_of(&7usize), hash_of(&7u64));
    }
}
