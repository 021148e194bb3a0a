//! Values across the boundary, both ways: any serialisable value out as a
//! plain object, whole numbers in from a `bigint` or a safe-integer `number`.
//! Shared by the JavaScript package and the embedded playground's bridge.

use crate::js::error::{describe, field_error};
use serde::Serialize;
use wasm_bindgen::{JsError, JsValue};

/// Serialises to a plain JavaScript value: objects (not `Map`s), `null` for
/// `None`, `bigint` for `u128`.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot convert the result for JavaScript: {e}")))
}

/// A whole number ≥ 0 from JavaScript: a `bigint`, or a `number` that is a
/// safe integer. `what` says what it counts, for the error.
pub(crate) fn whole_from_js(field: &str, value: JsValue, what: &str) -> Result<u64, JsError> {
    serde_wasm_bindgen::from_value::<u64>(value.clone()).map_err(|_| {
        field_error(
            field,
            format!(
                "must be {what} ≥ 0, a bigint or a safe integer (got {})",
                describe(&value)
            ),
        )
    })
}
