//! How the UI writes times: Go's `time.Duration` notation (`5ms`, `1.28s`, `16m40s`), the way
//! controller authors read them in their logs, through the sim's formatter.

use std::time::Duration;

use crate::sim::format_duration;
use crate::workqueue::Time;

/// A duration in Go's notation.
pub fn dur(d: Duration) -> String {
    format_duration(d)
}

/// A virtual instant, as the time since the simulation started: `t=1m30s`.
pub fn at(t: Time) -> String {
    format!("t={}", format_duration(t.since_epoch()))
}

/// A virtual instant to the whole second, `t=53m21s`: for a readout that moves too fast for
/// its fraction to be read (a replay's progress).
pub fn at_whole_seconds(t: Time) -> String {
    at(Time::from_nanos(
        t.as_nanos() / 1_000_000_000 * 1_000_000_000,
    ))
}

/// How long until `due`, from `now`: `in 640ms`, or `due` once it has passed.
pub fn until(now: Time, due: Time) -> String {
    until_as(now, due, format_duration)
}

/// `due`, or `in <wait>` with the wait written by `write`.
fn until_as(now: Time, due: Time, write: fn(Duration) -> String) -> String {
    if due <= now {
        "due".to_string()
    } else {
        format!("in {}", write(due.saturating_since(now)))
    }
}

/// A duration to read at a glance: three significant figures below a minute (`15.3s`,
/// `640ms`, `1.3ms`), whole seconds above (`16m40s`, `1h30m20s`). The exact Go value is
/// [`dur`]; views show it on hover and focus, and the event log and exports keep it.
pub fn short(d: Duration) -> String {
    if d.is_zero() {
        return "0s".to_string();
    }
    if d >= Duration::from_secs(60) {
        let whole = (d.as_nanos() + 500_000_000) / 1_000_000_000;
        return format_duration(Duration::from_secs(whole as u64));
    }
    let ns = d.as_nanos() as f64;
    const UNITS: [(f64, &str); 4] = [(1.0, "ns"), (1e3, "µs"), (1e6, "ms"), (1e9, "s")];
    let mut i = UNITS.iter().rposition(|(size, _)| ns >= *size).unwrap_or(0);
    loop {
        let (size, name) = UNITS[i];
        let v = ns / size;
        let rounded = if v >= 100.0 {
            v.round()
        } else if v >= 10.0 {
            (v * 10.0).round() / 10.0
        } else {
            (v * 100.0).round() / 100.0
        };
        // 999.96ms rounds to 1000ms: say 1s.
        if rounded >= 1000.0 && i + 1 < UNITS.len() {
            i += 1;
            continue;
        }
        return format!("{rounded}{name}");
    }
}

/// [`until`] at a glance: `in 15.3s`, or `due`.
pub fn until_short(now: Time, due: Time) -> String {
    until_as(now, due, short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_reads_at_a_glance_and_keeps_exact_values_that_are_short_already() {
        let cases = [
            (Duration::from_nanos(15_281_999_999), "15.3s"),
            (Duration::from_secs(1000), "16m40s"),
            (Duration::from_millis(5), "5ms"),
            (Duration::from_millis(640), "640ms"),
            (Duration::from_millis(1280), "1.28s"),
            (Duration::from_millis(10_240), "10.2s"),
            (Duration::from_nanos(1_234_567), "1.23ms"),
            (Duration::from_nanos(999_960_000), "1s"),
            (Duration::from_nanos(59_999_999_999), "60s"),
            (Duration::from_nanos(5_420_740_000_000), "1h30m21s"),
            (Duration::from_nanos(750), "750ns"),
            (Duration::ZERO, "0s"),
        ];
        for (d, want) in cases {
            assert_eq!(short(d), want, "{d:?}");
        }
        let now = Time::from_nanos(1_000);
        assert_eq!(until_short(now, Time::from_nanos(500)), "due");
        assert_eq!(
            until_short(Time::ZERO, Time::from_nanos(15_281_999_999)),
            "in 15.3s"
        );
    }
}
