//! The Scenario picker: the sim's presets, each a world to start from, grouped as in
//! [`crate::sim::field_notes`] ("The seed story", "From the field", "controller-runtime").
//! Loading one replaces the whole simulation (its seed, limiter, policy and script). Under the
//! description it shows what people expect and what the queue does instead, and the public
//! threads the scenario comes from, as links.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::sim::field_notes::{field_note, Group};

/// One entry of the picker.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioChoice {
    /// The preset id (`manual`, `seed-oom`, …).
    pub id: AttrValue,
    /// Its title.
    pub title: AttrValue,
}

/// Props for [`ScenarioPicker`].
#[derive(Properties, PartialEq)]
pub struct ScenarioPickerProps {
    /// The presets.
    pub choices: Vec<ScenarioChoice>,
    /// The id of the running scenario.
    pub current: AttrValue,
    /// Its description.
    pub description: AttrValue,
    /// A scenario was picked.
    pub on_pick: Callback<String>,
    /// Restart the current scenario from t=0.
    pub on_restart: Callback<()>,
}

/// The scenario picker.
#[component]
pub fn ScenarioPicker(props: &ScenarioPickerProps) -> Html {
    let onchange = {
        let cb = props.on_pick.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(select.value());
        })
    };
    let restart = {
        let cb = props.on_restart.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let option = |c: &ScenarioChoice| {
        html! {
            <option value={c.id.clone()} selected={c.id == props.current}>{ c.title.clone() }</option>
        }
    };
    let group_of = |c: &&ScenarioChoice| field_note(&c.id).map(|n| n.group);
    let note = field_note(&props.current);
    html! {
        <section class="panel scenario">
            <div class="field inline">
                <label for="scenario">{ "Scenario" }</label>
                <select id="scenario" {onchange}>
                    { for Group::ALL.iter().map(|g| html! {
                        <optgroup label={g.label()}>
                            { for props.choices.iter().filter(|c| group_of(c) == Some(*g)).map(option) }
                        </optgroup>
                    }) }
                    { for props.choices.iter().filter(|c| group_of(c).is_none()).map(option) }
                </select>
                <button type="button" class="mini" onclick={restart}>{ "Restart" }</button>
            </div>
            <p class="small muted">{ props.description.clone() }</p>
            if let Some(e) = note.and_then(|n| n.expectation) {
                <p class="expectation" id="scenario-expectation">{ e }</p>
            }
            if let Some(n) = note.filter(|n| !n.threads.is_empty()) {
                <div class="threads small">
                    <span id="scenario-threads-h">{ "From the threads: " }</span>
                    <ul class="threads-list" aria-labelledby="scenario-threads-h">
                        { for n.threads.iter().map(|t| html! {
                            <li>
                                <a href={t.url()} target="_blank" rel="noopener noreferrer" title={t.says}>{ t.label() }</a>
                                <span class="muted">{ format!(": {}", t.says) }</span>
                            </li>
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}
