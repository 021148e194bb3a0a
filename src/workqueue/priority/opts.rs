//! `AddOpts`: how an item enters the priority queue.

use std::time::Duration;

use crate::workqueue::duration::go_nanos;

/// The options of one [`add_with_opts`](super::PriorityQueue::add_with_opts)
/// call (controller-runtime's `AddOpts`).
///
/// One call can carry several items; each is treated on its own (its own
/// limiter `when`, its own retry count). The defaults (`AddOpts::default()`)
/// are a plain `Add`: ready now, priority 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AddOpts {
    /// Wait at least this long before the item becomes ready (Go's `After`).
    /// Zero means "now" unless `rate_limited` is set.
    pub after: Duration,
    /// Go's `After` is a signed `time.Duration`, and every negative value
    /// behaves the same: the item is ready now, no retry is counted, and
    /// with `rate_limited` the limiter is still asked (its count grows) but
    /// `min(After, When)` keeps the negative `After`, so the limiter's delay
    /// is ignored. `true` stands for any negative `After`; `after` is then
    /// unused. controller-runtime's own controller never passes one (a user
    /// `RequeueAfter` < 0 would), so it exists to port the quirk.
    pub negative_after: bool,
    /// Ask the queue's limiter for a delay (`When`, which always counts a
    /// failure for the item); the delay is `min(after, when)`, or `when`
    /// alone when `after` is zero.
    pub rate_limited: bool,
    /// Higher is handed out first; `None` is priority 0 (Go's nil pointer).
    /// Re-adding a queued item never lowers its priority.
    pub priority: Option<i64>,
}

impl AddOpts {
    /// A plain add: ready now, priority 0.
    pub fn new() -> AddOpts {
        AddOpts::default()
    }

    /// These options with `after` set (and `negative_after` cleared).
    pub fn after(mut self, after: Duration) -> AddOpts {
        self.after = after;
        self.negative_after = false;
        self
    }

    /// These options with Go's signed `After` in nanoseconds: negative
    /// values set [`negative_after`](Self::negative_after).
    pub fn after_nanos(mut self, nanos: i64) -> AddOpts {
        self.negative_after = nanos < 0;
        self.after = Duration::from_nanos(nanos.max(0).unsigned_abs());
        self
    }

    /// These options with `rate_limited` set.
    pub fn rate_limited(mut self) -> AddOpts {
        self.rate_limited = true;
        self
    }

    /// These options with `priority` set.
    pub fn priority(mut self, priority: i64) -> AddOpts {
        self.priority = Some(priority);
        self
    }

    /// `After` as the Go `time.Duration` the queue compares: clamped to
    /// Go's range, −1 for any negative value.
    pub(super) fn after_go_nanos(&self) -> i64 {
        if self.negative_after {
            -1
        } else {
            go_nanos(self.after)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_and_go_after() {
        let o = AddOpts::new()
            .after(Duration::from_secs(1))
            .rate_limited()
            .priority(-5);
        assert_eq!(o.after_go_nanos(), 1_000_000_000);
        assert!(o.rate_limited);
        assert_eq!(o.priority, Some(-5));
        let neg = AddOpts::new().after_nanos(-1_000_000_000);
        assert!(neg.negative_after);
        assert_eq!(neg.after_go_nanos(), -1);
        assert_eq!(neg.after(Duration::ZERO).after_go_nanos(), 0);
        assert_eq!(
            AddOpts::new().after(Duration::MAX).after_go_nanos(),
            i64::MAX
        );
    }
}
