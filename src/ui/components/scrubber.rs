//! The timeline scrubber: the run from t=0 to the furthest point reached, painted with what
//! happened (failures-map growth from fails, shrinking from forgets, `When()` calls that hit the
//! limiter's cap, OOM kills, your inputs),
//! with the cursor on it. Clicking or moving the slider seeks; the rest of the page (charts,
//! log, tables) follows because it reads the world at the cursor. Acting in the past forks the
//! recorded future; Undo brings it back.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::sim::{RecordedInput, Sim};
use crate::ui::format;
use crate::workqueue::Time;

/// Bins the bar is painted in.
pub const BINS: usize = 240;
const W: f64 = 1000.0;
const H: f64 = 40.0;

/// What happened in each bin of the run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Paint {
    /// Bins where the failures map grew (fails).
    pub fails: Vec<bool>,
    /// Bins where it shrank (forgets, restarts).
    pub forgets: Vec<bool>,
    /// Bins where a `When()` returned the limiter's cap (e.g. 16m40s).
    pub caps: Vec<bool>,
    /// Times of OOM kills (seconds, approximate to the series grid).
    pub ooms: Vec<f64>,
    /// The end of the run the bins span, t=0 to here ([`AppState::run_end`](crate::ui::state::AppState::run_end)
    /// when painted): the bar's axis, so bins and axis always agree.
    pub end: Time,
}

/// The seconds the bar spans for a run ending at `end` (at least one).
pub fn extent(end: Time) -> f64 {
    (end.as_nanos() as f64 / 1e9).max(1.0)
}

/// Paints the sim's metric series over t=0 to `end`.
pub fn paint(sim: &Sim, end: Time) -> Paint {
    let mut p = Paint {
        fails: vec![false; BINS],
        forgets: vec![false; BINS],
        caps: vec![false; BINS],
        ooms: Vec::new(),
        end,
    };
    let extent = extent(end);
    let samples = sim.series().samples();
    let mut last = sim.sample_state();
    last.at = sim.now();
    let bin = |t: f64| ((t / extent * BINS as f64) as usize).min(BINS - 1);
    let pairs = samples
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => Some((*a, *b)),
            _ => None,
        })
        .chain(samples.last().map(|a| (*a, last)));
    for (a, b) in pairs {
        let t = b.at.as_nanos() as f64 / 1e9;
        let i = bin(t);
        if b.failures_len > a.failures_len || b.retries_total > a.retries_total {
            if let Some(x) = p.fails.get_mut(i) {
                *x = true;
            }
        }
        if b.failures_len < a.failures_len {
            if let Some(x) = p.forgets.get_mut(i) {
                *x = true;
            }
        }
        if b.capped_total > a.capped_total {
            if let Some(x) = p.caps.get_mut(i) {
                *x = true;
            }
        }
        if b.oom_kills > a.oom_kills {
            p.ooms.push(t);
        }
    }
    p
}

/// Props for [`Scrubber`].
#[derive(Properties)]
pub struct ScrubberProps {
    /// The cursor's virtual time.
    pub now: Time,
    /// The run painted into bins over t=0 to its `end` ([`paint`]), by the app state.
    pub painted: Rc<Paint>,
    /// Every recorded input: the first `applied` are in the world at the cursor, the rest
    /// lie ahead of it.
    pub inputs: Rc<Vec<RecordedInput>>,
    /// How many of `inputs` the world at the cursor has applied.
    pub applied: usize,
    /// How many acts can be undone.
    pub undo: usize,
    /// Seek to a virtual time (ns).
    pub on_seek: Callback<u64>,
    /// Undo the last act.
    pub on_undo: Callback<()>,
}

impl PartialEq for ScrubberProps {
    fn eq(&self, other: &Self) -> bool {
        self.now == other.now
            && Rc::ptr_eq(&self.painted, &other.painted)
            && Rc::ptr_eq(&self.inputs, &other.inputs)
            && self.applied == other.applied
            && self.undo == other.undo
    }
}

/// The scrubber.
#[component]
pub fn Scrubber(props: &ScrubberProps) -> Html {
    let bar = use_node_ref();
    let now = props.now;
    let end = props.painted.end;
    let applied = props.applied.min(props.inputs.len());
    let ahead = props.inputs.len() - applied;
    let extent = extent(end);
    let painted = &props.painted;
    let x = |t: f64| t / extent * W;
    let cursor_s = now.as_nanos() as f64 / 1e9;

    let on_click = {
        let bar = bar.clone();
        let seek = props.on_seek.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = bar.cast::<web_sys::Element>() else {
                return;
            };
            let r = el.get_bounding_client_rect();
            if r.width() > 0.0 {
                let f = ((f64::from(e.client_x()) - r.left()) / r.width()).clamp(0.0, 1.0);
                seek.emit((f * extent * 1e9) as u64);
            }
        })
    };
    let on_range = {
        let seek = props.on_seek.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let ms = input.value_as_number(); // NaN if the value is not a number
            if ms.is_finite() {
                seek.emit((ms.max(0.0) * 1e6) as u64);
            }
        })
    };
    let seek_to = |ns: u64| {
        let seek = props.on_seek.clone();
        Callback::from(move |_: MouseEvent| seek.emit(ns))
    };
    let undo = {
        let cb = props.on_undo.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let bin_w = W / BINS as f64;
    let ticks = |bins: &[bool], y: f64, h: f64| {
        bins.iter()
            .enumerate()
            .filter(|(_, on)| **on)
            .map(|(i, _)| {
                html! { <rect x={format!("{:.1}", i as f64 * bin_w)} y={format!("{y}")}
                width={format!("{:.1}", bin_w.max(1.0))} height={format!("{h}")} /> }
            })
            .collect::<Html>()
    };
    let input_marks = |list: &mut dyn Iterator<Item = &RecordedInput>| {
        list.map(|i| {
            let px = x(i.at_ns as f64 / 1e9);
            html! { <path d={format!("M{px:.1} {H} l-4 -7 h8 z")} /> }
        })
        .collect::<Html>()
    };
    let end_ms = (extent * 1000.0).ceil();
    let label = format!(
        "{} of {}",
        format::at(now),
        crate::sim::format_duration(std::time::Duration::from_secs_f64(extent))
    );
    html! {
        <section class="panel scrubber" aria-labelledby="scrub-h">
            <div class="scrub-head">
                <h2 id="scrub-h">{ "Timeline" }</h2>
                <span class="small mono">{ label.clone() }</span>
                <span class="small muted legend">
                    <span class="key-fail">{ "▮ fails" }</span>
                    <span class="key-forget">{ "▮ forgets" }</span>
                    <span class="key-cap">{ "▬ cap reached" }</span>
                    <span class="key-oom">{ "✕ OOM kill" }</span>
                    <span>{ "▲ your inputs (hollow: recorded ahead)" }</span>
                </span>
                <div class="buttons">
                    <button type="button" class="mini" onclick={seek_to(0)}>{ "To t=0" }</button>
                    <button type="button" class="mini" onclick={seek_to(end.as_nanos())}>{ "To the end" }</button>
                    <button type="button" class="mini" onclick={undo} disabled={props.undo == 0}>
                        { format!("Undo ({})", props.undo) }
                    </button>
                </div>
            </div>
            <svg ref={bar} class="scrub-bar" viewBox={format!("0 0 {W} {H}")} preserveAspectRatio="none"
                aria-hidden="true" onclick={on_click}>
                <rect class="track" x="0" y="0" width={format!("{W}")} height={format!("{H}")} />
                <rect class="ahead" x={format!("{:.1}", x(cursor_s))} y="0"
                    width={format!("{:.1}", (W - x(cursor_s)).max(0.0))} height={format!("{H}")} />
                <g class="fail">{ ticks(&painted.fails, 2.0, 12.0) }</g>
                <g class="forget">{ ticks(&painted.forgets, 15.0, 10.0) }</g>
                <g class="cap">{ ticks(&painted.caps, 26.0, 5.0) }</g>
                { for painted.ooms.iter().map(|t| html! {
                    <g class="oom"><line x1={format!("{:.1}", x(*t))} x2={format!("{:.1}", x(*t))} y1="0" y2={format!("{H}")} /></g>
                }) }
                <g class="input">{ input_marks(&mut props.inputs[..applied].iter()) }</g>
                <g class="input ahead">{ input_marks(&mut props.inputs[applied..].iter()) }</g>
                <line class="cursor" x1={format!("{:.1}", x(cursor_s))} x2={format!("{:.1}", x(cursor_s))} y1="0" y2={format!("{H}")} />
            </svg>
            <label for="scrub-range" class="visually-hidden">{ "Time cursor (milliseconds)" }</label>
            <input id="scrub-range" type="range" min="0" max={end_ms.to_string()} step="1"
                value={format!("{:.0}", cursor_s * 1000.0)} aria-valuetext={label} onchange={on_range} />
            if ahead > 0 {
                <p class="small" id="scrub-future">
                    { format!("Viewing the past: {} recorded input(s) lie ahead and replay as time moves on. Acting now forks the future (Undo restores it).", ahead) }
                </p>
            }
        </section>
    }
}
