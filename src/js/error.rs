//! Errors thrown to JavaScript: every failure becomes an `Error` with a
//! plain message, never a panic.

use std::fmt::Display;
use wasm_bindgen::{JsError, JsValue};

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
    match value.js_typeof().as_string() {
        Some(t) => format!("a {t}"),
        None => "a value of unknown type".to_owned(),
    }
}
