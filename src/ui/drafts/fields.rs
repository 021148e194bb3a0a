//! The forms' text fields: their ids, labels and hints, and a refusal at a field.

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

pub(super) fn refuse<T>(field: FieldId, reason: impl Into<String>) -> Result<T, FieldError> {
    Err(FieldError {
        field,
        reason: reason.into(),
    })
}

/// Every field id (for tests and for clearing errors).
pub fn all_fields() -> [FieldId; 23] {
    FieldId::ALL
}

/// Refusals shown under their fields, by field.
pub type FieldErrors = super::field_map::FieldMap;
