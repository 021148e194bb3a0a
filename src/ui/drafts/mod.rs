//! The configuration forms' text, kept as typed so a refused value stays visible with its
//! reason, and turned into sim inputs only when every field parses and validates. A refusal
//! names its field; the running simulation is untouched.

use std::time::Duration;

use crate::decimal;
use crate::sim::input::MAX_PRIORITY;
use crate::sim::{
    format_duration, parse_duration, ChangeCall, ErrorCall, Input, LimiterConfig, Policy,
    PolicyToggles, QueueKind, ReconcileOutcome, ReconcileResult, Scenario,
};
use crate::ui::reconcile_choice::ReconcileChoice;

mod choices;
mod field_map;
mod fields;
mod parsing;

pub use choices::{Bulk, LimiterKind, LimiterPreset, PolicyEdit, PolicyKind};
pub use field_map::FieldMap;
pub use fields::{all_fields, FieldError, FieldErrors, FieldId};
pub use parsing::processing_text;

use fields::refuse;
use parsing::{field_of_path, parse_processing, parse_rate, strip_path};

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

    /// A decimal field (`0.5`, `.5`, `1e3`), read as Go's `strconv.ParseFloat` reads it.
    fn decimal(&self, f: FieldId) -> Result<f64, FieldError> {
        let text = self.get(f).trim();
        decimal::parse(text).map_or_else(|| refuse(f, format!("“{text}” is not a number")), Ok)
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
            Ok(LimiterConfig::Bucket {
                qps: self.decimal(FieldId::Qps)?,
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// One configuration of every shape the limiter picker offers, with values that differ
    /// from the form's defaults, so a field that is not loaded or not read shows up.
    fn every_kind() -> Vec<(LimiterKind, LimiterConfig)> {
        let exponential = LimiterConfig::ItemExponential {
            base: ms(7),
            max: Duration::from_secs(90),
        };
        let bucket = LimiterConfig::Bucket {
            qps: 2.5,
            burst: 12,
        };
        vec![
            (
                LimiterKind::DefaultController,
                LimiterConfig::DefaultController,
            ),
            (
                LimiterKind::DefaultItemBased,
                LimiterConfig::DefaultItemBased,
            ),
            (LimiterKind::ItemExponential, exponential.clone()),
            (
                LimiterKind::ItemFastSlow,
                LimiterConfig::ItemFastSlow {
                    fast: ms(20),
                    slow: Duration::from_secs(4),
                    max_fast_attempts: 6,
                },
            ),
            (LimiterKind::Bucket, bucket.clone()),
            (
                LimiterKind::MaxOf,
                LimiterConfig::MaxOf(vec![exponential.clone(), bucket.clone()]),
            ),
            (
                LimiterKind::WithMaxWait,
                LimiterConfig::WithMaxWait {
                    inner: Box::new(LimiterConfig::MaxOf(vec![exponential, bucket])),
                    max: Duration::from_secs(45),
                },
            ),
        ]
    }

    #[test]
    fn every_limiter_kind_round_trips_through_the_form() {
        let kinds: Vec<LimiterKind> = every_kind().into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, LimiterKind::ALL, "every kind the picker offers");
        for (kind, config) in every_kind() {
            let mut d = Drafts::from_scenario(&Scenario::empty("x"));
            d.load_limiter(&config);
            assert_eq!(d.limiter, kind, "{config:?}");
            assert_eq!(d.limiter_config(), Ok(config.clone()), "{kind:?}");
            // The picker's option value names the kind back.
            assert_eq!(LimiterKind::parse(kind.value()), Some(kind));
        }
    }

    #[test]
    fn every_limiter_preset_round_trips_through_the_form() {
        for preset in LimiterPreset::ALL {
            let mut d = Drafts::from_scenario(&Scenario::empty("x"));
            d.load_limiter(&preset.config());
            assert_eq!(d.limiter_config(), Ok(preset.config()), "{preset:?}");
        }
    }

    #[test]
    fn a_refused_limiter_field_is_named_and_the_text_stays() {
        let mut d = Drafts::from_scenario(&Scenario::empty("x"));
        d.limiter = LimiterKind::ItemExponential;
        d.set(FieldId::Base, "fast".into());
        let err = d.limiter_config().unwrap_err();
        assert_eq!(err.field, FieldId::Base);
        assert_eq!(d.get(FieldId::Base), "fast");
        d.set(FieldId::Base, "5ms".into());
        d.limiter = LimiterKind::Bucket;
        d.set(FieldId::Qps, "-1".into());
        assert_eq!(d.limiter_config().unwrap_err().field, FieldId::Qps);
    }
}
