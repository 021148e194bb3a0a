//! The simulated controller world on a virtual clock: informer events,
//! workers, policies, the memory model, history and share links.
//!
//! Pure Rust with no web dependency and no wall clock, so the CLI, the tests
//! and the browser compute identical runs from (scenario, seed, inputs).
//! The UI, the CLI and the JavaScript package build on [`Sim`] (one world)
//! and [`History`] (its inputs, seek, fork and undo); the modules below hold
//! the values they read (events, series, leaks, share links, …).

mod agenda;
pub mod base64url;
pub mod code_trace;
pub mod compare;
pub mod duration;
pub mod embed;
pub mod events;
pub mod export;
pub mod field_notes;
pub mod history;
pub mod input;
pub mod json_f64;
pub mod json_path;
pub mod key_map;
pub mod latency;
pub mod leaks;
pub mod limiter;
pub mod memory;
mod objects;
pub mod policy;
pub mod presets;
pub mod priority_depths;
pub mod prng;
pub mod queue_model;
pub mod reconcile;
pub mod scenario;
pub mod series;
pub mod share;
pub mod tours;
pub mod trace_hash;
pub mod world;

/// An object key, "namespace/name", as the queue holds it. `Rc<str>` because
/// the queue, the limiter's map, the heap and the views all share one key.
pub type Key = std::rc::Rc<str>;

pub use crate::workqueue::Time;
pub use duration::{format_duration, parse_duration, DurationError};
pub use events::{Cause, Event, EventKind, FailReason, PqBefore, StartReason};
pub use field_notes::{field_note, FieldNote, Group, Thread};
pub use history::History;
pub use input::{Input, InputError, RecordedInput};
pub use limiter::{backoff_schedule, LimiterConfig, ScheduleRow};
pub use memory::{format_bytes, MemoryConfig, MemoryEstimate};
pub use policy::{ChangeCall, ErrorCall, Policy, PolicyToggles};
pub use presets::{preset, presets, PRESET_IDS};
pub use priority_depths::PriorityDepths;
pub use prng::Prng;
pub use queue_model::{QueueKind, QueueModel};
pub use reconcile::{ReconcileOutcome, ReconcileResult, LOW_PRIORITY};
pub use scenario::{
    ChurnConfig, InformerConfig, OutageWindow, OutcomeConfig, ProcessingTime, Scenario,
    ScenarioError, ScriptEntry, WorkerConfig, SCENARIO_VERSION,
};
pub use series::{Sample, Series};
pub use share::{decode_share, encode_share, ShareError, ShareState};
pub use trace_hash::TraceHash;
pub use world::{FailureRow, KeyStatus, Sim, Summary, WorkerState, WorkerView};
