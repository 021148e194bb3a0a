//! The simulation's values as JavaScript values: the failures table and the
//! event log, as plain objects through [`serde_wasm_bindgen`] (the summary is
//! in [`crate::js::summary`], which the embedded playground shares).
//!
//! Nanosecond values (times and durations) cross as `bigint` (serialised as
//! `u128`, which [`serde_wasm_bindgen`] always turns into a `BigInt`); counts
//! cross as `number`. Absent values are `null`.

use crate::sim::{
    Cause, Event, EventKind, FailReason, FailureRow, KeyStatus, PqBefore, StartReason,
};
use crate::workqueue::{ItemState, Time};
use serde::Serialize;
use std::time::Duration;

/// A time as nanoseconds since t=0, for a `bigint`.
fn time_ns(t: Time) -> u128 {
    u128::from(t.as_nanos())
}

/// A duration in nanoseconds, for a `bigint`.
fn duration_ns(d: Duration) -> u128 {
    d.as_nanos()
}

/// One failures-map row: `{ key, requeues, lastBackoffNs, nextRetryNs,
/// lastFailedAtNs, status }`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JsFailure<'a> {
    key: &'a str,
    requeues: u64,
    last_backoff_ns: Option<u128>,
    next_retry_ns: Option<u128>,
    last_failed_at_ns: Option<u128>,
    status: KeyStatus,
}

impl<'a> From<&'a FailureRow> for JsFailure<'a> {
    fn from(r: &'a FailureRow) -> Self {
        JsFailure {
            key: &r.key,
            requeues: r.requeues,
            last_backoff_ns: r.last_backoff.map(duration_ns),
            next_retry_ns: r.next_retry.map(time_ns),
            last_failed_at_ns: r.last_failed_at.map(time_ns),
            status: r.status,
        }
    }
}

/// One event-log entry: `{ seq, atNs, type, category, text, call, …the
/// fields of its type }`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JsEvent<'a> {
    seq: u64,
    at_ns: u128,
    #[serde(flatten)]
    kind: JsKind<'a>,
    category: &'static str,
    text: String,
    call: String,
}

impl<'a> From<&'a Event> for JsEvent<'a> {
    fn from(e: &'a Event) -> Self {
        JsEvent {
            seq: e.seq,
            at_ns: time_ns(e.at),
            kind: JsKind::from(&e.kind),
            category: e.category(),
            text: e.text(),
            call: e.call(),
        }
    }
}

/// [`EventKind`] with camelCase fields and nanoseconds as `bigint`; `type`
/// is the same tag `wqplay run --events` writes.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum JsKind<'a> {
    #[serde(rename_all = "camelCase")]
    Started {
        reason: StartReason,
        objects: u64,
    },
    #[serde(rename_all = "camelCase")]
    ObjectCreated {
        key: &'a str,
    },
    #[serde(rename_all = "camelCase")]
    ObjectUpdated {
        key: &'a str,
    },
    #[serde(rename_all = "camelCase")]
    ObjectDeleted {
        key: &'a str,
        orphaned: bool,
    },
    #[serde(rename_all = "camelCase")]
    Add {
        key: &'a str,
        cause: Cause,
        before: &'static str,
    },
    #[serde(rename_all = "camelCase")]
    AddRateLimited {
        key: &'a str,
        cause: Cause,
        when_ns: u128,
        failures_before: u64,
        failures_after: u64,
        waiting_until_ns: Option<u128>,
        tokens: Option<f64>,
    },
    #[serde(rename_all = "camelCase")]
    Released {
        count: u64,
    },
    #[serde(rename_all = "camelCase")]
    Get {
        worker: Option<u32>,
        key: &'a str,
        requeues: u64,
        takes_ns: Option<u128>,
    },
    #[serde(rename_all = "camelCase")]
    ReconcileOk {
        worker: u32,
        key: &'a str,
        deleted: bool,
    },
    #[serde(rename_all = "camelCase")]
    ReconcileFailed {
        worker: u32,
        key: &'a str,
        reason: FailReason,
    },
    #[serde(rename_all = "camelCase")]
    Forget {
        key: &'a str,
        cause: Cause,
        had: u64,
    },
    #[serde(rename_all = "camelCase")]
    GaveUp {
        key: &'a str,
        requeues: u64,
    },
    #[serde(rename_all = "camelCase")]
    Done {
        key: &'a str,
        worker: Option<u32>,
        requeued: bool,
        spurious: bool,
    },
    #[serde(rename_all = "camelCase")]
    OomKilled {
        bytes: u64,
        limit: u64,
        failures: u64,
        restart_at_ns: u128,
    },
    #[serde(rename_all = "camelCase")]
    OutageStarted {
        until_ns: u128,
    },
    OutageEnded,
    #[serde(rename_all = "camelCase")]
    Setting {
        label: &'a str,
    },
    #[serde(rename_all = "camelCase")]
    AddWithOpts {
        key: &'a str,
        cause: Cause,
        rate_limited: bool,
        after_ns: u128,
        priority: Option<i64>,
        when_ns: Option<u128>,
        failures_before: u64,
        failures_after: u64,
        /// Where the key stood: "absent", "ready", "waiting" or "processing".
        before: &'static str,
        before_priority: Option<i64>,
        before_until_ns: Option<u128>,
    },
    #[serde(rename_all = "camelCase")]
    GetWithPriority {
        worker: Option<u32>,
        key: &'a str,
        priority: i64,
        requeues: u64,
        takes_ns: Option<u128>,
    },
    #[serde(rename_all = "camelCase")]
    Reconciled {
        worker: u32,
        key: &'a str,
        /// The `Reconcile` return values as Go prints them.
        result: String,
        reason: Option<FailReason>,
        deleted: bool,
    },
}

/// An item's state before an `Add`, as the event log names it.
fn state_name(state: Option<ItemState>) -> &'static str {
    match state {
        None => "absent",
        Some(ItemState::Queued) => "queued",
        Some(ItemState::Processing) => "processing",
        Some(ItemState::ProcessingDirty) => "processing_dirty",
    }
}

/// Where a key stood in the priority queue before an `AddWithOpts`.
fn pq_state_name(before: &PqBefore) -> &'static str {
    match before {
        PqBefore::Absent => "absent",
        PqBefore::Ready { .. } => "ready",
        PqBefore::Waiting { .. } => "waiting",
        PqBefore::Processing => "processing",
    }
}

impl<'a> From<&'a EventKind> for JsKind<'a> {
    fn from(kind: &'a EventKind) -> Self {
        match kind {
            EventKind::Started { reason, objects } => JsKind::Started {
                reason: *reason,
                objects: *objects,
            },
            EventKind::ObjectCreated { key } => JsKind::ObjectCreated { key },
            EventKind::ObjectUpdated { key } => JsKind::ObjectUpdated { key },
            EventKind::ObjectDeleted { key, orphaned } => JsKind::ObjectDeleted {
                key,
                orphaned: *orphaned,
            },
            EventKind::Add { key, cause, before } => JsKind::Add {
                key,
                cause: *cause,
                before: state_name(*before),
            },
            EventKind::AddRateLimited {
                key,
                cause,
                when,
                failures_before,
                failures_after,
                waiting_until,
                tokens,
            } => JsKind::AddRateLimited {
                key,
                cause: *cause,
                when_ns: duration_ns(*when),
                failures_before: *failures_before,
                failures_after: *failures_after,
                waiting_until_ns: waiting_until.map(time_ns),
                tokens: *tokens,
            },
            EventKind::Released { count } => JsKind::Released { count: *count },
            EventKind::Get {
                worker,
                key,
                requeues,
                takes,
            } => JsKind::Get {
                worker: *worker,
                key,
                requeues: *requeues,
                takes_ns: takes.map(duration_ns),
            },
            EventKind::ReconcileOk {
                worker,
                key,
                deleted,
            } => JsKind::ReconcileOk {
                worker: *worker,
                key,
                deleted: *deleted,
            },
            EventKind::ReconcileFailed {
                worker,
                key,
                reason,
            } => JsKind::ReconcileFailed {
                worker: *worker,
                key,
                reason: *reason,
            },
            EventKind::Forget { key, cause, had } => JsKind::Forget {
                key,
                cause: *cause,
                had: *had,
            },
            EventKind::GaveUp { key, requeues } => JsKind::GaveUp {
                key,
                requeues: *requeues,
            },
            EventKind::Done {
                key,
                worker,
                requeued,
                spurious,
            } => JsKind::Done {
                key,
                worker: *worker,
                requeued: *requeued,
                spurious: *spurious,
            },
            EventKind::OomKilled {
                bytes,
                limit,
                failures,
                restart_at,
            } => JsKind::OomKilled {
                bytes: *bytes,
                limit: *limit,
                failures: *failures,
                restart_at_ns: time_ns(*restart_at),
            },
            EventKind::OutageStarted { until } => JsKind::OutageStarted {
                until_ns: time_ns(*until),
            },
            EventKind::OutageEnded => JsKind::OutageEnded,
            EventKind::Setting { label } => JsKind::Setting { label },
            EventKind::AddWithOpts {
                key,
                cause,
                rate_limited,
                after,
                priority,
                when,
                failures_before,
                failures_after,
                before,
            } => JsKind::AddWithOpts {
                key,
                cause: *cause,
                rate_limited: *rate_limited,
                after_ns: duration_ns(*after),
                priority: *priority,
                when_ns: when.map(duration_ns),
                failures_before: *failures_before,
                failures_after: *failures_after,
                before: pq_state_name(before),
                before_priority: match before {
                    PqBefore::Ready { priority } | PqBefore::Waiting { priority, .. } => {
                        Some(*priority)
                    }
                    PqBefore::Absent | PqBefore::Processing => None,
                },
                before_until_ns: match before {
                    PqBefore::Waiting { until, .. } => Some(time_ns(*until)),
                    _ => None,
                },
            },
            EventKind::GetWithPriority {
                worker,
                key,
                priority,
                requeues,
                takes,
            } => JsKind::GetWithPriority {
                worker: *worker,
                key,
                priority: *priority,
                requeues: *requeues,
                takes_ns: takes.map(duration_ns),
            },
            EventKind::Reconciled {
                worker,
                key,
                result,
                reason,
                deleted,
            } => JsKind::Reconciled {
                worker: *worker,
                key,
                result: result.go(),
                reason: *reason,
                deleted: *deleted,
            },
        }
    }
}
