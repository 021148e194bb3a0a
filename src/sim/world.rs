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
use crate::workqueue::hash::FxBuild;
use crate::workqueue::{AddOpts, Clock, FakeClock, ItemState, Time};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Duration;

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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    poison: HashSet<Key, FxBuild>,
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
    last_when: HashMap<Key, (Duration, Time), FxBuild>,
    failing: HashSet<Key, FxBuild>,
    /// controller-runtime: keys whose last reconcile returned a TerminalError.
    terminal: HashSet<Key, FxBuild>,
    /// controller-runtime: keys whose last reconcile returned `Requeue: true`.
    polling: HashSet<Key, FxBuild>,
    /// Keys whose status-write echo has been enqueued: their next reconcile
    /// finds the error already recorded and succeeds (`outcomes.status_echo`).
    echoed: HashSet<Key, FxBuild>,
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
        if self.st.series.next_at() < t {
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

    // ----- happenings -----------------------------------------------------

    fn handle(&mut self, what: Happening) {
        match what {
            Happening::Script { index, left } => {
                let Some(entry) = self.st.scenario.script.get(index).cloned() else {
                    return;
                };
                if left > 1 {
                    let next = self.now() + entry.every;
                    self.schedule(
                        next,
                        Happening::Script {
                            index,
                            left: left - 1,
                        },
                    );
                }
                if let Err(e) = self.apply_valid(entry.input.clone()) {
                    self.record(EventKind::Setting {
                        label: format!("Script: {} refused: {e}", entry.input.label()),
                    });
                }
            }
            Happening::Create => {
                if let Some(churn) = self.st.scenario.informer.churn.clone() {
                    if self.st.objects.len() < MAX_LIVE_OBJECTS {
                        let key = self.next_generated_key();
                        self.spawn_object(key.clone(), true);
                        self.record(EventKind::ObjectCreated { key: key.clone() });
                        self.on_change(key, Cause::Change);
                    }
                    let next = self.now() + self.st.informer_rng.exponential(churn.create_every);
                    self.schedule(next, Happening::Create);
                }
            }
            Happening::Change { key, inc } => {
                if let Some(every) = self.st.scenario.informer.change_every {
                    let next = self.now() + self.st.informer_rng.exponential(every);
                    self.schedule(
                        next,
                        Happening::Change {
                            key: key.clone(),
                            inc,
                        },
                    );
                }
                self.record(EventKind::ObjectUpdated { key: key.clone() });
                self.on_change(key, Cause::Change);
            }
            Happening::Delete { key, .. } => self.delete_object(key),
            Happening::WorkerDone { worker, .. } => self.complete(worker),
            Happening::Storm { index } => self.storm_tick(index),
            Happening::Restart { .. } => {
                self.st.restarts += 1;
                self.start(StartReason::AfterOom);
            }
            Happening::OutageStart { until } => self.record(EventKind::OutageStarted { until }),
            Happening::OutageEnd => self.record(EventKind::OutageEnded),
            Happening::StatusEcho { key, .. } => {
                self.record(EventKind::ObjectUpdated { key: key.clone() });
                if self.st.down_until.is_none() {
                    self.st.echoed.insert(key.clone());
                }
                self.on_change(key, Cause::Change);
            }
        }
    }

    fn next_generated_key(&mut self) -> Key {
        let inf = &self.st.scenario.informer;
        let key = Key::from(format!(
            "{}/{}{}",
            inf.namespace, inf.name_prefix, self.st.next_name
        ));
        self.st.next_name += 1;
        key
    }

    /// Makes `key` exist. Generated objects get the informer's random
    /// updates and (with churn) a random lifetime; objects you create are
    /// left alone.
    fn spawn_object(&mut self, key: Key, generated: bool) {
        let inc = self.st.next_incarnation;
        self.st.next_incarnation += 1;
        if self.queue.num_requeues(&key) > 0 {
            // An orphan entry whose object came back.
            self.st.orphans = self.st.orphans.saturating_sub(1);
        }
        self.st.objects.insert(key.clone(), inc);
        if !generated {
            return;
        }
        if let Some(every) = self.st.scenario.informer.change_every {
            let at = self.now() + self.st.informer_rng.exponential(every);
            self.schedule(
                at,
                Happening::Change {
                    key: key.clone(),
                    inc,
                },
            );
        }
        if let Some(churn) = &self.st.scenario.informer.churn {
            let life = churn.lifetime;
            let at = self.now() + self.st.informer_rng.exponential(life);
            self.schedule(at, Happening::Delete { key, inc });
        }
    }

    fn delete_object(&mut self, key: Key) {
        if self.st.objects.remove(&key).is_none() {
            return;
        }
        let orphaned = self.queue.num_requeues(&key) > 0;
        if orphaned {
            self.st.orphans += 1;
        }
        self.record(EventKind::ObjectDeleted {
            key: key.clone(),
            orphaned,
        });
        if self.st.scenario.informer.enqueue_on_delete {
            self.on_change(key, Cause::Delete);
        }
    }

    fn storm_tick(&mut self, index: usize) {
        let Some(storm) = self.st.storms.get(index).cloned() else {
            return;
        };
        for key in &storm.keys {
            if self.st.objects.contains_key(key) {
                self.record(EventKind::ObjectUpdated { key: key.clone() });
                self.on_change(key.clone(), Cause::Change);
            }
        }
        let next = self.now() + storm.every;
        if next <= storm.until {
            self.schedule(next, Happening::Storm { index });
        }
    }

    /// The informer's event handler: the policy's call, unless the
    /// controller is down (then the event is lost; the restart re-lists).
    fn on_change(&mut self, key: Key, cause: Cause) {
        if self.st.down_until.is_some() {
            return;
        }
        if self.is_controller_runtime() {
            // EnqueueRequestForObject on the priority queue: the initial
            // list's creates at handler.LowPriority, other events plain.
            let opts = if cause == Cause::Relist {
                AddOpts::new().priority(LOW_PRIORITY)
            } else {
                AddOpts::new()
            };
            self.q_add_with_opts(key, cause, opts);
            return;
        }
        match self.st.toggles.on_change {
            ChangeCall::Add => self.q_add(key, cause),
            ChangeCall::AddRateLimited => self.q_add_rate_limited(key, cause),
        }
    }

    /// A worker's reconcile finished: decide the outcome, make the policy's
    /// calls, then `Done` (sample-controller defers it).
    fn complete(&mut self, worker: u32) {
        let Some(w) = self.st.workers.get_mut(worker as usize) else {
            return;
        };
        let WorkerState::Processing { key, .. } =
            std::mem::replace(&mut w.view.state, WorkerState::Idle)
        else {
            return;
        };
        let item_priority = w.priority;
        if self.is_controller_runtime() {
            self.reconcile_handler(worker, key, item_priority);
            return;
        }
        let live = self.st.objects.contains_key(&key);
        let echo = !self.st.echoed.is_empty() && self.st.echoed.remove(&key);
        let failure = if !live || echo {
            None
        } else if self.in_outage().is_some() {
            Some(FailReason::Outage)
        } else if self.st.poison.contains(&key) {
            Some(FailReason::Poison)
        } else {
            let rate = self
                .st
                .scenario
                .outcomes
                .key_error_rates
                .get(&*key)
                .copied()
                .unwrap_or(self.st.error_rate);
            (rate > 0.0 && self.st.outcome_rng.chance(rate)).then_some(FailReason::Random)
        };
        let toggles = self.st.toggles;
        match failure {
            None => {
                self.record(EventKind::ReconcileOk {
                    worker,
                    key: key.clone(),
                    deleted: !live,
                });
                self.st.failing.remove(&key);
                if toggles.forget_on_success {
                    self.q_forget(key.clone(), Cause::Success);
                }
            }
            Some(reason) => {
                self.record(EventKind::ReconcileFailed {
                    worker,
                    key: key.clone(),
                    reason,
                });
                self.st.failing.insert(key.clone());
                self.write_status_on_error(&key);
                match toggles.on_error {
                    ErrorCall::AddRateLimited => {
                        let requeues = self.queue.num_requeues(&key);
                        if toggles.max_requeues.is_some_and(|cap| requeues >= cap) {
                            self.record(EventKind::GaveUp {
                                key: key.clone(),
                                requeues,
                            });
                            self.q_forget(key.clone(), Cause::GiveUp);
                        } else {
                            self.q_add_rate_limited(key.clone(), Cause::Error);
                        }
                    }
                    ErrorCall::Add => self.q_add(key.clone(), Cause::Error),
                    ErrorCall::Nothing => {}
                }
            }
        }
        self.q_done(key, Some(worker));
        self.retire_workers();
    }

    /// Idle workers (up to the target count) take queued items.
    fn dispatch(&mut self) {
        if self.st.down_until.is_some() {
            return;
        }
        let target = self.st.worker_target as usize;
        for i in 0..self.st.workers.len().min(target) {
            if !self.queue.has_ready() {
                return;
            }
            let idle = self
                .st
                .workers
                .get(i)
                .is_some_and(|w| w.view.state == WorkerState::Idle);
            if !idle {
                continue;
            }
            // The inner queue's Get: due heap entries are released as their
            // own logged step, never silently here.
            let Some((key, priority)) = self.queue.get() else {
                return;
            };
            self.st.ops += 1;
            let takes = self.sample_processing();
            let now = self.now();
            let requeues = self.queue.num_requeues(&key);
            let id = i as u32;
            let job = if let Some(w) = self.st.workers.get_mut(i) {
                w.job += 1;
                w.priority = priority;
                w.view.state = WorkerState::Processing {
                    key: key.clone(),
                    since: now,
                    until: now + takes,
                    requeues,
                };
                w.job
            } else {
                return;
            };
            self.schedule(now + takes, Happening::WorkerDone { worker: id, job });
            self.record_get(Some(id), key, priority, requeues, Some(takes));
        }
    }

    fn sample_processing(&mut self) -> Duration {
        let rng = &mut self.st.worker_rng;
        match &self.st.processing {
            ProcessingTime::Fixed(d) => *d,
            ProcessingTime::Uniform { min, max } => rng.duration_between(*min, *max),
            ProcessingTime::Exponential { mean } => {
                rng.exponential(*mean).max(Duration::from_nanos(1))
            }
        }
    }

    fn set_workers(&mut self, n: u32) {
        self.st.worker_target = n;
        while self.st.workers.len() < n as usize {
            let id = self.st.workers.len() as u32;
            self.st.workers.push(Worker {
                view: WorkerView {
                    id,
                    state: WorkerState::Idle,
                },
                job: 0,
                priority: 0,
            });
        }
        self.retire_workers();
    }

    /// Drops idle workers beyond the target from the end (busy ones finish first).
    fn retire_workers(&mut self) {
        while self.st.workers.len() > self.st.worker_target as usize
            && self
                .st
                .workers
                .last()
                .is_some_and(|w| w.view.state == WorkerState::Idle)
        {
            self.st.workers.pop();
        }
    }

    // ----- memory and restarts --------------------------------------------

    fn estimate_bytes(&self) -> u64 {
        if self.st.down_until.is_some() {
            return 0;
        }
        // Every per-item map holds its own entries: their memory adds up.
        let mut entries = 0;
        self.queue
            .limiter()
            .failure_maps(&mut |_, len| entries += len);
        self.st.memory.estimate(
            entries,
            self.queue.waiting_len(),
            self.queue.len() + self.queue.processing_len(),
        )
    }

    fn check_memory(&mut self) {
        let bytes = self.estimate_bytes();
        self.st.peak_bytes = self.st.peak_bytes.max(bytes);
        let Some(limit) = self.st.memory.limit_bytes else {
            return;
        };
        if bytes <= limit || self.st.down_until.is_some() {
            return;
        }
        let restart_at = self.now() + self.st.memory.restart_delay;
        let failures = self.queue.limiter().failures_len() as u64;
        self.st.oom_kills += 1;
        self.record(EventKind::OomKilled {
            bytes,
            limit,
            failures,
            restart_at,
        });
        self.kill_process();
        self.st.down_until = Some(restart_at);
        let generation = self.st.generation;
        self.schedule(restart_at, Happening::Restart { generation });
    }

    /// The process dies: queue, heap, failures map and in-flight work are
    /// gone. A fresh, empty queue stands in for the next process.
    fn kill_process(&mut self) {
        let m = self.queue.metrics();
        self.st.retired_adds += m.adds_total;
        self.st.retired_retries += m.retries_total;
        self.st.generation += 1;
        if let Ok(queue) = QueueModel::new(self.queue.kind(), &self.st.limiter, &self.clock) {
            self.queue = queue;
        }
        for w in &mut self.st.workers {
            w.view.state = WorkerState::Idle;
            w.job += 1;
        }
        self.retire_workers();
        self.st.held_by_hand.clear();
        self.st.last_when.clear();
        self.st.failing.clear();
        self.st.terminal.clear();
        self.st.polling.clear();
        self.st.echoed.clear();
        self.st.orphans = 0;
    }

    /// The controller is redeployed (a limiter or queue change): the running
    /// process dies and, unless it is down after an OOM kill, a new one starts.
    fn redeploy(&mut self) {
        if self.st.down_until.is_none() {
            self.kill_process();
            self.st.restarts += 1;
            self.start(StartReason::Redeploy);
        }
    }

    /// controller-runtime only: refuses in client-go mode, naming the fix.
    fn refuse_unless_controller_runtime(&self, what: &str) -> Result<(), InputError> {
        if self.is_controller_runtime() {
            Ok(())
        } else {
            Err(InputError::new(format!(
                "{what} exists only in controller-runtime; choose the controller-runtime priority queue first"
            )))
        }
    }

    /// A process starts: the informer lists every live object and the
    /// handler enqueues each (through the policy).
    fn start(&mut self, reason: StartReason) {
        self.st.down_until = None;
        self.record(EventKind::Started {
            reason,
            objects: self.st.objects.len() as u64,
        });
        let keys: Vec<Key> = self.st.objects.keys().cloned().collect();
        for key in keys {
            self.on_change(key, Cause::Relist);
        }
    }

    // ----- queue calls, each logged ----------------------------------------

    fn q_add(&mut self, key: Key, cause: Cause) {
        if self.is_controller_runtime() {
            self.q_add_with_opts(key, cause, AddOpts::new());
            return;
        }
        let before = self.queue.state_of(&key);
        self.queue.add_with_opts(AddOpts::new(), key.clone());
        self.st.ops += 1;
        self.record(EventKind::Add { key, cause, before });
    }

    fn q_add_rate_limited(&mut self, key: Key, cause: Cause) {
        if self.is_controller_runtime() {
            self.q_add_with_opts(key, cause, AddOpts::new().rate_limited());
            return;
        }
        let failures_before = self.queue.num_requeues(&key);
        let waiting_before = self.queue.ready_at(&key);
        let when = self
            .queue
            .add_with_opts(AddOpts::new().rate_limited(), key.clone())
            .when
            .unwrap_or_default();
        self.st.ops += 1;
        let now = self.now();
        let failures_after = self.queue.num_requeues(&key);
        self.note_when(&key, when, failures_before, failures_after);
        let waiting_until = waiting_before.filter(|t| !when.is_zero() && *t <= now + when);
        let tokens = self.queue.limiter().tokens();
        self.record(EventKind::AddRateLimited {
            key,
            cause,
            when,
            failures_before,
            failures_after,
            waiting_until,
            tokens,
        });
    }

    fn q_forget(&mut self, key: Key, cause: Cause) {
        let had = self.queue.num_requeues(&key);
        self.queue.forget(&key);
        self.st.ops += 1;
        if had > 0 && !self.st.objects.contains_key(&key) {
            self.st.orphans = self.st.orphans.saturating_sub(1);
        }
        self.st.last_when.remove(&key);
        self.record(EventKind::Forget { key, cause, had });
    }

    /// Bookkeeping after a limiter `When`: orphan count, largest delay,
    /// cap hits, the key's last delay.
    fn note_when(&mut self, key: &Key, when: Duration, failures_before: u64, failures_after: u64) {
        if failures_before == 0 && failures_after > 0 && !self.st.objects.contains_key(key) {
            self.st.orphans += 1;
        }
        self.st.max_backoff = self.st.max_backoff.max(when);
        if self.st.cap.is_some_and(|cap| when >= cap) {
            self.st.capped_total += 1;
        }
        self.st.last_when.insert(key.clone(), (when, self.now()));
    }

    /// controller-runtime: `q.AddWithOpts(opts, key)` on the priority queue.
    fn q_add_with_opts(&mut self, key: Key, cause: Cause, opts: AddOpts) {
        let failures_before = self.queue.num_requeues(&key);
        let before = self.pq_before(&key);
        let added = self.queue.add_with_opts(opts, key.clone());
        self.st.ops += 1;
        // Only the limiter's `When` counts failures: without it the count stands.
        let failures_after = match added.when {
            Some(_) => self.queue.num_requeues(&key),
            None => failures_before,
        };
        if let Some(when) = added.when {
            self.note_when(&key, when, failures_before, failures_after);
        }
        self.record(EventKind::AddWithOpts {
            key,
            cause,
            rate_limited: opts.rate_limited,
            after: opts.after,
            priority: opts.priority,
            when: added.when,
            failures_before,
            failures_after,
            before,
        });
    }

    fn pq_before(&self, key: &Key) -> PqBefore {
        let Some(pq) = self.queue.priority_queue() else {
            return PqBefore::Absent;
        };
        match pq.entry_and_processing(key) {
            (Some((priority, None)), _) => PqBefore::Ready { priority },
            (Some((priority, Some(until))), _) => PqBefore::Waiting { until, priority },
            (None, true) => PqBefore::Processing,
            (None, false) => PqBefore::Absent,
        }
    }

    fn record_get(
        &mut self,
        worker: Option<u32>,
        key: Key,
        priority: i64,
        requeues: u64,
        takes: Option<Duration>,
    ) {
        if self.is_controller_runtime() {
            self.record(EventKind::GetWithPriority {
                worker,
                key,
                priority,
                requeues,
                takes,
            });
        } else {
            self.record(EventKind::Get {
                worker,
                key,
                requeues,
                takes,
            });
        }
    }

    /// A failed reconcile records its error in the object's status; with
    /// `outcomes.status_echo` set, the watch brings that write back as an
    /// update event after the configured delay.
    fn write_status_on_error(&mut self, key: &Key) {
        let Some(delay) = self.st.scenario.outcomes.status_echo else {
            return;
        };
        if let Some(inc) = self.st.objects.incarnation(key) {
            let at = self.now() + delay;
            self.schedule(
                at,
                Happening::StatusEcho {
                    key: key.clone(),
                    inc,
                },
            );
        }
    }

    fn is_controller_runtime(&self) -> bool {
        self.queue.kind() == QueueKind::ControllerRuntime
    }

    /// What the reconciler returns for `key` now (controller-runtime mode),
    /// and why it failed if it did. Order: a deleted object succeeds, an
    /// outage or a poison key errors, a configured per-key result, a random
    /// error (terminal with `terminal_rate`), else the default result.
    fn reconcile_result(&mut self, key: &Key) -> (ReconcileResult, Option<FailReason>, bool) {
        let echo = !self.st.echoed.is_empty() && self.st.echoed.remove(key);
        if !self.st.objects.contains_key(key) {
            return (ReconcileResult::success(), None, true);
        }
        if echo {
            return (ReconcileResult::success(), None, false);
        }
        let error = ReconcileResult::new(ReconcileOutcome::Error);
        if self.in_outage().is_some() {
            return (error, Some(FailReason::Outage), false);
        }
        if self.st.poison.contains(key) {
            return (error, Some(FailReason::Poison), false);
        }
        let outcomes = &self.st.scenario.outcomes;
        if let Some(r) = outcomes.results.get(&**key) {
            return (*r, None, false);
        }
        let rate = outcomes
            .key_error_rates
            .get(&**key)
            .copied()
            .unwrap_or(self.st.error_rate);
        let terminal_rate = outcomes.terminal_rate;
        let default = self.st.result;
        if rate > 0.0 && self.st.outcome_rng.chance(rate) {
            let terminal = terminal_rate > 0.0 && self.st.outcome_rng.chance(terminal_rate);
            let outcome = if terminal {
                ReconcileOutcome::TerminalError
            } else {
                ReconcileOutcome::Error
            };
            return (
                ReconcileResult::new(outcome),
                Some(FailReason::Random),
                false,
            );
        }
        (default, None, false)
    }

    /// controller-runtime's `reconcileHandler`: `Reconcile`, then the
    /// result's queue calls (see [`crate::sim::reconcile`]), then the
    /// deferred `Done`.
    fn reconcile_handler(&mut self, worker: u32, key: Key, item_priority: i64) {
        let (result, reason, deleted) = self.reconcile_result(&key);
        self.record(EventKind::Reconciled {
            worker,
            key: key.clone(),
            result,
            reason,
            deleted,
        });
        remove_key(&mut self.st.terminal, &key);
        remove_key(&mut self.st.polling, &key);
        match result.outcome {
            ReconcileOutcome::TerminalError => {
                self.st.terminal.insert(key.clone());
            }
            ReconcileOutcome::Requeue => {
                self.st.polling.insert(key.clone());
            }
            _ => {}
        }
        let priority = Some(result.priority.unwrap_or(item_priority));
        let opts = AddOpts {
            priority,
            ..AddOpts::default()
        };
        match result.outcome {
            ReconcileOutcome::Error => {
                self.st.failing.insert(key.clone());
                self.write_status_on_error(&key);
                self.q_add_with_opts(key.clone(), Cause::Error, opts.rate_limited());
            }
            ReconcileOutcome::TerminalError => {
                self.st.failing.insert(key.clone());
                self.write_status_on_error(&key);
            }
            ReconcileOutcome::RequeueAfter(d) => {
                self.st.failing.remove(&key);
                self.q_forget(key.clone(), Cause::Success);
                self.q_add_with_opts(key.clone(), Cause::Requeue, opts.after(d));
            }
            ReconcileOutcome::Requeue => {
                self.st.failing.remove(&key);
                self.q_add_with_opts(key.clone(), Cause::Requeue, opts.rate_limited());
            }
            ReconcileOutcome::Success => {
                self.st.failing.remove(&key);
                self.q_forget(key.clone(), Cause::Success);
            }
        }
        self.q_done(key, Some(worker));
        self.retire_workers();
    }

    fn q_done(&mut self, key: Key, worker: Option<u32>) {
        if let Some(pq) = self.queue.priority_queue() {
            let (entry, processing) = pq.entry_and_processing(&key);
            let requeued = processing && entry.is_some();
            self.queue.done(&key);
            self.st.ops += 1;
            self.record(EventKind::Done {
                key,
                worker,
                requeued,
                spurious: !processing,
            });
            return;
        }
        let state = self.queue.state_of(&key);
        let spurious = !matches!(
            state,
            Some(ItemState::Processing | ItemState::ProcessingDirty)
        );
        let requeued = state == Some(ItemState::ProcessingDirty);
        self.queue.done(&key);
        self.st.ops += 1;
        self.record(EventKind::Done {
            key,
            worker,
            requeued,
            spurious,
        });
    }

    fn record(&mut self, kind: EventKind) {
        let now = self.now();
        self.log.record(now, kind);
    }

    // ----- inputs ------------------------------------------------------------

    /// Applies an input at the current time. A refused input changes nothing
    /// and says why.
    pub fn apply(&mut self, input: Input) -> Result<(), InputError> {
        input.validate()?;
        self.apply_valid(input)?;
        self.settle();
        Ok(())
    }

    /// Like [`apply`](Self::apply), and says which events the input itself
    /// recorded (its queue calls, before idle workers react to it): their
    /// sequence numbers, for [`events_since`](Self::events_since).
    pub fn apply_traced(&mut self, input: Input) -> Result<std::ops::Range<u64>, InputError> {
        input.validate()?;
        let first = self.log.total();
        self.apply_valid(input)?;
        let own = first..self.log.total();
        self.settle();
        Ok(own)
    }

    fn refuse_if_down(&self) -> Result<(), InputError> {
        match self.st.down_until {
            Some(t) => Err(InputError::new(format!(
                "the controller is down (OOM-killed) until {}",
                format_duration(t.since_epoch())
            ))),
            None => Ok(()),
        }
    }

    fn refuse_if_worker_holds(&self, key: &Key) -> Result<(), InputError> {
        for w in &self.st.workers {
            if let WorkerState::Processing { key: k, .. } = &w.view.state {
                if k == key {
                    return Err(InputError::new(format!(
                        "worker {} is processing {key}; it calls Done itself",
                        w.view.id
                    )));
                }
            }
        }
        Ok(())
    }

    fn room_for(&self, n: u32) -> Result<(), InputError> {
        if self.st.objects.len() + n as usize > MAX_LIVE_OBJECTS {
            return Err(InputError::new(format!(
                "at most {MAX_LIVE_OBJECTS} objects may exist at once"
            )));
        }
        Ok(())
    }

    fn apply_valid(&mut self, input: Input) -> Result<(), InputError> {
        match input {
            Input::Change(key) => {
                if !self.st.objects.contains_key(&key) {
                    self.room_for(1)?;
                    self.spawn_object(key.clone(), false);
                    self.record(EventKind::ObjectCreated { key: key.clone() });
                } else {
                    self.record(EventKind::ObjectUpdated { key: key.clone() });
                }
                self.on_change(key, Cause::Change);
            }
            Input::DeleteObject(key) => {
                if !self.st.objects.contains_key(&key) {
                    return Err(InputError::new(format!("no object {key} exists")));
                }
                self.delete_object(key);
            }
            Input::Add(key) => {
                self.refuse_if_down()?;
                self.q_add(key, Cause::Hand);
            }
            Input::Fail(key) => {
                self.refuse_if_down()?;
                self.st.failing.insert(key.clone());
                self.q_add_rate_limited(key, Cause::Hand);
            }
            Input::Forget(key) => {
                self.refuse_if_down()?;
                self.q_forget(key, Cause::Hand);
            }
            Input::Get => {
                self.refuse_if_down()?;
                let (key, priority) = self
                    .queue
                    .get()
                    .ok_or_else(|| InputError::new("nothing is queued: Get would block"))?;
                self.st.ops += 1;
                let requeues = self.queue.num_requeues(&key);
                self.st.held_by_hand.insert(key.clone());
                self.record_get(None, key, priority, requeues, None);
            }
            Input::Done(key) => {
                self.refuse_if_down()?;
                self.refuse_if_worker_holds(&key)?;
                self.st.held_by_hand.remove(&key);
                self.q_done(key, None);
            }
            Input::Succeed(key) => {
                self.refuse_if_down()?;
                self.refuse_if_worker_holds(&key)?;
                self.st.held_by_hand.remove(&key);
                self.st.failing.remove(&key);
                self.q_forget(key.clone(), Cause::Hand);
                self.q_done(key, None);
            }
            Input::AddMany { count } => {
                self.room_for(count)?;
                self.record(EventKind::Setting {
                    label: Input::AddMany { count }.label(),
                });
                for _ in 0..count {
                    let key = self.next_generated_key();
                    self.spawn_object(key.clone(), true);
                    self.record(EventKind::ObjectCreated { key: key.clone() });
                    self.on_change(key, Cause::Change);
                }
            }
            Input::UpdateStorm {
                keys,
                every,
                duration,
            } => {
                let have = self.st.objects.len().min(keys as usize) as u32;
                self.room_for(keys - have)?;
                self.record(EventKind::Setting {
                    label: Input::UpdateStorm {
                        keys,
                        every,
                        duration,
                    }
                    .label(),
                });
                let mut chosen: Vec<Key> = self
                    .st
                    .objects
                    .keys()
                    .take(keys as usize)
                    .cloned()
                    .collect();
                while chosen.len() < keys as usize {
                    let key = self.next_generated_key();
                    self.spawn_object(key.clone(), false);
                    self.record(EventKind::ObjectCreated { key: key.clone() });
                    chosen.push(key);
                }
                let until = self.now() + duration;
                self.st.storms.push(Storm {
                    keys: chosen,
                    every,
                    until,
                });
                let index = self.st.storms.len() - 1;
                self.storm_tick(index);
            }
            Input::Outage { duration } => {
                let (start, end) = (self.now(), self.now() + duration);
                self.st.outages.push((start, end));
                self.record(EventKind::OutageStarted { until: end });
                self.schedule(end, Happening::OutageEnd);
            }
            Input::Herd { count } => {
                self.refuse_if_down()?;
                self.room_for(count)?;
                self.record(EventKind::Setting {
                    label: Input::Herd { count }.label(),
                });
                for _ in 0..count {
                    let key = self.next_generated_key();
                    self.spawn_object(key.clone(), false);
                    self.st.failing.insert(key.clone());
                    self.q_add_rate_limited(key, Cause::Error);
                }
            }
            Input::SetLimiter(cfg) => {
                cfg.build(&self.clock).map_err(InputError::from)?;
                let label = Input::SetLimiter(cfg.clone()).label();
                self.st.cap = cfg.cap();
                self.st.limiter = cfg;
                self.record(EventKind::Setting { label });
                self.redeploy();
            }
            Input::SetQueue(kind) => {
                if kind == self.queue.kind() {
                    return Err(InputError::new(format!(
                        "the controller already uses the {}",
                        kind.title()
                    )));
                }
                let queue = QueueModel::new(kind, &self.st.limiter, &self.clock)
                    .map_err(InputError::from)?;
                self.record(EventKind::Setting {
                    label: Input::SetQueue(kind).label(),
                });
                // A process down after an OOM kill gets the new queue when it
                // restarts (its old queue's counters were retired at the kill).
                if self.st.down_until.is_none() {
                    self.kill_process();
                    self.queue = queue;
                    self.st.restarts += 1;
                    self.start(StartReason::Redeploy);
                } else {
                    self.queue = queue;
                }
            }
            Input::SetReconcileResult(result) => {
                self.refuse_unless_controller_runtime("Reconcile")?;
                self.record(EventKind::Setting {
                    label: Input::SetReconcileResult(result).label(),
                });
                self.st.result = result;
            }
            Input::AddWithOpts {
                key,
                after,
                rate_limited,
                priority,
            } => {
                self.refuse_unless_controller_runtime("AddWithOpts")?;
                self.refuse_if_down()?;
                let mut opts = AddOpts::new();
                if let Some(d) = after {
                    opts = opts.after(d);
                }
                if rate_limited {
                    self.st.failing.insert(key.clone());
                    opts = opts.rate_limited();
                }
                if let Some(p) = priority {
                    opts = opts.priority(p);
                }
                self.q_add_with_opts(key, Cause::Hand, opts);
            }
            Input::SetWorkers(n) => {
                self.record(EventKind::Setting {
                    label: Input::SetWorkers(n).label(),
                });
                self.set_workers(n);
            }
            Input::SetProcessingTime(p) => {
                self.record(EventKind::Setting {
                    label: Input::SetProcessingTime(p.clone()).label(),
                });
                self.st.processing = p;
            }
            Input::SetErrorRate(r) => {
                self.record(EventKind::Setting {
                    label: Input::SetErrorRate(r).label(),
                });
                self.st.error_rate = r;
            }
            Input::SetPolicy(p) => {
                self.record(EventKind::Setting {
                    label: Input::SetPolicy(p.clone()).label(),
                });
                self.st.toggles = p.toggles();
                self.st.policy = p;
            }
            Input::SetMemoryLimit(limit) => {
                if let Some(l) = limit {
                    if l <= self.st.memory.base_bytes {
                        return Err(InputError::new(
                            "the limit must be above the base footprint",
                        ));
                    }
                }
                self.record(EventKind::Setting {
                    label: Input::SetMemoryLimit(limit).label(),
                });
                self.st.memory.limit_bytes = limit;
            }
            Input::SetMemoryModel(m) => {
                self.record(EventKind::Setting {
                    label: Input::SetMemoryModel(m.clone()).label(),
                });
                self.st.memory = m;
            }
        }
        Ok(())
    }

    // ----- views -------------------------------------------------------------

    /// The scenario this run started from (settings changed by inputs are
    /// read through the accessors below).
    pub fn scenario(&self) -> &Scenario {
        &self.st.scenario
    }

    /// The work queue: the operations both models have, and each model's
    /// own views ([`QueueModel::client_go`], [`QueueModel::priority_queue`]).
    pub fn queue(&self) -> &QueueModel {
        &self.queue
    }

    /// Which queue the controller uses.
    pub fn queue_kind(&self) -> QueueKind {
        self.queue.kind()
    }

    /// The limiter in force.
    pub fn limiter_config(&self) -> &LimiterConfig {
        &self.st.limiter
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.st.policy
    }

    /// The processing-time distribution in force.
    pub fn processing_time(&self) -> &ProcessingTime {
        &self.st.processing
    }

    /// The error rate in force.
    pub fn error_rate(&self) -> f64 {
        self.st.error_rate
    }

    /// The memory model in force.
    pub fn memory_config(&self) -> &MemoryConfig {
        &self.st.memory
    }

    /// The requested worker count.
    pub fn worker_target(&self) -> u32 {
        self.st.worker_target
    }

    /// Every failures-map entry, sorted by key.
    pub fn failures(&self) -> Vec<FailureRow> {
        // Sort small (key, visit) pairs, not whole rows: this runs over 100 000 entries.
        let mut keys: Vec<(Key, u64, usize)> =
            Vec::with_capacity(self.queue.limiter().failures_len());
        self.queue
            .limiter()
            .visit_failures(&mut |key: &Key, requeues| {
                keys.push((key.clone(), requeues, keys.len()));
            });
        stable_sort::sort_by(&mut keys, |a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
        // MaxOf of two per-item limiters visits a key twice; keep one row (the first visited).
        keys.dedup_by(|a, b| a.0 == b.0);
        // Both sorted by key: whether each entry's object exists is one merge, not a tree
        // search per entry.
        let mut objects = self.st.objects.keys().peekable();
        keys.into_iter()
            .map(|(key, requeues, _)| {
                while objects.next_if(|o| **o < key).is_some() {}
                let live = objects.peek().is_some_and(|o| **o == key);
                let last = self.st.last_when.get(&key);
                FailureRow {
                    requeues,
                    last_backoff: last.map(|l| l.0),
                    last_failed_at: last.map(|l| l.1),
                    next_retry: self.queue.ready_at(&key),
                    status: if live {
                        KeyStatus::Live
                    } else {
                        KeyStatus::Orphan
                    },
                    key,
                }
            })
            .collect()
    }

    /// `len(failures)`, client-go's meaning: the entries of the per-item
    /// limiter's failures map, in O(1). With several per-item limiters (a
    /// `MaxOf` of two) it is any one of their maps: they hold the same keys;
    /// [`failure_maps`](Self::failure_maps) lists each by name.
    pub fn failures_len(&self) -> usize {
        self.queue.limiter().failures_len()
    }

    /// Each per-item failures map by its limiter's client-go name, with its
    /// length: one for client-go's usual limiters, two for a `MaxOf` of two
    /// per-item limiters, none for a bucket alone.
    pub fn failure_maps(&self) -> Vec<(&'static str, usize)> {
        let mut maps = Vec::new();
        self.queue
            .limiter()
            .failure_maps(&mut |name, len| maps.push((name, len)));
        maps
    }

    /// The delay the latest `When` gave `key` in this process, if any: one row's
    /// "last backoff" without building the whole failures table.
    pub fn last_backoff(&self, key: &Key) -> Option<Duration> {
        self.st.last_when.get(key).map(|l| l.0)
    }

    /// The simulated workers.
    pub fn workers(&self) -> Vec<WorkerView> {
        self.st.workers.iter().map(|w| w.view.clone()).collect()
    }

    /// Keys you took with `Get` and have not marked `Done`.
    pub fn held_by_hand(&self) -> impl Iterator<Item = &Key> + '_ {
        self.st.held_by_hand.iter()
    }

    /// Live object keys, sorted.
    pub fn objects(&self) -> impl Iterator<Item = &Key> + '_ {
        self.st.objects.keys()
    }

    /// Number of live objects.
    pub fn live_keys(&self) -> usize {
        self.st.objects.len()
    }

    /// Keys whose last reconcile failed (since the last restart).
    pub fn failing_keys(&self) -> usize {
        self.st.failing.len()
    }

    /// Failures entries whose object is gone.
    pub fn orphan_entries(&self) -> usize {
        self.st.orphans as usize
    }

    /// controller-runtime: keys with a failures entry whose object is gone
    /// and whose last reconcile returned a `TerminalError`, sorted. The
    /// handler neither re-adds nor forgets on a TerminalError, so the count
    /// of the errors before it stays; with no reconcile after the delete,
    /// nothing ever calls `Forget`.
    pub fn terminal_orphans(&self) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .st
            .terminal
            .iter()
            .filter(|k| !self.st.objects.contains_key(k) && self.queue.num_requeues(k) > 0)
            .cloned()
            .collect();
        stable_sort::sort_by(&mut keys, Key::cmp);
        keys
    }

    /// controller-runtime: keys whose last reconcile returned
    /// `Requeue: true` (polling through the rate limiter), sorted.
    pub fn polling_keys(&self) -> Vec<Key> {
        let mut keys: Vec<Key> = self.st.polling.iter().cloned().collect();
        stable_sort::sort_by(&mut keys, Key::cmp);
        keys
    }

    /// If an outage is in force now: when it ends.
    pub fn in_outage(&self) -> Option<Time> {
        let now = self.now();
        self.st
            .outages
            .iter()
            .filter(|(s, e)| *s <= now && now < *e)
            .map(|(_, e)| *e)
            .max()
    }

    /// The memory readout.
    pub fn memory(&self) -> MemoryEstimate {
        MemoryEstimate {
            bytes: self.estimate_bytes(),
            limit: self.st.memory.limit_bytes,
            peak_bytes: self.st.peak_bytes,
            oom_kills: self.st.oom_kills,
            restarts: self.st.restarts,
            down_until: self.st.down_until,
        }
    }

    /// The largest delay any `When` returned in this run.
    pub fn max_backoff(&self) -> Duration {
        self.st.max_backoff
    }

    /// Recent events (a bounded ring), oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &Event> + ExactSizeIterator + '_ {
        self.log.recent()
    }

    /// Retained events with `seq >= from`, oldest first.
    pub fn events_since(&self, from: u64) -> impl Iterator<Item = &Event> + '_ {
        self.log.since(from)
    }

    /// Events in the full log so far.
    pub fn event_count(&self) -> u64 {
        self.log.total()
    }

    /// How many recent events to keep (default 4096).
    pub fn set_event_capacity(&mut self, capacity: usize) {
        self.log.set_capacity(capacity);
    }

    /// FNV-1a 64 of the full event log: equal runs, equal hash.
    pub fn trace_hash(&self) -> u64 {
        self.log.hash()
    }

    /// The decimated metrics series.
    pub fn series(&self) -> &Series {
        &self.st.series
    }

    /// Queue method calls made so far (for the benchmark's ops/s).
    pub fn queue_ops(&self) -> u64 {
        self.st.ops
    }

    /// The state as one [`Sample`] (the series' row format) at now.
    pub fn sample_state(&self) -> Sample {
        let m = self.queue.metrics();
        Sample {
            at: self.now(),
            depth: m.depth,
            adds_total: m.adds_total,
            retries_total: m.retries_total,
            failures_len: self.queue.limiter().failures_len() as u64,
            live_keys: self.st.objects.len() as u64,
            orphan_entries: self.st.orphans,
            failing_keys: self.st.failing.len() as u64,
            waiting_len: self.queue.waiting_len() as u64,
            queue_len: self.queue.len() as u64,
            processing: self.queue.processing_len() as u64,
            bucket_tokens: self.queue.limiter().tokens(),
            memory_bytes: self.estimate_bytes(),
            oom_kills: self.st.oom_kills,
            capped_total: self.st.capped_total,
            depth_by_priority: m.depth_by_priority,
        }
    }

    /// The headline numbers.
    pub fn summary(&self) -> Summary {
        let m = self.queue.metrics();
        Summary {
            time_ns: self.now().as_nanos(),
            time: format_duration(self.now().since_epoch()),
            failures_map_len: self.queue.limiter().failures_len() as u64,
            live_keys: self.st.objects.len() as u64,
            orphan_failure_entries: self.st.orphans,
            failing_keys: self.st.failing.len() as u64,
            waiting_len: self.queue.waiting_len() as u64,
            queue_depth: m.depth,
            queue_len: self.queue.len() as u64,
            processing: self.queue.processing_len() as u64,
            max_backoff_ns: u64::try_from(self.st.max_backoff.as_nanos()).unwrap_or(u64::MAX),
            max_backoff: format_duration(self.st.max_backoff),
            oom_kills: self.st.oom_kills,
            restarts: self.st.restarts,
            adds_total: self.st.retired_adds + m.adds_total,
            retries_total: self.st.retired_retries + m.retries_total,
            events: self.log.total(),
            steps: self.st.steps,
            memory_bytes: self.estimate_bytes(),
            peak_memory_bytes: self.st.peak_bytes,
            trace_hash: format!("{:016x}", self.log.hash()),
        }
    }
}

/// `set.remove(key)`, without hashing the key when the set is empty (the
/// map hashes first; most runs never put a key in these sets).
fn remove_key(set: &mut HashSet<Key, FxBuild>, key: &Key) {
    if !set.is_empty() {
        set.remove(key);
    }
}
