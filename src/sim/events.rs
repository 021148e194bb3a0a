//! The event log: what happened, in plain words and as the exact client-go
//! call, at what virtual time.
//!
//! A simulated day has millions of events, so events are stored as small
//! structured values and formatted only when someone reads them; the log
//! keeps a bounded ring of recent events for the UI, and folds every event
//! into the trace hash as it is recorded, so the hash covers the full log
//! while memory stays bounded. The full log is recomputed by replay.

use crate::sim::duration::format_duration;
use crate::sim::memory::format_bytes;
use crate::sim::reconcile::{ReconcileOutcome, ReconcileResult};
use crate::sim::trace_hash::TraceHash;
use crate::sim::Key;
use crate::workqueue::{ItemState, Time};
use serde::Serialize;
use std::collections::VecDeque;
use std::time::Duration;

/// Why a queue call was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The informer reported an add or update.
    Change,
    /// The informer reported a delete.
    Delete,
    /// The informer's initial list after a (re)start.
    Relist,
    /// A reconcile returned an error.
    Error,
    /// A reconcile succeeded.
    Success,
    /// The retry cap was reached.
    GiveUp,
    /// You clicked it.
    Hand,
    /// A reconcile returned `Requeue: true` or `RequeueAfter`
    /// (controller-runtime mode).
    Requeue,
}

/// Where a key stood in the priority queue before an `AddWithOpts`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum PqBefore {
    /// Not queued and not processing.
    Absent,
    /// Ready at `priority`.
    Ready {
        /// Its priority.
        priority: i64,
    },
    /// Waiting until `until` at `priority`.
    Waiting {
        /// Its ready time.
        until: Time,
        /// Its priority.
        priority: i64,
    },
    /// Being processed with no queued entry.
    Processing,
}

impl Cause {
    fn code(self) -> u8 {
        match self {
            Cause::Change => 0,
            Cause::Delete => 1,
            Cause::Relist => 2,
            Cause::Error => 3,
            Cause::Success => 4,
            Cause::GiveUp => 5,
            Cause::Hand => 6,
            Cause::Requeue => 7,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Cause::Change => "on a change event",
            Cause::Delete => "on a delete event",
            Cause::Relist => "on the initial list",
            Cause::Error => "after a reconcile error",
            Cause::Success => "after a successful reconcile",
            Cause::GiveUp => "giving up after too many retries",
            Cause::Hand => "by hand",
            Cause::Requeue => "on a requeue result",
        }
    }
}

/// Why a reconcile failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailReason {
    /// The per-key error probability came up.
    Random,
    /// A poison key: it always fails.
    Poison,
    /// Inside an outage window.
    Outage,
}

/// Why the controller (re)started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartReason {
    /// The first start at t=0.
    Initial,
    /// The container restarted after an OOM kill.
    AfterOom,
    /// A redeploy with a new limiter.
    Redeploy,
}

/// Who called `Get`: a simulated worker, or you.
pub type WorkerId = Option<u32>;

/// What happened. Each variant holds just the numbers needed to describe
/// it; [`Event::text`] and [`Event::call`] format them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum EventKind {
    /// The controller process started and the informer listed `objects`.
    Started {
        /// Why it started.
        reason: StartReason,
        /// Live objects listed (each is then enqueued).
        objects: u64,
    },
    /// A new object appeared.
    ObjectCreated {
        /// Its key.
        key: Key,
    },
    /// An object changed.
    ObjectUpdated {
        /// Its key.
        key: Key,
    },
    /// An object was deleted; `orphaned` if it left a failures entry behind.
    ObjectDeleted {
        /// Its key.
        key: Key,
        /// Whether its failures-map entry is now an orphan.
        orphaned: bool,
    },
    /// `queue.Add(key)`; `before` is the item's state before the call.
    Add {
        /// The key.
        key: Key,
        /// Why.
        cause: Cause,
        /// State before: None (absent), Queued (collapsed), Processing (marked dirty)...
        #[serde(serialize_with = "ser_state")]
        before: Option<ItemState>,
    },
    /// `queue.AddRateLimited(key)`.
    AddRateLimited {
        /// The key.
        key: Key,
        /// Why.
        cause: Cause,
        /// What `When()` returned.
        when: Duration,
        /// `NumRequeues` before the call.
        failures_before: u64,
        /// `NumRequeues` after the call.
        failures_after: u64,
        /// If the key was already waiting: its ready time then (the earlier one wins).
        waiting_until: Option<Time>,
        /// Bucket tokens after the call, if the limiter has a bucket.
        tokens: Option<f64>,
    },
    /// The delaying queue moved `count` due items into the FIFO.
    Released {
        /// How many.
        count: u64,
    },
    /// `queue.Get()` handed out `key`.
    Get {
        /// The worker (None: you).
        worker: WorkerId,
        /// The key.
        key: Key,
        /// `NumRequeues(key)` at this moment.
        requeues: u64,
        /// How long the reconcile will take (None: you decide).
        takes: Option<Duration>,
    },
    /// A reconcile succeeded (`deleted`: the object was already gone).
    ReconcileOk {
        /// The worker.
        worker: u32,
        /// The key.
        key: Key,
        /// The object no longer existed: nothing to do.
        deleted: bool,
    },
    /// A reconcile returned an error.
    ReconcileFailed {
        /// The worker.
        worker: u32,
        /// The key.
        key: Key,
        /// Why.
        reason: FailReason,
    },
    /// `queue.Forget(key)`: its failures entry (`had` failures) is deleted.
    Forget {
        /// The key.
        key: Key,
        /// Why.
        cause: Cause,
        /// `NumRequeues` before.
        had: u64,
    },
    /// The retry cap was reached: the key is forgotten and dropped.
    GaveUp {
        /// The key.
        key: Key,
        /// `NumRequeues` when it gave up.
        requeues: u64,
    },
    /// `queue.Done(key)`.
    Done {
        /// The key.
        key: Key,
        /// Who was processing it (None: you, or nobody).
        worker: WorkerId,
        /// It was re-added while processing, so Done queued it again.
        requeued: bool,
        /// It was not processing: client-go's spurious Done.
        spurious: bool,
    },
    /// The estimate crossed the limit: the pod is OOM-killed.
    OomKilled {
        /// Estimated bytes at the kill.
        bytes: u64,
        /// The limit.
        limit: u64,
        /// Failures-map entries lost.
        failures: u64,
        /// When the container comes back.
        restart_at: Time,
    },
    /// Every reconcile fails from now until `until`.
    OutageStarted {
        /// End of the outage.
        until: Time,
    },
    /// An outage window ended.
    OutageEnded,
    /// A setting changed or a bulk action began (the input's label).
    Setting {
        /// What changed.
        label: String,
    },
    /// controller-runtime: `q.AddWithOpts(opts, key)` on the priority queue.
    AddWithOpts {
        /// The key.
        key: Key,
        /// Why.
        cause: Cause,
        /// `AddOpts.RateLimited`.
        rate_limited: bool,
        /// `AddOpts.After`.
        after: Duration,
        /// `AddOpts.Priority` (None: Go's nil, priority 0).
        priority: Option<i64>,
        /// What the limiter's `When()` returned, for a rate-limited add.
        when: Option<Duration>,
        /// `NumRequeues` before the call.
        failures_before: u64,
        /// `NumRequeues` after the call.
        failures_after: u64,
        /// Where the key stood before.
        before: PqBefore,
    },
    /// controller-runtime: `q.GetWithPriority()` handed out `key`.
    GetWithPriority {
        /// The worker (None: you).
        worker: WorkerId,
        /// The key.
        key: Key,
        /// Its priority.
        priority: i64,
        /// `NumRequeues(key)` at this moment.
        requeues: u64,
        /// How long the reconcile will take (None: you decide).
        takes: Option<Duration>,
    },
    /// controller-runtime: `Reconcile` returned; `reconcileHandler` acts on it.
    Reconciled {
        /// The worker.
        worker: u32,
        /// The key.
        key: Key,
        /// What it returned.
        result: ReconcileResult,
        /// Why it failed, for an error.
        reason: Option<FailReason>,
        /// The object no longer existed: nothing to do (success).
        deleted: bool,
    },
}

/// One entry of the log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Position in the full log, from 0.
    pub seq: u64,
    /// Virtual time.
    #[serde(serialize_with = "ser_time")]
    pub at: Time,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

fn ser_time<S: serde::Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(t.as_nanos())
}

fn ser_state<S: serde::Serializer>(st: &Option<ItemState>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match st {
        None => "absent",
        Some(ItemState::Queued) => "queued",
        Some(ItemState::Processing) => "processing",
        Some(ItemState::ProcessingDirty) => "processing_dirty",
    })
}

fn quote(k: &Key) -> String {
    format!("{:?}", &**k)
}

fn worker_name(w: WorkerId) -> String {
    match w {
        Some(i) => format!("worker {i}"),
        None => "you".to_owned(),
    }
}

impl Event {
    /// The key this event is about, if any (for filters and row highlights).
    pub fn key(&self) -> Option<&Key> {
        match &self.kind {
            EventKind::ObjectCreated { key }
            | EventKind::ObjectUpdated { key }
            | EventKind::ObjectDeleted { key, .. }
            | EventKind::Add { key, .. }
            | EventKind::AddRateLimited { key, .. }
            | EventKind::Get { key, .. }
            | EventKind::ReconcileOk { key, .. }
            | EventKind::ReconcileFailed { key, .. }
            | EventKind::Forget { key, .. }
            | EventKind::GaveUp { key, .. }
            | EventKind::Done { key, .. }
            | EventKind::AddWithOpts { key, .. }
            | EventKind::GetWithPriority { key, .. }
            | EventKind::Reconciled { key, .. } => Some(key),
            _ => None,
        }
    }

    /// A short category for filters and the event tape: "informer", "add",
    /// "rate-limit", "release", "get", "reconcile", "failure", "forget",
    /// "done", "oom", "outage", "setting", "start".
    pub fn category(&self) -> &'static str {
        match &self.kind {
            EventKind::Started { .. } => "start",
            EventKind::ObjectCreated { .. }
            | EventKind::ObjectUpdated { .. }
            | EventKind::ObjectDeleted { .. } => "informer",
            EventKind::Add { .. } => "add",
            EventKind::AddRateLimited { .. } => "rate-limit",
            EventKind::Released { .. } => "release",
            EventKind::Get { .. } => "get",
            EventKind::ReconcileOk { .. } => "reconcile",
            EventKind::ReconcileFailed { .. } => "failure",
            EventKind::Forget { .. } | EventKind::GaveUp { .. } => "forget",
            EventKind::Done { .. } => "done",
            EventKind::OomKilled { .. } => "oom",
            EventKind::OutageStarted { .. } | EventKind::OutageEnded => "outage",
            EventKind::Setting { .. } => "setting",
            EventKind::AddWithOpts {
                rate_limited: true, ..
            } => "rate-limit",
            EventKind::AddWithOpts { .. } => "add",
            EventKind::GetWithPriority { .. } => "get",
            EventKind::Reconciled { result, .. } if result.is_error() => "failure",
            EventKind::Reconciled { .. } => "reconcile",
        }
    }

    /// Whether a person stepping through the run wants to stop here: a
    /// reconcile failure, a Forget that deletes an entry, giving up, an OOM
    /// kill or restart, an outage edge (the UI's "next notable event").
    pub fn is_notable(&self) -> bool {
        match &self.kind {
            EventKind::ReconcileFailed { .. }
            | EventKind::GaveUp { .. }
            | EventKind::OomKilled { .. }
            | EventKind::OutageStarted { .. }
            | EventKind::OutageEnded => true,
            EventKind::Reconciled { result, .. } => result.is_error(),
            EventKind::Forget { had, .. } => *had > 0,
            EventKind::Started { reason, .. } => *reason != StartReason::Initial,
            _ => false,
        }
    }

    /// What happened, in plain language.
    pub fn text(&self) -> String {
        match &self.kind {
            EventKind::Started { reason, objects } => {
                let why = match reason {
                    StartReason::Initial => "Controller started",
                    StartReason::AfterOom => "Container restarted after the OOM kill",
                    StartReason::Redeploy => "Controller redeployed with the new limiter",
                };
                format!("{why}: empty queue and failures map; the informer lists {objects} objects")
            }
            EventKind::ObjectCreated { key } => format!("{key} was created"),
            EventKind::ObjectUpdated { key } => format!("{key} changed"),
            EventKind::ObjectDeleted { key, orphaned: true } => {
                format!("{key} was deleted; its failures entry stays behind as an orphan")
            }
            EventKind::ObjectDeleted { key, orphaned: false } => format!("{key} was deleted"),
            EventKind::Add { key, cause, before } => {
                let effect = match before {
                    None => "queued now",
                    Some(ItemState::Queued) => "already queued: the adds collapse into one",
                    Some(ItemState::Processing) => "being processed: marked dirty, queued again on Done",
                    Some(ItemState::ProcessingDirty) => "already dirty while processing: no change",
                };
                format!("{key} added {}: {effect}", cause.words())
            }
            EventKind::AddRateLimited { key, cause, when, failures_after, waiting_until, tokens, .. } => {
                let mut s = format!(
                    "{key} rate-limited {}: waits {} (failure #{failures_after} since its last Forget)",
                    cause.words(),
                    format_duration(*when)
                );
                if let Some(t) = tokens.filter(|t| *t < 0.0) {
                    s.push_str(&format!("; the shared token bucket is {:.1} tokens in debt", -t));
                }
                if let Some(t) = waiting_until {
                    s.push_str(&format!(
                        "; it was already waiting until {}, and the earlier time wins",
                        format_duration(t.since_epoch())
                    ));
                }
                s
            }
            EventKind::Released { count: 1 } => "1 waiting item became ready and moved to the queue".to_owned(),
            EventKind::Released { count } => format!("{count} waiting items became ready and moved to the queue"),
            EventKind::Get { worker, key, requeues, takes } => {
                let mut s = format!("{} took {key} (requeues so far: {requeues})", worker_name(*worker));
                if let Some(d) = takes {
                    s.push_str(&format!("; reconcile takes {}", format_duration(*d)));
                }
                s
            }
            EventKind::ReconcileOk { worker, key, deleted: true } => {
                format!("worker {worker}: {key} no longer exists, nothing to do (success)")
            }
            EventKind::ReconcileOk { worker, key, deleted: false } => format!("worker {worker}: {key} reconciled"),
            EventKind::ReconcileFailed { worker, key, reason } => {
                let why = match reason {
                    FailReason::Random => "error",
                    FailReason::Poison => "error (poison key: always fails)",
                    FailReason::Outage => "error (outage: every reconcile fails)",
                };
                format!("worker {worker}: {key} failed with an {why}")
            }
            EventKind::Forget { key, cause, had: 0 } => {
                format!("{key} forgotten {}: it had no failures entry", cause.words())
            }
            EventKind::Forget { key, cause, had } => format!(
                "{key} forgotten {}: its failures entry ({had} failures) is deleted",
                cause.words()
            ),
            EventKind::GaveUp { key, requeues } => {
                format!("{key} failed {requeues} times: giving up (Forget and drop)")
            }
            EventKind::Done { key, worker, requeued, spurious } => {
                let who = worker_name(*worker);
                if *spurious {
                    format!("{who}: Done on {key}, which was not processing (spurious Done)")
                } else if *requeued {
                    format!("{who}: done with {key}; it was re-added meanwhile, so it is queued again")
                } else {
                    format!("{who}: done with {key}")
                }
            }
            EventKind::OomKilled { bytes, limit, failures, restart_at } => format!(
                "OOMKilled: estimated {} > limit {}; queue and failures map ({failures} entries) lost; restart at {}",
                format_bytes(*bytes),
                format_bytes(*limit),
                format_duration(restart_at.since_epoch())
            ),
            EventKind::OutageStarted { until } => format!(
                "Outage: every reconcile fails until {}",
                format_duration(until.since_epoch())
            ),
            EventKind::OutageEnded => "Outage over: reconciles can succeed again".to_owned(),
            EventKind::Setting { label } => label.clone(),
            EventKind::AddWithOpts { key, cause, rate_limited, after, priority, when, failures_after, before, .. } => {
                let mut s = match (when, after.is_zero()) {
                    (Some(w), _) => format!(
                        "{key} re-added rate-limited {}: waits {} (failure #{failures_after} since its last Forget)",
                        cause.words(),
                        format_duration(*w)
                    ),
                    (None, false) => format!("{key} added {} to wait {}", cause.words(), format_duration(*after)),
                    (None, true) => format!("{key} added {}", cause.words()),
                };
                if let Some(p) = priority {
                    s.push_str(&format!(" at priority {p}"));
                }
                let delayed = *rate_limited && when.is_some_and(|w| !w.is_zero()) || !after.is_zero();
                let effect = match before {
                    PqBefore::Absent => String::new(),
                    PqBefore::Processing => "; it is being processed: a new entry that Get skips until Done".to_owned(),
                    PqBefore::Ready { .. } if delayed => "; it is already ready, so it stays ready (earliest wins)".to_owned(),
                    PqBefore::Ready { .. } => "; already ready: one entry (the higher priority wins)".to_owned(),
                    PqBefore::Waiting { until, .. } if !delayed => format!(
                        "; it was waiting until {}: now ready, and the delayed run is cancelled",
                        format_duration(until.since_epoch())
                    ),
                    PqBefore::Waiting { until, .. } => format!(
                        "; it was already waiting until {}: one entry, the earlier time wins",
                        format_duration(until.since_epoch())
                    ),
                };
                s.push_str(&effect);
                s
            }
            EventKind::GetWithPriority { worker, key, priority, requeues, takes } => {
                let mut s = format!(
                    "{} took {key} at priority {priority} (requeues so far: {requeues})",
                    worker_name(*worker)
                );
                if let Some(d) = takes {
                    s.push_str(&format!("; reconcile takes {}", format_duration(*d)));
                }
                s
            }
            EventKind::Reconciled { worker, key, deleted: true, .. } => {
                format!("worker {worker}: {key} no longer exists, nothing to do (success)")
            }
            EventKind::Reconciled { worker, key, result, reason, .. } => {
                let why = match reason {
                    Some(FailReason::Poison) => " (poison key: always fails)",
                    Some(FailReason::Outage) => " (outage: every reconcile fails)",
                    _ => "",
                };
                let what = match result.outcome {
                    ReconcileOutcome::Success => "reconciled".to_owned(),
                    ReconcileOutcome::Error => format!("returned an error{why}: re-added rate-limited, no Forget"),
                    ReconcileOutcome::TerminalError => {
                        "returned a TerminalError: neither re-added nor forgotten, so its failure count stays".to_owned()
                    }
                    ReconcileOutcome::Requeue => {
                        "returned Requeue: true: re-added rate-limited, no Forget (the backoff keeps growing)".to_owned()
                    }
                    ReconcileOutcome::RequeueAfter(d) => {
                        format!("returned RequeueAfter {}: Forget, then re-added after it", format_duration(d))
                    }
                };
                format!("worker {worker}: {key} {what}")
            }
        }
    }

    /// The exact client-go call, e.g.
    /// `queue.AddRateLimited("ns/pod-7") → When()=640ms (failures 7→8)`.
    pub fn call(&self) -> String {
        match &self.kind {
            EventKind::Started { .. } => {
                "queue := workqueue.NewTypedRateLimitingQueue(rateLimiter); informer lists"
                    .to_owned()
            }
            EventKind::ObjectCreated { key } => format!("AddFunc({})", quote(key)),
            EventKind::ObjectUpdated { key } => format!("UpdateFunc({})", quote(key)),
            EventKind::ObjectDeleted { key, .. } => format!("DeleteFunc({})", quote(key)),
            EventKind::Add { key, .. } => format!("queue.Add({})", quote(key)),
            EventKind::AddRateLimited {
                key,
                when,
                failures_before,
                failures_after,
                tokens,
                ..
            } => {
                let mut s = format!(
                    "queue.AddRateLimited({}) → When()={} (failures {failures_before}→{failures_after})",
                    quote(key),
                    format_duration(*when)
                );
                if let Some(t) = tokens {
                    s.push_str(&format!(", bucket tokens {t:.1}"));
                }
                s
            }
            EventKind::Released { count } => {
                format!("waitingLoop: {count} × queue.Add(readyAt ≤ now)")
            }
            EventKind::Get { key, .. } => format!("queue.Get() → {}", quote(key)),
            EventKind::ReconcileOk { key, .. } => format!("syncHandler({}) → nil", quote(key)),
            EventKind::ReconcileFailed { key, .. } => format!("syncHandler({}) → err", quote(key)),
            EventKind::Forget { key, .. } => format!("queue.Forget({})", quote(key)),
            EventKind::GaveUp { key, requeues } => {
                format!(
                    "queue.NumRequeues({}) = {requeues} → queue.Forget + drop",
                    quote(key)
                )
            }
            EventKind::Done { key, .. } => format!("queue.Done({})", quote(key)),
            EventKind::OomKilled { .. } => "OOMKilled (exit code 137)".to_owned(),
            EventKind::OutageStarted { .. }
            | EventKind::OutageEnded
            | EventKind::Setting { .. } => String::new(),
            EventKind::AddWithOpts {
                key,
                rate_limited,
                after,
                priority,
                when,
                failures_before,
                failures_after,
                ..
            } => {
                let mut fields: Vec<String> = Vec::new();
                if !after.is_zero() {
                    fields.push(format!("After: {}", format_duration(*after)));
                }
                if *rate_limited {
                    fields.push("RateLimited: true".to_owned());
                }
                if let Some(p) = priority {
                    fields.push(format!("Priority: ptr.To({p})"));
                }
                let mut s = format!(
                    "q.AddWithOpts(priorityqueue.AddOpts{{{}}}, {})",
                    fields.join(", "),
                    quote(key)
                );
                if let Some(w) = when {
                    s.push_str(&format!(
                        " → When()={} (failures {failures_before}→{failures_after})",
                        format_duration(*w)
                    ));
                }
                s
            }
            EventKind::GetWithPriority { key, priority, .. } => {
                format!("q.GetWithPriority() → {}, {priority}", quote(key))
            }
            EventKind::Reconciled { key, result, .. } => {
                format!("Reconcile(ctx, {{{}}}) → {}", quote(key), result.go())
            }
        }
    }

    /// Folds this event into the trace hash: seq, time, a variant tag and
    /// every field, fixed-width numbers and length-prefixed strings.
    fn hash_into(&self, h: &mut TraceHash) {
        h.u64(self.seq);
        h.u64(self.at.as_nanos());
        let opt_time = |h: &mut TraceHash, t: &Option<Time>| match t {
            Some(t) => h.u64(t.as_nanos().wrapping_add(1)),
            None => h.u64(0),
        };
        let worker = |h: &mut TraceHash, w: &WorkerId| h.u64(w.map_or(0, |w| u64::from(w) + 1));
        match &self.kind {
            EventKind::Started { reason, objects } => {
                h.bytes(&[0, *reason as u8]);
                h.u64(*objects);
            }
            EventKind::ObjectCreated { key } => {
                h.bytes(&[1]);
                h.str(key);
            }
            EventKind::ObjectUpdated { key } => {
                h.bytes(&[2]);
                h.str(key);
            }
            EventKind::ObjectDeleted { key, orphaned } => {
                h.bytes(&[3, u8::from(*orphaned)]);
                h.str(key);
            }
            EventKind::Add { key, cause, before } => {
                let b = match before {
                    None => 0,
                    Some(ItemState::Queued) => 1,
                    Some(ItemState::Processing) => 2,
                    Some(ItemState::ProcessingDirty) => 3,
                };
                h.bytes(&[4, cause.code(), b]);
                h.str(key);
            }
            EventKind::AddRateLimited {
                key,
                cause,
                when,
                failures_before,
                failures_after,
                waiting_until,
                tokens,
            } => {
                h.bytes(&[5, cause.code()]);
                h.str(key);
                h.u64(u64::try_from(when.as_nanos()).unwrap_or(u64::MAX));
                h.u64(*failures_before);
                h.u64(*failures_after);
                opt_time(h, waiting_until);
                h.u64(tokens.map_or(0, |t| t.to_bits()));
            }
            EventKind::Released { count } => {
                h.bytes(&[6]);
                h.u64(*count);
            }
            EventKind::Get {
                worker: w,
                key,
                requeues,
                takes,
            } => {
                h.bytes(&[7]);
                worker(h, w);
                h.str(key);
                h.u64(*requeues);
                h.u64(takes.map_or(0, |d| {
                    u64::try_from(d.as_nanos())
                        .unwrap_or(u64::MAX)
                        .wrapping_add(1)
                }));
            }
            EventKind::ReconcileOk {
                worker: w,
                key,
                deleted,
            } => {
                h.bytes(&[8, u8::from(*deleted)]);
                h.u64(u64::from(*w));
                h.str(key);
            }
            EventKind::ReconcileFailed {
                worker: w,
                key,
                reason,
            } => {
                h.bytes(&[9, *reason as u8]);
                h.u64(u64::from(*w));
                h.str(key);
            }
            EventKind::Forget { key, cause, had } => {
                h.bytes(&[10, cause.code()]);
                h.str(key);
                h.u64(*had);
            }
            EventKind::GaveUp { key, requeues } => {
                h.bytes(&[11]);
                h.str(key);
                h.u64(*requeues);
            }
            EventKind::Done {
                key,
                worker: w,
                requeued,
                spurious,
            } => {
                h.bytes(&[12, u8::from(*requeued), u8::from(*spurious)]);
                worker(h, w);
                h.str(key);
            }
            EventKind::OomKilled {
                bytes,
                limit,
                failures,
                restart_at,
            } => {
                h.bytes(&[13]);
                h.u64(*bytes);
                h.u64(*limit);
                h.u64(*failures);
                h.u64(restart_at.as_nanos());
            }
            EventKind::OutageStarted { until } => {
                h.bytes(&[14]);
                h.u64(until.as_nanos());
            }
            EventKind::OutageEnded => h.bytes(&[15]),
            EventKind::Setting { label } => {
                h.bytes(&[16]);
                h.str(label);
            }
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
            } => {
                h.bytes(&[17, cause.code(), u8::from(*rate_limited)]);
                h.str(key);
                h.u64(u64::try_from(after.as_nanos()).unwrap_or(u64::MAX));
                h.u64(priority.map_or(0, |_| 1));
                h.u64(priority.unwrap_or(0) as u64);
                h.u64(when.map_or(0, |w| {
                    u64::try_from(w.as_nanos())
                        .unwrap_or(u64::MAX)
                        .wrapping_add(1)
                }));
                h.u64(*failures_before);
                h.u64(*failures_after);
                match before {
                    PqBefore::Absent => h.bytes(&[0]),
                    PqBefore::Ready { priority } => {
                        h.bytes(&[1]);
                        h.u64(*priority as u64);
                    }
                    PqBefore::Waiting { until, priority } => {
                        h.bytes(&[2]);
                        h.u64(until.as_nanos());
                        h.u64(*priority as u64);
                    }
                    PqBefore::Processing => h.bytes(&[3]),
                }
            }
            EventKind::GetWithPriority {
                worker: w,
                key,
                priority,
                requeues,
                takes,
            } => {
                h.bytes(&[18]);
                worker(h, w);
                h.str(key);
                h.u64(*priority as u64);
                h.u64(*requeues);
                h.u64(takes.map_or(0, |d| {
                    u64::try_from(d.as_nanos())
                        .unwrap_or(u64::MAX)
                        .wrapping_add(1)
                }));
            }
            EventKind::Reconciled {
                worker: w,
                key,
                result,
                reason,
                deleted,
            } => {
                let (tag, d) = match result.outcome {
                    ReconcileOutcome::Success => (0, Duration::ZERO),
                    ReconcileOutcome::Error => (1, Duration::ZERO),
                    ReconcileOutcome::TerminalError => (2, Duration::ZERO),
                    ReconcileOutcome::Requeue => (3, Duration::ZERO),
                    ReconcileOutcome::RequeueAfter(d) => (4, d),
                };
                let reason = reason.map_or(0, |r| r as u8 + 1);
                h.bytes(&[19, tag, reason, u8::from(*deleted)]);
                h.u64(u64::from(*w));
                h.str(key);
                h.u64(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
                h.u64(result.priority.map_or(0, |_| 1));
                h.u64(result.priority.unwrap_or(0) as u64);
            }
        }
    }
}

/// Default number of recent events kept for the UI.
pub const DEFAULT_RING_CAPACITY: usize = 4096;

/// The recent events, the running hash of all of them, and their count.
#[derive(Clone, Debug)]
pub struct EventLog {
    ring: VecDeque<Event>,
    capacity: usize,
    total: u64,
    hash: TraceHash,
}

impl EventLog {
    /// An empty log keeping the last `capacity` events (at least 1).
    pub fn new(capacity: usize) -> EventLog {
        EventLog {
            ring: VecDeque::with_capacity(capacity.clamp(1, DEFAULT_RING_CAPACITY)),
            capacity: capacity.max(1),
            total: 0,
            hash: TraceHash::new(),
        }
    }

    /// Appends an event at `at`, hashing it and evicting the oldest if full.
    pub fn record(&mut self, at: Time, kind: EventKind) {
        let event = Event {
            seq: self.total,
            at,
            kind,
        };
        self.total += 1;
        // Full: the oldest slot takes the new event in place and becomes the
        // newest (no move of the old event out of the ring and back).
        if self.ring.len() == self.capacity {
            if let Some(oldest) = self.ring.front_mut() {
                *oldest = event;
            }
            self.ring.rotate_left(1);
        } else {
            self.ring.push_back(event);
        }
        if let Some(newest) = self.ring.back() {
            newest.hash_into(&mut self.hash);
        }
    }

    /// The retained events, oldest first.
    pub fn recent(&self) -> impl DoubleEndedIterator<Item = &Event> + ExactSizeIterator + '_ {
        self.ring.iter()
    }

    /// Retained events with `seq >= from`, oldest first.
    pub fn since(&self, from: u64) -> impl Iterator<Item = &Event> + '_ {
        let first = self.ring.front().map_or(self.total, |e| e.seq);
        let skip = from.saturating_sub(first);
        self.ring
            .iter()
            .skip(usize::try_from(skip).unwrap_or(usize::MAX))
    }

    /// Events recorded so far (the full log's length).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// FNV-1a 64 of the full log so far.
    pub fn hash(&self) -> u64 {
        self.hash.value()
    }

    /// A copy keeping only the last `recent` retained events (same
    /// capacity, count and hash).
    pub fn clone_recent(&self, recent: usize) -> EventLog {
        let skip = self.ring.len().saturating_sub(recent);
        EventLog {
            ring: self.ring.iter().skip(skip).cloned().collect(),
            capacity: self.capacity,
            total: self.total,
            hash: self.hash,
        }
    }

    /// Changes how many recent events are kept (at least 1).
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity.max(1);
        while self.ring.len() > self.capacity {
            self.ring.pop_front();
        }
    }
}
