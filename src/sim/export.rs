//! Exports: the trace as replayable JSON (scenario + inputs + cursor, the same content as a
//! share link, for runs too long for a URL), and the metrics series as CSV. Import reads the
//! trace JSON back; anything malformed or written by a newer playground is a clear error.

use crate::sim::input::RecordedInput;
use crate::sim::json_f64;
use crate::sim::scenario::Scenario;
use crate::sim::series::Sample;
use crate::sim::share::ShareState;
use serde::Deserialize;
use std::fmt::Write as _;

/// The trace format this build writes.
pub const TRACE_VERSION: u32 = 1;

/// The `format` field that marks a trace file.
pub const TRACE_FORMAT: &str = "workqueue-playground-trace";

/// Most inputs an imported trace may hold, so a crafted file cannot make the page replay
/// forever (the same bound as share links).
const MAX_INPUTS: usize = 100_000;

/// A trace file as read: the scenario and inputs stay raw JSON and go through the same
/// parsers as share links (one copy of that code in the wasm, and the same validation).
/// (`format` and `version` were checked through [`Head`]; fields this version does not know
/// are ignored, as share links ignore unknown parameters.)
#[derive(Deserialize)]
struct TraceFile<'a> {
    #[serde(borrow)]
    scenario: &'a serde_json::value::RawValue,
    #[serde(borrow)]
    inputs: &'a serde_json::value::RawValue,
    cursor_ns: u64,
    trace_hash: String,
}

/// Just the fields that say what a file is, read before anything else.
#[derive(Deserialize)]
struct Head {
    format: Option<String>,
    version: Option<u64>,
}

/// The trace of a run as JSON: replayable by [`parse_trace`] and by share links.
pub fn trace_json(state: &ShareState, trace_hash: u64) -> String {
    let scenario = serde_json::to_string(&state.scenario).unwrap_or_default();
    let inputs = serde_json::to_string(&state.inputs).unwrap_or_default();
    format!(
        "{{\n  \"format\": \"{TRACE_FORMAT}\",\n  \"version\": {TRACE_VERSION},\n  \
         \"cursor_ns\": {},\n  \"trace_hash\": \"{trace_hash:016x}\",\n  \
         \"scenario\": {scenario},\n  \"inputs\": {inputs}\n}}\n",
        state.cursor_ns
    )
}

/// Reads a trace file: the run to replay, and the trace hash it promises.
pub fn parse_trace(text: &str) -> Result<(ShareState, String), String> {
    let head: Head = serde_json::from_str(text).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            format!("not JSON: {e}")
        } else {
            format!("not a playground trace ({e})")
        }
    })?;
    if head.format.as_deref() != Some(TRACE_FORMAT) {
        return Err(format!(
            "not a playground trace (expected \"format\": \"{TRACE_FORMAT}\")"
        ));
    }
    let version = head.version.ok_or("the trace has no version")?;
    if version > u64::from(TRACE_VERSION) {
        return Err(format!(
            "made by a newer playground (trace format {version}; this one reads {TRACE_VERSION})"
        ));
    }
    if version == 0 {
        return Err("trace version 0 does not exist".to_string());
    }
    let file: TraceFile = serde_json::from_str(text).map_err(|e| format!("trace: {e}"))?;
    let scenario =
        Scenario::from_json(file.scenario.get()).map_err(|e| format!("scenario: {e}"))?;
    let inputs: Vec<RecordedInput> =
        json_f64::from_str(file.inputs.get()).map_err(|e| format!("inputs: {e}"))?;
    if inputs.len() > MAX_INPUTS {
        return Err(format!("more than {MAX_INPUTS} inputs"));
    }
    for (i, r) in inputs.iter().enumerate() {
        r.input.validate().map_err(|e| format!("input {i}: {e}"))?;
        let in_order = i == 0
            || inputs
                .get(i - 1)
                .is_some_and(|p| (p.step, p.at_ns) <= (r.step, r.at_ns));
        if !in_order {
            return Err(format!("input {i} is earlier than the one before it"));
        }
    }
    let cursor_ns =
        crate::sim::share::bounded_cursor(file.cursor_ns).map_err(|e| format!("cursor_ns: {e}"))?;
    Ok((
        ShareState {
            scenario,
            inputs,
            cursor_ns,
        },
        file.trace_hash,
    ))
}

/// The CSV header; metric names follow client-go's.
pub const METRICS_HEADER: &str = "time_s,workqueue_depth,workqueue_adds_total,workqueue_retries_total,failures_len,live_keys,orphan_entries,failing_keys,waiting_len,queue_len,processing,bucket_tokens,memory_bytes,oom_kills,capped_total";

/// The metrics series as CSV, one row per sample (bucket tokens empty without a bucket);
/// times are exact (seconds with nine decimals). `wqplay run --format csv` prints the same.
pub fn metrics_csv(samples: &[Sample]) -> String {
    let mut out = String::with_capacity(64 + samples.len() * 64);
    out.push_str(METRICS_HEADER);
    out.push('\n');
    for s in samples {
        let tokens = s
            .bucket_tokens
            .map(|t| format!("{t:.3}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}.{:09},{},{},{},{},{},{},{},{},{},{},{tokens},{},{},{}",
            s.at.as_nanos() / 1_000_000_000,
            s.at.as_nanos() % 1_000_000_000,
            s.depth,
            s.adds_total,
            s.retries_total,
            s.failures_len,
            s.live_keys,
            s.orphan_entries,
            s.failing_keys,
            s.waiting_len,
            s.queue_len,
            s.processing,
            s.memory_bytes,
            s.oom_kills,
            s.capped_total
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::history::History;
    use crate::sim::input::Input;
    use crate::sim::presets::preset;
    use crate::sim::world::Sim;
    use crate::workqueue::Time;

    #[test]
    fn a_trace_round_trips_to_the_same_event_log() {
        let scenario = preset("poison").expect("poison");
        let mut sim = Sim::new(scenario.clone()).expect("sim");
        sim.run_until(Time::from_nanos(2_000_000_000));
        sim.apply(Input::Fail("default/x".into())).expect("fail");
        let inputs = vec![RecordedInput {
            step: sim.steps(),
            at_ns: sim.now().as_nanos(),
            input: Input::Fail("default/x".into()),
        }];
        sim.run_until(Time::from_nanos(9_000_000_000));
        let state = ShareState {
            scenario,
            inputs,
            cursor_ns: sim.now().as_nanos(),
        };
        let text = trace_json(&state, sim.trace_hash());
        let (back, hash) = parse_trace(&text).expect("parse");
        assert_eq!(back, state);
        assert_eq!(hash, format!("{:016x}", sim.trace_hash()));
        let replayed = History::from_share(&back).expect("replay");
        assert_eq!(replayed.live().trace_hash(), sim.trace_hash());
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let cases = [
            ("", "not JSON"),
            ("[]", "not a playground trace"),
            (r#"{"format":"workqueue-playground-trace"}"#, "no version"),
            (
                r#"{"format":"workqueue-playground-trace","version":2}"#,
                "newer playground",
            ),
            (
                r#"{"format":"workqueue-playground-trace","version":1}"#,
                "trace:",
            ),
        ];
        for (text, want) in cases {
            let e = parse_trace(text).expect_err(text);
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn metrics_csv_has_one_row_per_sample_and_client_go_names() {
        let mut sim = Sim::new(preset("outage").expect("outage")).expect("sim");
        sim.run_until(Time::from_nanos(5_000_000_000));
        let csv = metrics_csv(sim.series().samples());
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some(METRICS_HEADER));
        assert_eq!(lines.clone().count(), sim.series().samples().len());
        let cols = METRICS_HEADER.split(',').count();
        assert!(lines.all(|l| l.split(',').count() == cols));
    }
}
