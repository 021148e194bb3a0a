//! The split view's engine: the buggy and the fixed controller on the same seeded world and
//! the same inputs, in lockstep on one clock, and the differences that matter between them.
//!
//! Both sides run the scenario with only the policy changed (same seed, so the informer's
//! creates, changes and deletes are identical). Inputs are replayed at their recorded instant
//! (not their step: the two worlds take different numbers of steps to get there); inputs that
//! change the policy are skipped, because the policy is what is compared.
//!
//! A comparison opened late (or after a seek back) starts at t=0 and has hours to catch up:
//! [`Compare::sync_bounded`] does that a bounded number of steps at a time, so the page stays
//! responsive and can show the progress. Slicing the run changes nothing in either world.

use crate::sim::duration::format_duration;
use crate::sim::events::EventKind;
use crate::sim::input::{Input, RecordedInput};
use crate::sim::leaks::group;
use crate::sim::policy::Policy;
use crate::sim::scenario::{Scenario, ScenarioError};
use crate::sim::world::Sim;
use crate::workqueue::Time;

/// One side of the comparison.
pub struct Side {
    /// The world.
    pub sim: Sim,
    /// When it was first OOM-killed, if it was.
    pub first_oom: Option<Time>,
    seen_kills: u64,
    /// Recorded inputs this side has reached (applied, or skipped as policy changes).
    applied: usize,
}

impl Side {
    fn new(scenario: Scenario) -> Result<Side, ScenarioError> {
        Ok(Side {
            sim: Sim::new(scenario)?,
            first_oom: None,
            seen_kills: 0,
            applied: 0,
        })
    }

    /// Runs toward `t`, applying the inputs recorded up to then at their instants, taking at
    /// most `budget` steps (what it takes is subtracted). Whether it reached `t`.
    fn advance(&mut self, t: Time, inputs: &[RecordedInput], budget: &mut u64) -> bool {
        loop {
            let next = inputs
                .get(self.applied)
                .filter(|r| Time::from_nanos(r.at_ns) <= t);
            let until = next.map_or(t, |r| Time::from_nanos(r.at_ns));
            if !self.run_bounded(until, budget) {
                return false;
            }
            let Some(r) = next else {
                return true;
            };
            self.applied += 1;
            // Refused inputs (one side may refuse what the other accepts) change nothing.
            if !matches!(r.input, Input::SetPolicy(_)) {
                let _ = self.sim.apply(r.input.clone());
            }
        }
    }

    /// [`Sim::run_until_within`], noting an OOM kill on the way.
    fn run_bounded(&mut self, until: Time, budget: &mut u64) -> bool {
        let reached = self.sim.run_until_within(until, budget);
        self.note_kills(self.sim.now());
        reached
    }

    /// Records the first OOM kill, at its exact instant if the recent ring still holds it.
    fn note_kills(&mut self, t: Time) {
        let kills = self.sim.memory().oom_kills;
        if kills > self.seen_kills && self.first_oom.is_none() {
            // The kill's exact instant, if the recent ring still holds it.
            let at = self.sim.events().find_map(|e| match e.kind {
                EventKind::OomKilled { .. } => Some(e.at),
                _ => None,
            });
            self.first_oom = Some(at.unwrap_or(t));
        }
        self.seen_kills = kills;
    }
}

/// A difference chip: one measure, both values, and which side is worse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chip {
    /// What is measured.
    pub label: &'static str,
    /// The buggy side's value.
    pub buggy: String,
    /// The fixed side's value.
    pub fixed: String,
    /// Whether the buggy side is worse on this measure.
    pub buggy_worse: bool,
}

/// The buggy and the fixed controller side by side.
pub struct Compare {
    /// `Policy::Buggy`.
    pub buggy: Side,
    /// `Policy::Fixed` without a retry cap.
    pub fixed: Side,
    source: Scenario,
}

impl Compare {
    /// Both sides of `scenario` at t=0.
    pub fn new(scenario: &Scenario) -> Result<Compare, ScenarioError> {
        let with = |policy: Policy| Scenario {
            policy,
            ..scenario.clone()
        };
        Ok(Compare {
            buggy: Side::new(with(Policy::Buggy))?,
            fixed: Side::new(with(Policy::Fixed { max_requeues: None }))?,
            source: scenario.clone(),
        })
    }

    /// The scenario both sides were built from.
    pub fn source(&self) -> &Scenario {
        &self.source
    }

    /// The shared clock (while catching up, the side that is behind).
    pub fn now(&self) -> Time {
        self.buggy.sim.now().min(self.fixed.sim.now())
    }

    /// Whether this comparison can follow a run of `scenario` to `t` with `inputs` (same
    /// scenario, the clock not behind us, and the inputs applied so far unchanged).
    pub fn can_follow(&self, scenario: &Scenario, t: Time, applied_prefix: usize) -> bool {
        &self.source == scenario
            && t >= self.buggy.sim.now().max(self.fixed.sim.now())
            && applied_prefix >= self.applied()
    }

    /// Runs both sides to `t`, applying the inputs recorded up to then at their instants.
    /// Refused inputs (one side may refuse what the other accepts) change nothing there.
    pub fn sync(&mut self, t: Time, inputs: &[RecordedInput]) {
        self.sync_bounded(t, inputs, u64::MAX);
    }

    /// Like [`sync`](Self::sync), but each side takes at most `max_steps` steps; call again
    /// until it returns true (both sides at `t`). The worlds end up exactly as one `sync`
    /// would leave them.
    pub fn sync_bounded(&mut self, t: Time, inputs: &[RecordedInput], max_steps: u64) -> bool {
        let (mut b, mut f) = (max_steps, max_steps);
        let buggy = self.buggy.advance(t, inputs, &mut b);
        let fixed = self.fixed.advance(t, inputs, &mut f);
        buggy && fixed
    }

    /// Inputs both sides have reached.
    pub fn applied(&self) -> usize {
        self.buggy.applied.min(self.fixed.applied)
    }

    /// The difference chips: failures map size, longest wait, OOM kills, memory.
    pub fn chips(&self) -> Vec<Chip> {
        let (b, f) = (&self.buggy.sim, &self.fixed.sim);
        let (bm, fm) = (
            b.queue().limiter().failures_len() as u64,
            f.queue().limiter().failures_len() as u64,
        );
        let oom = |s: &Side| match s.first_oom {
            None => "never".to_string(),
            Some(t) => format!(
                "{}× (first at {})",
                group(s.sim.memory().oom_kills),
                format_duration(t.since_epoch())
            ),
        };
        let (bw, fw) = (b.max_backoff(), f.max_backoff());
        let (bk, fk) = (b.memory().oom_kills, f.memory().oom_kills);
        let (bp, fp) = (b.memory().peak_bytes, f.memory().peak_bytes);
        vec![
            Chip {
                label: "failures map",
                buggy: group(bm),
                fixed: group(fm),
                buggy_worse: bm > fm,
            },
            Chip {
                label: "max wait",
                buggy: format_duration(bw),
                fixed: format_duration(fw),
                buggy_worse: bw > fw,
            },
            Chip {
                label: "OOM kills",
                buggy: oom(&self.buggy),
                fixed: oom(&self.fixed),
                buggy_worse: bk > fk,
            },
            Chip {
                label: "peak memory",
                buggy: crate::sim::memory::format_bytes(bp),
                fixed: crate::sim::memory::format_bytes(fp),
                buggy_worse: bp > fp,
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;

    fn secs(n: u64) -> Time {
        Time::from_nanos(n * 1_000_000_000)
    }

    #[test]
    fn seed_oom_buggy_side_has_the_larger_map_on_the_same_events() {
        let s = preset("seed-oom").expect("preset");
        let mut c = Compare::new(&s).expect("compare");
        c.sync(secs(300), &[]);
        assert_eq!(c.buggy.sim.now(), c.fixed.sim.now());
        // Same seed, same informer: the same objects exist on both sides.
        assert_eq!(c.buggy.sim.live_keys(), c.fixed.sim.live_keys());
        let chips = c.chips();
        let map = chips.first().expect("map chip");
        assert!(map.buggy_worse, "{chips:?}");
        assert!(
            c.buggy.sim.queue().limiter().failures_len()
                > 5 * c.fixed.sim.queue().limiter().failures_len().max(1)
        );
        assert!(chips.iter().any(|c| c.label == "max wait" && c.buggy_worse));
    }

    #[test]
    fn inputs_apply_on_both_sides_at_their_instant_and_policy_changes_are_skipped() {
        let s = preset("manual").expect("manual");
        let mut c = Compare::new(&s).expect("compare");
        let inputs = vec![
            RecordedInput {
                step: 0,
                at_ns: secs(1).as_nanos(),
                input: Input::Fail("default/a".into()),
            },
            RecordedInput {
                step: 0,
                at_ns: secs(2).as_nanos(),
                input: Input::SetPolicy(Policy::Buggy),
            },
        ];
        c.sync(secs(3), &inputs);
        assert_eq!(c.applied(), 2);
        for side in [&c.buggy, &c.fixed] {
            assert_eq!(side.sim.queue().num_requeues(&"default/a".into()), 1);
        }
        assert_eq!(c.fixed.sim.policy(), &Policy::Fixed { max_requeues: None });
        assert!(c.can_follow(&s, secs(4), 2));
        assert!(!c.can_follow(&s, secs(2), 2), "the clock cannot go back");
    }

    #[test]
    fn catching_up_a_few_steps_at_a_time_ends_exactly_where_one_sync_does() {
        let s = preset("seed-oom").expect("preset");
        let inputs = vec![RecordedInput {
            step: 0,
            at_ns: secs(90).as_nanos(),
            input: Input::Fail("default/by-hand".into()),
        }];
        let mut whole = Compare::new(&s).expect("compare");
        whole.sync(secs(200), &inputs);
        let mut sliced = Compare::new(&s).expect("compare");
        let mut calls = 0;
        while !sliced.sync_bounded(secs(200), &inputs, 500) {
            calls += 1;
            assert!(sliced.now() < secs(200));
            assert!(
                sliced.can_follow(&s, secs(200), 1),
                "a catch-up is followed on"
            );
        }
        assert!(
            calls > 10,
            "200 s of seed-oom is thousands of steps: {calls} slices"
        );
        for (a, b) in [(&whole.buggy, &sliced.buggy), (&whole.fixed, &sliced.fixed)] {
            assert_eq!(a.sim.now(), b.sim.now());
            assert_eq!(a.sim.steps(), b.sim.steps());
            assert_eq!(a.sim.trace_hash(), b.sim.trace_hash());
            assert_eq!(a.first_oom, b.first_oom);
        }
        assert_eq!(sliced.applied(), 1);
        assert_eq!(sliced.chips(), whole.chips());
    }
}
