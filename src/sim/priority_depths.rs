//! controller-runtime's `workqueue_depth{priority=…}` gauges, grouped for a chart: above 0
//! (raised by `Result.Priority` or an `AddOpts.Priority`), exactly 0 (the default), below 0
//! (the initial list at `LowPriority`), and the `exceeded_cardinality_limit` placeholder.
//!
//! A chart cannot give 25 labels a line each; these four groups answer what people ask of
//! the label: is the startup list starving my events, or are my events ahead of it.

use serde::Serialize;

use crate::workqueue::priority::DepthLabel;

/// The depth gauges summed per group, at one instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PriorityDepths {
    /// Sum of the gauges whose priority is > 0.
    pub above_zero: i64,
    /// The gauge of priority 0.
    pub zero: i64,
    /// Sum of the gauges whose priority is < 0.
    pub below_zero: i64,
    /// `workqueue_depth{priority="exceeded_cardinality_limit"}`: every change after the
    /// 26th distinct priority lands here (it can go negative, as in Go).
    pub exceeded: i64,
}

impl PriorityDepths {
    /// Groups the labelled gauges of a priority queue's metrics snapshot.
    pub fn of(depth: &[(DepthLabel, i64)]) -> PriorityDepths {
        let mut d = PriorityDepths::default();
        for (label, v) in depth {
            match label {
                DepthLabel::Priority(p) if *p > 0 => d.above_zero += v,
                DepthLabel::Priority(0) => d.zero += v,
                DepthLabel::Priority(_) => d.below_zero += v,
                DepthLabel::CardinalityExceeded => d.exceeded += v,
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_each_label_by_the_sign_of_its_priority() {
        let depth = [
            (DepthLabel::Priority(-100), 3),
            (DepthLabel::Priority(-1), 1),
            (DepthLabel::Priority(0), 5),
            (DepthLabel::Priority(7), 2),
            (DepthLabel::Priority(10), 1),
            (DepthLabel::CardinalityExceeded, -2),
        ];
        assert_eq!(
            PriorityDepths::of(&depth),
            PriorityDepths {
                above_zero: 3,
                zero: 5,
                below_zero: 4,
                exceeded: -2
            }
        );
    }
}
