//! The built-in scenarios, each teaching one fact about the workqueue.
//!
//! They are ordinary [`Scenario`] values (the same JSON a user could write),
//! so the CLI, the UI, share links and golden tests all treat them alike.

use crate::sim::input::Input;
use crate::sim::limiter::LimiterConfig;
use crate::sim::memory::{MemoryConfig, DEFAULT_BASE_BYTES};
use crate::sim::policy::Policy;
use crate::sim::queue_model::QueueKind;
use crate::sim::reconcile::{ReconcileOutcome, ReconcileResult};
use crate::sim::scenario::{
    ChurnConfig, InformerConfig, OutageWindow, OutcomeConfig, ProcessingTime, Scenario,
    ScriptEntry, WorkerConfig,
};
use crate::sim::Key;
use std::time::Duration;

/// Ids of the presets, in menu order.
pub const PRESET_IDS: [&str; 9] = [
    "manual",
    "seed-oom",
    "fixed",
    "poison",
    "outage",
    "herd",
    "dedup",
    "cr-terminal-leak",
    "cr-requeue-polling",
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
