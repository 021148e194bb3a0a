//! History and share links: state is a function of (scenario, seed,
//! inputs), so seeking, forking, undoing and sharing must all land on the
//! exact trace a straight run produces.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;
use workqueue_playground::sim::{
    decode_share, encode_share, preset, History, Input, Key, LimiterConfig, Policy, Time,
};

fn at(ms: u64) -> Time {
    Time::ZERO + Duration::from_millis(ms)
}

fn key(k: &str) -> Key {
    Key::from(k)
}

/// A history of the `manual` preset with a fixed script of clicks.
fn clicked() -> History {
    let mut h = History::new(preset("manual").expect("manual")).expect("valid");
    let script: Vec<(u64, Input)> = vec![
        (0, Input::Change(key("default/a"))),
        (0, Input::Change(key("default/b"))),
        (10, Input::Get),
        (20, Input::Fail(key("default/a"))),
        (20, Input::Done(key("default/a"))),
        (500, Input::SetWorkers(2)),
        (900, Input::SetPolicy(Policy::Buggy)),
        (1_000, Input::AddMany { count: 5 }),
        (1_500, Input::Fail(key("default/b"))),
        (2_000, Input::Herd { count: 150 }),
        (
            3_000,
            Input::SetLimiter(LimiterConfig::ItemExponential {
                base: Duration::from_millis(50),
                max: Duration::from_secs(10),
            }),
        ),
        (
            4_000,
            Input::Outage {
                duration: Duration::from_secs(5),
            },
        ),
        (
            6_000,
            Input::UpdateStorm {
                keys: 3,
                every: Duration::from_millis(700),
                duration: Duration::from_secs(4),
            },
        ),
    ];
    for (ms, input) in script {
        h.seek(at(ms));
        h.apply(input.clone())
            .unwrap_or_else(|e| panic!("{input:?}: {e}"));
    }
    h
}

#[test]
fn a_scripted_manual_session_has_a_stable_trace() {
    let mut h = clicked();
    h.seek(at(30_000));
    // Golden for free play (the manual preset alone is an empty world).
    assert_eq!(
        (h.live().event_count(), h.live().trace_hash()),
        (1403, 0x7836_4f5a_ef6e_3d2d),
        "manual session trace moved"
    );
}

#[test]
fn seeking_back_and_forth_reproduces_the_straight_run() {
    let mut straight = clicked();
    straight.seek(at(20_000));
    let mut scrubbed = clicked();
    for t in [15_000, 3, 7_777, 2_500, 19_999, 0, 20_000] {
        scrubbed.seek(at(t));
        assert_eq!(scrubbed.cursor(), at(t));
    }
    assert_eq!(scrubbed.live().trace_hash(), straight.live().trace_hash());
    assert_eq!(scrubbed.live().summary(), straight.live().summary());
}

#[test]
fn a_live_run_and_its_replay_chart_the_same_samples() {
    // The script acts on the 100 ms sample grid (500 ms, 1 s, 1.5 s, 2 s …), where the live
    // run has already sampled the instant before the act; a replay samples it after.
    let mut live = clicked();
    live.seek(at(30_000));
    let mut replayed = clicked();
    replayed.seek(at(0));
    replayed.seek(at(30_000));
    let (a, b) = (
        live.live().series().samples(),
        replayed.live().series().samples(),
    );
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x, y, "sample at {:?}", x.at);
    }
    let at_1_5s = a.iter().find(|s| s.at == at(1_500)).map(|s| s.failures_len);
    let before = a.iter().find(|s| s.at == at(1_400)).map(|s| s.failures_len);
    assert_eq!(
        at_1_5s,
        before.map(|n| n + 1),
        "the Fail at 1.5 s shows in the sample at 1.5 s"
    );
}

#[test]
fn seeking_a_long_run_uses_checkpoints_and_matches() {
    let mut straight = History::new(preset("seed-oom").expect("seed-oom")).expect("valid");
    straight.seek(Time::ZERO + Duration::from_secs(240));
    let mut scrubbed = History::new(preset("seed-oom").expect("seed-oom")).expect("valid");
    scrubbed.seek(Time::ZERO + Duration::from_secs(300));
    scrubbed.seek(Time::ZERO + Duration::from_secs(60));
    scrubbed.seek(Time::ZERO + Duration::from_secs(240));
    assert_eq!(scrubbed.live().trace_hash(), straight.live().trace_hash());
    assert_eq!(scrubbed.live().event_count(), straight.live().event_count());
}

#[test]
fn acting_in_the_past_forks_and_undo_restores_the_future() {
    let mut h = clicked();
    h.seek(at(20_000));
    let original = h.live().trace_hash();
    let inputs = h.inputs().len();
    h.seek(at(1_200));
    assert!(h.has_future());
    h.apply(Input::Fail(key("default/a"))).expect("accepted");
    assert!(!h.has_future(), "the fork discarded the later inputs");
    assert!(h.inputs().len() < inputs);
    h.seek(at(20_000));
    assert_ne!(
        h.live().trace_hash(),
        original,
        "a different past, a different run"
    );
    assert!(h.undo());
    assert_eq!(h.inputs().len(), inputs);
    assert_eq!(h.cursor(), at(20_000));
    assert_eq!(h.live().trace_hash(), original);
}

#[test]
fn share_links_round_trip_to_the_same_trace() {
    let mut h = clicked();
    h.seek(at(12_345));
    let link = encode_share(&h.share_state());
    let state = decode_share(&format!("#{link}")).expect("decodes");
    let copy = History::from_share(&state).expect("valid");
    assert_eq!(copy.cursor(), at(12_345));
    assert_eq!(copy.live().trace_hash(), h.live().trace_hash());
    assert_eq!(copy.live().summary(), h.live().summary());

    let mut edited = preset("fixed").expect("fixed");
    edited.workers.count = 7;
    let mut h2 = History::new(edited).expect("valid");
    h2.seek(Time::ZERO + Duration::from_secs(20));
    h2.apply(Input::SetErrorRate(0.5)).expect("accepted");
    h2.seek(Time::ZERO + Duration::from_secs(40));
    let copy2 =
        History::from_share(&decode_share(&encode_share(&h2.share_state())).expect("decodes"))
            .expect("valid");
    assert_eq!(copy2.live().trace_hash(), h2.live().trace_hash());
}

#[test]
fn exporting_the_full_log_replays_every_event() {
    let mut h = clicked();
    h.seek(at(25_000));
    let mut count = 0u64;
    h.export_events(at(25_000), &mut |e| {
        assert_eq!(e.seq, count, "events arrive in order, none missing");
        count += 1;
    })
    .expect("valid");
    assert_eq!(count, h.live().event_count());
}

#[test]
fn step_to_notable_stops_at_failures_and_new_longest_waits() {
    let mut h = History::new(preset("poison").expect("poison")).expect("valid");
    let limit = Time::ZERO + Duration::from_secs(3600);
    let mut stops = 0;
    while let Some(t) = h.step_to_notable(limit) {
        assert_eq!(h.cursor(), t);
        let last_step: Vec<_> = h.live().events().rev().take_while(|e| e.at == t).collect();
        assert!(
            last_step.iter().any(|e| e.is_notable())
                || last_step.iter().any(|e| matches!(
                    e.kind,
                    workqueue_playground::sim::EventKind::AddRateLimited { .. }
                )),
            "stopped at {t} for nothing notable"
        );
        stops += 1;
        if stops > 40 {
            break;
        }
    }
    assert!(
        stops > 10,
        "the poison key fails over and over: {stops} stops"
    );
    let mut quiet = History::new(preset("manual").expect("manual")).expect("valid");
    assert_eq!(
        quiet.step_to_notable(Time::ZERO + Duration::from_secs(5)),
        None
    );
    assert_eq!(quiet.cursor(), Time::ZERO + Duration::from_secs(5));
}

/// Every seek within a long run (back, forward over ground already run, and
/// undo of a fork) starts from a checkpoint and replays at most one
/// checkpoint interval of steps, where a replay from t=0 would be the run.
#[test]
fn seeks_and_undo_replay_at_most_one_checkpoint_interval() {
    let secs = |s: u64| Time::ZERO + Duration::from_secs(s);
    let mut h = History::new(preset("seed-oom").expect("seed-oom")).expect("valid");
    let end = secs(3600);
    h.seek(end);
    let (total, hash) = (h.live().steps(), h.live().trace_hash());
    let bound = h.checkpoints().interval();
    assert!(bound * 8 < total, "interval {bound} vs {total} steps");
    for t in [1_800, 60, 3_000, 900, 3_599, 0, 3_600] {
        h.seek(secs(t));
        assert_eq!(h.cursor(), secs(t));
        let replayed = h.last_seek_steps();
        assert!(
            replayed <= bound,
            "seek to {t}s replayed {replayed} > {bound}"
        );
    }
    assert_eq!((h.live().steps(), h.live().trace_hash()), (total, hash));

    h.seek(secs(1_200));
    h.apply(Input::SetWorkers(1)).expect("accepted");
    h.seek(end);
    assert_ne!(h.live().trace_hash(), hash, "the fork changed the run");
    assert!(h.undo());
    let replayed = h.last_seek_steps();
    let bound = h.checkpoints().interval();
    assert!(replayed <= bound, "undo replayed {replayed} > {bound}");
    assert_eq!((h.live().steps(), h.live().trace_hash()), (total, hash));
}

#[test]
fn a_link_restored_a_slice_at_a_time_ends_as_one_restore_does() {
    let mut straight = clicked();
    straight.seek(at(20_000));
    let share = straight.share_state();
    let whole = History::from_share(&share).expect("restore");

    let mut sliced = History::recorded(&share).expect("recorded");
    assert_eq!(sliced.cursor(), Time::ZERO);
    assert_eq!(
        sliced.run_end(),
        at(20_000),
        "the link's cursor is the run's end"
    );
    assert_eq!(sliced.applied_len(), 0);
    let mut slices = 1;
    while !sliced.run_until_bounded(at(20_000), 50) {
        slices += 1;
        assert!(sliced.cursor() < at(20_000));
        assert!(slices < 100_000, "the restore ends");
    }
    assert!(
        slices > 3,
        "20 s of this session is more than a few 50-step slices"
    );
    assert_eq!(sliced.live().trace_hash(), whole.live().trace_hash());
    assert_eq!(
        (sliced.live().steps(), sliced.applied_len()),
        (whole.live().steps(), whole.applied_len())
    );
    assert_eq!(sliced.checkpoints().len(), whole.checkpoints().len());
    assert_eq!(sliced.live().trace_hash(), straight.live().trace_hash());
}

#[test]
fn a_group_of_inputs_is_one_act_and_a_refusal_keeps_what_came_before_it() {
    let mut h = History::new(preset("manual").expect("manual")).expect("valid");
    h.apply(Input::Change(key("default/a"))).expect("change");
    h.seek(at(10));
    h.apply(Input::Get).expect("get");
    let before = (h.inputs().len(), h.undo_len(), h.live().trace_hash());

    // Done then Fail, as the page does for a key held by hand: one act.
    let applied = h
        .apply_group([Input::Done(key("default/a")), Input::Fail(key("default/a"))])
        .expect("both accepted");
    assert_eq!(applied, 2);
    assert_eq!(h.inputs().len(), before.0 + 2);
    assert_eq!(h.undo_len(), before.1 + 1, "one undo entry for the group");
    assert!(h.undo());
    assert_eq!(
        (h.inputs().len(), h.undo_len(), h.live().trace_hash()),
        before,
        "one undo takes the whole group back"
    );

    // The second input is refused: the first stays, as one act.
    let err = h
        .apply_group([
            Input::Fail(key("default/b")),
            Input::DeleteObject(key("no/such")),
        ])
        .expect_err("deleting an object that does not exist is refused");
    assert!(!err.reason.is_empty());
    assert_eq!(h.inputs().len(), before.0 + 1);
    assert_eq!(h.undo_len(), before.1 + 1);
    assert!(h.undo());
    assert_eq!(
        (h.inputs().len(), h.live().trace_hash()),
        (before.0, before.2)
    );

    // Nothing accepted: nothing recorded, nothing to undo.
    let undo = h.undo_len();
    assert!(h
        .apply_group([Input::DeleteObject(key("no/such"))])
        .is_err());
    assert_eq!((h.inputs().len(), h.undo_len()), (before.0, undo));
}

#[test]
fn the_run_ends_at_the_furthest_cursor_or_the_last_input_ahead() {
    let mut h = clicked();
    let last_input = at(6_000);
    assert_eq!(h.run_end(), last_input);
    h.seek(at(9_000));
    h.seek(at(2_000));
    assert_eq!(h.cursor(), at(2_000));
    assert_eq!(
        h.run_end(),
        at(9_000),
        "a seek back leaves the end where it was"
    );
    assert!(h.has_future());
    assert_eq!(h.applied().len(), h.applied_len());
    assert!(h.applied_len() < h.inputs().len());
}
