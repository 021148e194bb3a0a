//! The commands an embedded playground takes from its parent page through `postMessage`:
//! `{ type: "apply", input: { op: "fail", key: "ns/pod-7" } }`, `{ type: "play" }`,
//! `{ type: "pause" }` and `{ type: "seek", ns }`.
//!
//! Strict, like the JavaScript package whose input parsing it reuses: an unknown type or
//! field, or a malformed input, is refused with a message naming the field, before anything
//! is dispatched, so a refused message changes nothing. Reads go through `Reflect`, so even a
//! hostile value cannot throw into Rust (a panic in wasm would kill the page).

use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;

use crate::js::error::{describe, thrown};
use crate::js::input::parse_input;
use crate::js::value::whole_from_js;
use crate::sim::Input;

/// What the parent page asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Apply one input now, as the key panel would.
    Apply(Input),
    /// Start the clock.
    Play,
    /// Stop the clock.
    Pause,
    /// Move the time cursor to this virtual time (ns), back or forward within the run.
    Seek(u64),
}

/// The message types, each with the fields it has, for checks and error messages.
const TYPES: [(&str, &[&str]); 4] = [
    ("apply", &["type", "input"]),
    ("play", &["type"]),
    ("pause", &["type"]),
    ("seek", &["type", "ns"]),
];

fn type_names() -> String {
    TYPES.map(|(t, _)| t).join(", ")
}

/// Field `name` of `data`; `undefined` if absent.
fn read(data: &JsValue, name: &str) -> Result<JsValue, String> {
    Reflect::get(data, &JsValue::from_str(name))
        .map_err(|e| format!("message.{name}: cannot be read: {}", thrown(&e)))
}

/// Reads a message's data into a [`Command`], or says what is wrong with it.
pub fn parse_command(data: &JsValue) -> Result<Command, String> {
    if !data.is_object() || Array::is_array(data) {
        return Err(format!(
            "message: must be an object like {{ type: \"apply\", input: {{ op: \"fail\", key: \
             \"ns/pod-7\" }} }} (got {})",
            if Array::is_array(data) {
                "an array".to_owned()
            } else {
                describe(data)
            }
        ));
    }
    let kind = read(data, "type")?;
    let kind = kind.as_string().ok_or_else(|| {
        format!(
            "message.type: must be a string, one of {} (got {})",
            type_names(),
            describe(&kind)
        )
    })?;
    let fields = TYPES
        .iter()
        .find(|(t, _)| *t == kind)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            format!(
                "message.type: unknown type {kind:?}; one of {}",
                type_names()
            )
        })?;
    let names =
        Reflect::own_keys(data).map_err(|e| format!("message: cannot be read: {}", thrown(&e)))?;
    for name in names.iter().filter_map(|n| n.as_string()) {
        if !fields.contains(&name.as_str()) {
            return Err(format!(
                "message.{name}: unknown field; a {kind} message has {}",
                fields.join(" and ")
            ));
        }
    }
    match kind.as_str() {
        "apply" => parse_input(&read(data, "input")?)
            .map(Command::Apply)
            .map_err(|e| thrown(&JsValue::from(e))),
        "seek" => whole_from_js(
            "message.ns",
            read(data, "ns")?,
            "a whole number of nanoseconds",
        )
        .map(Command::Seek)
        .map_err(|e| thrown(&JsValue::from(e))),
        "play" => Ok(Command::Play),
        _ => Ok(Command::Pause),
    }
}
