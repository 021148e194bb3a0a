//! The agenda: what the simulation does next, earliest first, ties in the
//! order they were scheduled.
//!
//! Half of a busy run's entries are worker completions, due tens of
//! milliseconds ahead, among hundreds of informer events due seconds ahead.
//! In one heap each completion climbs to the top on push and is popped from
//! there; in a lane of its own (a handful of entries, one per worker) both
//! cost a level or two. The order is unchanged: every entry has a distinct
//! (time, sequence) pair, and a pop takes the smaller of the two lanes'
//! fronts.

use crate::workqueue::Time;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Which lane an entry goes in. Either gives the same order; the choice
/// only decides which heap does the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lane {
    /// Few entries at a time, each due shortly (worker completions).
    Soon,
    /// Everything else.
    Later,
}

/// One scheduled entry.
#[derive(Clone, Debug)]
pub(crate) struct Scheduled<T> {
    /// When it is due.
    pub(crate) at: Time,
    /// Scheduling order, unique: breaks ties between equal times.
    pub(crate) seq: u64,
    /// What happens.
    pub(crate) what: T,
}

impl<T> Scheduled<T> {
    fn order(&self) -> (Time, u64) {
        (self.at, self.seq)
    }
}

impl<T> PartialEq for Scheduled<T> {
    fn eq(&self, other: &Self) -> bool {
        self.order() == other.order()
    }
}

impl<T> Eq for Scheduled<T> {}

impl<T> Ord for Scheduled<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order().cmp(&other.order())
    }
}

impl<T> PartialOrd for Scheduled<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Entries by (time, scheduling order), in two lanes.
#[derive(Clone, Debug)]
pub(crate) struct Agenda<T> {
    next_seq: u64,
    soon: BinaryHeap<Reverse<Scheduled<T>>>,
    later: BinaryHeap<Reverse<Scheduled<T>>>,
}

impl<T> Default for Agenda<T> {
    fn default() -> Self {
        Agenda {
            next_seq: 0,
            soon: BinaryHeap::new(),
            later: BinaryHeap::new(),
        }
    }
}

impl<T> Agenda<T> {
    /// Schedules `what` at `at`, after everything already scheduled then.
    pub(crate) fn push(&mut self, lane: Lane, at: Time, what: T) {
        let entry = Reverse(Scheduled {
            at,
            seq: self.next_seq,
            what,
        });
        self.next_seq += 1;
        match lane {
            Lane::Soon => self.soon.push(entry),
            Lane::Later => self.later.push(entry),
        }
    }

    /// The lane holding the earliest entry.
    fn front_lane(&self) -> Option<Lane> {
        match (self.soon.peek(), self.later.peek()) {
            (Some(s), Some(l)) => Some(if s.0 <= l.0 { Lane::Soon } else { Lane::Later }),
            (Some(_), None) => Some(Lane::Soon),
            (None, Some(_)) => Some(Lane::Later),
            (None, None) => None,
        }
    }

    /// The earliest entry.
    pub(crate) fn peek(&self) -> Option<&Scheduled<T>> {
        let lane = match self.front_lane()? {
            Lane::Soon => &self.soon,
            Lane::Later => &self.later,
        };
        lane.peek().map(|r| &r.0)
    }

    /// Removes and returns the earliest entry.
    pub(crate) fn pop(&mut self) -> Option<Scheduled<T>> {
        let lane = match self.front_lane()? {
            Lane::Soon => &mut self.soon,
            Lane::Later => &mut self.later,
        };
        lane.pop().map(|r| r.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_scheduling_order_across_lanes() {
        let t = Time::from_nanos;
        let mut a = Agenda::default();
        a.push(Lane::Later, t(5), "later@5");
        a.push(Lane::Soon, t(5), "soon@5");
        a.push(Lane::Soon, t(1), "soon@1");
        a.push(Lane::Later, t(3), "later@3");
        a.push(Lane::Later, t(5), "later@5 again");
        assert_eq!(a.peek().map(|s| s.what), Some("soon@1"));
        let order: Vec<_> = std::iter::from_fn(|| a.pop().map(|s| s.what)).collect();
        assert_eq!(
            order,
            ["soon@1", "later@3", "later@5", "soon@5", "later@5 again"]
        );
    }
}
