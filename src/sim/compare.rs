//! The split view's engine: two setups (queue × controller × limiter; by default the buggy
//! and the fixed controller) on the same seeded world and the same inputs, in lockstep on one
//! clock, and the differences that matter between them.
//!
//! Both sides run the scenario with only their [`Setup`] changed (same seed, so the informer's
//! creates, changes and deletes are identical). Inputs are replayed at their recorded instant
//! (not their step: the two worlds take different numbers of steps to get there); inputs that
//! change the queue, the policy or the limiter are skipped, because those are what is compared.
//!
//! A comparison opened late (or after a seek back) starts at t=0 and has hours to catch up:
//! [`Compare::sync_bounded`] does that a bounded number of steps at a time, so the page stays
//! responsive and can show the progress. Slicing the run changes nothing in either world.

use crate::sim::duration::format_duration;
use crate::sim::events::EventKind;
use crate::sim::input::{Input, RecordedInput};
use crate::sim::leaks::group;
use crate::sim::limiter::LimiterConfig;
use crate::sim::policy::Policy;
use crate::sim::queue_model::QueueKind;
use crate::sim::scenario::{Scenario, ScenarioError};
use crate::sim::world::Sim;
use crate::workqueue::Time;

/// What one side runs: the queue, the controller's policy (client-go's queue only: with
/// controller-runtime's, `reconcileHandler` makes the calls) and the rate limiter.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    /// The work queue.
    pub queue: QueueKind,
    /// The hand-written controller's calls (unused by the priority queue's handler).
    pub policy: Policy,
    /// The rate limiter.
    pub limiter: LimiterConfig,
}

impl Setup {
    /// The seed story's controller on `scenario`'s queue and limiter.
    pub fn buggy(scenario: &Scenario) -> Setup {
        Setup {
            queue: scenario.queue,
            policy: Policy::Buggy,
            limiter: scenario.limiter.clone(),
        }
    }

    /// sample-controller's pattern (no retry cap) on `scenario`'s queue and limiter.
    pub fn fixed(scenario: &Scenario) -> Setup {
        Setup {
            policy: Policy::Fixed { max_requeues: None },
            ..Setup::buggy(scenario)
        }
    }

    /// A short name for headings and chips, e.g. "client-go, buggy controller".
    pub fn name(&self) -> String {
        let controller = match (&self.queue, &self.policy) {
            (QueueKind::ControllerRuntime, _) => "reconcileHandler",
            (_, Policy::Buggy) => "buggy controller",
            (_, Policy::Fixed { .. }) => "fixed controller",
            (_, Policy::Custom(_)) => "custom controller",
        };
        let queue = match self.queue {
            QueueKind::ClientGo => "client-go",
            QueueKind::ControllerRuntime => "priority queue",
        };
        format!("{queue}, {controller}")
    }

    /// The scenario this side runs: `base` with this setup.
    fn scenario(&self, base: &Scenario) -> Scenario {
        Scenario {
            queue: self.queue,
            policy: self.policy.clone(),
            limiter: self.limiter.clone(),
            ..base.clone()
        }
    }
}

/// One side of the comparison.
pub struct Side {
    /// What it runs.
    pub setup: Setup,
    /// The world.
    pub sim: Sim,
    /// When it was first OOM-killed, if it was.
    pub first_oom: Option<Time>,
    seen_kills: u64,
    /// Recorded inputs this side has reached (applied, or skipped as policy changes).
    applied: usize,
}

impl Side {
    fn new(base: &Scenario, setup: Setup) -> Result<Side, ScenarioError> {
        Ok(Side {
            sim: Sim::new(setup.scenario(base))?,
            setup,
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
            if !matches!(
                r.input,
                Input::SetPolicy(_) | Input::SetQueue(_) | Input::SetLimiter(_)
            ) {
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
    /// The left side's value.
    pub left: String,
    /// The right side's value.
    pub right: String,
    /// Whether the left side is worse (greater) on this measure.
    pub left_worse: bool,
    /// Whether the right side is worse (greater) on this measure.
    pub right_worse: bool,
}

/// Two setups side by side.
pub struct Compare {
    /// The left side (by default the buggy controller).
    pub left: Side,
    /// The right side (by default the fixed controller).
    pub right: Side,
    source: Scenario,
}

impl Compare {
    /// The buggy and the fixed controller on `scenario`, at t=0.
    pub fn new(scenario: &Scenario) -> Result<Compare, ScenarioError> {
        Compare::between(scenario, Setup::buggy(scenario), Setup::fixed(scenario))
    }

    /// `left` and `right` on `scenario`'s seed and events, at t=0.
    pub fn between(
        scenario: &Scenario,
        left: Setup,
        right: Setup,
    ) -> Result<Compare, ScenarioError> {
        Ok(Compare {
            left: Side::new(scenario, left)?,
            right: Side::new(scenario, right)?,
            source: scenario.clone(),
        })
    }

    /// Whether this comparison runs exactly these setups.
    pub fn runs(&self, left: &Setup, right: &Setup) -> bool {
        &self.left.setup == left && &self.right.setup == right
    }

    /// The scenario both sides were built from.
    pub fn source(&self) -> &Scenario {
        &self.source
    }

    /// The shared clock (while catching up, the side that is behind).
    pub fn now(&self) -> Time {
        self.left.sim.now().min(self.right.sim.now())
    }

    /// Whether this comparison can follow a run of `scenario` to `t` with `inputs` (same
    /// scenario, the clock not behind us, and the inputs applied so far unchanged).
    pub fn can_follow(&self, scenario: &Scenario, t: Time, applied_prefix: usize) -> bool {
        &self.source == scenario
            && t >= self.left.sim.now().max(self.right.sim.now())
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
        let (mut l, mut r) = (max_steps, max_steps);
        let left = self.left.advance(t, inputs, &mut l);
        let right = self.right.advance(t, inputs, &mut r);
        left && right
    }

    /// Inputs both sides have reached.
    pub fn applied(&self) -> usize {
        self.left.applied.min(self.right.applied)
    }

    /// The difference chips: failures map size, longest wait, OOM kills, memory.
    pub fn chips(&self) -> Vec<Chip> {
        let (b, f) = (&self.left.sim, &self.right.sim);
        let (bm, fm) = (b.failures_len() as u64, f.failures_len() as u64);
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
        let chip = |label, left, right, l: u128, r: u128| Chip {
            label,
            left,
            right,
            left_worse: l > r,
            right_worse: r > l,
        };
        vec![
            chip("failures map", group(bm), group(fm), bm.into(), fm.into()),
            chip(
                "max wait",
                format_duration(bw),
                format_duration(fw),
                bw.as_nanos(),
                fw.as_nanos(),
            ),
            chip(
                "OOM kills",
                oom(&self.left),
                oom(&self.right),
                bk.into(),
                fk.into(),
            ),
            chip(
                "peak memory",
                crate::sim::memory::format_bytes(bp),
                crate::sim::memory::format_bytes(fp),
                bp.into(),
                fp.into(),
            ),
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
        assert_eq!(c.left.sim.now(), c.right.sim.now());
        // Same seed, same informer: the same objects exist on both sides.
        assert_eq!(c.left.sim.live_keys(), c.right.sim.live_keys());
        let chips = c.chips();
        let map = chips.first().expect("map chip");
        assert!(map.left_worse, "{chips:?}");
        assert!(c.left.sim.failures_len() > 5 * c.right.sim.failures_len().max(1));
        assert!(chips.iter().any(|c| c.label == "max wait" && c.left_worse));
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
        for side in [&c.left, &c.right] {
            assert_eq!(side.sim.queue().num_requeues(&"default/a".into()), 1);
        }
        assert_eq!(c.right.sim.policy(), &Policy::Fixed { max_requeues: None });
        assert!(c.can_follow(&s, secs(4), 2));
        assert!(!c.can_follow(&s, secs(2), 2), "the clock cannot go back");
    }

    #[test]
    fn any_two_setups_client_go_vs_the_priority_queue_on_the_same_herd() {
        let s = preset("manual").expect("manual");
        let left = Setup {
            limiter: LimiterConfig::DefaultController,
            ..Setup::buggy(&s)
        };
        let right = Setup {
            queue: QueueKind::ControllerRuntime,
            limiter: LimiterConfig::ItemExponential {
                base: std::time::Duration::from_millis(5),
                max: std::time::Duration::from_secs(1000),
            },
            ..Setup::buggy(&s)
        };
        let mut c = Compare::between(&s, left.clone(), right.clone()).expect("compare");
        assert!(c.runs(&left, &right));
        let inputs = vec![RecordedInput {
            step: 0,
            at_ns: secs(1).as_nanos(),
            input: Input::Herd { count: 200 },
        }];
        c.sync(secs(2), &inputs);
        assert_eq!(c.left.sim.queue_kind(), QueueKind::ClientGo);
        assert_eq!(c.right.sim.queue_kind(), QueueKind::ControllerRuntime);
        let wait = c
            .chips()
            .into_iter()
            .find(|c| c.label == "max wait")
            .expect("chip");
        // 200 failures at one instant: the bucket (burst 100, 10 qps) puts the 200th 10 s
        // out on client-go's default limiter; the priority queue's exponential-only one
        // gives every fresh key its first 5 ms.
        assert_eq!((wait.left.as_str(), wait.right.as_str()), ("10s", "5ms"));
        assert!(wait.left_worse && !wait.right_worse);
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
        for (a, b) in [(&whole.left, &sliced.left), (&whole.right, &sliced.right)] {
            assert_eq!(a.sim.now(), b.sim.now());
            assert_eq!(a.sim.steps(), b.sim.steps());
            assert_eq!(a.sim.trace_hash(), b.sim.trace_hash());
            assert_eq!(a.first_oom, b.first_oom);
        }
        assert_eq!(sliced.applied(), 1);
        assert_eq!(sliced.chips(), whole.chips());
    }
}
