//! The split view's two worlds, owned by the app state: two setups (by default the buggy and
//! the fixed controller; any queue × controller × limiter per side) on the page's seed and
//! inputs, following the page's clock.
//!
//! The state advances them on its one driver, the frame action: opened late, or after a seek
//! back, both worlds start at t=0 and catch up a slice per frame, with the progress shown, so
//! the page never freezes for the seconds an hours-long replay takes. The split view component
//! only draws [`SplitValues`].

use std::cell::RefCell;
use std::rc::Rc;

use crate::sim::compare::{Chip, Compare, Setup};
use crate::sim::{RecordedInput, Scenario, Sim, Time};
use crate::ui::components::chart_model::ChartData;
use crate::ui::components::charts::chart_data;
use crate::ui::split_setup::SideChoice;

/// Steps each side takes in the first catch-up slice (about 4 ms of wasm for seed-oom on a
/// slow machine); later slices take more or fewer to keep frames within
/// [`RESTORE_FRAME_MS`](crate::ui::state::RESTORE_FRAME_MS). At 45 steps per virtual second
/// that is several thousand times real time, so a catch-up overtakes even a clock playing at
/// 1000×.
pub const CATCH_UP_STEPS: u64 = 4_000;

/// One side's headline numbers and its two charts (failures map, memory).
#[derive(Clone, Debug, PartialEq)]
pub struct SideView {
    /// `left` or `right`.
    pub id: &'static str,
    /// The setup's name ("client-go workqueue · buggy controller · …").
    pub title: String,
    /// The limiter, described.
    pub limiter: String,
    /// `len(failures)` (the per-item limiter's map).
    pub failures: u64,
    /// Objects that exist.
    pub live: u64,
    /// Failures-map entries of objects that no longer exist.
    pub orphans: u64,
    /// Estimated memory.
    pub memory: u64,
    /// The failures-map and memory charts, on the scale both sides share.
    pub charts: Vec<Rc<ChartData>>,
}

/// What the split view shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum SplitValues {
    /// Closed: no worlds run.
    #[default]
    Closed,
    /// The scenario cannot be run with these setups.
    Unsplittable,
    /// Both worlds are replaying from t=0 towards the page's clock.
    CatchingUp {
        /// Where the slower side has come to.
        done: Time,
        /// The page's clock.
        goal: Time,
    },
    /// Both worlds at the page's clock.
    Ready {
        /// The page's clock.
        now: Time,
        /// The difference chips, left vs right.
        chips: Vec<Chip>,
        /// The left side.
        left: Box<SideView>,
        /// The right side.
        right: Box<SideView>,
    },
}

/// The split view's state: open or not, the setups picked, and the two worlds.
#[derive(Clone, Default)]
pub struct SplitRun {
    /// Whether the split view is open (closed, no world runs).
    pub open: bool,
    /// The setups picked; `None`: the defaults for the running scenario (buggy vs fixed).
    picked: Option<(SideChoice, SideChoice)>,
    /// The two worlds (shared by the state's cheap clones; only the reducer advances them).
    compare: Option<Rc<RefCell<Compare>>>,
    /// What the view shows, rebuilt whenever the worlds move.
    pub values: Rc<SplitValues>,
}

impl SplitRun {
    /// The setups the pickers show for a run of `scenario`.
    pub fn choices(&self, scenario: &Scenario) -> (SideChoice, SideChoice) {
        self.picked
            .unwrap_or_else(|| SideChoice::defaults(scenario))
    }

    /// Opens or closes the view; closing drops both worlds.
    pub fn toggle(&mut self) {
        self.open = !self.open;
        if !self.open {
            self.compare = None;
            self.values = Rc::new(SplitValues::Closed);
        }
    }

    /// Picks the two setups (the worlds restart from t=0 on the next [`follow`](Self::follow)).
    pub fn pick(&mut self, left: SideChoice, right: SideChoice) {
        self.picked = Some((left, right));
    }

    /// Whether the worlds are still catching up with the page's clock.
    pub fn catching_up(&self) -> bool {
        matches!(*self.values, SplitValues::CatchingUp { .. })
    }

    /// Brings both worlds towards `sim`'s clock (each side at most `max_steps` steps, applying
    /// `inputs` at their instants) and rebuilds the values; a new run, new setups or a clock
    /// that went back start them again from t=0. Nothing runs while the view is closed.
    pub fn follow(&mut self, sim: &Sim, inputs: &[RecordedInput], max_steps: u64) {
        if !self.open {
            return;
        }
        let (scenario, now) = (sim.scenario(), sim.now());
        let (left, right) = self.choices(scenario);
        let (left, right) = (left.setup(scenario), right.setup(scenario));
        let follows = self.compare.as_ref().is_some_and(|c| {
            let c = c.borrow();
            c.runs(&left, &right) && c.can_follow(scenario, now, inputs.len())
        });
        if !follows {
            self.compare = Compare::between(scenario, left, right)
                .ok()
                .map(|c| Rc::new(RefCell::new(c)));
        }
        let values = match &self.compare {
            None => SplitValues::Unsplittable,
            Some(c) => {
                let mut c = c.borrow_mut();
                if c.sync_bounded(now, inputs, max_steps) {
                    ready(&c, now)
                } else {
                    SplitValues::CatchingUp {
                        done: c.now(),
                        goal: now,
                    }
                }
            }
        };
        self.values = Rc::new(values);
    }
}

fn side_view(id: &'static str, setup: &Setup, sim: &Sim) -> SideView {
    SideView {
        id,
        title: setup.name(),
        limiter: setup.limiter.describe(),
        failures: sim.failures_len() as u64,
        live: sim.live_keys() as u64,
        orphans: sim.orphan_entries() as u64,
        memory: sim.memory().bytes,
        charts: Vec::new(),
    }
}

fn ready(c: &Compare, now: Time) -> SplitValues {
    let mut left = side_view("left", &c.left.setup, &c.left.sim);
    let mut right = side_view("right", &c.right.setup, &c.right.sim);
    let mut left_charts: Vec<ChartData> = chart_data(&c.left.sim).into_iter().take(2).collect();
    let mut right_charts: Vec<ChartData> = chart_data(&c.right.sim).into_iter().take(2).collect();
    share_scales(&mut left_charts, &mut right_charts);
    left.charts = left_charts
        .into_iter()
        .map(|d| {
            Rc::new(ChartData {
                id: left_id(d.id),
                ..d
            })
        })
        .collect();
    right.charts = right_charts
        .into_iter()
        .map(|d| {
            Rc::new(ChartData {
                id: right_id(d.id),
                ..d
            })
        })
        .collect();
    SplitValues::Ready {
        now,
        chips: c.chips(),
        left: Box::new(left),
        right: Box::new(right),
    }
}

/// Gives both sides' charts of the same kind one y scale.
fn share_scales(a: &mut [ChartData], b: &mut [ChartData]) {
    for (x, y) in a.iter_mut().zip(b.iter_mut()) {
        let top = |c: &ChartData| {
            c.lines
                .iter()
                .flat_map(|l| l.points.iter().map(|p| p.1))
                .fold(0.0, f64::max)
        };
        let m = top(x).max(top(y));
        x.min_top = Some(m);
        y.min_top = Some(m);
    }
}

fn left_id(id: &'static str) -> &'static str {
    match id {
        "failures" => "left-failures",
        "memory" => "left-memory",
        _ => "left-other",
    }
}

fn right_id(id: &'static str) -> &'static str {
    match id {
        "failures" => "right-failures",
        "memory" => "right-memory",
        _ => "right-other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::preset;

    fn seed_oom_at(secs: u64) -> Sim {
        let mut sim = Sim::new(preset("seed-oom").expect("preset")).expect("valid");
        sim.run_until(Time::from_nanos(secs * 1_000_000_000));
        sim
    }

    #[test]
    fn closed_runs_nothing_and_open_catches_up_in_slices_to_the_same_numbers() {
        let sim = seed_oom_at(600);
        let mut split = SplitRun::default();
        split.follow(&sim, &[], 10);
        assert_eq!(*split.values, SplitValues::Closed);

        split.toggle();
        split.follow(&sim, &[], 100);
        assert!(split.catching_up(), "{:?}", split.values);
        let mut slices = 1;
        while split.catching_up() {
            split.follow(&sim, &[], 100);
            slices += 1;
            assert!(slices < 100_000, "never caught up");
        }
        let SplitValues::Ready { now, left, .. } = &*split.values else {
            panic!("{:?}", split.values);
        };
        assert_eq!(*now, sim.now());
        assert!(slices > 2, "a 10-minute run takes more than 200 steps");

        let mut at_once = SplitRun::default();
        at_once.toggle();
        at_once.follow(&sim, &[], u64::MAX);
        let SplitValues::Ready { left: l2, .. } = &*at_once.values else {
            panic!("{:?}", at_once.values);
        };
        assert_eq!(left, l2, "slices end where one sync ends");
        assert_eq!(left.charts.len(), 2);
        assert_eq!(left.charts[0].id, "left-failures");

        split.toggle();
        assert_eq!(*split.values, SplitValues::Closed);
        assert!(split.compare.is_none());
    }

    #[test]
    fn new_setups_or_a_clock_gone_back_start_the_worlds_again() {
        let sim = seed_oom_at(60);
        let mut split = SplitRun::default();
        split.toggle();
        split.follow(&sim, &[], u64::MAX);
        let first = split.compare.clone().expect("worlds");
        split.follow(&sim, &[], u64::MAX);
        assert!(Rc::ptr_eq(&first, split.compare.as_ref().expect("worlds")));

        let (l, r) = split.choices(sim.scenario());
        split.pick(r, l);
        split.follow(&sim, &[], u64::MAX);
        assert!(!Rc::ptr_eq(&first, split.compare.as_ref().expect("worlds")));

        let second = split.compare.clone().expect("worlds");
        let earlier = seed_oom_at(30);
        split.follow(&earlier, &[], u64::MAX);
        assert!(!Rc::ptr_eq(
            &second,
            split.compare.as_ref().expect("worlds")
        ));
        assert!(matches!(*split.values, SplitValues::Ready { .. }));
    }
}
