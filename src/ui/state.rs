//! The app state and its one reducer: every click, key and animation frame becomes an
//! [`Action`]; the reducer turns it into sim inputs and UI settings. No I/O and no clock here:
//! the real-time driver hands in wall milliseconds, and the App applies side effects (theme
//! storage) after the fact, so the whole state machine is testable natively.

use std::cell::{Ref, RefCell};
use std::rc::Rc;
use std::time::Duration;

use yew::Reducible;

use crate::sim::latency::LatencyReplay;
use crate::sim::{
    preset, History, Input, LimiterConfig, QueueKind, RecordedInput, Sample, Scenario, ScheduleRow,
    ShareState, Sim, Summary,
};
use crate::ui::cadence::{Cadence, Due};
use crate::ui::components::chart_model::ChartData;
use crate::ui::components::charts::{
    chart_data_of, latency_chart_of, samples, LatencyView, LATENCY_BUCKETS,
};
use crate::ui::components::diagnosis::DiagnosisValues;
use crate::ui::components::scrubber::{self, Paint};
use crate::ui::drafts::{
    Bulk, Drafts, FieldErrors, FieldId, LimiterKind, LimiterPreset, PolicyEdit,
};
use crate::ui::key_action::KeyAction;
use crate::ui::pacing::{frame_wall_ms, slice_steps, Grant, Pacer};
use crate::ui::reconcile_choice::ReconcileChoice;
use crate::ui::snapshot;
use crate::ui::snapshot::{TableCache, Views};
use crate::ui::speed;
use crate::ui::split_run::{SplitRun, CATCH_UP_STEPS};
use crate::ui::split_setup::SideChoice;
use crate::ui::startup::{self, Startup, StartupSources};
use crate::ui::theme::Theme;
use crate::ui::view::{ClockLine, KeyText, LogLine};
use crate::workqueue::Time;

/// The scenario shown on first load: an empty manual playground, no workers, clock at 1×.
pub const DEFAULT_SCENARIO: &str = "manual";

pub use crate::ui::pacing::{time_quantum_ns, FRAME_MS, RESTORE_FRAME_MS};

/// While the page cannot keep up, tables, lanes and the runway are rebuilt at most this
/// often (10 per second is still live; 60 unreadable updates a second only cost frames).
pub const LOADED_VIEW_REFRESH_MS: f64 = 100.0;

/// Above this speed a frame's worth of virtual time is more than anyone follows (at 1000× a
/// frame is 17 virtual seconds: lanes and rows change wholesale), so the views are rebuilt
/// every [`FAST_VIEW_REFRESH_MS`] instead of every frame, halving the page's rendering work.
pub const FAST_SPEED: f64 = 100.0;

/// How often the views are rebuilt above [`FAST_SPEED`]: every other 60 Hz frame (30 per
/// second). Just under two frames, so a frame that comes a hair early still rebuilds.
pub const FAST_VIEW_REFRESH_MS: f64 = 2.0 * FRAME_MS - 1.0;

/// Steps replayed in the first frame of a restore of a shared or saved run: the page shows the
/// replay's progress, and answers, instead of freezing for the seconds an hours-long run takes
/// to replay from t=0. Later frames take more or fewer steps to keep within
/// [`RESTORE_FRAME_MS`].
pub const RESTORE_STEPS_PER_FRAME: u64 = 20_000;

/// Steps of the latency chart's replay per frame (about 10–20 ms of work in the browser).
pub const LATENCY_STEPS_PER_FRAME: u64 = 20_000;

/// The latency chart's computation, kept in the state so that the frame driver advances it.
#[derive(Clone, Debug)]
pub enum Latency {
    /// Not asked for.
    None,
    /// Replaying the run, a slice per frame.
    Running(Rc<RefCell<LatencyReplay>>),
    /// Computed up to `until`, or why not.
    Done {
        /// Where the replay stopped.
        until: Time,
        /// The chart, or why it could not be computed.
        chart: Result<Rc<ChartData>, String>,
    },
}

impl Latency {
    /// Whether a replay is under way.
    pub fn is_running(&self) -> bool {
        matches!(self, Latency::Running(_))
    }
}

/// While a run is restored, the views show the replay's world at most this often: once a
/// second shows it moving; rebuilding them at the loaded pace (10 a second) made restores
/// 17–20 % slower (measured: seed-oom 8 h in 3.0 s instead of 2.5 s).
pub const RESTORE_VIEW_REFRESH_MS: f64 = 1_000.0;

/// Under reduced motion, countdowns move at most once per this many wall milliseconds.
pub const REDUCED_MOTION_REFRESH_MS: f64 = 1_000.0;

/// Everything the page shows, apart from per-component view state (scroll, sort, filters).
#[derive(Clone)]
pub struct AppState {
    /// The run: its world at the cursor, its recorded inputs, checkpoints and undo. Shared by
    /// the cheap clones the reducer makes; only the reducer reads and mutates it (components
    /// get the values below).
    history: Rc<RefCell<History>>,
    /// Bumped whenever the sim changes, so a new state is told apart from the old one.
    pub revision: u64,
    /// The scenario the run was built from (its id is the preset picked; links, the autosave
    /// and traces carry it).
    pub scenario: Rc<Scenario>,
    /// Whether the virtual clock runs with the wall clock.
    pub playing: bool,
    /// Virtual seconds per wall second.
    pub speed: f64,
    /// The leak detector's findings and the code panel's running lines, rebuilt with the
    /// history panels.
    pub diagnosis: Rc<DiagnosisValues>,
    /// The scrubber's bar: fails, forgets, caps and OOM kills over the whole run, painted with
    /// the history panels.
    pub scrubber_paint: Rc<Paint>,
    /// The virtual time the history panels were last rebuilt at: the scrubber's cursor moves
    /// with them (a few times a second), not every frame.
    pub panels_now: Time,
    /// The metrics series from t=0 to [`panels_now`](Self::panels_now), rebuilt with the
    /// history panels (the charts draw it; the CSV export saves it).
    pub samples: Rc<Vec<Sample>>,
    /// Every chart's data, rebuilt with the history panels.
    pub charts: Rc<Vec<Rc<ChartData>>>,
    /// The trace hash at [`panels_now`](Self::panels_now).
    pub trace_hash: u64,
    /// The split view: open or not, its setups, its two worlds and what they show.
    pub split: SplitRun,
    /// Steps each split-view world takes per frame while catching up, adjusted to keep
    /// frames within [`RESTORE_FRAME_MS`].
    split_steps: u64,
    /// The latency chart: not asked for, being replayed a slice per frame, or computed.
    pub latency: Latency,
    /// Bumped whenever the latency chart's state moves (a slice, done, cancelled).
    pub latency_rev: u64,
    /// How much virtual time each frame may simulate, and how far the clock lags behind the
    /// speed asked for (see [`Pacer`]).
    pub pacer: Pacer,
    /// The virtual time the views were last rebuilt at: countdowns are drawn at it.
    pub display_now: Time,
    /// The tables, lanes and runway, rebuilt whenever [`view_rev`](Self::view_rev) moves.
    pub views: Rc<Views>,
    /// The large tables of the latest views build, reused for a bounded time while the clock
    /// runs (see [`TableCache`]).
    tables: TableCache,
    /// Wall milliseconds the frames have reported since the page started: the page's only
    /// wall clock (the driver reads the real one and hands in the gaps).
    pub wall_ms: f64,
    /// The clock and what comes next, rebuilt whenever the world moves.
    pub clock: ClockLine,
    /// Which queue the run's controller uses.
    pub queue: QueueKind,
    /// The selected key and its `NumRequeues` (the schedule highlights that row).
    pub selected_requeues: Option<(KeyText, u64)>,
    /// The headline numbers at [`panels_now`](Self::panels_now) (what an embed reports to its
    /// parent page).
    pub summary: Rc<Summary>,
    /// Bumped whenever the views (tables, lanes, runway) should be rebuilt from the sim: after
    /// every user action, and on frames at most every 1 s under reduced motion, every
    /// [`LOADED_VIEW_REFRESH_MS`] while the page cannot keep up, every other frame above
    /// [`FAST_SPEED`], else every frame.
    pub view_rev: u64,
    /// Bumped whenever the history panels (charts, split view, leak detector, scrubber, share
    /// link) should be rebuilt: after every user action, and a few times a second while the
    /// clock runs (see [`Cadence`]).
    pub panel_rev: u64,
    /// When, while playing, the views, the log and the panels are next rebuilt.
    cadence: Cadence,
    /// `prefers-reduced-motion: reduce`.
    pub reduced_motion: bool,
    /// Light, dark or following the system.
    pub theme: Theme,
    /// Whether single-key shortcuts in the item table are on.
    pub shortcuts: bool,
    /// Whether the `?` overlay is open.
    pub help_open: bool,
    /// Whether the person has done anything yet (the first-minute hint goes away then).
    pub acted: bool,
    /// The selected key (highlighted in tables and the schedule).
    pub selected: Option<KeyText>,
    /// The Key field's text.
    pub key_input: String,
    /// The forms' text.
    pub drafts: Rc<Drafts>,
    /// Refusals by field.
    pub errors: Rc<FieldErrors>,
    /// The latest announcement for the live region, with a sequence number.
    pub announcement: (u64, Rc<str>),
    /// The running limiter's backoff schedule (recomputed when the limiter changes).
    pub schedule: Rc<Vec<ScheduleRow>>,
    /// The delay the schedule settles on (the cap badge), if it has one.
    pub cap: Option<Duration>,
    /// The limiter the schedule was computed for.
    pub schedule_for: LimiterConfig,
    /// The recent event log, refreshed after every user action and a few times a second
    /// while the clock runs (see [`Cadence`]; nobody reads thousands of lines a second).
    pub log: Rc<Vec<LogLine>>,
    /// Every input recorded since the scenario loaded, at its step and instant (the history's
    /// own list): the first [`applied`](Self::applied) are in the world at the cursor and are
    /// what share links and the autosave carry (inputs, not state); the rest lie ahead (after
    /// a seek back), re-applied as the clock reaches them, forked away when you act before them.
    pub inputs: Rc<Vec<RecordedInput>>,
    /// How many of [`inputs`](Self::inputs) the world at the cursor has applied.
    pub applied: usize,
    /// How many acts Undo can take back.
    pub undo_len: usize,
    /// While a shared or saved run is being replayed to its cursor (a slice per frame,
    /// [`RESTORE_STEPS_PER_FRAME`] steps at first), that cursor. Acts on the run are refused
    /// meanwhile (with a message); Cancel stops the replay where it is.
    pub restoring: Option<Time>,
    /// Steps the restore replays per frame, adjusted to keep frames within
    /// [`RESTORE_FRAME_MS`].
    restore_steps: u64,
    /// Why the link or the saved session the page started from was refused, until dismissed.
    pub share_notice: Option<Rc<str>>,
    /// The latest input refused from [`Action::Apply`], with a sequence number: an embed's
    /// parent page sent it, and is told why (the reducer does no I/O; the bridge reports it).
    pub refusal: (u64, Rc<str>),
}

/// Everything that can happen to the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame: this many wall milliseconds passed (already clamped by the driver).
    Frame(f64),
    /// Play if paused, pause if playing.
    PlayPause,
    /// Pause (the page was hidden).
    Pause,
    /// Play or pause, as an embed's parent page asked (nothing happens if already so).
    SetPlaying(bool),
    /// Apply one input, as an embed's parent page asked; a refusal lands in
    /// [`AppState::refusal`].
    Apply(Input),
    /// Run to the next event of any kind.
    Step,
    /// Jump to the earliest `readyAt`.
    SkipToNextDue,
    /// A new speed.
    SetSpeed(f64),
    /// A per-key action.
    Key(KeyAction, KeyText),
    /// `queue.Get()`.
    Get,
    /// The Key field changed.
    KeyInput(String),
    /// A row was selected (also fills the Key field).
    Select(KeyText),
    /// A form field changed.
    Edit(FieldId, String),
    /// The limiter picker changed.
    LimiterKind(LimiterKind),
    /// A policy picker changed.
    Policy(PolicyEdit),
    /// The Reconcile returns picker changed (controller-runtime).
    Reconcile(ReconcileChoice),
    /// Redeploy the controller on this queue.
    SetQueue(QueueKind),
    /// Apply the limiter form.
    ApplyLimiter,
    /// Apply a limiter preset.
    ApplyPreset(LimiterPreset),
    /// Apply the controller form.
    ApplyController,
    /// Run a bulk action.
    Bulk(Bulk),
    /// Load a preset scenario.
    LoadScenario(String),
    /// The page has started: restore the link or the autosave it was opened with, or say why
    /// not (see [`crate::ui::startup`]).
    Startup(StartupSources),
    /// Dismiss the startup notice.
    DismissNotice,
    /// Rebuild the run a share link or the autosave describes, paused at its cursor.
    Restore(Box<ShareState>),
    /// Stop replaying a restored run where it has come to (the rest stays ahead, to scrub to).
    CancelRestore,
    /// Compute the latency chart up to now: the run is replayed from t=0, a slice per frame.
    ComputeLatency,
    /// Stop computing the latency chart.
    CancelLatency,
    /// Forget everything and start over with the default scenario at 1×.
    ResetDefaults,
    /// Open or close the split view.
    ToggleSplit,
    /// New setups for the split view's sides, left and right.
    PickSplit(SideChoice, SideChoice),
    /// Move the time cursor to this virtual time (ns), back or forward; pauses.
    Seek(u64),
    /// Take back the last act (and restore a future it forked away).
    Undo,
    /// Restart the current scenario from t=0.
    Restart,
    /// Cycle the theme.
    CycleTheme,
    /// Turn single-key shortcuts on or off.
    SetShortcuts(bool),
    /// Open or close the `?` overlay.
    ToggleHelp,
    /// Close the `?` overlay.
    CloseHelp,
}

impl AppState {
    /// A fresh state running `scenario`; `None` if the scenario is invalid.
    pub fn new(scenario: Scenario, theme: Theme, reduced_motion: bool) -> Option<AppState> {
        // Only what the first `sim_changed` (at the end) does not build: it builds every value
        // the page shows.
        let drafts = Drafts::from_scenario(&scenario);
        let history = History::new(scenario).ok()?;
        let sim = history.live();
        let now = sim.now();
        let limiter = sim.limiter_config().clone();
        let (schedule, cap) = snapshot::schedule(&limiter);
        let scenario = Rc::new(sim.scenario().clone());
        Some(AppState {
            history: Rc::new(RefCell::new(history)),
            revision: 0,
            scenario,
            samples: Rc::new(Vec::new()),
            charts: Rc::new(Vec::new()),
            trace_hash: 0,
            split: SplitRun::default(),
            split_steps: CATCH_UP_STEPS,
            playing: true,
            speed: 1.0,
            pacer: Pacer::new(),
            diagnosis: Rc::default(),
            latency: Latency::None,
            latency_rev: 0,
            scrubber_paint: Rc::default(),
            panels_now: now,
            display_now: now,
            views: Rc::new(Views::default()),
            tables: TableCache::default(),
            wall_ms: 0.0,
            clock: ClockLine::default(),
            queue: QueueKind::ClientGo,
            selected_requeues: None,
            summary: Rc::new(Summary::default()),
            view_rev: 0,
            panel_rev: 0,
            cadence: Cadence::new(),
            reduced_motion,
            theme,
            shortcuts: true,
            help_open: false,
            acted: false,
            selected: None,
            key_input: String::new(),
            drafts: Rc::new(drafts),
            errors: Rc::new(FieldErrors::new()),
            announcement: (0, Rc::from("")),
            schedule: Rc::new(schedule),
            cap,
            schedule_for: limiter,
            log: Rc::new(Vec::new()),
            inputs: Rc::new(Vec::new()),
            applied: 0,
            undo_len: 0,
            restoring: None,
            restore_steps: RESTORE_STEPS_PER_FRAME,
            share_notice: None,
            refusal: (0, Rc::from("")),
        })
        .map(|mut s: AppState| {
            s.sim_changed();
            s
        })
    }

    /// The default first-load state: the manual preset, running at 1×. An error only if the
    /// sim refuses its own preset, which the App shows instead of the playground.
    pub fn initial(theme: Theme, reduced_motion: bool) -> Result<AppState, String> {
        let scenario =
            preset(DEFAULT_SCENARIO).unwrap_or_else(|| Scenario::empty(DEFAULT_SCENARIO));
        AppState::new(scenario, theme, reduced_motion)
            .ok_or_else(|| format!("the {DEFAULT_SCENARIO} scenario did not validate"))
    }

    /// The running world, read only: for tests and tools that check the values the page shows
    /// against it. Components never read it; they get values.
    pub fn sim(&self) -> Ref<'_, Sim> {
        Ref::map(self.history.borrow(), History::live)
    }

    /// The sim's virtual time.
    pub fn now(&self) -> Time {
        self.sim().now()
    }

    /// The end of the run (see [`History::run_end`]). The scrubber spans t=0 to here, and
    /// seeks stop here: the timeline and the charts move within the run, they never run it on.
    pub fn run_end(&self) -> Time {
        self.history.borrow().run_end()
    }

    /// The inputs the world at the cursor has applied.
    pub fn applied_inputs(&self) -> &[RecordedInput] {
        &self.inputs[..self.applied.min(self.inputs.len())]
    }

    fn announce(&mut self, text: impl Into<String>) {
        let text: String = text.into();
        self.announcement = (self.announcement.0 + 1, Rc::from(text.as_str()));
    }

    fn set_error(&mut self, field: FieldId, reason: impl Into<String>) {
        let reason = reason.into();
        Rc::make_mut(&mut self.errors).insert(field, reason.clone());
        self.announce(format!("{}: refused: {reason}", field.label()));
    }

    fn clear_errors(&mut self, fields: &[FieldId]) {
        if fields.iter().any(|f| self.errors.contains_key(f)) {
            let errors = Rc::make_mut(&mut self.errors);
            for f in fields {
                errors.remove(f);
            }
        }
    }

    /// The world changed (an act, a seek, a load, the end of a restore): rebuild every value
    /// the page shows from it.
    fn sim_changed(&mut self) {
        self.revision += 1;
        let limiter = self.sim().limiter_config().clone();
        if limiter != self.schedule_for {
            let (schedule, cap) = snapshot::schedule(&limiter);
            self.schedule = Rc::new(schedule);
            self.cap = cap;
            self.schedule_for = limiter;
        }
        let log = snapshot::log(&self.sim());
        self.log = Rc::new(log);
        let queue = self.sim().queue_kind();
        self.queue = queue;
        self.clock_moved();
        // The large tables may be reused only by the running clock's periodic builds: what
        // an act, a pause or a stopped restore shows is exact, like every other view.
        self.tables = TableCache::default();
        self.views_changed();
        self.panels_changed();
        self.cadence.restart();
    }

    /// The clock was stopped or started: on a stop, every view (tables, lanes, log, charts,
    /// leak detector, scrubber, split view) is rebuilt at the instant it stopped, so paused
    /// views all show one moment (while playing, the log and the panels lag the clock by up to
    /// a quarter of a second).
    fn stopped_or_started(&mut self) {
        if !self.playing {
            self.sim_changed();
        }
    }

    /// Starts replaying the run from t=0 to now for the latency chart (a slice per frame).
    fn start_latency(&mut self) {
        let until = self.now();
        let replay = LatencyReplay::new(
            &self.scenario,
            self.applied_inputs(),
            until,
            LATENCY_BUCKETS,
        );
        self.latency = match replay {
            Ok(r) => {
                self.announce(format!(
                    "Computing latency: replaying the run from t=0 to {}",
                    crate::ui::format::at(until)
                ));
                Latency::Running(Rc::new(RefCell::new(r)))
            }
            Err(e) => Latency::Done {
                until,
                chart: Err(e.to_string()),
            },
        };
        self.latency_rev += 1;
    }

    /// Replays one slice for the latency chart, if it is being computed; whether it did.
    fn latency_slice(&mut self) -> bool {
        let Latency::Running(job) = &self.latency else {
            return false;
        };
        let job = job.clone();
        let done = job.borrow_mut().run_slice(LATENCY_STEPS_PER_FRAME);
        self.latency_rev += 1;
        if done {
            let replay = job.borrow();
            let until = replay.until();
            self.latency = Latency::Done {
                until,
                chart: Ok(Rc::new(latency_chart_of(&replay.points(), until))),
            };
            self.announce(format!(
                "Latency computed up to {}",
                crate::ui::format::at(until)
            ));
        }
        true
    }

    /// What the charts panel shows of the latency chart.
    pub fn latency_view(&self) -> LatencyView {
        match &self.latency {
            Latency::None => LatencyView::None,
            Latency::Running(job) => {
                let job = job.borrow();
                LatencyView::Running {
                    now: job.now(),
                    until: job.until(),
                }
            }
            Latency::Done { until, chart } => LatencyView::Done {
                until: *until,
                chart: chart.clone(),
            },
        }
    }

    /// The world moved: rebuild the clock line, and take the history's inputs as they now
    /// stand (running on over recorded inputs applies them).
    fn clock_moved(&mut self) {
        let shared = self.history.clone();
        let h = shared.borrow();
        let sim = h.live();
        self.clock = ClockLine {
            now: sim.now(),
            next_due: sim.queue().next_ready_at(),
            next_event: sim.next_event_at(),
        };
        if !Rc::ptr_eq(&self.inputs, h.shared_inputs()) {
            self.inputs = h.shared_inputs().clone();
        }
        self.applied = h.applied_len();
        self.undo_len = h.undo_len();
    }

    /// The views are due: bump their revision and rebuild the tables, lanes and runway.
    fn views_changed(&mut self) {
        self.view_rev += 1;
        let shared = self.history.clone();
        let h = shared.borrow();
        let sim = h.live();
        self.display_now = sim.now();
        self.views = Rc::new(snapshot::views(
            sim,
            self.cap,
            &mut self.tables,
            self.wall_ms,
        ));
        self.selected_requeues = self
            .selected
            .as_ref()
            .map(|k| (k.clone(), sim.queue().num_requeues(k)));
    }

    /// The history panels are due: bump their revision and rebuild the values they show.
    fn panels_changed(&mut self) {
        self.panel_rev += 1;
        self.panels_now = self.now();
        let run_end = self.run_end();
        let shared = self.history.clone();
        let h = shared.borrow();
        let sim = h.live();
        self.diagnosis = Rc::new(DiagnosisValues::of(sim));
        self.scrubber_paint = Rc::new(scrubber::paint(sim, run_end));
        let samples = samples(sim);
        self.charts = Rc::new(
            chart_data_of(&samples, &sim.memory())
                .into_iter()
                .map(Rc::new)
                .collect(),
        );
        self.samples = Rc::new(samples);
        self.trace_hash = sim.trace_hash();
        self.summary = Rc::new(sim.summary());
        self.split.follow(sim, h.applied(), self.split_steps);
    }

    /// Takes one catch-up slice of the split view's worlds, on a frame `wall_ms` after the
    /// previous one (which paces the slices); whether there was one to take.
    fn split_slice(&mut self, wall_ms: f64) -> bool {
        if !self.split.catching_up() {
            return false;
        }
        self.split_steps = slice_steps(self.split_steps, wall_ms);
        let shared = self.history.clone();
        let h = shared.borrow();
        self.split.follow(h.live(), h.applied(), self.split_steps);
        self.panel_rev += 1;
        true
    }

    /// Applies inputs in order; stops at the first refusal and reports it. Returns the
    /// exact client-go call of the last event they produced, for the announcement.
    /// Acting before recorded inputs forks the future away; Undo brings it back (one act).
    fn apply_all(&mut self, inputs: Vec<Input>) -> Result<Option<String>, String> {
        let mut h = self.history.borrow_mut();
        let before = h.live().events().last().map_or(0, |e| e.seq);
        h.apply_group(inputs).map_err(|e| e.reason)?;
        Ok(h.live()
            .events()
            .last()
            .filter(|e| e.seq > before || before == 0)
            .map(|e| e.call()))
    }

    fn key_action(&mut self, action: KeyAction, key: KeyText) {
        let key = KeyText::from(key.trim());
        // With the priority queue, a Priority makes Add and Fail an AddWithOpts.
        let priority = if self.sim().queue_kind() == QueueKind::ControllerRuntime {
            match self.drafts.priority(FieldId::Priority) {
                Ok(p) => p,
                Err(e) => {
                    self.set_error(e.field, e.reason);
                    return;
                }
            }
        } else {
            None
        };
        self.clear_errors(&[FieldId::Priority]);
        let with_opts = |rate_limited: bool| Input::AddWithOpts {
            key: key.clone(),
            after: None,
            rate_limited,
            priority,
        };
        let inputs = match action {
            KeyAction::Add if priority.is_some() => vec![with_opts(false)],
            KeyAction::Add => vec![Input::Add(key.clone())],
            KeyAction::Fail => {
                let fail = if priority.is_some() {
                    with_opts(true)
                } else {
                    Input::Fail(key.clone())
                };
                // Held by you (Get without Done): finish it first, as a worker would on error.
                let held = self.sim().held_by_hand().any(|k| *k == key);
                if held {
                    vec![Input::Done(key.clone()), fail]
                } else {
                    vec![fail]
                }
            }
            KeyAction::Forget => vec![Input::Forget(key.clone())],
            KeyAction::Done => vec![Input::Done(key.clone())],
            KeyAction::Succeed => vec![Input::Succeed(key.clone())],
            KeyAction::Delete => vec![Input::DeleteObject(key.clone())],
        };
        if let Some(Err(e)) = inputs.first().map(Input::validate) {
            self.set_error(FieldId::Key, e.reason);
            return;
        }
        self.clear_errors(&[FieldId::Key]);
        match self.apply_all(inputs) {
            Ok(call) => {
                self.selected = Some(key.clone());
                self.sim_changed();
                let len = self.sim().failures_len();
                let what = call.unwrap_or_else(|| format!("{} {key}", action.name()));
                self.announce(format!("{what}. len(failures) = {len}"));
            }
            Err(reason) => self.announce(format!("{} {key} refused: {reason}", action.name())),
        }
    }

    /// One input from outside the page (an embed's parent): applied as a click would be, or
    /// refused with the reason kept for the sender, changing nothing.
    fn apply_one(&mut self, input: Input) {
        let result = input
            .validate()
            .map_err(|e| e.reason)
            .and_then(|()| self.apply_all(vec![input]));
        match result {
            Ok(call) => {
                self.sim_changed();
                self.announce(call.unwrap_or_else(|| "Applied".to_string()));
            }
            Err(reason) => {
                self.refusal = (self.refusal.0 + 1, Rc::from(reason.as_str()));
                self.announce(format!("Refused: {reason}"));
            }
        }
    }

    fn advance(&mut self, wall_ms: f64) -> bool {
        let wall_ms = frame_wall_ms(wall_ms);
        let speed = speed::clamp(self.speed);
        let Grant { step_ns, lagging } = self.pacer.grant(wall_ms, speed);
        if step_ns == 0 {
            self.pacer.simulated(0);
            return false;
        }
        let step = Duration::from_nanos(step_ns);
        let steps = {
            let mut h = self.history.borrow_mut();
            let before = h.live().steps();
            let target = h.cursor().checked_add(step).unwrap_or(Time::MAX);
            h.run_until(target);
            h.live().steps().saturating_sub(before)
        };
        self.pacer.simulated(steps);
        self.revision += 1;
        self.clock_moved();
        let interval = if self.reduced_motion {
            REDUCED_MOTION_REFRESH_MS
        } else if lagging {
            LOADED_VIEW_REFRESH_MS
        } else if speed > FAST_SPEED {
            FAST_VIEW_REFRESH_MS
        } else {
            0.0
        };
        let due = self.refresh(wall_ms, interval);
        // Only an occasional rebuild is exempt: views rebuilt every frame or every other frame
        // are the normal load.
        self.pacer
            .rebuilt(due.slow() || (due.views && interval >= LOADED_VIEW_REFRESH_MS));
        true
    }

    /// Replaces the run with `scenario` at t=0; a refused scenario leaves the page as it was
    /// (and says why).
    fn load(&mut self, scenario: Scenario) -> Result<(), String> {
        let id = scenario.id.clone();
        match History::new(scenario) {
            Ok(history) => {
                self.replace_run(history);
                self.announce(format!("Loaded scenario {id}"));
                Ok(())
            }
            Err(e) => {
                self.announce(format!("Scenario {id} refused: {e}"));
                Err(e.to_string())
            }
        }
    }

    /// Puts `history` in place of the run, with the forms of its scenario.
    fn replace_run(&mut self, history: History) {
        let scenario = history.scenario().clone();
        self.drafts = Rc::new(Drafts::from_scenario(&scenario));
        self.scenario = Rc::new(scenario);
        self.history = Rc::new(RefCell::new(history));
        self.errors = Rc::new(FieldErrors::new());
        self.selected = None;
        self.pacer.drop_carry();
        self.latency = Latency::None;
        self.latency_rev += 1;
        self.restoring = None;
        self.sim_changed();
    }

    /// Starts replaying `share` (scenario, inputs, cursor) from t=0, a slice per frame (see
    /// [`restore_slice`](Self::restore_slice)), taking checkpoints on the way so that later
    /// seeks are cheap; the page then shows it paused at the cursor. A refused scenario leaves
    /// the page as it was (and says why).
    fn restore(&mut self, share: ShareState) {
        let scenario_id = share.scenario.id.clone();
        let history = match History::recorded(&share) {
            Ok(h) => h,
            Err(e) => {
                self.announce(format!(
                    "Could not restore the run: scenario {scenario_id} refused: {e}"
                ));
                return;
            }
        };
        self.replace_run(history);
        let cursor = Time::from_nanos(share.cursor_ns);
        self.playing = false;
        self.restoring = Some(cursor);
        self.restore_steps = RESTORE_STEPS_PER_FRAME;
        self.announce(format!(
            "Restoring scenario {scenario_id}: replaying from t=0 to {}",
            crate::ui::format::at(cursor)
        ));
        self.restore_slice(None, RESTORE_STEPS_PER_FRAME);
    }

    /// Stops a restore where the replay has come to, paused there; the recorded inputs after
    /// it stay ahead (the scrubber replays them on a seek forward).
    fn cancel_restore(&mut self) {
        let Some(cursor) = self.restoring.take() else {
            return;
        };
        self.sim_changed();
        self.announce(format!(
            "Restore cancelled at {} (the link asked for {}); paused",
            crate::ui::format::at(self.now()),
            crate::ui::format::at(cursor)
        ));
    }

    /// Replays the run being restored by at most `max_steps` steps (on a frame `wall_ms`
    /// after the previous one, which paces the views). At the cursor the restore is done:
    /// every view is rebuilt and the page says so.
    fn restore_slice(&mut self, wall_ms: Option<f64>, max_steps: u64) {
        let Some(cursor) = self.restoring else {
            return;
        };
        let done = self
            .history
            .borrow_mut()
            .run_until_bounded(cursor, max_steps);
        self.revision += 1;
        self.clock_moved();
        if done {
            self.restoring = None;
            self.sim_changed();
            let now = crate::ui::format::at(self.now());
            self.announce(format!(
                "Restored scenario {} at {now}, paused",
                self.scenario.id
            ));
            return;
        }
        self.refresh(wall_ms.unwrap_or(0.0), RESTORE_VIEW_REFRESH_MS);
    }

    /// Rebuilds what the cadence says is due on a frame `wall_ms` after the previous one,
    /// with the views due every `views_interval_ms`; returns what it rebuilt.
    fn refresh(&mut self, wall_ms: f64, views_interval_ms: f64) -> Due {
        let due = self.cadence.frame(wall_ms, views_interval_ms);
        if due.log {
            let log = snapshot::log(&self.sim());
            self.log = Rc::new(log);
        }
        if due.panels {
            self.panels_changed();
        }
        if due.views {
            self.views_changed();
        }
        due
    }

    /// Runs one of the history's clock moves (Step, Skip to next due), then refreshes what
    /// depends on the world.
    fn move_clock(&mut self, clock_move: fn(&mut History) -> Option<Time>) -> Option<Time> {
        let t = clock_move(&mut self.history.borrow_mut());
        self.sim_changed();
        t
    }

    /// Moves the cursor to `t`, back or forward but no further than [`AppState::run_end`],
    /// from the nearest checkpoint (re-applying the recorded future on the way). Pauses, so
    /// the moment stays on screen.
    fn seek(&mut self, t: Time) {
        let t = t.min(self.run_end());
        self.history.borrow_mut().seek(t);
        self.playing = false;
        self.sim_changed();
        let at = crate::ui::format::at(self.now());
        let future = self.inputs.len() - self.applied;
        self.announce(if future > 0 {
            format!(
                "Moved to {at}, paused; {future} recorded input(s) ahead (acting now forks them)"
            )
        } else {
            format!("Moved to {at}, paused")
        });
    }

    /// Takes back the last act, keeping the cursor where it is.
    fn undo_last(&mut self) {
        if !self.history.borrow_mut().undo() {
            self.announce("Nothing to undo");
            return;
        }
        self.sim_changed();
        self.announce(format!(
            "Undone; {} recorded input(s) ahead",
            self.inputs.len() - self.applied
        ));
    }
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.history, &other.history)
            && self.revision == other.revision
            && self.playing == other.playing
            && self.speed == other.speed
            && self.display_now == other.display_now
            && self.view_rev == other.view_rev
            && self.panel_rev == other.panel_rev
            && self.restoring == other.restoring
            && self.theme == other.theme
            && self.shortcuts == other.shortcuts
            && self.help_open == other.help_open
            && self.selected == other.selected
            && self.key_input == other.key_input
            && self.drafts == other.drafts
            && self.errors == other.errors
            && self.announcement == other.announcement
            && self.refusal == other.refusal
            && self.share_notice == other.share_notice
            && self.latency_rev == other.latency_rev
            && self.split.open == other.split.open
            && Rc::ptr_eq(&self.split.values, &other.split.values)
    }
}

impl Action {
    /// Whether the action reads or changes the run at its cursor (and so must wait for a
    /// restore to finish), rather than only the page around it (theme, forms, help, speed) or
    /// replacing the run altogether.
    pub fn acts_on_the_run(&self) -> bool {
        !matches!(
            self,
            Action::Frame(_)
                | Action::Pause
                | Action::SetSpeed(_)
                | Action::KeyInput(_)
                | Action::Select(_)
                | Action::Edit(..)
                | Action::LimiterKind(_)
                | Action::Policy(_)
                | Action::Reconcile(_)
                | Action::LoadScenario(_)
                | Action::Startup(_)
                | Action::DismissNotice
                | Action::Restore(_)
                | Action::CancelRestore
                | Action::ComputeLatency
                | Action::CancelLatency
                | Action::ResetDefaults
                | Action::ToggleSplit
                | Action::PickSplit(..)
                | Action::Restart
                | Action::CycleTheme
                | Action::SetShortcuts(_)
                | Action::ToggleHelp
                | Action::CloseHelp
        )
    }
}

impl Action {
    /// Whether the person did this on purpose (not a frame, an automatic pause when the tab
    /// is hidden, the page's own startup, or typing that has not been acted on yet).
    pub fn is_a_persons_act(&self) -> bool {
        !matches!(
            self,
            Action::Frame(_)
                | Action::Pause
                | Action::KeyInput(_)
                | Action::Edit(..)
                | Action::Startup(_)
        )
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // A paused frame changes nothing: returning the same Rc skips the re-render.
        if matches!(action, Action::Frame(_))
            && !self.playing
            && self.restoring.is_none()
            && !self.latency.is_running()
            && !self.split.catching_up()
        {
            return self;
        }
        let mut next = (*self).clone();
        next.acted |= action.is_a_persons_act();
        if let Action::Frame(wall_ms) = action {
            next.wall_ms += frame_wall_ms(wall_ms);
        }
        if next.restoring.is_some() {
            if let Action::Frame(wall_ms) = action {
                next.restore_steps = slice_steps(next.restore_steps, wall_ms);
                next.restore_slice(Some(wall_ms), next.restore_steps);
                return Rc::new(next);
            }
            // Finishing the replay here could take minutes: the act is refused, never run
            // after a synchronous replay, and the person is told how to go on.
            if action.acts_on_the_run() {
                let permille = crate::ui::components::restore_progress::permille(
                    next.now(),
                    next.restoring.unwrap_or(Time::ZERO),
                );
                next.announce(format!(
                    "Still restoring the run ({}.{}% replayed): wait for it, or press Cancel to stop \
                     it here, then act",
                    permille / 10,
                    permille % 10
                ));
                return Rc::new(next);
            }
        }
        match action {
            Action::Frame(wall_ms) => {
                let latency = next.latency_slice();
                let moved = next.playing && next.advance(wall_ms);
                let split = next.split_slice(wall_ms);
                if !moved && !latency && !split {
                    return self;
                }
            }
            Action::ToggleSplit => {
                next.split.toggle();
                next.split_steps = CATCH_UP_STEPS;
                next.panels_changed();
                next.announce(if next.split.open {
                    "Split view opened"
                } else {
                    "Split view closed"
                });
            }
            Action::PickSplit(left, right) => {
                next.split.pick(left, right);
                next.split_steps = CATCH_UP_STEPS;
                next.panels_changed();
            }
            Action::PlayPause => {
                next.playing = !next.playing;
                next.pacer.drop_carry();
                next.stopped_or_started();
                next.announce(if next.playing { "Playing" } else { "Paused" });
            }
            Action::Pause => {
                if !next.playing {
                    return self;
                }
                next.playing = false;
                next.stopped_or_started();
                next.announce("Paused while the page was hidden");
            }
            Action::SetPlaying(playing) => {
                if next.playing == playing {
                    return self;
                }
                next.playing = playing;
                next.pacer.drop_carry();
                next.stopped_or_started();
                next.announce(if playing { "Playing" } else { "Paused" });
            }
            Action::Apply(input) => next.apply_one(input),
            Action::Step => {
                let t = next.move_clock(History::step);
                let now = next.now();
                next.announce(match t {
                    Some(_) => format!("Stepped to {}", crate::ui::format::at(now)),
                    None => "No further events".to_string(),
                });
            }
            Action::SkipToNextDue => {
                let t = next.move_clock(History::skip_to_next_due);
                let now = next.now();
                next.announce(match t {
                    Some(_) => format!(
                        "Skipped to the next due item at {}",
                        crate::ui::format::at(now)
                    ),
                    None => "Nothing is waiting".to_string(),
                });
            }
            Action::SetSpeed(s) => {
                let s = speed::clamp(s);
                if s == next.speed {
                    return self;
                }
                next.speed = s;
                next.pacer.set_speed(s);
                next.announce(format!("Speed {}", speed::label(s)));
            }
            Action::Key(action, key) => next.key_action(action, key),
            Action::Get => match next.apply_all(vec![Input::Get]) {
                Ok(call) => {
                    next.sim_changed();
                    next.announce(call.unwrap_or_else(|| "queue.Get()".to_string()));
                }
                Err(reason) => next.announce(format!("Get refused: {reason}")),
            },
            Action::KeyInput(text) => {
                next.key_input = text;
                next.clear_errors(&[FieldId::Key]);
            }
            Action::Select(key) => {
                next.key_input = key.to_string();
                let requeues = next.sim().queue().num_requeues(&key);
                next.selected_requeues = Some((key.clone(), requeues));
                next.selected = Some(key);
            }
            Action::Edit(field, text) => {
                Rc::make_mut(&mut next.drafts).set(field, text);
                next.clear_errors(&[field]);
            }
            Action::LimiterKind(kind) => Rc::make_mut(&mut next.drafts).limiter = kind,
            Action::Policy(edit) => Rc::make_mut(&mut next.drafts).edit_policy(edit),
            Action::Reconcile(choice) => {
                Rc::make_mut(&mut next.drafts).reconcile = choice;
                next.clear_errors(&[FieldId::RequeueAfter, FieldId::ResultPriority]);
            }
            Action::SetQueue(kind) => match next.apply_all(vec![Input::SetQueue(kind)]) {
                Ok(_) => {
                    next.sim_changed();
                    next.announce(format!(
                        "Queue now the {}; the controller restarted",
                        kind.title()
                    ));
                }
                Err(reason) => next.announce(format!("Queue change refused: {reason}")),
            },
            Action::ApplyLimiter => {
                next.clear_errors(&FieldId::LIMITER);
                match next.drafts.limiter_config() {
                    Err(e) => next.set_error(e.field, e.reason),
                    Ok(config) => {
                        let text = config.describe();
                        match next.apply_all(vec![Input::SetLimiter(config)]) {
                            Ok(_) => {
                                next.sim_changed();
                                next.announce(format!(
                                    "Limiter now {text}; the controller restarted"
                                ));
                            }
                            Err(reason) => {
                                let field = next
                                    .drafts
                                    .limiter
                                    .fields()
                                    .first()
                                    .copied()
                                    .unwrap_or(FieldId::Max);
                                next.set_error(field, reason);
                            }
                        }
                    }
                }
            }
            Action::ApplyPreset(p) => {
                let config = p.config();
                Rc::make_mut(&mut next.drafts).load_limiter(&config);
                match next.apply_all(vec![Input::SetLimiter(config)]) {
                    Ok(_) => {
                        next.sim_changed();
                        next.announce(format!(
                            "Limiter now {}; the controller restarted",
                            p.label()
                        ));
                    }
                    Err(reason) => next.announce(format!("Preset refused: {reason}")),
                }
            }
            Action::ApplyController => {
                next.clear_errors(&FieldId::CONTROLLER);
                let queue = next.sim().queue_kind();
                match next.drafts.controller_inputs(queue) {
                    Err(e) => next.set_error(e.field, e.reason),
                    Ok(inputs) => match next.apply_all(inputs) {
                        Ok(_) => {
                            next.sim_changed();
                            next.announce("Controller settings applied");
                        }
                        Err(reason) => next.set_error(FieldId::Workers, reason),
                    },
                }
            }
            Action::Bulk(bulk) => match next.drafts.bulk_input(bulk) {
                Err(e) => next.set_error(e.field, e.reason),
                Ok(input) => {
                    let label = input.label();
                    match next.apply_all(vec![input]) {
                        Ok(_) => {
                            next.sim_changed();
                            next.announce(label);
                        }
                        Err(reason) => next.announce(format!("{label} refused: {reason}")),
                    }
                }
            },
            Action::LoadScenario(id) => match preset(&id) {
                Some(s) => {
                    let _ = next.load(s);
                }
                None => next.announce(format!("No scenario named {id}")),
            },
            Action::Restart => {
                let s = next.sim().scenario().clone();
                let _ = next.load(s);
            }
            Action::Restore(share) => next.restore(*share),
            Action::CancelRestore => next.cancel_restore(),
            Action::ComputeLatency => next.start_latency(),
            Action::CancelLatency => {
                if next.latency.is_running() {
                    next.latency = Latency::None;
                    next.latency_rev += 1;
                    next.announce("Latency computation cancelled");
                }
            }
            Action::Seek(ns) => next.seek(Time::from_nanos(ns)),
            Action::Undo => next.undo_last(),
            Action::Startup(sources) => match startup::decide(&sources) {
                Startup::Nothing => return self,
                Startup::Restore(share) => next.restore(*share),
                Startup::Refused(text) => {
                    next.announce(text.clone());
                    next.share_notice = Some(Rc::from(text));
                }
            },
            Action::DismissNotice => next.share_notice = None,
            Action::ResetDefaults => {
                let s =
                    preset(DEFAULT_SCENARIO).unwrap_or_else(|| Scenario::empty(DEFAULT_SCENARIO));
                next.share_notice = None;
                let _ = next.load(s);
                next.speed = 1.0;
                next.playing = true;
                next.announce("Reset to the defaults");
            }
            Action::CycleTheme => next.theme = next.theme.next(),
            Action::SetShortcuts(on) => {
                next.shortcuts = on;
                next.announce(if on {
                    "Single-key shortcuts on"
                } else {
                    "Single-key shortcuts off"
                });
            }
            Action::ToggleHelp => next.help_open = !next.help_open,
            Action::CloseHelp => {
                if !next.help_open {
                    return self;
                }
                next.help_open = false;
            }
        }
        Rc::new(next)
    }
}
