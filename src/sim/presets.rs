//! The built-in scenarios, each teaching one fact about the workqueue.
//!
//! They are ordinary scenario files (`src/sim/presets/<id>.json`, the same JSON a user could
//! write or import), so the CLI, the UI, share links and golden tests all treat them alike;
//! kept as data, they cost the wasm a few bytes of text each instead of the code that would
//! build them.

use crate::sim::scenario::Scenario;

/// Ids of the presets, in menu order.
pub const PRESET_IDS: [&str; 17] = [
    "manual",
    "seed-oom",
    "fixed",
    "poison",
    "outage",
    "dedup",
    "forget-shared",
    "cap-1000s",
    "spurious-backoff",
    "success-hotloop",
    "bucket-hours",
    "herd",
    "bucket-10qps",
    "numrequeues-restart",
    "retries-vs-adds",
    "cr-requeue-polling",
    "cr-terminal-leak",
];

/// Every preset, in menu order.
pub fn presets() -> Vec<Scenario> {
    PRESET_IDS.iter().filter_map(|id| preset(id)).collect()
}

/// The preset with this id, if there is one.
pub fn preset(id: &str) -> Option<Scenario> {
    // Each file is checked by the tests below: it parses, validates and carries its own id.
    Scenario::from_json(preset_json(id)?).ok()
}

/// The scenario file of preset `id`.
fn preset_json(id: &str) -> Option<&'static str> {
    Some(match id {
        "manual" => include_str!("presets/manual.json"),
        "seed-oom" => include_str!("presets/seed-oom.json"),
        "fixed" => include_str!("presets/fixed.json"),
        "poison" => include_str!("presets/poison.json"),
        "outage" => include_str!("presets/outage.json"),
        "dedup" => include_str!("presets/dedup.json"),
        "forget-shared" => include_str!("presets/forget-shared.json"),
        "cap-1000s" => include_str!("presets/cap-1000s.json"),
        "spurious-backoff" => include_str!("presets/spurious-backoff.json"),
        "success-hotloop" => include_str!("presets/success-hotloop.json"),
        "bucket-hours" => include_str!("presets/bucket-hours.json"),
        "herd" => include_str!("presets/herd.json"),
        "bucket-10qps" => include_str!("presets/bucket-10qps.json"),
        "numrequeues-restart" => include_str!("presets/numrequeues-restart.json"),
        "retries-vs-adds" => include_str!("presets/retries-vs-adds.json"),
        "cr-requeue-polling" => include_str!("presets/cr-requeue-polling.json"),
        "cr-terminal-leak" => include_str!("presets/cr-terminal-leak.json"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_file_parses_validates_and_round_trips() {
        for id in PRESET_IDS {
            let text = preset_json(id).unwrap_or_else(|| panic!("no file for {id}"));
            let s = Scenario::from_json(text).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(s.id, id);
            s.validate().unwrap_or_else(|e| panic!("{id}: {e}"));
            // The file is exactly what the scenario writes: no hand-edited drift.
            assert_eq!(s.to_json() + "\n", text, "{id}");
        }
        assert_eq!(presets().len(), PRESET_IDS.len());
        assert!(preset("nope").is_none());
    }
}
