//! The guided tour of the loaded preset: 3 to 6 steps with Back and Continue, ending with
//! "Things to try". It starts over whenever another scenario is loaded (the App keys it by the
//! scenario id), and it can be hidden. With focus in the tour, ← and → step through it, Home
//! and End go to the first step and to "Things to try".

use yew::prelude::*;

use crate::sim::tours::tour;

/// The step a key press in the tour goes to, when at step `at` of a tour with `total` steps
/// (step `total` is "Things to try"); `None` for keys the tour leaves alone.
pub fn tour_key(key: &str, at: usize, total: usize) -> Option<usize> {
    match key {
        "ArrowRight" => Some((at + 1).min(total)),
        "ArrowLeft" => Some(at.saturating_sub(1)),
        "Home" => Some(0),
        "End" => Some(total),
        _ => None,
    }
}

/// Props for [`Tour`].
#[derive(Properties, PartialEq)]
pub struct TourProps {
    /// The preset whose tour is shown.
    pub scenario_id: AttrValue,
}

/// The tour panel (nothing for a scenario without a tour).
#[component]
pub fn Tour(props: &TourProps) -> Html {
    let step = use_state(|| 0usize);
    let open = use_state(|| true);
    let Some(t) = tour(&props.scenario_id) else {
        return Html::default();
    };
    let total = t.steps.len();
    let at = (*step).min(total);
    let go = |to: usize| {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set(to))
    };
    let onkeydown = {
        let step = step.clone();
        Callback::from(move |e: KeyboardEvent| {
            let modified = e.ctrl_key() || e.alt_key() || e.meta_key() || e.shift_key();
            if let Some(to) = tour_key(&e.key(), at, total).filter(|_| !modified) {
                e.prevent_default();
                step.set(to);
            }
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <section class="panel tour" aria-labelledby="tour-h" {onkeydown}>
            <h2 id="tour-h">
                { "Guided tour" }
                <button type="button" class="mini" aria-expanded={open.to_string()} onclick={toggle}>
                    { if *open { "Hide" } else { "Show" } }
                </button>
            </h2>
            if *open {
                <div class="tour-step" aria-live="polite">
                    if let Some(s) = t.steps.get(at) {
                        <p class="small muted" id="tour-progress">{ format!("Step {} of {total}", at + 1) }</p>
                        <h3 id="tour-step-title">{ s.title }</h3>
                        <p class="tour-body">{ s.body }</p>
                    } else {
                        <p class="small muted" id="tour-progress">{ "Done" }</p>
                        <h3 id="tour-step-title">{ "Things to try" }</h3>
                        <ul class="tour-try">{ for t.things_to_try.iter().map(|x| html! { <li>{ *x }</li> }) }</ul>
                    }
                </div>
                <div class="buttons" title="With focus here, ← and → also step through the tour">
                    <button type="button" onclick={go(at.saturating_sub(1))} disabled={at == 0}>{ "Back" }</button>
                    if at < total {
                        <button type="button" class="primary" onclick={go(at + 1)}>{ "Continue" }</button>
                    } else {
                        <button type="button" onclick={go(0)}>{ "Start over" }</button>
                    }
                </div>
            }
        </section>
    }
}
