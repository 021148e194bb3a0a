//! The `Sim` class JavaScript sees: one simulated world, driven by inputs and
//! the virtual clock, read through plain objects.

use crate::js::convert::{JsEvent, JsFailure};
use crate::js::error::{describe, field_error, thrown};
use crate::js::input::parse_input;
use crate::js::summary::JsSummary;
use crate::js::value::{to_js, whole_from_js};
use crate::sim::{preset, Scenario, Sim, Time, PRESET_IDS};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsError, JsValue};

/// A simulated controller world (`Sim` in JavaScript): a client-go
/// rate-limiting queue, its workers and informer, on a virtual clock that
/// moves only when you step or run it. Every run is a pure function of
/// (scenario, seed, inputs), identical to `wqplay` natively.
#[wasm_bindgen(js_name = Sim)]
pub struct JsSim {
    sim: Sim,
}

#[wasm_bindgen(js_class = Sim)]
impl JsSim {
    /// `Sim.preset(id)`: a built-in scenario at t=0 (`"seed-oom"`,
    /// `"manual"`, …; see `Sim.presetIds()`). Throws on an
    /// unknown id.
    pub fn preset(id: JsValue) -> Result<JsSim, JsError> {
        let name = id.as_string().ok_or_else(|| {
            field_error("id", format!("must be a string (got {})", describe(&id)))
        })?;
        let scenario = preset(&name).ok_or_else(|| {
            field_error(
                "id",
                format!(
                    "no preset called {name:?} (presets: {})",
                    PRESET_IDS.join(", ")
                ),
            )
        })?;
        Self::start(scenario)
    }

    /// `Sim.presetIds()`: the built-in scenarios' ids, in menu order.
    #[wasm_bindgen(js_name = presetIds)]
    pub fn preset_ids() -> Vec<String> {
        PRESET_IDS.iter().map(|id| (*id).to_owned()).collect()
    }

    /// `Sim.fromScenario(scenario)`: a world from scenario JSON, given as a
    /// JavaScript object or as JSON text (for a seed above 2^53). A bad
    /// scenario throws an `Error` whose message names the field, exactly as
    /// `wqplay run scenario.json` reports it (`"workers.count: …"`).
    #[wasm_bindgen(js_name = fromScenario)]
    pub fn from_scenario(scenario: JsValue) -> Result<JsSim, JsError> {
        let text = match scenario.as_string() {
            Some(text) => text,
            None => js_sys::JSON::stringify(&scenario)
                .map_err(|e| {
                    field_error(
                        "(document)",
                        format!("cannot be written as JSON: {}", thrown(&e)),
                    )
                })?
                .as_string()
                .ok_or_else(|| {
                    field_error(
                        "(document)",
                        format!("must be a scenario object (got {})", describe(&scenario)),
                    )
                })?,
        };
        let scenario = Scenario::from_json(&text).map_err(|e| JsError::new(&e.to_string()))?;
        Self::start(scenario)
    }

    fn start(scenario: Scenario) -> Result<JsSim, JsError> {
        let sim = Sim::new(scenario).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(JsSim { sim })
    }

    /// `sim.apply(input)`: applies `{ op, key }` now (ops: `add`, `fail`,
    /// `forget`, `get`, `done`, `succeed`, `change`, `delete`; `get` takes no
    /// key) and returns the client-go call(s) it made, as the event log's
    /// `call` writes them, joined by `"; "`:
    /// `queue.AddRateLimited("ns/pod-7") → When()=5ms (failures 0→1)…`.
    /// A bad or refused input throws and changes nothing.
    pub fn apply(&mut self, input: JsValue) -> Result<String, JsError> {
        let input = parse_input(&input)?;
        let own = self
            .sim
            .apply_traced(input)
            .map_err(|e| JsError::new(&e.reason))?;
        let calls: Vec<String> = self
            .sim
            .events_since(own.start)
            .take_while(|e| e.seq < own.end)
            .map(|e| e.call())
            .filter(|call| !call.is_empty())
            .collect();
        Ok(calls.join("; "))
    }

    /// `sim.step()`: handles the next happening of any kind, moving the clock
    /// to it; returns its time in ns, or `undefined` if nothing is scheduled.
    pub fn step(&mut self) -> Option<u64> {
        self.sim.step().map(Time::as_nanos)
    }

    /// `sim.runUntil(ns)`: handles everything due up to `ns` (a `bigint`, or
    /// a safe integer `number`), then moves the clock there (never back).
    #[wasm_bindgen(js_name = runUntil)]
    pub fn run_until(&mut self, ns: JsValue) -> Result<(), JsError> {
        let t = whole_from_js("ns", ns, "a whole number of nanoseconds")?;
        self.sim.run_until(Time::from_nanos(t));
        Ok(())
    }

    /// `sim.now()`: the virtual time in ns, a `bigint`.
    pub fn now(&self) -> u64 {
        self.sim.now().as_nanos()
    }

    /// `sim.summary()`: the fields `wqplay run --format json` prints, with the
    /// same values; `time_ns` and `max_backoff_ns` are `bigint`s.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        let summary = self.sim.summary();
        to_js(&JsSummary::from(&summary))
    }

    /// `sim.failures()`: every failures-map entry, sorted by key, as
    /// `{ key, requeues, lastBackoffNs, nextRetryNs, lastFailedAtNs, status }`.
    pub fn failures(&self) -> Result<JsValue, JsError> {
        let rows = self.sim.failures();
        let rows: Vec<JsFailure> = rows.iter().map(JsFailure::from).collect();
        to_js(&rows)
    }

    /// `sim.events(since = 0)`: the retained event-log entries with
    /// `seq >= since`, oldest first, as plain objects. The log keeps the last
    /// 4096 events (see `setEventCapacity`); `summary().events` is the next
    /// sequence number.
    pub fn events(&self, since: JsValue) -> Result<JsValue, JsError> {
        let since = if since.is_undefined() {
            0
        } else {
            whole_from_js("since", since, "a sequence number")?
        };
        let events: Vec<JsEvent> = self.sim.events_since(since).map(JsEvent::from).collect();
        to_js(&events)
    }

    /// `sim.setEventCapacity(n)`: how many recent events the log keeps (at
    /// least 1; default 4096). The count and trace hash always cover them all.
    #[wasm_bindgen(js_name = setEventCapacity)]
    pub fn set_event_capacity(&mut self, n: u32) {
        self.sim.set_event_capacity(n as usize);
    }
}
