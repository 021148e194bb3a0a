//! The root component: one reducer over the app state, the real-time driver, and the layout
//! of small components fed from a per-render snapshot of the sim.

use std::rc::Rc;
use std::time::Duration;

use yew::prelude::*;

use crate::sim::presets;
use crate::ui::components::bulk_panel::BulkPanel;
use crate::ui::components::charts::Charts;
use crate::ui::components::controller_panel::ControllerPanel;
use crate::ui::components::diagnosis::Diagnosis;
use crate::ui::components::event_log::EventLog;
use crate::ui::components::failures_map::FailuresMap;
use crate::ui::components::header::Header;
use crate::ui::components::help_overlay::HelpOverlay;
use crate::ui::components::items_table::ItemsTable;
use crate::ui::components::key_panel::KeyPanel;
use crate::ui::components::lanes::Lanes;
use crate::ui::components::limiter_panel::LimiterPanel;
use crate::ui::components::live_region::LiveRegion;
use crate::ui::components::runway::Runway;
use crate::ui::components::scenario_picker::{ScenarioChoice, ScenarioPicker};
use crate::ui::components::schedule_table::ScheduleTable;
use crate::ui::components::time_controls::TimeControls;
use crate::ui::drafts::FieldId;
use crate::ui::driver::{use_animation_frames, use_on_hidden};
use crate::ui::key_action::KeyAction;
use crate::ui::shortcuts::{use_global_keys, GlobalKey};
use crate::ui::snapshot;
use crate::ui::state::{Action, AppState};
use crate::ui::theme;
use crate::ui::view::{ItemState, KeyText};

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

fn cb<T: 'static>(
    dispatch: &UseReducerDispatcher<AppState>,
    f: impl Fn(T) -> Action + 'static,
) -> Callback<T> {
    let dispatch = dispatch.clone();
    Callback::from(move |v: T| dispatch.dispatch(f(v)))
}

/// The playground: every panel, wired to the one reducer.
#[component]
pub fn Playground(props: &PlaygroundProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || (*initial).clone());
    let d = state.dispatcher();
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
    use_animation_frames(state.playing, cb(&d, Action::Frame));
    use_on_hidden(cb(&d, |_| Action::Pause));
    use_global_keys(
        state.shortcuts,
        cb(&d, |k| match k {
            GlobalKey::Help => Action::ToggleHelp,
            GlobalKey::Escape => Action::CloseHelp,
        }),
    );

    let sim = state.sim.borrow();
    let now = sim.now();
    let shown_now = state.display_now;
    let failures = snapshot::failures(&sim, state.cap);
    let counters = snapshot::counters(&sim, failures.len());
    let items = snapshot::items(&sim, &failures);
    let lanes = snapshot::lanes(&sim, &items, failures.len());
    let log = snapshot::log(&sim);
    let remaining: Vec<Duration> = items
        .iter()
        .filter(|i| i.state == ItemState::Waiting)
        .filter_map(|i| i.ready_at.map(|t| t.saturating_since(now)))
        .collect();
    let next_due = sim.queue().delaying().next_ready_at();
    let next_event = sim.next_event_at();
    let limiter_text = sim.limiter_config().describe();
    let scenario = sim.scenario();
    let (scenario_id, description) = (state.scenario_id.clone(), scenario.description.clone());
    let selected_requeues = state
        .selected
        .as_ref()
        .map(|k| (k.clone(), sim.queue().num_requeues(k)));
    drop(sim);

    let on_action: Callback<(KeyAction, KeyText)> = cb(&d, |(a, k)| Action::Key(a, k));
    let on_select: Callback<KeyText> = cb(&d, Action::Select);
    let on_edit: Callback<(FieldId, String)> = cb(&d, |(f, v)| Action::Edit(f, v));
    let kinds = Rc::new(
        snapshot::EVENT_KINDS
            .iter()
            .map(|k| Rc::from(*k))
            .collect::<Vec<Rc<str>>>(),
    );

    html! {
        <>
            <style>{ (*css).clone() }</style>
            <Header theme={state.theme} shortcuts={state.shortcuts}
                on_theme={cb(&d, |_| Action::CycleTheme)}
                on_shortcuts={cb(&d, Action::SetShortcuts)}
                on_help={cb(&d, |_| Action::ToggleHelp)} />
            <main class="layout">
                <div class="bar-top">
                    <TimeControls now={now} playing={state.playing} speed={state.speed}
                        next_event={next_event} next_due={next_due}
                        on_play_pause={cb(&d, |_| Action::PlayPause)}
                        on_step={cb(&d, |_| Action::Step)}
                        on_skip={cb(&d, |_| Action::SkipToNextDue)}
                        on_speed={cb(&d, Action::SetSpeed)} />
                </div>
                <div class="status-slot">
                    <LiveRegion message={AttrValue::from(state.announcement.1.clone())} seq={state.announcement.0} />
                </div>
                <div class="side side-top">
                    <ScenarioPicker choices={(*choices).clone()} current={AttrValue::from(scenario_id)}
                        description={AttrValue::from(description)}
                        on_pick={cb(&d, Action::LoadScenario)}
                        on_restart={cb(&d, |_| Action::Restart)} />
                    <KeyPanel value={AttrValue::from(state.key_input.clone())}
                        error={state.errors.get(&FieldId::Key).map(|e| AttrValue::from(e.clone()))}
                        on_input={cb(&d, Action::KeyInput)}
                        on_action={on_action.clone()}
                        on_get={cb(&d, |_| Action::Get)} />
                </div>
                <div class="views">
                    <div class="wide"><Lanes lanes={Rc::new(lanes)} /></div>
                    <div class="wide"><Runway remaining={remaining} /></div>
                    <ItemsTable rows={Rc::new(items)} now={shown_now} selected={state.selected.clone()}
                        shortcuts={state.shortcuts} on_action={on_action.clone()} on_select={on_select.clone()} />
                    <FailuresMap rows={Rc::new(failures)} counters={counters} now={shown_now}
                        selected={state.selected.clone()} on_action={on_action} on_select={on_select} />
                    <ScheduleTable rows={state.schedule.clone()} limiter={AttrValue::from(limiter_text.clone())}
                        selected={selected_requeues} />
                    <EventLog lines={Rc::new(log)} kinds={kinds} />
                    <div class="wide"><Charts sim={state.sim.clone()} revision={state.revision} /></div>
                    <Diagnosis sim={state.sim.clone()} revision={state.revision} />
                </div>
                <div class="side side-bottom">
                    <BulkPanel drafts={state.drafts.clone()} errors={state.errors.clone()}
                        on_edit={on_edit.clone()} on_bulk={cb(&d, Action::Bulk)} />
                    <LimiterPanel drafts={state.drafts.clone()} errors={state.errors.clone()}
                        current={AttrValue::from(limiter_text)}
                        on_edit={on_edit.clone()} on_kind={cb(&d, Action::LimiterKind)}
                        on_apply={cb(&d, |_| Action::ApplyLimiter)}
                        on_preset={cb(&d, Action::ApplyPreset)} />
                    <ControllerPanel drafts={state.drafts.clone()} errors={state.errors.clone()}
                        on_edit={on_edit} on_policy={cb(&d, Action::Policy)}
                        on_apply={cb(&d, |_| Action::ApplyController)} />
                </div>
            </main>
            if state.help_open {
                <HelpOverlay shortcuts={state.shortcuts} on_close={cb(&d, |_| Action::CloseHelp)} />
            }
        </>
    }
}
