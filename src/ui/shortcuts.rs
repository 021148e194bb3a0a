//! Page-wide keys: `?` opens the shortcut overlay (unless typing in a field, and only while
//! shortcuts are on) and Esc closes it. Letter shortcuts live in the item table instead, so
//! they act only while it has focus (WCAG 2.1.4).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A page-wide key the app reacts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalKey {
    /// `?`: toggle the overlay.
    Help,
    /// Esc: close the overlay.
    Escape,
}

/// Which global key a press is, given whether shortcuts are on and whether focus is in a
/// text-entry control (where `?` must type a question mark).
pub fn global_key(key: &str, enabled: bool, typing: bool) -> Option<GlobalKey> {
    match key {
        "Escape" => Some(GlobalKey::Escape),
        "?" if enabled && !typing => Some(GlobalKey::Help),
        _ => None,
    }
}

fn typing_in(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "textarea" | "select"
            )
        })
}

/// Listens for global keys on the document while mounted.
#[hook]
pub fn use_global_keys(enabled: bool, on_key: Callback<GlobalKey>) {
    let latest = use_mut_ref(|| (enabled, on_key.clone()));
    *latest.borrow_mut() = (enabled, on_key);
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|w| w.document());
        let listener: Closure<dyn FnMut(web_sys::KeyboardEvent)> =
            Closure::new(move |e: web_sys::KeyboardEvent| {
                let (enabled, cb) = latest.borrow().clone();
                if let Some(k) = global_key(&e.key(), enabled, typing_in(e.target())) {
                    if k == GlobalKey::Help {
                        e.prevent_default();
                    }
                    cb.emit(k);
                }
            });
        if let Some(d) = &document {
            let _ =
                d.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = &document {
                let _ = d.remove_event_listener_with_callback(
                    "keydown",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}
