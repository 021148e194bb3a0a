//! Errors thrown to JavaScript: every failure becomes an `Error` with a
//! plain message, never a panic.

use std::fmt::Display;
use wasm_bindgen::{JsCast, JsError, JsValue};

/// An `Error` about one field: `"input.key: key is empty"`, the way
/// [`crate::sim::ScenarioError`] displays.
pub(crate) fn field_error(field: &str, reason: impl Display) -> JsError {
    JsError::new(&format!("{field}: {reason}"))
}

/// What a JavaScript value is, for error messages: `"null"`, `"a number (5)"`.
pub(crate) fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".to_owned();
    }
    if value.is_undefined() {
        return "undefined".to_owned();
    }
    if let Some(s) = value.as_string() {
        return format!("a string ({s:?})");
    }
    if let Some(n) = value.as_f64() {
        return format!("a number ({n})");
    }
    match value.js_typeof().as_string().as_deref() {
        Some("object") => "an object".to_owned(),
        Some(t) => format!("a {t}"),
        None => "a value of unknown type".to_owned(),
    }
}

/// The message of something JavaScript threw: an `Error`'s message, else
/// what the value is.
pub(crate) fn thrown(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .and_then(|e| e.message().as_string())
        .unwrap_or_else(|| describe(value))
}
