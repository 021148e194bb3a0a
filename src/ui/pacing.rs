//! Frame pacing: how much virtual time each animation frame may simulate. The clock owes
//! `speed` virtual nanoseconds per wall nanosecond; a frame grants at most an allowance that
//! shrinks while frames that simulated much run long (see [`CHEAP_FRAME_STEPS`]) and grows
//! back while frames are quick, so a heavy world slows
//! the virtual clock (shown as the effective speed and, after a sustained second, as a
//! "cannot keep up" notice) instead of freezing the page. Pure arithmetic on wall times: the
//! reducer feeds it each frame's gap and runs the world by what it grants.

use crate::ui::speed;

/// One 60 Hz frame, in milliseconds.
pub const FRAME_MS: f64 = 1000.0 / 60.0;

/// The most wall time one frame simulates (longer gaps are clamped by the driver too).
pub const MAX_ALLOWANCE_WALL_MS: f64 = 250.0;

/// A frame slower than this (one 60 Hz frame plus jitter) shrinks the next frame's simulation
/// allowance; quicker frames grow it back slowly, so most frames stay within 16.7 ms.
pub const SLOW_FRAME_MS: f64 = 20.0;

/// Steps below which a frame's simulation counts as next to nothing (well under 0.1 ms in
/// wasm): a slow frame that simulated less than this was slowed by something else (a busy
/// machine), and simulating less would only starve the clock, so it does not shrink the
/// allowance; an empty or quiet world at 1× on a loaded machine keeps real time. Kept low on
/// purpose: above that, a frame's virtual time also sets how much the views change (rows
/// created and removed), so a busy world at 1000× still slows its clock to keep frames short.
pub const CHEAP_FRAME_STEPS: u64 = 64;

/// How long the clock must have lagged without a break before the page says it cannot keep
/// up: a slow first frame or one rebuild says nothing.
pub const LAG_NOTICE_MS: f64 = 1_000.0;

/// The frame times a sliced replay (a restore, the split view's catch-up) aims between: long
/// enough that waiting for the next frame is a small share of the replay, short enough that a
/// click (an act, Cancel) is answered within 100 ms: the rest of the current slice plus one
/// render (20 to 40 frames per second).
pub const RESTORE_FRAME_MS: (f64, f64) = (25.0, 50.0);

/// The steps a sliced replay takes next, after a frame `wall_ms` after the previous one (what
/// the last slice and its render cost): half as many again below [`RESTORE_FRAME_MS`], 30 %
/// fewer above it (never under 1 000), else as many.
pub fn slice_steps(steps: u64, wall_ms: f64) -> u64 {
    let (quick, slow) = RESTORE_FRAME_MS;
    if wall_ms < quick {
        steps.saturating_mul(3) / 2
    } else if wall_ms > slow {
        (steps * 7 / 10).max(1_000)
    } else {
        steps
    }
}

/// The step the real-time clock advances in: one wall millisecond's worth of virtual time,
/// rounded down to a power of ten nanoseconds (1ms at 1×, 1s at 1000×, 1µs at 0.001×).
pub fn time_quantum_ns(speed: f64) -> f64 {
    let ns_per_wall_ms = (1e6 * speed::clamp(speed)).max(1.0);
    10f64.powf(ns_per_wall_ms.log10().floor())
}

/// A frame gap as the pacing reads it: negative, infinite or NaN gaps count as none.
pub fn frame_wall_ms(wall_ms: f64) -> f64 {
    if wall_ms.is_finite() {
        wall_ms.max(0.0)
    } else {
        0.0
    }
}

/// What one frame may simulate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grant {
    /// Virtual nanoseconds to advance now, a whole number of quanta (0: none this frame).
    pub step_ns: u64,
    /// Whether the allowance held the clock back (the page cannot keep up at this speed).
    pub lagging: bool,
}

/// The pacing state carried from frame to frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Pacer {
    /// Virtual nanoseconds owed to the clock (below one step per frame at slow speeds).
    carry_ns: f64,
    /// Most virtual nanoseconds one frame may simulate.
    allowance_ns: f64,
    /// Whether the previous frame rebuilt the views or the log (an expected slow frame).
    rebuilt_last_frame: bool,
    /// Whether the previous frame's timing was ignored for that reason.
    exempted_last_frame: bool,
    /// Whether the previous frame simulated [`CHEAP_FRAME_STEPS`] or more: only then can
    /// simulating less make frames quicker.
    simulated_much_last_frame: bool,
    /// Virtual seconds per wall second actually achieved (smoothed over recent frames).
    effective_speed: f64,
    /// Wall milliseconds the clock has been held back without a break.
    lagging_ms: f64,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new()
    }
}

impl Pacer {
    /// Paced for 1× from a standing start.
    pub fn new() -> Pacer {
        Pacer {
            carry_ns: 0.0,
            allowance_ns: FRAME_MS * 1e6,
            rebuilt_last_frame: false,
            exempted_last_frame: false,
            simulated_much_last_frame: false,
            effective_speed: 1.0,
            lagging_ms: 0.0,
        }
    }

    /// Virtual seconds per wall second actually achieved, smoothed.
    pub fn effective_speed(&self) -> f64 {
        self.effective_speed
    }

    /// Wall milliseconds the clock has lagged without a break.
    pub fn lagging_ms(&self) -> f64 {
        self.lagging_ms
    }

    /// Whether the lag has lasted long enough to tell the person ([`LAG_NOTICE_MS`]).
    pub fn lag_noticed(&self) -> bool {
        self.lagging_ms >= LAG_NOTICE_MS
    }

    /// Nothing is owed any more (play, pause, a new run): the next frame starts afresh.
    pub fn drop_carry(&mut self) {
        self.carry_ns = 0.0;
    }

    /// A new speed: start from one frame's worth and let quick frames grow it (starting at
    /// the ceiling would make the first frames after a speed-up the slowest).
    pub fn set_speed(&mut self, speed: f64) {
        self.effective_speed = speed;
        self.allowance_ns = FRAME_MS * 1e6 * speed;
    }

    /// The frame `wall_ms` after the previous one, at `speed`: how far the clock may move.
    pub fn grant(&mut self, wall_ms: f64, speed: f64) -> Grant {
        let wall_ms = frame_wall_ms(wall_ms);
        let speed = speed::clamp(speed);
        let ceiling = MAX_ALLOWANCE_WALL_MS * 1e6 * speed;
        // A frame that rebuilt the views or the log is expected to be slower; it says nothing
        // about how much simulation fits, so it neither shrinks nor grows the allowance (never
        // two in a row, though: frames so slow that every one rebuilds must still shrink it).
        // After a cheap frame nothing is held back: the allowance covers what this frame owes.
        // Frames slower than SLOW_FRAME_MS after much simulation mean the sim cannot keep up:
        // simulate less per frame.
        let owed = self.carry_ns + wall_ms * 1e6 * speed;
        let exempt = self.rebuilt_last_frame && !self.exempted_last_frame;
        self.exempted_last_frame = exempt;
        self.allowance_ns = if exempt {
            self.allowance_ns
        } else if !self.simulated_much_last_frame {
            (self.allowance_ns * 1.05).max(owed)
        } else if wall_ms > SLOW_FRAME_MS {
            (self.allowance_ns * 0.7).max(time_quantum_ns(speed))
        } else {
            self.allowance_ns * 1.05
        }
        .min(ceiling);
        self.rebuilt_last_frame = false;
        // Advance in round steps (1ms of virtual time per wall ms at 1×, 1s at 1000×) so the
        // clock reads t=1.234s rather than t=1.234999999s; the remainder is carried, not lost.
        let quantum = time_quantum_ns(speed);
        let granted = owed.min(self.allowance_ns);
        let lagging = granted < owed;
        let whole = (granted / quantum).floor() * quantum;
        // What the allowance held back is dropped (the clock lags), not owed forever.
        self.carry_ns = (owed - whole).min(quantum);
        self.lagging_ms = if lagging {
            self.lagging_ms + wall_ms
        } else {
            0.0
        };
        if wall_ms > 0.0 {
            let achieved = whole / (wall_ms * 1e6);
            self.effective_speed = 0.9 * self.effective_speed + 0.1 * achieved;
        }
        Grant {
            step_ns: if whole < 1.0 { 0 } else { whole as u64 },
            lagging,
        }
    }

    /// This frame simulated `steps` steps: whether the next frame's timing can be held
    /// against the simulation (see [`CHEAP_FRAME_STEPS`]).
    pub fn simulated(&mut self, steps: u64) {
        self.simulated_much_last_frame = steps >= CHEAP_FRAME_STEPS;
    }

    /// This frame rebuilt something slow (an occasional rebuild, not the every-frame load):
    /// the next frame's timing is not held against the allowance.
    pub fn rebuilt(&mut self, slow: bool) {
        self.rebuilt_last_frame = slow;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sliced_replay_takes_more_steps_after_quick_frames_and_fewer_after_slow_ones() {
        assert_eq!(slice_steps(4_000, 16.7), 6_000);
        assert_eq!(slice_steps(4_000, 30.0), 4_000);
        assert_eq!(slice_steps(4_000, 80.0), 2_800);
        assert_eq!(slice_steps(1_200, 500.0), 1_000);
        assert_eq!(slice_steps(u64::MAX, 1.0), u64::MAX / 2);
    }

    #[test]
    fn at_1x_a_frame_grants_its_wall_time_in_whole_milliseconds_and_carries_the_rest() {
        let mut p = Pacer::new();
        let g = p.grant(16.7, 1.0);
        assert_eq!(
            g,
            Grant {
                step_ns: 16_000_000,
                lagging: false
            }
        );
        // The 0.7 ms carried joins the next frame.
        let g = p.grant(16.7, 1.0);
        assert_eq!(g.step_ns, 17_000_000);
    }

    #[test]
    fn slow_frames_shrink_the_allowance_and_a_sustained_lag_is_noticed() {
        let mut p = Pacer::new();
        p.set_speed(1000.0);
        let mut frames = 0;
        while !p.lag_noticed() {
            let g = p.grant(50.0, 1000.0);
            p.simulated(CHEAP_FRAME_STEPS * 5);
            assert!(
                g.step_ns <= 50_000_000_000,
                "never more than the wall time owes"
            );
            frames += 1;
            assert!(frames < 100, "the lag is noticed");
        }
        // About a second of 50 ms frames, held back.
        assert!((19..=21).contains(&frames), "{frames} frames");
        assert!(p.effective_speed() < 1000.0);
        // Quick frames end the lag at once.
        for _ in 0..200 {
            p.grant(10.0, 1000.0);
        }
        assert_eq!(p.lagging_ms(), 0.0);
    }

    #[test]
    fn slow_frames_after_little_simulation_do_not_slow_the_clock() {
        // A busy machine: every frame comes 100 ms late, while the world costs nothing.
        let mut p = Pacer::new();
        for _ in 0..50 {
            let g = p.grant(100.0, 1.0);
            p.simulated(3);
            assert_eq!(g.step_ns, 100_000_000, "a frame grants its whole wall time");
            assert!(!g.lagging);
        }
        assert!((p.effective_speed() - 1.0).abs() < 1e-9);
        assert!(!p.lag_noticed());
    }

    #[test]
    fn an_occasional_rebuild_does_not_shrink_the_allowance_but_every_frame_rebuilding_does() {
        let mut exempt = Pacer::new();
        exempt.simulated(CHEAP_FRAME_STEPS);
        exempt.grant(10.0, 1.0);
        exempt.rebuilt(true);
        let before = exempt.allowance_ns;
        exempt.grant(40.0, 1.0);
        assert_eq!(
            exempt.allowance_ns, before,
            "the rebuild's slow frame is exempt"
        );
        exempt.rebuilt(true);
        exempt.grant(40.0, 1.0);
        assert!(
            exempt.allowance_ns < before,
            "never two exemptions in a row"
        );
    }

    #[test]
    fn odd_wall_times_grant_nothing() {
        let mut p = Pacer::new();
        for bad in [f64::NAN, f64::NEG_INFINITY, -5.0, 0.0] {
            assert_eq!(p.grant(bad, 1.0).step_ns, 0, "{bad}");
        }
    }
}
