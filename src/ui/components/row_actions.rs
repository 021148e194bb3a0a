//! The action buttons on one row: visible names stay short ("Fail"), accessible names carry the
//! key ("Fail ns/pod-7") so a screen reader or a test can tell the rows apart.

use yew::prelude::*;

use crate::ui::key_action::KeyAction;
use crate::ui::view::KeyText;

/// Props for [`RowActions`].
#[derive(Properties, PartialEq)]
pub struct RowActionsProps {
    /// The row's key.
    pub key_text: KeyText,
    /// Called with the action and the key.
    pub on_action: Callback<(KeyAction, KeyText)>,
}

/// Add / Fail / Forget / Done / Succeed / Delete for one key.
#[component]
pub fn RowActions(props: &RowActionsProps) -> Html {
    html! {
        <span class="row-actions">
            { for KeyAction::ROW.into_iter().map(|action| {
                let on_action = props.on_action.clone();
                let key = props.key_text.clone();
                let onclick = Callback::from(move |_: MouseEvent| on_action.emit((action, key.clone())));
                html! {
                    <button type="button" class="mini" title={action.call()}
                        aria-label={format!("{} {}", action.name(), props.key_text)} {onclick}>
                        { action.name() }
                    </button>
                }
            }) }
        </span>
    }
}
