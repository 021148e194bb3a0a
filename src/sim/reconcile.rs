//! What a controller-runtime `Reconcile` returns, and how
//! `reconcileHandler` (controller-runtime v0.25.3,
//! `pkg/internal/controller/controller.go`) turns it into queue calls.
//!
//! | returned                         | queue calls                                                   |
//! |----------------------------------|---------------------------------------------------------------|
//! | `(Result{}, err)`                | `AddWithOpts(AddOpts{RateLimited: true, Priority: &p}, req)`  |
//! | `(Result{}, TerminalError(err))` | none: no add and no `Forget` (the failure count stays)        |
//! | `(Result{RequeueAfter: d}, nil)` | `Forget(req)`, `AddWithOpts(AddOpts{After: d, Priority: &p})` |
//! | `(Result{Requeue: true}, nil)`   | `AddWithOpts(AddOpts{RateLimited: true, Priority: &p}, req)`  |
//! | `(Result{}, nil)`                | `Forget(req)`                                                 |
//!
//! `p` is `Result.Priority` when set, else the priority the item was handed
//! out with (`GetWithPriority`); Go always passes it as a pointer, so a
//! requeue keeps the item's priority (e.g. the initial list's
//! `handler.LowPriority`, −100). An error wins over `Requeue`/`RequeueAfter`
//! (Go logs a warning and ignores them). Then `Done(req)` (deferred).

use crate::sim::duration::{format_duration, go_format};
use crate::sim::scenario::ScenarioError;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// controller-runtime's `handler.LowPriority`: the priority of the initial
/// list's create events (`IsInInitialList`) and of unchanged updates
/// (resyncs), when the controller uses the priority queue.
pub const LOW_PRIORITY: i64 = -100;

/// The kind of result a `Reconcile` returns.
///
/// JSON: `"success"`, `"error"`, `"terminal_error"`, `"requeue"`,
/// `{"requeue_after": "30s"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ReconcileOutcome {
    /// `(Result{}, nil)`: `Forget`.
    Success,
    /// `(Result{}, err)`: a rate-limited re-add with backoff. Returning an
    /// error for an *expected* condition (a dependency not ready yet) is a
    /// common mistake: the key backs off exponentially up to the limiter's
    /// cap (1000s by default) and counts as a reconcile error.
    Error,
    /// `(Result{}, reconcile.TerminalError(err))`: no re-add and no
    /// `Forget`. Any failures the key had before stay in the limiter's map;
    /// if the object is deleted and no reconcile follows, they stay forever.
    TerminalError,
    /// `(Result{Requeue: true}, nil)` (deprecated): a rate-limited re-add,
    /// and no `Forget`. Used for polling, the interval doubles on every
    /// poll and the key never leaves the failures map.
    Requeue,
    /// `(Result{RequeueAfter: d}, nil)`: `Forget`, then re-added after `d`.
    /// The right way to poll.
    RequeueAfter(#[serde(with = "go_format")] Duration),
}

/// One configured reconcile result: the outcome and an optional
/// `Result.Priority`.
///
/// JSON: `{"outcome": "requeue"}`, `{"outcome": {"requeue_after": "30s"},
/// "priority": 10}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconcileResult {
    /// What `Reconcile` returns.
    pub outcome: ReconcileOutcome,
    /// `Result.Priority`: overrides the item's priority for the requeue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
}

impl ReconcileResult {
    /// `outcome` with no `Result.Priority`.
    pub fn new(outcome: ReconcileOutcome) -> ReconcileResult {
        ReconcileResult {
            outcome,
            priority: None,
        }
    }

    /// `(Result{}, nil)`.
    pub fn success() -> ReconcileResult {
        ReconcileResult::new(ReconcileOutcome::Success)
    }

    /// Whether `Reconcile` returned a non-nil error (terminal or not).
    pub fn is_error(&self) -> bool {
        matches!(
            self.outcome,
            ReconcileOutcome::Error | ReconcileOutcome::TerminalError
        )
    }

    /// The Go return values, e.g. `(reconcile.Result{RequeueAfter: 30s}, nil)`.
    pub fn go(&self) -> String {
        let prio = self.priority.map(|p| format!("Priority: ptr.To({p})"));
        let fields = |first: Option<String>| -> String {
            let parts: Vec<String> = first.into_iter().chain(prio.clone()).collect();
            format!("reconcile.Result{{{}}}", parts.join(", "))
        };
        match self.outcome {
            ReconcileOutcome::Success => format!("({}, nil)", fields(None)),
            ReconcileOutcome::Error => format!("({}, err)", fields(None)),
            ReconcileOutcome::TerminalError => {
                format!("({}, reconcile.TerminalError(err))", fields(None))
            }
            ReconcileOutcome::Requeue => {
                format!("({}, nil)", fields(Some("Requeue: true".to_owned())))
            }
            ReconcileOutcome::RequeueAfter(d) => format!(
                "({}, nil)",
                fields(Some(format!("RequeueAfter: {}", format_duration(d))))
            ),
        }
    }

    /// A requeue delay must be > 0 and ≤ 8760h (a zero `RequeueAfter` is
    /// plain success in Go; write `"success"` instead).
    pub fn validate(&self, path: &str) -> Result<(), ScenarioError> {
        if let ReconcileOutcome::RequeueAfter(d) = self.outcome {
            if d.is_zero() || d > Duration::from_secs(365 * 86_400) {
                return Err(ScenarioError::new(
                    format!("{path}.outcome.requeue_after"),
                    "must be > 0 and ≤ 8760h",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_go_spelling() {
        let r: ReconcileResult =
            serde_json::from_str(r#"{"outcome":{"requeue_after":"30s"},"priority":10}"#)
                .expect("parses");
        assert_eq!(
            r.go(),
            "(reconcile.Result{RequeueAfter: 30s, Priority: ptr.To(10)}, nil)"
        );
        let t: ReconcileResult =
            serde_json::from_str(r#"{"outcome":"terminal_error"}"#).expect("parses");
        assert!(t.is_error());
        assert_eq!(t.go(), "(reconcile.Result{}, reconcile.TerminalError(err))");
        let zero = ReconcileResult::new(ReconcileOutcome::RequeueAfter(Duration::ZERO));
        assert_eq!(
            zero.validate("x").unwrap_err().field,
            "x.outcome.requeue_after"
        );
    }
}
