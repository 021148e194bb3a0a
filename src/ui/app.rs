//! The root component: one reducer over the app state, the real-time driver, and the layout
//! of small components fed from a per-render snapshot of the sim.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::presets;
use crate::sim::queue_model::QueueKind;
use crate::ui::components::bulk_panel::BulkPanel;
use crate::ui::components::charts::Charts;
use crate::ui::components::controller_panel::ControllerPanel;
use crate::ui::components::diagnosis::Diagnosis;
use crate::ui::components::event_log::EventLog;
use crate::ui::components::export_panel::ExportPanel;
use crate::ui::components::failures_map::FailuresMap;
use crate::ui::components::header::Header;
use crate::ui::components::help_overlay::HelpOverlay;
use crate::ui::components::items_table::ItemsTable;
use crate::ui::components::key_panel::KeyPanel;
use crate::ui::components::lanes::Lanes;
use crate::ui::components::limiter_panel::LimiterPanel;
use crate::ui::components::live_region::LiveRegion;
use crate::ui::components::restore_progress::RestoreProgress;
use crate::ui::components::runway::Runway;
use crate::ui::components::scenario_picker::{ScenarioChoice, ScenarioPicker};
use crate::ui::components::schedule_table::ScheduleTable;
use crate::ui::components::scrubber::Scrubber;
use crate::ui::components::share_bar::{embedded_page, startup_sources, ShareBar};
use crate::ui::components::split_view::SplitView;
use crate::ui::components::time_controls::TimeControls;
use crate::ui::components::tour::Tour;
use crate::ui::drafts::{Bulk, FieldId, LimiterKind, LimiterPreset, PolicyEdit};
use crate::ui::driver::{use_animation_frames, use_on_hidden};
use crate::ui::embed_bridge::{use_parent_bridge, BridgeView};
use crate::ui::embed_command::Command;
use crate::ui::key_action::KeyAction;
use crate::ui::reconcile_choice::ReconcileChoice;
use crate::ui::shortcuts::{use_global_keys, GlobalKey};
use crate::ui::snapshot;
use crate::ui::split_setup::SideChoice;
use crate::ui::state::{Action, AppState};
use crate::ui::theme;
use crate::ui::view::{ClockLine, KeyText};

/// The playground's root component, mounted by `main.rs`: builds the first state (the manual
/// scenario at 1×) and shows the playground, or why it could not start.
#[component]
pub fn App() -> Html {
    let initial = use_memo((), |_| {
        AppState::initial(theme::load(), theme::prefers_reduced_motion())
    });
    match &*initial {
        Ok(state) => html! { <Playground initial={Rc::new(state.clone())} /> },
        Err(reason) => html! {
            <main>
                <h1>{ "Workqueue Playground" }</h1>
                <p role="alert">{ format!("The simulation could not start: {reason}") }</p>
            </main>
        },
    }
}

/// Props for [`Playground`].
#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    /// The state to start from.
    pub initial: Rc<AppState>,
}

/// A callback dispatching `f(value)`. `f` is a plain `fn` (every caller's closure captures
/// nothing), so there is one instance per value type, not one per call site.
fn cb<T: 'static>(dispatch: &UseReducerDispatcher<AppState>, f: fn(T) -> Action) -> Callback<T> {
    let dispatch = dispatch.clone();
    Callback::from(move |v: T| dispatch.dispatch(f(v)))
}

/// Every callback the panels get, made once so their identity is stable across renders and
/// a panel whose data did not change is not re-rendered (Yew compares props).
struct Handlers {
    frame: Callback<f64>,
    hidden: Callback<()>,
    global: Callback<GlobalKey>,
    theme: Callback<()>,
    shortcuts: Callback<bool>,
    help: Callback<()>,
    close_help: Callback<()>,
    play_pause: Callback<()>,
    step: Callback<()>,
    skip: Callback<()>,
    speed: Callback<f64>,
    pick: Callback<String>,
    restart: Callback<()>,
    key_input: Callback<String>,
    action: Callback<(KeyAction, KeyText)>,
    select: Callback<KeyText>,
    get: Callback<()>,
    edit: Callback<(FieldId, String)>,
    bulk: Callback<Bulk>,
    limiter_kind: Callback<LimiterKind>,
    apply_limiter: Callback<()>,
    preset: Callback<LimiterPreset>,
    policy: Callback<PolicyEdit>,
    reconcile: Callback<ReconcileChoice>,
    queue: Callback<QueueKind>,
    priority: Callback<String>,
    apply_controller: Callback<()>,
    command: Callback<Command>,
    toggle_split: Callback<()>,
    pick_split: Callback<(SideChoice, SideChoice)>,
}

impl Handlers {
    fn new(d: &UseReducerDispatcher<AppState>) -> Handlers {
        Handlers {
            frame: cb(d, Action::Frame),
            hidden: cb(d, |_| Action::Pause),
            global: cb(d, |k| match k {
                GlobalKey::Help => Action::ToggleHelp,
                GlobalKey::Escape => Action::CloseHelp,
            }),
            theme: cb(d, |_| Action::CycleTheme),
            shortcuts: cb(d, Action::SetShortcuts),
            help: cb(d, |_| Action::ToggleHelp),
            close_help: cb(d, |_| Action::CloseHelp),
            play_pause: cb(d, |_| Action::PlayPause),
            step: cb(d, |_| Action::Step),
            skip: cb(d, |_| Action::SkipToNextDue),
            speed: cb(d, Action::SetSpeed),
            pick: cb(d, Action::LoadScenario),
            restart: cb(d, |_| Action::Restart),
            key_input: cb(d, Action::KeyInput),
            action: cb(d, |(a, k)| Action::Key(a, k)),
            select: cb(d, Action::Select),
            get: cb(d, |_| Action::Get),
            edit: cb(d, |(f, v)| Action::Edit(f, v)),
            bulk: cb(d, Action::Bulk),
            limiter_kind: cb(d, Action::LimiterKind),
            apply_limiter: cb(d, |_| Action::ApplyLimiter),
            preset: cb(d, Action::ApplyPreset),
            policy: cb(d, Action::Policy),
            reconcile: cb(d, Action::Reconcile),
            queue: cb(d, Action::SetQueue),
            priority: cb(d, |v| Action::Edit(FieldId::Priority, v)),
            apply_controller: cb(d, |_| Action::ApplyController),
            command: cb(d, |c| match c {
                Command::Apply(input) => Action::Apply(input),
                Command::Play => Action::SetPlaying(true),
                Command::Pause => Action::SetPlaying(false),
                Command::Seek(ns) => Action::Seek(ns),
            }),
            toggle_split: cb(d, |_| Action::ToggleSplit),
            pick_split: cb(d, |(l, r)| Action::PickSplit(l, r)),
        }
    }
}

/// The playground: every panel, wired to the one reducer; or, opened from an embed link
/// (`#embed&…`), the compact layout for an iframe, drivable by its parent page.
#[component]
pub fn Playground(props: &PlaygroundProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || (*initial).clone());
    let h = {
        let d = state.dispatcher();
        use_memo((), move |_| Handlers::new(&d))
    };
    let css = use_memo((), |_| theme::css_variables());
    let choices = use_memo((), |_| {
        presets()
            .into_iter()
            .map(|s| ScenarioChoice {
                id: s.id.into(),
                title: s.title.into(),
            })
            .collect::<Vec<_>>()
    });

    use_effect_with(state.theme, |t| theme::apply_and_save(*t));
    // Frames drive the clock while playing, and a restore's or the latency chart's replay
    // while it lasts.
    use_animation_frames(
        state.playing
            || state.restoring.is_some()
            || state.latency.is_running()
            || state.split.catching_up(),
        h.frame.clone(),
    );
    use_on_hidden(h.hidden.clone());
    use_global_keys(state.shortcuts, h.global.clone());
    let embed = *use_memo((), |_| embedded_page());
    {
        // The link or the autosave the page was opened with, read once; the state decides.
        let startup = cb(&state.dispatcher(), Action::Startup);
        use_effect_with((), move |_| startup.emit(startup_sources(embed)));
    }
    use_parent_bridge(
        embed,
        BridgeView {
            summary: state.summary.clone(),
            playing: state.playing,
            restoring: state.restoring.is_some(),
            refusal: state.refusal.clone(),
        },
        h.command.clone(),
    );

    // Every value below comes from the state: the views as the reducer last rebuilt them
    // (every frame normally, less often under load or reduced motion), the history panels a
    // few times a second while playing; the clock line every frame.
    let views = state.views.clone();
    let ClockLine {
        now,
        next_due,
        next_event,
    } = state.clock;
    let limiter_text = state.schedule_for.describe();
    let scenario = &state.scenario;
    let queue = state.queue;
    let (scenario_id, description) = (scenario.id.clone(), scenario.description.clone());
    let scenario_title = scenario.title.clone();
    let title = AttrValue::from(format!("Workqueue Playground: {scenario_title}"));
    let selected_requeues = state.selected_requeues.clone();

    let on_action = h.action.clone();
    let on_select = h.select.clone();
    let on_edit = h.edit.clone();
    let kinds = Rc::new(
        snapshot::EVENT_KINDS
            .iter()
            .map(|k| Rc::from(*k))
            .collect::<Vec<Rc<str>>>(),
    );

    let time_controls = html! {
        <TimeControls now={now} playing={state.playing} speed={state.speed} effective={state.pacer.effective_speed()} lagging={state.pacer.lag_noticed()}
            next_event={next_event} next_due={next_due}
            on_play_pause={h.play_pause.clone()}
            on_step={h.step.clone()}
            on_skip={h.skip.clone()}
            on_speed={h.speed.clone()} />
    };
    let share_bar = html! {
        <ShareBar scenario={state.scenario.clone()} inputs={state.inputs.clone()} applied={state.applied}
            cursor={state.panels_now} trace_hash={state.trace_hash} wall_ms={state.wall_ms}
            playing={state.playing} restoring={state.restoring.is_some()} embed={embed} title={title}
            notice={state.share_notice.clone()}
            on_dismiss={cb(&state.dispatcher(), |_| Action::DismissNotice)}
            on_reset={cb(&state.dispatcher(), |_| Action::ResetDefaults)} />
    };
    let live = html! {
        <LiveRegion message={AttrValue::from(state.announcement.1.clone())} seq={state.announcement.0} />
    };
    if embed {
        return html! {
            <>
                <style>{ (*css).clone() }</style>
                <main class="embed-layout">
                    <header class="embed-head">
                        <h1>{ "Workqueue Playground" }</h1>
                        <span class="muted small">{ scenario_title }</span>
                        { share_bar }
                    </header>
                    <div class="bar-top">{ time_controls }</div>
                    if let Some(target) = state.restoring {
                        <RestoreProgress now={now} target={target} on_cancel={cb(&state.dispatcher(), |_| Action::CancelRestore)} />
                    }
                    { live }
                    <div class="wide"><Lanes lanes={views.lanes.clone()} /></div>
                    <FailuresMap rows={views.failures.clone()} counters={views.counters.clone()} now={views.now}
                        selected={state.selected.clone()} on_action={on_action} on_select={on_select} />
                    <Charts charts={state.charts.clone()} now={state.panels_now} only={Some("failures")} />
                </main>
            </>
        };
    }
    html! {
        <>
            <style>{ (*css).clone() }</style>
            <Header theme={state.theme} shortcuts={state.shortcuts}
                on_theme={h.theme.clone()}
                on_shortcuts={h.shortcuts.clone()}
                on_help={h.help.clone()} />
            if !state.acted {
                <p class="first-hint" id="first-hint">
                    { "Try this first: type a key such as " }<code>{ "default/a" }</code>
                    { " in “Act on a key”, press Fail twice and watch its delay double; Forget clears it." }
                </p>
            }
            <main class="layout">
                <div class="bar-top">{ time_controls }</div>
                <div class="status-slot">
                    if let Some(target) = state.restoring {
                        <RestoreProgress now={now} target={target} on_cancel={cb(&state.dispatcher(), |_| Action::CancelRestore)} />
                    }
                    <Scrubber now={state.panels_now} painted={state.scrubber_paint.clone()} inputs={state.inputs.clone()} applied={state.applied}
                        undo={state.undo_len}
                        on_seek={cb(&state.dispatcher(), Action::Seek)} on_undo={cb(&state.dispatcher(), |_| Action::Undo)} />
                    { live }
                </div>
                <div class="side side-top">
                    <KeyPanel value={AttrValue::from(state.key_input.clone())}
                        error={state.errors.get(&FieldId::Key).map(|e| AttrValue::from(e.clone()))}
                        on_input={h.key_input.clone()}
                        on_action={on_action.clone()}
                        on_get={h.get.clone()}
                        priority={(queue == QueueKind::ControllerRuntime).then(|| (
                            AttrValue::from(state.drafts.get(FieldId::Priority).to_string()),
                            state.errors.get(&FieldId::Priority).map(|e| AttrValue::from(e.clone())),
                        ))}
                        on_priority={h.priority.clone()} />
                    <ScenarioPicker choices={(*choices).clone()} current={AttrValue::from(scenario_id)}
                        description={AttrValue::from(description)}
                        on_pick={h.pick.clone()}
                        on_restart={h.restart.clone()} />
                    <Tour key={state.scenario.id.clone()} scenario_id={AttrValue::from(state.scenario.id.clone())} />
                    { share_bar }
                </div>
                <div class="views">
                    <div class="wide"><Lanes lanes={views.lanes.clone()} /></div>
                    <div class="wide"><Runway view={views.runway.clone()} /></div>
                    <ItemsTable rows={views.items.clone()} now={views.now} selected={state.selected.clone()}
                        shortcuts={state.shortcuts} on_action={on_action.clone()} on_select={on_select.clone()}
                        priorities={queue == QueueKind::ControllerRuntime} />
                    <FailuresMap rows={views.failures.clone()} counters={views.counters.clone()} now={views.now}
                        selected={state.selected.clone()} on_action={on_action} on_select={on_select} />
                    <ScheduleTable rows={state.schedule.clone()} limiter={AttrValue::from(limiter_text.clone())}
                        selected={selected_requeues} />
                    <EventLog lines={state.log.clone()} kinds={kinds} />
                    <div class="wide"><Charts charts={state.charts.clone()} now={state.panels_now} on_seek={Some(cb(&state.dispatcher(), |s: f64| Action::Seek((s.max(0.0) * 1e9) as u64)))}
                        latency={state.latency_view()} on_latency={cb(&state.dispatcher(), |_| Action::ComputeLatency)}
                        on_cancel_latency={cb(&state.dispatcher(), |_| Action::CancelLatency)} /></div>
                    <div class="wide"><SplitView open={state.split.open} choices={state.split.choices(&state.scenario)}
                        values={state.split.values.clone()} on_toggle={h.toggle_split.clone()} on_pick={h.pick_split.clone()} /></div>
                    <Diagnosis values={state.diagnosis.clone()} />
                </div>
                <div class="side side-bottom">
                    <ExportPanel scenario={state.scenario.clone()} inputs={state.inputs.clone()} applied={state.applied} cursor={state.panels_now}
                        trace_hash={state.trace_hash} samples={state.samples.clone()} on_import={cb(&state.dispatcher(), Action::Restore)} />
                    <BulkPanel drafts={state.drafts.clone()} errors={state.errors.clone()}
                        on_edit={on_edit.clone()} on_bulk={h.bulk.clone()} />
                    <LimiterPanel drafts={state.drafts.clone()} errors={state.errors.clone()}
                        current={AttrValue::from(limiter_text)}
                        on_edit={on_edit.clone()} on_kind={h.limiter_kind.clone()}
                        on_apply={h.apply_limiter.clone()}
                        on_preset={h.preset.clone()} />
                    <ControllerPanel drafts={state.drafts.clone()} errors={state.errors.clone()}
                        on_edit={on_edit} on_policy={h.policy.clone()}
                        queue={queue} on_queue={h.queue.clone()} on_reconcile={h.reconcile.clone()}
                        on_apply={h.apply_controller.clone()} />
                </div>
            </main>
            if state.help_open {
                <HelpOverlay shortcuts={state.shortcuts} on_close={h.close_help.clone()} />
            }
        </>
    }
}
