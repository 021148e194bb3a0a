//! The memory model: how big the controller would be, and when it OOMs.
//!
//! The seed bug hid for two years because the Deployment restarted every
//! OOM-killed pod; the symptom operators saw was a sawtooth. The playground
//! reproduces it with an estimate, not a measurement: each structure costs a
//! labelled, user-changeable number of bytes per entry. The numbers are
//! assumptions and the UI must say so.

use crate::sim::duration::{format_duration, go_format};
use crate::sim::scenario::ScenarioError;
use crate::workqueue::Time;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Bytes per structure entry, the base footprint, the limit and the restart
/// delay. Every size is an assumption, shown as such.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MemoryConfig {
    /// The container memory limit; crossing it OOM-kills the controller.
    /// `None`: unlimited (no kills, the map just grows).
    pub limit_bytes: Option<u64>,
    /// Everything not modelled: runtime, informer cache, client (assumed 24 MiB).
    pub base_bytes: u64,
    /// One entry in the limiter's `failures` map: key string, map slot, counter
    /// (assumed 256 B).
    pub failure_entry_bytes: u64,
    /// One item waiting in the delaying heap: `waitFor`, heap slot and the
    /// de-dup map entry (assumed 192 B).
    pub waiting_entry_bytes: u64,
    /// One item in the FIFO, dirty or processing set (assumed 96 B).
    pub queue_entry_bytes: u64,
    /// How long the pod stays down after an OOM kill before the container
    /// restarts (assumed 10 s, kubelet's first crash back-off).
    #[serde(with = "go_format")]
    pub restart_delay: Duration,
}

/// Default base footprint: 24 MiB.
pub const DEFAULT_BASE_BYTES: u64 = 24 << 20;

impl Default for MemoryConfig {
    fn default() -> Self {
        MemoryConfig {
            limit_bytes: None,
            base_bytes: DEFAULT_BASE_BYTES,
            failure_entry_bytes: 256,
            waiting_entry_bytes: 192,
            queue_entry_bytes: 96,
            restart_delay: Duration::from_secs(10),
        }
    }
}

impl MemoryConfig {
    /// The estimate for the given structure sizes:
    /// `base + failures × f + waiting × w + queued × q` (saturating).
    pub fn estimate(&self, failures: usize, waiting: usize, queued: usize) -> u64 {
        let mul = |n: usize, size: u64| (n as u64).saturating_mul(size);
        self.base_bytes
            .saturating_add(mul(failures, self.failure_entry_bytes))
            .saturating_add(mul(waiting, self.waiting_entry_bytes))
            .saturating_add(mul(queued, self.queue_entry_bytes))
    }

    /// Rejects sizes that would make the estimate meaningless: a limit at or
    /// below the base would kill the controller on start, forever.
    pub fn validate(&self, path: &str) -> Result<(), ScenarioError> {
        const MAX_ENTRY: u64 = 1 << 20;
        for (name, v) in [
            ("failure_entry_bytes", self.failure_entry_bytes),
            ("waiting_entry_bytes", self.waiting_entry_bytes),
            ("queue_entry_bytes", self.queue_entry_bytes),
        ] {
            if v > MAX_ENTRY {
                return Err(ScenarioError::new(
                    format!("{path}.{name}"),
                    "must be ≤ 1 MiB",
                ));
            }
        }
        if self.base_bytes > 1 << 40 {
            return Err(ScenarioError::new(
                format!("{path}.base_bytes"),
                "must be ≤ 1 TiB",
            ));
        }
        if let Some(limit) = self.limit_bytes {
            if limit <= self.base_bytes {
                return Err(ScenarioError::new(
                    format!("{path}.limit_bytes"),
                    format!(
                        "must be above base_bytes ({}), or the controller could never start",
                        self.base_bytes
                    ),
                ));
            }
        }
        if self.restart_delay > Duration::from_secs(3600) {
            return Err(ScenarioError::new(
                format!("{path}.restart_delay"),
                "must be ≤ 1h",
            ));
        }
        Ok(())
    }

    /// "256 B/failure entry, 192 B/waiting, 96 B/queued, base 24 MiB (assumed)".
    pub fn describe(&self) -> String {
        format!(
            "{} B per failures entry, {} B per waiting item, {} B per queued item, base {} (assumed), restart after {}",
            self.failure_entry_bytes,
            self.waiting_entry_bytes,
            self.queue_entry_bytes,
            format_bytes(self.base_bytes),
            format_duration(self.restart_delay)
        )
    }
}

/// The memory readout at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryEstimate {
    /// Estimated bytes now (the base while the pod is down counts as 0).
    pub bytes: u64,
    /// The limit, if any.
    pub limit: Option<u64>,
    /// Highest estimate seen so far in this run.
    pub peak_bytes: u64,
    /// How many times the controller was OOM-killed.
    pub oom_kills: u64,
    /// How many times it started again (after a kill or a redeploy).
    pub restarts: u64,
    /// While the pod is down: when it comes back.
    pub down_until: Option<Time>,
}

/// Bytes in binary units with one decimal: "24.0 MiB", "512 B".
pub fn format_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if b < 1024 {
        return format!("{b} B");
    }
    let mut v = b as f64 / 1024.0;
    let mut unit = UNITS[0];
    for u in UNITS.iter().skip(1) {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_adds_each_structure() {
        let m = MemoryConfig::default();
        assert_eq!(m.estimate(0, 0, 0), DEFAULT_BASE_BYTES);
        assert_eq!(m.estimate(10, 2, 1), DEFAULT_BASE_BYTES + 2560 + 384 + 96);
    }

    #[test]
    fn bytes_read_naturally() {
        assert_eq!(format_bytes(512), "512 B");
        assert_eq!(format_bytes(24 << 20), "24.0 MiB");
        assert_eq!(format_bytes(1536), "1.5 KiB");
    }
}
