//! A tiny, deterministic, platform-independent hasher for the queue's maps.
//!
//! std's default SipHash is DoS-resistant but costs ~20 ns per short key,
//! which would dominate an Add+Get+Done cycle. The queue only ever hashes keys
//! its own owner chose, so a non-cryptographic hash is enough. This one
//! reads 16 bytes per step and mixes them with one 64×64→128-bit multiply
//! whose halves are folded together (the "folded multiply" of wyhash and
//! foldhash): a 28-byte object key takes two dependent multiplies where a
//! word-at-a-time FxHash chain takes four. It always works on 64-bit words
//! (`usize` is widened), so a key hashes identically natively and in wasm32.

use std::hash::{BuildHasherDefault, Hasher};

/// The hasher as a map's `BuildHasher`: deterministic (no random seed), so
/// a map of keys costs the same on every run and platform.
pub(crate) type FoldBuild = BuildHasherDefault<FoldHasher>;

/// Odd constants with well-spread bits (digits of pi), one per input lane.
const K0: u64 = 0x243f_6a88_85a3_08d3;
const K1: u64 = 0x1319_8a2e_0370_7344;
const K2: u64 = 0xa409_3822_299f_31d0;
const K3: u64 = 0x082e_fa98_ec4e_6c89;

/// The high and low halves of `a·b` xor-ed: every output bit depends on
/// every input bit of both factors.
#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

#[inline(always)]
fn word(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// Folded-multiply hasher, written for this crate.
#[derive(Clone, Copy, Default)]
pub(crate) struct FoldHasher {
    hash: u64,
}

impl Hasher for FoldHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let (a, b) = if n >= 8 {
            // Every 16-byte block but the last, then the last 16 bytes
            // (overlapping the previous block when n is not a multiple).
            let mut at = 0;
            while n - at > 16 {
                self.hash = fold(self.hash ^ word(bytes, at) ^ K2, word(bytes, at + 8) ^ K3);
                at += 16;
            }
            if n > 16 {
                (word(bytes, n - 16), word(bytes, n - 8))
            } else {
                (word(bytes, 0), word(bytes, n - 8))
            }
        } else if n >= 4 {
            let half = |at: usize| {
                bytes
                    .get(at..at + 4)
                    .and_then(|w| <[u8; 4]>::try_from(w).ok())
                    .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
            };
            (half(0), half(n - 4))
        } else {
            let at = |i: usize| bytes.get(i).copied().map_or(0, u64::from);
            match n {
                0 => (0, 0),
                _ => ((at(0) << 16) | (at(n / 2) << 8) | at(n - 1), 0),
            }
        };
        self.hash = fold(self.hash ^ a ^ K0, b ^ K1 ^ n as u64);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.hash = fold(self.hash ^ i ^ K2, K1);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // Every step already folded a full product: no final avalanche.
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault, Hash};

    fn hash_of<T: Hash>(t: &T) -> u64 {
        BuildHasherDefault::<FoldHasher>::default().hash_one(t)
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
