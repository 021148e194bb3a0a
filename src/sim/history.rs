//! History: the run as (scenario, recorded inputs), with checkpoints so that
//! scrubbing is cheap, and forks (with undo) when you act in the past.
//!
//! The state at any time is recomputed, never stored: restore the latest
//! checkpoint at or before the target and replay forward, re-applying the
//! recorded inputs at exactly the step and instant they were first applied.
//!
//! Cost bounds ([`Checkpoints`]): a checkpoint is taken every
//! `interval()` steps (2 000 at first). When more than [`MAX_CHECKPOINTS`]
//! are held, every other one is dropped and the interval doubles, so memory
//! is bounded (at most 32 world copies, plus the set kept for one undo) and
//! any seek — back, forward over a stretch already run, undo, or a restore —
//! replays at most one interval of steps after copying one checkpoint.
//! The interval grows with the run (a 14 h run keeps ~1/16–1/32 of it per
//! interval), which is the price of the fixed memory cap.
//!
//! [`Replayer`] is the one replay loop; [`History`] runs it over its input
//! list. The page owns one `History` (its clock runs it on, its scrubber
//! seeks it, a link restores it a slice per frame), and so do the CLI's
//! `replay` and the exports.

use crate::sim::events::Event;
use crate::sim::input::{Input, InputError, RecordedInput};
use crate::sim::scenario::{Scenario, ScenarioError};
use crate::sim::share::ShareState;
use crate::sim::world::Sim;
use crate::stable_sort;
use crate::workqueue::Time;
use std::rc::Rc;

/// Most checkpoints kept (beyond it they thin out, the interval doubling).
pub const MAX_CHECKPOINTS: usize = 32;
/// Steps between checkpoints at first (the spacing doubles as they thin).
pub const INITIAL_CHECKPOINT_STEPS: u64 = 2_000;
/// Recent events a checkpoint keeps for the log view after a seek.
const CHECKPOINT_RING: usize = 512;

struct Checkpoint {
    sim: Sim,
    /// Recorded inputs already applied in `sim`.
    applied: usize,
}

/// Checkpoints a fork made stale, kept so that undoing that fork is cheap.
struct SetAside {
    /// The fork's input: its step and position in the recorded list.
    step: u64,
    index: usize,
    list: Vec<Checkpoint>,
}

/// Copies of one run's world, every `interval()` steps, so that reaching
/// any time costs one copy plus at most one interval of replay.
///
/// Only checkpoints consistent with the current recorded inputs are kept:
/// acting at the cursor ([`fork`](Self::fork)) drops the later ones, and
/// keeps them aside for [`unfork`](Self::unfork) (the latest fork only, so
/// memory stays at most twice [`MAX_CHECKPOINTS`] worlds).
pub struct Checkpoints {
    /// Sorted by step, strictly increasing; the first is t=0.
    list: Vec<Checkpoint>,
    every: u64,
    set_aside: Option<SetAside>,
}

impl Checkpoints {
    /// Checkpoints of a run starting at `start` (t=0, no inputs applied).
    pub fn new(start: &Sim) -> Checkpoints {
        Checkpoints {
            list: vec![Checkpoint {
                sim: start.snapshot_keeping(CHECKPOINT_RING),
                applied: 0,
            }],
            every: INITIAL_CHECKPOINT_STEPS,
            set_aside: None,
        }
    }

    /// How many checkpoints are held (not counting a set-aside fork).
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether none are held (never, once built: t=0 is always kept).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Steps between checkpoints now: the most a seek replays.
    pub fn interval(&self) -> u64 {
        self.every
    }

    /// Call after every step of the run: copies `sim` (with `applied`
    /// recorded inputs in it) when its step count is due and new.
    pub fn after_step(&mut self, sim: &Sim, applied: usize) {
        if !sim.steps().is_multiple_of(self.every)
            || self
                .list
                .last()
                .is_some_and(|c| c.sim.steps() >= sim.steps())
        {
            return;
        }
        self.list.push(Checkpoint {
            sim: sim.snapshot_keeping(CHECKPOINT_RING),
            applied,
        });
        self.thin();
    }

    /// Keeps t=0 and every other checkpoint after it while there are too
    /// many, and spaces future ones wider to match.
    fn thin(&mut self) {
        while self.list.len() > MAX_CHECKPOINTS {
            let mut i = 0;
            self.list.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.every = self.every.saturating_mul(2);
        }
    }

    /// A new input went in at position `index`, at `step`: checkpoints that
    /// include a later step or a replaced input are stale. They are set
    /// aside for [`unfork`](Self::unfork) of this same input.
    pub fn fork(&mut self, step: u64, index: usize) {
        let (keep, stale) = std::mem::take(&mut self.list)
            .into_iter()
            .partition(|c| c.applied <= index && c.sim.steps() <= step);
        self.list = keep;
        // An act later in the same timeline (nothing stale) leaves an earlier
        // fork's set-aside valid for when both are undone, newest first.
        let earlier_kept =
            stale.is_empty() && self.set_aside.as_ref().is_some_and(|s| s.index < index);
        if !earlier_kept {
            self.set_aside = Some(SetAside {
                step,
                index,
                list: stale,
            });
        }
    }

    /// Takes back the input at `index` (applied at `step`), the recorded
    /// inputs becoming what they were before its `fork`: drops checkpoints
    /// that include it and restores those that fork set aside.
    pub fn unfork(&mut self, step: u64, index: usize) {
        self.list
            .retain(|c| c.applied <= index && c.sim.steps() <= step);
        if let Some(s) = self
            .set_aside
            .take_if(|s| s.step == step && s.index == index)
        {
            self.list.extend(s.list);
            stable_sort::sort_by_key(&mut self.list, |c| c.sim.steps());
            self.list.dedup_by_key(|c| c.sim.steps());
            self.thin();
        }
    }

    fn latest_at_or_before(&self, t: Time) -> Option<&Checkpoint> {
        self.list.iter().rev().find(|c| c.sim.now() <= t)
    }

    /// A copy of the latest checkpoint at or before `t`, with how many
    /// recorded inputs it had applied.
    pub fn restore_before(&self, t: Time) -> Option<(Sim, usize)> {
        self.latest_at_or_before(t)
            .map(|c| (c.sim.snapshot(), c.applied))
    }

    /// Where a seek from `live` to `t` should start: a checkpoint copy if `t`
    /// is in the past or a checkpoint lies between `live` and `t`; `None`
    /// when running `live` forward is already the shortest way.
    pub fn seek_start(&self, live: &Sim, t: Time) -> Option<(Sim, usize)> {
        let c = self.latest_at_or_before(t)?;
        (t < live.now() || c.sim.steps() > live.steps()).then(|| (c.sim.snapshot(), c.applied))
    }
}

/// The recorded inputs as a replay sees them: the next one to re-apply, and
/// how many are in the world already. [`History`] keeps one list and a
/// count; the page keeps an applied list and a future list.
pub trait Tape {
    /// The next recorded input not yet applied.
    fn next_input(&self) -> Option<&RecordedInput>;
    /// Marks that input applied.
    fn advance(&mut self);
    /// How many recorded inputs are applied.
    fn applied(&self) -> usize;
}

impl<T: Tape + ?Sized> Tape for &mut T {
    fn next_input(&self) -> Option<&RecordedInput> {
        (**self).next_input()
    }
    fn advance(&mut self) {
        (**self).advance()
    }
    fn applied(&self) -> usize {
        (**self).applied()
    }
}

/// One recorded list and how much of it is applied.
struct ListTape<'a> {
    inputs: &'a [RecordedInput],
    applied: &'a mut usize,
}

impl Tape for ListTape<'_> {
    fn next_input(&self) -> Option<&RecordedInput> {
        self.inputs.get(*self.applied)
    }
    fn advance(&mut self) {
        *self.applied += 1;
    }
    fn applied(&self) -> usize {
        *self.applied
    }
}

/// The one replay loop: runs a world forward, re-applying recorded inputs at
/// exactly their step and instant, and checkpointing as it goes.
pub struct Replayer<'a, T: Tape> {
    /// The world being run.
    pub sim: &'a mut Sim,
    /// Its recorded inputs.
    pub tape: T,
    /// Its checkpoints.
    pub checkpoints: &'a mut Checkpoints,
}

impl<T: Tape> Replayer<'_, T> {
    /// Applies recorded inputs that were applied at the current step, at
    /// their recorded instant, if that is not after `t`.
    pub fn apply_due(&mut self, t: Time) {
        while let Some(p) = self.tape.next_input() {
            let at = Time::from_nanos(p.at_ns);
            if p.step > self.sim.steps() || at > t {
                break;
            }
            let (step, input) = (p.step, p.input.clone());
            self.sim.run_to_step(step, at);
            // Recorded inputs were accepted when first applied and the world
            // is identical, so they are accepted again; a link edited by hand
            // may hold one that is not, and it is then skipped.
            let _ = self.sim.apply(input);
            self.tape.advance();
        }
    }

    fn step_once(&mut self) -> Option<Time> {
        let at = self.sim.step()?;
        self.checkpoints.after_step(self.sim, self.tape.applied());
        Some(at)
    }

    /// Processes the next happening (re-applying recorded inputs due first).
    pub fn step(&mut self) -> Option<Time> {
        self.apply_due(Time::MAX);
        self.step_once()
    }

    /// Runs until the delaying heap releases its earliest item; returns that
    /// instant, exactly `min(readyAt)`. `None` if nothing is waiting.
    pub fn skip_to_next_due(&mut self) -> Option<Time> {
        loop {
            self.apply_due(Time::MAX);
            self.sim.queue().next_ready_at()?;
            let release = self.sim.next_is_release();
            let at = self.step_once()?;
            if release {
                return Some(at);
            }
        }
    }

    /// Steps until something notable happens, but not past `limit`; see
    /// [`History::step_to_notable`].
    pub fn step_to_notable(&mut self, limit: Time) -> Option<Time> {
        loop {
            self.apply_due(limit);
            if self.sim.next_event_at().is_none_or(|n| n > limit) {
                self.run_until(limit);
                return None;
            }
            let (seq, longest) = (self.sim.event_count(), self.sim.max_backoff());
            let at = self.step_once()?;
            let notable = self.sim.events_since(seq).any(Event::is_notable)
                || self.sim.max_backoff() > longest;
            if notable {
                return Some(at);
            }
        }
    }

    /// Runs forward to `t`, re-applying recorded inputs on the way.
    pub fn run_until(&mut self, t: Time) {
        self.run_until_bounded(t, u64::MAX);
    }

    /// Like [`run_until`](Self::run_until), taking at most `max_steps` steps: whether it
    /// reached `t`. Call again to go on; the world ends up as one `run_until` leaves it (a
    /// long replay can then be spread over frames).
    pub fn run_until_bounded(&mut self, t: Time, max_steps: u64) -> bool {
        let mut left = max_steps;
        loop {
            self.apply_due(t);
            match self.sim.next_event_at() {
                Some(n) if n <= t => {
                    if left == 0 {
                        return false;
                    }
                    left -= 1;
                    if self.step_once().is_none() {
                        break;
                    }
                }
                _ => break,
            }
        }
        self.apply_due(t);
        self.sim.run_until(t);
        true
    }
}

/// What one act (an `apply`, or a group of inputs applied as one) changed, so that `undo` can
/// put it back.
struct UndoEntry {
    /// Position of the act's first input in the recorded list.
    index: usize,
    /// Later inputs the fork discarded.
    dropped_future: Vec<RecordedInput>,
}

/// A run that can be scrubbed, forked and undone: the one history the page and the tools
/// share (the page's clock runs it on, its scrubber seeks it, a link restores it a slice at a
/// time).
///
/// The recorded inputs are one list with an applied count: running forward over recorded
/// inputs only moves the count, so replaying an imported trace of 100 000 inputs is linear.
/// The list sits behind an `Rc` so that views can hold it without copying; an act copies it
/// only while a view still holds the old one.
pub struct History {
    scenario: Scenario,
    inputs: Rc<Vec<RecordedInput>>,
    applied: usize,
    live: Sim,
    checkpoints: Checkpoints,
    undo: Vec<UndoEntry>,
    /// The furthest the cursor has been (a seek back leaves it; see [`History::run_end`]).
    horizon: Time,
    last_seek_steps: u64,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("scenario", &self.scenario.id)
            .field("inputs", &self.inputs.len())
            .field("applied", &self.applied)
            .field("cursor", &self.live.now())
            .field("checkpoints", &self.checkpoints.len())
            .finish()
    }
}

impl History {
    /// A fresh run of `scenario` at t=0, with no inputs.
    pub fn new(scenario: Scenario) -> Result<History, ScenarioError> {
        let live = Sim::new(scenario.clone())?;
        let checkpoints = Checkpoints::new(&live);
        Ok(History {
            scenario,
            inputs: Rc::new(Vec::new()),
            applied: 0,
            live,
            checkpoints,
            undo: Vec::new(),
            horizon: Time::ZERO,
            last_seek_steps: 0,
        })
    }

    /// The run a share link describes, with the cursor where the link put it.
    pub fn from_share(state: &ShareState) -> Result<History, ScenarioError> {
        let mut h = History::recorded(state)?;
        h.seek(Time::from_nanos(state.cursor_ns));
        Ok(h)
    }

    /// The run a share link describes, at t=0 with its inputs recorded ahead and its end at
    /// the link's cursor: run it there with [`run_until_bounded`](Self::run_until_bounded), a
    /// slice at a time (how the page restores a link without freezing).
    pub fn recorded(state: &ShareState) -> Result<History, ScenarioError> {
        let mut h = History::new(state.scenario.clone())?;
        h.inputs = Rc::new(state.inputs.clone());
        h.horizon = Time::from_nanos(state.cursor_ns);
        Ok(h)
    }

    /// What a share link needs to reproduce this run and cursor.
    pub fn share_state(&self) -> ShareState {
        ShareState {
            scenario: self.scenario.clone(),
            inputs: self.inputs.to_vec(),
            cursor_ns: self.cursor().as_nanos(),
        }
    }

    /// The world at the cursor.
    pub fn live(&self) -> &Sim {
        &self.live
    }

    /// The cursor's virtual time.
    pub fn cursor(&self) -> Time {
        self.live.now()
    }

    /// The scenario this history runs.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Every recorded input, in order (including ones after the cursor).
    pub fn inputs(&self) -> &[RecordedInput] {
        &self.inputs
    }

    /// The recorded list itself, to hold without copying (see [`History`]).
    pub fn shared_inputs(&self) -> &Rc<Vec<RecordedInput>> {
        &self.inputs
    }

    /// How many recorded inputs the world at the cursor has applied (the rest lie ahead).
    pub fn applied_len(&self) -> usize {
        self.applied
    }

    /// The inputs the world at the cursor has applied.
    pub fn applied(&self) -> &[RecordedInput] {
        &self.inputs[..self.applied.min(self.inputs.len())]
    }

    /// Whether recorded inputs lie after the cursor (acting now would fork).
    pub fn has_future(&self) -> bool {
        self.applied < self.inputs.len()
    }

    /// How many acts [`undo`](Self::undo) can take back.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// The end of the run: the furthest the cursor has been, or the last recorded input ahead
    /// of it. A scrubber spans t=0 to here; seeks within the run replay, they never run it on.
    pub fn run_end(&self) -> Time {
        let last_input = self
            .inputs
            .last()
            .map_or(Time::ZERO, |i| Time::from_nanos(i.at_ns));
        self.cursor().max(self.horizon).max(last_input)
    }

    /// The checkpoints (their count and interval bound a seek's cost).
    pub fn checkpoints(&self) -> &Checkpoints {
        &self.checkpoints
    }

    /// Steps the last `seek` or `undo` processed, from the checkpoint it
    /// restored or from the cursor: what that move cost.
    pub fn last_seek_steps(&self) -> u64 {
        self.last_seek_steps
    }

    /// Applies `input` at the cursor. If recorded inputs lie after the
    /// cursor, they are discarded (the future forks); `undo` restores them.
    /// A refused input changes nothing.
    pub fn apply(&mut self, input: Input) -> Result<(), InputError> {
        self.apply_group([input]).map(|_| ())
    }

    /// Applies `inputs` at the cursor, in order, as one act (one [`undo`](Self::undo) takes
    /// them all back; e.g. Done then AddRateLimited for a key held by hand). Stops at the
    /// first refused input and returns its error; those applied before it stay, as one act.
    /// Returns how many were applied.
    pub fn apply_group(
        &mut self,
        inputs: impl IntoIterator<Item = Input>,
    ) -> Result<usize, InputError> {
        let index = self.applied;
        let mut dropped_future = None;
        let mut result = Ok(());
        for input in inputs {
            if let Err(e) = self.live.apply(input.clone()) {
                result = Err(e);
                break;
            }
            let (step, at_ns) = (self.live.steps(), self.live.now().as_nanos());
            let list = Rc::make_mut(&mut self.inputs);
            if dropped_future.is_none() {
                dropped_future = Some(list.split_off(self.applied.min(list.len())));
                self.checkpoints.fork(step, self.applied);
            }
            list.push(RecordedInput { step, at_ns, input });
            self.applied += 1;
        }
        if let Some(dropped_future) = dropped_future {
            self.undo.push(UndoEntry {
                index,
                dropped_future,
            });
        }
        result.map(|()| self.applied - index)
    }

    /// Takes back the last `apply` (and restores a future it discarded),
    /// keeping the cursor where it is. `false` if there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(entry) = self.undo.pop() else {
            return false;
        };
        let Some(removed) = self.inputs.get(entry.index).cloned() else {
            return false;
        };
        let list = Rc::make_mut(&mut self.inputs);
        list.truncate(entry.index);
        list.extend(entry.dropped_future);
        self.checkpoints.unfork(removed.step, entry.index);
        let cursor = self.cursor();
        if let Some((sim, applied)) = self.checkpoints.restore_before(cursor) {
            self.live = sim;
            self.applied = applied;
        }
        self.run_counting(cursor);
        true
    }

    /// Moves the cursor to `t`, forwards or backwards, from the nearest
    /// checkpoint (or the cursor, if that is nearer).
    pub fn seek(&mut self, t: Time) {
        self.horizon = self.horizon.max(self.cursor());
        if let Some((sim, applied)) = self.checkpoints.seek_start(&self.live, t) {
            self.live = sim;
            self.applied = applied;
        }
        self.run_counting(t);
    }

    fn run_counting(&mut self, t: Time) {
        let from = self.live.steps();
        self.run_until(t);
        self.last_seek_steps = self.live.steps().saturating_sub(from);
    }

    fn replayer(&mut self) -> Replayer<'_, ListTape<'_>> {
        Replayer {
            sim: &mut self.live,
            tape: ListTape {
                inputs: &self.inputs,
                applied: &mut self.applied,
            },
            checkpoints: &mut self.checkpoints,
        }
    }

    /// Processes the next happening (re-applying recorded inputs due first).
    pub fn step(&mut self) -> Option<Time> {
        self.replayer().step()
    }

    /// Runs until the delaying heap releases its earliest item; returns that
    /// instant, exactly `min(readyAt)`.
    pub fn skip_to_next_due(&mut self) -> Option<Time> {
        self.replayer().skip_to_next_due()
    }

    /// Steps until something notable happens ([`Event::is_notable`], or a
    /// `When()` longer than any before in the run), but not past `limit`.
    /// Returns the time it stopped at, or `None` if nothing notable happened
    /// by `limit` (the cursor is then at `limit`).
    pub fn step_to_notable(&mut self, limit: Time) -> Option<Time> {
        self.replayer().step_to_notable(limit)
    }

    /// Runs forward to `t`, re-applying recorded inputs on the way.
    pub fn run_until(&mut self, t: Time) {
        self.replayer().run_until(t)
    }

    /// Like [`run_until`](Self::run_until), taking at most `max_steps` steps: whether it
    /// reached `t`. Call again to go on; the run ends up as one `run_until` leaves it.
    pub fn run_until_bounded(&mut self, t: Time, max_steps: u64) -> bool {
        self.replayer().run_until_bounded(t, max_steps)
    }

    /// Replays the whole run from t=0 to `until` on a fresh world and hands
    /// every event of the full log to `visit` (the "export all" of the log,
    /// which the bounded ring cannot hold).
    pub fn export_events(
        &self,
        until: Time,
        visit: &mut dyn FnMut(&Event),
    ) -> Result<(), ScenarioError> {
        let mut replay = EventReplay::new(&self.scenario, &self.inputs, until)?;
        replay.run(u64::MAX, visit);
        Ok(())
    }
}

/// The run replayed from t=0 on a fresh world, every event handed to a visitor, a bounded
/// number of steps at a time: what exports and the latency chart read, in slices between
/// frames so that a long run never freezes the page.
#[derive(Debug)]
pub struct EventReplay {
    replay: History,
    until: Time,
    /// Events already handed out.
    next: u64,
    finished: bool,
}

impl EventReplay {
    /// A replay of `scenario` with `inputs`, to run to `until`.
    pub fn new(
        scenario: &Scenario,
        inputs: &[RecordedInput],
        until: Time,
    ) -> Result<EventReplay, ScenarioError> {
        let mut replay = History::new(scenario.clone())?;
        replay.inputs = Rc::new(inputs.to_vec());
        replay.live.set_event_capacity(1 << 20);
        Ok(EventReplay {
            replay,
            until,
            next: 0,
            finished: false,
        })
    }

    /// Replays at most `max_steps` more steps, handing each new event to `visit`; true once
    /// the replay has reached `until` (then every event up to it has been visited).
    pub fn run(&mut self, max_steps: u64, visit: &mut dyn FnMut(&Event)) -> bool {
        let until = self.until;
        let mut steps = 0;
        while !self.finished {
            self.replay.replayer().apply_due(until);
            self.drain(visit);
            if steps >= max_steps {
                return false;
            }
            match self.replay.live.next_event_at() {
                Some(n) if n <= until && self.replay.live.step().is_some() => steps += 1,
                _ => {
                    self.replay.live.run_until(until);
                    self.finished = true;
                }
            }
            self.drain(visit);
        }
        true
    }

    /// How far the replay has come.
    pub fn now(&self) -> Time {
        self.replay.live.now()
    }

    /// Where it stops.
    pub fn until(&self) -> Time {
        self.until
    }

    fn drain(&mut self, visit: &mut dyn FnMut(&Event)) {
        for e in self.replay.live.events_since(self.next) {
            visit(e);
        }
        self.next = self.replay.live.event_count();
    }
}
