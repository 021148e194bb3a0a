//! Which line of Go code an event runs: the link between the event log, the
//! Go code panel's highlighted line and the leak detector's findings.
//!
//! The panel shows four short listings (the buggy controller, the fixed
//! controller, client-go's limiter internals, controller-runtime's reconcile
//! handler and priority queue). Each interesting line has a
//! [`CodeLine`] anchor; [`lines_for`] says which anchors an event executes, so
//! the UI highlights `r.failures[item] = r.failures[item] + 1` on a Fail and
//! `delete(r.failures, item)` on a Forget, exactly as client-go runs them.

use crate::sim::events::{Cause, Event, EventKind, PqBefore};
use crate::sim::reconcile::ReconcileOutcome;

/// One of the Go listings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CodeTab {
    /// The seed story's controller: `AddRateLimited` on change, no `Forget`.
    Buggy,
    /// sample-controller's pattern: `Add` on change, `Forget` on success.
    Fixed,
    /// client-go's `default_rate_limiters.go` and `rate_limiting_queue.go`.
    #[default]
    Internals,
    /// controller-runtime's `reconcileHandler`, its event handler's enqueue and
    /// the priority queue's `lockedAddWithOpts`.
    ControllerRuntime,
}

impl CodeTab {
    /// Every tab, in display order.
    pub const ALL: [CodeTab; 4] = [
        CodeTab::Buggy,
        CodeTab::Fixed,
        CodeTab::Internals,
        CodeTab::ControllerRuntime,
    ];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            CodeTab::Buggy => "Buggy controller",
            CodeTab::Fixed => "Fixed controller",
            CodeTab::Internals => "client-go internals",
            CodeTab::ControllerRuntime => "controller-runtime",
        }
    }

    /// A stable id for DOM ids and tests.
    pub fn id(self) -> &'static str {
        match self {
            CodeTab::Buggy => "buggy",
            CodeTab::Fixed => "fixed",
            CodeTab::Internals => "internals",
            CodeTab::ControllerRuntime => "controller-runtime",
        }
    }
}

/// An anchor on one line of a listing. Controller lines that both
/// controllers share (`Get`, `Done`, `syncHandler`) are one anchor each; the
/// listing they appear in is given by the [`CodeTab`] beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeLine {
    /// Buggy: `c.queue.AddRateLimited(key)` in the change handler.
    ChangeRateLimited,
    /// Fixed: `c.queue.Add(key)` in the change handler.
    ChangeAdd,
    /// Both: `key, shutdown := c.queue.Get()`.
    Get,
    /// Both: `defer c.queue.Done(key)`.
    Done,
    /// Both: `if err := c.syncHandler(key); err != nil`.
    Sync,
    /// Both: `c.queue.AddRateLimited(key)` after an error.
    RetryRateLimited,
    /// Buggy: the missing `Forget` after a successful sync.
    MissingForget,
    /// Fixed: `c.queue.NumRequeues(key) < maxRetries`, then `Forget` and drop.
    GiveUp,
    /// Fixed: `c.queue.Forget(key)` after success.
    ForgetOnSuccess,
    /// Internals: `q.AddAfter(item, q.rateLimiter.When(item))`.
    AddAfter,
    /// Internals: `r.failures[item] = r.failures[item] + 1`.
    FailuresIncrement,
    /// Internals: `if calculated > r.maxDelay { return r.maxDelay }`.
    Cap,
    /// Internals: `delete(r.failures, item)`.
    FailuresDelete,
    /// Internals: `return r.Limiter.Reserve().Delay()` (the shared bucket).
    BucketReserve,
    /// controller-runtime: the event handler's `AddWithOpts` for a create,
    /// update or delete (priority nil, or `LowPriority` for the initial list).
    CrEnqueue,
    /// controller-runtime: `obj, priority, shutdown := c.Queue.GetWithPriority()`.
    CrGet,
    /// controller-runtime: `defer c.Queue.Done(obj)`.
    CrDone,
    /// controller-runtime: `result, err := c.Reconcile(ctx, req)`.
    CrReconcile,
    /// controller-runtime: the `TerminalError` branch (no add, no `Forget`).
    CrTerminal,
    /// controller-runtime: the rate-limited add after an error.
    CrErrorAdd,
    /// controller-runtime: `c.Queue.Forget(req)` before a `RequeueAfter` add.
    CrRequeueAfterForget,
    /// controller-runtime: the `AddOpts{After: result.RequeueAfter}` add.
    CrRequeueAfterAdd,
    /// controller-runtime: the rate-limited add for `Requeue: true`.
    CrRequeueAdd,
    /// controller-runtime: `c.Queue.Forget(req)` after success.
    CrSuccessForget,
    /// Priority queue: `rlAfter := w.rateLimiter.When(key)`.
    PqWhen,
    /// Priority queue: an item already ready stays ready (`readyAt = nil`).
    PqReadyWins,
    /// Priority queue: a higher priority replaces the item's.
    PqRaise,
}

/// A line in one listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CodeRef {
    /// The listing.
    pub tab: CodeTab,
    /// The line.
    pub line: CodeLine,
}

impl CodeRef {
    /// Shorthand constructor.
    pub const fn new(tab: CodeTab, line: CodeLine) -> CodeRef {
        CodeRef { tab, line }
    }
}

/// The lines `event` executes, in every listing where it appears. Events
/// that run no listed line (informer notifications, releases, settings)
/// give an empty list.
pub fn lines_for(event: &Event) -> Vec<CodeRef> {
    use CodeLine as L;
    use CodeTab::{Buggy, Fixed, Internals};
    let both = |line| vec![CodeRef::new(Buggy, line), CodeRef::new(Fixed, line)];
    let cr = |lines: &[CodeLine]| -> Vec<CodeRef> {
        lines
            .iter()
            .map(|l| CodeRef::new(CodeTab::ControllerRuntime, *l))
            .collect()
    };
    match &event.kind {
        EventKind::AddWithOpts {
            cause,
            rate_limited,
            when,
            before,
            priority,
            ..
        } => {
            // A hand-made add runs no handler line, only the queue's.
            let handler = match (cause, rate_limited) {
                (Cause::Error, _) => Some(L::CrErrorAdd),
                (Cause::Requeue, true) => Some(L::CrRequeueAdd),
                (Cause::Requeue, false) => Some(L::CrRequeueAfterAdd),
                (Cause::Change | Cause::Delete | Cause::Relist, _) => Some(L::CrEnqueue),
                _ => None,
            };
            let mut v = cr(handler.as_slice());
            if when.is_some() {
                v.extend(cr(&[L::PqWhen]));
            }
            match before {
                PqBefore::Ready { priority: old } => {
                    v.extend(cr(&[L::PqReadyWins]));
                    if priority.unwrap_or(0) > *old {
                        v.extend(cr(&[L::PqRaise]));
                    }
                }
                PqBefore::Waiting { priority: old, .. } if priority.unwrap_or(0) > *old => {
                    v.extend(cr(&[L::PqRaise]));
                }
                _ => {}
            }
            if *rate_limited {
                // The limiter's own lines run too.
                v.push(CodeRef::new(Internals, L::FailuresIncrement));
            }
            v
        }
        EventKind::GetWithPriority { .. } => cr(&[L::CrGet]),
        EventKind::Reconciled { result, .. } => cr(&[
            L::CrReconcile,
            match result.outcome {
                ReconcileOutcome::Success => L::CrSuccessForget,
                ReconcileOutcome::Error => L::CrErrorAdd,
                ReconcileOutcome::TerminalError => L::CrTerminal,
                ReconcileOutcome::Requeue => L::CrRequeueAdd,
                ReconcileOutcome::RequeueAfter(_) => L::CrRequeueAfterForget,
            },
        ]),
        EventKind::Forget {
            cause: Cause::Requeue,
            ..
        } => {
            let mut v = cr(&[L::CrRequeueAfterForget]);
            v.push(CodeRef::new(Internals, L::FailuresDelete));
            v
        }
        EventKind::AddRateLimited { cause, .. } => {
            let mut v = vec![
                CodeRef::new(Internals, L::FailuresIncrement),
                CodeRef::new(Internals, L::AddAfter),
                CodeRef::new(Internals, L::BucketReserve),
            ];
            match cause {
                Cause::Change | Cause::Delete | Cause::Relist => {
                    v.push(CodeRef::new(Buggy, L::ChangeRateLimited));
                }
                Cause::Error => v.extend(both(L::RetryRateLimited)),
                _ => {}
            }
            v
        }
        EventKind::Add {
            cause: Cause::Change | Cause::Delete | Cause::Relist,
            ..
        } => vec![CodeRef::new(Fixed, L::ChangeAdd)],
        EventKind::Forget { cause, .. } => {
            let mut v = vec![CodeRef::new(Internals, L::FailuresDelete)];
            match cause {
                Cause::Success => {
                    v.push(CodeRef::new(Fixed, L::ForgetOnSuccess));
                    v.extend(cr(&[L::CrSuccessForget]));
                }
                Cause::GiveUp => v.push(CodeRef::new(Fixed, L::GiveUp)),
                _ => {}
            }
            v
        }
        EventKind::GaveUp { .. } => vec![CodeRef::new(Fixed, L::GiveUp)],
        EventKind::Get { .. } => both(L::Get),
        EventKind::Done { .. } => {
            let mut v = both(L::Done);
            v.extend(cr(&[L::CrDone]));
            v
        }
        EventKind::ReconcileFailed { .. } => both(L::Sync),
        EventKind::ReconcileOk { .. } => vec![
            CodeRef::new(Buggy, L::MissingForget),
            CodeRef::new(Fixed, L::Sync),
        ],
        _ => Vec::new(),
    }
}

/// The most recent event (newest first in `recent`) that runs a line of
/// `tab`, with every line it runs there, the main one first: what the code
/// panel highlights. Looks at most 256 events back.
pub fn current_lines<'a>(
    recent: impl Iterator<Item = &'a Event>,
    tab: CodeTab,
) -> Option<(&'a Event, Vec<CodeLine>)> {
    recent.take(256).find_map(|e| {
        let lines: Vec<CodeLine> = lines_for(e)
            .into_iter()
            .filter(|r| r.tab == tab)
            .map(|r| r.line)
            .collect();
        (!lines.is_empty()).then_some((e, lines))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workqueue::Time;
    use std::time::Duration;

    fn ev(kind: EventKind) -> Event {
        Event {
            seq: 0,
            at: Time::ZERO,
            kind,
        }
    }

    #[test]
    fn fail_runs_the_increment_and_forget_runs_the_delete() {
        let fail = ev(EventKind::AddRateLimited {
            key: "a".into(),
            cause: Cause::Hand,
            when: Duration::from_millis(5),
            failures_before: 0,
            failures_after: 1,
            waiting_until: None,
            tokens: None,
        });
        assert!(lines_for(&fail).contains(&CodeRef::new(
            CodeTab::Internals,
            CodeLine::FailuresIncrement
        )));
        let forget = ev(EventKind::Forget {
            key: "a".into(),
            cause: Cause::Hand,
            had: 1,
        });
        assert_eq!(
            lines_for(&forget),
            vec![CodeRef::new(CodeTab::Internals, CodeLine::FailuresDelete)]
        );
        let done = ev(EventKind::Done {
            key: "a".into(),
            worker: None,
            requeued: false,
            spurious: false,
        });
        // Newest first: Done has no internals line, so the Forget before it is current.
        let recent = [done, forget.clone(), fail];
        let (e, lines) = current_lines(recent.iter(), CodeTab::Internals).expect("a line");
        assert_eq!((e, lines), (&forget, vec![CodeLine::FailuresDelete]));
        let (_, lines) = current_lines(recent.iter().skip(2), CodeTab::Internals).expect("a line");
        assert_eq!(lines.first(), Some(&CodeLine::FailuresIncrement));
    }

    #[test]
    fn a_change_through_add_rate_limited_is_the_buggy_enqueue() {
        let change = ev(EventKind::AddRateLimited {
            key: "a".into(),
            cause: Cause::Change,
            when: Duration::from_millis(10),
            failures_before: 1,
            failures_after: 2,
            waiting_until: None,
            tokens: Some(99.0),
        });
        let refs = lines_for(&change);
        assert!(refs.contains(&CodeRef::new(CodeTab::Buggy, CodeLine::ChangeRateLimited)));
        assert!(!refs.iter().any(|r| r.tab == CodeTab::Fixed));
    }
}
