//! The split view: two setups (by default the buggy and the fixed controller; any queue ×
//! controller × limiter can be picked per side) on the same seeded events, in lockstep on the
//! page's clock, with difference chips ("failures map 5 214 vs 3", "max wait 16m40s vs
//! 640ms", "OOM kills 3× vs never") and the failures-map and memory charts of each side on one
//! shared scale. Off until opened, because it runs two more worlds.
//!
//! The worlds live in the app state ([`SplitRun`](crate::ui::split_run::SplitRun)), which
//! advances them on its frames; this component draws their [`SplitValues`] and emits the
//! toggle and the picks.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::sim::compare::Chip;
use crate::sim::leaks::group;
use crate::sim::{format_bytes, QueueKind};
use crate::ui::components::chart_svg::Chart;
use crate::ui::format;
use crate::ui::split_run::{SideView, SplitValues};
use crate::ui::split_setup::{ControllerChoice, LimiterChoice, SideChoice};
use std::rc::Rc;

/// Props for [`SplitView`].
#[derive(Properties, PartialEq)]
pub struct SplitViewProps {
    /// Whether the view is open.
    pub open: bool,
    /// The setups the pickers show, left and right.
    pub choices: (SideChoice, SideChoice),
    /// What the two worlds show (from the app state).
    pub values: Rc<SplitValues>,
    /// Open or close the view.
    pub on_toggle: Callback<()>,
    /// New setups, left and right.
    pub on_pick: Callback<(SideChoice, SideChoice)>,
}

fn chip_html(c: &Chip) -> Html {
    let worse = c.left_worse || c.right_worse;
    html! {
        <li ~className={if worse { "diff-chip worse" } else { "diff-chip" }} data-chip={c.label}>
            <strong>{ c.label }</strong>
            <span>{ format!(" {} vs {}", c.left, c.right) }</span>
            if c.left_worse { <span class="visually-hidden">{ " (left is worse)" }</span> }
            if c.right_worse { <span class="visually-hidden">{ " (right is worse)" }</span> }
        </li>
    }
}

fn select_value(e: &Event) -> String {
    let select: HtmlSelectElement = e.target_unchecked_into();
    select.value()
}

/// The three pickers of one side.
fn side_pickers(
    side: &'static str,
    title: &'static str,
    choice: SideChoice,
    on_change: Callback<SideChoice>,
) -> Html {
    let on_queue = {
        let cb = on_change.clone();
        Callback::from(move |e: Event| {
            if let Ok(queue) = QueueKind::parse(&select_value(&e)) {
                cb.emit(SideChoice { queue, ..choice });
            }
        })
    };
    let on_controller = {
        let cb = on_change.clone();
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            if let Some(controller) = ControllerChoice::ALL.into_iter().find(|c| c.value() == v) {
                cb.emit(SideChoice {
                    controller,
                    ..choice
                });
            }
        })
    };
    let on_limiter = {
        let cb = on_change;
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            if let Some(limiter) = LimiterChoice::ALL.into_iter().find(|c| c.value() == v) {
                cb.emit(SideChoice { limiter, ..choice });
            }
        })
    };
    let cr = choice.queue == QueueKind::ControllerRuntime;
    html! {
        <fieldset class="split-setup" data-setup={side}>
            <legend>{ title }</legend>
            <label>{ "Queue" }
                <select aria-label={format!("{title} queue")} onchange={on_queue}>
                    { for QueueKind::ALL.into_iter().map(|q| html! {
                        <option value={q.as_str()} selected={q == choice.queue}>{ q.title() }</option>
                    }) }
                </select>
            </label>
            <label>{ "Controller" }
                <select aria-label={format!("{title} controller")} onchange={on_controller} disabled={cr}>
                    { for ControllerChoice::ALL.into_iter().map(|c| html! {
                        <option value={c.value()} selected={c == choice.controller}>{ c.label() }</option>
                    }) }
                </select>
                if cr { <span class="hint">{ "reconcileHandler makes the calls from what Reconcile returns" }</span> }
            </label>
            <label>{ "Limiter" }
                <select aria-label={format!("{title} limiter")} onchange={on_limiter}>
                    { for LimiterChoice::ALL.into_iter().map(|c| html! {
                        <option value={c.value()} selected={c == choice.limiter}>{ c.label() }</option>
                    }) }
                </select>
            </label>
        </fieldset>
    }
}

/// The split view panel.
#[component]
pub fn SplitView(props: &SplitViewProps) -> Html {
    let cursor = use_state(|| None::<f64>);
    let toggle = {
        let cb = props.on_toggle.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_cursor = {
        let cursor = cursor.clone();
        Callback::from(move |t: Option<f64>| cursor.set(t))
    };
    let body = if props.open {
        let (left_choice, right_choice) = props.choices;
        let on_pick = |right: bool| {
            let cb = props.on_pick.clone();
            Callback::from(move |c: SideChoice| {
                cb.emit(if right {
                    (left_choice, c)
                } else {
                    (c, right_choice)
                });
            })
        };
        let pickers = html! {
            <div class="split-setups">
                { side_pickers("left", "Left side", left_choice, on_pick(false)) }
                { side_pickers("right", "Right side", right_choice, on_pick(true)) }
            </div>
        };
        let view = match &*props.values {
            SplitValues::Closed => Html::default(),
            SplitValues::Unsplittable => {
                html! { <p role="alert">{ "This scenario cannot be split." }</p> }
            }
            SplitValues::CatchingUp { done, goal } => {
                let (d, g) = (done.as_nanos(), goal.as_nanos().max(1));
                html! {
                    <div class="catch-up">
                        <p class="small">
                            { format!("Replaying both worlds from t=0 to the page's clock: {} of {}.", format::at_whole_seconds(*done), format::at(*goal)) }
                        </p>
                        <progress aria-label="Split view catching up" max="1000"
                            value={(d as f64 / g as f64 * 1000.0).floor().to_string()}></progress>
                    </div>
                }
            }
            SplitValues::Ready {
                now,
                chips,
                left,
                right,
            } => {
                let t_end = now.as_nanos() as f64 / 1e9;
                let side = |v: &SideView| {
                    html! {
                        <div class="split-side" data-side={v.id} data-failures={v.failures.to_string()}>
                            <h3>{ v.title.clone() }</h3>
                            <p class="small mono">{ v.limiter.clone() }</p>
                            <dl class="split-stats">
                                <div><dt>{ "len(failures)" }</dt><dd class="failures-len">{ group(v.failures) }</dd></div>
                                <div><dt>{ "live keys" }</dt><dd>{ group(v.live) }</dd></div>
                                <div><dt>{ "orphans" }</dt><dd>{ group(v.orphans) }</dd></div>
                                <div><dt>{ "memory" }</dt><dd>{ format_bytes(v.memory) }</dd></div>
                            </dl>
                            { for v.charts.iter().map(|d| html! {
                                <Chart key={d.id} data={d.clone()} t_end={t_end} log={false}
                                    cursor={*cursor} on_cursor={on_cursor.clone()} />
                            }) }
                        </div>
                    }
                };
                html! {
                    <>
                        <p class="small">
                            { format!("Same seed and the same events on both sides, at {} on the page's clock; only the setups differ (queue, policy and limiter changes you make are not applied here).", format::at(*now)) }
                        </p>
                        <ul class="diff-chips" aria-label="Differences, left vs right">
                            { for chips.iter().map(chip_html) }
                        </ul>
                        <div class="split-cols">
                            { side(left.as_ref()) }
                            { side(right.as_ref()) }
                        </div>
                    </>
                }
            }
        };
        html! { <>{ pickers }{ view }</> }
    } else {
        Html::default()
    };
    html! {
        <section class="panel split-view" aria-labelledby="split-h">
            <h2 id="split-h">
                { "Split view: compare two setups" }
                <button type="button" class="mini" aria-pressed={props.open.to_string()} onclick={toggle}>
                    { if props.open { "Close split view" } else { "Open split view" } }
                </button>
            </h2>
            { body }
        </section>
    }
}
