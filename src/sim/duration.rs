//! Go's `time.Duration` text form, both ways.
//!
//! Every delay the playground shows is one client-go computed as a Go
//! `time.Duration`, and operators read them in Go's notation in logs and
//! flags ("16m40s", "1.28s"). Printing and parsing them exactly as Go does
//! keeps the playground's numbers copy-pasteable into Go code and back.
//! Formatting is shared with the core; parsing (for scenario files, CLI
//! flags and the UI's text fields) is here.

use crate::workqueue::go_duration_string;
use std::fmt;
use std::time::Duration;

/// Formats `d` exactly like Go's `Duration.String()`: "0s", "1ns", "1.5µs",
/// "5ms", "1.28s", "16m40s", "1h0m0s", "2562047h47m16.854775807s".
///
/// The formatting itself lives with the core ([`go_duration_string`]), which
/// prints limiter descriptions the same way; durations past Go's maximum
/// (about 292 years) print as that maximum, as a Go `Duration` would hold them.
pub fn format_duration(d: Duration) -> String {
    go_duration_string(d)
}

/// Why a duration string was refused, in the words Go's `ParseDuration`
/// uses, so a person typing "90" or "5 min" learns what is expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError {
    /// The text as it was given.
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid duration {:?}: {}", self.input, self.reason)
    }
}

impl std::error::Error for DurationError {}

/// Go's largest duration in nanoseconds (`math.MaxInt64`).
const GO_MAX_NANOS: u64 = i64::MAX as u64;
/// `1 << 63`, the bound Go's parser checks against before the final range check.
const TWO_POW_63: u64 = 1 << 63;

/// Parses a duration exactly as Go's `time.ParseDuration` does: a sequence of
/// decimal numbers, each with an optional fraction and a unit suffix
/// ("300ms", "1.5h", "2h45m"); units are ns, us (or µs, μs), ms, s, m, h;
/// a bare "0" is zero.
///
/// One deliberate difference: a Rust [`Duration`] cannot be negative, so a
/// leading '-' is refused unless the value is zero (Go accepts "-0s" too).
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let fail = |reason: &str| DurationError {
        input: text.to_owned(),
        reason: reason.to_owned(),
    };
    let mut s = text.as_bytes();
    let mut neg = false;
    if let Some((&c, rest)) = s.split_first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = rest;
        }
    }
    if s == b"0" {
        return Ok(Duration::ZERO);
    }
    if s.is_empty() {
        return Err(fail(
            "empty; expected a number with a unit, e.g. 90s, 5ms, 1h30m",
        ));
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        let starts_number = s.first().is_some_and(|c| *c == b'.' || c.is_ascii_digit());
        if !starts_number {
            return Err(fail("expected a number"));
        }
        let before = s.len();
        let (v, rest) = leading_int(s).ok_or_else(|| fail("number too large"))?;
        s = rest;
        let pre = before != s.len();
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some((b'.', rest)) = s.split_first() {
            let before = rest.len();
            let (ff, sc, rest) = leading_fraction(rest);
            (f, scale, post) = (ff, sc, before != rest.len());
            s = rest;
        }
        if !pre && !post {
            return Err(fail("expected digits around '.'"));
        }
        let unit_len = s
            .iter()
            .position(|c| *c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if unit_len == 0 {
            return Err(fail("missing unit (ns, us, ms, s, m, h)"));
        }
        let (unit_text, rest) = s.split_at(unit_len);
        s = rest;
        let unit = unit_nanos(unit_text).ok_or_else(|| {
            fail(&format!(
                "unknown unit {:?} (use ns, us, ms, s, m, h)",
                String::from_utf8_lossy(unit_text)
            ))
        })?;
        if v > TWO_POW_63 / unit {
            return Err(fail("overflows Go's maximum of 2562047h47m16.854775807s"));
        }
        let mut v = v * unit;
        if f > 0 {
            // Go uses float64 here so that fractions of hours stay exact to the ns.
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > TWO_POW_63 {
                return Err(fail("overflows Go's maximum of 2562047h47m16.854775807s"));
            }
        }
        total = total.saturating_add(v);
        if total > TWO_POW_63 {
            return Err(fail("overflows Go's maximum of 2562047h47m16.854775807s"));
        }
    }
    if total > GO_MAX_NANOS {
        return Err(fail("overflows Go's maximum of 2562047h47m16.854775807s"));
    }
    if neg && total != 0 {
        return Err(fail("negative durations are not allowed here"));
    }
    Ok(Duration::from_nanos(total))
}

/// Go's `leadingInt`: the leading digits as an integer; `None` on overflow.
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
        if x > TWO_POW_63 / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > TWO_POW_63 {
            return None;
        }
        i += 1;
    }
    Some((x, s.get(i..).unwrap_or_default()))
}

/// Go's `leadingFraction`: digits after the point as `x / scale`; digits
/// past what fits are consumed and ignored, as in Go.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let mut x: u64 = 0;
    let mut scale = 1f64;
    let mut overflow = false;
    let mut i = 0;
    while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
        i += 1;
        if overflow {
            continue;
        }
        if x > GO_MAX_NANOS / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > TWO_POW_63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, s.get(i..).unwrap_or_default())
}

/// Nanoseconds per unit, with Go's spellings of micro (u, U+00B5, U+03BC).
fn unit_nanos(unit: &[u8]) -> Option<u64> {
    Some(match unit {
        b"ns" => 1,
        b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1_000,
        b"ms" => 1_000_000,
        b"s" => 1_000_000_000,
        b"m" => 60_000_000_000,
        b"h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Serde helpers that write durations as Go strings ("5ms") in scenario
/// JSON, so hand-written scenarios read like client-go flags.
pub mod go_format {
    use super::{format_duration, parse_duration};
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;
    use std::time::Duration;

    /// Writes `d` as Go's `Duration.String()`.
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_duration(*d))
    }

    /// Reads a Go duration string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        d.deserialize_str(GoDuration)
    }

    /// Parses the string inside the deserializer's own call, so that a bad
    /// duration is reported at the string itself: serde_json then gives the
    /// error the string's position, which is how `sim::json_path` names the
    /// field.
    struct GoDuration;

    impl Visitor<'_> for GoDuration {
        type Value = Duration;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Duration, E> {
            parse_duration(text).map_err(E::custom)
        }
    }

    /// The same for `Option<Duration>` (absent or null is `None`).
    pub mod option {
        use super::*;

        /// Writes `Some(d)` as a Go string and `None` as null.
        pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_str(&format_duration(*d)),
                None => s.serialize_none(),
            }
        }

        /// Reads an optional Go duration string.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
            d.deserialize_option(OptionalGoDuration)
        }

        /// null, or a Go duration string.
        struct OptionalGoDuration;

        impl<'de> Visitor<'de> for OptionalGoDuration {
            type Value = Option<Duration>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("option")
            }

            fn visit_none<E: de::Error>(self) -> Result<Option<Duration>, E> {
                Ok(None)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Option<Duration>, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Duration>, D::Error> {
                super::deserialize(d).map(Some)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(n: u64) -> Duration {
        Duration::from_nanos(n)
    }

    #[test]
    fn formats_like_go() {
        // Cases from Go's time_test.go durationTests plus the schedule's values.
        let cases: &[(u64, &str)] = &[
            (0, "0s"),
            (1, "1ns"),
            (1_100, "1.1µs"),
            (1_500, "1.5µs"),
            (2_200_000, "2.2ms"),
            (5_000_000, "5ms"),
            (3_300_000_000, "3.3s"),
            (1_280_000_000, "1.28s"),
            (4 * 60 * 1_000_000_000 + 5_000_000_000, "4m5s"),
            (4 * 60 * 1_000_000_000 + 5_001_000_000, "4m5.001s"),
            (1_000_000_000_000, "16m40s"),
            (3_600_000_000_000, "1h0m0s"),
            (
                5 * 3_600_000_000_000 + 6 * 60_000_000_000 + 7_001_000_000,
                "5h6m7.001s",
            ),
            (8 * 60_000_000_000 + 1, "8m0.000000001s"),
            (i64::MAX as u64, "2562047h47m16.854775807s"),
        ];
        for &(n, want) in cases {
            assert_eq!(format_duration(ns(n)), want, "{n} ns");
        }
    }

    #[test]
    fn parses_like_go() {
        let cases: &[(&str, u64)] = &[
            ("0", 0),
            ("5s", 5_000_000_000),
            ("30s", 30_000_000_000),
            ("1478s", 1_478_000_000_000),
            ("+5s", 5_000_000_000),
            ("-0", 0),
            ("5.0s", 5_000_000_000),
            ("5.6s", 5_600_000_000),
            ("5.s", 5_000_000_000),
            (".5s", 500_000_000),
            ("1.004s", 1_004_000_000),
            ("100.00100s", 100_001_000_000),
            ("10ns", 10),
            ("11us", 11_000),
            ("12µs", 12_000),
            ("12μs", 12_000),
            ("13ms", 13_000_000),
            ("14s", 14_000_000_000),
            ("15m", 900_000_000_000),
            ("16h", 57_600_000_000_000),
            ("3h30m", 12_600_000_000_000),
            ("10.5s4m", 250_500_000_000),
            ("1h2m3s4ms5us6ns", 3_723_004_005_006),
            ("39h9m14.425s", 140_954_425_000_000),
            ("52763797000ns", 52_763_797_000),
            ("0.3333333333333333333h", 1_200_000_000_000),
            ("9007199254740993ns", 9_007_199_254_740_993),
            ("9223372036854775807ns", i64::MAX as u64),
            ("9223372036854775.807us", i64::MAX as u64),
            ("9223372036s854ms775us807ns", i64::MAX as u64),
            ("0.100000000000000000000h", 360_000_000_000),
            ("0.830103483285477580700h", 2_988_372_539_827),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_duration(text), Ok(ns(want)), "{text}");
        }
    }

    #[test]
    fn refuses_what_go_refuses() {
        for text in [
            "",
            "3",
            "-",
            "s",
            ".",
            "-.",
            ".s",
            "+.s",
            "1d",
            "\u{0}",
            "5 s",
            "9223372036854775808ns",
            "9223372036854775.808us",
            "9223372036854ms775us808ns",
            "-5s",
        ] {
            assert!(parse_duration(text).is_err(), "{text:?} should be refused");
        }
        let err = parse_duration("90").unwrap_err();
        assert!(err.to_string().contains("missing unit"), "{err}");
    }

    #[test]
    fn round_trips() {
        for n in [
            1u64,
            999,
            1_000,
            1_500,
            5_000_000,
            1_280_000_000,
            1_000_000_000_000,
            3_600_000_000_001,
        ] {
            assert_eq!(parse_duration(&format_duration(ns(n))), Ok(ns(n)));
        }
    }
}
