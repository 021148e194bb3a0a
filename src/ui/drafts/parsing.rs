//! Turning the forms' text into sim values, and sim refusals into words under a field.

use super::fields::{refuse, FieldError, FieldId};
use crate::decimal;
use crate::sim::{format_duration, parse_duration, ProcessingTime};

/// Maps a sim validation path (`limiter.max_of[1].bucket.qps`) to the form field showing it.
pub(super) fn field_of_path(path: &str) -> FieldId {
    let last = path.rsplit('.').next().unwrap_or(path);
    match last {
        "base" => FieldId::Base,
        "qps" => FieldId::Qps,
        "burst" => FieldId::Burst,
        "fast" => FieldId::Fast,
        "slow" => FieldId::Slow,
        "max" if path.contains("with_max_wait.max") && !path.contains("inner") => FieldId::MaxWait,
        _ => FieldId::Max,
    }
}

/// Drops a leading `path: ` from a sim error so the message reads well under its field.
pub(super) fn strip_path(reason: &str) -> String {
    match reason.split_once(": ") {
        Some((head, tail)) if !head.contains(' ') => tail.to_string(),
        _ => reason.to_string(),
    }
}

/// The processing-time text for a distribution: `100ms`, `10ms-50ms`, `~200ms`.
pub fn processing_text(p: &ProcessingTime) -> String {
    match p {
        ProcessingTime::Fixed(d) => format_duration(*d),
        ProcessingTime::Uniform { min, max } => {
            format!("{}-{}", format_duration(*min), format_duration(*max))
        }
        ProcessingTime::Exponential { mean } => format!("~{}", format_duration(*mean)),
    }
}

pub(super) fn parse_processing(text: &str) -> Result<ProcessingTime, FieldError> {
    let t = text.trim();
    let d =
        |s: &str| parse_duration(s.trim()).or_else(|e| refuse(FieldId::Processing, e.to_string()));
    if let Some(mean) = t.strip_prefix('~') {
        return Ok(ProcessingTime::Exponential { mean: d(mean)? });
    }
    if let Some((lo, hi)) = t
        .split_once(['-', '–'])
        .filter(|(lo, _)| !lo.trim().is_empty())
    {
        return Ok(ProcessingTime::Uniform {
            min: d(lo)?,
            max: d(hi)?,
        });
    }
    Ok(ProcessingTime::Fixed(d(t)?))
}

pub(super) fn parse_rate(text: &str) -> Result<f64, FieldError> {
    let t = text.trim();
    let (number, scale) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), 100.0),
        None => (t, 1.0),
    };
    let Some(v) = decimal::parse(number) else {
        return refuse(FieldId::ErrorRate, format!("“{t}” is not a number"));
    };
    let rate = v / scale;
    if !rate.is_finite() || !(0.0..=1.0).contains(&rate) {
        return refuse(
            FieldId::ErrorRate,
            "must be between 0 and 1 (or 0% and 100%)",
        );
    }
    Ok(rate)
}
