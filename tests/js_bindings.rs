//! The JavaScript package's bindings (`src/js/`, feature `js`), compiled to wasm and called
//! as JavaScript would call them, under Node (`wasm-pack test --node`, see
//! scripts/test-js.sh) or in a browser (`WASM_BINDGEN_USE_BROWSER=1 wasm-pack test
//! --headless --chrome`): values cross as plain objects
//! with the same numbers the Rust sim computes, every error is a thrown `Error` naming the
//! field, and a refused input changes nothing.
#![cfg(all(feature = "js", target_arch = "wasm32"))]

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::wasm_bindgen_test as test;
use workqueue_playground::js::JsSim;
use workqueue_playground::sim::{preset, Input, Key, Scenario, Sim, Time};

const HOUR_NS: u64 = 3_600_000_000_000;

fn message(e: JsError) -> String {
    let value = JsValue::from(e);
    let error = value
        .dyn_ref::<js_sys::Error>()
        .expect("thrown values are Error instances");
    String::from(error.message())
}

fn ok<T>(r: Result<T, JsError>) -> T {
    r.unwrap_or_else(|e| panic!("unexpected error: {}", message(e)))
}

fn err<T>(r: Result<T, JsError>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => message(e),
    }
}

fn get(obj: &JsValue, field: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(field)).expect("readable field")
}

fn keys(obj: &JsValue) -> Vec<String> {
    Object::keys(obj.unchecked_ref::<Object>())
        .iter()
        .map(|k| k.as_string().expect("string key"))
        .collect()
}

fn obj(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("test JSON")
}

fn preset_sim(id: &str) -> JsSim {
    ok(JsSim::preset(JsValue::from_str(id)))
}

fn bigint(v: &JsValue) -> u64 {
    assert!(v.is_bigint(), "expected a bigint, got {v:?}");
    u64::try_from(v.clone()).expect("bigint within u64")
}

/// What a refused input must leave alone: time, event count, trace hash, failures.
fn fingerprint(sim: &JsSim) -> (u64, f64, String, u32) {
    let s = ok(sim.summary());
    let failures: Array = ok(sim.failures()).unchecked_into();
    (
        sim.now(),
        get(&s, "events").as_f64().expect("events"),
        get(&s, "trace_hash").as_string().expect("hash"),
        failures.length(),
    )
}

#[test]
fn summary_has_the_fields_and_values_of_the_rust_summary() {
    let js = preset_sim("seed-oom");
    let mut js = js;
    ok(js.run_until(JsValue::from(HOUR_NS / 6)));
    let mut native = Sim::new(preset("seed-oom").expect("preset")).expect("valid");
    native.run_until(Time::from_nanos(HOUR_NS / 6));
    let want = serde_json::to_value(native.summary()).expect("summary JSON");
    let want = want.as_object().expect("object");
    let got = ok(js.summary());
    // Same fields in the same order as `wqplay run --format json`.
    let text = serde_json::to_string(&native.summary()).expect("summary JSON");
    let mut order: Vec<String> = want.keys().cloned().collect();
    order.sort_by_key(|k| text.find(&format!("\"{k}\":")));
    assert_eq!(keys(&got), order);
    for (field, value) in want {
        let v = get(&got, field);
        match value {
            serde_json::Value::String(s) => assert_eq!(v.as_string().as_ref(), Some(s), "{field}"),
            serde_json::Value::Number(n) if field.ends_with("_ns") => {
                assert_eq!(Some(bigint(&v)), n.as_u64(), "{field}")
            }
            serde_json::Value::Number(n) => assert_eq!(v.as_f64(), n.as_f64(), "{field}"),
            other => panic!("{field}: unexpected {other}"),
        }
    }
}

#[test]
fn nineteen_fails_reach_the_1000s_cap() {
    let mut sim = preset_sim("manual");
    let fail = obj(r#"{"op":"fail","key":"k"}"#);
    let mut last = String::new();
    for _ in 0..19 {
        last = ok(sim.apply(fail.clone()));
    }
    assert_eq!(
        last,
        "queue.AddRateLimited(\"k\") → When()=16m40s (failures 18→19), bucket tokens 81.0"
    );
    let rows: Array = ok(sim.failures()).unchecked_into();
    assert_eq!(rows.length(), 1);
    let row = rows.get(0);
    assert_eq!(
        keys(&row),
        [
            "key",
            "requeues",
            "lastBackoffNs",
            "nextRetryNs",
            "lastFailedAtNs",
            "status"
        ]
    );
    assert_eq!(get(&row, "key").as_string().as_deref(), Some("k"));
    assert_eq!(get(&row, "requeues").as_f64(), Some(19.0));
    assert_eq!(bigint(&get(&row, "lastBackoffNs")), 1_000_000_000_000);
    // The first failure's 5 ms wait wins: the earliest readyAt is kept.
    assert_eq!(bigint(&get(&row, "nextRetryNs")), 5_000_000);
    assert_eq!(get(&row, "status").as_string().as_deref(), Some("orphan"));
}

#[test]
fn apply_returns_the_calls_each_op_made() {
    let mut sim = preset_sim("manual");
    let mut apply = |json: &str| ok(sim.apply(obj(json)));
    assert_eq!(
        apply(r#"{"op":"add","key":"ns/a"}"#),
        r#"queue.Add("ns/a")"#
    );
    assert_eq!(apply(r#"{"op":"get"}"#), r#"queue.Get() → "ns/a""#);
    assert_eq!(
        apply(r#"{"op":"done","key":"ns/a"}"#),
        r#"queue.Done("ns/a")"#
    );
    assert_eq!(
        apply(r#"{"op":"fail","key":"ns/a"}"#),
        r#"queue.AddRateLimited("ns/a") → When()=5ms (failures 0→1), bucket tokens 99.0"#
    );
    assert_eq!(
        apply(r#"{"op":"forget","key":"ns/a"}"#),
        r#"queue.Forget("ns/a")"#
    );
    assert_eq!(
        apply(r#"{"op":"succeed","key":"ns/a"}"#),
        r#"queue.Forget("ns/a"); queue.Done("ns/a")"#
    );
    // Informer events go through the policy (the manual preset's is the fixed one: Add).
    assert_eq!(
        apply(r#"{"op":"change","key":"ns/b"}"#),
        r#"AddFunc("ns/b"); queue.Add("ns/b")"#
    );
    assert_eq!(
        apply(r#"{"op":"delete","key":"ns/b"}"#),
        r#"DeleteFunc("ns/b"); queue.Add("ns/b")"#
    );
    // Only the input's own calls: a worker that takes the item at once is not included.
    let mut busy = preset_sim("herd");
    assert_eq!(
        ok(busy.apply(obj(r#"{"op":"add","key":"ns/c"}"#))),
        r#"queue.Add("ns/c")"#
    );
}

#[test]
fn the_returned_call_is_the_event_logs_call() {
    let mut sim = preset_sim("manual");
    let call = ok(sim.apply(obj(r#"{"op":"fail","key":"ns/x"}"#)));
    let events: Array = ok(sim.events(JsValue::UNDEFINED)).unchecked_into();
    let last = events.get(events.length() - 1);
    assert_eq!(get(&last, "call").as_string(), Some(call));
    assert_eq!(
        get(&last, "type").as_string().as_deref(),
        Some("add_rate_limited")
    );
    assert_eq!(bigint(&get(&last, "whenNs")), 5_000_000);
    assert!(get(&last, "waitingUntilNs").is_null());
}

#[test]
fn bad_inputs_throw_naming_the_field_and_change_nothing() {
    let mut sim = preset_sim("seed-oom");
    ok(sim.run_until(JsValue::from(60_000_000_000u64)));
    let before = fingerprint(&sim);
    let cases: [(JsValue, &str); 12] = [
        (JsValue::NULL, "input: must be an object"),
        (JsValue::from_str("get"), "input: must be an object"),
        (obj(r#"{}"#), "input.op: missing"),
        (
            obj(r#"{"op":"fial","key":"k"}"#),
            "input.op: unknown op \"fial\"",
        ),
        (obj(r#"{"op":7}"#), "input.op: must be a string"),
        (obj(r#"{"op":"fail"}"#), "input.key: missing"),
        (obj(r#"{"op":"fail","key":""}"#), "input.key: key is empty"),
        (
            obj(r#"{"op":"fail","key":"a b"}"#),
            "input.key: key \"a b\" contains whitespace",
        ),
        (
            obj(r#"{"op":"fail","key":["k"]}"#),
            "input.key: must be a string",
        ),
        (
            obj(r#"{"op":"get","key":"k"}"#),
            "input.key: get takes no key",
        ),
        (
            obj(r#"{"op":"fail","key":"k","when":"now"}"#),
            "input.when: unknown field",
        ),
        // Refused by the world rather than by its shape: still an Error, still no change.
        (
            obj(r#"{"op":"delete","key":"ns/none"}"#),
            "no object ns/none exists",
        ),
    ];
    for (input, want) in cases {
        let got = err(sim.apply(input));
        assert!(got.starts_with(want), "{got:?} should start with {want:?}");
        assert_eq!(fingerprint(&sim), before, "after {want:?}");
    }
    // What a Proxy throws is caught: an Error, and the Sim stays usable.
    let handler = Object::new();
    let boom = js_sys::Function::new_no_args("throw new Error('boom')");
    Reflect::set(&handler, &"ownKeys".into(), &boom).expect("set");
    let proxy = js_sys::Proxy::new(&Object::new(), &handler);
    assert_eq!(err(sim.apply(proxy.into())), "input: cannot be read: boom");
    assert_eq!(fingerprint(&sim), before);
    assert_eq!(
        ok(sim.apply(obj(r#"{"op":"forget","key":"ns/none"}"#))),
        r#"queue.Forget("ns/none")"#
    );
    // `undefined` fields count as absent.
    let get_with_undefined_key = obj(r#"{"op":"get"}"#);
    Reflect::set(&get_with_undefined_key, &"key".into(), &JsValue::UNDEFINED).expect("set");
    let mut manual = preset_sim("manual");
    assert_eq!(
        err(manual.apply(get_with_undefined_key)),
        "nothing is queued: Get would block"
    );
}

#[test]
fn bad_scenarios_throw_the_wqplay_message() {
    let bad = [
        r#"{"version":1,"id":"x","workers":{"count":"many"}}"#,
        r#"{"version":1,"id":"x","wrokers":{}}"#,
        r#"{"version":1,"id":"x","limiter":{"item_exponential":{"base":"0s","max":"1s"}}}"#,
        r#"{"version":2,"id":"x"}"#,
        r#"{"id":"x"}"#,
        r#"{"version":1,"id":"Bad Id"}"#,
        r#"[1,2]"#,
    ];
    for text in bad {
        let want = Scenario::from_json(text).expect_err("bad").to_string();
        assert_eq!(err(JsSim::from_scenario(obj(text))), want, "object {text}");
        assert_eq!(
            err(JsSim::from_scenario(JsValue::from_str(text))),
            want,
            "text {text}"
        );
    }
    let e = err(JsSim::from_scenario(JsValue::from_str(
        r#"{"version":1,"id":"x","workers":{"count":"many"}}"#,
    )));
    assert!(e.starts_with("workers.count: "), "{e}");
    for (value, want) in [
        (JsValue::UNDEFINED, "(document): must be a scenario object"),
        (JsValue::from(js_sys::BigInt::from(1u64)), "(document): "),
    ] {
        let e = err(JsSim::from_scenario(value));
        assert!(e.starts_with(want), "{e}");
    }
    let seed = obj(r#"{"version":1,"id":"x"}"#);
    Reflect::set(&seed, &"seed".into(), &js_sys::BigInt::from(7u64).into()).expect("set");
    let e = err(JsSim::from_scenario(seed));
    assert!(
        e.starts_with("(document): cannot be written as JSON"),
        "{e}"
    );
    // A good one runs like the Rust sim built from the same JSON.
    let text =
        r#"{"version":1,"id":"mine","workers":{"count":2},"informer":{"initial_objects":5}}"#;
    let mut js = ok(JsSim::from_scenario(obj(text)));
    ok(js.run_until(JsValue::from(1_000_000_000u64)));
    let mut native = Sim::new(Scenario::from_json(text).expect("good")).expect("valid");
    native.run_until(Time::from_nanos(1_000_000_000));
    let hash = get(&ok(js.summary()), "trace_hash").as_string();
    assert_eq!(hash, Some(native.summary().trace_hash));
}

#[test]
fn presets_and_their_errors() {
    let ids: Vec<String> = JsSim::preset_ids();
    assert_eq!(ids, workqueue_playground::sim::PRESET_IDS.map(String::from));
    for id in &ids {
        ok(JsSim::preset(JsValue::from_str(id)));
    }
    let e = err(JsSim::preset(JsValue::from_str("nope")));
    assert!(
        e.starts_with("id: no preset called \"nope\" (presets: manual, "),
        "{e}"
    );
    let e = err(JsSim::preset(JsValue::from(3)));
    assert_eq!(e, "id: must be a string (got a number (3))");
}

#[test]
fn the_clock_crosses_as_bigint_nanoseconds() {
    let mut sim = preset_sim("herd");
    assert_eq!(sim.now(), 0);
    let first = sim.step().expect("the herd is scheduled");
    assert_eq!(sim.now(), first);
    ok(sim.run_until(JsValue::from(2e9)));
    assert_eq!(sim.now(), 2_000_000_000);
    ok(sim.run_until(JsValue::from(js_sys::BigInt::from(3_000_000_000u64))));
    assert_eq!(sim.now(), 3_000_000_000);
    // Never backwards.
    ok(sim.run_until(JsValue::from(1)));
    assert_eq!(sim.now(), 3_000_000_000);
    for bad in [
        JsValue::from(-1),
        JsValue::from(1.5),
        JsValue::from_str("2h"),
        JsValue::from(f64::NAN),
        JsValue::from(2f64.powi(60)),
        JsValue::UNDEFINED,
    ] {
        let e = err(sim.run_until(bad));
        assert!(
            e.starts_with("ns: must be a whole number of nanoseconds ≥ 0"),
            "{e}"
        );
        assert_eq!(sim.now(), 3_000_000_000);
    }
    let summary = ok(sim.summary());
    assert_eq!(bigint(&get(&summary, "time_ns")), 3_000_000_000);
    // Nothing scheduled: `undefined`.
    assert_eq!(preset_sim("manual").step(), None);
}

#[test]
fn events_carry_the_wqplay_tags_and_filter_by_seq() {
    let mut js = preset_sim("dedup");
    js.set_event_capacity(1 << 16);
    ok(js.run_until(JsValue::from(30_000_000_000u64)));
    let mut native = Sim::new(preset("dedup").expect("preset")).expect("valid");
    native.set_event_capacity(1 << 16);
    native.run_until(Time::from_nanos(30_000_000_000));
    let all: Array = ok(js.events(JsValue::from(0))).unchecked_into();
    let want: Vec<_> = native.events_since(0).collect();
    assert_eq!(all.length() as usize, want.len());
    assert!(want.len() > 100);
    for (got, want) in all.iter().zip(&want) {
        let tagged = serde_json::to_value(want).expect("event JSON");
        assert_eq!(get(&got, "seq").as_f64(), Some(want.seq as f64));
        assert_eq!(bigint(&get(&got, "atNs")), want.at.as_nanos());
        assert_eq!(
            get(&got, "type").as_string().as_deref(),
            tagged["type"].as_str()
        );
        assert_eq!(
            get(&got, "category").as_string().as_deref(),
            Some(want.category())
        );
        assert_eq!(get(&got, "text").as_string(), Some(want.text()));
        assert_eq!(get(&got, "call").as_string(), Some(want.call()));
        let key = want.key().map(|k| k.to_string());
        assert_eq!(get(&got, "key").as_string(), key);
    }
    let since: Array = ok(js.events(JsValue::from(js_sys::BigInt::from(100u64)))).unchecked_into();
    assert_eq!(since.length(), all.length() - 100);
    assert_eq!(get(&since.get(0), "seq").as_f64(), Some(100.0));
    let e = err(js.events(JsValue::from(-3)));
    assert!(e.starts_with("since: must be a sequence number ≥ 0"), "{e}");
}

#[test]
fn inputs_through_js_match_inputs_in_rust() {
    let mut js = preset_sim("poison");
    let mut native = Sim::new(preset("poison").expect("preset")).expect("valid");
    let steps = [
        (
            r#"{"op":"change","key":"default/new"}"#,
            Input::Change(Key::from("default/new")),
        ),
        (
            r#"{"op":"fail","key":"default/new"}"#,
            Input::Fail(Key::from("default/new")),
        ),
        (
            r#"{"op":"delete","key":"default/new"}"#,
            Input::DeleteObject(Key::from("default/new")),
        ),
        (
            r#"{"op":"forget","key":"default/new"}"#,
            Input::Forget(Key::from("default/new")),
        ),
    ];
    for (json, input) in steps {
        ok(js.run_until(JsValue::from(js.now() + 1_500_000_000)));
        native.run_until(native.now() + std::time::Duration::from_millis(1500));
        ok(js.apply(obj(json)));
        native.apply(input).expect("accepted");
    }
    let got = get(&ok(js.summary()), "trace_hash").as_string();
    assert_eq!(got, Some(native.summary().trace_hash));
}
