//! The split view: two setups (by default the buggy and the fixed controller; any queue ×
//! controller × limiter can be picked per side) on the same seeded events, in lockstep on the
//! page's clock, with difference chips ("failures map 5 214 vs 3", "max wait 16m40s vs
//! 640ms", "OOM kills 3× vs never") and the failures-map and memory charts of each side on one
//! shared scale. Off until opened, because it runs two more worlds.
//!
//! Opened late, or after a seek back, both worlds start at t=0 and catch up with the page's
//! clock [`CATCH_UP_STEPS`] steps at a time, between frames, with the progress shown: the
//! page stays usable instead of freezing for the seconds an hours-long replay takes.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::sim::compare::{Chip, Compare, Setup};
use crate::sim::leaks::group;
use crate::sim::{format_bytes, QueueKind, RecordedInput, Sim};
use crate::ui::components::chart_model::ChartData;
use crate::ui::components::chart_svg::Chart;
use crate::ui::components::charts::chart_data;
use crate::ui::format;
use crate::ui::split_setup::{ControllerChoice, LimiterChoice, SideChoice};

/// Steps each side takes per slice while catching up (about 4 ms of wasm for seed-oom on a
/// slow machine, so a slice fits between frames); at 45 steps per virtual second that is
/// several thousand times real time, so a catch-up overtakes even a clock playing at 1000×.
pub const CATCH_UP_STEPS: u64 = 4_000;

/// Props for [`SplitView`].
#[derive(Properties)]
pub struct SplitViewProps {
    /// The page's world: its scenario, clock and inputs drive both sides.
    pub sim: Rc<RefCell<Sim>>,
    /// The app's revision counter.
    pub revision: u64,
    /// The inputs applied so far.
    pub inputs: Rc<Vec<RecordedInput>>,
}

impl PartialEq for SplitViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim)
            && self.revision == other.revision
            && Rc::ptr_eq(&self.inputs, &other.inputs)
    }
}

/// One side's headline numbers and its two charts (failures map, memory).
struct SideView {
    id: &'static str,
    title: String,
    limiter: String,
    failures: u64,
    live: u64,
    orphans: u64,
    memory: u64,
    charts: Vec<ChartData>,
}

fn side_view(id: &'static str, setup: &Setup, sim: &Sim) -> SideView {
    let charts = chart_data(sim).into_iter().take(2).collect();
    SideView {
        id,
        title: setup.name(),
        limiter: setup.limiter.describe(),
        failures: sim.failures_len() as u64,
        live: sim.live_keys() as u64,
        orphans: sim.orphan_entries() as u64,
        memory: sim.memory().bytes,
        charts,
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

fn chip_html(c: &Chip) -> Html {
    let worse = (c.left_worse || c.right_worse).then_some("worse");
    html! {
        <li class={classes!("diff-chip", worse)} data-chip={c.label}>
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
    let open = use_state(|| false);
    let cursor = use_state(|| None::<f64>);
    let compare = use_mut_ref(|| None::<Compare>);
    // None: the defaults for the running scenario (buggy vs fixed).
    let picked = use_state(|| None::<(SideChoice, SideChoice)>);
    // Bumped by a timer after each catch-up slice, to render (and run) the next one.
    let slices = use_state(|| 0u64);
    let mut catching_up = false;
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let on_cursor = {
        let cursor = cursor.clone();
        Callback::from(move |t: Option<f64>| cursor.set(t))
    };
    let body = if *open {
        let sim = props.sim.borrow();
        let (scenario, now) = (sim.scenario(), sim.now());
        let (left_choice, right_choice) = picked.unwrap_or_else(|| SideChoice::defaults(scenario));
        let (left_setup, right_setup) = (left_choice.setup(scenario), right_choice.setup(scenario));
        let mut slot = compare.borrow_mut();
        let follows = slot.as_ref().is_some_and(|c| {
            c.runs(&left_setup, &right_setup) && c.can_follow(scenario, now, props.inputs.len())
        });
        if !follows {
            *slot = Compare::between(scenario, left_setup, right_setup).ok();
        }
        let on_pick = |right: bool| {
            let picked = picked.clone();
            Callback::from(move |c: SideChoice| {
                picked.set(Some(if right {
                    (left_choice, c)
                } else {
                    (c, right_choice)
                }));
            })
        };
        let pickers = html! {
            <div class="split-setups">
                { side_pickers("left", "Left side", left_choice, on_pick(false)) }
                { side_pickers("right", "Right side", right_choice, on_pick(true)) }
            </div>
        };
        let synced = slot
            .as_mut()
            .map(|c| c.sync_bounded(now, &props.inputs, CATCH_UP_STEPS));
        let view = match slot.as_ref() {
            None => html! { <p role="alert">{ "This scenario cannot be split." }</p> },
            Some(c) if synced == Some(false) => {
                catching_up = true;
                let (done, goal) = (c.now().as_nanos(), now.as_nanos().max(1));
                html! {
                    <div class="catch-up">
                        <p class="small">
                            { format!("Replaying both worlds from t=0 to the page's clock: {} of {}.", format::at_whole_seconds(c.now()), format::at(now)) }
                        </p>
                        <progress aria-label="Split view catching up" max="1000"
                            value={(done as f64 / goal as f64 * 1000.0).floor().to_string()}></progress>
                    </div>
                }
            }
            Some(c) => {
                let chips = c.chips();
                let mut left = side_view("left", &c.left.setup, &c.left.sim);
                let mut right = side_view("right", &c.right.setup, &c.right.sim);
                share_scales(&mut left.charts, &mut right.charts);
                let t_end = now.as_nanos() as f64 / 1e9;
                let side = |v: SideView| {
                    html! {
                        <div class="split-side" data-side={v.id} data-failures={v.failures.to_string()}>
                            <h3>{ v.title }</h3>
                            <p class="small mono">{ v.limiter }</p>
                            <dl class="split-stats">
                                <div><dt>{ "len(failures)" }</dt><dd class="failures-len">{ group(v.failures) }</dd></div>
                                <div><dt>{ "live keys" }</dt><dd>{ group(v.live) }</dd></div>
                                <div><dt>{ "orphans" }</dt><dd>{ group(v.orphans) }</dd></div>
                                <div><dt>{ "memory" }</dt><dd>{ format_bytes(v.memory) }</dd></div>
                            </dl>
                            { for v.charts.into_iter().map(|d| {
                                let key = format!("{}-{}", v.id, d.id);
                                let d = ChartData { id: if v.id == "left" { left_id(d.id) } else { right_id(d.id) }, ..d };
                                html! {
                                    <Chart key={key} data={Rc::new(d)} t_end={t_end} log={false}
                                        cursor={*cursor} on_cursor={on_cursor.clone()} />
                                }
                            }) }
                        </div>
                    }
                };
                html! {
                    <>
                        <p class="small">
                            { format!("Same seed and the same events on both sides, at {} on the page's clock; only the setups differ (queue, policy and limiter changes you make are not applied here).", format::at(now)) }
                        </p>
                        <ul class="diff-chips" aria-label="Differences, left vs right">
                            { for chips.iter().map(chip_html) }
                        </ul>
                        <div class="split-cols">
                            { side(left) }
                            { side(right) }
                        </div>
                    </>
                }
            }
        };
        html! { <>{ pickers }{ view }</> }
    } else {
        *compare.borrow_mut() = None;
        Html::default()
    };
    {
        let slices = slices.clone();
        use_effect_with((catching_up, *slices), move |(pending, n)| {
            let next = *n + 1;
            let timer = pending.then(|| Timeout::new(0, move || slices.set(next)));
            move || drop(timer)
        });
    }
    html! {
        <section class="panel split-view" aria-labelledby="split-h">
            <h2 id="split-h">
                { "Split view: compare two setups" }
                <button type="button" class="mini" aria-pressed={open.to_string()} onclick={toggle}>
                    { if *open { "Close split view" } else { "Open split view" } }
                </button>
            </h2>
            { body }
        </section>
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
