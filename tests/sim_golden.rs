//! Golden traces: the FNV-1a 64 hash of the full event log of every preset
//! over a fixed span. The same constants must hold natively and under
//! `wasm-pack test`, which is what proves the simulation is portable
//! (PRNG, logarithm, float formatting and map iteration included).
//!
//! If a deliberate behaviour change moves a hash, re-derive it with
//! `wqplay run <id> --until <span> --format json` and say why in the commit.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;
use workqueue_playground::sim::{preset, Sim, Time, PRESET_IDS};

/// (preset, span, events in the full log, trace hash)
const GOLDEN: [(&str, u64, u64, u64); 17] = [
    ("manual", 600, 1, 0x4d25767f9dce13f5),
    ("seed-oom", 600, 56346, 0xd5efbee78b263011),
    ("fixed", 600, 165873, 0x160a747cc3a9e257),
    ("poison", 600, 2757, 0x771493fb7c438422),
    ("outage", 600, 38931, 0x73d193a394189f27),
    ("dedup", 600, 111, 0x1bde7e38dbbd823f),
    ("forget-shared", 600, 14, 0x685155406ff8cc87),
    ("cap-1000s", 600, 86, 0x2de0c0bf014493a9),
    ("spurious-backoff", 600, 1858, 0x95d8b030f0883ee4),
    ("success-hotloop", 600, 300002, 0xe816828f9758bfeb),
    ("bucket-hours", 600, 463537, 0x44b98e25cda8b8d7),
    ("herd", 600, 5903, 0x856f95870b8bd9ce),
    ("bucket-10qps", 600, 17830, 0xc097c13671fe7deb),
    ("numrequeues-restart", 600, 388, 0x9539aa111c3f0e1d),
    ("retries-vs-adds", 600, 14302, 0x5525ec4b9678b3b3),
    ("cr-requeue-polling", 600, 4060, 0x812926c5e7cf7af1),
    ("cr-terminal-leak", 600, 5668, 0x1ead3f05aa05e3d8),
];

fn run(id: &str, secs: u64) -> Sim {
    let scenario = preset(id).unwrap_or_else(|| panic!("preset {id} is missing"));
    let mut sim = Sim::new(scenario).unwrap_or_else(|e| panic!("{id}: {e}"));
    sim.run_until(Time::ZERO + Duration::from_secs(secs));
    sim
}

#[test]
fn every_preset_has_a_golden_trace() {
    let ids: Vec<&str> = GOLDEN.iter().map(|g| g.0).collect();
    assert_eq!(ids, PRESET_IDS.to_vec());
}

#[test]
fn preset_traces_match_their_golden_hashes() {
    let mut report = String::new();
    let mut ok = true;
    for (id, secs, events, hash) in GOLDEN {
        let sim = run(id, secs);
        report.push_str(&format!(
            "    (\"{id}\", {secs}, {}, 0x{:016x}),\n",
            sim.event_count(),
            sim.trace_hash()
        ));
        ok &= sim.event_count() == events && sim.trace_hash() == hash;
    }
    assert!(ok, "traces moved; now:\n{report}");
}

#[test]
fn the_same_seed_gives_the_same_trace_and_another_seed_does_not() {
    let a = run("seed-oom", 120);
    let b = run("seed-oom", 120);
    assert_eq!(a.trace_hash(), b.trace_hash());
    let mut other = preset("seed-oom").expect("seed-oom");
    other.seed += 1;
    let mut c = Sim::new(other).expect("valid");
    c.run_until(Time::ZERO + Duration::from_secs(120));
    assert_ne!(a.trace_hash(), c.trace_hash());
}
