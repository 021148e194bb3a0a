//! The simulation's only source of randomness: a seeded, portable PRNG.
//!
//! A run must be identical natively, in the CLI and in the browser, or golden
//! traces and share links would break. So the generator is SplitMix64
//! (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
//! OOPSLA 2014; the constants are those of Java's `SplittableRandom`), and
//! every derived distribution uses only IEEE-754 `+ - * /`, which give the
//! same bits on every target. In particular the natural logarithm is computed
//! here rather than by the platform's libm, whose last bit may differ
//! between glibc and the wasm build.

use std::time::Duration;

/// SplitMix64: 64 bits of state, one add and a bijective mix per draw.
///
/// Good enough statistically for a simulation (it passes BigCrush), tiny,
/// and trivially reproducible in any language from the seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prng {
    state: u64,
}

impl Prng {
    /// A generator whose whole future is fixed by `seed`.
    pub fn new(seed: u64) -> Prng {
        Prng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An independent generator for one purpose (informer, workers, ...),
    /// so that adding draws in one part of the world does not shift the
    /// numbers another part sees.
    pub fn fork(&mut self, stream: u64) -> Prng {
        Prng::new(self.next_u64() ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    /// Uniform in [0, 1), with the 53 bits a `f64` can hold.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p` (clamped to [0, 1]).
    pub fn chance(&mut self, p: f64) -> bool {
        self.next_f64() < p
    }

    /// Uniform integer in `[0, n)`; 0 when `n` is 0. Uses Lemire's
    /// multiply-shift, whose bias (< n / 2^64) is irrelevant here.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform duration in `[lo, hi]` at nanosecond resolution.
    pub fn duration_between(&mut self, lo: Duration, hi: Duration) -> Duration {
        let (lo, hi) = (nanos(lo.min(hi)), nanos(lo.max(hi)));
        let span = hi - lo;
        let offset = if span == u64::MAX {
            self.next_u64()
        } else {
            self.below(span + 1)
        };
        Duration::from_nanos(lo + offset)
    }

    /// Exponentially distributed duration with the given mean: the waiting
    /// time between events of a Poisson process (object creations, changes,
    /// lifetimes). Inverse-transform sampling, `-mean · ln(1 − u)`.
    pub fn exponential(&mut self, mean: Duration) -> Duration {
        let u = self.next_f64();
        let x = -portable_ln(1.0 - u) * nanos(mean) as f64;
        // `as` saturates, so a freak draw cannot overflow.
        Duration::from_nanos(x as u64)
    }
}

/// Nanoseconds of `d`, saturating at `u64::MAX`.
fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// 1/(2k+1) for k = 0..12: the coefficients of atanh's odd series.
const ATANH_COEFFS: [f64; 12] = [
    1.0,
    1.0 / 3.0,
    1.0 / 5.0,
    1.0 / 7.0,
    1.0 / 9.0,
    1.0 / 11.0,
    1.0 / 13.0,
    1.0 / 15.0,
    1.0 / 17.0,
    1.0 / 19.0,
    1.0 / 21.0,
    1.0 / 23.0,
];

/// Natural logarithm of `x` in (0, 1], using only `+ - * /` so that every
/// platform computes the same bits.
///
/// `x = m · 2^e` with `m` in [√½, √2); then `ln x = e·ln 2 + 2·atanh(s)` with
/// `s = (m − 1)/(m + 1)`, `|s| < 0.172`, and the odd series of atanh summed
/// to a fixed 12 terms (truncation error below 1e-19).
pub fn portable_ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    const LN_2: f64 = std::f64::consts::LN_2;
    const SQRT_2: f64 = std::f64::consts::SQRT_2;
    let mut m = x;
    let mut e = 0i32;
    // Bring subnormals into range first; then halve or double into [√½, √2).
    while m < f64::MIN_POSITIVE {
        m *= (1u64 << 52) as f64;
        e -= 52;
    }
    let bits = m.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    e += exp_bits - 1023;
    m = f64::from_bits((bits & !(0x7ff << 52)) | (1023 << 52));
    if m >= SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    // 1 + s²/3 + s⁴/5 + … + s²²/23 in Estrin's scheme: the same fixed
    // operations on every platform, with a short dependency chain.
    let [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11] = ATANH_COEFFS;
    let x = s2;
    let x2 = x * x;
    let x4 = x2 * x2;
    let x8 = x4 * x4;
    let q0 = (c0 + c1 * x) + (c2 + c3 * x) * x2;
    let q1 = (c4 + c5 * x) + (c6 + c7 * x) * x2;
    let q2 = (c8 + c9 * x) + (c10 + c11 * x) * x2;
    let poly = (q0 + q1 * x4) + q2 * x8;
    f64::from(e) * LN_2 + 2.0 * s * poly
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_reference_values() {
        // First outputs for seed 1234567, as published with the reference
        // C implementation (prng.di.unimi.it/splitmix64.c).
        let mut r = Prng::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(r.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn ln_matches_std_closely() {
        let mut r = Prng::new(7);
        for _ in 0..10_000 {
            let x = 1.0 - r.next_f64();
            let (ours, std) = (portable_ln(x), x.ln());
            assert!(
                (ours - std).abs() <= 4.0 * f64::EPSILON * std.abs().max(1.0),
                "{x}: {ours} vs {std}"
            );
        }
        assert_eq!(portable_ln(1.0), 0.0);
        assert!(
            (portable_ln(f64::MIN_POSITIVE / 8.0) - (f64::MIN_POSITIVE / 8.0).ln()).abs() < 1e-12
        );
    }

    #[test]
    fn exponential_has_the_requested_mean() {
        let mut r = Prng::new(42);
        let mean = Duration::from_secs(5);
        let n = 20_000u32;
        let total: Duration = (0..n).map(|_| r.exponential(mean)).sum();
        let got = total.as_secs_f64() / f64::from(n);
        assert!((got - 5.0).abs() < 0.15, "mean {got}");
    }

    #[test]
    fn ranges_stay_in_bounds() {
        let mut r = Prng::new(3);
        let (lo, hi) = (Duration::from_millis(10), Duration::from_millis(20));
        for _ in 0..1000 {
            let d = r.duration_between(lo, hi);
            assert!(d >= lo && d <= hi);
            assert!(r.below(7) < 7);
            let f = r.next_f64();
            assert!((0.0..1.0).contains(&f));
        }
        assert_eq!(r.below(0), 0);
    }
}
