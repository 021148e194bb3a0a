//! The Scenario picker: the sim's presets, each a world to start from. Loading one replaces the
//! whole simulation (its seed, limiter, policy and script).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

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
    html! {
        <section class="panel scenario">
            <div class="field inline">
                <label for="scenario">{ "Scenario" }</label>
                <select id="scenario" {onchange}>
                    { for props.choices.iter().map(|c| html! {
                        <option value={c.id.clone()} selected={c.id == props.current}>{ c.title.clone() }</option>
                    }) }
                </select>
                <button type="button" class="mini" onclick={restart}>{ "Restart" }</button>
            </div>
            <p class="small muted">{ props.description.clone() }</p>
        </section>
    }
}
