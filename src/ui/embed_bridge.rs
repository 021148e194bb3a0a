//! The embedded playground's bridge to the page around it: a lesson can drive the embed with
//! `postMessage` commands (see [`crate::ui::embed_command`]) and follow the run.
//!
//! Only messages from the parent window are read (another frame or an extension posting to
//! this window is not the lesson). Each valid command becomes one reducer action; an invalid
//! one, or an input the simulation refuses, is answered with `{ type: "error", message }`
//! and changes nothing. After every change of the run (a few times a second while it plays)
//! the parent gets `{ type: "state", summary, playing }`, `summary` being exactly what the
//! JavaScript package's `sim.summary()` returns. Messages go to any origin: the lesson may be
//! hosted anywhere, and a summary of a simulated queue holds nothing private.

use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::js::error::thrown;
use crate::js::summary::JsSummary;
use crate::js::value::to_js;
use crate::sim::Summary;
use crate::ui::embed_command::{parse_command, Command};

/// The window this page is framed in; `None` when it is not in a frame.
fn parent_window() -> Option<web_sys::Window> {
    let this = web_sys::window()?;
    let parent = this.parent().ok().flatten()?;
    (JsValue::from(&parent) != JsValue::from(&this)).then_some(parent)
}

/// `{ type: kind, [field]: value, … }`.
fn message(kind: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let out = Object::new();
    let _ = Reflect::set(&out, &"type".into(), &kind.into());
    for (name, value) in fields {
        let _ = Reflect::set(&out, &(*name).into(), value);
    }
    out.into()
}

fn post(data: &JsValue) {
    if let Some(parent) = parent_window() {
        let _ = parent.post_message(data, "*");
    }
}

/// Tells the parent page why a message was not acted on.
pub fn post_error(text: &str) {
    post(&message("error", &[("message", text.into())]));
}

/// Sends the run's summary (and whether the clock runs) to the parent page.
pub fn post_state(summary: &Summary, playing: bool) {
    match to_js(&JsSummary::from(summary)) {
        Ok(summary) => post(&message(
            "state",
            &[("summary", summary), ("playing", playing.into())],
        )),
        Err(e) => post_error(&thrown(&JsValue::from(e))),
    }
}

/// What the bridge reports from: the run, and the counters that say it changed.
pub struct BridgeView {
    /// The run's headline numbers, rebuilt after every act and a few times a second while
    /// playing (each new one is reported).
    pub summary: Rc<Summary>,
    /// Whether the clock runs.
    pub playing: bool,
    /// Whether a shared run is still being replayed (nothing is reported meanwhile).
    pub restoring: bool,
    /// The latest refused input, with its sequence number.
    pub refusal: (u64, Rc<str>),
}

/// While `enabled` (an embed), listens for the parent's commands, hands each valid one to
/// `on_command`, and reports the run and refusals back.
#[hook]
pub fn use_parent_bridge(enabled: bool, view: BridgeView, on_command: Callback<Command>) {
    {
        let on_command = on_command.clone();
        use_effect_with(enabled, move |enabled| {
            let listening = enabled.then(|| {
                let listener: Closure<dyn FnMut(web_sys::MessageEvent)> =
                    Closure::new(move |e: web_sys::MessageEvent| {
                        let from_parent = match (e.source(), parent_window()) {
                            (Some(source), Some(parent)) => {
                                JsValue::from(source) == JsValue::from(parent)
                            }
                            _ => false,
                        };
                        if !from_parent {
                            return;
                        }
                        match parse_command(&e.data()) {
                            Ok(command) => on_command.emit(command),
                            Err(text) => post_error(&text),
                        }
                    });
                if let Some(w) = web_sys::window() {
                    let _ = w.add_event_listener_with_callback(
                        "message",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                listener
            });
            move || {
                if let (Some(listener), Some(w)) = (listening, web_sys::window()) {
                    let _ = w.remove_event_listener_with_callback(
                        "message",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    {
        // Every rebuild is reported (a seek to where the run stands is answered too), so the
        // summary is told apart by identity, not by value.
        let summary = view.summary.clone();
        let deps = (
            enabled,
            Rc::as_ptr(&summary) as usize,
            view.playing,
            view.restoring,
        );
        use_effect_with(deps, move |(enabled, _, playing, restoring)| {
            if *enabled && !*restoring {
                post_state(&summary, *playing);
            }
        });
    }
    use_effect_with((enabled, view.refusal.0), move |(enabled, seq)| {
        if *enabled && *seq > 0 {
            post_error(&view.refusal.1);
        }
    });
}
