//! A labelled text field that shows why its value was refused, right under it, and marks itself
//! invalid for assistive technology.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props for [`Field`].
#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// Element id (also the base of the error's id).
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The current text.
    pub value: AttrValue,
    /// Why the value was refused, if it was.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// A short hint shown after the label ("0 = manual", "e.g. 5ms").
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// `inputmode` for on-screen keyboards (`numeric`, `decimal`, `text`).
    #[prop_or(AttrValue::Static("text"))]
    pub mode: AttrValue,
    /// Called with the new text on every edit.
    pub on_input: Callback<String>,
}

/// One form field with its refusal message.
#[component]
pub fn Field(props: &FieldProps) -> Html {
    let oninput = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        })
    };
    let error_id = format!("{}-error", props.id);
    html! {
        <div ~className={if props.error.is_some() { "field invalid" } else { "field" }}>
            <label for={props.id.clone()}>
                { props.label.clone() }
                if let Some(hint) = &props.hint { <span class="hint">{ format!(" ({hint})") }</span> }
            </label>
            <input id={props.id.clone()} type="text" inputmode={props.mode.clone()} autocomplete="off"
                spellcheck="false" value={props.value.clone()} {oninput}
                aria-invalid={props.error.is_some().to_string()}
                aria-describedby={props.error.is_some().then(|| error_id.clone())} />
            if let Some(reason) = &props.error {
                <span id={error_id} class="field-error">{ reason.clone() }</span>
            }
        </div>
    }
}
