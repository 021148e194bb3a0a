//! The golden-trace hash: FNV-1a 64 over the event log, built incrementally.
//!
//! A whole simulated day is millions of events; keeping them to hash at the
//! end would cost memory the browser does not have, so each event is folded
//! in as it is recorded. The function is FNV-1a 64 (Fowler, Noll, Vo; offset
//! basis 0xcbf29ce484222325, prime 0x100000001b3) with one documented
//! change for speed: the loop consumes 64-bit little-endian words instead of
//! octets (`h = (h ^ word) * prime`), so an event costs about ten multiplies
//! instead of eighty. Raw bytes are packed into words little-endian, the last
//! word zero-padded; strings carry their length first. Every step is integer
//! arithmetic defined bit for bit, so the value is the same on every
//! platform. It is not cryptographic; it only has to notice a change.

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

    /// Folds in one 64-bit word.
    #[inline]
    pub fn u64(&mut self, v: u64) {
        self.state = (self.state ^ v).wrapping_mul(PRIME);
    }

    /// Folds in raw bytes, eight to a word (little-endian, the last word
    /// zero-padded).
    #[inline]
    pub fn bytes(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.u64(le_word(c));
        }
        let rest = chunks.remainder().len();
        if rest == 0 {
            return;
        }
        let last = match bytes.len().checked_sub(8) {
            // The last eight bytes, shifted down: the tail, zero-padded,
            // in one load.
            Some(start) => le_word(&bytes[start..]) >> (8 * (8 - rest)),
            None => bytes
                .iter()
                .enumerate()
                .fold(0, |w, (i, &b)| w | u64::from(b) << (8 * i)),
        };
        self.u64(last);
    }

    /// Folds in a string, length first (so "ab"+"c" differs from "a"+"bc").
    #[inline]
    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }

    /// The hash so far.
    pub fn value(&self) -> u64 {
        self.state
    }
}

/// Eight bytes as a little-endian word (`c` is eight bytes long).
#[inline]
fn le_word(c: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(c);
    u64::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_words_follow_the_fnv1a_recurrence() {
        // With one-byte words the word loop is exactly byte-wise FNV-1a, so
        // the published vectors apply (isthe.com/chongo/tech/comp/fnv).
        let cases: &[(&str, u64)] = &[
            ("", 0xcbf29ce484222325),
            ("a", 0xaf63dc4c8601ec8c),
            ("foobar", 0x85944171f73967e8),
        ];
        for &(s, want) in cases {
            let mut h = TraceHash::new();
            for b in s.bytes() {
                h.u64(u64::from(b));
            }
            assert_eq!(h.value(), want, "{s:?}");
        }
    }

    #[test]
    fn bytes_pack_into_little_endian_words() {
        let (mut a, mut b) = (TraceHash::new(), TraceHash::new());
        a.bytes(b"abcdefghij");
        b.u64(u64::from_le_bytes(*b"abcdefgh"));
        b.u64(u64::from(b'i') | (u64::from(b'j') << 8));
        assert_eq!(a.value(), b.value());
    }

    #[test]
    fn every_length_pads_its_last_word_with_zeros() {
        let data: Vec<u8> = (1..=25).collect();
        for n in 0..=data.len() {
            let (mut fast, mut slow) = (TraceHash::new(), TraceHash::new());
            fast.bytes(&data[..n]);
            for chunk in data[..n].chunks(8) {
                let mut w = [0u8; 8];
                w[..chunk.len()].copy_from_slice(chunk);
                slow.u64(u64::from_le_bytes(w));
            }
            assert_eq!(fast.value(), slow.value(), "{n} bytes");
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
