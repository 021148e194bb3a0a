//! The page's timeline: seek anywhere, keep the recorded future while you look at the past,
//! replay it as the clock moves on, fork it when you act in the past, and undo.
//!
//! The UI keeps one live [`Sim`] that its clock drives frame by frame, its inputs split at the
//! cursor into applied and future lists, and the run's [`Checkpoints`]. Every function here is
//! [`History`](crate::sim::History)'s own replay loop ([`Replayer`]) run over that split, so a seek, an undo or a
//! restore copies one checkpoint and replays at most one checkpoint interval, exactly as
//! `History` does (a restore of a link in a fresh page has no checkpoints yet, so it replays
//! the run once, taking them as it goes).

use std::collections::VecDeque;

use crate::sim::history::{Replayer, Tape};
use crate::sim::input::RecordedInput;
use crate::sim::scenario::Scenario;
use crate::sim::world::Sim;
use crate::workqueue::Time;

pub use crate::sim::history::Checkpoints;

/// Inputs split at the cursor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    /// Applied in the world at the cursor, in order.
    pub applied: Vec<RecordedInput>,
    /// Recorded after the cursor, in order (re-applied as the clock reaches them). A deque:
    /// replaying an imported trace of 100 000 inputs takes each from the front.
    pub future: VecDeque<RecordedInput>,
}

impl Split {
    /// All the inputs, split anew after the first `applied`.
    fn resplit(&mut self, applied: usize) {
        let mut all = std::mem::take(&mut self.applied);
        all.extend(std::mem::take(&mut self.future));
        self.future = all.split_off(applied.min(all.len())).into();
        self.applied = all;
    }
}

impl Tape for Split {
    fn next_input(&self) -> Option<&RecordedInput> {
        self.future.front()
    }
    fn advance(&mut self) {
        if let Some(input) = self.future.pop_front() {
            self.applied.push(input);
        }
    }
    fn applied(&self) -> usize {
        self.applied.len()
    }
}

/// No recorded future: the clock just runs (the page's usual case, with no list to move).
struct NoFuture(usize);

impl Tape for NoFuture {
    fn next_input(&self) -> Option<&RecordedInput> {
        None
    }
    fn advance(&mut self) {}
    fn applied(&self) -> usize {
        self.0
    }
}

/// One undoable act: how many inputs were applied before it, and the future it discarded.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoEntry {
    /// `applied.len()` before the act.
    pub applied_before: usize,
    /// The recorded future the act forked away.
    pub dropped_future: VecDeque<RecordedInput>,
}

fn replayer<'a>(
    sim: &'a mut Sim,
    split: &'a mut Split,
    checkpoints: &'a mut Checkpoints,
) -> Replayer<'a, &'a mut Split> {
    Replayer {
        sim,
        tape: split,
        checkpoints,
    }
}

/// Runs `sim` to `t`, re-applying the recorded future on the way.
pub fn run_until(sim: &mut Sim, split: &mut Split, checkpoints: &mut Checkpoints, t: Time) {
    replayer(sim, split, checkpoints).run_until(t);
}

/// Like [`run_until`], taking at most `max_steps` steps: whether it reached `t` (call again
/// to go on). How the page restores a long shared run a slice per frame.
pub fn run_until_bounded(
    sim: &mut Sim,
    split: &mut Split,
    checkpoints: &mut Checkpoints,
    t: Time,
    max_steps: u64,
) -> bool {
    replayer(sim, split, checkpoints).run_until_bounded(t, max_steps)
}

/// Runs `sim` (with `applied` inputs in it and none recorded ahead) to `t`.
pub fn run_on(sim: &mut Sim, applied: usize, checkpoints: &mut Checkpoints, t: Time) {
    Replayer {
        sim,
        tape: NoFuture(applied),
        checkpoints,
    }
    .run_until(t);
}

/// One happening, after the inputs recorded before it.
pub fn step(sim: &mut Sim, split: &mut Split, checkpoints: &mut Checkpoints) -> Option<Time> {
    replayer(sim, split, checkpoints).step()
}

/// Runs until the delaying heap releases its earliest item (exactly `min(readyAt)`),
/// re-applying recorded inputs on the way. `None` if nothing is waiting.
pub fn skip_to_next_due(
    sim: &mut Sim,
    split: &mut Split,
    checkpoints: &mut Checkpoints,
) -> Option<Time> {
    replayer(sim, split, checkpoints).skip_to_next_due()
}

/// Moves `sim` to `t`, back or forward: from the nearest checkpoint at or before `t` if that
/// is nearer than `sim` itself, re-splitting the inputs there. Returns the steps processed
/// (at most one checkpoint interval when `t` lies within the run already made).
pub fn seek(sim: &mut Sim, split: &mut Split, checkpoints: &mut Checkpoints, t: Time) -> u64 {
    if let Some((start, applied)) = checkpoints.seek_start(sim, t) {
        *sim = start;
        split.resplit(applied);
    }
    let from = sim.steps();
    run_until(sim, split, checkpoints, t);
    sim.steps().saturating_sub(from)
}

/// Call after acting at the cursor: inputs from position `applied_before` of `applied` on are
/// new, so checkpoints after the first of them are stale (set aside for `undo`).
pub fn acted(applied: &[RecordedInput], checkpoints: &mut Checkpoints, applied_before: usize) {
    if let Some(first) = applied.get(applied_before) {
        checkpoints.fork(first.step, applied_before);
    }
}

/// Takes back the last act: drops the inputs it added, restores the future it discarded,
/// and rebuilds the world at `cursor` from the nearest checkpoint. Returns the steps replayed.
pub fn undo(
    sim: &mut Sim,
    split: &mut Split,
    checkpoints: &mut Checkpoints,
    entry: UndoEntry,
    cursor: Time,
) -> u64 {
    if let Some(first) = split.applied.get(entry.applied_before) {
        checkpoints.unfork(first.step, entry.applied_before);
    }
    split.applied.truncate(entry.applied_before);
    split.future = entry.dropped_future;
    if let Some((start, applied)) = checkpoints.restore_before(cursor) {
        *sim = start;
        split.resplit(applied);
    }
    let from = sim.steps();
    run_until(sim, split, checkpoints, cursor);
    sim.steps().saturating_sub(from)
}

/// The world of `scenario` with `inputs` at `cursor`, the inputs split there, and the
/// checkpoints taken on the way (a restore: from t=0, since a new page has none).
pub fn restore(
    scenario: &Scenario,
    inputs: &[RecordedInput],
    cursor: Time,
) -> Result<(Sim, Split, Checkpoints), String> {
    let mut sim = Sim::new(scenario.clone()).map_err(|e| e.to_string())?;
    let mut checkpoints = Checkpoints::new(&sim);
    let mut split = Split {
        applied: Vec::new(),
        future: inputs.iter().cloned().collect(),
    };
    run_until(&mut sim, &mut split, &mut checkpoints, cursor);
    Ok((sim, split, checkpoints))
}

/// The world of `scenario` with `inputs` at `cursor`, and the inputs split there (replayed
/// from t=0, as [`History::from_share`](crate::sim::History::from_share) does).
pub fn replay(
    scenario: &Scenario,
    inputs: &[RecordedInput],
    cursor: Time,
) -> Result<(Sim, Split), String> {
    restore(scenario, inputs, cursor).map(|(sim, split, _)| (sim, split))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::input::Input;
    use crate::sim::presets::preset;

    fn secs(n: u64) -> Time {
        Time::from_nanos(n * 1_000_000_000)
    }

    /// A poison run with two hand inputs, recorded the way the UI records them.
    fn recorded() -> (Scenario, Sim, Vec<RecordedInput>) {
        let s = preset("poison").expect("poison");
        let mut sim = Sim::new(s.clone()).expect("sim");
        let mut inputs = Vec::new();
        for (at, input) in [
            (3, Input::Fail("default/x".into())),
            (7, Input::Change("default/new".into())),
        ] {
            sim.run_until(secs(at));
            sim.apply(input.clone()).expect("accepted");
            inputs.push(RecordedInput {
                step: sim.steps(),
                at_ns: sim.now().as_nanos(),
                input,
            });
        }
        sim.run_until(secs(20));
        (s, sim, inputs)
    }

    #[test]
    fn a_restore_spread_over_slices_of_steps_ends_as_one_restore_does() {
        let (s, sim, inputs) = recorded();
        let (whole, whole_split, whole_cps) = restore(&s, &inputs, secs(20)).expect("restore");
        let mut live = Sim::new(s.clone()).expect("sim");
        let mut cps = Checkpoints::new(&live);
        let mut split = Split {
            applied: Vec::new(),
            future: inputs.iter().cloned().collect(),
        };
        let mut slices = 1;
        while !run_until_bounded(&mut live, &mut split, &mut cps, secs(20), 7) {
            slices += 1;
            assert!(live.now() < secs(20));
        }
        assert!(
            slices > 3,
            "20 s of poison is more than a few 7-step slices"
        );
        assert_eq!(live.trace_hash(), sim.trace_hash());
        assert_eq!(live.trace_hash(), whole.trace_hash());
        assert_eq!((live.now(), live.steps()), (whole.now(), whole.steps()));
        assert_eq!(split, whole_split);
        assert_eq!(cps.len(), whole_cps.len());
    }

    #[test]
    fn seeking_back_then_running_forward_reproduces_the_same_trace() {
        let (s, sim, inputs) = recorded();
        let (mut past, mut split, mut cps) = restore(&s, &inputs, secs(20)).expect("restore");
        assert_eq!(past.trace_hash(), sim.trace_hash());
        seek(&mut past, &mut split, &mut cps, secs(5));
        assert_eq!(past.now(), secs(5));
        assert_eq!((split.applied.len(), split.future.len()), (1, 1));
        seek(&mut past, &mut split, &mut cps, secs(20));
        assert!(split.future.is_empty());
        assert_eq!(past.trace_hash(), sim.trace_hash());
    }

    #[test]
    fn acting_in_the_past_forks_and_undo_restores_the_future() {
        let (s, sim, inputs) = recorded();
        let (mut live, mut split, mut cps) = restore(&s, &inputs, secs(20)).expect("restore");
        seek(&mut live, &mut split, &mut cps, secs(5));
        // Fork: act at t=5s; the recorded future (the t=7s change) is discarded.
        let entry = UndoEntry {
            applied_before: split.applied.len(),
            dropped_future: std::mem::take(&mut split.future),
        };
        live.apply(Input::Forget("default/x".into()))
            .expect("forget");
        split.applied.push(RecordedInput {
            step: live.steps(),
            at_ns: live.now().as_nanos(),
            input: Input::Forget("default/x".into()),
        });
        acted(&split.applied, &mut cps, entry.applied_before);
        run_until(&mut live, &mut split, &mut cps, secs(20));
        assert_ne!(live.trace_hash(), sim.trace_hash(), "the future changed");
        // Undo at t=20s: the original run comes back.
        undo(&mut live, &mut split, &mut cps, entry, secs(20));
        assert_eq!(split.applied, inputs);
        assert_eq!(live.trace_hash(), sim.trace_hash());
    }

    /// Seeks across a long run replay at most one checkpoint interval of steps, in both
    /// directions, and land on the straight run's trace.
    #[test]
    fn seeks_replay_at_most_one_checkpoint_interval() {
        let s = preset("seed-oom").expect("seed-oom");
        let end = secs(3 * 3600);
        let (mut live, mut split, mut cps) = restore(&s, &[], end).expect("restore");
        let (total, hash) = (live.steps(), live.trace_hash());
        let bound = cps.interval();
        assert!(bound * 8 < total, "interval {bound} vs {total} steps");
        for t in [600, 5_000, 60, 9_000, 10_799, 1] {
            let replayed = seek(&mut live, &mut split, &mut cps, secs(t));
            assert_eq!(live.now(), secs(t));
            assert!(
                replayed <= bound,
                "seek to {t}s replayed {replayed} > {bound}"
            );
        }
        let replayed = seek(&mut live, &mut split, &mut cps, end);
        assert!(replayed <= bound, "seek to the end replayed {replayed}");
        assert_eq!((live.steps(), live.trace_hash()), (total, hash));
    }
}
