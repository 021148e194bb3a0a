//! The JSON path of the field a serde_json error is about ("workers.count",
//! `"script[3].input"`, "." for the document itself).
//!
//! serde_json says where in the text it stopped (line, column), not which
//! field it was reading. A path-tracking deserializer wrapper would know the
//! field, but it compiles every `Deserialize` impl of the scenario a second
//! time, tens of kilobytes of wasm. Re-reading the text up to the error
//! position recovers the same path for a few hundred bytes of code. The
//! notation is serde_path_to_error's: keys joined by '.', indices as `[i]`.
//!
//! Meant for data errors (wrong type, unknown field or variant, missing
//! field, a value a parser rejects) in text that is valid JSON: the caller
//! checks the syntax first, so every position here lies on a key or a value.
//! One known difference from serde_path_to_error: an unknown unit variant
//! written as a string that is the last entry of its object ("limiter":
//! "bogus"}) is named by its field, "limiter", where that crate says
//! "limiter.bogus"; the message names the variant either way.

/// One open object or array between the start of the text and the error.
struct Frame {
    /// `[` rather than `{`.
    array: bool,
    /// Object: the key of the entry being read, once its string has ended.
    key: Option<String>,
    /// Object: the next string is a key (just after `{` or `,`).
    expect_key: bool,
    /// Array: elements before the current one.
    index: usize,
}

/// The path of the value serde_json was reading when it stopped with `err`
/// on `text`.
pub fn error_path(text: &str, err: &serde_json::Error) -> String {
    let Some(mut end) = error_offset(text, err.line(), err.column()) else {
        return ".".to_owned();
    };
    if err.is_syntax() {
        // serde_json places these one past the character it peeked at (a
        // `[` where an enum was expected, say); that character is not read.
        end = end.saturating_sub(1);
    }
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    // Whether the text read ends with an object key.
    let mut key_ends_here = false;
    let mut i = 0;
    while i < end {
        let Some(&b) = bytes.get(i) else { break };
        i += 1;
        match b {
            b'"' => {
                let (s, next) = read_string(bytes, i, end);
                i = next;
                if let Some(f) = stack.last_mut().filter(|f| f.expect_key) {
                    f.key = Some(s);
                    f.expect_key = false;
                    key_ends_here = i == end;
                }
            }
            b'{' | b'[' => stack.push(Frame {
                array: b == b'[',
                key: None,
                expect_key: b == b'{',
                index: 0,
            }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(f) = stack.last_mut() {
                    f.index += 1;
                    f.key = None;
                    f.expect_key = !f.array;
                }
            }
            _ => {}
        }
    }
    // An unknown enum variant written as `{"tag": ...}`: the path names
    // the enum's field, not the tag (whose name the message gives).
    let drop_tag = key_ends_here && err.to_string().starts_with("unknown variant `");
    let kept = stack.len() - usize::from(drop_tag);
    let mut path = String::new();
    for f in stack.iter().take(kept) {
        if f.array {
            path.push_str(&format!("[{}]", f.index));
        } else if let Some(key) = &f.key {
            push_key(&mut path, key);
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// Appends one key segment, '.'-separated from what precedes it.
fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// The byte offset serde_json's (line, column) stands for: `column` bytes
/// after the start of line `line` (both as serde_json counts them, the line
/// from 1). `None` for an error without a position.
fn error_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let line_start = if line == 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    Some(line_start.saturating_add(column).min(text.len()))
}

/// Decodes the string whose contents start at `start`, stopping at its
/// closing quote or at `end`. Returns it and the offset after the quote.
fn read_string(bytes: &[u8], start: usize, end: usize) -> (String, usize) {
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        let Some(&b) = bytes.get(i) else { break };
        i += 1;
        match b {
            b'"' => break,
            b'\\' => {
                let Some(&e) = bytes.get(i) else { break };
                i += 1;
                let c = match e {
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => {
                        let hex = bytes
                            .get(i..i + 4)
                            .and_then(|h| std::str::from_utf8(h).ok());
                        i += 4;
                        hex.and_then(|h| u32::from_str_radix(h, 16).ok())
                            .and_then(char::from_u32)
                            .unwrap_or(char::REPLACEMENT_CHARACTER)
                    }
                    other => char::from(other),
                };
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            }
            _ => out.push(b),
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), i.min(end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{presets, Scenario};

    /// The path serde_path_to_error reports, the reference notation.
    fn reference(text: &str) -> Option<String> {
        let mut de = serde_json::Deserializer::from_str(text);
        let r: Result<Scenario, _> = serde_path_to_error::deserialize(&mut de);
        r.err().map(|e| e.path().to_string())
    }

    fn ours(text: &str) -> Option<String> {
        crate::sim::json_f64::from_str::<Scenario>(text)
            .err()
            .map(|e| error_path(text, &e))
    }

    fn assert_same(text: &str) {
        assert_eq!(ours(text), reference(text), "{text}");
    }

    #[test]
    fn names_the_field_of_each_kind_of_data_error() {
        let cases = [
            (
                r#"{"version":1,"id":"x","workers":{"count":"many"}}"#,
                "workers.count",
            ),
            (
                r#"{"version":1,"id":"x","workers":{"cuont":2}}"#,
                "workers.cuont",
            ),
            (r#"{"version":1,"id":"x","wrokers":{}}"#, "wrokers"),
            (r#"{"version":1}"#, "."),
            (
                r#"{"version":1,"id":"x","script":[{"at":"1s"}]}"#,
                "script[0]",
            ),
            (
                "{\"version\":1,\"id\":\"x\",\n \"memory\": {\"restart_delay\" : \"10\"}}",
                "memory.restart_delay",
            ),
            (
                r#"{"version":1,"id":"x","limiter":"bogus","seed":1}"#,
                "limiter",
            ),
            (
                r#"{"version":1,"id":"x","limiter":{"max_of":["default_controller",{"bucket":{"qps":"x"}}]}}"#,
                "limiter.max_of[1].bucket.qps",
            ),
            (
                r#"{"version":1,"id":"x","outcomes":{"poison_keys":[1]}}"#,
                "outcomes.poison_keys[0]",
            ),
            (
                r#"{"version":1,"id":"x","outcomes":{"poison_keys":[{}]}}"#,
                "outcomes.poison_keys[0]",
            ),
            (
                r#"{"version":1,"id":"x","outcomes":{"key_error_rates":{"a\"\u00e9.b":"high"}}}"#,
                "outcomes.key_error_rates.a\"é.b",
            ),
            (
                r#"{"version":1,"id":"x","workers":{"count":-1}}"#,
                "workers.count",
            ),
            (r#"{"version":1,"id":"x","workers":[true]}"#, "workers[0]"),
            (r#"{"version":1,"id":"x","policy":{"fixd":{}}}"#, "policy"),
            (r#"{"version":1,"id":"x","limiter":[{}]}"#, "limiter"),
            (r#"{"version":1,"id":"x","limiter":{}}"#, "limiter"),
        ];
        for (text, path) in cases {
            assert_eq!(ours(text).as_deref(), Some(path), "{text}");
            assert_same(text);
        }
    }

    #[test]
    fn an_unknown_unit_variant_is_named_by_its_field() {
        for text in [
            r#"{"version":1,"id":"x","limiter":"bogus"}"#,
            r#"{"version":1,"id":"x","limiter":"bogus","seed":1}"#,
        ] {
            assert_eq!(ours(text).as_deref(), Some("limiter"), "{text}");
        }
    }

    /// Every preset with each value in turn replaced by a wrong one, and each
    /// key in turn misspelt: the path matches the reference whenever the
    /// result is still valid JSON that fails to deserialize.
    #[test]
    fn matches_the_reference_on_mutated_presets() {
        let mut compared = 0;
        for preset in presets() {
            let text = serde_json::to_string(&preset).unwrap_or_default();
            let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
            for (n, &q) in quotes.iter().enumerate() {
                let Some(&close) = quotes.get(n + 1) else {
                    break;
                };
                let (head, rest) = text.split_at(q);
                let tail = &text[close + 1..];
                let is_key = tail.starts_with(':');
                let mutants = if is_key {
                    vec![format!("{head}\"{}x\"{tail}", &rest[1..close - q])]
                } else {
                    ["1", "\"bogus\"", "{}", "[]", "\"1\""]
                        .iter()
                        .map(|v| format!("{head}{v}{tail}"))
                        .collect()
                };
                for m in mutants {
                    if serde_json::from_str::<serde::de::IgnoredAny>(&m).is_ok() {
                        assert_same(&m);
                        compared += usize::from(reference(&m).is_some());
                    }
                }
            }
        }
        assert!(compared > 100, "only {compared} failing mutants");
    }
}
