//! The run's summary as JavaScript sees it, the one shape both the
//! JavaScript package (`sim.summary()`) and the embedded playground's `state`
//! messages give, so a lesson written against one reads the other.

use crate::sim::Summary;
use serde::Serialize;

/// [`Summary`] as JavaScript sees it: the same fields, names and values as
/// `wqplay run --format json` prints, with the two nanosecond fields as
/// `bigint`.
#[derive(Serialize)]
pub(crate) struct JsSummary<'a> {
    time_ns: u128,
    time: &'a str,
    failures_map_len: u64,
    live_keys: u64,
    orphan_failure_entries: u64,
    failing_keys: u64,
    waiting_len: u64,
    queue_depth: i64,
    queue_len: u64,
    processing: u64,
    max_backoff_ns: u128,
    max_backoff: &'a str,
    oom_kills: u64,
    restarts: u64,
    adds_total: u64,
    retries_total: u64,
    events: u64,
    steps: u64,
    memory_bytes: u64,
    peak_memory_bytes: u64,
    trace_hash: &'a str,
}

impl<'a> From<&'a Summary> for JsSummary<'a> {
    fn from(s: &'a Summary) -> Self {
        // Destructured so that a field added to Summary fails to compile here.
        let Summary {
            time_ns,
            time,
            failures_map_len,
            live_keys,
            orphan_failure_entries,
            failing_keys,
            waiting_len,
            queue_depth,
            queue_len,
            processing,
            max_backoff_ns,
            max_backoff,
            oom_kills,
            restarts,
            adds_total,
            retries_total,
            events,
            steps,
            memory_bytes,
            peak_memory_bytes,
            trace_hash,
        } = s;
        JsSummary {
            time_ns: u128::from(*time_ns),
            time,
            failures_map_len: *failures_map_len,
            live_keys: *live_keys,
            orphan_failure_entries: *orphan_failure_entries,
            failing_keys: *failing_keys,
            waiting_len: *waiting_len,
            queue_depth: *queue_depth,
            queue_len: *queue_len,
            processing: *processing,
            max_backoff_ns: u128::from(*max_backoff_ns),
            max_backoff,
            oom_kills: *oom_kills,
            restarts: *restarts,
            adds_total: *adds_total,
            retries_total: *retries_total,
            events: *events,
            steps: *steps,
            memory_bytes: *memory_bytes,
            peak_memory_bytes: *peak_memory_bytes,
            trace_hash,
        }
    }
}
