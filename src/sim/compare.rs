//! The split view's engine: the buggy and the fixed controller on the same seeded world and
//! the same inputs, in lockstep on one clock, and the differences that matter between them.
//!
//! Both sides run the scenario with only the policy changed (same seed, so the informer's
//! creates, changes and deletes are identical). Inputs are replayed at their recorded instant
//! (not their step: the two worlds take different numbers of steps to get there); inputs that
//! change the policy are skipped, because the policy is what is compared.

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
}

impl Side {
    fn new(scenario: Scenario) -> Result<Side, ScenarioError> {
        Ok(Side {
            sim: Sim::new(scenario)?,
            first_oom: None,
            seen_kills: 0,
        })
    }

    fn run_until(&mut self, t: Time) {
        self.sim.run_until(t);
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
    applied: usize,
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
            applied: 0,
        })
    }

    /// The scenario both sides were built from.
    pub fn source(&self) -> &Scenario {
        &self.source
    }

    /// The shared clock.
    pub fn now(&self) -> Time {
        self.buggy.sim.now()
    }

    /// Whether this comparison can follow a run of `scenario` to `t` with `inputs` (same
    /// scenario, the clock not behind us, and the inputs applied so far unchanged).
    pub fn can_follow(&self, scenario: &Scenario, t: Time, applied_prefix: usize) -> bool {
        &self.source == scenario && t >= self.now() && applied_prefix >= self.applied
    }

    /// Runs both sides to `t`, applying the inputs recorded up to then at their instants.
    /// Refused inputs (one side may refuse what the other accepts) change nothing there.
    pub fn sync(&mut self, t: Time, inputs: &[RecordedInput]) {
        while let Some(r) = inputs.get(self.applied) {
            let at = Time::from_nanos(r.at_ns);
            if at > t {
                break;
            }
            self.applied += 1;
            if matches!(r.input, Input::SetPolicy(_)) {
                continue;
            }
            for side in [&mut self.buggy, &mut self.fixed] {
                side.run_until(at);
                let _ = side.sim.apply(r.input.clone());
            }
        }
        self.buggy.run_until(t);
        self.fixed.run_until(t);
    }

    /// Inputs applied so far.
    pub fn applied(&self) -> usize {
        self.applied
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
}
