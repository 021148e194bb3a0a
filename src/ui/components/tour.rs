//! The guided tour of the loaded preset: 3 to 6 steps with Back and Continue, ending with
//! "Things to try". It starts over whenever another scenario is loaded (the App keys it by the
//! scenario id), and it can be hidden.

use yew::prelude::*;

use crate::sim::tours::tour;

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
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <section class="panel tour" aria-labelledby="tour-h">
            <h2 id="tour-h">
                { "Guided tour" }
                <button type="button" class="mini" aria-expanded={open.to_string()} onclick={toggle}>
                    { if *open { "Hide" } else { "Show" } }
                </button>
            </h2>
            if *open {
                if let Some(s) = t.steps.get(at) {
                    <p class="small muted" id="tour-progress">{ format!("Step {} of {total}", at + 1) }</p>
                    <h3 id="tour-step-title">{ s.title }</h3>
                    <p class="tour-body">{ s.body }</p>
                } else {
                    <p class="small muted" id="tour-progress">{ "Done" }</p>
                    <h3 id="tour-step-title">{ "Things to try" }</h3>
                    <ul class="tour-try">{ for t.things_to_try.iter().map(|x| html! { <li>{ *x }</li> }) }</ul>
                }
                <div class="buttons">
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
