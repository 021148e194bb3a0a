//! Inputs from JavaScript: `{ op: "fail", key: "ns/pod-7" }` → [`Input`].
//!
//! Strict like scenario files: an unknown op, an unknown field, a missing or
//! malformed key, or a key on `get` is an error naming the field. Checked
//! before the simulation sees the input, so a refused input changes nothing.
//!
//! The object is read with `Reflect`, which catches what a getter or a
//! `Proxy` throws: an exception escaping into Rust mid-call would leave the
//! `Sim` borrowed, and every later call on it would fail.

use crate::js::error::{describe, field_error, thrown};
use crate::sim::input::validate_key;
use crate::sim::{Input, Key};
use js_sys::{Array, Reflect};
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

/// Every op name, for error messages.
fn op_names() -> String {
    let mut names: Vec<&str> = OPS.iter().map(|(name, _)| *name).collect();
    names.insert(3, "get");
    names.join(", ")
}

/// Field `name` of `input`; `undefined` if absent.
fn read(input: &JsValue, name: &str) -> Result<JsValue, JsError> {
    Reflect::get(input, &JsValue::from_str(name)).map_err(|e| {
        field_error(
            &format!("input.{name}"),
            format!("cannot be read: {}", thrown(&e)),
        )
    })
}

/// Reads a plain-object input. `undefined` fields count as absent.
pub(crate) fn parse_input(input: &JsValue) -> Result<Input, JsError> {
    let not_an_object = |got: String| {
        field_error(
            "input",
            format!("must be an object like {{ op: \"fail\", key: \"ns/pod-7\" }} (got {got})"),
        )
    };
    if !input.is_object() {
        return Err(not_an_object(describe(input)));
    }
    // Own keys first: on a revoked Proxy they throw (caught) where isArray would throw uncaught.
    let names = Reflect::own_keys(input)
        .map_err(|e| field_error("input", format!("cannot be read: {}", thrown(&e))))?;
    if Array::is_array(input) {
        return Err(not_an_object("an array".to_owned()));
    }
    for name in names.iter().filter_map(|n| n.as_string()) {
        if name != "op" && name != "key" && !read(input, &name)?.is_undefined() {
            return Err(field_error(
                &format!("input.{name}"),
                "unknown field; an input has op and key",
            ));
        }
    }
    let op = read(input, "op")?;
    let key = Some(read(input, "key")?).filter(|k| !k.is_undefined());
    if op.is_undefined() {
        return Err(field_error(
            "input.op",
            format!("missing; one of {}", op_names()),
        ));
    }
    let op = op.as_string().ok_or_else(|| {
        field_error(
            "input.op",
            format!(
                "must be a string, one of {} (got {})",
                op_names(),
                describe(&op)
            ),
        )
    })?;
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
