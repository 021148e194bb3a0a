//! The built-in scenarios, each teaching one fact about the workqueue.
//!
//! They are ordinary [`Scenario`] values (the same JSON a user could write),
//! so the CLI, the UI, share links and golden tests all treat them alike.

use crate::sim::input::Input;
use crate::sim::limiter::LimiterConfig;
use crate::sim::memory::{MemoryConfig, DEFAULT_BASE_BYTES};
use crate::sim::policy::{ChangeCall, ErrorCall, Policy, PolicyToggles};
use crate::sim::queue_model::QueueKind;
use crate::sim::reconcile::{ReconcileOutcome, ReconcileResult};
use crate::sim::scenario::{
    ChurnConfig, InformerConfig, OutageWindow, OutcomeConfig, ProcessingTime, Scenario,
    ScriptEntry, WorkerConfig,
};
use crate::sim::Key;
use std::time::Duration;

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
    Some(match id {
        "manual" => manual(),
        "seed-oom" => seed_oom(),
        "fixed" => fixed(),
        "poison" => poison(),
        "outage" => outage(),
        "herd" => herd(),
        "dedup" => dedup(),
        "cr-terminal-leak" => cr_terminal_leak(),
        "cr-requeue-polling" => cr_requeue_polling(),
        "forget-shared" => forget_shared(),
        "cap-1000s" => cap_1000s(),
        "spurious-backoff" => spurious_backoff(),
        "success-hotloop" => success_hotloop(),
        "bucket-hours" => bucket_hours(),
        "numrequeues-restart" => numrequeues_restart(),
        "retries-vs-adds" => retries_vs_adds(),
        "bucket-10qps" => bucket_10qps(),
        _ => return None,
    })
}

fn key(k: &str) -> Key {
    Key::from(k)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn script(at: Duration, input: Input) -> ScriptEntry {
    ScriptEntry {
        at,
        input,
        repeat: 1,
        every: Duration::ZERO,
    }
}

/// The UI's first-load default: nothing exists and nothing runs until you act.
fn manual() -> Scenario {
    Scenario {
        title: "Free play".to_owned(),
        description:
            "An empty queue with client-go's default controller rate limiter and no workers. \
                      Add keys, Get and Fail them, Forget them, and watch the failures map and the \
                      backoff grow and shrink."
                .to_owned(),
        ..Scenario::empty("manual")
    }
}

/// The seed story: the buggy enqueue, object churn, a memory limit.
fn seed_oom() -> Scenario {
    Scenario {
        title: "The seed bug: AddRateLimited on every change, never Forget".to_owned(),
        description: "About 200 live objects; 2 are created and 2 deleted per second (about 100 s of \
                      life each); each changes about every 5 s; 5% of reconciles fail. The controller \
                      calls AddRateLimited on every change and never calls Forget, so every key ever \
                      seen (deleted ones too) keeps its failures-map entry, busy keys are pushed to \
                      the 1000 s cap, and every change also takes a token from the shared 10 qps \
                      bucket. Memory grows until the pod is OOM-killed; it restarts, re-lists, and \
                      grows again: the sawtooth that hid the bug for two years."
            .to_owned(),
        seed: 42,
        limiter: LimiterConfig::DefaultController,
        policy: Policy::Buggy,
        workers: WorkerConfig {
            count: 4,
            processing: ProcessingTime::Uniform { min: ms(20), max: ms(80) },
        },
        informer: InformerConfig {
            initial_objects: 200,
            change_every: Some(secs(5)),
            churn: Some(ChurnConfig {
                create_every: ms(500),
                lifetime: secs(100),
            }),
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            error_rate: 0.05,
            ..OutcomeConfig::default()
        },
        memory: MemoryConfig {
            limit_bytes: Some(DEFAULT_BASE_BYTES + (3 << 20)),
            ..MemoryConfig::default()
        },
        ..Scenario::empty("seed-oom")
    }
}

/// The same world and events as `seed-oom`, with sample-controller's policy.
fn fixed() -> Scenario {
    Scenario {
        id: "fixed".to_owned(),
        title: "The fix: Add on change, AddRateLimited on error, Forget on success".to_owned(),
        description: "The seed-oom world with the same seed and events, and the fixed controller. \
                      The failures map holds only the keys that are failing right now, waits stay \
                      short, and memory stays flat."
            .to_owned(),
        policy: Policy::Fixed { max_requeues: None },
        ..seed_oom()
    }
}

/// One key that always fails.
fn poison() -> Scenario {
    Scenario {
        title: "A poison key".to_owned(),
        description: "20 healthy objects and one, default/poison, whose reconcile always fails. With \
                      the fixed policy and no retry cap it climbs 5 ms, 10 ms, ... to the 1000 s cap \
                      and is retried every 16m40s forever: a bounded map of one entry. Switch the \
                      policy to a retry cap (fixed, drop after 5) to see Forget + drop."
            .to_owned(),
        seed: 7,
        policy: Policy::Fixed { max_requeues: None },
        workers: WorkerConfig {
            count: 2,
            processing: ProcessingTime::Fixed(ms(50)),
        },
        informer: InformerConfig {
            initial_objects: 20,
            change_every: Some(secs(30)),
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            poison_keys: vec!["default/poison".to_owned()],
            ..OutcomeConfig::default()
        },
        script: vec![script(Duration::ZERO, Input::Change(key("default/poison")))],
        ..Scenario::empty("poison")
    }
}

/// Every reconcile fails for a minute.
fn outage() -> Scenario {
    Scenario {
        title: "An outage and the recovery wave".to_owned(),
        description:
            "100 objects, each changing about every 10 s, 4 workers. From 30 s to 90 s every \
                      reconcile fails (the API server is down): keys back off, the shared bucket's \
                      tokens run out and it limits retries to 10 per second. Watch the recovery \
                      wave and how long the queue takes to drain."
                .to_owned(),
        seed: 11,
        policy: Policy::Fixed { max_requeues: None },
        workers: WorkerConfig {
            count: 4,
            processing: ProcessingTime::Exponential { mean: ms(50) },
        },
        informer: InformerConfig {
            initial_objects: 100,
            change_every: Some(secs(10)),
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            outages: vec![OutageWindow {
                start: secs(30),
                duration: secs(60),
            }],
            ..OutcomeConfig::default()
        },
        ..Scenario::empty("outage")
    }
}

/// A thundering herd against the shared bucket.
fn herd() -> Scenario {
    Scenario {
        title: "A thundering herd: 1000 failures in one instant".to_owned(),
        description: "At t=1s, 1000 fresh keys fail at the same instant. Each has failed once, so its \
                      own backoff is 5 ms; but every AddRateLimited also takes a token from the shared \
                      bucket (10 qps, burst 100), so the last key waits (1000 − 100) / 10 = 90 s."
            .to_owned(),
        seed: 3,
        policy: Policy::Fixed { max_requeues: None },
        workers: WorkerConfig {
            count: 4,
            processing: ProcessingTime::Fixed(ms(20)),
        },
        script: vec![script(secs(1), Input::Herd { count: 1000 })],
        ..Scenario::empty("herd")
    }
}

/// One key added 100 times while it is being processed.
fn dedup() -> Scenario {
    Scenario {
        title: "Stingy de-duplication: 100 adds while processing".to_owned(),
        description: "One worker takes 10 s to reconcile default/hot. While it does, the key is added \
                      100 times. The first add marks it dirty; the other 99 collapse into it. When the \
                      worker calls Done the key is queued once more: processed twice in all, never \
                      by two workers at once."
            .to_owned(),
        seed: 5,
        policy: Policy::Fixed { max_requeues: None },
        workers: WorkerConfig {
            count: 1,
            processing: ProcessingTime::Fixed(secs(10)),
        },
        script: vec![
            script(Duration::ZERO, Input::Change(key("default/hot"))),
            ScriptEntry {
                at: secs(1),
                input: Input::Add(key("default/hot")),
                repeat: 100,
                every: ms(50),
            },
        ],
        ..Scenario::empty("dedup")
    }
}

/// controller-runtime: TerminalErrors on objects that are then deleted.
fn cr_terminal_leak() -> Scenario {
    Scenario {
        title: "controller-runtime: a TerminalError, then the object is deleted".to_owned(),
        description: "controller-runtime's priority queue. About 100 live objects; one is created \
                      every second and lives about 100 s; deletes are not enqueued (a predicate \
                      drops them). 30% of reconciles fail, and 30% of those failures are a \
                      reconcile.TerminalError. An error re-adds the key rate-limited (its failure \
                      count grows); a TerminalError neither re-adds nor Forgets, so the count stays. \
                      When such an object is deleted, nothing reconciles it again and nothing ever \
                      calls Forget: its failures entry stays for the life of the process."
            .to_owned(),
        seed: 21,
        queue: QueueKind::ControllerRuntime,
        workers: WorkerConfig {
            count: 4,
            processing: ProcessingTime::Uniform { min: ms(20), max: ms(80) },
        },
        informer: InformerConfig {
            initial_objects: 100,
            change_every: None,
            churn: Some(ChurnConfig {
                create_every: secs(1),
                lifetime: secs(100),
            }),
            enqueue_on_delete: false,
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            error_rate: 0.3,
            terminal_rate: 0.3,
            ..OutcomeConfig::default()
        },
        ..Scenario::empty("cr-terminal-leak")
    }
}

/// controller-runtime: polling with `Requeue: true` beside `RequeueAfter`.
fn cr_requeue_polling() -> Scenario {
    let after = ReconcileResult::new(ReconcileOutcome::RequeueAfter(secs(30)));
    Scenario {
        title: "controller-runtime: polling with Requeue: true".to_owned(),
        description: "controller-runtime's priority queue. 50 objects whose reconciler polls an \
                      external system. Most return Result{Requeue: true}: a rate-limited re-add with \
                      no Forget, so each key's poll interval doubles (5 ms, 10 ms, ... up to the \
                      1000 s cap) and every key keeps a failures entry. default/pod-0 to pod-4 \
                      return Result{RequeueAfter: 30s} instead (Forget, then a re-add after 30 s): \
                      a steady poll and no entry; default/pod-0 also sets Result.Priority 10. The \
                      initial list is enqueued at handler.LowPriority (-100), and requeues keep the \
                      priority the item was handed out with."
            .to_owned(),
        seed: 8,
        queue: QueueKind::ControllerRuntime,
        workers: WorkerConfig {
            count: 2,
            processing: ProcessingTime::Fixed(ms(50)),
        },
        informer: InformerConfig {
            initial_objects: 50,
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            result: Some(ReconcileResult::new(ReconcileOutcome::Requeue)),
            results: (0..5)
                .map(|i| {
                    let r = if i == 0 {
                        ReconcileResult {
                            priority: Some(10),
                            ..after
                        }
                    } else {
                        after
                    };
                    (format!("default/pod-{i}"), r)
                })
                .collect(),
            ..OutcomeConfig::default()
        },
        ..Scenario::empty("cr-requeue-polling")
    }
}

/// Forget on a limiter two queues share: one queue's success resets the
/// other's backoff. Scripted by hand (no workers) so every call is visible.
fn forget_shared() -> Scenario {
    let a = || key("default/a");
    let mut script_entries: Vec<ScriptEntry> =
        (0..5).map(|i| script(secs(i), Input::Fail(a()))).collect();
    script_entries.push(script(secs(5), Input::Forget(a())));
    script_entries.push(script(secs(6), Input::Fail(a())));
    Scenario {
        title: "My other queue's success reset this queue's backoff".to_owned(),
        description:
            "No workers: the script makes the calls. default/a fails 5 times (AddRateLimited \
                      at t=0s…4s: 5ms, 10ms, 20ms, 40ms, 80ms). At t=5s Forget(default/a) runs, as \
                      a second queue built on the same limiter object would call it when its own \
                      reconcile of default/a succeeds. Forget clears only the limiter's failure \
                      count: the item is still in the queue, and a worker holding it would still \
                      have to call Done. At t=6s default/a fails again and waits 5ms, not the \
                      160ms its 6th failure would have given."
                .to_owned(),
        seed: 1,
        script: script_entries,
        ..Scenario::empty("forget-shared")
    }
}

/// One key that always fails, alone, to reach the 1000 s cap.
fn cap_1000s() -> Scenario {
    Scenario {
        title: "Why does my item wait 16m40s?".to_owned(),
        description:
            "One object, default/pod-0, whose reconcile always fails; one worker; client-go's \
                      default controller rate limiter. Each failure doubles the wait: 5ms, 10ms, … \
                      1m21.92s (15th), 2m43.84s, 5m27.68s, 10m55.36s, then the 19th failure would \
                      wait 5ms·2^18 = 21m50.72s and is capped at 1000s = 16m40s. From then on the \
                      key is retried every 16m40s until something calls Forget."
                .to_owned(),
        seed: 2,
        workers: WorkerConfig {
            count: 1,
            processing: ProcessingTime::Fixed(ms(10)),
        },
        informer: InformerConfig {
            initial_objects: 1,
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            poison_keys: vec!["default/pod-0".to_owned()],
            ..OutcomeConfig::default()
        },
        ..Scenario::empty("cap-1000s")
    }
}

/// A failing key whose object keeps changing: every change is an Add that
/// skips the backoff, fails, and counts another failure.
fn spurious_backoff() -> Scenario {
    Scenario {
        title: "My backoff jumped to 16 minutes after a one-minute outage".to_owned(),
        description: "One object, default/pod-0, changes every 2s (its pods flap Ready/Unready). \
                      From t=0 to t=60s every reconcile fails. The controller does the right thing, \
                      Add on change and AddRateLimited on error, but each change is an Add that \
                      hands the key out at once, ignoring the backoff it is waiting out, and each of \
                      those reconciles fails and calls AddRateLimited again. The failure count grows \
                      with the events, not with the backoff: after the outage the key's last wait \
                      is far beyond what plain exponential backoff gives in 60s."
            .to_owned(),
        seed: 4,
        workers: WorkerConfig {
            count: 1,
            processing: ProcessingTime::Fixed(ms(10)),
        },
        informer: InformerConfig {
            initial_objects: 1,
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            outages: vec![OutageWindow {
                start: Duration::ZERO,
                duration: secs(60),
            }],
            ..OutcomeConfig::default()
        },
        script: vec![ScriptEntry {
            at: secs(1),
            input: Input::Change(key("default/pod-0")),
            repeat: 300,
            every: secs(2),
        }],
        ..Scenario::empty("spurious-backoff")
    }
}

/// A broken object whose controller records each error in its status: the
/// status write comes back as an event, that reconcile succeeds and Forgets,
/// and the backoff never grows.
fn success_hotloop() -> Scenario {
    Scenario {
        title: "My broken object never backs off: it reconciles 90 times a second".to_owned(),
        description: "One object, default/pod-0, that cannot be reconciled (a dependency is \
                      missing); one worker, 10ms reconciles; the per-item exponential limiter \
                      (5ms…1000s, controller-runtime's default). On every failure the controller \
                      writes the error into the object's status and calls AddRateLimited. 2ms later \
                      the watch brings that status write back as an update event: an Add. The \
                      reconcile it triggers finds the error already recorded, returns success, and \
                      the controller calls Forget, which resets the failure count. The retry that \
                      was waiting out its 5ms then fails again, and the cycle repeats every 22ms: \
                      45 failures and 45 Forgets a second, forever, none waiting more than 5ms."
            .to_owned(),
        seed: 5,
        limiter: LimiterConfig::ItemExponential {
            base: ms(5),
            max: secs(1000),
        },
        workers: WorkerConfig {
            count: 1,
            processing: ProcessingTime::Fixed(ms(10)),
        },
        informer: InformerConfig {
            initial_objects: 1,
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            poison_keys: vec!["default/pod-0".to_owned()],
            status_echo: Some(ms(2)),
            ..OutcomeConfig::default()
        },
        ..Scenario::empty("success-hotloop")
    }
}

/// Many failing keys, some of them flapping, against one shared bucket.
fn bucket_hours() -> Scenario {
    Scenario {
        title: "A few minutes of errors and my controller waits for hours".to_owned(),
        description: "1000 objects, 8 workers, client-go's default controller limiter. From t=0 to \
                      t=5m every reconcile fails, and the first 500 objects flap (each changes every \
                      2s). Every failure's AddRateLimited reserves a token from the one shared \
                      bucket (10 qps, burst 100), and the flapping keys fail about 250 times a second, \
                      so the bucket's debt grows by about 24 seconds every second. MaxOf makes each \
                      failure wait out the whole debt: the quiet keys that fail late in the outage \
                      are scheduled hours ahead and, with no event to wake them, wait that long."
            .to_owned(),
        seed: 9,
        workers: WorkerConfig {
            count: 8,
            processing: ProcessingTime::Fixed(ms(10)),
        },
        informer: InformerConfig {
            initial_objects: 1000,
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            outages: vec![OutageWindow {
                start: Duration::ZERO,
                duration: secs(300),
            }],
            ..OutcomeConfig::default()
        },
        script: vec![script(
            secs(1),
            Input::UpdateStorm {
                keys: 500,
                every: secs(2),
                duration: secs(300),
            },
        )],
        ..Scenario::empty("bucket-hours")
    }
}

/// A one-second blip at start-up: 2000 failures drain through the bucket.
fn bucket_10qps() -> Scenario {
    Scenario {
        title: "16 idle workers, and my queue drains at 10 per second".to_owned(),
        description: "2000 objects, 16 workers of 10ms each (room for 1600 reconciles a second), \
                      client-go's default controller limiter. A dependency is down for the first \
                      second after start-up: the 1584 reconciles that run in that second fail and \
                      each calls AddRateLimited. Each key's own backoff is 5ms, but every call also \
                      reserves a token from the shared bucket (10 qps, burst 100): after the first \
                      100 the retries come out 10 a second, and the last one waits 2m27.42s while \
                      the workers sit idle."
            .to_owned(),
        seed: 13,
        workers: WorkerConfig {
            count: 16,
            processing: ProcessingTime::Fixed(ms(10)),
        },
        informer: InformerConfig {
            initial_objects: 2000,
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            outages: vec![OutageWindow {
                start: Duration::ZERO,
                duration: secs(1),
            }],
            ..OutcomeConfig::default()
        },
        ..Scenario::empty("bucket-10qps")
    }
}

/// A retry cap read from NumRequeues, and a restart that empties it.
fn numrequeues_restart() -> Scenario {
    Scenario {
        title: "My max-retries check never fires: NumRequeues went back to 0".to_owned(),
        description: "One object, default/pod-0, always fails; the controller drops a key once \
                      NumRequeues reaches 15 (client-go's examples/workqueue pattern). NumRequeues \
                      is the limiter's in-memory count of When calls, not of processings. At t=2m, \
                      after the 15th failure and before the 16th (which would be dropped), the \
                      controller is redeployed, and again every 2 minutes: the new process starts \
                      with an empty failures map, the key is listed again and counts from 0. A \
                      controller that restarts often never reaches its cap."
            .to_owned(),
        seed: 10,
        policy: Policy::Fixed {
            max_requeues: Some(15),
        },
        workers: WorkerConfig {
            count: 1,
            processing: ProcessingTime::Fixed(ms(10)),
        },
        informer: InformerConfig {
            initial_objects: 1,
            ..InformerConfig::default()
        },
        outcomes: OutcomeConfig {
            poison_keys: vec!["default/pod-0".to_owned()],
            ..OutcomeConfig::default()
        },
        script: vec![ScriptEntry {
            at: secs(120),
            input: Input::SetLimiter(LimiterConfig::DefaultController),
            repeat: 14,
            every: secs(120),
        }],
        ..Scenario::empty("numrequeues-restart")
    }
}

/// A controller that enqueues with AddRateLimited and never fails.
fn retries_vs_adds() -> Scenario {
    Scenario {
        title: "workqueue_retries_total equals workqueue_adds_total: is everything failing?"
            .to_owned(),
        description:
            "100 objects changing about every 30s; no reconcile ever fails. The controller \
                      enqueues changes with AddRateLimited (a common way to smooth load) and \
                      Forgets on success. workqueue_retries_total counts every AddAfter, and \
                      AddRateLimited is an AddAfter, so retries_total climbs with adds_total one \
                      for one although nothing is retried after an error."
                .to_owned(),
        seed: 12,
        policy: Policy::Custom(PolicyToggles {
            on_change: ChangeCall::AddRateLimited,
            on_error: ErrorCall::AddRateLimited,
            forget_on_success: true,
            max_requeues: None,
        }),
        workers: WorkerConfig {
            count: 2,
            processing: ProcessingTime::Fixed(ms(20)),
        },
        informer: InformerConfig {
            initial_objects: 100,
            change_every: Some(secs(30)),
            ..InformerConfig::default()
        },
        ..Scenario::empty("retries-vs-adds")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_valid_and_round_trips() {
        assert_eq!(presets().len(), PRESET_IDS.len());
        for s in presets() {
            s.validate().unwrap_or_else(|e| panic!("{}: {e}", s.id));
            assert_eq!(
                Scenario::from_json(&s.to_json()).as_ref(),
                Ok(&s),
                "{}",
                s.id
            );
            assert_eq!(preset(&s.id).as_ref(), Some(&s));
        }
        assert!(preset("nope").is_none());
    }
}
