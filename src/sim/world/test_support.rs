//! Helpers for the world's unit tests: small worlds and what they logged.

use super::*;
use crate::sim::scenario::WorkerConfig;

/// `n` virtual milliseconds.
pub(super) fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// `n` virtual milliseconds after t=0.
pub(super) fn at(n: u64) -> Time {
    Time::ZERO + ms(n)
}

/// An object key.
pub(super) fn key(k: &str) -> Key {
    Key::from(k)
}

/// No objects, `workers` workers of 10ms each, the default limiter and policy.
pub(super) fn world(workers: u32) -> Sim {
    Sim::new(scenario(workers)).expect("valid")
}

/// The scenario of [`world`], to change before building it.
pub(super) fn scenario(workers: u32) -> Scenario {
    let mut s = Scenario::empty("t");
    s.workers = WorkerConfig {
        count: workers,
        processing: ProcessingTime::Fixed(ms(10)),
    };
    s
}

/// Every logged event's call, oldest first.
pub(super) fn calls(sim: &Sim) -> Vec<String> {
    sim.events().map(|e| e.call()).collect()
}
