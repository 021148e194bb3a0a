//! The golden-trace hash: FNV-1a 64 over the event log, built incrementally.
//!
//! A whole simulated day is millions of events; keeping them to hash at the
//! end would cost memory the browser does not have. FNV-1a (Fowler, Noll,
//! Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3) folds each byte
//! in as it comes, is defined byte by byte, and so gives the same value on
//! every platform. It is not cryptographic; it only has to notice a change.

/// Running FNV-1a 64 state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceHash {
    state: u64,
}

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

impl Default for TraceHash {
    fn default() -> Self {
        TraceHash::new()
    }
}

impl TraceHash {
    /// The hash of the empty log.
    pub fn new() -> TraceHash {
        TraceHash {
            state: OFFSET_BASIS,
        }
    }

    /// Folds in raw bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state ^= u64::from(b);
            self.state = self.state.wrapping_mul(PRIME);
        }
    }

    /// Folds in a number as 8 little-endian bytes (fixed width, so that
    /// field boundaries cannot blur).
    pub fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }

    /// Folds in a string, length first (so "ab"+"c" differs from "a"+"bc").
    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }

    /// The hash so far.
    pub fn value(&self) -> u64 {
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_published_fnv1a_vectors() {
        // From the FNV reference test suite (isthe.com/chongo/tech/comp/fnv).
        let cases: &[(&str, u64)] = &[
            ("", 0xcbf29ce484222325),
            ("a", 0xaf63dc4c8601ec8c),
            ("foobar", 0x85944171f73967e8),
        ];
        for &(s, want) in cases {
            let mut h = TraceHash::new();
            h.bytes(s.as_bytes());
            assert_eq!(h.value(), want, "{s:?}");
        }
    }

    #[test]
    fn length_prefix_separates_fields() {
        let (mut a, mut b) = (TraceHash::new(), TraceHash::new());
        a.str("ab");
        a.str("c");
        b.str("a");
        b.str("bc");
        assert_ne!(a.value(), b.value());
    }
}
