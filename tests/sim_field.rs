//! "Scenarios from the field": each preset's key number, computed by the simulation on the
//! client-go / controller-runtime port and asserted exactly (or within the stated bound), so
//! the numbers quoted in the presets' descriptions, notes and tours stay true. They run
//! natively and under `wasm-pack test`: the page computes the same numbers.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;
use workqueue_playground::sim::{
    field_note, preset, EventKind, Group, Key, LimiterConfig, Sim, Time, PRESET_IDS,
};

fn sim(id: &str) -> Sim {
    Sim::new(preset(id).unwrap_or_else(|| panic!("preset {id}"))).expect("valid preset")
}

fn at_ms(ms: u64) -> Time {
    Time::ZERO + Duration::from_millis(ms)
}

fn key(k: &str) -> Key {
    Key::from(k)
}

/// Steps until `max_backoff` reaches `d`; returns the time, or `None` past `limit`.
fn first_backoff_of(s: &mut Sim, d: Duration, limit: Time) -> Option<Time> {
    while s.now() < limit {
        s.step()?;
        if s.max_backoff() >= d {
            return Some(s.now());
        }
    }
    None
}

/// Items the delaying queue released between `from` and `to`.
fn released_between(s: &mut Sim, from: Time, to: Time) -> u64 {
    s.run_until(from);
    let seq = s.event_count();
    s.run_until(to);
    s.events_since(seq)
        .map(|e| match e.kind {
            EventKind::Released { count } => count,
            _ => 0,
        })
        .sum()
}

#[test]
fn every_field_preset_is_grouped_and_cites_only_found_threads() {
    let field: Vec<&str> = PRESET_IDS
        .iter()
        .copied()
        .filter(|id| field_note(id).map(|n| n.group) == Some(Group::FromTheField))
        .collect();
    assert_eq!(
        field,
        [
            "forget-shared",
            "cap-1000s",
            "spurious-backoff",
            "success-hotloop",
            "bucket-hours",
            "herd",
            "bucket-10qps",
            "numrequeues-restart",
            "retries-vs-adds"
        ]
    );
    let n = field_note("spurious-backoff").expect("note");
    let labels: Vec<String> = n.threads.iter().map(|t| t.label()).collect();
    assert_eq!(
        labels,
        [
            "kubernetes/kubernetes#132805",
            "kubernetes/kubernetes#112325",
            "kubernetes/kubernetes#136853"
        ]
    );
}

#[test]
fn forget_on_a_shared_limiter_resets_the_backoff_and_leaves_the_item_queued() {
    let a = key("default/a");
    let mut s = sim("forget-shared");
    s.run_until(at_ms(4_500));
    assert_eq!(s.queue().num_requeues(&a), 5);
    assert_eq!(s.last_backoff(&a), Some(Duration::from_millis(80)));
    s.run_until(at_ms(5_500));
    // Forget cleared the limiter only: the item is still queued.
    assert_eq!(s.queue().num_requeues(&a), 0);
    assert_eq!(s.failures_len(), 0);
    assert_eq!(s.queue().len(), 1);
    s.run_until(at_ms(6_500));
    // The 6th failure would have waited 160ms; after the Forget it waits 5ms.
    assert_eq!(s.queue().num_requeues(&a), 1);
    assert_eq!(s.last_backoff(&a), Some(Duration::from_millis(5)));
}

#[test]
fn the_19th_failure_is_the_first_to_wait_the_1000s_cap() {
    let k = key("default/pod-0");
    let mut s = sim("cap-1000s");
    let when = first_backoff_of(&mut s, Duration::from_secs(1000), at_ms(3_600_000))
        .expect("the cap is reached within an hour");
    assert_eq!(s.queue().num_requeues(&k), 19);
    assert_eq!(s.last_backoff(&k), Some(Duration::from_secs(1000)));
    // 18 waits 5ms·(2^18 − 1) = 1310.715s, plus 19 reconciles of 10ms.
    assert_eq!(when.since_epoch(), Duration::from_millis(1_310_905));
    // From then on every retry waits 16m40s.
    s.run_until(when + Duration::from_secs(3 * 1000 + 1));
    assert_eq!(s.queue().num_requeues(&k), 22);
    assert_eq!(s.max_backoff(), Duration::from_secs(1000));
}

#[test]
fn spurious_events_push_the_backoff_to_the_cap_where_plain_exponential_is_at_40s() {
    let k = key("default/pod-0");
    let mut s = sim("spurious-backoff");
    let capped = first_backoff_of(&mut s, Duration::from_secs(1000), at_ms(60_000))
        .expect("capped during the outage");
    assert_eq!(capped.since_epoch(), Duration::from_millis(15_010));
    s.run_until(at_ms(60_000));
    let spurious = s.queue().num_requeues(&k);
    assert_eq!(spurious, 41);

    // The same outage without the change events: one failure per backoff.
    let mut plain = preset("spurious-backoff").expect("preset");
    plain.script.clear();
    let mut p = Sim::new(plain).expect("valid");
    p.run_until(at_ms(60_000));
    assert_eq!(p.queue().num_requeues(&k), 14);
    assert_eq!(p.last_backoff(&k), Some(Duration::from_millis(40_960)));
    assert!(spurious > 2 * p.queue().num_requeues(&k));
}

#[test]
fn the_shared_bucket_turns_five_minutes_of_errors_into_hours_of_delay() {
    let mut s = sim("bucket-hours");
    let hour = first_backoff_of(&mut s, Duration::from_secs(3600), at_ms(600_000))
        .expect("an hour's wait during the outage");
    assert_eq!(hour.since_epoch(), Duration::from_millis(143_140));
    let two = first_backoff_of(&mut s, Duration::from_secs(7200), at_ms(600_000))
        .expect("two hours' wait during the outage");
    // Just before the errors stop at 5m.
    assert_eq!(two.since_epoch(), Duration::from_millis(293_090));
    s.run_until(at_ms(600_000));
    assert_eq!(s.max_backoff(), Duration::from_millis(7_388_180));
    assert!(s.max_backoff() > Duration::from_secs(2 * 3600));
    assert_eq!(s.summary().waiting_len, 896);

    // Without the bucket no wait passes the exponential's 1000s cap.
    let mut item = preset("bucket-hours").expect("preset");
    item.limiter = LimiterConfig::ItemExponential {
        base: Duration::from_millis(5),
        max: Duration::from_secs(1000),
    };
    let mut i = Sim::new(item).expect("valid");
    i.run_until(at_ms(600_000));
    assert!(i.max_backoff() <= Duration::from_secs(1000));
}

#[test]
fn the_herd_is_spread_only_by_the_bucket_the_last_key_waits_90s() {
    let mut s = sim("herd");
    s.run_until(at_ms(120_000));
    assert_eq!(s.max_backoff(), Duration::from_secs(90));
}

#[test]
fn the_bucket_lets_retries_out_at_10_per_second_while_workers_idle() {
    let mut s = sim("bucket-10qps");
    s.set_event_capacity(10_000_000);
    let steady = released_between(&mut s, at_ms(2_000), at_ms(50_000));
    assert_eq!(steady, 480, "10 a second over 48s");
    s.run_until(at_ms(200_000));
    let failures = s
        .events_since(0)
        .filter(|e| matches!(e.kind, EventKind::AddRateLimited { .. }))
        .count();
    assert_eq!(failures, 1584);
    assert_eq!(s.max_backoff(), Duration::from_millis(147_420));
    assert_eq!(s.summary().waiting_len, 0);
}

#[test]
fn numrequeues_restarts_from_zero_after_a_redeploy_and_the_cap_never_fires() {
    let k = key("default/pod-0");
    let mut s = sim("numrequeues-restart");
    s.run_until(at_ms(119_990));
    assert_eq!(s.queue().num_requeues(&k), 15);
    s.run_until(at_ms(120_500));
    assert_eq!(s.summary().restarts, 1);
    assert!(s.queue().num_requeues(&k) < 15);
    s.run_until(at_ms(1_800_000));
    assert_eq!(s.summary().restarts, 14);
    assert_eq!(s.failures_len(), 1, "never dropped");

    // Without the redeploys the cap drops the key (Forget) at its 16th failure.
    let mut steady = preset("numrequeues-restart").expect("preset");
    steady.script.clear();
    let mut d = Sim::new(steady).expect("valid");
    d.run_until(at_ms(600_000));
    assert_eq!(d.failures_len(), 0);
    assert_eq!(d.queue().num_requeues(&k), 0);
}

#[test]
fn retries_total_follows_adds_total_with_no_error() {
    let mut s = sim("retries-vs-adds");
    s.run_until(at_ms(600_000));
    let m = s.summary();
    assert_eq!((m.adds_total, m.retries_total), (2071, 2072));
    assert_eq!(s.max_backoff(), Duration::from_millis(10));
    assert_eq!(m.failures_map_len, 0);
}

#[test]
fn requeue_true_polls_ever_slower_while_requeue_after_keeps_no_entry() {
    let mut s = sim("cr-requeue-polling");
    s.run_until(at_ms(600_000));
    assert_eq!(s.max_backoff(), Duration::from_millis(327_680));
    for i in 0..5 {
        let k = key(&format!("default/pod-{i}"));
        assert_eq!(s.queue().num_requeues(&k), 0, "{k} polls with RequeueAfter");
    }
    assert!(s.queue().num_requeues(&key("default/pod-5")) >= 17);
}

#[test]
fn terminal_errors_on_deleted_objects_keep_their_entries() {
    let mut s = sim("cr-terminal-leak");
    s.run_until(at_ms(600_000));
    assert!(!s.terminal_orphans().is_empty());
}

#[test]
fn a_success_on_its_own_status_echo_forgets_and_the_key_hot_loops() {
    let k = key("default/pod-0");
    let mut s = sim("success-hotloop");
    s.set_event_capacity(10_000_000);
    s.run_until(at_ms(60_000));
    let count =
        |s: &Sim, f: fn(&EventKind) -> bool| s.events_since(0).filter(|e| f(&e.kind)).count();
    // One failure every 22ms (10ms reconcile, 2ms echo, 10ms reconcile), never more than one
    // in the failures map and never a wait longer than 5ms.
    let failures = count(&s, |k| matches!(k, EventKind::AddRateLimited { .. }));
    assert_eq!(failures, 2727);
    assert_eq!(count(&s, |k| matches!(k, EventKind::Forget { .. })), 2727);
    assert_eq!(s.summary().retries_total, 2727);
    assert_eq!(s.max_backoff(), Duration::from_millis(5));
    assert!(s.queue().num_requeues(&k) <= 1);

    // Without the status echo: plain exponential backoff, 14 failures in the same minute.
    let mut quiet = preset("success-hotloop").expect("preset");
    quiet.outcomes.status_echo = None;
    let mut q = Sim::new(quiet).expect("valid");
    q.run_until(at_ms(60_000));
    assert_eq!(q.queue().num_requeues(&k), 14);
    assert!(failures > 100 * 14);
}

#[test]
fn on_the_priority_queue_the_echo_cancels_the_retry_and_the_broken_object_is_never_retried() {
    let mut sc = preset("success-hotloop").expect("preset");
    sc.queue = workqueue_playground::sim::QueueKind::ControllerRuntime;
    let mut s = Sim::new(sc).expect("valid");
    s.run_until(at_ms(60_000));
    // Fail at 10ms, echo at 12ms promotes the waiting retry, success at 22ms Forgets: then nothing.
    let m = s.summary();
    assert_eq!(
        (m.retries_total, m.failures_map_len, m.waiting_len),
        (1, 0, 0)
    );
    assert_eq!(s.summary().steps, 3);
}

#[test]
fn the_default_controller_limiter_s_bucket_holds_the_hot_loop_to_10_failures_a_second() {
    let mut sc = preset("success-hotloop").expect("preset");
    sc.limiter = LimiterConfig::DefaultController;
    let mut s = Sim::new(sc).expect("valid");
    s.run_until(at_ms(60_000));
    // The burst of 100, then 10 a second for the rest of the minute.
    assert_eq!(s.summary().retries_total, 700);
}
