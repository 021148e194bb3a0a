//! The facts each preset teaches, asserted on the model itself (not on
//! hard-coded outputs): backoff reaching the cap, the failures map holding
//! exactly what client-go's code says it holds, the herd's 90 s, stingy
//! de-duplication, skip-to-next-due, and scenario errors naming the field.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::collections::BTreeSet;
use std::time::Duration;
use workqueue_playground::sim::{
    preset, EventKind, Input, Key, KeyStatus, Policy, Scenario, Sim, Time,
};

fn secs(n: u64) -> Time {
    Time::ZERO + Duration::from_secs(n)
}

fn key(k: &str) -> Key {
    Key::from(k)
}

/// The `When()` results logged for `k`, in order.
fn whens(sim: &Sim, k: &str) -> Vec<Duration> {
    sim.events()
        .filter_map(|e| match &e.kind {
            EventKind::AddRateLimited { key, when, .. } if &**key == k => Some(*when),
            _ => None,
        })
        .collect()
}

#[test]
fn buggy_policy_pins_a_key_changed_25_times_at_1000s_from_the_19th_call() {
    let mut s = preset("manual").expect("manual");
    s.policy = Policy::Buggy;
    let mut sim = Sim::new(s).expect("valid");
    for i in 0..25 {
        sim.run_until(secs(i));
        sim.apply(Input::Change(key("default/web")))
            .expect("accepted");
    }
    let got = whens(&sim, "default/web");
    assert_eq!(got.len(), 25);
    for (i, d) in got.iter().enumerate() {
        let n = i as u32 + 1;
        let want = if n >= 19 {
            Duration::from_secs(1000)
        } else {
            Duration::from_millis(5) * 2u32.pow(n - 1)
        };
        assert_eq!(*d, want, "call {n}");
    }
    // One key, one entry, and it never shrinks: nobody calls Forget.
    assert_eq!(sim.summary().failures_map_len, 1);
    assert_eq!(sim.queue().num_requeues(&key("default/web")), 25);
    // Calls 19..=25 returned the cap: the scrubber paints them as "cap reached".
    assert_eq!(sim.sample_state().capped_total, 7);
}

/// Runs `sim` step by step to `until`, calling `check` after every step
/// with the events that step produced.
fn each_step(sim: &mut Sim, until: Time, mut check: impl FnMut(&Sim, &[EventKind])) {
    sim.set_event_capacity(1 << 16);
    let mut next = sim.event_count();
    while sim.next_event_at().is_some_and(|t| t <= until) {
        sim.step();
        let new: Vec<EventKind> = sim.events_since(next).map(|e| e.kind.clone()).collect();
        assert_eq!(new.len() as u64, sim.event_count() - next, "ring too small");
        next = sim.event_count();
        check(sim, &new);
    }
}

#[test]
fn seed_oom_map_holds_exactly_the_keys_rate_limited_since_the_last_restart() {
    let mut s = preset("seed-oom").expect("seed-oom");
    // A tighter limit than the preset's, so a kill and a restart happen early.
    s.memory.limit_bytes = Some(s.memory.base_bytes + (512 << 10));
    let mut sim = Sim::new(s).expect("valid");
    let mut seen: BTreeSet<Key> = sim
        .events()
        .filter_map(|e| match &e.kind {
            EventKind::AddRateLimited { key, .. } => Some(key.clone()),
            _ => None,
        })
        .collect();
    let (mut steps, mut kills, mut restarts) = (0u64, 0, 0);
    each_step(&mut sim, secs(900), |sim, new| {
        for kind in new {
            match kind {
                EventKind::AddRateLimited { key, .. } => {
                    seen.insert(key.clone());
                }
                EventKind::OomKilled { .. } => {
                    kills += 1;
                    seen.clear();
                }
                EventKind::Started { .. } => {
                    restarts += 1;
                    seen.clear();
                }
                EventKind::Forget { .. } => panic!("the buggy policy never calls Forget"),
                _ => {}
            }
        }
        assert_eq!(
            sim.summary().failures_map_len as usize,
            seen.len(),
            "at {}",
            sim.now()
        );
        steps += 1;
        if steps % 2000 == 0 {
            let rows: BTreeSet<Key> = sim.failures().into_iter().map(|r| r.key).collect();
            assert_eq!(rows, seen);
            let orphans = sim
                .failures()
                .iter()
                .filter(|r| r.status == KeyStatus::Orphan)
                .count();
            assert_eq!(orphans, sim.orphan_entries());
        }
    });
    assert!(kills >= 1, "expected an OOM kill in 15 minutes");
    assert!(restarts >= 1, "expected a restart");
    assert_eq!(sim.memory().oom_kills, kills);
}

#[test]
fn seed_oom_grows_with_distinct_keys_and_keeps_orphans() {
    let mut sim = Sim::new(preset("seed-oom").expect("seed-oom")).expect("valid");
    sim.run_until(secs(600));
    let s = sim.summary();
    // Churn: far more distinct keys than live objects, most of them orphans.
    assert!(s.failures_map_len > 3 * s.live_keys, "{s:?}");
    assert!(s.orphan_failure_entries > s.live_keys, "{s:?}");
    assert_eq!(
        s.orphan_failure_entries + live_with_entry(&sim),
        s.failures_map_len
    );
    // Busy keys reach the 1000 s cap (or beyond, when the shared bucket is in debt).
    assert!(s.max_backoff_ns >= 1_000_000_000_000, "{s:?}");
}

fn live_with_entry(sim: &Sim) -> u64 {
    sim.failures()
        .iter()
        .filter(|r| r.status == KeyStatus::Live)
        .count() as u64
}

#[test]
fn fixed_policy_keeps_the_map_at_the_currently_failing_keys() {
    let mut sim = Sim::new(preset("fixed").expect("fixed")).expect("valid");
    let mut failing: BTreeSet<Key> = BTreeSet::new();
    let mut max_len = 0;
    each_step(&mut sim, secs(300), |sim, new| {
        for kind in new {
            match kind {
                EventKind::ReconcileFailed { key, .. } => {
                    failing.insert(key.clone());
                }
                EventKind::ReconcileOk { key, .. } | EventKind::GaveUp { key, .. } => {
                    failing.remove(key);
                }
                _ => {}
            }
        }
        let map: BTreeSet<Key> = sim.failures().into_iter().map(|r| r.key).collect();
        assert_eq!(map, failing, "at {}", sim.now());
        max_len = max_len.max(map.len());
    });
    assert!(max_len >= 1, "5% errors should have made some key fail");
    assert!(
        sim.summary().max_backoff_ns < 1_000_000_000,
        "waits stay short"
    );
}

#[test]
fn herd_last_key_waits_90s_on_the_shared_bucket() {
    let mut sim = Sim::new(preset("herd").expect("herd")).expect("valid");
    sim.run_until(secs(2));
    let waits: Vec<Duration> = sim
        .events()
        .filter_map(|e| match &e.kind {
            EventKind::AddRateLimited {
                when,
                failures_before: 0,
                ..
            } => Some(*when),
            _ => None,
        })
        .collect();
    assert_eq!(waits.len(), 1000);
    // Each key failed once (own backoff 5 ms); the bucket adds 100 ms per call past the burst.
    assert_eq!(waits.iter().max(), Some(&Duration::from_secs(90)));
    assert_eq!(
        waits
            .iter()
            .filter(|w| **w <= Duration::from_millis(5))
            .count(),
        100
    );
    assert_eq!(sim.max_backoff(), Duration::from_secs(90));
}

#[test]
fn dedup_processes_the_key_at_most_twice() {
    let mut sim = Sim::new(preset("dedup").expect("dedup")).expect("valid");
    sim.run_until(secs(60));
    let gets = sim
        .events()
        .filter(|e| matches!(&e.kind, EventKind::Get { key, .. } if &**key == "default/hot"))
        .count();
    let adds = sim
        .events()
        .filter(|e| matches!(&e.kind, EventKind::Add { key, .. } if &**key == "default/hot"))
        .count();
    assert_eq!(adds, 101, "one change plus 100 adds");
    assert!(gets <= 2, "processed {gets} times");
    assert_eq!(
        gets, 2,
        "re-added while processing: processed once more after Done"
    );
    assert_eq!(
        sim.summary().adds_total,
        2,
        "only two adds reached the dirty set"
    );
}

#[test]
fn poison_key_climbs_alone_in_the_map() {
    let mut sim = Sim::new(preset("poison").expect("poison")).expect("valid");
    sim.run_until(secs(3600));
    let rows = sim.failures();
    assert_eq!(rows.len(), 1);
    let row = rows.first().expect("one row");
    assert_eq!(&*row.key, "default/poison");
    assert!(row.requeues >= 19, "an hour of failures: {}", row.requeues);
    assert_eq!(row.last_backoff, Some(Duration::from_secs(1000)));
}

#[test]
fn skip_to_next_due_lands_exactly_on_the_smallest_ready_time() {
    let mut sim = Sim::new(preset("manual").expect("manual")).expect("valid");
    // Failures at different instants and counts, so the ready times differ.
    for (i, k) in ["default/a", "default/b", "default/c"].iter().enumerate() {
        sim.run_until(Time::ZERO + Duration::from_millis(2 * i as u64));
        for _ in 0..=i {
            sim.apply(Input::Fail(key(k))).expect("accepted");
        }
    }
    let mut expected: Vec<Time> = sim.queue().waiting().iter().map(|(_, t)| *t).collect();
    expected.sort();
    expected.dedup();
    assert_eq!(expected.len(), 3, "{expected:?}");
    for want in expected {
        let got = sim.skip_to_next_due();
        assert_eq!(got, Some(want));
        assert_eq!(sim.now(), want);
        assert!(matches!(
            sim.events().last().map(|e| &e.kind),
            Some(EventKind::Released { .. })
        ));
    }
    assert_eq!(sim.skip_to_next_due(), None);
}

#[test]
fn bad_scenario_json_names_the_field() {
    let mut json: serde_json::Value =
        serde_json::from_str(&preset("seed-oom").expect("seed-oom").to_json()).expect("json");
    json["informer"]["churn"]["lifetime"] = serde_json::json!("100 seconds");
    let e = Scenario::from_json(&json.to_string()).expect_err("bad duration");
    assert_eq!(e.field, "informer.churn.lifetime");
    json["informer"]["churn"]["lifetime"] = serde_json::json!("100s");
    json["outcomes"]["error_rate"] = serde_json::json!(1.5);
    let e = Scenario::from_json(&json.to_string()).expect_err("bad rate");
    assert_eq!(e.field, "outcomes.error_rate");
    json["outcomes"]["error_rate"] = serde_json::json!(0.05);
    json["workers"]["threads"] = serde_json::json!(3);
    let e = Scenario::from_json(&json.to_string()).expect_err("unknown field");
    assert_eq!(e.field, "workers.threads");
    assert!(
        e.to_string().starts_with("workers.threads: unknown field"),
        "{e}"
    );
}

#[test]
fn refused_inputs_change_nothing() {
    let mut sim = Sim::new(preset("dedup").expect("dedup")).expect("valid");
    sim.run_until(secs(1));
    let before = (sim.trace_hash(), sim.event_count());
    assert!(
        sim.apply(Input::Done(key("default/hot"))).is_err(),
        "worker 0 holds it"
    );
    assert!(sim.apply(Input::DeleteObject(key("default/none"))).is_err());
    assert!(sim.apply(Input::SetErrorRate(2.0)).is_err());
    assert!(sim.apply(Input::Get).is_err(), "nothing queued");
    assert_eq!((sim.trace_hash(), sim.event_count()), before);
}

#[test]
fn len_failures_is_the_per_item_map_and_a_max_of_two_shows_both_maps_by_name() {
    use workqueue_playground::sim::LimiterConfig;
    let ms = Duration::from_millis;
    let mut s = preset("manual").expect("manual");
    s.limiter = LimiterConfig::MaxOf(vec![
        LimiterConfig::ItemExponential {
            base: ms(5),
            max: Duration::from_secs(1000),
        },
        LimiterConfig::ItemFastSlow {
            fast: ms(10),
            slow: Duration::from_secs(10),
            max_fast_attempts: 3,
        },
    ]);
    let mut sim = Sim::new(s).expect("valid");
    let before = sim.memory().bytes;
    for k in ["ns/a", "ns/b"] {
        sim.apply(Input::Fail(key(k))).expect("fail");
    }
    // Both per-item limiters saw both When calls: the same two keys in each map.
    assert_eq!(
        sim.failure_maps(),
        [
            ("ItemExponentialFailureRateLimiter", 2),
            ("ItemFastSlowRateLimiter", 2)
        ]
    );
    // len(failures) is client-go's: one map's entries, not the sum of both.
    assert_eq!(sim.failures_len(), 2);
    assert_eq!(sim.summary().failures_map_len, 2);
    assert_eq!(sim.failures().len(), 2);
    assert_eq!(sim.sample_state().failures_len, 2);
    // Memory counts each map's entries.
    let one_map = {
        let mut single = preset("manual").expect("manual");
        single.limiter = LimiterConfig::ItemExponential {
            base: ms(5),
            max: Duration::from_secs(1000),
        };
        let mut s1 = Sim::new(single).expect("valid");
        let b = s1.memory().bytes;
        for k in ["ns/a", "ns/b"] {
            s1.apply(Input::Fail(key(k))).expect("fail");
        }
        s1.memory().bytes - b
    };
    assert!(
        sim.memory().bytes - before > one_map,
        "two maps cost more than one"
    );
    sim.apply(Input::Forget(key("ns/a"))).expect("forget");
    assert_eq!(sim.failures_len(), 1);
    assert_eq!(
        sim.failure_maps(),
        [
            ("ItemExponentialFailureRateLimiter", 1),
            ("ItemFastSlowRateLimiter", 1)
        ]
    );
}
