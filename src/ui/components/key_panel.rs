//! The Key field and the six buttons acting on the key typed there, plus `Get` (which, as in
//! client-go, takes no key: it hands out the head of the FIFO). With controller-runtime's
//! priority queue a Priority field joins them: Add and Fail then call `AddWithOpts` with it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ui::components::field::Field;
use crate::ui::key_action::KeyAction;
use crate::ui::view::KeyText;

/// Props for [`KeyPanel`].
#[derive(Properties, PartialEq)]
pub struct KeyPanelProps {
    /// The text in the Key field (held in the app state so a row click can fill it).
    pub value: AttrValue,
    /// Why the last action on the field was refused, if it was.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// The field changed.
    pub on_input: Callback<String>,
    /// A key button was pressed with the field's key.
    pub on_action: Callback<(KeyAction, KeyText)>,
    /// `Get` was pressed.
    pub on_get: Callback<()>,
    /// With the priority queue: the Priority field's text and why it was refused, if it was;
    /// `None` with client-go's queue (no field).
    #[prop_or_default]
    pub priority: Option<(AttrValue, Option<AttrValue>)>,
    /// The Priority field changed.
    #[prop_or_default]
    pub on_priority: Callback<String>,
}

/// The "act on a key" panel.
#[component]
pub fn KeyPanel(props: &KeyPanelProps) -> Html {
    let oninput = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        })
    };
    // A click reads the field as it is now: a render still pending after typing (a busy
    // page) must not act on the key the field held before.
    let field = use_node_ref();
    let key_now = {
        let (field, value) = (field.clone(), props.value.clone());
        move || {
            let text = field
                .cast::<HtmlInputElement>()
                .map_or_else(|| value.to_string(), |i| i.value());
            KeyText::from(text.as_str())
        }
    };
    let button = |action: KeyAction| {
        let (cb, key_now) = (props.on_action.clone(), key_now.clone());
        let onclick = Callback::from(move |_: MouseEvent| cb.emit((action, key_now())));
        html! { <button type="button" title={action.call()} {onclick}>{ action.name() }</button> }
    };
    let onsubmit = {
        let (cb, key_now) = (props.on_action.clone(), key_now.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cb.emit((KeyAction::Add, key_now()));
        })
    };
    let get = {
        let cb = props.on_get.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <section class="panel" aria-labelledby="keys-h">
            <h2 id="keys-h">{ "Act on a key" }</h2>
            <form class="key-form" {onsubmit}>
                <div class="field">
                    <label for="key-input">{ "Key" }</label>
                    <input id="key-input" ref={field} type="text" autocomplete="off" spellcheck="false"
                        placeholder="ns/pod-7" value={props.value.clone()} {oninput}
                        aria-invalid={props.error.is_some().to_string()}
                        aria-describedby={props.error.is_some().then_some("key-error")} />
                    if let Some(reason) = &props.error {
                        <span id="key-error" class="field-error">{ reason.clone() }</span>
                    }
                </div>
                if let Some((value, error)) = &props.priority {
                    // No hint inside the label: its accessible name is exactly "Priority".
                    <Field id="key-priority" label="Priority" value={value.clone()} error={error.clone()}
                        on_input={props.on_priority.clone()} />
                }
                <div class="buttons">
                    { button(KeyAction::Add) }
                    { button(KeyAction::Fail) }
                    { button(KeyAction::Forget) }
                    <button type="button" onclick={get} title="queue.Get(): hand the head of the FIFO to you, the manual worker">
                        { "Get" }
                    </button>
                    { button(KeyAction::Done) }
                    { button(KeyAction::Succeed) }
                    { button(KeyAction::Delete) }
                </div>
            </form>
        </section>
    }
}
