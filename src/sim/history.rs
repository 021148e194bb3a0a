//! History: the run as (scenario, recorded inputs), with checkpoints so that
//! scrubbing is cheap, and forks (with undo) when you act in the past.
//!
//! The state at any time is recomputed, never stored: restore the latest
//! checkpoint at or before the target and replay forward, re-applying the
//! recorded inputs at exactly the step and instant they were first applied.
//! Checkpoints are thinned like the metrics series (at most
//! [`MAX_CHECKPOINTS`], the spacing doubling when full), so memory is
//! bounded and a seek replays at most one checkpoint interval.

use crate::sim::events::Event;
use crate::sim::input::{Input, InputError, RecordedInput};
use crate::sim::scenario::{Scenario, ScenarioError};
use crate::sim::share::ShareState;
use crate::sim::world::Sim;
use crate::workqueue::Time;

/// Most checkpoints kept.
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

/// What one `apply` changed, so that `undo` can put it back.
struct UndoEntry {
    /// Position of the input in the recorded list.
    index: usize,
    /// Later inputs the fork discarded.
    dropped_future: Vec<RecordedInput>,
}

/// A run that can be scrubbed, forked and undone.
pub struct History {
    scenario: Scenario,
    inputs: Vec<RecordedInput>,
    applied: usize,
    live: Sim,
    checkpoints: Vec<Checkpoint>,
    checkpoint_steps: u64,
    undo: Vec<UndoEntry>,
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
        let first = Checkpoint {
            sim: live.snapshot_keeping(CHECKPOINT_RING),
            applied: 0,
        };
        Ok(History {
            scenario,
            inputs: Vec::new(),
            applied: 0,
            live,
            checkpoints: vec![first],
            checkpoint_steps: INITIAL_CHECKPOINT_STEPS,
            undo: Vec::new(),
        })
    }

    /// The run a share link describes, with the cursor where the link put it.
    pub fn from_share(state: &ShareState) -> Result<History, ScenarioError> {
        let mut h = History::new(state.scenario.clone())?;
        h.inputs = state.inputs.clone();
        h.seek(Time::from_nanos(state.cursor_ns));
        Ok(h)
    }

    /// What a share link needs to reproduce this run and cursor.
    pub fn share_state(&self) -> ShareState {
        ShareState {
            scenario: self.scenario.clone(),
            inputs: self.inputs.clone(),
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

    /// Whether recorded inputs lie after the cursor (acting now would fork).
    pub fn has_future(&self) -> bool {
        self.applied < self.inputs.len()
    }

    /// Applies `input` at the cursor. If recorded inputs lie after the
    /// cursor, they are discarded (the future forks); `undo` restores them.
    /// A refused input changes nothing.
    pub fn apply(&mut self, input: Input) -> Result<(), InputError> {
        self.live.apply(input.clone())?;
        let dropped_future = self.inputs.split_off(self.applied);
        let (step, at_ns) = (self.live.steps(), self.live.now().as_nanos());
        self.drop_checkpoints_after(step, self.applied);
        self.inputs.push(RecordedInput { step, at_ns, input });
        self.undo.push(UndoEntry {
            index: self.applied,
            dropped_future,
        });
        self.applied += 1;
        Ok(())
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
        self.inputs.truncate(entry.index);
        self.inputs.extend(entry.dropped_future);
        self.drop_checkpoints_after(removed.step, entry.index);
        let cursor = self.cursor();
        self.restore_before(cursor);
        self.run_until(cursor);
        true
    }

    /// Moves the cursor to `t`, forwards or backwards.
    pub fn seek(&mut self, t: Time) {
        if t < self.cursor() {
            self.restore_before(t);
        }
        self.run_until(t);
    }

    /// Processes the next happening (re-applying recorded inputs due first).
    pub fn step(&mut self) -> Option<Time> {
        self.apply_due_inputs(Time::MAX);
        self.step_once()
    }

    /// Runs until the delaying heap releases its earliest item; returns that
    /// instant, exactly `min(readyAt)`.
    pub fn skip_to_next_due(&mut self) -> Option<Time> {
        loop {
            self.apply_due_inputs(Time::MAX);
            self.live.queue().next_ready_at()?;
            let release = self.live.next_is_release();
            let at = self.step_once()?;
            if release {
                return Some(at);
            }
        }
    }

    /// Steps until something notable happens ([`Event::is_notable`], or a
    /// `When()` longer than any before in the run), but not past `limit`.
    /// Returns the time it stopped at, or `None` if nothing notable happened
    /// by `limit` (the cursor is then at `limit`).
    pub fn step_to_notable(&mut self, limit: Time) -> Option<Time> {
        loop {
            self.apply_due_inputs(limit);
            if self.live.next_event_at().is_none_or(|n| n > limit) {
                self.run_until(limit);
                return None;
            }
            let (seq, longest) = (self.live.event_count(), self.live.max_backoff());
            let at = self.step_once()?;
            let notable = self.live.events_since(seq).any(Event::is_notable)
                || self.live.max_backoff() > longest;
            if notable {
                return Some(at);
            }
        }
    }

    /// Runs forward to `t`, re-applying recorded inputs on the way.
    pub fn run_until(&mut self, t: Time) {
        loop {
            self.apply_due_inputs(t);
            match self.live.next_event_at() {
                Some(n) if n <= t => {
                    if self.step_once().is_none() {
                        break;
                    }
                }
                _ => break,
            }
        }
        self.apply_due_inputs(t);
        self.live.run_until(t);
    }

    /// Replays the whole run from t=0 to `until` on a fresh world and hands
    /// every event of the full log to `visit` (the "export all" of the log,
    /// which the bounded ring cannot hold).
    pub fn export_events(
        &self,
        until: Time,
        visit: &mut dyn FnMut(&Event),
    ) -> Result<(), ScenarioError> {
        let mut replay = History::new(self.scenario.clone())?;
        replay.inputs = self.inputs.clone();
        replay.live.set_event_capacity(1 << 20);
        let mut next = 0;
        let mut drain = |sim: &Sim, next: &mut u64| {
            for e in sim.events_since(*next) {
                visit(e);
            }
            *next = sim.event_count();
        };
        loop {
            replay.apply_due_inputs(until);
            drain(&replay.live, &mut next);
            match replay.live.next_event_at() {
                Some(n) if n <= until && replay.live.step().is_some() => {
                    drain(&replay.live, &mut next)
                }
                _ => break,
            }
        }
        replay.live.run_until(until);
        drain(&replay.live, &mut next);
        Ok(())
    }

    /// Applies recorded inputs that were applied at the current step, at
    /// their recorded instant, if that is not after `t`.
    fn apply_due_inputs(&mut self, t: Time) {
        while let Some(p) = self.inputs.get(self.applied) {
            if p.step != self.live.steps() || Time::from_nanos(p.at_ns) > t {
                break;
            }
            let (step, at, input) = (p.step, Time::from_nanos(p.at_ns), p.input.clone());
            self.live.run_to_step(step, at);
            // Recorded inputs were accepted when first applied and the world
            // is identical, so they are accepted again; a link edited by hand
            // may hold one that is not, and it is then skipped.
            let _ = self.live.apply(input);
            self.applied += 1;
        }
    }

    fn step_once(&mut self) -> Option<Time> {
        let at = self.live.step()?;
        if self.live.steps().is_multiple_of(self.checkpoint_steps) {
            self.checkpoint();
        }
        Some(at)
    }

    fn checkpoint(&mut self) {
        let later = self
            .checkpoints
            .last()
            .is_none_or(|c| c.sim.steps() < self.live.steps());
        if !later {
            return;
        }
        self.checkpoints.push(Checkpoint {
            sim: self.live.snapshot_keeping(CHECKPOINT_RING),
            applied: self.applied,
        });
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            // Keep t=0 and every other one after it; space future ones wider.
            let mut i = 0;
            self.checkpoints.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.checkpoint_steps = self.checkpoint_steps.saturating_mul(2);
        }
    }

    /// Forgets checkpoints that include effects of inputs from position
    /// `index` on, which were applied at `step`.
    fn drop_checkpoints_after(&mut self, step: u64, index: usize) {
        self.checkpoints
            .retain(|c| c.applied <= index && c.sim.steps() <= step);
        if self.checkpoints.is_empty() {
            if let Ok(sim) = Sim::new(self.scenario.clone()) {
                self.checkpoints.push(Checkpoint { sim, applied: 0 });
            }
        }
    }

    /// Makes `live` the latest checkpoint at or before `t`.
    fn restore_before(&mut self, t: Time) {
        let best = self.checkpoints.iter().rev().find(|c| c.sim.now() <= t);
        if let Some(c) = best {
            self.live = c.sim.snapshot();
            self.applied = c.applied;
        }
    }
}
