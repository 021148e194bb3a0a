//! The forms' pickers: limiter shapes, controller policies, bulk actions, policy edits and
//! one-click limiter presets.

use std::time::Duration;

use super::fields::FieldId;
use crate::sim::{ChangeCall, ErrorCall, LimiterConfig};

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

/// An edit to the policy pickers (the text fields go through [`Drafts::set`](super::Drafts::set)).
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
