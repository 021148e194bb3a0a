//! Which client-go rate limiter the simulated controller uses, as data.
//!
//! A scenario, a share link and the UI's limiter picker all need to name a
//! limiter without holding one, so this is a plain serde enum mirroring
//! client-go's constructors one for one.

use crate::sim::duration::{format_duration, go_format};
use crate::sim::json_f64;
use crate::sim::scenario::ScenarioError;
use crate::sim::Key;
use crate::workqueue::{
    default_controller_rate_limiter, default_item_based_rate_limiter, BucketRateLimiter, Clock,
    FakeClock, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter,
    RateLimiter, Time, WithMaxWaitRateLimiter,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Deepest nesting of `max_of` / `with_max_wait` accepted; real controllers
/// use one or two levels, and a bound keeps hostile JSON from recursing deep.
const MAX_DEPTH: usize = 8;

/// A rate limiter, named the way client-go's constructors are.
///
/// JSON: `"default_controller"`, `{"item_exponential": {"base": "5ms", "max": "1000s"}}`,
/// `{"bucket": {"qps": 10.0, "burst": 100}}`, `{"max_of": [ ... ]}`,
/// `{"with_max_wait": {"inner": ..., "max": "30s"}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum LimiterConfig {
    /// `DefaultTypedControllerRateLimiter()`: MaxOf(ItemExponential(5ms, 1000s), Bucket(10 qps, burst 100)).
    DefaultController,
    /// `DefaultTypedItemBasedRateLimiter()`: ItemExponential(1ms, 1000s).
    DefaultItemBased,
    /// `NewTypedItemExponentialFailureRateLimiter(base, max)`: base·2^failures, capped.
    ItemExponential {
        /// Delay of the first failure.
        #[serde(with = "go_format")]
        base: Duration,
        /// Cap on any one delay.
        #[serde(with = "go_format")]
        max: Duration,
    },
    /// `NewTypedItemFastSlowRateLimiter(fast, slow, maxFastAttempts)`.
    ItemFastSlow {
        /// Delay for the first `max_fast_attempts` failures.
        #[serde(with = "go_format")]
        fast: Duration,
        /// Delay for every later failure.
        #[serde(with = "go_format")]
        slow: Duration,
        /// How many failures get the fast delay.
        max_fast_attempts: u64,
    },
    /// `BucketRateLimiter{rate.NewLimiter(qps, burst)}`: one shared token bucket.
    Bucket {
        /// Refill rate in tokens per second.
        #[serde(deserialize_with = "json_f64::exact")]
        qps: f64,
        /// Bucket size, and the number of tokens it starts with.
        burst: u64,
    },
    /// `NewTypedMaxOfRateLimiter(...)`: every limiter is asked; the longest delay wins.
    MaxOf(Vec<LimiterConfig>),
    /// `NewTypedWithMaxWaitRateLimiter(inner, max)`: caps whatever `inner` says.
    WithMaxWait {
        /// The limiter whose delays are capped.
        inner: Box<LimiterConfig>,
        /// The cap.
        #[serde(with = "go_format")]
        max: Duration,
    },
}

impl LimiterConfig {
    /// Checks the values client-go would accept but that make no sense to
    /// simulate (zero or non-finite rates, empty MaxOf, absurd nesting), and
    /// says which field is wrong. `path` is the JSON path of this value.
    pub fn validate(&self, path: &str) -> Result<(), ScenarioError> {
        self.validate_at(path, 0)
    }

    fn validate_at(&self, path: &str, depth: usize) -> Result<(), ScenarioError> {
        if depth > MAX_DEPTH {
            return Err(ScenarioError::new(
                path,
                format!("nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        match self {
            LimiterConfig::DefaultController | LimiterConfig::DefaultItemBased => Ok(()),
            LimiterConfig::ItemExponential { base, max } => {
                positive(&format!("{path}.item_exponential.base"), *base)?;
                positive(&format!("{path}.item_exponential.max"), *max)
            }
            LimiterConfig::ItemFastSlow { fast, slow, .. } => {
                positive(&format!("{path}.item_fast_slow.fast"), *fast)?;
                positive(&format!("{path}.item_fast_slow.slow"), *slow)
            }
            LimiterConfig::Bucket { qps, burst } => {
                if !qps.is_finite() || *qps <= 0.0 || *qps > 1e9 {
                    return Err(ScenarioError::new(
                        format!("{path}.bucket.qps"),
                        format!("must be a number > 0 and ≤ 1e9 (got {qps})"),
                    ));
                }
                if *burst == 0 || *burst > 1_000_000_000 {
                    return Err(ScenarioError::new(
                        format!("{path}.bucket.burst"),
                        "must be between 1 and 1e9 (burst 0 makes every delay infinite)",
                    ));
                }
                Ok(())
            }
            LimiterConfig::MaxOf(inner) => {
                if inner.is_empty() {
                    return Err(ScenarioError::new(
                        format!("{path}.max_of"),
                        "needs at least one limiter",
                    ));
                }
                if inner.len() > 16 {
                    return Err(ScenarioError::new(
                        format!("{path}.max_of"),
                        "at most 16 limiters",
                    ));
                }
                for (i, l) in inner.iter().enumerate() {
                    l.validate_at(&format!("{path}.max_of[{i}]"), depth + 1)?;
                }
                Ok(())
            }
            LimiterConfig::WithMaxWait { inner, max } => {
                positive(&format!("{path}.with_max_wait.max"), *max)?;
                inner.validate_at(&format!("{path}.with_max_wait.inner"), depth + 1)
            }
        }
    }

    /// The delay one key's retries settle on when it keeps failing (1000 s for
    /// client-go's defaults), or `None` if they never settle on a positive
    /// delay within [`CAP_PROBE_CALLS`] calls (a bucket alone: no per-item cap).
    ///
    /// Read off [`backoff_schedule`] rather than the parameters, so nested
    /// `MaxOf`/`WithMaxWait` combinations get the cap client-go would reach.
    pub fn cap(&self) -> Option<Duration> {
        let rows = backoff_schedule(self, CAP_PROBE_CALLS).ok()?;
        match rows.as_slice() {
            [.., a, b, c] if a.delay == b.delay && b.delay == c.delay && !c.delay.is_zero() => {
                Some(c.delay)
            }
            _ => None,
        }
    }

    /// A one-line description in client-go's terms, e.g.
    /// "MaxOf(ItemExponential(5ms, 16m40s), Bucket(10 qps, burst 100))".
    pub fn describe(&self) -> String {
        match self {
            LimiterConfig::DefaultController => {
                "DefaultController = MaxOf(ItemExponential(5ms, 16m40s), Bucket(10 qps, burst 100))"
                    .to_owned()
            }
            LimiterConfig::DefaultItemBased => {
                "DefaultItemBased = ItemExponential(1ms, 16m40s)".to_owned()
            }
            LimiterConfig::ItemExponential { base, max } => {
                format!(
                    "ItemExponential({}, {})",
                    format_duration(*base),
                    format_duration(*max)
                )
            }
            LimiterConfig::ItemFastSlow {
                fast,
                slow,
                max_fast_attempts,
            } => format!(
                "ItemFastSlow({}, {}, {max_fast_attempts})",
                format_duration(*fast),
                format_duration(*slow)
            ),
            LimiterConfig::Bucket { qps, burst } => format!("Bucket({qps} qps, burst {burst})"),
            LimiterConfig::MaxOf(inner) => {
                let parts: Vec<String> = inner.iter().map(LimiterConfig::describe).collect();
                format!("MaxOf({})", parts.join(", "))
            }
            LimiterConfig::WithMaxWait { inner, max } => {
                format!(
                    "WithMaxWait({}, {})",
                    inner.describe(),
                    format_duration(*max)
                )
            }
        }
    }
}

impl LimiterConfig {
    /// Builds the client-go limiter this config names, reading `clock`
    /// (only the bucket reads time). Fails only for a config that
    /// [`validate`](Self::validate) would refuse.
    pub fn build(&self, clock: &FakeClock) -> Result<Box<dyn RateLimiter<Key>>, ScenarioError> {
        Ok(match self {
            LimiterConfig::DefaultController => {
                Box::new(default_controller_rate_limiter::<Key>(clock.clone()))
            }
            LimiterConfig::DefaultItemBased => Box::new(default_item_based_rate_limiter::<Key>()),
            LimiterConfig::ItemExponential { base, max } => {
                Box::new(ItemExponentialFailureRateLimiter::<Key>::new(*base, *max))
            }
            LimiterConfig::ItemFastSlow {
                fast,
                slow,
                max_fast_attempts,
            } => Box::new(ItemFastSlowRateLimiter::<Key>::new(
                *fast,
                *slow,
                *max_fast_attempts,
            )),
            LimiterConfig::Bucket { qps, burst } => Box::new(
                BucketRateLimiter::new(*qps, *burst, clock.clone())
                    .map_err(|e| ScenarioError::new("limiter.bucket", e.to_string()))?,
            ),
            LimiterConfig::MaxOf(inner) => {
                let built = inner
                    .iter()
                    .map(|l| l.build(clock))
                    .collect::<Result<Vec<_>, _>>()?;
                Box::new(MaxOfRateLimiter::new(built))
            }
            LimiterConfig::WithMaxWait { inner, max } => {
                Box::new(WithMaxWaitRateLimiter::new(inner.build(clock)?, *max))
            }
        })
    }
}

/// One row of the backoff schedule: the n-th consecutive failure of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduleRow {
    /// 1-based call number (`When` calls since the last `Forget`).
    pub n: u32,
    /// The delay `When` returned.
    pub delay: Duration,
    /// Sum of the delays so far: when this retry runs, counting from the first failure.
    pub cumulative: Duration,
}

/// How many consecutive failures [`LimiterConfig::cap`] probes: enough for a
/// 1 ms base to double up to client-go's 1000 s cap (call 21) with room to spare.
pub const CAP_PROBE_CALLS: u32 = 40;

/// The delays one key gets from `calls` consecutive failures with no
/// `Forget`, each retried exactly when due (so a bucket refills in between,
/// as it would in a controller). The table operators keep asking for.
pub fn backoff_schedule(
    limiter: &LimiterConfig,
    calls: u32,
) -> Result<Vec<ScheduleRow>, ScenarioError> {
    limiter.validate("limiter")?;
    let clock = FakeClock::new(Time::ZERO);
    let mut l = limiter.build(&clock)?;
    let key = Key::from("default/item");
    let mut cumulative = Duration::ZERO;
    let mut rows = Vec::with_capacity(calls.min(100_000) as usize);
    for n in 1..=calls.min(100_000) {
        let delay = l.when(&key);
        cumulative = cumulative.saturating_add(delay);
        clock.set(clock.now() + delay);
        rows.push(ScheduleRow {
            n,
            delay,
            cumulative,
        });
    }
    Ok(rows)
}

fn positive(field: &str, d: Duration) -> Result<(), ScenarioError> {
    if d.is_zero() {
        return Err(ScenarioError::new(field, "must be > 0"));
    }
    if d.as_nanos() > i64::MAX as u128 {
        return Err(ScenarioError::new(
            field,
            "must fit in a Go time.Duration (≤ 2562047h)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_is_where_the_schedule_settles() {
        assert_eq!(
            LimiterConfig::DefaultController.cap(),
            Some(Duration::from_secs(1000))
        );
        assert_eq!(
            LimiterConfig::DefaultItemBased.cap(),
            Some(Duration::from_secs(1000))
        );
        let wrapped = LimiterConfig::WithMaxWait {
            inner: Box::new(LimiterConfig::DefaultItemBased),
            max: Duration::from_secs(30),
        };
        assert_eq!(wrapped.cap(), Some(Duration::from_secs(30)));
        // A bucket alone never delays a lone key: no per-item cap to reach.
        let bucket = LimiterConfig::Bucket {
            qps: 10.0,
            burst: 100,
        };
        assert_eq!(bucket.cap(), None);
    }
}
