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
    if due <= now {
        "due".to_string()
    } else {
        format!("in {}", format_duration(due.saturating_since(now)))
    }
}
