//! An item's state as shape + text + colour, so it never relies on colour alone.

use yew::prelude::*;

/// Props for [`StateBadge`].
#[derive(Properties, PartialEq)]
pub struct StateBadgeProps {
    /// The shape glyph (◷ ▭ ▶ ✓ ✕ ⚠).
    pub glyph: &'static str,
    /// The state's words.
    pub label: &'static str,
    /// The palette class (`st-waiting` …).
    pub class: &'static str,
}

/// A bordered chip: the glyph in the state's colour and the label in body text.
#[component]
pub fn StateBadge(props: &StateBadgeProps) -> Html {
    html! {
        <span ~className={format!("badge {}", props.class)}>
            <span class="glyph" aria-hidden="true">{ props.glyph }</span>
            { props.label }
        </span>
    }
}
