//! The page's timeline: seek anywhere, keep the recorded future while you look at the past,
//! replay it as the clock moves on, fork it when you act in the past, and undo.
//!
//! The UI keeps one live [`Sim`] that its clock drives frame by frame. This module adds what
//! history needs around it, by the same rule as [`crate::sim::History`]: a world is a pure
//! function of (scenario, recorded inputs), and a recorded input is re-applied at exactly the
//! step and instant it was first applied. Seeking back replays from t=0 through `History`.

use crate::sim::history::History;
use crate::sim::input::RecordedInput;
use crate::sim::scenario::Scenario;
use crate::sim::share::ShareState;
use crate::sim::world::Sim;
use crate::workqueue::Time;

/// Inputs split at the cursor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    /// Applied in the world at the cursor, in order.
    pub applied: Vec<RecordedInput>,
    /// Recorded after the cursor, in order (re-applied as the clock reaches them).
    pub future: Vec<RecordedInput>,
}

/// One undoable act: how many inputs were applied before it, and the future it discarded.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoEntry {
    /// `applied.len()` before the act.
    pub applied_before: usize,
    /// The recorded future the act forked away.
    pub dropped_future: Vec<RecordedInput>,
}

/// Whether `input` is due now in `sim`: recorded at this step, at or before `t`.
fn due(sim: &Sim, input: &RecordedInput, t: Time) -> bool {
    input.step <= sim.steps() && Time::from_nanos(input.at_ns) <= t
}

/// Re-applies future inputs due by `t` (at their recorded step and instant), moving them
/// from `future` to `applied`. Call before stepping or running the clock.
pub fn apply_due(sim: &mut Sim, split: &mut Split, t: Time) {
    while let Some(next) = split.future.first() {
        if Time::from_nanos(next.at_ns) > t {
            return;
        }
        // Bring the world to the input's step and instant, then apply it.
        sim.run_to_step(next.step, Time::from_nanos(next.at_ns));
        if !due(sim, next, t) {
            return;
        }
        let input = split.future.remove(0);
        // Accepted when first recorded; a refusal now (a hand-edited link) changes nothing.
        let _ = sim.apply(input.input.clone());
        split.applied.push(input);
    }
}

/// Runs `sim` to `t`, re-applying the recorded future on the way.
pub fn run_until(sim: &mut Sim, split: &mut Split, t: Time) {
    apply_due(sim, split, t);
    sim.run_until(t);
}

/// Re-applies future inputs recorded at the current step (or before it), without
/// processing any happening: what must run before the next single step.
pub fn apply_at_step(sim: &mut Sim, split: &mut Split) {
    while split.future.first().is_some_and(|i| i.step <= sim.steps()) {
        let input = split.future.remove(0);
        sim.run_to_step(input.step, Time::from_nanos(input.at_ns));
        let _ = sim.apply(input.input.clone());
        split.applied.push(input);
    }
}

/// One happening, after the inputs recorded before it.
pub fn step(sim: &mut Sim, split: &mut Split) -> Option<Time> {
    apply_at_step(sim, split);
    sim.step()
}

/// Runs until the delaying heap releases its earliest item (exactly `min(readyAt)`),
/// re-applying recorded inputs on the way. `None` if nothing is waiting.
pub fn skip_to_next_due(sim: &mut Sim, split: &mut Split) -> Option<Time> {
    loop {
        apply_at_step(sim, split);
        sim.queue().next_ready_at()?;
        let release = sim.next_is_release();
        let at = sim.step()?;
        if release {
            return Some(at);
        }
    }
}

/// The world of `scenario` with `inputs` at `cursor`, and the inputs split there.
pub fn replay(
    scenario: &Scenario,
    inputs: &[RecordedInput],
    cursor: Time,
) -> Result<(Sim, Split), String> {
    let share = ShareState {
        scenario: scenario.clone(),
        inputs: inputs.to_vec(),
        cursor_ns: cursor.as_nanos(),
    };
    let history = History::from_share(&share).map_err(|e| e.to_string())?;
    let sim = history.live().snapshot();
    let n = inputs
        .iter()
        .take_while(|i| i.at_ns <= cursor.as_nanos() && i.step <= sim.steps())
        .count();
    Ok((
        sim,
        Split {
            applied: inputs.get(..n).unwrap_or_default().to_vec(),
            future: inputs.get(n..).unwrap_or_default().to_vec(),
        },
    ))
}

/// Takes back the last act: drops the inputs it added, restores the future it discarded,
/// and rebuilds the world at `cursor`.
pub fn undo(
    scenario: &Scenario,
    split: &Split,
    entry: UndoEntry,
    cursor: Time,
) -> Result<(Sim, Split), String> {
    let mut all: Vec<RecordedInput> = split
        .applied
        .get(..entry.applied_before)
        .unwrap_or(&split.applied)
        .to_vec();
    all.extend(entry.dropped_future);
    replay(scenario, &all, cursor)
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
    fn seeking_back_then_running_forward_reproduces_the_same_trace() {
        let (s, sim, inputs) = recorded();
        let (mut past, mut split) = replay(&s, &inputs, secs(5)).expect("replay");
        assert_eq!(past.now(), secs(5));
        assert_eq!((split.applied.len(), split.future.len()), (1, 1));
        run_until(&mut past, &mut split, secs(20));
        assert!(split.future.is_empty());
        assert_eq!(past.trace_hash(), sim.trace_hash());
    }

    #[test]
    fn acting_in_the_past_forks_and_undo_restores_the_future() {
        let (s, sim, inputs) = recorded();
        let (mut past, split) = replay(&s, &inputs, secs(5)).expect("replay");
        // Fork: act at t=5s; the recorded future (the t=7s change) is discarded.
        let entry = UndoEntry {
            applied_before: split.applied.len(),
            dropped_future: split.future.clone(),
        };
        past.apply(Input::Forget("default/x".into()))
            .expect("forget");
        let mut forked = Split {
            applied: split.applied.clone(),
            future: Vec::new(),
        };
        forked.applied.push(RecordedInput {
            step: past.steps(),
            at_ns: past.now().as_nanos(),
            input: Input::Forget("default/x".into()),
        });
        run_until(&mut past, &mut forked, secs(20));
        assert_ne!(past.trace_hash(), sim.trace_hash(), "the future changed");
        // Undo at t=20s: the original run comes back.
        let (back, restored) = undo(&s, &forked, entry, secs(20)).expect("undo");
        assert_eq!(restored.applied, inputs);
        assert_eq!(back.trace_hash(), sim.trace_hash());
    }
}
