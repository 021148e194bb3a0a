//! A scenario: everything that defines a simulated world before anyone
//! touches it, as versioned JSON.
//!
//! Scenarios are files people write, presets the UI ships and the payload of
//! share links, so the format is strict (unknown fields are errors, every
//! error names its field) and versioned (a newer file fails clearly instead
//! of being half-understood).

use crate::sim::duration::{format_duration, go_format};
use crate::sim::input::{validate_key, validate_rate, Input};
use crate::sim::json_f64;
use crate::sim::json_path::error_path;
use crate::sim::key_map::KeyMap;
use crate::sim::limiter::LimiterConfig;
use crate::sim::memory::MemoryConfig;
use crate::sim::policy::Policy;
use crate::sim::queue_model::QueueKind;
use crate::sim::reconcile::ReconcileResult;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// The scenario format this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

/// Upper bound on any scheduled time in a scenario (one year), so scripts
/// cannot ask for work the browser will never finish.
const MAX_SCRIPT_TIME: Duration = Duration::from_secs(365 * 86_400);
/// The longest status-write echo a scenario may set: a watch event that comes
/// back later than that is no echo anyone would recognise.
const MAX_STATUS_ECHO: Duration = Duration::from_secs(3600);

/// The complete definition of a simulated world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; see [`SCENARIO_VERSION`].
    pub version: u32,
    /// Short id, `[a-z0-9-]`, e.g. "seed-oom".
    pub id: String,
    /// One-line title.
    #[serde(default)]
    pub title: String,
    /// What the scenario teaches.
    #[serde(default)]
    pub description: String,
    /// Seed of every random draw; same seed, same run.
    #[serde(default)]
    pub seed: u64,
    /// The work queue: `"client-go"` (default; omitted from the JSON so
    /// older scenarios and links read and write unchanged) or
    /// `"controller-runtime"` (the priority queue behind `reconcileHandler`).
    #[serde(default, skip_serializing_if = "QueueKind::is_default")]
    pub queue: QueueKind,
    /// The queue's rate limiter.
    #[serde(default = "default_limiter")]
    pub limiter: LimiterConfig,
    /// The controller's calls on change, error and success.
    #[serde(default = "default_policy")]
    pub policy: Policy,
    /// Simulated workers.
    #[serde(default)]
    pub workers: WorkerConfig,
    /// The object population and its change events.
    #[serde(default)]
    pub informer: InformerConfig,
    /// How reconciles turn out.
    #[serde(default)]
    pub outcomes: OutcomeConfig,
    /// Memory model and limit.
    #[serde(default)]
    pub memory: MemoryConfig,
    /// Inputs applied at fixed virtual times.
    #[serde(default)]
    pub script: Vec<ScriptEntry>,
}

fn default_limiter() -> LimiterConfig {
    LimiterConfig::DefaultController
}

fn default_policy() -> Policy {
    Policy::Fixed { max_requeues: None }
}

/// Workers: how many, and how long one reconcile takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerConfig {
    /// Number of workers; 0 means you call Get and Done by hand.
    pub count: u32,
    /// Duration of one reconcile.
    pub processing: ProcessingTime,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            count: 0,
            processing: ProcessingTime::Fixed(Duration::from_millis(100)),
        }
    }
}

/// The distribution of reconcile durations.
///
/// JSON: `{"fixed": "100ms"}`, `{"uniform": {"min": "10ms", "max": "50ms"}}`,
/// `{"exponential": {"mean": "200ms"}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ProcessingTime {
    /// Always the same.
    Fixed(#[serde(with = "go_format")] Duration),
    /// Uniform between two bounds.
    Uniform {
        /// Shortest.
        #[serde(with = "go_format")]
        min: Duration,
        /// Longest.
        #[serde(with = "go_format")]
        max: Duration,
    },
    /// Exponential with the given mean (memoryless; long tail).
    Exponential {
        /// Average duration.
        #[serde(with = "go_format")]
        mean: Duration,
    },
}

impl ProcessingTime {
    /// Durations must be > 0 (a zero-time reconcile would let one instant
    /// hold unbounded work) and ≤ 1h.
    pub fn validate(&self, path: &str) -> Result<(), ScenarioError> {
        let check = |field: String, d: Duration| {
            if d.is_zero() || d > Duration::from_secs(3600) {
                Err(ScenarioError::new(field, "must be > 0 and ≤ 1h"))
            } else {
                Ok(())
            }
        };
        match self {
            ProcessingTime::Fixed(d) => check(format!("{path}.fixed"), *d),
            ProcessingTime::Uniform { min, max } => {
                check(format!("{path}.uniform.min"), *min)?;
                check(format!("{path}.uniform.max"), *max)?;
                if min > max {
                    return Err(ScenarioError::new(
                        format!("{path}.uniform.min"),
                        "must be ≤ max",
                    ));
                }
                Ok(())
            }
            ProcessingTime::Exponential { mean } => {
                check(format!("{path}.exponential.mean"), *mean)
            }
        }
    }

    /// "100ms", "10ms–50ms", "~200ms (exponential)".
    pub fn describe(&self) -> String {
        match self {
            ProcessingTime::Fixed(d) => format_duration(*d),
            ProcessingTime::Uniform { min, max } => {
                format!("{}–{}", format_duration(*min), format_duration(*max))
            }
            ProcessingTime::Exponential { mean } => {
                format!("~{} (exponential)", format_duration(*mean))
            }
        }
    }
}

/// The objects the informer watches and how they change.
///
/// Keys are `namespace/name_prefix<n>` with n counting up from 0, so a key is
/// never reused after its object is deleted (like pod names).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InformerConfig {
    /// Namespace part of generated keys.
    pub namespace: String,
    /// Name prefix of generated keys.
    pub name_prefix: String,
    /// Objects that exist at t=0 (the initial list).
    pub initial_objects: u32,
    /// Mean interval between updates of one object (exponential); `None`: no updates.
    #[serde(with = "go_format::option")]
    pub change_every: Option<Duration>,
    /// Objects created and deleted over time; `None`: a fixed population.
    pub churn: Option<ChurnConfig>,
    /// Whether a delete event is enqueued too (`DeleteFunc: enqueue`).
    pub enqueue_on_delete: bool,
}

impl Default for InformerConfig {
    fn default() -> Self {
        InformerConfig {
            namespace: "default".to_owned(),
            name_prefix: "pod-".to_owned(),
            initial_objects: 0,
            change_every: None,
            churn: None,
            enqueue_on_delete: true,
        }
    }
}

/// Object churn: creations as a Poisson process, lifetimes exponential.
/// Steady-state population ≈ lifetime / create_every.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChurnConfig {
    /// Mean interval between object creations.
    #[serde(with = "go_format")]
    pub create_every: Duration,
    /// Mean lifetime of an object (the initial ones included).
    #[serde(with = "go_format")]
    pub lifetime: Duration,
}

/// How reconciles turn out. A reconcile of a deleted object always succeeds
/// ("object no longer exists, nothing to do"), as in sample-controller.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct OutcomeConfig {
    /// Probability that a reconcile of a live key fails.
    #[serde(deserialize_with = "json_f64::exact")]
    pub error_rate: f64,
    /// Per-key failure probabilities overriding `error_rate`.
    #[serde(deserialize_with = "json_f64::exact_map")]
    pub key_error_rates: KeyMap<f64>,
    /// Keys whose reconcile always fails.
    pub poison_keys: Vec<String>,
    /// Windows in which every reconcile fails.
    pub outages: Vec<OutageWindow>,
    /// controller-runtime mode only: the probability that a random error
    /// (from `error_rate`/`key_error_rates`) is a `reconcile.TerminalError`.
    #[serde(skip_serializing_if = "is_zero", deserialize_with = "json_f64::exact")]
    pub terminal_rate: f64,
    /// controller-runtime mode only: what `Reconcile` returns for these
    /// keys while their object exists (outages and poison keys still fail
    /// with an error first).
    #[serde(skip_serializing_if = "KeyMap::is_empty")]
    pub results: KeyMap<ReconcileResult>,
    /// controller-runtime mode only: what a reconcile that does not fail
    /// returns (default `(Result{}, nil)`), e.g. `{"outcome": "requeue"}`
    /// for a controller that polls with `Requeue: true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<ReconcileResult>,
    /// The controller writes each failed reconcile's error into the object's
    /// status, and the watch delivers that write back as an update event this
    /// long after the failure: the controller's own "spurious" event. The
    /// reconcile it triggers finds the error already recorded and returns
    /// success, so the key is `Forget`-ten and its backoff starts over
    /// (kubernetes-sigs/controller-runtime#1848). `None`: no status writes.
    #[serde(with = "go_format::option", skip_serializing_if = "Option::is_none")]
    pub status_echo: Option<Duration>,
}

fn is_zero(f: &f64) -> bool {
    *f == 0.0
}

/// An interval of virtual time in which every reconcile fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutageWindow {
    /// Start, from t=0.
    #[serde(with = "go_format")]
    pub start: Duration,
    /// Length.
    #[serde(with = "go_format")]
    pub duration: Duration,
}

/// An input the scenario applies by itself at a fixed time, optionally
/// repeated (`repeat` times, `every` apart).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptEntry {
    /// When, from t=0.
    #[serde(with = "go_format")]
    pub at: Duration,
    /// What.
    pub input: Input,
    /// How many times (default 1).
    #[serde(default = "one")]
    pub repeat: u32,
    /// Interval between repetitions (default 0: all at the same instant).
    #[serde(default, with = "go_format")]
    pub every: Duration,
}

fn one() -> u32 {
    1
}

/// What is wrong with a scenario: the JSON path of the field and why.
/// Displays as "limiter.item_exponential.base: must be > 0".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Dotted JSON path, e.g. `"workers.count"` or `"script[3].input"`.
    pub field: String,
    /// What is wrong, in plain words.
    pub reason: String,
}

impl ScenarioError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> ScenarioError {
        ScenarioError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for ScenarioError {}

/// Only the version, read before anything else so that a newer file gets a
/// "too new" error rather than an "unknown field" one. Kept as the JSON text
/// (which the checks read as a number and errors quote as written): a
/// `serde_json::Value` here would compile its whole parser and printer in.
#[derive(Deserialize)]
struct VersionProbe<'a> {
    #[serde(borrow)]
    version: Option<&'a serde_json::value::RawValue>,
}

impl Scenario {
    /// An empty world with defaults: no objects, no workers, the default
    /// controller limiter and the fixed policy.
    pub fn empty(id: &str) -> Scenario {
        Scenario {
            version: SCENARIO_VERSION,
            id: id.to_owned(),
            title: String::new(),
            description: String::new(),
            seed: 1,
            queue: QueueKind::ClientGo,
            limiter: default_limiter(),
            policy: default_policy(),
            workers: WorkerConfig::default(),
            informer: InformerConfig::default(),
            outcomes: OutcomeConfig::default(),
            memory: MemoryConfig::default(),
            script: Vec::new(),
        }
    }

    /// Parses and validates scenario JSON. Errors name the field: a type
    /// error as its JSON path, an unknown field by its name, a newer version
    /// as "version".
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let probe: VersionProbe = serde_json::from_str(text)
            .map_err(|e| ScenarioError::new("(document)", format!("not a JSON object: {e}")))?;
        match probe.version {
            None => {
                return Err(ScenarioError::new(
                    "version",
                    format!("missing; this playground reads version {SCENARIO_VERSION}"),
                ))
            }
            Some(raw) => match serde_json::from_str::<u64>(raw.get()).ok() {
                Some(v) if v > u64::from(SCENARIO_VERSION) => {
                    return Err(ScenarioError::new(
                        "version",
                        format!(
                            "version {v} is newer than this playground understands ({SCENARIO_VERSION}); \
                             open it with a newer playground"
                        ),
                    ))
                }
                Some(v) if v >= 1 => {}
                _ => {
                    return Err(ScenarioError::new(
                        "version",
                        format!(
                            "must be a whole number from 1 to {SCENARIO_VERSION} (got {})",
                            raw.get()
                        ),
                    ))
                }
            },
        }
        let scenario: Scenario = json_f64::from_str(text).map_err(|e| {
            let path = error_path(text, &e);
            // The path already ends in an unknown field's own name.
            let field = if path == "." {
                "(document)".to_owned()
            } else {
                path
            };
            ScenarioError::new(field, e.to_string())
        })?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Pretty JSON that [`Scenario::from_json`] reads back unchanged.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every value, naming the first bad field.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.version == 0 || self.version > SCENARIO_VERSION {
            return Err(ScenarioError::new(
                "version",
                format!("must be 1..={SCENARIO_VERSION} (got {})", self.version),
            ));
        }
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(ScenarioError::new(
                "id",
                "must be 1–64 characters of a-z, 0-9 and '-'",
            ));
        }
        if self.title.len() > 200 {
            return Err(ScenarioError::new("title", "must be at most 200 bytes"));
        }
        if self.description.len() > 4000 {
            return Err(ScenarioError::new(
                "description",
                "must be at most 4000 bytes",
            ));
        }
        self.limiter.validate("limiter")?;
        self.policy.validate("policy")?;
        if self.workers.count > crate::sim::input::MAX_WORKERS {
            return Err(ScenarioError::new(
                "workers.count",
                format!("must be ≤ {}", crate::sim::input::MAX_WORKERS),
            ));
        }
        self.workers.processing.validate("workers.processing")?;
        self.validate_informer()?;
        self.validate_outcomes()?;
        self.memory.validate("memory")?;
        if self.script.len() > 10_000 {
            return Err(ScenarioError::new("script", "at most 10000 entries"));
        }
        for (i, entry) in self.script.iter().enumerate() {
            let field = |name: &str| format!("script[{i}].{name}");
            if entry.repeat == 0 || entry.repeat > 100_000 {
                return Err(ScenarioError::new(
                    field("repeat"),
                    "must be between 1 and 100000",
                ));
            }
            let last = entry
                .every
                .checked_mul(entry.repeat - 1)
                .and_then(|d| d.checked_add(entry.at));
            if last.is_none_or(|t| t > MAX_SCRIPT_TIME) {
                return Err(ScenarioError::new(
                    field("at"),
                    "the last repetition must be within 8760h",
                ));
            }
            entry
                .input
                .validate()
                .map_err(|e| ScenarioError::new(field("input"), e.reason))?;
        }
        Ok(())
    }

    fn validate_informer(&self) -> Result<(), ScenarioError> {
        let inf = &self.informer;
        let name_ok = |s: &str| {
            !s.is_empty()
                && s.len() <= 63
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        };
        if !name_ok(&inf.namespace) {
            return Err(ScenarioError::new(
                "informer.namespace",
                "must be 1–63 characters of letters, digits, '-' and '.'",
            ));
        }
        if !inf.name_prefix.is_empty() && !name_ok(&inf.name_prefix) {
            return Err(ScenarioError::new(
                "informer.name_prefix",
                "must be at most 63 characters of letters, digits, '-' and '.'",
            ));
        }
        if inf.initial_objects > 100_000 {
            return Err(ScenarioError::new(
                "informer.initial_objects",
                "must be ≤ 100000",
            ));
        }
        if let Some(d) = inf.change_every {
            if d < Duration::from_millis(1) {
                return Err(ScenarioError::new("informer.change_every", "must be ≥ 1ms"));
            }
        }
        if let Some(churn) = &inf.churn {
            if churn.create_every < Duration::from_millis(1) {
                return Err(ScenarioError::new(
                    "informer.churn.create_every",
                    "must be ≥ 1ms",
                ));
            }
            if churn.lifetime < Duration::from_millis(1) {
                return Err(ScenarioError::new(
                    "informer.churn.lifetime",
                    "must be ≥ 1ms",
                ));
            }
            let population = churn.lifetime.as_secs_f64() / churn.create_every.as_secs_f64();
            if population > 100_000.0 {
                return Err(ScenarioError::new(
                    "informer.churn",
                    format!(
                        "lifetime / create_every ≈ {population:.0} live objects; at most 100000"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn validate_outcomes(&self) -> Result<(), ScenarioError> {
        let out = &self.outcomes;
        validate_rate(out.error_rate).map_err(|r| ScenarioError::new("outcomes.error_rate", r))?;
        for (key, rate) in &out.key_error_rates {
            validate_key(key).map_err(|r| ScenarioError::new("outcomes.key_error_rates", r))?;
            validate_rate(*rate)
                .map_err(|r| ScenarioError::new(format!("outcomes.key_error_rates.{key}"), r))?;
        }
        for (i, key) in out.poison_keys.iter().enumerate() {
            validate_key(key)
                .map_err(|r| ScenarioError::new(format!("outcomes.poison_keys[{i}]"), r))?;
        }
        validate_rate(out.terminal_rate)
            .map_err(|r| ScenarioError::new("outcomes.terminal_rate", r))?;
        for (key, r) in &out.results {
            validate_key(key).map_err(|e| ScenarioError::new("outcomes.results", e))?;
            r.validate(&format!("outcomes.results.{key}"))?;
        }
        if let Some(r) = &out.result {
            r.validate("outcomes.result")?;
        }
        if self.queue == QueueKind::ClientGo {
            let cr_only = [
                ("outcomes.terminal_rate", out.terminal_rate != 0.0),
                ("outcomes.results", !out.results.is_empty()),
                ("outcomes.result", out.result.is_some()),
            ];
            if let Some((field, _)) = cr_only.iter().find(|(_, set)| *set) {
                return Err(ScenarioError::new(
                    *field,
                    "only in controller-runtime mode (set \"queue\": \"controller-runtime\")",
                ));
            }
        }
        if let Some(echo) = out.status_echo {
            if echo.is_zero() || echo > MAX_STATUS_ECHO {
                return Err(ScenarioError::new(
                    "outcomes.status_echo",
                    "must be > 0 and at most 1h",
                ));
            }
        }
        for (i, w) in out.outages.iter().enumerate() {
            if w.duration.is_zero() {
                return Err(ScenarioError::new(
                    format!("outcomes.outages[{i}].duration"),
                    "must be > 0",
                ));
            }
            if w.start.saturating_add(w.duration) > MAX_SCRIPT_TIME {
                return Err(ScenarioError::new(
                    format!("outcomes.outages[{i}].start"),
                    "must end within 8760h",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_round_trips() {
        let s = Scenario::empty("x");
        assert_eq!(Scenario::from_json(&s.to_json()), Ok(s));
    }

    #[test]
    fn floats_are_read_correctly_rounded_as_go_reads_them() {
        // 17 digits: a parser that scales the digits as a float (serde_json without
        // `float_roundtrip`) lands one ulp below; Go's strconv.ParseFloat does not.
        let text = "0.92030920993190389";
        let mut s = Scenario::empty("x");
        s.outcomes.error_rate = 0.5;
        let json = s.to_json().replace("0.5", text);
        let read = Scenario::from_json(&json)
            .expect("valid")
            .outcomes
            .error_rate;
        assert_eq!(read.to_bits(), text.parse::<f64>().unwrap().to_bits());
        assert_eq!(read.to_bits(), 0.9203092099319039f64.to_bits());
    }

    #[test]
    fn status_echo_is_bounded_and_round_trips() {
        let mut s = Scenario::empty("x");
        s.outcomes.status_echo = Some(Duration::from_millis(2));
        assert_eq!(Scenario::from_json(&s.to_json()), Ok(s.clone()));
        for bad in ["0s", "1h0m1s"] {
            let text = s.to_json().replace("\"2ms\"", &format!("\"{bad}\""));
            let err = Scenario::from_json(&text).unwrap_err();
            assert_eq!(err.field, "outcomes.status_echo", "{bad}");
        }
    }

    #[test]
    fn errors_name_the_field() {
        let bad_type = r#"{"version":1,"id":"x","workers":{"count":"many"}}"#;
        assert_eq!(
            Scenario::from_json(bad_type).unwrap_err().field,
            "workers.count"
        );
        let unknown = r#"{"version":1,"id":"x","workers":{"cuont":2}}"#;
        assert_eq!(
            Scenario::from_json(unknown).unwrap_err().field,
            "workers.cuont"
        );
        let top_unknown = r#"{"version":1,"id":"x","wrokers":{}}"#;
        assert_eq!(
            Scenario::from_json(top_unknown).unwrap_err().field,
            "wrokers"
        );
        let zero_base =
            r#"{"version":1,"id":"x","limiter":{"item_exponential":{"base":"0s","max":"1s"}}}"#;
        let e = Scenario::from_json(zero_base).unwrap_err();
        assert_eq!(e.to_string(), "limiter.item_exponential.base: must be > 0");
        let bad_duration = r#"{"version":1,"id":"x","memory":{"restart_delay":"10"}}"#;
        let e = Scenario::from_json(bad_duration).unwrap_err();
        assert_eq!(e.field, "memory.restart_delay");
        assert!(e.reason.contains("missing unit"), "{e}");
    }

    #[test]
    fn queue_field_defaults_round_trips_and_names_bad_values() {
        let old = Scenario::from_json(r#"{"version":1,"id":"x"}"#).expect("old loads");
        assert_eq!(old.queue, QueueKind::ClientGo);
        assert!(
            !old.to_json().contains("\"queue\""),
            "client-go JSON unchanged"
        );
        let mut cr = Scenario::empty("x");
        cr.queue = QueueKind::ControllerRuntime;
        cr.outcomes.terminal_rate = 0.5;
        let json = cr.to_json();
        assert!(json.contains(r#""queue": "controller-runtime""#), "{json}");
        assert_eq!(Scenario::from_json(&json), Ok(cr));
        let bad = Scenario::from_json(r#"{"version":1,"id":"x","queue":"kube"}"#).unwrap_err();
        assert_eq!(bad.field, "queue");
        assert!(bad.reason.contains("controller-runtime"), "{bad}");
        let cg_only = Scenario::from_json(
            r#"{"version":1,"id":"x","outcomes":{"result":{"outcome":"requeue"}}}"#,
        )
        .unwrap_err();
        assert_eq!(cg_only.field, "outcomes.result");
    }

    #[test]
    fn newer_version_is_a_clear_error() {
        let e = Scenario::from_json(r#"{"version":2,"id":"x","future_field":1}"#).unwrap_err();
        assert_eq!(e.field, "version");
        assert!(e.reason.contains("newer"), "{e}");
        assert_eq!(
            Scenario::from_json(r#"{"id":"x"}"#).unwrap_err().field,
            "version"
        );
        assert_eq!(
            Scenario::from_json("[1,2]").unwrap_err().field,
            "(document)"
        );
        assert_eq!(Scenario::from_json("").unwrap_err().field, "(document)");
    }

    #[test]
    fn a_version_that_is_not_a_count_is_quoted() {
        for (version, got) in [("\"1\"", "\"1\""), ("1.5", "1.5"), ("0", "0"), ("-1", "-1")] {
            let e =
                Scenario::from_json(&format!(r#"{{"version":{version},"id":"x"}}"#)).unwrap_err();
            assert_eq!(e.field, "version");
            assert!(e.reason.ends_with(&format!("(got {got})")), "{e}");
        }
        let e = Scenario::from_json(r#"{"version":null,"id":"x"}"#).unwrap_err();
        assert!(e.reason.starts_with("missing"), "{e}");
    }
}
