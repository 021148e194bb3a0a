//! Part 2 view logic, natively and in the browser: chart geometry and data, the Go listings'
//! anchors, and the leak findings as the views show them.
#![cfg(feature = "ui")]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;

use workqueue_playground::sim::code_trace::{lines_for, CodeLine, CodeTab};
use workqueue_playground::sim::{preset, Cause, Event, EventKind, Input, Sim, Time};
use workqueue_playground::ui::components::chart_model::{
    decimate, nice_ticks, rates, value_at, ChartData, Line, Scale, Unit, HEIGHT, MARGIN, WIDTH,
};
use workqueue_playground::ui::components::charts::chart_data;
use workqueue_playground::ui::components::code_listing::{line_number, listing, text};
use workqueue_playground::ui::components::tour::tour_key;

fn secs(n: u64) -> Time {
    Time::from_nanos(n * 1_000_000_000)
}

#[test]
fn decimation_keeps_spikes_and_the_last_point_within_budget() {
    let mut pts: Vec<(f64, f64)> = (0..10_000).map(|i| (i as f64, (i % 7) as f64)).collect();
    pts[4321].1 = 1e6;
    let d = decimate(&pts, 100);
    assert!(d.len() <= 201, "{}", d.len());
    assert!(d.iter().any(|p| p.1 == 1e6), "the spike survives");
    assert_eq!(d.last(), pts.last());
    assert!(d.windows(2).all(|w| w[0].0 <= w[1].0), "time order kept");
    let small = vec![(0.0, 1.0), (1.0, 2.0)];
    assert_eq!(decimate(&small, 100), small);
}

#[test]
fn rates_treat_a_counter_drop_as_a_restart() {
    let r = rates(&[(0.0, 0.0), (1.0, 10.0), (3.0, 30.0), (4.0, 5.0)]);
    assert_eq!(r, vec![(1.0, 10.0), (3.0, 10.0), (4.0, 5.0)]);
}

#[test]
fn scales_map_the_range_onto_the_plot_and_back() {
    let data = ChartData {
        id: "t",
        title: "t",
        unit: Unit::Count,
        lines: vec![Line {
            name: "x",
            class: "st-failed",
            dashed: false,
            points: vec![(0.0, 0.0), (50.0, 100.0)],
        }],
        marks: Vec::new(),
        limit: None,
        summary: String::new(),
        min_top: None,
    };
    let s = Scale::fit(&data, 100.0, false);
    assert_eq!(s.y(0.0), HEIGHT - MARGIN.3);
    assert!(s.y(100.0) > MARGIN.2 && s.y(100.0) < MARGIN.2 + 10.0);
    assert_eq!(s.x(0.0), MARGIN.0);
    assert_eq!(s.x(100.0), WIDTH - MARGIN.1);
    let t = s.invert_x(s.x(37.5)).unwrap_or(f64::NAN);
    assert!((t - 37.5).abs() < 1e-9, "{t}");
    assert_eq!(
        s.invert_x(0.0),
        None,
        "the y-label margin is not on the plot"
    );
    let log = Scale::fit(&data, 100.0, true);
    assert!(log.y(10.0) < log.y(1.0) && log.y(1.0) < log.y(0.0));
    assert_eq!(value_at(&data.lines[0], 49.0), Some(0.0));
    assert_eq!(value_at(&data.lines[0], 50.0), Some(100.0));
    assert_eq!(nice_ticks(0.0, 100.0, 4), vec![0.0, 50.0, 100.0]);
}

#[test]
fn seed_oom_charts_show_the_map_and_the_oom_marks() {
    let mut sim = Sim::new(preset("seed-oom").expect("preset")).expect("sim");
    sim.run_until(secs(90 * 60));
    let charts = chart_data(&sim);
    let ids: Vec<&str> = charts.iter().map(|c| c.id).collect();
    assert_eq!(ids, ["failures", "memory", "depth", "rates", "tokens"]);
    let failures = &charts[0];
    let last = failures.lines[0].points.last().map(|p| p.1);
    assert_eq!(last, Some(sim.queue().limiter().failures_len() as f64));
    let memory = &charts[1];
    let kills = sim.memory().oom_kills;
    assert!(kills >= 1, "seed-oom is OOM-killed within 90 minutes");
    assert!(!memory.marks.is_empty() && memory.marks.len() as u64 <= kills);
    assert!(memory.summary.contains("OOM kill"), "{}", memory.summary);
    assert_eq!(
        memory.limit.as_ref().map(|l| l.0 as u64),
        sim.memory().limit
    );
}

#[test]
fn every_line_an_event_runs_is_in_its_listing() {
    let events = [
        EventKind::AddRateLimited {
            key: "a".into(),
            cause: Cause::Change,
            when: Duration::from_millis(5),
            failures_before: 0,
            failures_after: 1,
            waiting_until: None,
            tokens: None,
        },
        EventKind::AddRateLimited {
            key: "a".into(),
            cause: Cause::Error,
            when: Duration::from_millis(5),
            failures_before: 0,
            failures_after: 1,
            waiting_until: None,
            tokens: None,
        },
        EventKind::Forget {
            key: "a".into(),
            cause: Cause::Success,
            had: 1,
        },
        EventKind::Forget {
            key: "a".into(),
            cause: Cause::GiveUp,
            had: 9,
        },
        EventKind::ReconcileOk {
            worker: 0,
            key: "a".into(),
            deleted: false,
        },
        EventKind::Get {
            worker: Some(0),
            key: "a".into(),
            requeues: 0,
            takes: None,
        },
    ];
    for kind in events {
        let e = Event {
            seq: 0,
            at: Time::ZERO,
            kind,
        };
        for r in lines_for(&e) {
            assert!(
                line_number(r.tab, r.line).is_some(),
                "{r:?} is not in its listing"
            );
        }
    }
    assert!(text(CodeTab::Internals).contains("delete(r.failures, item)"));
    let inc = line_number(CodeTab::Internals, CodeLine::FailuresIncrement).unwrap_or(0);
    assert_eq!(
        listing(CodeTab::Internals).get(inc - 1).map(|l| l.0.trim()),
        Some("r.failures[item] = r.failures[item] + 1")
    );
}

#[test]
fn a_hand_fail_moves_the_failures_chart() {
    let mut sim = Sim::new(preset("manual").expect("manual")).expect("sim");
    sim.apply(Input::Fail("default/a".into())).expect("fail");
    sim.run_until(secs(2));
    let c = chart_data(&sim);
    assert_eq!(c[0].lines[0].points.last().map(|p| p.1), Some(1.0));
}

#[test]
fn coordinates_are_written_as_one_decimal_place_formatting_writes_them() {
    use workqueue_playground::ui::components::chart_model::Coord;
    // Values off a rounding tie: integer tenths and `{:.1}` agree (ties are a float's luck).
    for i in -2_000..8_000 {
        let v = f64::from(i) * 0.0731 + 0.013;
        if ((v * 10.0).fract().abs() - 0.5).abs() < 1e-6 {
            continue;
        }
        let rounded = (v * 10.0).round() / 10.0;
        let expected = format!("{v:.1}");
        let expected = if rounded == 0.0 {
            "0.0".to_string()
        } else {
            expected
        };
        assert_eq!(Coord(v).to_string(), expected, "{v}");
    }
    assert_eq!(Coord(640.0).to_string(), "640.0");
    assert_eq!(Coord(-3.26).to_string(), "-3.3");
    assert_eq!(Coord(f64::NAN).to_string(), "0.0");
}

#[test]
fn plot_markup_draws_every_line_mark_and_the_crosshair() {
    use workqueue_playground::ui::components::chart_svg::plot_markup;
    let mut sim = Sim::new(preset("seed-oom").expect("preset")).expect("sim");
    sim.run_until(secs(90 * 60));
    let memory = chart_data(&sim).into_iter().nth(1).expect("memory chart");
    let s = Scale::fit(&memory, 90.0 * 60.0, false);
    let without = plot_markup(&memory, &s, None);
    assert_eq!(without.matches("<path ").count(), memory.lines.len());
    assert_eq!(without.matches("class=\"mark ").count(), memory.marks.len());
    assert!(without.contains("class=\"limit\""));
    assert!(!without.contains("crosshair"));
    assert!(plot_markup(&memory, &s, Some(60.0)).contains("class=\"crosshair\""));
    assert!(!without.contains('&') || without.contains("&amp;"));
}

#[test]
fn latency_axis_labels_read_as_go_durations() {
    use workqueue_playground::ui::components::chart_model::value_label;
    assert_eq!(value_label(Unit::Seconds, 0.0), "0s");
    assert_eq!(value_label(Unit::Seconds, 20.309176209), "20.3s");
    assert_eq!(value_label(Unit::Seconds, 0.0064), "6.4ms");
    assert_eq!(value_label(Unit::Seconds, 1000.0), "16m40s");
}

#[test]
fn the_latency_chart_replays_the_run_to_the_cursor() {
    use workqueue_playground::ui::components::charts::latency_chart;
    let mut sim = Sim::new(preset("fixed").expect("preset")).expect("sim");
    sim.run_until(secs(120));
    let c = latency_chart(&sim, &[], sim.now()).expect("latency");
    assert_eq!(c.lines.len(), 2);
    let (p50, p99) = (&c.lines[0].points, &c.lines[1].points);
    assert!(!p50.is_empty() && p50.len() == p99.len());
    assert!(p50.iter().zip(p99).all(|(a, b)| a.1 <= b.1));
    assert!(c.summary.starts_with("Replayed to 2m0s"), "{}", c.summary);
}

#[test]
fn arrow_keys_step_through_a_tour_and_stop_at_its_ends() {
    // A tour of 5 steps: 0..=4, then 5 is "Things to try".
    assert_eq!(tour_key("ArrowRight", 0, 5), Some(1));
    assert_eq!(
        tour_key("ArrowRight", 5, 5),
        Some(5),
        "no step past Things to try"
    );
    assert_eq!(tour_key("ArrowLeft", 3, 5), Some(2));
    assert_eq!(tour_key("ArrowLeft", 0, 5), Some(0));
    assert_eq!(tour_key("End", 1, 5), Some(5));
    assert_eq!(tour_key("Home", 4, 5), Some(0));
    assert_eq!(
        tour_key("Enter", 2, 5),
        None,
        "Enter presses the focused button"
    );
    assert_eq!(tour_key("a", 2, 5), None);
}

#[test]
fn each_reconcile_result_lights_its_branch_of_the_controller_runtime_listing() {
    use workqueue_playground::sim::{
        ProcessingTime, QueueKind, ReconcileOutcome, ReconcileResult, Scenario,
    };
    let cases = [
        (ReconcileOutcome::Success, CodeLine::CrSuccessForget),
        (ReconcileOutcome::Error, CodeLine::CrErrorAdd),
        (ReconcileOutcome::TerminalError, CodeLine::CrTerminal),
        (ReconcileOutcome::Requeue, CodeLine::CrRequeueAdd),
        (
            ReconcileOutcome::RequeueAfter(Duration::from_millis(300)),
            CodeLine::CrRequeueAfterAdd,
        ),
    ];
    for (outcome, branch) in cases {
        let mut s = Scenario::empty("cr");
        s.queue = QueueKind::ControllerRuntime;
        s.workers.count = 1;
        s.workers.processing = ProcessingTime::Fixed(Duration::from_millis(10));
        s.informer.initial_objects = 2;
        s.outcomes.result = Some(ReconcileResult::new(outcome));
        let mut sim = Sim::new(s).expect("valid");
        sim.run_until(secs(1));
        let mut seen = Vec::new();
        for e in sim.events() {
            for r in lines_for(e) {
                assert!(
                    line_number(r.tab, r.line).is_some(),
                    "{r:?} is not in its listing"
                );
                if r.tab == CodeTab::ControllerRuntime {
                    seen.push(r.line);
                }
            }
        }
        for line in [
            CodeLine::CrEnqueue,
            CodeLine::CrGet,
            CodeLine::CrDone,
            CodeLine::CrReconcile,
            branch,
        ] {
            assert!(seen.contains(&line), "{outcome:?}: {line:?} never ran");
        }
        // A TerminalError neither re-adds nor forgets.
        if outcome == ReconcileOutcome::TerminalError {
            assert!(!seen.contains(&CodeLine::CrErrorAdd));
            assert!(!seen.contains(&CodeLine::CrSuccessForget));
        }
    }
    let t = text(CodeTab::ControllerRuntime);
    assert!(t.contains("rlAfter := w.rateLimiter.When(key)"));
    assert!(t.contains("c.Queue.Forget(req)"));
}
