//! The leak detector: plain-language findings, with the numbers, computed
//! from the running world, each tied to the line of Go code responsible.
//!
//! Reading the controller's code found nothing in the seed story; the
//! numbers did. So every finding compares two numbers a person can check on
//! screen (`len(failures)` against failing keys, orphan entries, the wait a
//! change event got) and names the call that explains the gap.

use crate::sim::code_trace::{CodeLine, CodeRef, CodeTab};
use crate::sim::duration::format_duration;
use crate::sim::events::{Cause, EventKind};
use crate::sim::memory::format_bytes;
use crate::sim::policy::ChangeCall;
use crate::sim::queue_model::QueueKind;
use crate::sim::world::Sim;
use crate::stable_sort;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Memory grows without bound: the bug of the seed story.
    Leak,
    /// Correct but costly behaviour worth knowing about.
    Warning,
    /// An invariant holds (shown so a healthy run says so).
    Healthy,
}

impl Severity {
    /// The label shown beside the finding (never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Leak => "Leak",
            Severity::Warning => "Warning",
            Severity::Healthy => "OK",
        }
    }
}

/// Which check produced a finding (stable, for tests and DOM ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// `len(failures)` far above the failing keys.
    MapOutgrowsFailures,
    /// Entries left behind by deleted objects.
    Orphans,
    /// Change events go through `AddRateLimited`.
    ChangeRateLimited,
    /// The pod was OOM-killed (and the map rebuilt after each restart).
    OomKills,
    /// The shared token bucket is in debt.
    BucketDebt,
    /// `len(failures)` tracks the failing keys.
    MapBounded,
    /// controller-runtime: entries of deleted objects whose last reconcile
    /// returned a `TerminalError`.
    TerminalOrphans,
    /// controller-runtime: keys polling with `Requeue: true`.
    RequeuePolling,
}

impl FindingKind {
    /// A stable id.
    pub fn id(self) -> &'static str {
        match self {
            FindingKind::MapOutgrowsFailures => "map-outgrows-failures",
            FindingKind::Orphans => "orphans",
            FindingKind::ChangeRateLimited => "change-rate-limited",
            FindingKind::OomKills => "oom-kills",
            FindingKind::BucketDebt => "bucket-debt",
            FindingKind::MapBounded => "map-bounded",
            FindingKind::TerminalOrphans => "terminal-orphans",
            FindingKind::RequeuePolling => "requeue-polling",
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Which check.
    pub kind: FindingKind,
    /// How serious.
    pub severity: Severity,
    /// The finding in plain words, with the numbers.
    pub text: String,
    /// The Go line responsible.
    pub code: CodeRef,
}

/// A gap smaller than this between `len(failures)` and the failing keys is
/// ordinary churn (keys between a failure and their next success), not a leak.
pub const MAP_GAP_MIN: u64 = 10;

/// Thousands separated by a narrow no-break space, as in "5 214".
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

/// Every finding that applies to `sim` now, most serious first.
pub fn findings(sim: &Sim) -> Vec<Finding> {
    let mut out = Vec::new();
    let cr = sim.queue_kind() == QueueKind::ControllerRuntime;
    let mut toggles = sim.policy().toggles();
    if cr {
        // reconcileHandler, not the policy, makes the calls: Add on events,
        // Forget on success.
        toggles.on_change = ChangeCall::Add;
        toggles.forget_on_success = true;
    }
    let map = sim.failures_len() as u64;
    let failing = sim.failing_keys() as u64;
    let orphans = sim.orphan_entries() as u64;
    let down = sim.memory().down_until.is_some();
    let controller = |buggy: CodeLine, fixed: CodeLine| {
        if toggles.forget_on_success {
            CodeRef::new(CodeTab::Fixed, fixed)
        } else {
            CodeRef::new(CodeTab::Buggy, buggy)
        }
    };

    if map >= failing.saturating_mul(2).max(failing + MAP_GAP_MIN) {
        let (text, code) = if !toggles.forget_on_success {
            (
                format!(
                    "failures map {} ≫ failing keys {}: Forget is never called on success, \
                     so every key that ever failed keeps its entry",
                    group(map),
                    group(failing)
                ),
                CodeRef::new(CodeTab::Buggy, CodeLine::MissingForget),
            )
        } else if toggles.on_change == ChangeCall::AddRateLimited {
            (
                format!(
                    "failures map {} ≫ failing keys {}: change events count as failures \
                     until the key's next successful reconcile",
                    group(map),
                    group(failing)
                ),
                CodeRef::new(CodeTab::Buggy, CodeLine::ChangeRateLimited),
            )
        } else if cr {
            (
                format!(
                    "failures map {} ≫ failing keys {}: reconcileHandler calls Forget only for \
                     a nil error without Requeue (or with RequeueAfter); Requeue: true and \
                     TerminalError leave the entry",
                    group(map),
                    group(failing)
                ),
                CodeRef::new(CodeTab::Internals, CodeLine::FailuresDelete),
            )
        } else {
            (
                format!(
                    "failures map {} ≫ failing keys {}: entries stay until Forget deletes them",
                    group(map),
                    group(failing)
                ),
                CodeRef::new(CodeTab::Internals, CodeLine::FailuresDelete),
            )
        };
        out.push(Finding {
            kind: FindingKind::MapOutgrowsFailures,
            severity: Severity::Leak,
            text,
            code,
        });
    }

    if orphans > 0 {
        out.push(Finding {
            kind: FindingKind::Orphans,
            severity: Severity::Leak,
            text: format!(
                "{} orphan {} for deleted objects (or keys that never had one): only Forget \
                 deletes an entry, and nothing calls it for a key whose object is gone",
                group(orphans),
                if orphans == 1 { "entry" } else { "entries" }
            ),
            code: controller(CodeLine::MissingForget, CodeLine::ForgetOnSuccess),
        });
    }

    if toggles.on_change == ChangeCall::AddRateLimited {
        let last_change = sim.events().rev().find_map(|e| match &e.kind {
            EventKind::AddRateLimited {
                cause: Cause::Change,
                when,
                ..
            } => Some(*when),
            _ => None,
        });
        if let Some(when) = last_change {
            out.push(Finding {
                kind: FindingKind::ChangeRateLimited,
                severity: Severity::Leak,
                text: format!(
                    "change events go through AddRateLimited: each change waits the key's \
                     backoff, now {} (longest so far {})",
                    format_duration(when),
                    format_duration(sim.max_backoff())
                ),
                code: CodeRef::new(CodeTab::Buggy, CodeLine::ChangeRateLimited),
            });
        }
    }

    if cr {
        let terminal = sim.terminal_orphans();
        if let Some(example) = terminal.first() {
            let n = terminal.len() as u64;
            let after_delete = if sim.scenario().informer.enqueue_on_delete {
                "no reconcile ran after the delete"
            } else {
                "deletes are not enqueued (a predicate drops them), so no reconcile ran after the delete"
            };
            out.push(Finding {
                kind: FindingKind::TerminalOrphans,
                severity: Severity::Leak,
                text: format!(
                    "{} failures {} of deleted objects (e.g. {example}, {} failures) stay forever: \
                     their last reconcile returned a TerminalError, and reconcileHandler neither \
                     re-adds nor calls Forget on a TerminalError, so the count of the errors before \
                     it stays; {after_delete}, so nothing will ever Forget them",
                    group(n),
                    if n == 1 { "entry" } else { "entries" },
                    sim.queue().num_requeues(example)
                ),
                code: CodeRef::new(CodeTab::ControllerRuntime, CodeLine::CrTerminal),
            });
        }
        let polling = sim.polling_keys();
        if !polling.is_empty() {
            let n = polling.len() as u64;
            out.push(Finding {
                kind: FindingKind::RequeuePolling,
                severity: Severity::Warning,
                text: format!(
                    "{} {} with Requeue: true: each poll is AddWithOpts(RateLimited: true) with no \
                     Forget, so the interval doubles (longest so far {}) and every poller keeps a \
                     failures entry; poll with RequeueAfter, which Forgets first",
                    group(n),
                    if n == 1 { "key polls" } else { "keys poll" },
                    format_duration(sim.max_backoff())
                ),
                code: CodeRef::new(CodeTab::Internals, CodeLine::FailuresIncrement),
            });
        }
    }

    let mem = sim.memory();
    if mem.oom_kills > 0 {
        let limit = mem.limit.map(format_bytes).unwrap_or_default();
        out.push(Finding {
            kind: FindingKind::OomKills,
            severity: Severity::Leak,
            text: format!(
                "OOM-killed {} {} (limit {limit}, peak estimate {}): each restart empties the \
                 failures map and it grows back: the sawtooth that hid the bug",
                group(mem.oom_kills),
                if mem.oom_kills == 1 { "time" } else { "times" },
                format_bytes(mem.peak_bytes)
            ),
            code: controller(CodeLine::MissingForget, CodeLine::ForgetOnSuccess),
        });
    }

    if let Some(tokens) = sim.queue().limiter().tokens().filter(|t| *t < 0.0) {
        out.push(Finding {
            kind: FindingKind::BucketDebt,
            severity: Severity::Warning,
            text: format!(
                "the shared token bucket is {} tokens in debt: every AddRateLimited now waits \
                 for the bucket, whatever the key's own backoff",
                group(tokens.abs().ceil() as u64)
            ),
            code: CodeRef::new(CodeTab::Internals, CodeLine::BucketReserve),
        });
    }

    let leaking = out.iter().any(|f| f.severity == Severity::Leak);
    if !leaking && !down && map > 0 {
        out.push(Finding {
            kind: FindingKind::MapBounded,
            severity: Severity::Healthy,
            text: format!(
                "failures map {} for {} failing {}: entries leave with Forget",
                group(map),
                group(failing),
                if failing == 1 { "key" } else { "keys" }
            ),
            code: CodeRef::new(CodeTab::Internals, CodeLine::FailuresDelete),
        });
    }
    stable_sort::sort_by_key(&mut out, |f| f.severity);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::preset;
    use crate::sim::Input;
    use crate::workqueue::Time;

    fn run(id: &str, secs: u64) -> Sim {
        let mut sim = Sim::new(preset(id).expect("preset")).expect("sim");
        sim.run_until(Time::from_nanos(secs * 1_000_000_000));
        sim
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(5214), "5\u{202F}214");
        assert_eq!(group(1_234_567), "1\u{202F}234\u{202F}567");
    }

    #[test]
    fn the_seed_bug_is_found_with_its_numbers() {
        let sim = run("seed-oom", 120);
        let f = findings(&sim);
        let map = f
            .iter()
            .find(|f| f.kind == FindingKind::MapOutgrowsFailures)
            .expect("map finding");
        assert!(map.text.contains(&group(sim.failures_len() as u64)));
        assert!(map.text.contains("Forget is never called on success"));
        assert_eq!(
            map.code,
            CodeRef::new(CodeTab::Buggy, CodeLine::MissingForget)
        );
        assert!(f.iter().any(|f| f.kind == FindingKind::ChangeRateLimited));
        if sim.orphan_entries() > 0 {
            let o = f
                .iter()
                .find(|f| f.kind == FindingKind::Orphans)
                .expect("orphans");
            assert!(o.text.starts_with(&group(sim.orphan_entries() as u64)));
        }
        assert!(f.windows(2).all(|w| w[0].severity <= w[1].severity));
    }

    #[test]
    fn the_fixed_controller_has_no_leak_findings() {
        let sim = run("fixed", 120);
        let f = findings(&sim);
        assert!(f.iter().all(|f| f.severity != Severity::Leak), "{f:#?}");
    }

    #[test]
    fn hand_failures_track_failing_keys_and_deletes_leave_orphans() {
        let mut sim = Sim::new(preset("manual").expect("manual")).expect("sim");
        let keys: Vec<crate::sim::Key> = (0..12).map(|i| format!("default/k{i}").into()).collect();
        for key in &keys {
            sim.apply(Input::Change(key.clone())).expect("create");
            sim.apply(Input::Fail(key.clone())).expect("fail");
            sim.apply(Input::Succeed(key.clone())).expect("succeed");
            sim.apply(Input::Fail(key.clone())).expect("fail");
        }
        // Every key failed again after its success: 12 entries, 12 failing keys.
        let healthy = findings(&sim);
        assert_eq!(healthy.len(), 1, "{healthy:#?}");
        assert_eq!(
            healthy.first().map(|f| f.kind),
            Some(FindingKind::MapBounded)
        );
        assert!(healthy
            .first()
            .is_some_and(|f| f.text.contains("map 12 for 12")));
        for key in keys.iter().take(5) {
            sim.apply(Input::DeleteObject(key.clone())).expect("delete");
        }
        let f = findings(&sim);
        let o = f
            .iter()
            .find(|f| f.kind == FindingKind::Orphans)
            .expect("orphans");
        assert!(o.text.starts_with("5 orphan entries"), "{}", o.text);
        assert!(f.iter().all(|f| f.kind != FindingKind::MapBounded));
    }
}
