//! The UI's pure logic, natively and in headless Chromium: theme contrast, the speed scale,
//! form parsing and refusals, virtualization, shortcut gating, and the app reducer driving a
//! real sim (Fail grows the failures map, Forget shrinks it, refusals change nothing).
#![cfg(feature = "ui")]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::rc::Rc;
use std::time::Duration;

use workqueue_playground::ui::components::failures_map::{filter_sort, Column, Show, View};
use workqueue_playground::ui::components::items_table::{table_key, TableKey};
use workqueue_playground::ui::components::runway::{
    bin_counts, bin_counts_sorted, labelled, position, RunwayView, BINS,
};
use workqueue_playground::ui::drafts::{Bulk, Drafts, FieldId, LimiterKind, LimiterPreset};
use workqueue_playground::ui::key_action::KeyAction;
use workqueue_playground::ui::shortcuts::{global_key, GlobalKey};
use workqueue_playground::ui::state::{time_quantum_ns, Action, AppState};
use workqueue_playground::ui::theme::{contrast, css_variables, Theme, DARK, LIGHT};
use workqueue_playground::ui::view::{EntryStatus, FailureRow, ItemRow, ItemState, KeyText};
use workqueue_playground::ui::{speed, virtual_list};
use yew::Reducible;

#[test]
fn every_graphic_colour_has_3_to_1_contrast_on_page_and_panel_in_both_themes() {
    for (name, p) in [("light", LIGHT), ("dark", DARK)] {
        for (colour, hex) in p.graphics() {
            for (surface, bg) in [("bg", p.bg), ("panel", p.panel)] {
                let c = contrast(hex, bg).unwrap_or(0.0);
                assert!(
                    c >= 3.0,
                    "{name}: {colour} {hex} on {surface} {bg} is {c:.2}:1"
                );
            }
        }
        // Body and secondary text meet 4.5:1 (WCAG 1.4.3).
        for text in [p.fg, p.muted] {
            assert!(contrast(text, p.bg).unwrap_or(0.0) >= 4.5);
            assert!(contrast(text, p.panel).unwrap_or(0.0) >= 4.5);
        }
    }
    assert!(contrast("#FFFFFF", "#FFFFFF").is_some_and(|c| (c - 1.0).abs() < 1e-9));
    assert!(contrast("#000000", "#FFFFFF").is_some_and(|c| (c - 21.0).abs() < 1e-6));
    assert_eq!(contrast("red", "#FFFFFF"), None);
}

#[test]
fn theme_css_sets_every_variable_for_light_dark_and_the_system_preference() {
    let css = css_variables();
    for (name, hex) in LIGHT.graphics().iter().chain(LIGHT.surfaces().iter()) {
        assert!(css.contains(&format!("--{name}:{hex};")), "light --{name}");
    }
    for (name, hex) in DARK.graphics() {
        assert_eq!(
            css.matches(&format!("--{name}:{hex};")).count(),
            2,
            "dark --{name} (system and explicit)"
        );
    }
    assert!(css.contains("prefers-color-scheme: dark"));
    assert_eq!(Theme::parse("dark"), Theme::Dark);
    assert_eq!(Theme::parse("bogus"), Theme::System);
    assert_eq!(Theme::System.next().next().next(), Theme::System);
}

#[test]
fn speed_scale_is_logarithmic_from_a_thousandth_to_ten_thousand() {
    assert_eq!(speed::to_slider(1.0), 0.0);
    assert!((speed::to_slider(1000.0) - 3.0).abs() < 1e-12);
    assert_eq!(speed::from_slider(-3.0), 0.001);
    assert_eq!(speed::from_slider(4.0), 10_000.0);
    assert_eq!(speed::from_slider(2.03), 100.0, "snaps to a detent");
    assert!((speed::from_slider(0.5) - 10f64.sqrt()).abs() < 1e-9);
    assert_eq!(speed::from_slider(9.0), speed::MAX);
    assert_eq!(speed::faster(1.0), 10.0);
    assert_eq!(speed::slower(1.0), 0.1);
    assert_eq!(speed::faster(10_000.0), 10_000.0);
    assert_eq!(speed::slower(0.001), 0.001);
    assert_eq!(speed::label(1000.0), "×1000 faster");
    assert_eq!(speed::label(0.01), "×0.01 (slower)");
    assert_eq!(speed::parse("×250"), Ok(250.0));
    assert!(speed::parse("20000").is_err());
    assert!(speed::parse("fast").is_err());
    assert!(speed::parse("NaN").is_err());
}

#[test]
fn virtual_window_renders_only_rows_in_view_and_never_past_the_end() {
    let w = virtual_list::window(10_000, 36, 360, 36.0 * 5_000.0);
    assert!(w.end - w.start <= 11 + 2 * virtual_list::OVERSCAN, "{w:?}");
    assert!(w.start <= 5_000 && w.end > 5_000);
    assert_eq!(w.before_px, w.start as u64 * 36);
    assert_eq!(w.after_px, (10_000 - w.end) as u64 * 36);
    let end = virtual_list::window(3, 36, 360, 1e12);
    assert_eq!((end.start, end.end), (0, 3));
    let empty = virtual_list::window(0, 36, 360, f64::NAN);
    assert_eq!(
        (empty.start, empty.end, empty.before_px, empty.after_px),
        (0, 0, 0, 0)
    );
}

#[test]
fn runway_puts_5ms_and_1000s_far_apart_and_bins_ten_thousand_items() {
    let a = position(Duration::from_millis(5));
    let b = position(Duration::from_secs(1000));
    assert!(a < 0.2 && b > 0.8, "{a} {b}");
    assert_eq!(position(Duration::ZERO), 0.0);
    assert_eq!(position(Duration::from_secs(10_000_000)), 1.0);
    let waits: Vec<Duration> = (0..10_000u64).map(Duration::from_millis).collect();
    let bins = bin_counts(&waits);
    assert_eq!(bins.len(), BINS);
    assert_eq!(bins.iter().map(|n| u64::from(*n)).sum::<u64>(), 10_000);
}

#[test]
fn runway_bins_found_by_search_equal_the_bins_counted_one_by_one() {
    use workqueue_playground::workqueue::Time;
    let now = Time::from_nanos(3_600_000_000_000);
    // Items already due (before now), due now, on and around every bin edge, past the axis.
    let mut ready: Vec<Time> = (0..2_000u64)
        .map(|i| Time::from_nanos(now.as_nanos() - 5_000_000_000 + i * i * i * 37))
        .collect();
    ready.extend((0..BINS).map(|b| {
        let secs = 10f64.powf(-3.0 + 7.0 * (b as f64 + 0.5) / (BINS - 1) as f64);
        Time::from_nanos(now.as_nanos() + (secs * 1e9) as u64)
    }));
    ready.push(Time::MAX);
    ready.sort();
    let waits: Vec<Duration> = ready.iter().map(|t| t.saturating_since(now)).collect();
    let expected = bin_counts(&waits);
    assert_eq!(bin_counts_sorted(&ready, |t| *t, now), expected);
    assert!(
        expected.iter().filter(|n| **n > 0).count() > BINS / 2,
        "spread over the axis"
    );
    let rows: Vec<ItemRow> = ready
        .iter()
        .map(|t| ItemRow {
            key: KeyText::from("ns/a"),
            state: ItemState::Waiting,
            requeues: 1,
            ready_at: Some(*t),
            wait: None,
            capped: false,
            priority: None,
        })
        .collect();
    let view = RunwayView::of(&rows, now);
    assert_eq!(view.bins, expected);
    assert_eq!(view.waiting, ready.len());
    assert_eq!(view.labelled, labelled(&expected));
    assert_eq!(
        view.span,
        Some((Duration::ZERO, Time::MAX.saturating_since(now)))
    );
    assert_eq!(RunwayView::of(&[], now).span, None);
}

#[test]
fn runway_counts_never_overlap_and_the_fullest_bin_always_shows_its_count() {
    // A pile-up towards the cap, as seed-oom makes it: every bin from 60 on holds thousands.
    let mut bins = vec![0u32; BINS];
    for (i, b) in bins.iter_mut().enumerate().skip(60) {
        *b = 1_000 + (i as u32 * 37) % 900;
    }
    bins[119] = 20_979;
    bins[10] = 1;
    bins[12] = 2;
    let shown = labelled(&bins);
    assert!(shown[119], "the fullest bin");
    assert!(shown[12], "a lone bin of two");
    assert!(!shown[10], "a bin of one item shows no count");
    // Placed on a 640 px track with 7 px digits, no two labels overlap.
    let px = 640.0 / (BINS - 1) as f64;
    let on: Vec<usize> = (0..BINS).filter(|&i| shown[i]).collect();
    for w in on.windows(2) {
        let half = |i: usize| bins[i].to_string().len() as f64 * 3.5;
        assert!(
            (w[1] - w[0]) as f64 * px >= half(w[0]) + half(w[1]),
            "labels of bins {} and {} overlap",
            w[0],
            w[1]
        );
    }
    assert!(on.len() >= 6, "the pile-up still reads as numbers: {on:?}");
}

#[test]
fn shortcuts_act_only_when_enabled_unmodified_and_scoped() {
    assert_eq!(
        table_key("f", true, false),
        Some(TableKey::Act(KeyAction::Fail))
    );
    assert_eq!(
        table_key("G", true, false),
        Some(TableKey::Act(KeyAction::Forget))
    );
    assert_eq!(table_key("f", false, false), None, "turned off");
    assert_eq!(
        table_key("f", true, true),
        None,
        "Ctrl+F stays the browser's"
    );
    assert_eq!(
        table_key("ArrowDown", false, false),
        Some(TableKey::Down),
        "arrows are not single-character shortcuts"
    );
    assert_eq!(table_key("Enter", true, false), None);
    assert_eq!(global_key("?", true, false), Some(GlobalKey::Help));
    assert_eq!(
        global_key("?", true, true),
        None,
        "typing a question mark in a field"
    );
    assert_eq!(global_key("?", false, false), None);
    assert_eq!(global_key("Escape", false, true), Some(GlobalKey::Escape));
}

fn row(key: &str, requeues: u64, status: EntryStatus) -> FailureRow {
    FailureRow {
        key: KeyText::from(key),
        requeues,
        last_backoff: Some(Duration::from_millis(5 << requeues.min(20))),
        next_retry: None,
        status,
        capped: requeues >= 18,
    }
}

#[test]
fn failures_map_sorts_and_filters() {
    let rows = vec![
        row("b", 3, EntryStatus::Live),
        row("a", 20, EntryStatus::Orphan),
        row("c", 1, EntryStatus::Live),
    ];
    let keys = |v: &View| {
        filter_sort(&rows, v)
            .iter()
            .map(|r| r.key.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&View::default()), ["a", "b", "c"]);
    let by_requeues = View {
        column: Column::Requeues,
        ascending: false,
        ..View::default()
    };
    assert_eq!(keys(&by_requeues), ["a", "b", "c"]);
    let asc = View {
        column: Column::Requeues,
        ascending: true,
        ..View::default()
    };
    assert_eq!(keys(&asc), ["c", "b", "a"]);
    assert_eq!(
        keys(&View {
            show: Show::Orphans,
            ..View::default()
        }),
        ["a"]
    );
    assert_eq!(
        keys(&View {
            show: Show::Capped,
            ..View::default()
        }),
        ["a"]
    );
    assert_eq!(
        keys(&View {
            text: "b".into(),
            ..View::default()
        }),
        ["b"]
    );
}

fn manual() -> Rc<AppState> {
    let state = AppState::initial(Theme::System, false);
    assert!(state.is_ok(), "the manual preset starts");
    Rc::new(state.unwrap_or_else(|_| unreachable!()))
}

fn len_failures(s: &AppState) -> usize {
    s.sim().failures().len()
}

#[test]
fn first_load_is_the_manual_scenario_running_at_1x_with_no_workers() {
    let s = manual();
    assert_eq!(s.scenario.id, "manual");
    assert!(s.playing);
    assert_eq!(s.speed, 1.0);
    assert_eq!(s.drafts.get(FieldId::Workers), "0");
    assert_eq!(s.sim().workers().len(), 0);
    assert_eq!(len_failures(&s), 0);
    assert_eq!(
        s.schedule.first().map(|r| r.delay),
        Some(Duration::from_millis(5))
    );
    assert_eq!(s.cap, Some(Duration::from_secs(1000)));
}

#[test]
fn frames_advance_virtual_time_by_wall_time_times_speed_in_round_steps() {
    let s = manual();
    let t0 = s.now();
    let s = s.reduce(Action::SetSpeed(1000.0));
    let s = s.reduce(Action::Frame(16.7));
    let advanced = s.now().saturating_since(t0);
    assert_eq!(
        advanced,
        Duration::from_secs(16),
        "16.7 wall ms at 1000× in 1s steps"
    );
    let s = s.reduce(Action::Frame(0.4));
    assert_eq!(
        s.now().saturating_since(t0),
        Duration::from_secs(17),
        "the 0.7 carried over"
    );
    let paused = s.reduce(Action::PlayPause);
    let same = paused.clone().reduce(Action::Frame(100.0));
    assert!(
        Rc::ptr_eq(&paused, &same),
        "a paused frame returns the same state: no re-render"
    );
    assert_eq!(time_quantum_ns(1.0), 1e6);
    assert_eq!(time_quantum_ns(0.001), 1e3);
    assert_eq!(time_quantum_ns(10_000.0), 1e10);
}

#[test]
fn seeks_move_within_the_run_and_stop_at_its_end() {
    use workqueue_playground::sim::Time;
    let mut s = manual().reduce(Action::Key(KeyAction::Fail, KeyText::from("ns/a")));
    for _ in 0..3 {
        s = s.reduce(Action::Frame(16.7));
    }
    let end = s.now();
    assert!(end > Time::ZERO);
    assert_eq!(s.run_end(), end, "a playing run ends at the clock");
    let hash = s.sim().trace_hash();
    let past = s.reduce(Action::Seek(end.as_nanos() + 1_000_000_000));
    assert_eq!(
        past.now(),
        end,
        "a seek past the end stops there: it never runs the clock on"
    );
    assert_eq!(past.sim().trace_hash(), hash);
    assert!(!past.playing, "seeking pauses");
    let back = past.reduce(Action::Seek(0));
    assert_eq!(back.now(), Time::ZERO);
    assert_eq!(back.run_end(), end, "seeking back keeps the end");
    let again = back.reduce(Action::Seek(u64::MAX));
    assert_eq!(again.now(), end);
    assert_eq!(again.sim().trace_hash(), hash);
}

#[test]
fn fail_grows_the_map_forget_shrinks_it_and_fail_on_a_held_key_calls_done_first() {
    let s = manual().reduce(Action::PlayPause);
    let key = KeyText::from("ns/pod-7");
    let s = s.reduce(Action::Key(KeyAction::Add, key.clone()));
    let s = s.reduce(Action::Get);
    assert!(s.sim().held_by_hand().any(|k| *k == key));
    let s = s.reduce(Action::Key(KeyAction::Fail, key.clone()));
    assert!(
        !s.sim().held_by_hand().any(|k| *k == key),
        "Done was called"
    );
    assert_eq!(len_failures(&s), 1);
    assert_eq!(s.sim().queue().num_requeues(&key), 1);
    assert!(
        s.announcement.1.contains("AddRateLimited"),
        "{}",
        s.announcement.1
    );
    let s = s.reduce(Action::Key(KeyAction::Fail, key.clone()));
    assert_eq!(s.sim().queue().num_requeues(&key), 2);
    let s = s.reduce(Action::Key(KeyAction::Forget, key.clone()));
    assert_eq!(len_failures(&s), 0);
    assert_eq!(s.selected.as_deref(), Some("ns/pod-7"));
}

#[test]
fn a_refused_key_or_value_is_shown_at_its_field_and_changes_nothing() {
    let s = manual().reduce(Action::PlayPause);
    let s = s.reduce(Action::Key(KeyAction::Fail, KeyText::from("ns/keep")));
    let events = s.sim().event_count();
    let s = s.reduce(Action::Key(KeyAction::Add, KeyText::from("has space")));
    assert!(s
        .errors
        .get(&FieldId::Key)
        .is_some_and(|e| e.contains("whitespace")));
    assert_eq!(s.sim().event_count(), events);

    let s = s.reduce(Action::LimiterKind(LimiterKind::Bucket));
    let s = s.reduce(Action::Edit(FieldId::Qps, "0".into()));
    let s = s.reduce(Action::ApplyLimiter);
    assert!(s.errors.contains_key(&FieldId::Qps), "{:?}", s.errors);
    let s = s.reduce(Action::Edit(FieldId::Burst, "lots".into()));
    let s = s.reduce(Action::Edit(FieldId::Qps, "5".into()));
    let s = s.reduce(Action::ApplyLimiter);
    assert!(s
        .errors
        .get(&FieldId::Burst)
        .is_some_and(|e| e.contains("lots")));
    assert_eq!(
        s.sim().limiter_config(),
        &workqueue_playground::sim::LimiterConfig::DefaultController
    );
    assert_eq!(len_failures(&s), 1, "the running state is untouched");
    assert_eq!(s.sim().event_count(), events);

    let s = s.reduce(Action::Edit(FieldId::Workers, "-1".into()));
    let s = s.reduce(Action::ApplyController);
    assert!(s.errors.contains_key(&FieldId::Workers));
    let s = s.reduce(Action::Edit(FieldId::Workers, "2".into()));
    let s = s.reduce(Action::Edit(FieldId::ErrorRate, "150%".into()));
    let s = s.reduce(Action::ApplyController);
    assert!(s.errors.contains_key(&FieldId::ErrorRate));
    assert_eq!(
        s.sim().workers().len(),
        0,
        "nothing applied when one field is refused"
    );
    let s = s.reduce(Action::Edit(FieldId::ErrorRate, "5%".into()));
    let s = s.reduce(Action::ApplyController);
    assert!(
        !s.errors.contains_key(&FieldId::ErrorRate) && !s.errors.contains_key(&FieldId::Workers)
    );
    assert!(
        s.errors.contains_key(&FieldId::Burst),
        "another form's refusal stays until that form is fixed"
    );
    assert_eq!(s.sim().workers().len(), 2);
}

#[test]
fn a_new_limiter_changes_the_schedule() {
    let s = manual();
    let s = s.reduce(Action::ApplyPreset(LimiterPreset::FiveSecondsFiveMinutes));
    assert_eq!(
        s.schedule.first().map(|r| r.delay),
        Some(Duration::from_secs(5))
    );
    assert_eq!(s.cap, Some(Duration::from_secs(300)));
    let s = s.reduce(Action::LimiterKind(LimiterKind::ItemFastSlow));
    let s = s.reduce(Action::Edit(FieldId::Fast, "10ms".into()));
    let s = s.reduce(Action::Edit(FieldId::Slow, "2s".into()));
    let s = s.reduce(Action::Edit(FieldId::MaxFast, "2".into()));
    let s = s.reduce(Action::ApplyLimiter);
    let delays: Vec<Duration> = s.schedule.iter().take(4).map(|r| r.delay).collect();
    assert_eq!(delays, [10, 10, 2000, 2000].map(Duration::from_millis));
}

#[test]
fn step_and_skip_move_to_the_next_event_and_the_next_due_item() {
    let s = manual().reduce(Action::PlayPause);
    let s = s.reduce(Action::ApplyPreset(LimiterPreset::FiveSecondsFiveMinutes));
    let s = s.reduce(Action::Key(KeyAction::Fail, KeyText::from("ns/a")));
    let due = s.sim().queue().next_ready_at();
    assert!(due.is_some());
    let s = s.reduce(Action::SkipToNextDue);
    assert_eq!(Some(s.now()), due);
    let before = s.sim().event_count();
    let s = s.reduce(Action::Key(KeyAction::Fail, KeyText::from("ns/b")));
    let s = s.reduce(Action::Step);
    assert!(s.sim().event_count() > before);
}

#[test]
fn bulk_actions_parse_their_fields() {
    let s = manual().reduce(Action::PlayPause);
    let s = s.reduce(Action::Edit(FieldId::AddCount, "25".into()));
    let s = s.reduce(Action::Bulk(Bulk::AddMany));
    assert_eq!(s.sim().live_keys(), 25);
    let s = s.reduce(Action::Edit(FieldId::StormEvery, "soon".into()));
    let s = s.reduce(Action::Bulk(Bulk::UpdateStorm));
    assert!(s
        .errors
        .get(&FieldId::StormEvery)
        .is_some_and(|e| e.contains("soon")));
    let s = s.reduce(Action::Bulk(Bulk::Herd));
    assert_eq!(len_failures(&s), 1000);
    let drafts = Drafts::from_scenario(s.sim().scenario());
    assert_eq!(drafts.get(FieldId::HerdCount), "1000");
}

#[test]
fn loading_a_scenario_replaces_the_sim_and_the_forms() {
    let s = manual().reduce(Action::Key(KeyAction::Fail, KeyText::from("ns/x")));
    let s = s.reduce(Action::LoadScenario("seed-oom".into()));
    assert_eq!(s.scenario.id, "seed-oom");
    assert!(
        !s.sim().failures().iter().any(|f| &*f.key == "ns/x"),
        "the old world is gone"
    );
    let workers = s.sim().scenario().workers.count;
    assert_eq!(s.drafts.get(FieldId::Workers), workers.to_string());
    assert_eq!(
        s.drafts.policy,
        workqueue_playground::ui::drafts::PolicyKind::Buggy
    );
    let s = s.reduce(Action::LoadScenario("no-such".into()));
    assert_eq!(s.scenario.id, "seed-oom");
    assert!(s.announcement.1.contains("no-such"));
}

/// seed-oom playing at 1000×: a world busy enough that a frame is hundreds of steps.
#[cfg(not(target_arch = "wasm32"))]
fn seed_oom_playing_at_1000x() -> Rc<AppState> {
    manual()
        .reduce(Action::LoadScenario("seed-oom".into()))
        .reduce(Action::SetSpeed(1000.0))
        .reduce(Action::SetPlaying(true))
}

// Runs twenty minutes of seed-oom at 1000×: about a second natively in a debug build, but
// longer than the browser test runner waits for one test in a debug wasm build.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn slow_frames_shrink_the_simulated_step_and_throttle_the_views_until_frames_are_quick() {
    // A 60 ms frame here is thousands of steps.
    let mut s = seed_oom_playing_at_1000x();
    for _ in 0..15 {
        s = s.reduce(Action::Frame(60.0));
    }
    let t0 = s.now();
    s = s.reduce(Action::Frame(60.0));
    let step = s.now().saturating_since(t0);
    assert!(
        step < Duration::from_secs(60),
        "a 60 ms frame at 1000× simulated {step:?}: the clock should lag"
    );
    assert!(
        s.pacer.effective_speed() < 800.0,
        "effective speed {}",
        s.pacer.effective_speed()
    );
    let v0 = s.view_rev;
    for _ in 0..6 {
        s = s.reduce(Action::Frame(30.0));
    }
    assert!(
        s.view_rev - v0 <= 2,
        "views rebuilt {} times in 6 loaded frames",
        s.view_rev - v0
    );
    for _ in 0..30 {
        s = s.reduce(Action::Frame(16.0));
    }
    let t1 = s.now();
    let v1 = s.view_rev;
    s = s.reduce(Action::Frame(16.0));
    assert_eq!(
        s.now().saturating_since(t1),
        Duration::from_secs(16),
        "back to full speed"
    );
    for _ in 0..9 {
        s = s.reduce(Action::Frame(16.7));
    }
    assert_eq!(
        s.view_rev - v1,
        5,
        "above 100× the views follow every other frame again"
    );
}

#[test]
fn playing_views_follow_every_frame_up_to_100x_and_slow_panels_take_turns_four_times_a_second() {
    let mut s = manual().reduce(Action::SetSpeed(100.0));
    for _ in 0..60 {
        s = s.reduce(Action::Frame(16.7));
    }
    let (v0, p0) = (s.view_rev, s.panel_rev);
    let mut logs = 0;
    for _ in 0..120 {
        let (panels_before, log_before) = (s.panel_rev, Rc::as_ptr(&s.log));
        s = s.reduce(Action::Frame(16.7));
        let log_new = !std::ptr::eq(Rc::as_ptr(&s.log), log_before);
        logs += usize::from(log_new);
        assert!(
            !(log_new && s.panel_rev != panels_before),
            "the log and the panels never rebuild in the same frame"
        );
    }
    assert_eq!(s.view_rev - v0, 120, "views follow every frame at 100×");
    assert!(
        (7..=9).contains(&(s.panel_rev - p0)),
        "panels {}",
        s.panel_rev - p0
    );
    assert!((7..=9).contains(&logs), "log rebuilt {logs} times in 2 s");
    let p1 = s.panel_rev;
    let s = s.reduce(Action::Key(KeyAction::Add, KeyText::from("ns/now")));
    assert_eq!(
        s.panel_rev,
        p1 + 1,
        "an action refreshes the panels at once"
    );
}

/// A seed-oom run with one input by hand at 100 s, shared at `cursor_s`.
fn shared_seed_oom(cursor_s: u64) -> workqueue_playground::sim::share::ShareState {
    use workqueue_playground::sim::{preset, Input, RecordedInput, Sim, Time};
    let scenario = preset("seed-oom").unwrap_or_else(|| unreachable!("seed-oom is a preset"));
    let mut sim = Sim::new(scenario.clone()).unwrap_or_else(|_| unreachable!("valid preset"));
    sim.run_until(Time::from_nanos(100_000_000_000));
    let input = Input::Fail("default/by-hand".into());
    assert!(sim.apply(input.clone()).is_ok());
    let recorded = RecordedInput {
        step: sim.steps(),
        at_ns: sim.now().as_nanos(),
        input,
    };
    workqueue_playground::sim::share::ShareState {
        scenario,
        inputs: vec![recorded],
        cursor_ns: cursor_s * 1_000_000_000,
    }
}

#[test]
fn a_shared_run_is_replayed_a_slice_per_frame_to_the_same_trace_and_ends_paused_at_its_cursor() {
    use workqueue_playground::sim::History;
    use workqueue_playground::sim::Time;
    use workqueue_playground::ui::state::{RESTORE_FRAME_MS, RESTORE_STEPS_PER_FRAME};
    let share = shared_seed_oom(1_800);
    let cursor = Time::from_nanos(share.cursor_ns);
    let expected = History::from_share(&share)
        .map(|h| (h.live().trace_hash(), h.live().steps()))
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert!(
        expected.1 > 4 * RESTORE_STEPS_PER_FRAME,
        "30 min of seed-oom takes several frames to replay"
    );
    let mut s = manual().reduce(Action::Restore(Box::new(share)));
    assert_eq!(s.restoring, Some(cursor));
    assert!(!s.playing);
    assert!(s.announcement.1.contains("Restoring"));
    let mut frames = 0;
    while s.restoring.is_some() {
        let before = s.now();
        // Frames within the restore's aim (RESTORE_FRAME_MS) keep its slice size.
        s = s.reduce(Action::Frame(
            (RESTORE_FRAME_MS.0 + RESTORE_FRAME_MS.1) / 2.0,
        ));
        frames += 1;
        assert!(s.now() >= before && s.now() <= cursor);
        assert!(frames < 1_000, "the replay ends");
    }
    assert!(frames >= 4, "{frames} frames");
    assert_eq!(s.now(), cursor);
    assert_eq!((s.sim().trace_hash(), s.sim().steps()), expected);
    assert_eq!(s.inputs.len(), 1, "the input by hand was re-applied");
    assert_eq!(s.applied, s.inputs.len(), "nothing left ahead");
    assert!(!s.playing, "paused at the cursor");
    assert!(s.announcement.1.contains("Restored scenario seed-oom"));
    assert_eq!(
        frames,
        expected.1.div_ceil(RESTORE_STEPS_PER_FRAME) - 1,
        "every frame replayed a full slice (the first came with the link)"
    );
    // Paused again: frames change nothing.
    let same = s.clone().reduce(Action::Frame(16.7));
    assert!(Rc::ptr_eq(&same, &s));
}

#[test]
fn a_restore_takes_more_steps_per_frame_while_frames_are_quick_and_fewer_while_slow() {
    let mut s = manual().reduce(Action::Restore(Box::new(shared_seed_oom(3_600))));
    let per_frame = |s: &mut Rc<AppState>, wall_ms: f64| {
        let before = s.sim().steps();
        *s = s.clone().reduce(Action::Frame(wall_ms));
        s.sim().steps() - before
    };
    let a = per_frame(&mut s, 200.0);
    let b = per_frame(&mut s, 200.0);
    assert!(b < a, "slow frames shrink the slice: {a} then {b}");
    let c = per_frame(&mut s, 10.0);
    let d = per_frame(&mut s, 10.0);
    assert!(c > b && d > c, "quick frames grow it: {b}, {c}, {d}");
    assert!(s.restoring.is_some());
}

#[test]
fn acting_during_a_restore_waits_for_it_and_page_only_actions_do_not() {
    use workqueue_playground::sim::History;
    use workqueue_playground::sim::Time;
    let share = shared_seed_oom(900);
    let cursor = Time::from_nanos(share.cursor_ns);
    let expected = History::from_share(&share)
        .map(|h| h.live().trace_hash())
        .unwrap_or_else(|e| unreachable!("{e}"));
    let s = manual().reduce(Action::Restore(Box::new(share)));
    let s = s.reduce(Action::CycleTheme);
    assert!(
        s.restoring.is_some(),
        "a theme change leaves the replay running"
    );
    let at = s.now();
    assert!(at < cursor);
    // An act neither runs the rest of the replay synchronously nor applies early.
    let mut s = s.reduce(Action::Key(KeyAction::Fail, KeyText::from("ns/late")));
    assert_eq!(s.restoring, Some(cursor), "the replay goes on in slices");
    assert_eq!(s.now(), at);
    assert_eq!(s.inputs.len(), 1);
    let mut frames = 0;
    while s.restoring.is_some() {
        s = s.reduce(Action::Frame(16.7));
        frames += 1;
        assert!(frames < 10_000, "the restore ends");
    }
    assert_eq!(s.now(), cursor);
    let s = s.reduce(Action::Key(KeyAction::Fail, KeyText::from("ns/late")));
    assert_eq!(s.inputs.len(), 2);
    assert_eq!(s.sim().queue().num_requeues(&KeyText::from("ns/late")), 1);
    let undone = s.reduce(Action::Undo);
    assert_eq!(
        undone.sim().trace_hash(),
        expected,
        "undo: the restored run"
    );
}

#[test]
fn a_refused_shared_scenario_leaves_the_page_as_it_was() {
    let mut share = shared_seed_oom(60);
    share.scenario.workers.count = u32::MAX;
    let s = manual().reduce(Action::Key(KeyAction::Add, KeyText::from("ns/kept")));
    let hash = s.sim().trace_hash();
    let s = s.reduce(Action::Restore(Box::new(share)));
    assert_eq!(s.restoring, None);
    assert_eq!(s.scenario.id, "manual");
    assert_eq!(s.sim().trace_hash(), hash);
    assert!(
        s.announcement.1.contains("Could not restore the run"),
        "{}",
        s.announcement.1
    );
}

#[test]
fn restore_progress_is_the_share_of_the_way_to_the_cursor_in_thousandths() {
    use workqueue_playground::ui::components::restore_progress::permille;
    use workqueue_playground::workqueue::Time;
    let s = |n: u64| Time::from_nanos(n * 1_000_000_000);
    assert_eq!(permille(s(0), s(3_600)), 0);
    assert_eq!(permille(s(900), s(3_600)), 250);
    assert_eq!(permille(s(3_599), s(3_600)), 999);
    assert_eq!(permille(s(3_600), s(3_600)), 1000);
    assert_eq!(permille(s(7_200), s(3_600)), 1000, "never past the end");
    assert_eq!(permille(s(0), s(0)), 1000, "a link at t=0 is there at once");
    let far = Time::from_nanos(u64::MAX);
    assert_eq!(permille(far, far), 1000, "no overflow at the end of time");
}

#[test]
fn an_embeds_parent_applies_inputs_and_plays_and_a_refused_input_changes_nothing() {
    use workqueue_playground::sim::Input;
    let mut s = manual().reduce(Action::SetPlaying(false));
    assert!(!s.playing);
    let same = s.clone().reduce(Action::SetPlaying(false));
    assert!(
        Rc::ptr_eq(&s, &same),
        "pausing a paused run changes nothing"
    );
    for _ in 0..19 {
        s = s.reduce(Action::Apply(Input::Fail("k".into())));
    }
    assert_eq!(s.sim().queue().num_requeues(&KeyText::from("k")), 19);
    assert_eq!(len_failures(&s), 1);
    assert_eq!(s.inputs.len(), 19);
    assert_eq!(s.refusal.0, 0);
    let refused = s.clone().reduce(Action::Apply(Input::Fail("".into())));
    assert_eq!(
        refused.refusal.0, 1,
        "the refusal is kept for the parent page"
    );
    assert!(refused.refusal.1.contains("empty"), "{}", refused.refusal.1);
    assert_eq!(refused.inputs.len(), 19);
    assert_eq!(refused.sim().trace_hash(), s.sim().trace_hash());
    assert!(refused.reduce(Action::SetPlaying(true)).playing);
}

#[test]
fn acting_during_a_restore_is_refused_with_a_message_and_cancel_stops_it_where_it_is() {
    use workqueue_playground::sim::decode_share;
    let share = decode_share("v=1&s=seed-oom&t=86400000000000").expect("a day is within the bound");
    let s = manual().reduce(Action::Restore(Box::new(share)));
    let cursor = s
        .restoring
        .expect("restoring a day of seed-oom takes many frames");
    let before = s.sim().now();
    assert!(before < cursor);
    // An act does not run the rest of the replay: it is refused, and nothing moves.
    let s = s.reduce(Action::Key(KeyAction::Add, KeyText::from("ns/x")));
    assert_eq!(s.restoring, Some(cursor));
    assert_eq!(s.sim().now(), before);
    assert!(
        s.announcement.1.starts_with("Still restoring the run"),
        "{}",
        s.announcement.1
    );
    assert!(s.sim().queue().num_requeues(&KeyText::from("ns/x")) == 0);
    // A frame replays a slice; Cancel stops there, paused, short of the cursor.
    let s = s.reduce(Action::Frame(16.7)).reduce(Action::CancelRestore);
    assert_eq!(s.restoring, None);
    assert!(!s.playing);
    let stopped = s.sim().now();
    assert!(stopped > before && stopped < cursor, "{stopped:?}");
    assert!(
        s.announcement.1.starts_with("Restore cancelled at"),
        "{}",
        s.announcement.1
    );
    // Now acts apply again.
    let s = s.reduce(Action::Key(KeyAction::Fail, KeyText::from("ns/x")));
    assert_eq!(s.sim().queue().num_requeues(&KeyText::from("ns/x")), 1);
}

#[test]
fn an_empty_world_keeps_real_time_on_a_machine_too_busy_for_quick_frames() {
    let mut s = manual();
    assert!(s.playing);
    let t0 = s.now();
    for _ in 0..40 {
        s = s.reduce(Action::Frame(100.0));
    }
    assert_eq!(s.now().saturating_since(t0), Duration::from_secs(4));
    assert_eq!(s.pacer.lagging_ms(), 0.0);
}

#[test]
fn the_lag_notice_waits_for_a_sustained_second_of_lag() {
    let mut s = manual();
    // One slow frame (a first load, a rebuild) is not a lag worth saying.
    s = s.reduce(Action::Frame(400.0));
    for _ in 0..30 {
        s = s.reduce(Action::Frame(16.7));
    }
    assert_eq!(s.pacer.lagging_ms(), 0.0, "fast frames clear it");
    // Frames this slow for over a second: the clock is held back all along.
    for _ in 0..8 {
        s = s.reduce(Action::Frame(400.0));
    }
    assert!(s.pacer.lagging_ms() >= 1000.0, "{}", s.pacer.lagging_ms());
    assert!(
        s.pacer.effective_speed() < 0.8,
        "{}",
        s.pacer.effective_speed()
    );
}

#[test]
fn the_latency_chart_is_replayed_a_slice_per_frame_while_paused_and_cancel_stops_it() {
    use workqueue_playground::sim::Time;
    use workqueue_playground::ui::components::charts::{latency_chart, LatencyView};
    use workqueue_playground::ui::state::LATENCY_STEPS_PER_FRAME;
    let mut s = manual().reduce(Action::Restore(Box::new(shared_seed_oom(1_800))));
    while s.restoring.is_some() {
        s = s.reduce(Action::Frame(30.0));
    }
    assert!(!s.playing);
    let now = s.now();
    assert!(
        s.sim().steps() > 3 * LATENCY_STEPS_PER_FRAME,
        "30 min of seed-oom takes several slices"
    );
    let expected = {
        let sim = s.sim();
        latency_chart(&sim, &s.inputs, now).unwrap_or_else(|e| unreachable!("{e}"))
    };

    // Asked for: it replays a slice per frame, the clock stays where it is.
    let mut s = s.reduce(Action::ComputeLatency);
    assert!(matches!(s.latency_view(), LatencyView::Running { .. }));
    let mut frames = 0;
    let mut last = Time::ZERO;
    while let LatencyView::Running { now: at, until } = s.latency_view() {
        assert_eq!(until, now);
        assert!(at >= last, "it only moves forward");
        last = at;
        s = s.reduce(Action::Frame(16.7));
        frames += 1;
        assert!(frames < 10_000, "the replay ends");
        assert_eq!(s.now(), now, "the paused clock does not move");
    }
    assert!(frames >= 3, "{frames} frames");
    match s.latency_view() {
        LatencyView::Done {
            until,
            chart: Ok(chart),
        } => {
            assert_eq!(until, now);
            assert_eq!(*chart, expected, "the same chart as one replay in one go");
        }
        other => panic!("{other:?}"),
    }
    // Paused and done: frames change nothing again.
    let same = s.clone().reduce(Action::Frame(16.7));
    assert!(Rc::ptr_eq(&same, &s));

    // Cancel stops a replay where it is.
    let s = s.reduce(Action::ComputeLatency).reduce(Action::Frame(16.7));
    assert!(matches!(s.latency_view(), LatencyView::Running { .. }));
    let s = s.reduce(Action::CancelLatency);
    assert_eq!(s.latency_view(), LatencyView::None);
    assert!(s.announcement.1.contains("cancelled"));
}

#[test]
fn pausing_rebuilds_every_view_at_the_instant_the_clock_stopped() {
    let mut s = manual()
        .reduce(Action::SetSpeed(1000.0))
        .reduce(Action::Key(KeyAction::Fail, Rc::from("ns/a")));
    // Play long enough for the panels to lag the clock (they follow four times a second).
    for _ in 0..40 {
        s = s.reduce(Action::Frame(16.7));
    }
    let s = s.reduce(Action::PlayPause);
    assert!(!s.playing);
    let now = s.now();
    assert_eq!(s.display_now, now, "tables and lanes");
    assert_eq!(
        s.panels_now, now,
        "charts, leak detector, scrubber, share link"
    );
    assert_eq!(s.log.last().map(|l| l.seq), {
        let sim = s.sim();
        sim.events().last().map(|e| e.seq)
    });
    assert_eq!(charted_failures_now(&s).1, Some(len_failures(&s)));
    assert_eq!(s.trace_hash, s.sim().trace_hash());
}

/// What the failures chart says len(failures) is now, and its last point.
fn charted_failures_now(s: &AppState) -> (String, Option<usize>) {
    let chart = s.charts.iter().find(|c| c.id == "failures");
    let summary = chart.map(|c| c.summary.clone()).unwrap_or_default();
    let last = chart
        .and_then(|c| c.lines.first())
        .and_then(|l| l.points.last())
        .map(|p| p.1 as usize);
    (summary, last)
}

#[test]
fn an_act_paused_on_a_sample_instant_shows_in_the_charts() {
    use workqueue_playground::sim::{preset, ShareState};
    // A restored link (or a seek) can pause the clock exactly on the series' 100 ms grid,
    // where the grid already holds a sample of the world before the act.
    let share = ShareState {
        scenario: preset("manual").unwrap_or_else(|| unreachable!("manual is a preset")),
        inputs: Vec::new(),
        cursor_ns: 200_000_000,
    };
    let mut s = manual().reduce(Action::Restore(Box::new(share)));
    for _ in 0..10 {
        if s.restoring.is_none() {
            break;
        }
        s = s.reduce(Action::Frame(16.7));
    }
    assert!(s.restoring.is_none() && !s.playing);
    assert_eq!(s.now().as_nanos(), 200_000_000);
    let s = s.reduce(Action::Key(KeyAction::Fail, Rc::from("default/offline")));
    assert_eq!(len_failures(&s), 1);
    let (summary, last) = charted_failures_now(&s);
    assert_eq!(last, Some(1), "the chart's last point is the world now");
    assert!(
        summary.starts_with("len(failures) is 1 now (peak 1)"),
        "{summary}"
    );
    // The same on a seek back to a grid instant: a Forget there shows at once.
    let s = s.reduce(Action::Seek(100_000_000));
    assert_eq!(len_failures(&s), 0);
    let s = s.reduce(Action::Key(KeyAction::Fail, Rc::from("ns/b")));
    let (summary, last) = charted_failures_now(&s);
    assert_eq!(last, Some(1));
    assert!(summary.starts_with("len(failures) is 1 now"), "{summary}");
}

#[test]
fn the_split_view_catches_up_a_slice_per_frame_while_paused_and_closing_stops_it() {
    use workqueue_playground::ui::split_run::SplitValues;
    let mut s = manual().reduce(Action::Restore(Box::new(shared_seed_oom(1_800))));
    while s.restoring.is_some() {
        s = s.reduce(Action::Frame(30.0));
    }
    let now = s.now();
    let s = s.reduce(Action::ToggleSplit);
    assert!(s.split.open);
    assert!(
        s.split.catching_up(),
        "30 min of two worlds takes more than one slice"
    );
    let mut s = s;
    let mut frames = 0;
    let mut last = workqueue_playground::sim::Time::ZERO;
    while let SplitValues::CatchingUp { done, goal } = *s.split.values {
        assert_eq!(goal, now);
        assert!(done >= last, "it only moves forward");
        last = done;
        s = s.reduce(Action::Frame(16.7));
        frames += 1;
        assert!(frames < 10_000, "the catch-up ends");
        assert_eq!(s.now(), now, "the paused clock does not move");
    }
    assert!(frames >= 2, "{frames} frames");
    let SplitValues::Ready {
        now: at,
        left,
        right,
        ..
    } = &*s.split.values
    else {
        panic!("{:?}", s.split.values);
    };
    assert_eq!(*at, now);
    assert_eq!(
        left.failures,
        len_failures(&s) as u64,
        "the left side is the page's own setup (seed-oom's buggy controller)"
    );
    assert!(
        right.failures < left.failures,
        "the fixed controller forgets"
    );
    // Caught up and paused: frames change nothing.
    let same = s.clone().reduce(Action::Frame(16.7));
    assert!(Rc::ptr_eq(&same, &s));

    // Closing drops the worlds.
    let s = s.reduce(Action::ToggleSplit);
    assert!(!s.split.open);
    assert_eq!(*s.split.values, SplitValues::Closed);
}

#[test]
fn the_state_decides_the_startup_restore_and_a_refused_link_leaves_the_defaults_with_a_notice() {
    use workqueue_playground::sim::encode_share;
    use workqueue_playground::ui::startup::StartupSources;
    let start = manual();
    let refused = start.clone().reduce(Action::Startup(StartupSources {
        embed: false,
        fragment: "v=99&s=seed-oom".into(),
        saved: None,
    }));
    assert_eq!(refused.scenario.id, "manual");
    assert!(refused.restoring.is_none());
    assert_eq!(refused.now(), start.now(), "the run is as it was");
    assert!(
        !refused.acted,
        "the page's own startup is not the person's act"
    );
    let notice = refused.share_notice.clone().unwrap_or_default();
    assert!(
        notice.starts_with("This link could not be opened ("),
        "{notice}"
    );
    let dismissed = refused.reduce(Action::DismissNotice);
    assert_eq!(dismissed.share_notice, None);

    let nothing = start
        .clone()
        .reduce(Action::Startup(StartupSources::default()));
    assert!(
        Rc::ptr_eq(&nothing, &start),
        "nothing to restore changes nothing"
    );

    let saved = encode_share(&shared_seed_oom(60));
    let restoring = start.reduce(Action::Startup(StartupSources {
        embed: false,
        fragment: String::new(),
        saved: Some(saved),
    }));
    assert_eq!(restoring.scenario.id, "seed-oom");
    assert!(restoring.restoring.is_some() || restoring.now().as_nanos() == 60_000_000_000);
}

/// The table, the runway and the failures map show exactly the world at the clock.
#[cfg(not(target_arch = "wasm32"))]
fn assert_views_exact(s: &AppState) {
    use workqueue_playground::ui::snapshot::item_count;
    let sim = s.sim();
    assert_eq!(s.views.now, sim.now());
    assert_eq!(s.views.items.len(), item_count(&sim));
    let waiting = sim.queue().waiting_len();
    assert!(waiting > 0);
    assert_eq!(s.views.runway.waiting, waiting);
    assert_eq!(
        s.views
            .runway
            .bins
            .iter()
            .map(|n| *n as usize)
            .sum::<usize>(),
        waiting
    );
    assert_eq!(s.views.failures.len(), sim.failures().len());
}

// Replays most of an hour of seed-oom: well under a second natively, but longer than the
// browser test runner waits for one test in a debug wasm build.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_cancelled_restore_shows_exact_tables_even_past_the_large_table_bound() {
    use workqueue_playground::sim::decode_share;
    use workqueue_playground::ui::snapshot::EXACT_ROWS;
    let share =
        decode_share("v=1&s=seed-oom&t=604800000000000").expect("a week is within the bound");
    let mut s = manual().reduce(Action::Restore(Box::new(share)));
    // Replay until the tables are past the bound above which running views reuse them.
    let mut frames = 0;
    while s.sim().failures_len() <= EXACT_ROWS {
        s = s.reduce(Action::Frame(30.0));
        frames += 1;
        assert!(s.restoring.is_some() && frames < 10_000, "still restoring");
    }
    let s = s.reduce(Action::CancelRestore);
    assert_eq!(s.restoring, None);
    // The table, the runway and the lanes show the instant the replay stopped at.
    assert_views_exact(&s);
}

// Replays most of an hour of seed-oom: well under a second natively, but longer than the
// browser test runner waits for one test in a debug wasm build.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn pausing_a_run_with_large_tables_shows_them_exact_at_the_paused_instant() {
    use workqueue_playground::ui::snapshot::EXACT_ROWS;
    let mut s = seed_oom_playing_at_1000x();
    let mut frames = 0;
    while s.sim().failures_len() <= EXACT_ROWS {
        s = s.reduce(Action::Frame(16.7));
        frames += 1;
        assert!(frames < 100_000, "the map grows past the bound");
    }
    // Run on until a frame leaves the views behind the clock (above 100× they are rebuilt
    // every other frame, reusing the large tables), then pause there.
    s = s.reduce(Action::Frame(16.7));
    while s.views.now == s.sim().now() {
        s = s.reduce(Action::Frame(16.7));
        frames += 1;
        assert!(frames < 100_000, "views lag the clock between rebuilds");
    }
    let s = s.reduce(Action::Pause);
    assert!(!s.playing);
    assert_views_exact(&s);
}
