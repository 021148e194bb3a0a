//! controller-runtime mode: each `Reconcile` result becomes exactly the
//! queue calls `reconcileHandler` (v0.25.3) makes on the priority queue;
//! the initial list is enqueued at `handler.LowPriority`; the priority
//! queue's default limiter has no shared bucket; a TerminalError key whose
//! object is then deleted keeps its failures entry and the leak detector
//! says why.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;
use workqueue_playground::sim::leaks::{findings, FindingKind, Severity};
use workqueue_playground::sim::{
    preset, EventKind, Input, Key, OutageWindow, ProcessingTime, QueueKind, ReconcileOutcome,
    ReconcileResult, Scenario, Sim, Time, LOW_PRIORITY,
};

fn at(d: Duration) -> Time {
    Time::ZERO + d
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A controller-runtime world with one worker (10 ms reconciles) and the
/// given per-key results.
fn cr(results: &[(&str, ReconcileResult)]) -> Scenario {
    let mut s = Scenario::empty("cr");
    s.queue = QueueKind::ControllerRuntime;
    s.workers.count = 1;
    s.workers.processing = ProcessingTime::Fixed(ms(10));
    s.outcomes.results = results.iter().map(|(k, r)| ((*k).to_owned(), *r)).collect();
    s
}

/// The Go calls logged for `k`, in order.
fn calls(sim: &Sim, k: &str) -> Vec<String> {
    sim.events()
        .filter(|e| e.key().is_some_and(|key| &**key == k))
        .map(|e| e.call())
        .collect()
}

/// One reconcile of a freshly created key returning `result`; the calls
/// from the reconcile on (first 12 ms: one pass).
fn one_pass(result: ReconcileResult) -> Vec<String> {
    let k = "default/k";
    let mut sim = Sim::new(cr(&[(k, result)])).expect("valid");
    sim.apply(Input::Change(Key::from(k))).expect("create");
    sim.run_until(at(ms(12)));
    let all = calls(&sim, k);
    assert_eq!(
        all[..3],
        [
            "AddFunc(\"default/k\")".to_owned(),
            "q.AddWithOpts(priorityqueue.AddOpts{}, \"default/k\")".to_owned(),
            "q.GetWithPriority() → \"default/k\", 0".to_owned(),
        ]
    );
    all[3..].to_vec()
}

#[test]
fn each_reconcile_result_makes_reconcile_handlers_queue_calls() {
    let r = |o| ReconcileResult::new(o);
    assert_eq!(
        one_pass(r(ReconcileOutcome::Success)),
        [
            "Reconcile(ctx, {\"default/k\"}) → (reconcile.Result{}, nil)",
            "queue.Forget(\"default/k\")",
            "queue.Done(\"default/k\")",
        ]
    );
    assert_eq!(
        one_pass(r(ReconcileOutcome::Error)),
        [
            "Reconcile(ctx, {\"default/k\"}) → (reconcile.Result{}, err)",
            "q.AddWithOpts(priorityqueue.AddOpts{RateLimited: true, Priority: ptr.To(0)}, \"default/k\") → When()=5ms (failures 0→1)",
            "queue.Done(\"default/k\")",
        ]
    );
    assert_eq!(
        one_pass(r(ReconcileOutcome::TerminalError)),
        [
            "Reconcile(ctx, {\"default/k\"}) → (reconcile.Result{}, reconcile.TerminalError(err))",
            "queue.Done(\"default/k\")",
        ],
        "a TerminalError neither re-adds nor Forgets"
    );
    assert_eq!(
        one_pass(r(ReconcileOutcome::Requeue)),
        [
            "Reconcile(ctx, {\"default/k\"}) → (reconcile.Result{Requeue: true}, nil)",
            "q.AddWithOpts(priorityqueue.AddOpts{RateLimited: true, Priority: ptr.To(0)}, \"default/k\") → When()=5ms (failures 0→1)",
            "queue.Done(\"default/k\")",
        ],
        "Requeue: true is a rate-limited add and no Forget"
    );
    assert_eq!(
        one_pass(ReconcileResult {
            outcome: ReconcileOutcome::RequeueAfter(Duration::from_secs(30)),
            priority: Some(7),
        }),
        [
            "Reconcile(ctx, {\"default/k\"}) → (reconcile.Result{RequeueAfter: 30s, Priority: ptr.To(7)}, nil)",
            "queue.Forget(\"default/k\")",
            "q.AddWithOpts(priorityqueue.AddOpts{After: 30s, Priority: ptr.To(7)}, \"default/k\")",
            "queue.Done(\"default/k\")",
        ],
        "RequeueAfter: Forget, then an add after d at Result.Priority"
    );
}

#[test]
fn requeue_polling_doubles_while_requeue_after_stays_steady() {
    let k = "default/k";
    let mut sim =
        Sim::new(cr(&[(k, ReconcileResult::new(ReconcileOutcome::Requeue))])).expect("valid");
    sim.apply(Input::Change(Key::from(k))).expect("create");
    sim.run_until(at(Duration::from_secs(60)));
    let whens: Vec<Duration> = sim
        .events()
        .filter_map(|e| match &e.kind {
            EventKind::AddWithOpts { when: Some(w), .. } => Some(*w),
            _ => None,
        })
        .collect();
    assert!(whens.len() >= 10, "{whens:?}");
    for (n, w) in whens.iter().enumerate() {
        assert_eq!(*w, ms(5) * (1 << n), "poll {n}");
    }
    assert_eq!(sim.polling_keys(), [Key::from(k)]);
    let f = findings(&sim);
    assert!(f
        .iter()
        .any(|f| f.kind == FindingKind::RequeuePolling && f.text.contains("RequeueAfter")));
}

#[test]
fn the_initial_list_is_enqueued_at_low_priority_and_requeues_keep_it() {
    let mut s = cr(&[]);
    s.informer.initial_objects = 2;
    s.outcomes.result = Some(ReconcileResult::new(ReconcileOutcome::Requeue));
    let mut sim = Sim::new(s).expect("valid");
    sim.run_until(at(ms(100)));
    let first = calls(&sim, "default/pod-0");
    assert_eq!(
        first[0],
        "q.AddWithOpts(priorityqueue.AddOpts{Priority: ptr.To(-100)}, \"default/pod-0\")"
    );
    assert_eq!(first[1], "q.GetWithPriority() → \"default/pod-0\", -100");
    assert!(
        first[3].contains("RateLimited: true, Priority: ptr.To(-100)"),
        "{first:?}"
    );
    assert_eq!(LOW_PRIORITY, -100);
    // A change event is a plain add (priority 0, above the listed keys).
    sim.apply(Input::Change(Key::from("default/new")))
        .expect("create");
    assert_eq!(
        calls(&sim, "default/new")[1],
        "q.AddWithOpts(priorityqueue.AddOpts{}, \"default/new\")"
    );
}

#[test]
fn the_depth_sample_splits_the_low_priority_list_from_events_at_zero() {
    let mut s = cr(&[]);
    s.informer.initial_objects = 5;
    let mut sim = Sim::new(s).expect("valid");
    // No worker takes anything at t=0 before the list is in: all five wait at -100.
    sim.apply(Input::Change(Key::from("default/new")))
        .expect("create");
    sim.apply(Input::Change(Key::from("default/other")))
        .expect("create");
    let sample = sim.sample_state();
    let d = sample
        .depth_by_priority
        .expect("the priority queue labels depth");
    assert_eq!(
        d.below_zero + d.zero + d.above_zero + d.exceeded,
        sample.depth
    );
    assert!(d.below_zero >= 1, "{d:?}");
    assert_eq!(d.exceeded, 0);
    // client-go's depth has no label.
    let plain = Sim::new(Scenario::empty("cg")).expect("valid");
    assert_eq!(plain.sample_state().depth_by_priority, None);
}

#[test]
fn two_hundred_fails_stay_at_5ms_without_the_bucket_and_go_into_debt_with_it() {
    let whens = |queue: QueueKind| -> (Vec<Duration>, Sim) {
        let mut s = Scenario::empty("fails");
        s.queue = queue;
        let mut sim = Sim::new(s).expect("valid");
        for i in 0..200 {
            sim.apply(Input::Fail(Key::from(format!("default/k{i}"))))
                .expect("fail");
        }
        let w = sim
            .events()
            .filter_map(|e| match &e.kind {
                EventKind::AddRateLimited { when, .. } => Some(*when),
                EventKind::AddWithOpts { when: Some(w), .. } => Some(*w),
                _ => None,
            })
            .collect();
        (w, sim)
    };
    let (cr, cr_sim) = whens(QueueKind::ControllerRuntime);
    assert_eq!(cr.len(), 200);
    assert!(cr.iter().all(|w| *w == ms(5)), "{cr:?}");
    assert!(cr_sim.queue().limiter().tokens().is_none());
    let (cg, cg_sim) = whens(QueueKind::ClientGo);
    assert_eq!(cg.len(), 200);
    assert!(cg[..100].iter().all(|w| *w == ms(5)), "the burst of 100");
    assert!(cg[199] >= Duration::from_secs(9), "{:?}", cg[199]);
    assert!(cg_sim.queue().limiter().tokens().is_some_and(|t| t < 0.0));
}

/// Errors during a one-second outage, then TerminalError; the object is
/// deleted at 10 s.
fn terminal_then_deleted(enqueue_on_delete: bool) -> Sim {
    let k = "default/t";
    let mut s = cr(&[(k, ReconcileResult::new(ReconcileOutcome::TerminalError))]);
    s.informer.enqueue_on_delete = enqueue_on_delete;
    s.outcomes.outages = vec![OutageWindow {
        start: Duration::ZERO,
        duration: Duration::from_secs(1),
    }];
    let mut sim = Sim::new(s).expect("valid");
    sim.apply(Input::Change(Key::from(k))).expect("create");
    sim.run_until(at(Duration::from_secs(10)));
    sim.apply(Input::DeleteObject(Key::from(k)))
        .expect("delete");
    sim.run_until(at(Duration::from_secs(3600)));
    sim
}

#[test]
fn a_terminal_error_key_deleted_later_keeps_its_failures_entry_and_the_detector_says_why() {
    let k = Key::from("default/t");
    let sim = terminal_then_deleted(false);
    let failures = sim.queue().num_requeues(&k);
    assert!(failures >= 5, "the outage's errors counted: {failures}");
    assert_eq!(sim.failures().len(), 1);
    assert_eq!(sim.orphan_entries(), 1);
    assert_eq!(sim.terminal_orphans(), std::slice::from_ref(&k));
    let f = findings(&sim);
    let t = f
        .iter()
        .find(|f| f.kind == FindingKind::TerminalOrphans)
        .expect("terminal finding");
    assert_eq!(t.severity, Severity::Leak);
    for words in [
        "default/t",
        "TerminalError",
        "neither re-adds nor calls Forget",
        "deletes are not enqueued",
    ] {
        assert!(t.text.contains(words), "{words}: {}", t.text);
    }
    // With the delete enqueued, the reconcile of the gone object succeeds and Forgets.
    let healed = terminal_then_deleted(true);
    assert_eq!(healed.queue().num_requeues(&k), 0);
    assert!(healed.terminal_orphans().is_empty());
}

#[test]
fn the_controller_runtime_presets_teach_their_fact() {
    let mut leak = Sim::new(preset("cr-terminal-leak").expect("preset")).expect("valid");
    leak.run_until(at(Duration::from_secs(600)));
    assert!(
        leak.terminal_orphans().len() >= 5,
        "{}",
        leak.terminal_orphans().len()
    );
    assert!(findings(&leak)
        .iter()
        .any(|f| f.kind == FindingKind::TerminalOrphans));
    let mut poll = Sim::new(preset("cr-requeue-polling").expect("preset")).expect("valid");
    poll.run_until(at(Duration::from_secs(600)));
    assert_eq!(poll.polling_keys().len(), 45);
    assert_eq!(
        poll.failures_len(),
        45,
        "every Requeue: true poller, none of RequeueAfter"
    );
    assert!(poll.max_backoff() >= Duration::from_secs(300));
}

#[test]
fn a_controller_runtime_scenario_round_trips_and_replays_identically() {
    let s = preset("cr-requeue-polling").expect("preset");
    let back = Scenario::from_json(&s.to_json()).expect("round trip");
    assert_eq!(back, s);
    let run = |s: Scenario| {
        let mut sim = Sim::new(s).expect("valid");
        sim.run_until(at(Duration::from_secs(120)));
        let mut fork = sim.snapshot();
        sim.run_until(at(Duration::from_secs(240)));
        fork.run_until(at(Duration::from_secs(240)));
        assert_eq!(sim.trace_hash(), fork.trace_hash());
        sim.trace_hash()
    };
    assert_eq!(run(s), run(back));
}

#[test]
fn switching_the_queue_redeploys_on_the_other_model_and_keeps_the_objects() {
    let mut s = Scenario::empty("switch");
    s.workers.count = 0;
    let mut sim = Sim::new(s).expect("valid");
    let k = Key::from("default/k");
    sim.apply(Input::Change(k.clone())).expect("create");
    sim.apply(Input::Fail(k.clone())).expect("fail");
    assert_eq!(sim.queue().num_requeues(&k), 1);
    assert!(
        sim.apply(Input::SetReconcileResult(ReconcileResult::new(
            ReconcileOutcome::Requeue
        )))
        .unwrap_err()
        .reason
        .contains("controller-runtime priority queue first"),
        "client-go mode has no Reconcile result"
    );

    sim.apply(Input::SetQueue(QueueKind::ControllerRuntime))
        .expect("switch");
    assert_eq!(sim.queue_kind(), QueueKind::ControllerRuntime);
    assert_eq!(
        sim.queue().num_requeues(&k),
        0,
        "a new process: the failures map starts empty"
    );
    // The informer re-listed the live object into the new queue, as part of
    // the initial list: at handler.LowPriority.
    assert_eq!(sim.queue().len(), 1);
    assert_eq!(
        calls(&sim, "default/k").last().map(String::as_str),
        Some("q.AddWithOpts(priorityqueue.AddOpts{Priority: ptr.To(-100)}, \"default/k\")")
    );
    assert!(sim
        .apply(Input::SetQueue(QueueKind::ControllerRuntime))
        .is_err());

    sim.apply(Input::SetQueue(QueueKind::ClientGo))
        .expect("back");
    assert_eq!(sim.queue_kind(), QueueKind::ClientGo);
    assert_eq!(sim.queue().len(), 1);
}

#[test]
fn add_with_opts_by_hand_sets_priority_and_counts_a_failure_when_rate_limited() {
    let mut s = cr(&[]);
    s.workers.count = 0;
    let mut sim = Sim::new(s).expect("valid");
    let hi = Key::from("default/hi");
    let lo = Key::from("default/lo");
    sim.apply(Input::AddWithOpts {
        key: lo.clone(),
        after: None,
        rate_limited: false,
        priority: None,
    })
    .expect("add lo");
    sim.apply(Input::AddWithOpts {
        key: hi.clone(),
        after: None,
        rate_limited: false,
        priority: Some(10),
    })
    .expect("add hi");
    assert_eq!(
        calls(&sim, "default/hi"),
        ["q.AddWithOpts(priorityqueue.AddOpts{Priority: ptr.To(10)}, \"default/hi\")"]
    );
    // Higher priority first, although it was added second.
    sim.apply(Input::Get).expect("get");
    assert!(sim
        .events()
        .last()
        .is_some_and(|e| e.call() == "q.GetWithPriority() → \"default/hi\", 10"));

    sim.apply(Input::AddWithOpts {
        key: lo.clone(),
        after: Some(ms(50)),
        rate_limited: true,
        priority: None,
    })
    .expect("rate-limited add");
    // When (5ms) < After (50ms): the delay is min(After, When), the failure counted.
    assert_eq!(sim.queue().num_requeues(&lo), 1);
    let bad = Input::AddWithOpts {
        key: lo.clone(),
        after: None,
        rate_limited: false,
        priority: Some(2_000_000),
    };
    assert!(sim
        .apply(bad)
        .unwrap_err()
        .reason
        .contains("priority must be between"));
    let json = serde_json::to_string(&Input::AddWithOpts {
        key: hi,
        after: Some(ms(30)),
        rate_limited: true,
        priority: Some(-100),
    })
    .expect("json");
    assert_eq!(
        json,
        r#"{"add_with_opts":{"key":"default/hi","after":"30ms","rate_limited":true,"priority":-100}}"#
    );
    let back: Input = serde_json::from_str(&json).expect("parses");
    assert!(matches!(
        back,
        Input::AddWithOpts {
            priority: Some(-100),
            ..
        }
    ));

    let mut cg = Sim::new(Scenario::empty("cg")).expect("valid");
    assert!(cg
        .apply(Input::AddWithOpts {
            key: lo,
            after: None,
            rate_limited: false,
            priority: Some(1),
        })
        .unwrap_err()
        .reason
        .contains("only in controller-runtime"));
}

#[test]
fn setting_the_reconcile_result_changes_what_the_handler_calls() {
    let mut sim = Sim::new(cr(&[])).expect("valid");
    sim.apply(Input::SetReconcileResult(ReconcileResult::new(
        ReconcileOutcome::RequeueAfter(Duration::from_secs(30)),
    )))
    .expect("set");
    sim.apply(Input::Change(Key::from("default/p")))
        .expect("create");
    sim.run_until(at(ms(12)));
    let c = calls(&sim, "default/p");
    assert!(
        c.iter().any(|l| l == "queue.Forget(\"default/p\")"),
        "RequeueAfter forgets: {c:?}"
    );
    assert!(
        c.iter()
            .any(|l| l.starts_with("q.AddWithOpts(priorityqueue.AddOpts{After: 30s")),
        "then adds after 30s: {c:?}"
    );
    let zero = Input::SetReconcileResult(ReconcileResult::new(ReconcileOutcome::RequeueAfter(
        Duration::ZERO,
    )));
    assert!(sim
        .apply(zero)
        .unwrap_err()
        .reason
        .contains("requeue_after"));
}
