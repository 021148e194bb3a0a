//! The controller's policy: which queue call it makes on a change, an error
//! and a success. This is the whole difference between the seed bug and its
//! fix, so it is data the user can switch.

use crate::sim::scenario::ScenarioError;
use serde::{Deserialize, Serialize};

/// How the controller reacts to events and reconcile outcomes.
///
/// JSON: `"buggy"`, `{"fixed": {"max_requeues": 5}}`, `{"custom": {...}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Policy {
    /// The seed bug: `enqueue(key) { queue.AddRateLimited(key) }` on every
    /// change, `AddRateLimited` on error, and `Forget` never called, so every
    /// key ever seen stays in the limiter's failures map.
    Buggy,
    /// sample-controller's idiom: `Add` on change, `AddRateLimited` on error,
    /// `Forget` on success; with `max_requeues`, client-go's
    /// examples/workqueue pattern: after that many requeues, `Forget` and drop.
    Fixed {
        /// Give up on a key (Forget + drop) once `NumRequeues` reaches this.
        #[serde(default)]
        max_requeues: Option<u64>,
    },
    /// Any combination of the calls, to explore what each one does.
    Custom(PolicyToggles),
}

/// The queue call made when the informer reports a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeCall {
    /// `queue.Add(key)`: react to a change now (correct).
    Add,
    /// `queue.AddRateLimited(key)`: treat a change as a failure (the bug).
    AddRateLimited,
}

/// The queue call made when a reconcile returns an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCall {
    /// `queue.AddRateLimited(key)`: retry with backoff (correct).
    AddRateLimited,
    /// `queue.Add(key)`: retry at once, no backoff (a hot loop).
    Add,
    /// Nothing: the error is logged and the key dropped until its next change.
    Nothing,
}

/// The policy spelled out call by call; [`Policy::toggles`] gives these for
/// the named policies so the UI can show and edit them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyToggles {
    /// Call on an informer add/update/delete event.
    pub on_change: ChangeCall,
    /// Call on a reconcile error.
    pub on_error: ErrorCall,
    /// Call `Forget(key)` after a successful reconcile.
    pub forget_on_success: bool,
    /// After this many requeues, `Forget` and drop the key instead of retrying.
    #[serde(default)]
    pub max_requeues: Option<u64>,
}

impl Policy {
    /// The calls this policy makes.
    pub fn toggles(&self) -> PolicyToggles {
        match self {
            Policy::Buggy => PolicyToggles {
                on_change: ChangeCall::AddRateLimited,
                on_error: ErrorCall::AddRateLimited,
                forget_on_success: false,
                max_requeues: None,
            },
            Policy::Fixed { max_requeues } => PolicyToggles {
                on_change: ChangeCall::Add,
                on_error: ErrorCall::AddRateLimited,
                forget_on_success: true,
                max_requeues: *max_requeues,
            },
            Policy::Custom(t) => *t,
        }
    }

    /// A short name for labels: "buggy", "fixed", "fixed (drop after 5)", "custom".
    pub fn label(&self) -> String {
        match self {
            Policy::Buggy => "buggy".to_owned(),
            Policy::Fixed { max_requeues: None } => "fixed".to_owned(),
            Policy::Fixed {
                max_requeues: Some(n),
            } => format!("fixed (drop after {n})"),
            Policy::Custom(_) => "custom".to_owned(),
        }
    }

    /// Rejects a zero requeue cap, which would drop every key on its first
    /// error before it was ever retried.
    pub fn validate(&self, path: &str) -> Result<(), ScenarioError> {
        let (cap, field) = match self {
            Policy::Buggy => return Ok(()),
            Policy::Fixed { max_requeues } => (*max_requeues, format!("{path}.fixed.max_requeues")),
            Policy::Custom(t) => (t.max_requeues, format!("{path}.custom.max_requeues")),
        };
        if cap == Some(0) {
            return Err(ScenarioError::new(
                field,
                "must be ≥ 1 (or absent for no cap)",
            ));
        }
        Ok(())
    }
}
