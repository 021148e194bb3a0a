//! Go `time.Duration` semantics for Rust [`Duration`]s.
//!
//! client-go computes every delay as a Go `time.Duration` (signed 64-bit
//! nanoseconds). A Rust [`Duration`] can be longer than that, so each
//! limiter first clamps its inputs with [`go_nanos`]; its outputs never exceed
//! [`INF_DURATION`], the value Go itself uses for "never" (`rate.InfDuration`).

use std::time::Duration;

/// Go's largest duration, `time.Duration(math.MaxInt64)` ≈ 292 years.
///
/// `x/time/rate` returns it as `InfDuration` when a reservation can never be
/// honoured (for example a bucket with burst 0); the port returns the same
/// value so that "infinite" delays look exactly as in Go.
pub const INF_DURATION: Duration = Duration::from_nanos(i64::MAX as u64);

/// `d` in nanoseconds as a Go `time.Duration` would hold it, clamping
/// anything longer than [`INF_DURATION`] to `i64::MAX`.
pub fn go_nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

/// A non-negative Go duration back as a Rust [`Duration`]; negative values
/// (which Go uses to mean "now") become zero.
pub(crate) fn from_go_nanos(nanos: i64) -> Duration {
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(0))
}

/// Go's `Duration.Seconds()`: whole seconds and the remainder converted
/// separately, so the rounding matches client-go's metrics to the last bit.
pub(crate) fn go_seconds(nanos: i64) -> f64 {
    let sec = nanos / 1_000_000_000;
    let nsec = nanos % 1_000_000_000;
    sec as f64 + nsec as f64 / 1e9
}

/// Formats `d` exactly like Go's `Duration.String()` ("5ms", "16m40s",
/// "1h0m0s", "1.5µs"), so limiter descriptions read like client-go docs.
/// Durations past [`INF_DURATION`] print as `INF_DURATION` does.
pub fn go_duration_string(d: Duration) -> String {
    // Non-negative by construction, so the conversion cannot fail.
    let u = u64::try_from(go_nanos(d)).unwrap_or(0);
    if u == 0 {
        return "0s".to_owned();
    }
    if u < 1_000 {
        return format!("{u}ns");
    }
    if u < 1_000_000 {
        let (int, frac) = split_frac(u, 3);
        return format!("{int}{frac}µs");
    }
    if u < 1_000_000_000 {
        let (int, frac) = split_frac(u, 6);
        return format!("{int}{frac}ms");
    }
    let (secs, frac) = split_frac(u, 9);
    let minutes = secs / 60;
    let s = secs % 60;
    if minutes == 0 {
        return format!("{s}{frac}s");
    }
    let hours = minutes / 60;
    let m = minutes % 60;
    if hours == 0 {
        format!("{m}m{s}{frac}s")
    } else {
        format!("{hours}h{m}m{s}{frac}s")
    }
}

/// Splits `v` into its integer part and a ".ddd" fraction of `prec` digits
/// with trailing zeros dropped (Go's `fmtFrac`).
fn split_frac(v: u64, prec: u32) -> (u64, String) {
    let scale = 10u64.pow(prec);
    let frac = v % scale;
    if frac == 0 {
        return (v / scale, String::new());
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    (v / scale, format!(".{}", digits.trim_end_matches('0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        let cases = [
            (Duration::ZERO, "0s"),
            (Duration::from_nanos(1), "1ns"),
            (Duration::from_nanos(1_500), "1.5µs"),
            (Duration::from_millis(5), "5ms"),
            (Duration::from_micros(1_500), "1.5ms"),
            (Duration::from_millis(1_500), "1.5s"),
            (Duration::from_secs(1_000), "16m40s"),
            (Duration::from_secs(3_600), "1h0m0s"),
            (Duration::from_secs(3_600_000), "1000h0m0s"),
            (INF_DURATION, "2562047h47m16.854775807s"),
            (Duration::MAX, "2562047h47m16.854775807s"),
        ];
        for (d, want) in cases {
            assert_eq!(go_duration_string(d), want, "{d:?}");
        }
    }

    #[test]
    fn clamps_and_seconds() {
        assert_eq!(go_nanos(Duration::MAX), i64::MAX);
        assert_eq!(from_go_nanos(-5), Duration::ZERO);
        assert_eq!(go_seconds(1_075_000), 0.001075);
        assert_eq!(go_seconds(-1_500_000_000), -1.5);
    }
}
