//! The **Reconcile returns** picker of the controller form (controller-runtime mode): the
//! five things a `Reconcile` can return, as `reconcileHandler` tells them apart.

use crate::sim::ReconcileOutcome;

/// What the form's picker offers; `RequeueAfter` takes its delay from a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReconcileChoice {
    /// `(Result{}, nil)`.
    Success,
    /// `(Result{}, err)`.
    Error,
    /// `(Result{}, reconcile.TerminalError(err))`.
    TerminalError,
    /// `(Result{Requeue: true}, nil)`.
    Requeue,
    /// `(Result{RequeueAfter: d}, nil)`.
    RequeueAfter,
}

impl ReconcileChoice {
    /// In picker order.
    pub const ALL: [ReconcileChoice; 5] = [
        ReconcileChoice::Success,
        ReconcileChoice::Error,
        ReconcileChoice::TerminalError,
        ReconcileChoice::Requeue,
        ReconcileChoice::RequeueAfter,
    ];

    /// `<option>` value.
    pub fn value(self) -> &'static str {
        match self {
            ReconcileChoice::Success => "success",
            ReconcileChoice::Error => "error",
            ReconcileChoice::TerminalError => "terminal_error",
            ReconcileChoice::Requeue => "requeue",
            ReconcileChoice::RequeueAfter => "requeue_after",
        }
    }

    /// `<option>` text: the Go return values.
    pub fn label(self) -> &'static str {
        match self {
            ReconcileChoice::Success => "Result{}, nil (success: Forget)",
            ReconcileChoice::Error => "Result{}, err (rate-limited requeue)",
            ReconcileChoice::TerminalError => {
                "Result{}, TerminalError(err) (no requeue, no Forget)"
            }
            ReconcileChoice::Requeue => "Result{Requeue: true}, nil (rate-limited requeue)",
            ReconcileChoice::RequeueAfter => "Result{RequeueAfter: d}, nil (Forget, add after d)",
        }
    }

    /// The choice for an `<option>` value.
    pub fn parse(value: &str) -> Option<ReconcileChoice> {
        ReconcileChoice::ALL
            .into_iter()
            .find(|c| c.value() == value)
    }

    /// The choice showing `outcome`.
    pub fn of(outcome: ReconcileOutcome) -> ReconcileChoice {
        match outcome {
            ReconcileOutcome::Success => ReconcileChoice::Success,
            ReconcileOutcome::Error => ReconcileChoice::Error,
            ReconcileOutcome::TerminalError => ReconcileChoice::TerminalError,
            ReconcileOutcome::Requeue => ReconcileChoice::Requeue,
            ReconcileOutcome::RequeueAfter(_) => ReconcileChoice::RequeueAfter,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn values_round_trip_and_every_outcome_has_a_choice() {
        for c in ReconcileChoice::ALL {
            assert_eq!(ReconcileChoice::parse(c.value()), Some(c));
        }
        assert_eq!(ReconcileChoice::parse("nope"), None);
        let after = ReconcileOutcome::RequeueAfter(Duration::from_secs(30));
        assert_eq!(ReconcileChoice::of(after), ReconcileChoice::RequeueAfter);
        assert_eq!(
            ReconcileChoice::of(ReconcileOutcome::TerminalError),
            ReconcileChoice::TerminalError
        );
    }
}
