//! The configuration forms' text, kept as typed so a refused value stays visible with its
//! reason, and turned into sim inputs only when every field parses and validates. A refusal
//! names its field; the running simulation is untouched.

use std::fmt;
use std::time::Duration;

use crate::sim::input::MAX_PRIORITY;
use crate::sim::{
    format_duration, parse_duration, ChangeCall, ErrorCall, Input, LimiterConfig, Policy,
    PolicyToggles, ProcessingTime, QueueKind, ReconcileOutcome, ReconcileResult, Scenario,
};
use crate::ui::reconcile_choice::ReconcileChoice;

/// Every text field of the forms. The id is the element id; errors are keyed by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldId {
    /// The Key field.
    Key,
    /// Exponential limiter: delay of the first failure.
    Base,
    /// Exponential limiter: cap on one delay.
    Max,
    /// Bucket: refill rate.
    Qps,
    /// Bucket: size.
    Burst,
    /// Fast/slow limiter: fast delay.
    Fast,
    /// Fast/slow limiter: slow delay.
    Slow,
    /// Fast/slow limiter: attempts that get the fast delay.
    MaxFast,
    /// WithMaxWait: the cap on any delay.
    MaxWait,
    /// Number of simulated workers.
    Workers,
    /// Reconcile duration.
    Processing,
    /// Probability a reconcile fails.
    ErrorRate,
    /// Fixed/custom policy: drop after this many requeues.
    MaxRequeues,
    /// Container memory limit.
    MemoryLimit,
    /// Bulk: objects to add.
    AddCount,
    /// Update storm: objects that change.
    StormKeys,
    /// Update storm: interval per object.
    StormEvery,
    /// Update storm: how long.
    StormFor,
    /// Outage length.
    OutageFor,
    /// Simultaneous failures.
    HerdCount,
    /// controller-runtime: the `AddOpts.Priority` of the key panel's Add and Fail.
    Priority,
    /// controller-runtime: the `RequeueAfter` of the Reconcile returns picker.
    RequeueAfter,
    /// controller-runtime: the `Result.Priority` of what Reconcile returns (empty: none).
    ResultPriority,
}

impl FieldId {
    /// The limiter form's fields: Apply limiter validates (and clears the errors of) these.
    pub const LIMITER: [FieldId; 8] = [
        FieldId::Base,
        FieldId::Max,
        FieldId::Qps,
        FieldId::Burst,
        FieldId::Fast,
        FieldId::Slow,
        FieldId::MaxFast,
        FieldId::MaxWait,
    ];

    /// The controller form's fields: Apply controller validates (and clears the errors of) these.
    pub const CONTROLLER: [FieldId; 7] = [
        FieldId::Workers,
        FieldId::Processing,
        FieldId::ErrorRate,
        FieldId::MaxRequeues,
        FieldId::MemoryLimit,
        FieldId::RequeueAfter,
        FieldId::ResultPriority,
    ];

    /// The element id.
    pub fn id(self) -> &'static str {
        match self {
            FieldId::Key => "key-input",
            FieldId::Base => "lim-base",
            FieldId::Max => "lim-max",
            FieldId::Qps => "lim-qps",
            FieldId::Burst => "lim-burst",
            FieldId::Fast => "lim-fast",
            FieldId::Slow => "lim-slow",
            FieldId::MaxFast => "lim-max-fast",
            FieldId::MaxWait => "lim-max-wait",
            FieldId::Workers => "cfg-workers",
            FieldId::Processing => "cfg-processing",
            FieldId::ErrorRate => "cfg-error-rate",
            FieldId::MaxRequeues => "cfg-max-requeues",
            FieldId::MemoryLimit => "cfg-memory",
            FieldId::AddCount => "bulk-add-count",
            FieldId::StormKeys => "bulk-storm-keys",
            FieldId::StormEvery => "bulk-storm-every",
            FieldId::StormFor => "bulk-storm-for",
            FieldId::OutageFor => "bulk-outage-for",
            FieldId::HerdCount => "bulk-herd-count",
            FieldId::Priority => "key-priority",
            FieldId::RequeueAfter => "cfg-requeue-after",
            FieldId::ResultPriority => "cfg-result-priority",
        }
    }

    /// The visible label.
    pub fn label(self) -> &'static str {
        match self {
            FieldId::Key => "Key",
            FieldId::Base => "Base delay",
            FieldId::Max => "Max delay",
            FieldId::Qps => "Bucket qps",
            FieldId::Burst => "Bucket burst",
            FieldId::Fast => "Fast delay",
            FieldId::Slow => "Slow delay",
            FieldId::MaxFast => "Fast attempts",
            FieldId::MaxWait => "Max wait",
            FieldId::Workers => "Workers",
            FieldId::Processing => "Processing time",
            FieldId::ErrorRate => "Error rate",
            FieldId::MaxRequeues => "Max requeues",
            FieldId::MemoryLimit => "Memory limit",
            FieldId::AddCount => "Keys to add",
            FieldId::StormKeys => "Storm keys",
            FieldId::StormEvery => "Change every",
            FieldId::StormFor => "Storm length",
            FieldId::OutageFor => "Outage length",
            FieldId::HerdCount => "Simultaneous failures",
            FieldId::Priority => "Priority",
            FieldId::RequeueAfter => "Requeue after",
            FieldId::ResultPriority => "Result.Priority",
        }
    }

    /// A short hint on the accepted form.
    pub fn hint(self) -> Option<&'static str> {
        match self {
            FieldId::Base | FieldId::Max | FieldId::Fast | FieldId::Slow | FieldId::MaxWait => {
                Some("e.g. 5ms, 1m40s")
            }
            FieldId::Workers => Some("0 = manual"),
            FieldId::Processing => Some("100ms, 10ms-50ms or ~200ms"),
            FieldId::ErrorRate => Some("0–1 or %"),
            FieldId::MaxRequeues => Some("empty = no cap"),
            FieldId::MemoryLimit => Some("MiB, empty = none"),
            FieldId::StormEvery | FieldId::StormFor | FieldId::OutageFor => Some("e.g. 5s"),
            FieldId::RequeueAfter => Some("e.g. 30s"),
            FieldId::ResultPriority => Some("empty = keep the item's"),
            _ => None,
        }
    }

    const ALL: [FieldId; 23] = [
        FieldId::Key,
        FieldId::Base,
        FieldId::Max,
        FieldId::Qps,
        FieldId::Burst,
        FieldId::Fast,
        FieldId::Slow,
        FieldId::MaxFast,
        FieldId::MaxWait,
        FieldId::Workers,
        FieldId::Processing,
        FieldId::ErrorRate,
        FieldId::MaxRequeues,
        FieldId::MemoryLimit,
        FieldId::AddCount,
        FieldId::StormKeys,
        FieldId::StormEvery,
        FieldId::StormFor,
        FieldId::OutageFor,
        FieldId::HerdCount,
        FieldId::Priority,
        FieldId::RequeueAfter,
        FieldId::ResultPriority,
    ];
}

/// A value refused at its field, with the reason in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field to show the reason under.
    pub field: FieldId,
    /// Why.
    pub reason: String,
}

fn refuse<T>(field: FieldId, reason: impl Into<String>) -> Result<T, FieldError> {
    Err(FieldError {
        field,
        reason: reason.into(),
    })
}

/// The limiter shapes the form offers: every core client-go limiter, the defaults as presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimiterKind {
    /// `DefaultControllerRateLimiter()`.
    DefaultController,
    /// `DefaultItemBasedRateLimiter()`.
    DefaultItemBased,
    /// `ItemExponentialFailureRateLimiter(base, max)`.
    ItemExponential,
    /// `ItemFastSlowRateLimiter(fast, slow, n)`.
    ItemFastSlow,
    /// `BucketRateLimiter(qps, burst)`.
    Bucket,
    /// `MaxOf(ItemExponential(base, max), Bucket(qps, burst))` with your values.
    MaxOf,
    /// `WithMaxWait(MaxOf(…), maxWait)`.
    WithMaxWait,
}

impl LimiterKind {
    /// In the order the picker lists them.
    pub const ALL: [LimiterKind; 7] = [
        LimiterKind::DefaultController,
        LimiterKind::DefaultItemBased,
        LimiterKind::ItemExponential,
        LimiterKind::ItemFastSlow,
        LimiterKind::Bucket,
        LimiterKind::MaxOf,
        LimiterKind::WithMaxWait,
    ];

    /// The `<option>` value.
    pub fn value(self) -> &'static str {
        match self {
            LimiterKind::DefaultController => "default_controller",
            LimiterKind::DefaultItemBased => "default_item_based",
            LimiterKind::ItemExponential => "item_exponential",
            LimiterKind::ItemFastSlow => "item_fast_slow",
            LimiterKind::Bucket => "bucket",
            LimiterKind::MaxOf => "max_of",
            LimiterKind::WithMaxWait => "with_max_wait",
        }
    }

    /// The `<option>` text, in client-go's names.
    pub fn label(self) -> &'static str {
        match self {
            LimiterKind::DefaultController => "DefaultControllerRateLimiter (client-go default)",
            LimiterKind::DefaultItemBased => "DefaultItemBasedRateLimiter (client-go)",
            LimiterKind::ItemExponential => "ItemExponentialFailureRateLimiter",
            LimiterKind::ItemFastSlow => "ItemFastSlowRateLimiter",
            LimiterKind::Bucket => "BucketRateLimiter",
            LimiterKind::MaxOf => "MaxOf(ItemExponential, Bucket)",
            LimiterKind::WithMaxWait => "WithMaxWait(MaxOf(ItemExponential, Bucket))",
        }
    }

    /// The kind for an `<option>` value.
    pub fn parse(value: &str) -> Option<LimiterKind> {
        LimiterKind::ALL.into_iter().find(|k| k.value() == value)
    }

    /// The fields this kind is built from.
    pub fn fields(self) -> &'static [FieldId] {
        match self {
            LimiterKind::DefaultController | LimiterKind::DefaultItemBased => &[],
            LimiterKind::ItemExponential => &[FieldId::Base, FieldId::Max],
            LimiterKind::ItemFastSlow => &[FieldId::Fast, FieldId::Slow, FieldId::MaxFast],
            LimiterKind::Bucket => &[FieldId::Qps, FieldId::Burst],
            LimiterKind::MaxOf => &[FieldId::Base, FieldId::Max, FieldId::Qps, FieldId::Burst],
            LimiterKind::WithMaxWait => &[
                FieldId::Base,
                FieldId::Max,
                FieldId::Qps,
                FieldId::Burst,
                FieldId::MaxWait,
            ],
        }
    }
}

/// The controller policies the form offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// `AddRateLimited` on every change, never `Forget`: the seed bug.
    Buggy,
    /// `Add` on change, `AddRateLimited` on error, `Forget` on success.
    Fixed,
    /// Any combination of the calls.
    Custom,
}

impl PolicyKind {
    /// In picker order.
    pub const ALL: [PolicyKind; 3] = [PolicyKind::Buggy, PolicyKind::Fixed, PolicyKind::Custom];

    /// `<option>` value and text.
    pub fn value(self) -> &'static str {
        match self {
            PolicyKind::Buggy => "buggy",
            PolicyKind::Fixed => "fixed",
            PolicyKind::Custom => "custom",
        }
    }

    /// `<option>` text.
    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::Buggy => "Buggy: AddRateLimited on change, never Forget",
            PolicyKind::Fixed => "Fixed: Add on change, Forget on success",
            PolicyKind::Custom => "Custom",
        }
    }

    /// The kind for an `<option>` value.
    pub fn parse(value: &str) -> Option<PolicyKind> {
        PolicyKind::ALL.into_iter().find(|k| k.value() == value)
    }
}

/// A bulk action from the bulk panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bulk {
    /// Add N new objects.
    AddMany,
    /// Objects change every T for D.
    UpdateStorm,
    /// Every reconcile fails for D.
    Outage,
    /// N fresh keys fail at once.
    Herd,
}

/// The text of every form field plus the pickers' choices.
#[derive(Clone, Debug, PartialEq)]
pub struct Drafts {
    /// Limiter picker.
    pub limiter: LimiterKind,
    /// Policy picker.
    pub policy: PolicyKind,
    /// Custom policy: the call on change.
    pub on_change: ChangeCall,
    /// Custom policy: the call on error.
    pub on_error: ErrorCall,
    /// Custom policy: Forget after success.
    pub forget_on_success: bool,
    /// controller-runtime: what Reconcile returns.
    pub reconcile: ReconcileChoice,
    values: FieldMap,
}

const MIB: u64 = 1 << 20;

impl Drafts {
    /// Fields filled from a scenario's configuration (and sensible values for the rest).
    pub fn from_scenario(s: &Scenario) -> Drafts {
        let mut d = Drafts {
            limiter: LimiterKind::DefaultController,
            policy: PolicyKind::Fixed,
            on_change: ChangeCall::Add,
            on_error: ErrorCall::AddRateLimited,
            forget_on_success: true,
            reconcile: ReconcileChoice::Success,
            values: FieldMap::new(),
        };
        for (f, v) in [
            (FieldId::Base, "5ms"),
            (FieldId::Max, "16m40s"),
            (FieldId::Qps, "10"),
            (FieldId::Burst, "100"),
            (FieldId::Fast, "5ms"),
            (FieldId::Slow, "10s"),
            (FieldId::MaxFast, "3"),
            (FieldId::MaxWait, "30s"),
            (FieldId::AddCount, "100"),
            (FieldId::StormKeys, "50"),
            (FieldId::StormEvery, "5s"),
            (FieldId::StormFor, "1m"),
            (FieldId::OutageFor, "1m"),
            (FieldId::HerdCount, "1000"),
            (FieldId::RequeueAfter, "30s"),
        ] {
            d.set(f, v.to_string());
        }
        d.load_limiter(&s.limiter);
        d.set(FieldId::Workers, s.workers.count.to_string());
        d.set(FieldId::Processing, processing_text(&s.workers.processing));
        d.set(FieldId::ErrorRate, s.outcomes.error_rate.to_string());
        d.set(
            FieldId::MemoryLimit,
            s.memory
                .limit_bytes
                .map(|b| (b / MIB).to_string())
                .unwrap_or_default(),
        );
        let t = s.policy.toggles();
        d.policy = match s.policy {
            Policy::Buggy => PolicyKind::Buggy,
            Policy::Fixed { .. } => PolicyKind::Fixed,
            Policy::Custom(_) => PolicyKind::Custom,
        };
        d.on_change = t.on_change;
        d.on_error = t.on_error;
        d.forget_on_success = t.forget_on_success;
        d.set(
            FieldId::MaxRequeues,
            t.max_requeues.map(|n| n.to_string()).unwrap_or_default(),
        );
        if let Some(r) = s.outcomes.result {
            d.reconcile = ReconcileChoice::of(r.outcome);
            if let ReconcileOutcome::RequeueAfter(after) = r.outcome {
                d.set(FieldId::RequeueAfter, format_duration(after));
            }
            if let Some(p) = r.priority {
                d.set(FieldId::ResultPriority, p.to_string());
            }
        }
        d
    }

    /// Sets the picker and fields to show a limiter configuration.
    pub fn load_limiter(&mut self, l: &LimiterConfig) {
        match l {
            LimiterConfig::DefaultController => self.limiter = LimiterKind::DefaultController,
            LimiterConfig::DefaultItemBased => self.limiter = LimiterKind::DefaultItemBased,
            LimiterConfig::ItemExponential { base, max } => {
                self.limiter = LimiterKind::ItemExponential;
                self.set(FieldId::Base, format_duration(*base));
                self.set(FieldId::Max, format_duration(*max));
            }
            LimiterConfig::ItemFastSlow {
                fast,
                slow,
                max_fast_attempts,
            } => {
                self.limiter = LimiterKind::ItemFastSlow;
                self.set(FieldId::Fast, format_duration(*fast));
                self.set(FieldId::Slow, format_duration(*slow));
                self.set(FieldId::MaxFast, max_fast_attempts.to_string());
            }
            LimiterConfig::Bucket { qps, burst } => {
                self.limiter = LimiterKind::Bucket;
                self.set(FieldId::Qps, qps.to_string());
                self.set(FieldId::Burst, burst.to_string());
            }
            LimiterConfig::MaxOf(inner) => {
                self.limiter = LimiterKind::MaxOf;
                for l in inner {
                    let kind = self.limiter;
                    self.load_limiter(l);
                    self.limiter = kind;
                }
            }
            LimiterConfig::WithMaxWait { inner, max } => {
                self.load_limiter(inner);
                self.limiter = LimiterKind::WithMaxWait;
                self.set(FieldId::MaxWait, format_duration(*max));
            }
        }
    }

    /// A field's text.
    pub fn get(&self, f: FieldId) -> &str {
        self.values.get(&f).map_or("", String::as_str)
    }

    /// Replaces a field's text.
    pub fn set(&mut self, f: FieldId, v: String) {
        self.values.insert(f, v);
    }

    fn duration(&self, f: FieldId) -> Result<Duration, FieldError> {
        parse_duration(self.get(f).trim()).or_else(|e| refuse(f, e.to_string()))
    }

    fn number<T: std::str::FromStr>(&self, f: FieldId, what: &str) -> Result<T, FieldError> {
        let text = self.get(f).trim();
        text.parse()
            .or_else(|_| refuse(f, format!("“{text}” is not {what}")))
    }

    /// The limiter the form describes, validated; the refusal names the field at fault.
    pub fn limiter_config(&self) -> Result<LimiterConfig, FieldError> {
        let exponential = || -> Result<LimiterConfig, FieldError> {
            Ok(LimiterConfig::ItemExponential {
                base: self.duration(FieldId::Base)?,
                max: self.duration(FieldId::Max)?,
            })
        };
        let bucket = || -> Result<LimiterConfig, FieldError> {
            let qps: f64 = self.number(FieldId::Qps, "a number")?;
            Ok(LimiterConfig::Bucket {
                qps,
                burst: self.number(FieldId::Burst, "a whole number")?,
            })
        };
        let config = match self.limiter {
            LimiterKind::DefaultController => LimiterConfig::DefaultController,
            LimiterKind::DefaultItemBased => LimiterConfig::DefaultItemBased,
            LimiterKind::ItemExponential => exponential()?,
            LimiterKind::ItemFastSlow => LimiterConfig::ItemFastSlow {
                fast: self.duration(FieldId::Fast)?,
                slow: self.duration(FieldId::Slow)?,
                max_fast_attempts: self.number(FieldId::MaxFast, "a whole number")?,
            },
            LimiterKind::Bucket => bucket()?,
            LimiterKind::MaxOf => LimiterConfig::MaxOf(vec![exponential()?, bucket()?]),
            LimiterKind::WithMaxWait => LimiterConfig::WithMaxWait {
                inner: Box::new(LimiterConfig::MaxOf(vec![exponential()?, bucket()?])),
                max: self.duration(FieldId::MaxWait)?,
            },
        };
        config.validate("limiter").map_err(|e| FieldError {
            field: field_of_path(&e.field),
            reason: e.reason,
        })?;
        Ok(config)
    }

    /// The inputs that apply the controller form (workers, processing time, error rate,
    /// policy, memory limit), all validated before any is applied.
    pub fn controller_inputs(&self, queue: QueueKind) -> Result<Vec<Input>, FieldError> {
        let workers: u32 = self.number(FieldId::Workers, "a whole number")?;
        let processing = parse_processing(self.get(FieldId::Processing))?;
        let rate = parse_rate(self.get(FieldId::ErrorRate))?;
        let max_requeues = match self.get(FieldId::MaxRequeues).trim() {
            "" => None,
            t => Some(t.parse::<u64>().or_else(|_| {
                refuse(FieldId::MaxRequeues, format!("“{t}” is not a whole number"))
            })?),
        };
        let policy = match self.policy {
            PolicyKind::Buggy => Policy::Buggy,
            PolicyKind::Fixed => Policy::Fixed { max_requeues },
            PolicyKind::Custom => Policy::Custom(PolicyToggles {
                on_change: self.on_change,
                on_error: self.on_error,
                forget_on_success: self.forget_on_success,
                max_requeues,
            }),
        };
        let memory = match self.get(FieldId::MemoryLimit).trim() {
            "" => None,
            t => {
                let t = t.trim_end_matches("MiB").trim_end_matches("Mi").trim();
                let mib: u64 = t.parse().or_else(|_| {
                    refuse(
                        FieldId::MemoryLimit,
                        format!("“{t}” is not a whole number of MiB"),
                    )
                })?;
                if mib == 0 || mib > 1 << 20 {
                    return refuse(FieldId::MemoryLimit, "must be between 1 MiB and 1 TiB");
                }
                Some(mib * MIB)
            }
        };
        // controller-runtime's handler makes the calls, not a policy: there the form sets
        // what Reconcile returns instead.
        let (control, control_field) = match queue {
            QueueKind::ClientGo => (Input::SetPolicy(policy), FieldId::MaxRequeues),
            QueueKind::ControllerRuntime => {
                let (result, field) = self.reconcile_result()?;
                (Input::SetReconcileResult(result), field)
            }
        };
        let inputs = vec![
            Input::SetWorkers(workers),
            Input::SetProcessingTime(processing),
            Input::SetErrorRate(rate),
            control,
            Input::SetMemoryLimit(memory),
        ];
        for (input, field) in inputs.iter().zip([
            FieldId::Workers,
            FieldId::Processing,
            FieldId::ErrorRate,
            control_field,
            FieldId::MemoryLimit,
        ]) {
            input
                .validate()
                .or_else(|e| refuse(field, strip_path(&e.reason)))?;
        }
        Ok(inputs)
    }

    /// What the Reconcile returns picker and its fields say, and the field a refusal of it
    /// belongs to.
    fn reconcile_result(&self) -> Result<(ReconcileResult, FieldId), FieldError> {
        let outcome = match self.reconcile {
            ReconcileChoice::Success => ReconcileOutcome::Success,
            ReconcileChoice::Error => ReconcileOutcome::Error,
            ReconcileChoice::TerminalError => ReconcileOutcome::TerminalError,
            ReconcileChoice::Requeue => ReconcileOutcome::Requeue,
            ReconcileChoice::RequeueAfter => {
                let text = self.get(FieldId::RequeueAfter).trim();
                let d = parse_duration(text)
                    .or_else(|e| refuse(FieldId::RequeueAfter, format!("“{text}”: {e}")))?;
                ReconcileOutcome::RequeueAfter(d)
            }
        };
        let priority = self.priority(FieldId::ResultPriority)?;
        let field = if self.reconcile == ReconcileChoice::RequeueAfter {
            FieldId::RequeueAfter
        } else {
            FieldId::ResultPriority
        };
        Ok((ReconcileResult { outcome, priority }, field))
    }

    /// A priority field: empty is `None` (Go's nil), else a whole number within
    /// [`MAX_PRIORITY`].
    pub fn priority(&self, field: FieldId) -> Result<Option<i64>, FieldError> {
        match self.get(field).trim() {
            "" => Ok(None),
            t => {
                let p: i64 = t
                    .parse()
                    .or_else(|_| refuse(field, format!("“{t}” is not a whole number")))?;
                if p.unsigned_abs() > MAX_PRIORITY as u64 {
                    return refuse(
                        field,
                        format!("must be between -{MAX_PRIORITY} and {MAX_PRIORITY}"),
                    );
                }
                Ok(Some(p))
            }
        }
    }

    /// The input for a bulk action, validated.
    pub fn bulk_input(&self, bulk: Bulk) -> Result<Input, FieldError> {
        let (input, field) = match bulk {
            Bulk::AddMany => (
                Input::AddMany {
                    count: self.number(FieldId::AddCount, "a whole number")?,
                },
                FieldId::AddCount,
            ),
            Bulk::UpdateStorm => (
                Input::UpdateStorm {
                    keys: self.number(FieldId::StormKeys, "a whole number")?,
                    every: self.duration(FieldId::StormEvery)?,
                    duration: self.duration(FieldId::StormFor)?,
                },
                FieldId::StormKeys,
            ),
            Bulk::Outage => (
                Input::Outage {
                    duration: self.duration(FieldId::OutageFor)?,
                },
                FieldId::OutageFor,
            ),
            Bulk::Herd => (
                Input::Herd {
                    count: self.number(FieldId::HerdCount, "a whole number")?,
                },
                FieldId::HerdCount,
            ),
        };
        input.validate().or_else(|e| {
            let reason = e.reason;
            let field = if reason.starts_with("every") {
                FieldId::StormEvery
            } else if reason.starts_with("duration") {
                FieldId::StormFor
            } else {
                field
            };
            refuse(field, reason)
        })?;
        Ok(input)
    }
}

/// Maps a sim validation path (`limiter.max_of[1].bucket.qps`) to the form field showing it.
fn field_of_path(path: &str) -> FieldId {
    let last = path.rsplit('.').next().unwrap_or(path);
    match last {
        "base" => FieldId::Base,
        "qps" => FieldId::Qps,
        "burst" => FieldId::Burst,
        "fast" => FieldId::Fast,
        "slow" => FieldId::Slow,
        "max" if path.contains("with_max_wait.max") && !path.contains("inner") => FieldId::MaxWait,
        _ => FieldId::Max,
    }
}

/// Drops a leading `path: ` from a sim error so the message reads well under its field.
fn strip_path(reason: &str) -> String {
    match reason.split_once(": ") {
        Some((head, tail)) if !head.contains(' ') => tail.to_string(),
        _ => reason.to_string(),
    }
}

/// The processing-time text for a distribution: `100ms`, `10ms-50ms`, `~200ms`.
pub fn processing_text(p: &ProcessingTime) -> String {
    match p {
        ProcessingTime::Fixed(d) => format_duration(*d),
        ProcessingTime::Uniform { min, max } => {
            format!("{}-{}", format_duration(*min), format_duration(*max))
        }
        ProcessingTime::Exponential { mean } => format!("~{}", format_duration(*mean)),
    }
}

fn parse_processing(text: &str) -> Result<ProcessingTime, FieldError> {
    let t = text.trim();
    let d =
        |s: &str| parse_duration(s.trim()).or_else(|e| refuse(FieldId::Processing, e.to_string()));
    if let Some(mean) = t.strip_prefix('~') {
        return Ok(ProcessingTime::Exponential { mean: d(mean)? });
    }
    if let Some((lo, hi)) = t
        .split_once(['-', '–'])
        .filter(|(lo, _)| !lo.trim().is_empty())
    {
        return Ok(ProcessingTime::Uniform {
            min: d(lo)?,
            max: d(hi)?,
        });
    }
    Ok(ProcessingTime::Fixed(d(t)?))
}

fn parse_rate(text: &str) -> Result<f64, FieldError> {
    let t = text.trim();
    let (number, scale) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), 100.0),
        None => (t, 1.0),
    };
    let v: f64 = number
        .parse()
        .or_else(|_| refuse(FieldId::ErrorRate, format!("“{t}” is not a number")))?;
    let rate = v / scale;
    if !rate.is_finite() || !(0.0..=1.0).contains(&rate) {
        return refuse(
            FieldId::ErrorRate,
            "must be between 0 and 1 (or 0% and 100%)",
        );
    }
    Ok(rate)
}

/// Every field id (for tests and for clearing errors).
pub fn all_fields() -> [FieldId; 23] {
    FieldId::ALL
}

/// Refusals shown under their fields, by field.
pub type FieldErrors = FieldMap;

/// A text per field, kept sorted by field: the lookups and the equality of a
/// `BTreeMap<FieldId, String>`, without the several KB of wasm a B-tree instance costs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FieldMap(Vec<(FieldId, String)>);

impl FieldMap {
    /// An empty map.
    pub fn new() -> FieldMap {
        FieldMap::default()
    }

    /// The text of `f`, if it has one.
    pub fn get(&self, f: &FieldId) -> Option<&String> {
        self.find(f).ok().map(|i| &self.0[i].1)
    }

    /// Whether `f` has a text.
    pub fn contains_key(&self, f: &FieldId) -> bool {
        self.find(f).is_ok()
    }

    /// Sets the text of `f`.
    pub fn insert(&mut self, f: FieldId, text: String) {
        match self.find(&f) {
            Ok(i) => self.0[i].1 = text,
            Err(i) => self.0.insert(i, (f, text)),
        }
    }

    /// Removes the text of `f`, if it has one.
    pub fn remove(&mut self, f: &FieldId) {
        if let Ok(i) = self.find(f) {
            self.0.remove(i);
        }
    }

    fn find(&self, f: &FieldId) -> Result<usize, usize> {
        self.0.binary_search_by_key(f, |(k, _)| *k)
    }
}

/// Like a map's: `{Qps: "…"}`.
impl fmt::Debug for FieldMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

/// An edit to the policy pickers (the text fields go through [`Drafts::set`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyEdit {
    /// The policy picker.
    Kind(PolicyKind),
    /// Custom: the call on change.
    OnChange(ChangeCall),
    /// Custom: the call on error.
    OnError(ErrorCall),
    /// Custom: Forget after success.
    ForgetOnSuccess(bool),
}

impl Drafts {
    /// Applies a policy picker edit.
    pub fn edit_policy(&mut self, edit: PolicyEdit) {
        match edit {
            PolicyEdit::Kind(k) => self.policy = k,
            PolicyEdit::OnChange(c) => self.on_change = c,
            PolicyEdit::OnError(c) => self.on_error = c,
            PolicyEdit::ForgetOnSuccess(b) => self.forget_on_success = b,
        }
    }
}

/// One-click limiters: client-go's defaults and two seen in real projects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimiterPreset {
    /// `DefaultControllerRateLimiter()`: 5ms…1000s per item, 10 qps / burst 100 overall.
    ClientGoDefault,
    /// `DefaultItemBasedRateLimiter()`: 1ms…1000s per item.
    ClientGoItemBased,
    /// 5s…5m (cluster-api-provider-hetzner#1757).
    FiveSecondsFiveMinutes,
    /// 750ms…15m (fluxcd/pkg#256).
    FluxStyle,
}

impl LimiterPreset {
    /// In button order.
    pub const ALL: [LimiterPreset; 4] = [
        LimiterPreset::ClientGoDefault,
        LimiterPreset::ClientGoItemBased,
        LimiterPreset::FiveSecondsFiveMinutes,
        LimiterPreset::FluxStyle,
    ];

    /// Button text.
    pub fn label(self) -> &'static str {
        match self {
            LimiterPreset::ClientGoDefault => "client-go default",
            LimiterPreset::ClientGoItemBased => "client-go item-based",
            LimiterPreset::FiveSecondsFiveMinutes => "5s–5m",
            LimiterPreset::FluxStyle => "750ms–15m",
        }
    }

    /// Tooltip.
    pub fn title(self) -> &'static str {
        match self {
            LimiterPreset::ClientGoDefault => "DefaultControllerRateLimiter: MaxOf(ItemExponential(5ms, 1000s), Bucket(10 qps, burst 100))",
            LimiterPreset::ClientGoItemBased => "DefaultItemBasedRateLimiter: ItemExponential(1ms, 1000s)",
            LimiterPreset::FiveSecondsFiveMinutes => "ItemExponential(5s, 5m), as in cluster-api-provider-hetzner#1757",
            LimiterPreset::FluxStyle => "ItemExponential(750ms, 15m), as in fluxcd/pkg#256",
        }
    }

    /// The limiter it stands for.
    pub fn config(self) -> LimiterConfig {
        match self {
            LimiterPreset::ClientGoDefault => LimiterConfig::DefaultController,
            LimiterPreset::ClientGoItemBased => LimiterConfig::DefaultItemBased,
            LimiterPreset::FiveSecondsFiveMinutes => LimiterConfig::ItemExponential {
                base: Duration::from_secs(5),
                max: Duration::from_secs(300),
            },
            LimiterPreset::FluxStyle => LimiterConfig::ItemExponential {
                base: Duration::from_millis(750),
                max: Duration::from_secs(900),
            },
        }
    }
}
