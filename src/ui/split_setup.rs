//! The split view's pickers: for each side, a queue, a controller and a limiter, so any two
//! setups can be compared on the same seed and events (client-go vs the priority queue on the
//! same storm, the default limiter vs controller-runtime's exponential-only one, …).

use std::time::Duration;

use crate::sim::compare::Setup;
use crate::sim::{LimiterConfig, Policy, QueueKind, Scenario};

/// The hand-written controller of a client-go side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControllerChoice {
    /// `AddRateLimited` on change, never `Forget` (the seed story).
    Buggy,
    /// `Add` on change, `Forget` on success (sample-controller).
    Fixed,
}

impl ControllerChoice {
    /// In picker order.
    pub const ALL: [ControllerChoice; 2] = [ControllerChoice::Buggy, ControllerChoice::Fixed];

    /// `<option>` value.
    pub fn value(self) -> &'static str {
        match self {
            ControllerChoice::Buggy => "buggy",
            ControllerChoice::Fixed => "fixed",
        }
    }

    /// `<option>` text.
    pub fn label(self) -> &'static str {
        match self {
            ControllerChoice::Buggy => "Buggy: AddRateLimited on change, never Forget",
            ControllerChoice::Fixed => "Fixed: Add on change, Forget on success",
        }
    }

    fn policy(self) -> Policy {
        match self {
            ControllerChoice::Buggy => Policy::Buggy,
            ControllerChoice::Fixed => Policy::Fixed { max_requeues: None },
        }
    }
}

/// The limiter of a side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimiterChoice {
    /// Whatever the scenario runs now.
    Scenario,
    /// client-go's `DefaultTypedControllerRateLimiter` (exponential and the 10 qps bucket).
    DefaultController,
    /// controller-runtime's default for the priority queue: exponential 5 ms…1000 s only.
    ExponentialOnly,
    /// `DefaultTypedItemBasedRateLimiter`: exponential 1 ms…1000 s.
    DefaultItemBased,
}

impl LimiterChoice {
    /// In picker order.
    pub const ALL: [LimiterChoice; 4] = [
        LimiterChoice::Scenario,
        LimiterChoice::DefaultController,
        LimiterChoice::ExponentialOnly,
        LimiterChoice::DefaultItemBased,
    ];

    /// `<option>` value.
    pub fn value(self) -> &'static str {
        match self {
            LimiterChoice::Scenario => "scenario",
            LimiterChoice::DefaultController => "default_controller",
            LimiterChoice::ExponentialOnly => "exponential",
            LimiterChoice::DefaultItemBased => "default_item_based",
        }
    }

    /// `<option>` text.
    pub fn label(self) -> &'static str {
        match self {
            LimiterChoice::Scenario => "The scenario's limiter",
            LimiterChoice::DefaultController => {
                "DefaultControllerRateLimiter (exponential + 10 qps bucket)"
            }
            LimiterChoice::ExponentialOnly => {
                "ItemExponential(5ms, 1000s) only (controller-runtime's default)"
            }
            LimiterChoice::DefaultItemBased => "DefaultItemBasedRateLimiter (1ms…1000s)",
        }
    }

    fn config(self, scenario: &Scenario) -> LimiterConfig {
        match self {
            LimiterChoice::Scenario => scenario.limiter.clone(),
            LimiterChoice::DefaultController => LimiterConfig::DefaultController,
            LimiterChoice::ExponentialOnly => LimiterConfig::ItemExponential {
                base: Duration::from_millis(5),
                max: Duration::from_secs(1000),
            },
            LimiterChoice::DefaultItemBased => LimiterConfig::DefaultItemBased,
        }
    }
}

/// What one side of the split view runs, as picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SideChoice {
    /// The queue.
    pub queue: QueueKind,
    /// The controller (client-go's queue only).
    pub controller: ControllerChoice,
    /// The limiter.
    pub limiter: LimiterChoice,
}

impl SideChoice {
    /// The default comparison: on client-go's queue, the buggy and the fixed controller; on
    /// controller-runtime's (where the controller choice does not apply), client-go's fixed
    /// controller against the priority queue. Both on the scenario's limiter.
    pub fn defaults(scenario: &Scenario) -> (SideChoice, SideChoice) {
        let buggy = SideChoice {
            queue: QueueKind::ClientGo,
            controller: ControllerChoice::Buggy,
            limiter: LimiterChoice::Scenario,
        };
        let fixed = SideChoice {
            controller: ControllerChoice::Fixed,
            ..buggy
        };
        match scenario.queue {
            QueueKind::ClientGo => (buggy, fixed),
            QueueKind::ControllerRuntime => (
                fixed,
                SideChoice {
                    queue: QueueKind::ControllerRuntime,
                    ..fixed
                },
            ),
        }
    }

    /// The setup this choice runs on `scenario`.
    pub fn setup(self, scenario: &Scenario) -> Setup {
        Setup {
            queue: self.queue,
            policy: self.controller.policy(),
            limiter: self.limiter.config(scenario),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_buggy_vs_fixed_on_the_scenarios_queue_and_limiter() {
        let s = crate::sim::preset("seed-oom").expect("preset");
        let (l, r) = SideChoice::defaults(&s);
        assert_eq!(l.setup(&s), Setup::buggy(&s));
        assert_eq!(r.setup(&s), Setup::fixed(&s));
        let cr = crate::sim::preset("cr-terminal-leak").expect("preset");
        let (l, r) = SideChoice::defaults(&cr);
        assert_eq!(
            (l.queue, r.queue),
            (QueueKind::ClientGo, QueueKind::ControllerRuntime)
        );
        assert_ne!(l.setup(&cr), r.setup(&cr), "two different worlds");
        for c in LimiterChoice::ALL {
            assert_eq!(
                LimiterChoice::ALL.iter().find(|x| x.value() == c.value()),
                Some(&c)
            );
        }
    }
}
