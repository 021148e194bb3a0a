//! The `?` overlay listing every keyboard shortcut; each is also a visible button elsewhere.

use yew::prelude::*;

/// Props for [`HelpOverlay`].
#[derive(Properties, PartialEq)]
pub struct HelpOverlayProps {
    /// Whether single-key shortcuts are on (said in the overlay).
    pub shortcuts: bool,
    /// Close the overlay.
    pub on_close: Callback<()>,
}

/// The shortcut overlay (a modal dialog; Esc or Close dismisses it).
#[component]
pub fn HelpOverlay(props: &HelpOverlayProps) -> Html {
    let close_ref = use_node_ref();
    {
        let close_ref = close_ref.clone();
        use_effect_with((), move |_| {
            if let Some(el) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    // The dialog's only control is Close: Tab stays on it, so focus cannot wander behind
    // the modal overlay (Esc or Close leave it).
    let onkeydown = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Tab" {
            e.prevent_default();
        }
    });
    let rows: [(&str, &str); 11] = [
        ("?", "Show or hide this list"),
        ("Esc", "Close this list"),
        (
            "Tab / Shift+Tab",
            "Move between controls; Enter or Space presses a button",
        ),
        ("↑ / ↓", "Item table: select the next or previous row"),
        ("A", "Item table: Add the selected key"),
        ("F", "Item table: Fail the selected key"),
        ("G", "Item table: Forget the selected key"),
        ("D", "Item table: Done the selected key"),
        ("S", "Item table: Succeed the selected key"),
        ("Enter", "Key field: Add the typed key"),
        (
            "← / → (Home / End)",
            "Guided tour, with focus in it: previous or next step (first step, things to try)",
        ),
    ];
    html! {
        <div class="overlay">
            <div class="dialog panel" role="dialog" aria-modal="true" aria-labelledby="help-h" {onkeydown}>
                <h2 id="help-h">{ "Keyboard shortcuts" }</h2>
                <p class="small">
                    { "Letter shortcuts work only while the item table has focus, and only when “Single-key shortcuts” is on. They are " }
                    <strong>{ if props.shortcuts { "on" } else { "off" } }</strong>{ "." }
                </p>
                <table>
                    <caption class="visually-hidden">{ "Keyboard shortcuts" }</caption>
                    <thead><tr><th scope="col">{ "Key" }</th><th scope="col">{ "Does" }</th></tr></thead>
                    <tbody>
                        { for rows.iter().map(|(k, what)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *what }</td></tr> }) }
                    </tbody>
                </table>
                <button type="button" class="primary" ref={close_ref} onclick={close}>{ "Close" }</button>
            </div>
        </div>
    }
}
