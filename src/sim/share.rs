//! Share links: the URL fragment that reproduces a run exactly.
//!
//! A link carries inputs, not state (state is recomputed), and every knob:
//! either a preset id plus seed, or the whole scenario when it was edited.
//! The format is versioned, and anything malformed or newer is an error that
//! says so; decoding never panics, whatever the URL holds.
//!
//! Format: `v=1&s=<preset id>&seed=<u64>` or `v=1&sc=<base64url(scenario JSON)>`,
//! then optionally `&in=<base64url(JSON array of RecordedInput)>` and
//! `&t=<cursor ns>`. Parameters the decoder does not know are ignored, so the
//! UI may append its own (e.g. `&view=split`).

use crate::sim::base64url;
use crate::sim::input::RecordedInput;
use crate::sim::json_f64;
use crate::sim::presets::preset;
use crate::sim::scenario::Scenario;
use std::fmt;

/// The share format this build writes.
pub const SHARE_VERSION: u32 = 1;

/// Above this many bytes a link gets unwieldy; offer a file export instead.
pub const SHARE_WARN_BYTES: usize = 8192;

/// Upper bound on inputs in one link, so a crafted link cannot make the page
/// replay forever.
const MAX_INPUTS: usize = 100_000;

/// The furthest time cursor a link or an imported trace may ask for: a week of virtual time.
/// Restoring replays from t=0 (seed-oom's week takes about a minute in the browser); a cursor
/// of years would replay for hours, so it is refused with this bound named.
pub const MAX_CURSOR: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// `ns` if it is within [`MAX_CURSOR`], else why not (the bound stated).
pub fn bounded_cursor(ns: u64) -> Result<u64, String> {
    let max = MAX_CURSOR.as_nanos() as u64;
    if ns > max {
        return Err(format!(
            "the time cursor t={ns} ns ({}) is past the bound of {} ({max} ns): replaying that far would take too long",
            crate::sim::format_duration(std::time::Duration::from_nanos(ns)),
            crate::sim::format_duration(MAX_CURSOR)
        ));
    }
    Ok(ns)
}

/// Everything a link reproduces.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareState {
    /// The world.
    pub scenario: Scenario,
    /// What was done to it, in order.
    pub inputs: Vec<RecordedInput>,
    /// Where the time cursor was, in virtual nanoseconds.
    pub cursor_ns: u64,
}

/// Why a link could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError {
    /// What is wrong, in plain words.
    pub reason: String,
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "share link: {}", self.reason)
    }
}

impl std::error::Error for ShareError {}

fn err(reason: impl Into<String>) -> ShareError {
    ShareError {
        reason: reason.into(),
    }
}

/// Encodes `state` as a fragment (without the leading '#'). A scenario that
/// equals a preset except for its seed is written as the preset's id.
pub fn encode_share(state: &ShareState) -> String {
    let mut out = format!("v={SHARE_VERSION}");
    let as_preset = preset(&state.scenario.id).filter(|p| {
        Scenario {
            seed: state.scenario.seed,
            ..p.clone()
        } == state.scenario
    });
    if as_preset.is_some() {
        out.push_str(&format!(
            "&s={}&seed={}",
            state.scenario.id, state.scenario.seed
        ));
    } else {
        let json = serde_json::to_string(&state.scenario).unwrap_or_default();
        out.push_str("&sc=");
        out.push_str(&base64url::encode(json.as_bytes()));
    }
    if !state.inputs.is_empty() {
        let json = serde_json::to_string(&state.inputs).unwrap_or_default();
        out.push_str("&in=");
        out.push_str(&base64url::encode(json.as_bytes()));
    }
    if state.cursor_ns != 0 {
        out.push_str(&format!("&t={}", state.cursor_ns));
    }
    out
}

/// Decodes a fragment written by [`encode_share`] (a leading '#' is allowed).
pub fn decode_share(fragment: &str) -> Result<ShareState, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut version = None;
    let (mut preset_id, mut seed, mut scenario_b64, mut inputs_b64, mut cursor) =
        (None, None, None, None, None);
    for pair in fragment.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "v" => version = Some(v),
            "s" => preset_id = Some(v),
            "seed" => seed = Some(v),
            "sc" => scenario_b64 = Some(v),
            "in" => inputs_b64 = Some(v),
            "t" => cursor = Some(v),
            _ => {}
        }
    }
    let version: u32 = version
        .ok_or_else(|| err("no version (v=) in the link"))?
        .parse()
        .map_err(|_| err("the version (v=) is not a number"))?;
    if version > SHARE_VERSION {
        return Err(err(format!(
            "made by a newer playground (format {version}; this one reads {SHARE_VERSION})"
        )));
    }
    if version == 0 {
        return Err(err("version 0 does not exist"));
    }
    let scenario = match (preset_id, scenario_b64) {
        (_, Some(b64)) => {
            let json = decode_text(b64, "scenario (sc=)")?;
            Scenario::from_json(&json).map_err(|e| err(format!("scenario: {e}")))?
        }
        (Some(id), None) => {
            let mut s = preset(id).ok_or_else(|| err(format!("no preset called {id:?}")))?;
            if let Some(seed) = seed {
                s.seed = seed
                    .parse()
                    .map_err(|_| err("the seed is not a whole number"))?;
            }
            s
        }
        (None, None) => return Err(err("neither a preset (s=) nor a scenario (sc=)")),
    };
    let inputs: Vec<RecordedInput> = match inputs_b64 {
        Some(b64) => {
            let json = decode_text(b64, "inputs (in=)")?;
            json_f64::from_str(&json).map_err(|e| err(format!("inputs: {e}")))?
        }
        None => Vec::new(),
    };
    if inputs.len() > MAX_INPUTS {
        return Err(err(format!("more than {MAX_INPUTS} inputs")));
    }
    for (i, r) in inputs.iter().enumerate() {
        r.input
            .validate()
            .map_err(|e| err(format!("input {i}: {e}")))?;
        let in_order = i == 0
            || inputs
                .get(i - 1)
                .is_some_and(|p| (p.step, p.at_ns) <= (r.step, r.at_ns));
        if !in_order {
            return Err(err(format!("input {i} is earlier than the one before it")));
        }
    }
    let cursor_ns = match cursor {
        Some(t) => t
            .parse()
            .map_err(|_| err("the time cursor (t=) is not a whole number"))
            .and_then(|ns| bounded_cursor(ns).map_err(err))?,
        None => 0,
    };
    Ok(ShareState {
        scenario,
        inputs,
        cursor_ns,
    })
}

fn decode_text(b64: &str, what: &str) -> Result<String, ShareError> {
    let bytes = base64url::decode(b64.trim_end_matches('='))
        .map_err(|e| err(format!("{what} is not valid base64url: {e}")))?;
    String::from_utf8(bytes).map_err(|_| err(format!("{what} is not UTF-8 text")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::input::Input;

    fn sample() -> ShareState {
        ShareState {
            scenario: preset("seed-oom").unwrap_or_else(|| Scenario::empty("x")),
            inputs: vec![RecordedInput {
                step: 3,
                at_ns: 5_000,
                input: Input::Fail("default/pod-1".into()),
            }],
            cursor_ns: 42,
        }
    }

    #[test]
    fn preset_links_are_short_and_round_trip() {
        let mut s = sample();
        s.scenario.seed = 99;
        let link = encode_share(&s);
        assert!(link.starts_with("v=1&s=seed-oom&seed=99&in="), "{link}");
        assert_eq!(decode_share(&format!("#{link}&view=split")), Ok(s));
    }

    #[test]
    fn edited_scenarios_travel_whole() {
        let mut s = sample();
        s.scenario.workers.count = 9;
        let link = encode_share(&s);
        assert!(link.contains("&sc="), "{link}");
        assert_eq!(decode_share(&link), Ok(s));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [
            "",
            "#",
            "v=",
            "v=x",
            "v=1",
            "v=2&s=manual",
            "v=1&s=nope",
            "v=1&s=manual&seed=-1",
            "v=1&sc=%%%",
            "v=1&sc=AAAA",
            "v=1&s=manual&in=e30",
            "v=1&s=manual&t=soon",
            "v=1&sc=eyJ2ZXJzaW9uIjoxfQ",
        ] {
            assert!(decode_share(bad).is_err(), "{bad:?} should fail");
        }
        let newer = decode_share("v=7&s=manual").unwrap_err();
        assert!(newer.reason.contains("newer"), "{newer}");
    }

    #[test]
    fn a_cursor_past_a_week_is_refused_with_the_bound_named() {
        let week = MAX_CURSOR.as_nanos() as u64;
        let ok = decode_share(&format!("v=1&s=seed-oom&t={week}")).expect("a week is allowed");
        assert_eq!(ok.cursor_ns, week);
        for far in ["864000000000000", "18446744073709551615"] {
            let e = decode_share(&format!("v=1&s=seed-oom&t={far}")).unwrap_err();
            assert!(e.reason.contains("past the bound of 168h0m0s"), "{e}");
            assert!(e.reason.contains(far), "{e}");
        }
        assert!(decode_share("v=1&s=seed-oom&t=18446744073709551616").is_err());
    }
}
