//! The media-player row for the virtual clock: Play/Pause, Step, Skip to next due, Speed on a
//! log scale, and the current virtual time, always visible.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ui::format;
use crate::ui::speed;
use crate::workqueue::Time;

/// Props for [`TimeControls`].
#[derive(Properties, PartialEq)]
pub struct TimeControlsProps {
    /// The sim's virtual time.
    pub now: Time,
    /// Whether the clock is running.
    pub playing: bool,
    /// Virtual seconds per wall second asked for.
    pub speed: f64,
    /// Virtual seconds per wall second achieved lately (lower when the world is too heavy).
    #[prop_or(f64::NAN)]
    pub effective: f64,
    /// Whether the clock has lagged for a sustained second (only then is the lag shown).
    #[prop_or_default]
    pub lagging: bool,
    /// When the next event of any kind happens (enables Step).
    pub next_event: Option<Time>,
    /// When the earliest waiting item becomes ready (enables Skip).
    pub next_due: Option<Time>,
    /// Play when paused, pause when playing.
    pub on_play_pause: Callback<()>,
    /// Jump to the next event.
    pub on_step: Callback<()>,
    /// Jump to the earliest `readyAt`.
    pub on_skip: Callback<()>,
    /// A new speed from the slider or the number field.
    pub on_speed: Callback<f64>,
}

/// The time control bar.
#[component]
pub fn TimeControls(props: &TimeControlsProps) -> Html {
    let speed_error = use_state(|| None::<String>);
    // What is typed in the Speed field, until Enter or leaving the field commits it. While
    // playing this component re-renders every frame; without the draft each render would put
    // the current speed back into the field under the typist's fingers.
    let speed_draft = use_state(|| None::<String>);
    let play_pause = {
        let cb = props.on_play_pause.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let step = {
        let cb = props.on_step.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let skip = {
        let cb = props.on_skip.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_slider = {
        let cb = props.on_speed.clone();
        let speed_draft = speed_draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let v = input.value_as_number();
            if v.is_finite() {
                speed_draft.set(None);
                cb.emit(speed::from_slider(v));
            }
        })
    };
    let on_number_input = {
        let speed_draft = speed_draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            speed_draft.set(Some(input.value()));
        })
    };
    let on_number = {
        let cb = props.on_speed.clone();
        let speed_error = speed_error.clone();
        let speed_draft = speed_draft.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            match speed::parse(&input.value()) {
                Ok(v) => {
                    speed_error.set(None);
                    speed_draft.set(None);
                    cb.emit(v);
                }
                // A refused value stays in the field beside its error, to be corrected.
                Err(reason) => speed_error.set(Some(reason)),
            }
        })
    };
    let speed_text = (*speed_draft)
        .clone()
        .unwrap_or_else(|| speed::number(props.speed));
    let nudge = |to: f64| {
        let cb = props.on_speed.clone();
        let speed_draft = speed_draft.clone();
        Callback::from(move |_: MouseEvent| {
            speed_draft.set(None);
            cb.emit(to);
        })
    };
    let due_text = match props.next_due {
        Some(t) => format!("next due {}", format::until_short(props.now, t)),
        None => "nothing waiting".to_string(),
    };
    html! {
        <section class="panel time-controls" aria-labelledby="time-h">
            <h2 id="time-h" class="visually-hidden">{ "Time" }</h2>
            <div class="clock" aria-live="off">
                <span class="clock-label">{ "Virtual time" }</span>
                <output class="clock-value" id="virtual-time" aria-label="Virtual time">
                    { format::at(props.now) }
                </output>
                <span class="muted small">{ due_text }</span>
            </div>
            <div class="buttons">
                <button type="button" class="primary" onclick={play_pause}>
                    { if props.playing { "Pause" } else { "Play" } }
                </button>
                <button type="button" onclick={step} disabled={props.next_event.is_none()}
                    title="Run to the next event of any kind (→ in the item table)">{ "Step" }</button>
                <button type="button" onclick={skip} disabled={props.next_due.is_none()}
                    title="Jump to the earliest readyAt in the waiting heap">{ "Skip to next due" }</button>
            </div>
            <div class="speed">
                <label for="speed">{ "Speed" }</label>
                <button type="button" class="mini" onclick={nudge(speed::slower(props.speed))}
                    aria-label="Slower">{ "−" }</button>
                <input id="speed" type="range" min="-3" max="4" step="0.01" list="speed-detents"
                    value={speed::to_slider(props.speed).to_string()}
                    aria-valuetext={speed::label(props.speed)} oninput={on_slider} />
                <datalist id="speed-detents">
                    { for speed::DETENTS.iter().map(|d| html! { <option value={d.log10().to_string()} /> }) }
                </datalist>
                <button type="button" class="mini" onclick={nudge(speed::faster(props.speed))}
                    aria-label="Faster">{ "+" }</button>
                <label for="speed-factor" class="visually-hidden">{ "Speed factor" }</label>
                <input id="speed-factor" class="num" type="text" inputmode="decimal"
                    value={speed_text} oninput={on_number_input} onchange={on_number}
                    aria-invalid={speed_error.is_some().to_string()}
                    aria-describedby={speed_error.is_some().then_some("speed-error")} />
                <span class="speed-label">{ speed::label(props.speed) }</span>
                if props.playing && props.lagging && props.effective < props.speed * 0.8 {
                    <span class="lag small">
                        { format!("running at ×{}: the simulation cannot keep up", speed::number(props.effective.max(speed::MIN))) }
                    </span>
                }
                if let Some(reason) = &*speed_error {
                    <span id="speed-error" class="field-error" role="alert">{ reason.clone() }</span>
                }
            </div>
        </section>
    }
}
