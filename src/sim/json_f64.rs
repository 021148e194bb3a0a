//! Floats in scenario files, links and traces, read from their JSON text by
//! [`crate::decimal::parse`]: to the nearest `f64`, as Go's `encoding/json` reads them.
//!
//! serde_json's own float reading is small but can land one ulp away on 16 or more digits
//! (an `error_rate` of `0.92030920993190389`); its exact mode carries tables that cost about
//! 10 KB of the gzipped page. Fields use `#[serde(deserialize_with = "…")]` with the functions
//! here, which take the value's text as serde_json found it (`RawValue`) and parse that.
//!
//! One cost: serde_json dates an error raised after a `RawValue` by where the enclosing object
//! ends, not by the value, and [`crate::sim::json_path`] names fields by that position. So
//! documents are read with [`from_str`], which, only when reading fails, reads the text again
//! with serde_json's own floats (`DIAGNOSING`) for an error placed at the value.

use crate::sim::key_map::KeyMap;
use serde::de::{Deserialize, DeserializeOwned, Deserializer, Error, Unexpected};
use serde_json::value::RawValue;
use std::cell::Cell;

thread_local! {
    /// Set while [`from_str`] reads a failed document again for its error: floats are then
    /// read by serde_json, whose errors carry the value's position.
    static DIAGNOSING: Cell<bool> = const { Cell::new(false) };
}

/// `serde_json::from_str` with exact floats. On failure, the error serde_json itself gives for
/// the text (the same message, placed at the offending value), or the first error if its own
/// reading happens to succeed.
pub fn from_str<T: DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    serde_json::from_str(text).map_err(|exact| {
        DIAGNOSING.with(|d| d.set(true));
        let again = serde_json::from_str::<T>(text);
        DIAGNOSING.with(|d| d.set(false));
        again.err().unwrap_or(exact)
    })
}

/// One float, read exactly (see the module).
struct Exact(f64);

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Exact, D::Error> {
        if DIAGNOSING.with(Cell::get) {
            return f64::deserialize(deserializer).map(Exact);
        }
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        number(raw.get()).map(Exact)
    }
}

/// A JSON value's text as a float, or the error serde_json gives a float field for it.
fn number<E: Error>(text: &str) -> Result<f64, E> {
    let unexpected = |what: Unexpected| Err(E::invalid_type(what, &"f64"));
    match text.as_bytes().first() {
        Some(b'-' | b'0'..=b'9') => {
            crate::decimal::parse(text).ok_or_else(|| E::custom("number out of range"))
        }
        Some(b'"') => match serde_json::from_str::<String>(text) {
            Ok(s) => unexpected(Unexpected::Str(&s)),
            Err(_) => unexpected(Unexpected::Other("string")),
        },
        Some(b't') => unexpected(Unexpected::Bool(true)),
        Some(b'f') => unexpected(Unexpected::Bool(false)),
        Some(b'[') => unexpected(Unexpected::Seq),
        Some(b'{') => unexpected(Unexpected::Map),
        _ => unexpected(Unexpected::Unit),
    }
}

/// `deserialize_with` for an `f64` field.
pub fn exact<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Exact::deserialize(deserializer).map(|e| e.0)
}

/// `deserialize_with` for a map of floats by key.
pub fn exact_map<'de, D: Deserializer<'de>>(deserializer: D) -> Result<KeyMap<f64>, D::Error> {
    let map = KeyMap::<Exact>::deserialize(deserializer)?;
    Ok(map.iter().map(|(k, v)| (k.clone(), v.0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Field {
        #[serde(deserialize_with = "exact")]
        rate: f64,
    }

    #[derive(Deserialize, Debug)]
    struct Plain {
        #[allow(dead_code)]
        rate: f64,
    }

    fn read(json: &str) -> Result<f64, String> {
        serde_json::from_str::<Field>(json)
            .map(|f| f.rate)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_are_read_to_the_nearest_double() {
        for text in [
            "0",
            "-0",
            "0.5",
            "1e3",
            "2.5E-2",
            "0.92030920993190389",
            "9007199254740993",
            "1.7976931348623157e308",
            "4.9406564584124654e-324",
            "2.2250738585072011e-308",
        ] {
            let got = read(&format!(r#"{{"rate": {text}}}"#)).unwrap();
            assert_eq!(
                got.to_bits(),
                text.parse::<f64>().unwrap().to_bits(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_value_that_is_no_float_is_refused_as_serde_json_refuses_it() {
        for value in ["\"x\"", "true", "null", "[1]", "{}", "\"a\\\"b\""] {
            let json = format!(r#"{{"rate": {value}}}"#);
            let ours = read(&json).unwrap_err();
            let theirs = serde_json::from_str::<Plain>(&json)
                .unwrap_err()
                .to_string();
            // serde_json places its own error at the value; ours is found after it.
            let message = |e: &str| e.split(" at line").next().unwrap_or_default().to_owned();
            assert_eq!(message(&ours), message(&theirs), "{value}");
        }
        assert!(read(r#"{"rate": 1e400}"#)
            .unwrap_err()
            .starts_with("number out of range"));
    }

    #[test]
    fn a_failed_read_is_reported_at_the_offending_value() {
        let json = r#"{"rate": "x", "other": 1}"#;
        let err = from_str::<Field>(json).unwrap_err();
        // serde_json's own error for the value: line 1, at the end of the string "x".
        let theirs = serde_json::from_str::<Plain>(json).unwrap_err();
        assert_eq!((err.line(), err.column()), (theirs.line(), theirs.column()));
        assert_eq!(err.to_string(), theirs.to_string());
        // The next read is exact again.
        let exact = from_str::<Field>(r#"{"rate": 0.92030920993190389}"#).unwrap();
        assert_eq!(exact.rate, 0.9203092099319039);
    }

    #[test]
    fn maps_of_floats_are_read_exactly() {
        #[derive(Deserialize)]
        struct Rates {
            #[serde(deserialize_with = "exact_map")]
            rates: KeyMap<f64>,
        }
        let rates: Rates =
            serde_json::from_str(r#"{"rates": {"a": 0.92030920993190389, "b": 1}}"#).unwrap();
        assert_eq!(rates.rates.get("a"), Some(&0.9203092099319039));
        assert_eq!(rates.rates.get("b"), Some(&1.0));
    }
}
