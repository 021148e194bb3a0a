//! Everything a person (or a scenario script) can do to the world.
//!
//! The simulation's state is a function of (scenario, seed, inputs), so every
//! button in the UI becomes one of these values; history, undo and share
//! links store them instead of state.

use crate::sim::duration::go_format;
use crate::sim::json_f64;
use crate::sim::limiter::LimiterConfig;
use crate::sim::memory::MemoryConfig;
use crate::sim::policy::Policy;
use crate::sim::queue_model::QueueKind;
use crate::sim::reconcile::ReconcileResult;
use crate::sim::scenario::{ProcessingTime, ScenarioError};
use crate::sim::Key;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Largest bulk count accepted (objects created, herd size).
pub const MAX_BULK: u32 = 100_000;
/// Largest worker count accepted.
pub const MAX_WORKERS: u32 = 1_000;
/// Largest `AddOpts.Priority` magnitude accepted (Go takes any int; a
/// playground needs no more than this, and it keeps labels short).
pub const MAX_PRIORITY: i64 = 1_000_000;

/// One action, applied at the simulation's current virtual time.
///
/// The per-key actions are the raw client-go calls (`Add`, `Fail` =
/// `AddRateLimited`, `Forget`, `Get`, `Done`) so that free play can poke the
/// queue directly; `Change` and `DeleteObject` are informer events and go
/// through the controller's [`Policy`], like real traffic.
///
/// JSON (externally tagged, snake_case): `{"add": "default/pod-1"}`, `"get"`,
/// `{"update_storm": {"keys": 20, "every": "1s", "duration": "1m"}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Input {
    /// Informer add/update event for the object (created if absent); the
    /// policy decides between `Add` and `AddRateLimited`.
    Change(Key),
    /// Informer delete event: the object is gone; a failures-map entry for
    /// it stays behind as an orphan unless someone calls `Forget`.
    DeleteObject(Key),
    /// `queue.Add(key)`.
    Add(Key),
    /// `queue.AddRateLimited(key)`: what a worker does on a reconcile error.
    Fail(Key),
    /// `queue.Forget(key)`: clears the limiter's memory of the key only.
    Forget(Key),
    /// `queue.Get()` by hand: the item is then held by "you" until `Done`.
    Get,
    /// `queue.Done(key)`. On a key that is not processing this is client-go's
    /// spurious Done (it can duplicate a queued item); refused for keys a
    /// simulated worker holds.
    Done(Key),
    /// Success by hand: `Forget(key)` then `Done(key)`.
    Succeed(Key),
    /// `count` new objects appear (one informer add event each).
    AddMany {
        /// How many objects.
        count: u32,
    },
    /// The first `keys` live objects (created if fewer exist) each change
    /// every `every`, for `duration`.
    UpdateStorm {
        /// How many objects change.
        keys: u32,
        /// Interval between changes of one object.
        #[serde(with = "go_format")]
        every: Duration,
        /// How long the storm lasts.
        #[serde(with = "go_format")]
        duration: Duration,
    },
    /// Every reconcile fails from now for `duration` (an API server outage).
    Outage {
        /// Length of the outage.
        #[serde(with = "go_format")]
        duration: Duration,
    },
    /// `count` fresh objects fail at this instant: one `AddRateLimited` each,
    /// all against the shared token bucket.
    Herd {
        /// How many keys.
        count: u32,
    },
    /// Redeploy the controller with another limiter. A limiter cannot be
    /// swapped in a running client-go queue, so this restarts the controller:
    /// queue and failures map start empty and the informer re-lists.
    SetLimiter(LimiterConfig),
    /// Number of simulated workers (0: you drive Get/Done by hand).
    SetWorkers(u32),
    /// How long one reconcile takes.
    SetProcessingTime(ProcessingTime),
    /// Probability that a reconcile of a live, healthy key fails.
    SetErrorRate(#[serde(deserialize_with = "json_f64::exact")] f64),
    /// Switch the controller policy (takes effect for the next call).
    SetPolicy(Policy),
    /// Change the memory limit (`None`: unlimited).
    SetMemoryLimit(Option<u64>),
    /// Change the memory model's assumed sizes, limit and restart delay.
    SetMemoryModel(MemoryConfig),
    /// controller-runtime only: `q.AddWithOpts(AddOpts{After, RateLimited,
    /// Priority}, key)` by hand, e.g. an `Add` at priority 10.
    AddWithOpts {
        /// The item.
        key: Key,
        /// `AddOpts.After` (absent: 0).
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "go_format::option"
        )]
        after: Option<Duration>,
        /// `AddOpts.RateLimited`: ask the limiter's `When` (counts a failure).
        #[serde(default, skip_serializing_if = "is_false")]
        rate_limited: bool,
        /// `AddOpts.Priority` (absent: nil, which is 0).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priority: Option<i64>,
    },
    /// Redeploy the controller on another queue: client-go's workqueue with
    /// the hand-written loop, or controller-runtime's priority queue behind
    /// `reconcileHandler`. Like [`Input::SetLimiter`] it restarts the
    /// controller: queue and failures map start empty and the informer
    /// re-lists. The limiter setting is kept; `default_controller` means each
    /// framework's own default (client-go: exponential and bucket;
    /// controller-runtime: exponential 5ms…1000s only).
    SetQueue(QueueKind),
    /// controller-runtime only: what `Reconcile` returns from now on for keys
    /// without a per-key result in the scenario (errors from outages, poison
    /// keys and the error rate still win).
    SetReconcileResult(ReconcileResult),
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Why an input was refused; a refused input changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// What is wrong, in plain words.
    pub reason: String,
}

impl InputError {
    /// An error with the given reason.
    pub fn new(reason: impl Into<String>) -> InputError {
        InputError {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for InputError {}

/// Checks an object key: non-empty, at most 253 bytes (a Kubernetes name
/// limit), printable, no whitespace. Keys appear in logs and URLs.
pub fn validate_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("key is empty".to_owned());
    }
    if key.len() > 253 {
        return Err(format!("key is {} bytes long; at most 253", key.len()));
    }
    if key.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "key {key:?} contains whitespace or control characters"
        ));
    }
    Ok(())
}

impl Input {
    /// Checks the values of this input (keys, counts, rates, durations)
    /// without looking at the world; [`crate::sim::Sim::apply`] checks the rest.
    pub fn validate(&self) -> Result<(), InputError> {
        fn err(reason: impl Into<String>) -> InputError {
            InputError::new(reason)
        }
        match self {
            Input::Change(k)
            | Input::DeleteObject(k)
            | Input::Add(k)
            | Input::Fail(k)
            | Input::Forget(k)
            | Input::Done(k)
            | Input::Succeed(k) => validate_key(k).map_err(err),
            Input::Get => Ok(()),
            Input::AddMany { count } | Input::Herd { count } => {
                if *count == 0 || *count > MAX_BULK {
                    Err(err(format!(
                        "count must be between 1 and {MAX_BULK} (got {count})"
                    )))
                } else {
                    Ok(())
                }
            }
            Input::UpdateStorm {
                keys,
                every,
                duration,
            } => {
                if *keys == 0 || *keys > 10_000 {
                    return Err(err(format!(
                        "keys must be between 1 and 10000 (got {keys})"
                    )));
                }
                if *every < Duration::from_millis(1) {
                    return Err(err("every must be ≥ 1ms"));
                }
                if *duration > Duration::from_secs(7 * 86_400) {
                    return Err(err("duration must be ≤ 168h"));
                }
                Ok(())
            }
            Input::Outage { duration } => {
                if duration.is_zero() || *duration > Duration::from_secs(7 * 86_400) {
                    Err(err("outage duration must be > 0 and ≤ 168h"))
                } else {
                    Ok(())
                }
            }
            Input::SetLimiter(l) => l.validate("limiter").map_err(|e| err(e.to_string())),
            Input::SetWorkers(n) => {
                if *n > MAX_WORKERS {
                    Err(err(format!("workers must be ≤ {MAX_WORKERS} (got {n})")))
                } else {
                    Ok(())
                }
            }
            Input::SetProcessingTime(p) => p.validate("processing").map_err(|e| err(e.to_string())),
            Input::SetErrorRate(r) => validate_rate(*r).map_err(err),
            Input::SetPolicy(p) => p.validate("policy").map_err(|e| err(e.to_string())),
            Input::SetMemoryLimit(_) => Ok(()),
            Input::SetMemoryModel(m) => m.validate("memory").map_err(|e| err(e.to_string())),
            Input::AddWithOpts {
                key,
                after,
                priority,
                ..
            } => {
                validate_key(key).map_err(err)?;
                if after.is_some_and(|d| d > Duration::from_secs(365 * 86_400)) {
                    return Err(err("after must be ≤ 8760h"));
                }
                if priority.is_some_and(|p| p.unsigned_abs() > MAX_PRIORITY as u64) {
                    return Err(err(format!(
                        "priority must be between -{MAX_PRIORITY} and {MAX_PRIORITY}"
                    )));
                }
                Ok(())
            }
            Input::SetQueue(_) => Ok(()),
            Input::SetReconcileResult(r) => r.validate("result").map_err(|e| err(e.to_string())),
        }
    }

    /// A short label for history lists and the event log: "Add default/pod-1".
    pub fn label(&self) -> String {
        match self {
            Input::Change(k) => format!("Change {k}"),
            Input::DeleteObject(k) => format!("Delete object {k}"),
            Input::Add(k) => format!("Add {k}"),
            Input::Fail(k) => format!("Fail {k}"),
            Input::Forget(k) => format!("Forget {k}"),
            Input::Get => "Get".to_owned(),
            Input::Done(k) => format!("Done {k}"),
            Input::Succeed(k) => format!("Succeed {k}"),
            Input::AddMany { count } => format!("Add {count} objects"),
            Input::UpdateStorm {
                keys,
                every,
                duration,
            } => format!(
                "Update storm: {keys} keys every {} for {}",
                crate::sim::format_duration(*every),
                crate::sim::format_duration(*duration)
            ),
            Input::Outage { duration } => {
                format!("Outage for {}", crate::sim::format_duration(*duration))
            }
            Input::Herd { count } => format!("Herd of {count} failures"),
            Input::SetLimiter(l) => format!("Limiter → {}", l.describe()),
            Input::SetWorkers(n) => format!("Workers → {n}"),
            Input::SetProcessingTime(p) => format!("Processing time → {}", p.describe()),
            Input::SetErrorRate(r) => format!("Error rate → {:.1}%", r * 100.0),
            Input::SetPolicy(p) => format!("Policy → {}", p.label()),
            Input::SetMemoryLimit(Some(b)) => {
                format!("Memory limit → {}", crate::sim::memory::format_bytes(*b))
            }
            Input::SetMemoryLimit(None) => "Memory limit → none".to_owned(),
            Input::SetMemoryModel(_) => "Memory model changed".to_owned(),
            Input::AddWithOpts {
                key,
                after,
                rate_limited,
                priority,
            } => {
                let mut opts = Vec::new();
                if let Some(d) = after {
                    opts.push(format!("After: {}", crate::sim::format_duration(*d)));
                }
                if *rate_limited {
                    opts.push("RateLimited: true".to_owned());
                }
                if let Some(p) = priority {
                    opts.push(format!("Priority: {p}"));
                }
                format!("AddWithOpts {{{}}} {key}", opts.join(", "))
            }
            Input::SetQueue(kind) => format!("Queue → {}", kind.title()),
            Input::SetReconcileResult(r) => format!("Reconcile returns → {}", r.go()),
        }
    }
}

/// A probability: finite and within [0, 1].
pub fn validate_rate(r: f64) -> Result<(), String> {
    if r.is_finite() && (0.0..=1.0).contains(&r) {
        Ok(())
    } else {
        Err(format!("must be a probability between 0 and 1 (got {r})"))
    }
}

impl From<ScenarioError> for InputError {
    fn from(e: ScenarioError) -> Self {
        InputError::new(e.to_string())
    }
}

/// An input as history records it: after how many processed events
/// ([`crate::sim::Sim::steps`]) and at what virtual time it was applied.
/// Replaying runs to exactly that step, moves the clock to `at_ns`, and
/// applies it, so a replay matches the original even when several events
/// share one instant. Field names are short because share links carry them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedInput {
    /// Events processed before this input.
    #[serde(rename = "s")]
    pub step: u64,
    /// Virtual time in nanoseconds.
    #[serde(rename = "t")]
    pub at_ns: u64,
    /// The input.
    #[serde(rename = "i")]
    pub input: Input,
}
