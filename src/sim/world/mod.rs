//! The simulated world: a discrete-event loop around one work queue (client-go's
//! rate-limiting queue or controller-runtime's priority queue, see
//! [`QueueModel`]) on a virtual clock.
//!
//! Run loop (sans-IO, after quinn-proto's `poll_timeout`/`handle_timeout`):
//! the next thing to happen is either the earliest entry of the agenda
//! (informer events, worker completions, scripted inputs, restarts) or the
//! delaying queue's earliest ready time, whichever is first (the queue wins
//! ties). [`Sim::step`] moves the shared [`FakeClock`] straight there and
//! handles exactly that one happening, then lets idle workers `Get`, then
//! checks the memory limit. Nothing reads a wall clock, so a simulated day
//! costs what its events cost, and every run is a pure function of
//! (scenario, seed, inputs).

use crate::sim::agenda::{Agenda, Lane};
use crate::sim::duration::format_duration;
use crate::sim::events::{
    Cause, Event, EventKind, EventLog, FailReason, PqBefore, StartReason, DEFAULT_RING_CAPACITY,
};
use crate::sim::input::{Input, InputError};
use crate::sim::limiter::LimiterConfig;
use crate::sim::memory::{MemoryConfig, MemoryEstimate};
use crate::sim::objects::Objects;
use crate::sim::policy::{ChangeCall, ErrorCall, Policy, PolicyToggles};
use crate::sim::prng::Prng;
use crate::sim::queue_model::{QueueKind, QueueModel};
use crate::sim::reconcile::{ReconcileOutcome, ReconcileResult, LOW_PRIORITY};
use crate::sim::scenario::{ProcessingTime, Scenario, ScenarioError};
use crate::sim::series::{Sample, Series};
use crate::sim::Key;
use crate::stable_sort;
use crate::workqueue::hash::FoldBuild;
use crate::workqueue::{AddOpts, Clock, FakeClock, ItemState, Time};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Duration;

mod informer;
mod inputs;
mod process;
mod queue_calls;
#[cfg(test)]
mod test_support;
mod views;
mod workers;

/// Most objects that may exist at once; bulk inputs beyond it are refused.
pub const MAX_LIVE_OBJECTS: usize = 200_000;

/// What a worker is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkerState {
    /// Waiting in `Get`.
    Idle,
    /// Reconciling `key` from `since` until `until`.
    Processing {
        /// The item.
        key: Key,
        /// When it was handed out.
        since: Time,
        /// When the reconcile finishes.
        until: Time,
        /// `NumRequeues(key)` when it was handed out.
        requeues: u64,
    },
}

/// One simulated worker goroutine (`runWorker`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerView {
    /// 0-based id.
    pub id: u32,
    /// Idle or processing.
    pub state: WorkerState,
}

/// Whether a failures-map entry belongs to an object that still exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    /// The object exists.
    Live,
    /// The object was deleted; only `Forget` removes this entry.
    Orphan,
}

/// One row of the failures map, for the failures table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureRow {
    /// The key.
    pub key: Key,
    /// `NumRequeues(key)`.
    pub requeues: u64,
    /// The last delay `When` gave it (in this process).
    pub last_backoff: Option<Duration>,
    /// When that was.
    pub last_failed_at: Option<Time>,
    /// When it leaves the delaying heap, if it is waiting.
    pub next_retry: Option<Time>,
    /// Live or orphan.
    pub status: KeyStatus,
}

/// The headline numbers, as `wqplay run --format json` prints them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Virtual time, ns.
    pub time_ns: u64,
    /// Virtual time as Go prints durations.
    pub time: String,
    /// `len(failures)` of the rate limiter.
    pub failures_map_len: u64,
    /// Objects that exist.
    pub live_keys: u64,
    /// Failures entries of deleted objects.
    pub orphan_failure_entries: u64,
    /// Keys whose last reconcile failed.
    pub failing_keys: u64,
    /// Entries in the delaying heap.
    pub waiting_len: u64,
    /// `workqueue_depth`.
    pub queue_depth: i64,
    /// `queue.Len()`.
    pub queue_len: u64,
    /// Items being processed.
    pub processing: u64,
    /// Largest delay any `When` returned in the run, ns.
    pub max_backoff_ns: u64,
    /// The same, as Go prints it.
    pub max_backoff: String,
    /// OOM kills.
    pub oom_kills: u64,
    /// Restarts (after kills or redeploys).
    pub restarts: u64,
    /// `workqueue_adds_total` summed over every process of the run
    /// (Prometheus would show a reset at each restart; the series does).
    pub adds_total: u64,
    /// `workqueue_retries_total`, summed the same way.
    pub retries_total: u64,
    /// Events in the full log.
    pub events: u64,
    /// Happenings processed.
    pub steps: u64,
    /// Estimated memory now, bytes.
    pub memory_bytes: u64,
    /// Highest estimate of the run, bytes.
    pub peak_memory_bytes: u64,
    /// FNV-1a 64 of the full event log, hex.
    pub trace_hash: String,
}

/// Something scheduled on the agenda.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Happening {
    /// Apply script entry `index`; `left` repetitions remain, this one included.
    Script { index: usize, left: u32 },
    /// The churn generator creates an object.
    Create,
    /// Object `key` (incarnation `inc`) changes.
    Change { key: Key, inc: u64 },
    /// Object `key` (incarnation `inc`) is deleted.
    Delete { key: Key, inc: u64 },
    /// Worker `worker` finishes job `job`.
    WorkerDone { worker: u32, job: u64 },
    /// Update storm `index` ticks.
    Storm { index: usize },
    /// The container of process `generation` restarts.
    Restart { generation: u64 },
    /// A scenario outage window begins.
    OutageStart { until: Time },
    /// An outage window ends.
    OutageEnd,
    /// The controller's own status write on object `key` (incarnation `inc`)
    /// comes back as an update event (`outcomes.status_echo`).
    StatusEcho { key: Key, inc: u64 },
}

#[derive(Clone, Debug)]
struct Storm {
    keys: Vec<Key>,
    every: Duration,
    until: Time,
}

#[derive(Clone, Debug)]
struct Worker {
    view: WorkerView,
    job: u64,
    /// The priority `GetWithPriority` handed the current item out with
    /// (controller-runtime mode; 0 otherwise).
    priority: i64,
}

/// Everything but the queue and its clock: plain data, cloned for checkpoints.
#[derive(Clone, Debug)]
struct State {
    scenario: Scenario,
    limiter: LimiterConfig,
    policy: Policy,
    toggles: PolicyToggles,
    processing: ProcessingTime,
    error_rate: f64,
    /// What `Reconcile` returns by default (controller-runtime mode).
    result: ReconcileResult,
    memory: MemoryConfig,
    poison: HashSet<Key, FoldBuild>,
    informer_rng: Prng,
    worker_rng: Prng,
    outcome_rng: Prng,
    agenda: Agenda<Happening>,
    /// Live objects: key → incarnation (so events of a deleted and re-created
    /// object's previous life are recognised as stale).
    objects: Objects,
    next_incarnation: u64,
    next_name: u64,
    workers: Vec<Worker>,
    worker_target: u32,
    held_by_hand: BTreeSet<Key>,
    outages: Vec<(Time, Time)>,
    storms: Vec<Storm>,
    down_until: Option<Time>,
    generation: u64,
    oom_kills: u64,
    /// The current limiter's cap ([`LimiterConfig::cap`]), kept with the limiter.
    cap: Option<Duration>,
    /// `When()` results at or past `cap` since t=0 (the scrubber's "cap reached").
    capped_total: u64,
    restarts: u64,
    peak_bytes: u64,
    last_when: HashMap<Key, (Duration, Time), FoldBuild>,
    failing: HashSet<Key, FoldBuild>,
    /// controller-runtime: keys whose last reconcile returned a TerminalError.
    terminal: HashSet<Key, FoldBuild>,
    /// controller-runtime: keys whose last reconcile returned `Requeue: true`.
    polling: HashSet<Key, FoldBuild>,
    /// Keys whose status-write echo has been enqueued: their next reconcile
    /// finds the error already recorded and succeeds (`outcomes.status_echo`).
    echoed: HashSet<Key, FoldBuild>,
    orphans: u64,
    max_backoff: Duration,
    retired_adds: u64,
    retired_retries: u64,
    steps: u64,
    ops: u64,
    series: Series,
}

/// The simulation: scenario + seed + inputs → a deterministic run.
pub struct Sim {
    clock: FakeClock,
    queue: QueueModel,
    log: EventLog,
    st: State,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("now", &self.clock.now())
            .field("steps", &self.st.steps)
            .field("events", &self.log.total())
            .finish_non_exhaustive()
    }
}

impl Sim {
    /// Builds the world at t=0: the initial objects exist, the controller
    /// starts, the informer lists them (each goes through the policy), and
    /// idle workers take the first items.
    pub fn new(scenario: Scenario) -> Result<Sim, ScenarioError> {
        scenario.validate()?;
        let clock = FakeClock::new(Time::ZERO);
        let queue = QueueModel::new(scenario.queue, &scenario.limiter, &clock)?;
        let mut root = Prng::new(scenario.seed);
        let st = State {
            limiter: scenario.limiter.clone(),
            policy: scenario.policy.clone(),
            toggles: scenario.policy.toggles(),
            processing: scenario.workers.processing.clone(),
            error_rate: scenario.outcomes.error_rate,
            result: scenario
                .outcomes
                .result
                .unwrap_or_else(ReconcileResult::success),
            memory: scenario.memory.clone(),
            poison: scenario
                .outcomes
                .poison_keys
                .iter()
                .map(|k| Key::from(k.as_str()))
                .collect(),
            informer_rng: root.fork(1),
            worker_rng: root.fork(2),
            outcome_rng: root.fork(3),
            agenda: Agenda::default(),
            objects: Objects::default(),
            next_incarnation: 0,
            next_name: 0,
            workers: Vec::new(),
            worker_target: 0,
            held_by_hand: BTreeSet::new(),
            outages: Vec::new(),
            storms: Vec::new(),
            down_until: None,
            generation: 0,
            oom_kills: 0,
            cap: scenario.limiter.cap(),
            capped_total: 0,
            restarts: 0,
            peak_bytes: 0,
            last_when: HashMap::default(),
            failing: HashSet::default(),
            terminal: HashSet::default(),
            polling: HashSet::default(),
            echoed: HashSet::default(),
            orphans: 0,
            max_backoff: Duration::ZERO,
            retired_adds: 0,
            retired_retries: 0,
            steps: 0,
            ops: 0,
            series: Series::new(),
            scenario,
        };
        let mut sim = Sim {
            clock,
            queue,
            log: EventLog::new(DEFAULT_RING_CAPACITY),
            st,
        };
        sim.set_workers(sim.st.scenario.workers.count);
        for _ in 0..sim.st.scenario.informer.initial_objects {
            let key = sim.next_generated_key();
            sim.spawn_object(key, true);
        }
        for (index, entry) in sim.st.scenario.script.clone().iter().enumerate() {
            let at = Time::ZERO + entry.at;
            sim.schedule(
                at,
                Happening::Script {
                    index,
                    left: entry.repeat,
                },
            );
        }
        if let Some(churn) = sim.st.scenario.informer.churn.clone() {
            let first = sim.st.informer_rng.exponential(churn.create_every);
            sim.schedule(Time::ZERO + first, Happening::Create);
        }
        for w in sim.st.scenario.outcomes.outages.clone() {
            let (start, end) = (Time::ZERO + w.start, Time::ZERO + w.start + w.duration);
            sim.st.outages.push((start, end));
            sim.schedule(start, Happening::OutageStart { until: end });
            sim.schedule(end, Happening::OutageEnd);
        }
        sim.start(StartReason::Initial);
        sim.settle();
        Ok(sim)
    }

    /// A deep copy with its own clock: the checkpoint and fork primitive.
    pub fn snapshot(&self) -> Sim {
        self.snapshot_keeping(usize::MAX)
    }

    /// A deep copy that keeps only the last `recent` events of the ring
    /// (checkpoints do not need the whole ring; the hash and count stay exact).
    pub fn snapshot_keeping(&self, recent: usize) -> Sim {
        let clock = FakeClock::new(self.clock.now());
        Sim {
            queue: self.queue.clone_onto(clock.clone()),
            clock,
            log: self.log.clone_recent(recent),
            st: self.st.clone(),
        }
    }

    // ----- time -----------------------------------------------------------

    /// The current virtual time.
    pub fn now(&self) -> Time {
        self.clock.now()
    }

    /// When the next happening of any kind is due, if anything is scheduled.
    pub fn next_event_at(&self) -> Option<Time> {
        let agenda = self.st.agenda.peek().map(|s| s.at);
        let ready = self.queue.next_ready_at();
        let next = match (agenda, ready) {
            (Some(a), Some(r)) => Some(a.min(r)),
            (a, r) => a.or(r),
        };
        next.map(|t| t.max(self.now()))
    }

    /// Whether the next step releases due items from the delaying heap
    /// (rather than handling an agenda entry).
    pub fn next_is_release(&self) -> bool {
        let agenda = self.st.agenda.peek().map(|s| s.at);
        match (self.queue.next_ready_at(), agenda) {
            (Some(r), Some(a)) => r <= a,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// Processes the next happening of any kind, moving the clock to it.
    /// Returns its time, or `None` if nothing is scheduled.
    pub fn step(&mut self) -> Option<Time> {
        let ready = self.queue.next_ready_at();
        let at;
        if self.next_is_release() {
            at = ready?.max(self.now());
            self.advance_clock(at);
            let count = self.queue.advance();
            self.st.ops += 1;
            self.record(EventKind::Released {
                count: count as u64,
            });
        } else {
            let item = self.st.agenda.pop()?;
            at = item.at.max(self.now());
            self.advance_clock(at);
            self.handle(item.what);
        }
        self.st.steps += 1;
        self.settle();
        Some(at)
    }

    /// Runs until the delaying heap releases its earliest item, and returns
    /// that instant: exactly `min(readyAt)` (other happenings before it are
    /// processed on the way). `None` if nothing is waiting.
    pub fn skip_to_next_due(&mut self) -> Option<Time> {
        loop {
            self.queue.next_ready_at()?;
            let release = self.next_is_release();
            let at = self.step()?;
            if release {
                return Some(at);
            }
        }
    }

    /// Processes every happening due at or before `t`, then moves the clock
    /// to `t` (never backwards).
    pub fn run_until(&mut self, t: Time) {
        let mut unbounded = u64::MAX;
        self.run_until_within(t, &mut unbounded);
    }

    /// Like [`run_until`](Self::run_until), taking at most `*budget` steps
    /// (what it takes is subtracted): whether it reached `t`. Called again,
    /// it goes on exactly as one `run_until` would have, so a long run can be
    /// spread over frames.
    pub fn run_until_within(&mut self, t: Time, budget: &mut u64) -> bool {
        while self.next_event_at().is_some_and(|n| n <= t) {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            if self.step().is_none() {
                break;
            }
        }
        if t > self.now() {
            self.advance_clock(t);
        }
        let state = self.sample_state();
        self.st.series.fill(self.now(), true, &state);
        true
    }

    /// Processes happenings until `steps()` reaches `step`, then moves the
    /// clock to `at` if it is later: how history replays a recorded input.
    pub fn run_to_step(&mut self, step: u64, at: Time) {
        while self.st.steps < step {
            if self.step().is_none() {
                break;
            }
        }
        if at > self.now() {
            self.advance_clock(at);
        }
    }

    /// Happenings processed so far (inputs are not counted).
    pub fn steps(&self) -> u64 {
        self.st.steps
    }

    fn advance_clock(&mut self, t: Time) {
        if self.st.series.due_before(t) {
            let state = self.sample_state();
            self.st.series.fill(t, false, &state);
        }
        if t > self.now() {
            self.clock.set(t);
        }
    }

    fn schedule(&mut self, at: Time, what: Happening) {
        // Worker completions are due within a reconcile: the short lane.
        let lane = match what {
            Happening::WorkerDone { .. } => Lane::Soon,
            _ => Lane::Later,
        };
        self.st.agenda.push(lane, at, what);
    }

    /// After any change: idle workers take items, the memory limit is
    /// checked, and stale agenda entries are dropped so that
    /// [`next_event_at`](Self::next_event_at) is exact.
    fn settle(&mut self) {
        self.dispatch();
        self.check_memory();
        while let Some(top) = self.st.agenda.peek() {
            if self.is_live(&top.what) {
                break;
            }
            self.st.agenda.pop();
        }
    }

    fn is_live(&self, what: &Happening) -> bool {
        match what {
            // Each incarnation belongs to the key it was scheduled with.
            Happening::Change { inc, .. }
            | Happening::Delete { inc, .. }
            | Happening::StatusEcho { inc, .. } => self.st.objects.is_live(*inc),
            Happening::WorkerDone { worker, job } => self
                .st
                .workers
                .get(*worker as usize)
                .is_some_and(|w| w.job == *job && w.view.state != WorkerState::Idle),
            Happening::Restart { generation } => {
                *generation == self.st.generation && self.st.down_until.is_some()
            }
            _ => true,
        }
    }
}

/// `set.remove(key)` (whether it was there), without hashing the key when the set is empty
/// (the map hashes first; most runs never put a key in these sets).
fn remove_key(set: &mut HashSet<Key, FoldBuild>, key: &Key) -> bool {
    !set.is_empty() && set.remove(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::test_support::{at, key, world};

    #[test]
    fn step_moves_the_clock_straight_to_the_next_happening() {
        let mut sim = world(1);
        sim.apply(Input::Change(key("ns/a"))).expect("change");
        assert_eq!(sim.next_event_at(), Some(at(10)), "the worker's completion");
        assert_eq!(sim.step(), Some(at(10)));
        assert_eq!(sim.now(), at(10));
        assert_eq!(sim.next_event_at(), None, "nothing else will happen");
        assert_eq!(sim.step(), None);
    }

    #[test]
    fn run_until_stops_exactly_where_asked_and_a_snapshot_runs_on_alike() {
        let mut sim = world(1);
        sim.apply(Input::Fail(key("ns/a"))).expect("fail");
        sim.run_until(at(3));
        assert_eq!(sim.now(), at(3));
        let mut copy = sim.snapshot();
        sim.run_until(at(100));
        copy.run_until(at(100));
        assert_eq!(copy.trace_hash(), sim.trace_hash());
    }
}
