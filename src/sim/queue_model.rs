//! "A queue" as the sim sees it: client-go's rate-limiting queue or
//! controller-runtime's priority queue behind the few operations both have
//! (add with options, get, done, forget, num requeues, len, advance), plus
//! each model's own views (entries with priorities, the failures map, the
//! next ready time, metrics).
//!
//! A new queue model is a new variant here, not edits across the sim.

use crate::sim::limiter::LimiterConfig;
use crate::sim::scenario::ScenarioError;
use crate::sim::{Key, PriorityDepths};
use crate::stable_sort;
use crate::workqueue::{
    default_priority_queue_rate_limiter, AddOpts, FakeClock, ItemState, PriorityQueue, Queue,
    RateLimiter, RateLimitingQueue, Time,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Which work queue the simulated controller uses (the scenario's `queue`).
///
/// JSON: `"client-go"` (the default, also when the field is absent) or
/// `"controller-runtime"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QueueKind {
    /// client-go's `RateLimitingQueue` driven by a sample-controller style
    /// handler (the scenario's policy makes the calls).
    #[default]
    #[serde(rename = "client-go")]
    ClientGo,
    /// controller-runtime v0.25.3: the priority queue driven by
    /// `reconcileHandler`, which turns each `Reconcile` result into queue
    /// calls (the policy is not used).
    #[serde(rename = "controller-runtime")]
    ControllerRuntime,
}

impl QueueKind {
    /// Both queues, in menu order.
    pub const ALL: [QueueKind; 2] = [QueueKind::ClientGo, QueueKind::ControllerRuntime];

    /// The JSON and CLI spelling: "client-go" or "controller-runtime".
    pub fn as_str(self) -> &'static str {
        match self {
            QueueKind::ClientGo => "client-go",
            QueueKind::ControllerRuntime => "controller-runtime",
        }
    }

    /// The name people know it by: "client-go workqueue" or
    /// "controller-runtime priority queue" (the UI's Queue options).
    pub fn title(self) -> &'static str {
        match self {
            QueueKind::ClientGo => "client-go workqueue",
            QueueKind::ControllerRuntime => "controller-runtime priority queue",
        }
    }

    /// Parses the JSON/CLI spelling; the error lists the accepted values.
    pub fn parse(s: &str) -> Result<QueueKind, String> {
        match s {
            "client-go" => Ok(QueueKind::ClientGo),
            "controller-runtime" => Ok(QueueKind::ControllerRuntime),
            other => Err(format!(
                "unknown queue {other:?}: expected \"client-go\" or \"controller-runtime\""
            )),
        }
    }

    /// Whether this is the default (serialisation skips the field then, so
    /// client-go scenarios keep their JSON and share links byte for byte).
    pub fn is_default(&self) -> bool {
        *self == QueueKind::ClientGo
    }
}

/// Where an item sits in the queue machinery, for either model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryPlace {
    /// Ready to be handed out (client-go: in the FIFO).
    Ready,
    /// Waiting until `ready_at` (client-go: in the delaying heap).
    Waiting {
        /// When it becomes ready.
        ready_at: Time,
    },
}

/// One queued entry with its priority (always 0 in client-go's queue).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueEntry {
    /// The key.
    pub key: Key,
    /// Ready or waiting.
    pub place: EntryPlace,
    /// Priority (client-go has none: 0).
    pub priority: i64,
    /// A ready re-add of a key being processed (priority queue only):
    /// counted by `Len`, skipped by `Get` until `Done`.
    pub locked: bool,
}

/// The counters the sim's series and summary need, from either model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueMetrics {
    /// `workqueue_depth` (the priority queue: summed over priorities).
    pub depth: i64,
    /// `workqueue_adds_total`.
    pub adds_total: u64,
    /// `workqueue_retries_total`.
    pub retries_total: u64,
    /// The priority queue's depth gauges grouped by priority (`None` for client-go's).
    pub depth_by_priority: Option<PriorityDepths>,
}

/// What an add did, for the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddOutcome {
    /// The limiter's `When` for a rate-limited add (None: not asked).
    pub when: Option<Duration>,
}

/// One of the two queue models, behind the operations the sim uses.
pub enum QueueModel {
    /// client-go's rate-limiting queue.
    ClientGo(RateLimitingQueue<Key>),
    /// controller-runtime's priority queue.
    ControllerRuntime(PriorityQueue<Key>),
}

impl std::fmt::Debug for QueueModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("QueueModel").field(&self.kind()).finish()
    }
}

impl QueueModel {
    /// A fresh, empty queue of `kind` with the limiter `limiter` names.
    ///
    /// [`LimiterConfig::DefaultController`] means "the framework's default":
    /// client-go's `DefaultControllerRateLimiter` for client-go, and
    /// controller-runtime's priority-queue default
    /// ([`default_priority_queue_rate_limiter`], `ItemExponential(5ms,
    /// 1000s)` with no bucket) for controller-runtime, as
    /// `controller.NewTypedUnmanaged` picks when `RateLimiter` is nil.
    pub fn new(
        kind: QueueKind,
        limiter: &LimiterConfig,
        clock: &FakeClock,
    ) -> Result<QueueModel, ScenarioError> {
        Ok(match kind {
            QueueKind::ClientGo => {
                QueueModel::ClientGo(RateLimitingQueue::new(limiter.build(clock)?, clock.clone()))
            }
            QueueKind::ControllerRuntime => {
                let built: Box<dyn RateLimiter<Key>> = match limiter {
                    LimiterConfig::DefaultController => {
                        Box::new(default_priority_queue_rate_limiter::<Key>())
                    }
                    other => other.build(clock)?,
                };
                QueueModel::ControllerRuntime(PriorityQueue::with_limiter(built, clock.clone()))
            }
        })
    }

    /// Which model this is.
    pub fn kind(&self) -> QueueKind {
        match self {
            QueueModel::ClientGo(_) => QueueKind::ClientGo,
            QueueModel::ControllerRuntime(_) => QueueKind::ControllerRuntime,
        }
    }

    /// A deep copy reading `clock` from now on (checkpoints and forks).
    pub fn clone_onto(&self, clock: FakeClock) -> QueueModel {
        match self {
            QueueModel::ClientGo(q) => QueueModel::ClientGo(q.clone_onto(clock)),
            QueueModel::ControllerRuntime(q) => QueueModel::ControllerRuntime(q.clone_onto(clock)),
        }
    }

    /// The client-go queue, if this is one (its FIFO, dirty and processing
    /// sets and heap are its own views).
    pub fn client_go(&self) -> Option<&RateLimitingQueue<Key>> {
        match self {
            QueueModel::ClientGo(q) => Some(q),
            QueueModel::ControllerRuntime(_) => None,
        }
    }

    /// The priority queue, if this is one.
    pub fn priority_queue(&self) -> Option<&PriorityQueue<Key>> {
        match self {
            QueueModel::ClientGo(_) => None,
            QueueModel::ControllerRuntime(q) => Some(q),
        }
    }

    // ----- operations --------------------------------------------------------

    /// Go's `AddWithOpts(opts, key)`. On client-go's queue this is
    /// controller-runtime's `priorityQueueWrapper`: `RateLimited` →
    /// `AddRateLimited`, else `After > 0` → `AddAfter`, else `Add`
    /// (the priority is dropped).
    ///
    /// On the priority queue a rate-limited add asks the limiter itself and
    /// passes `min(After, When)` (or `When` when `After` is zero) as the
    /// delay, which is exactly what the queue computes, so the sim can log
    /// `When`. Adds after shutdown are ignored before the limiter is asked,
    /// as in Go.
    pub fn add_with_opts(&mut self, opts: AddOpts, key: Key) -> AddOutcome {
        match self {
            QueueModel::ClientGo(q) => {
                if opts.rate_limited {
                    AddOutcome {
                        when: Some(q.add_rate_limited(key)),
                    }
                } else {
                    if opts.after.is_zero() {
                        q.add(key);
                    } else {
                        q.add_after(key, opts.after);
                    }
                    AddOutcome { when: None }
                }
            }
            QueueModel::ControllerRuntime(q) => {
                let when = q.add_one_with_opts(opts, key);
                AddOutcome { when }
            }
        }
    }

    /// Hands out the next item and its priority (client-go: 0). Client-go's
    /// inner `Get` releases nothing from the heap (the sim logs releases as
    /// their own step); the priority queue's releases only what is due,
    /// which the sim has already released.
    pub fn get(&mut self) -> Option<(Key, i64)> {
        match self {
            QueueModel::ClientGo(q) => Queue::get(q).map(|k| (k, 0)),
            QueueModel::ControllerRuntime(q) => q.get_with_priority(),
        }
    }

    /// Go's `Done(key)`.
    pub fn done(&mut self, key: &Key) {
        match self {
            QueueModel::ClientGo(q) => q.done(key),
            QueueModel::ControllerRuntime(q) => q.done(key),
        }
    }

    /// Go's `Forget(key)`: the limiter drops its failures entry.
    pub fn forget(&mut self, key: &Key) {
        match self {
            QueueModel::ClientGo(q) => q.forget(key),
            QueueModel::ControllerRuntime(q) => q.forget(key),
        }
    }

    /// Go's `NumRequeues(key)`.
    pub fn num_requeues(&self, key: &Key) -> u64 {
        match self {
            QueueModel::ClientGo(q) => q.num_requeues(key),
            QueueModel::ControllerRuntime(q) => q.num_requeues(key),
        }
    }

    /// Moves due waiting items to ready; how many moved.
    pub fn advance(&mut self) -> usize {
        match self {
            QueueModel::ClientGo(q) => q.advance(),
            QueueModel::ControllerRuntime(q) => q.advance(),
        }
    }

    // ----- views -------------------------------------------------------------

    /// Go's `Len()` (ready items; the priority queue counts locked re-adds).
    pub fn len(&self) -> usize {
        match self {
            QueueModel::ClientGo(q) => q.len(),
            QueueModel::ControllerRuntime(q) => q.len(),
        }
    }

    /// Whether `len() == 0`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a `Get` would hand something out now.
    pub fn has_ready(&self) -> bool {
        match self {
            QueueModel::ClientGo(q) => !q.is_empty(),
            QueueModel::ControllerRuntime(q) => q.has_ready(),
        }
    }

    /// Items waiting for their ready time.
    pub fn waiting_len(&self) -> usize {
        match self {
            QueueModel::ClientGo(q) => q.waiting_len(),
            QueueModel::ControllerRuntime(q) => q.waiting_len(),
        }
    }

    /// Items handed out and not yet `Done`.
    pub fn processing_len(&self) -> usize {
        match self {
            QueueModel::ClientGo(q) => q.processing_len(),
            QueueModel::ControllerRuntime(q) => q.processing_len(),
        }
    }

    /// The earliest ready time of a waiting item.
    pub fn next_ready_at(&self) -> Option<Time> {
        match self {
            QueueModel::ClientGo(q) => q.next_ready_at(),
            QueueModel::ControllerRuntime(q) => q.next_ready_at(),
        }
    }

    /// When `key` leaves the waiting set, if it waits.
    pub fn ready_at(&self, key: &Key) -> Option<Time> {
        match self {
            QueueModel::ClientGo(q) => q.ready_at(key),
            QueueModel::ControllerRuntime(q) => q.entry(key).and_then(|(_, at)| at),
        }
    }

    /// client-go's item state (absent, queued, processing, dirty); `None`
    /// for the priority queue, which has no such states.
    pub fn state_of(&self, key: &Key) -> Option<ItemState> {
        match self {
            QueueModel::ClientGo(q) => q.state_of(key),
            QueueModel::ControllerRuntime(_) => None,
        }
    }

    /// Keys being processed, each with whether it was re-added meanwhile
    /// (client-go: dirty; the priority queue: a queued entry of it exists).
    pub fn processing(&self) -> Vec<(&Key, bool)> {
        match self {
            QueueModel::ClientGo(q) => q.processing().collect(),
            QueueModel::ControllerRuntime(q) => q
                .processing()
                .into_iter()
                .map(|(k, _)| (k, q.entry(k).is_some()))
                .collect(),
        }
    }

    /// Waiting items with their ready times (client-go: heap order; the
    /// priority queue: release order).
    pub fn waiting(&self) -> Vec<(&Key, Time)> {
        match self {
            QueueModel::ClientGo(q) => q.waiting(),
            QueueModel::ControllerRuntime(q) => q.waiting().map(|w| (w.key, w.ready_at)).collect(),
        }
    }

    /// Every queued entry: ready ones in hand-out order, then waiting ones
    /// in release order, each with its priority.
    pub fn entries(&self) -> Vec<QueueEntry> {
        match self {
            QueueModel::ClientGo(q) => {
                let mut out: Vec<QueueEntry> = q
                    .fifo()
                    .map(|k| QueueEntry {
                        key: k.clone(),
                        place: EntryPlace::Ready,
                        priority: 0,
                        locked: false,
                    })
                    .collect();
                let mut waiting = q.waiting();
                stable_sort::sort_by(&mut waiting, |a, b| {
                    a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0))
                });
                out.extend(waiting.into_iter().map(|(k, at)| QueueEntry {
                    key: k.clone(),
                    place: EntryPlace::Waiting { ready_at: at },
                    priority: 0,
                    locked: false,
                }));
                out
            }
            QueueModel::ControllerRuntime(q) => {
                let mut out: Vec<QueueEntry> = q
                    .ready()
                    .map(|r| QueueEntry {
                        key: r.key.clone(),
                        place: EntryPlace::Ready,
                        priority: r.priority,
                        locked: r.locked,
                    })
                    .collect();
                out.extend(q.waiting().map(|w| QueueEntry {
                    key: w.key.clone(),
                    place: EntryPlace::Waiting {
                        ready_at: w.ready_at,
                    },
                    priority: w.priority,
                    locked: false,
                }));
                out
            }
        }
    }

    /// The limiter (failures map, bucket tokens, description).
    pub fn limiter(&self) -> &dyn RateLimiter<Key> {
        match self {
            QueueModel::ClientGo(q) => q.limiter(),
            QueueModel::ControllerRuntime(q) => q.limiter(),
        }
    }

    /// The counters the series and the summary read.
    pub fn metrics(&self) -> QueueMetrics {
        match self {
            QueueModel::ClientGo(q) => {
                let m = q.metrics();
                QueueMetrics {
                    depth: m.depth,
                    adds_total: m.adds_total,
                    retries_total: m.retries_total,
                    depth_by_priority: None,
                }
            }
            QueueModel::ControllerRuntime(q) => {
                let m = q.metrics();
                QueueMetrics {
                    depth: m.depth_total(),
                    adds_total: m.adds_total,
                    retries_total: m.retries_total,
                    depth_by_priority: Some(PriorityDepths::of(&m.depth)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_spellings_round_trip() {
        for k in [QueueKind::ClientGo, QueueKind::ControllerRuntime] {
            assert_eq!(QueueKind::parse(k.as_str()), Ok(k));
            let json = serde_json::to_string(&k).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert!(QueueKind::parse("cr").unwrap_err().contains("client-go"));
    }

    #[test]
    fn default_controller_means_the_frameworks_default() {
        let clock = FakeClock::new(Time::ZERO);
        let lim = LimiterConfig::DefaultController;
        let mut cg = QueueModel::new(QueueKind::ClientGo, &lim, &clock).expect("builds");
        let mut cr = QueueModel::new(QueueKind::ControllerRuntime, &lim, &clock).expect("builds");
        let rl = AddOpts::new().rate_limited();
        let mut cg_last = Duration::ZERO;
        for i in 0..200 {
            let key = Key::from(format!("ns/k{i}"));
            cg_last = cg.add_with_opts(rl, key.clone()).when.unwrap_or_default();
            let w = cr.add_with_opts(rl, key).when;
            assert_eq!(w, Some(Duration::from_millis(5)));
        }
        assert!(cg_last > Duration::from_secs(9), "{cg_last:?}");
        assert!(cr.limiter().tokens().is_none());
    }
}
