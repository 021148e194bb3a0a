//! How often, while the clock runs, each part of the page is rebuilt from the sim.
//!
//! At 1000× every frame changes everything, but a person reads a chart or a log line a few
//! times a second at most, and every rebuilt SVG or table costs the browser style, layout and
//! paint on the one main thread. So only what moves (the clock, lanes, countdowns, runway)
//! follows every frame; the event log and the history panels (charts, split view, leak
//! detector, scrubber, share link) take turns a few times a second, never in the same frame,
//! so no frame pays for two of them. A user action rebuilds everything at once (see
//! [`Cadence::restart`]).

/// While playing, one slow part is rebuilt per this many wall milliseconds, in turn; each of
/// the [`SlowPart`]s is therefore rebuilt every `SLOW_TURN_MS × 2` (4 times a second).
pub const SLOW_TURN_MS: f64 = 125.0;

/// The parts that are rebuilt a few times a second while the clock runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlowPart {
    /// The event log (re-formats its recent lines).
    Log,
    /// The charts, split view, leak detector, scrubber and share link.
    Panels,
}

impl SlowPart {
    fn next(self) -> SlowPart {
        match self {
            SlowPart::Log => SlowPart::Panels,
            SlowPart::Panels => SlowPart::Log,
        }
    }
}

/// What one frame rebuilds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Due {
    /// Lanes, tables and runway.
    pub views: bool,
    /// The event log.
    pub log: bool,
    /// The history panels.
    pub panels: bool,
}

impl Due {
    /// Whether the frame rebuilds anything beyond the every-frame views.
    pub fn slow(&self) -> bool {
        self.log || self.panels
    }
}

/// The wall time since each part was rebuilt, and whose turn is next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cadence {
    since_views: f64,
    since_turn: f64,
    next: SlowPart,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence::new()
    }
}

impl Cadence {
    /// Nothing rebuilt yet; the log's turn comes first.
    pub fn new() -> Cadence {
        Cadence {
            since_views: 0.0,
            since_turn: 0.0,
            next: SlowPart::Log,
        }
    }

    /// Everything was just rebuilt (a user action): every interval starts over.
    pub fn restart(&mut self) {
        self.since_views = 0.0;
        self.since_turn = 0.0;
    }

    /// What a frame coming `wall_ms` after the previous one rebuilds, when the views are due
    /// every `views_interval_ms` (0 for every frame). Turns come every [`SLOW_TURN_MS`], or
    /// every half views interval when that is longer (reduced motion slows everything alike).
    /// A turn that falls on a frame which rebuilds throttled views waits for the next frame,
    /// so the two never add up.
    pub fn frame(&mut self, wall_ms: f64, views_interval_ms: f64) -> Due {
        let wall_ms = if wall_ms.is_finite() {
            wall_ms.max(0.0)
        } else {
            0.0
        };
        self.since_views += wall_ms;
        self.since_turn += wall_ms;
        let views = self.since_views >= views_interval_ms;
        if views {
            // No carry: an interval just under two frames means exactly every other frame.
            self.since_views = 0.0;
        }
        let mut due = Due {
            views,
            ..Due::default()
        };
        let throttled_views = views && views_interval_ms > 0.0;
        let turn_ms = SLOW_TURN_MS.max(views_interval_ms / 2.0);
        if self.since_turn >= turn_ms && !throttled_views {
            self.since_turn = carry(self.since_turn, turn_ms);
            match self.next {
                SlowPart::Log => due.log = true,
                SlowPart::Panels => due.panels = true,
            }
            self.next = self.next.next();
        }
        due
    }
}

/// What is left of `since` after one `interval` is used up: the overshoot counts towards the
/// next one (so turns keep their average rate), but never more than a whole interval.
fn carry(since: f64, interval: f64) -> f64 {
    (since - interval).clamp(0.0, interval)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(c: &mut Cadence, frames: usize, wall_ms: f64, interval: f64) -> Vec<Due> {
        (0..frames).map(|_| c.frame(wall_ms, interval)).collect()
    }

    #[test]
    fn slow_parts_take_turns_four_times_a_second_each_and_never_share_a_frame() {
        let mut c = Cadence::new();
        let frames = run(&mut c, 600, 1000.0 / 60.0, 0.0);
        assert!(frames.iter().all(|d| d.views), "views follow every frame");
        let logs = frames.iter().filter(|d| d.log).count();
        let panels = frames.iter().filter(|d| d.panels).count();
        assert!(
            (38..=41).contains(&logs),
            "log rebuilt {logs} times in 10 s"
        );
        assert!(
            (38..=41).contains(&panels),
            "panels rebuilt {panels} times in 10 s"
        );
        assert!(frames.iter().all(|d| !(d.log && d.panels)));
        let slow: Vec<usize> = (0..frames.len()).filter(|&i| frames[i].slow()).collect();
        assert!(
            slow.windows(2).all(|w| w[1] - w[0] >= 7),
            "turns are spread out"
        );
    }

    #[test]
    fn views_due_just_under_two_frames_apart_come_every_other_frame() {
        let mut c = Cadence::new();
        let jitter = [16.4, 16.9, 16.7, 16.6, 16.8];
        let frames: Vec<Due> = (0..600).map(|i| c.frame(jitter[i % 5], 32.3)).collect();
        assert!(frames.chunks(2).all(|p| p[0].views != p[1].views));
        assert!(frames.iter().all(|d| !(d.slow() && d.views)));
    }

    #[test]
    fn under_reduced_motion_each_slow_part_is_rebuilt_once_a_second() {
        let mut c = Cadence::new();
        let frames = run(&mut c, 600, 1000.0 / 60.0, 1_000.0);
        assert!((9..=10).contains(&frames.iter().filter(|d| d.views).count()));
        assert!((9..=10).contains(&frames.iter().filter(|d| d.log).count()));
        assert!((9..=10).contains(&frames.iter().filter(|d| d.panels).count()));
    }

    #[test]
    fn a_turn_waits_for_a_frame_without_throttled_views() {
        let mut c = Cadence::new();
        let frames = run(&mut c, 300, 30.0, 100.0);
        assert!(frames.iter().all(|d| !(d.slow() && d.views)));
        assert!(frames.iter().filter(|d| d.log).count() >= 20);
        assert!(frames.iter().filter(|d| d.panels).count() >= 20);
    }

    #[test]
    fn restart_starts_every_interval_over_and_bad_gaps_count_as_zero() {
        let mut c = Cadence::new();
        run(&mut c, 7, 16.0, 0.0);
        c.restart();
        assert!(
            run(&mut c, 7, 16.0, 0.0).iter().all(|d| !d.slow()),
            "112 ms since"
        );
        assert!(!c.frame(f64::NAN, 0.0).slow());
        assert!(!c.frame(-5.0, 0.0).slow());
        assert!(c.frame(16.0, 0.0).log, "the log's turn at 128 ms");
    }
}
