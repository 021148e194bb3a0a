//! The page header: the product name, the theme toggle, the shortcut switch and the `?` help.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ui::theme::Theme;

/// Props for [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The chosen theme.
    pub theme: Theme,
    /// Whether single-key shortcuts are on.
    pub shortcuts: bool,
    /// Cycle the theme.
    pub on_theme: Callback<()>,
    /// Turn shortcuts on or off.
    pub on_shortcuts: Callback<bool>,
    /// Open the shortcut overlay.
    pub on_help: Callback<()>,
}

/// The header bar.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let theme = {
        let cb = props.on_theme.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let help = {
        let cb = props.on_help.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let shortcuts = {
        let cb = props.on_shortcuts.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.checked());
        })
    };
    let theme_text = match props.theme {
        Theme::System => "Theme: system",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    html! {
        <header class="top">
            <div class="brand">
                <h1>{ "Workqueue Playground" }</h1>
                <p class="tagline">{ "client-go's workqueue and controller-runtime's priority queue on a virtual clock: watch backoff and the failures map" }</p>
            </div>
            <div class="top-controls">
                <button type="button" class="mini" onclick={theme} title="Cycle system → light → dark">{ theme_text }</button>
                <span class="check">
                    <input id="shortcuts-on" type="checkbox" checked={props.shortcuts} onchange={shortcuts} />
                    <label for="shortcuts-on">{ "Single-key shortcuts" }</label>
                </span>
                <button type="button" class="mini" onclick={help} aria-keyshortcuts="?">{ "Keyboard shortcuts (?)" }</button>
            </div>
        </header>
    }
}
