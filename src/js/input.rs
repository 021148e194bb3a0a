//! Inputs from JavaScript: `{ op: "fail", key: "ns/pod-7" }` → [`Input`].
//!
//! Strict like scenario files: an unknown op, an unknown field, a missing or
//! malformed key, or a key on `get` is an error naming the field. Checked
//! before the simulation sees the input, so a refused input changes nothing.

use crate::js::error::{describe, field_error};
use crate::sim::input::validate_key;
use crate::sim::{Input, Key};
use serde::Deserialize;
use std::collections::BTreeMap;
use wasm_bindgen::{JsError, JsValue};

/// Builds the [`Input`] of a per-key op.
type MakeInput = fn(Key) -> Input;

/// The ops `sim.apply` takes with a key, each the [`Input`] it becomes.
const OPS: [(&str, MakeInput); 7] = [
    ("add", Input::Add),
    ("fail", Input::Fail),
    ("forget", Input::Forget),
    ("done", Input::Done),
    ("succeed", Input::Succeed),
    ("change", Input::Change),
    ("delete", Input::DeleteObject),
];

/// One field of the input object, kept as the JavaScript value it is.
#[derive(Deserialize)]
struct Field(#[serde(with = "serde_wasm_bindgen::preserve")] JsValue);

/// Every op name, for error messages.
fn op_names() -> String {
    let mut names: Vec<&str> = OPS.iter().map(|(name, _)| *name).collect();
    names.insert(3, "get");
    names.join(", ")
}

/// Reads a plain-object input. `undefined` fields count as absent.
pub(crate) fn parse_input(value: JsValue) -> Result<Input, JsError> {
    let fields: BTreeMap<String, Field> =
        serde_wasm_bindgen::from_value(value.clone()).map_err(|_| {
            field_error(
                "input",
                format!(
                    "must be an object like {{ op: \"fail\", key: \"ns/pod-7\" }} (got {})",
                    describe(&value)
                ),
            )
        })?;
    let (mut op, mut key) = (None, None);
    for (name, Field(v)) in fields {
        if v.is_undefined() {
            continue;
        }
        match name.as_str() {
            "op" => op = Some(v),
            "key" => key = Some(v),
            _ => {
                return Err(field_error(
                    &format!("input.{name}"),
                    "unknown field; an input has op and key",
                ))
            }
        }
    }
    let op = match op {
        None => {
            return Err(field_error(
                "input.op",
                format!("missing; one of {}", op_names()),
            ))
        }
        Some(v) => v.as_string().ok_or_else(|| {
            field_error(
                "input.op",
                format!(
                    "must be a string, one of {} (got {})",
                    op_names(),
                    describe(&v)
                ),
            )
        })?,
    };
    if op == "get" {
        return match key {
            None => Ok(Input::Get),
            Some(_) => Err(field_error(
                "input.key",
                "get takes no key: Get hands out the next queued item",
            )),
        };
    }
    let make = OPS
        .iter()
        .find(|(name, _)| *name == op)
        .map(|(_, make)| *make)
        .ok_or_else(|| {
            field_error(
                "input.op",
                format!("unknown op {op:?}; one of {}", op_names()),
            )
        })?;
    let key = match key {
        None => {
            return Err(field_error(
                "input.key",
                format!("missing; {op} needs a key"),
            ))
        }
        Some(v) => v.as_string().ok_or_else(|| {
            field_error(
                "input.key",
                format!("must be a string like \"ns/pod-7\" (got {})", describe(&v)),
            )
        })?,
    };
    validate_key(&key).map_err(|reason| field_error("input.key", reason))?;
    Ok(make(Key::from(key)))
}
