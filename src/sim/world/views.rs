//! Read-only views of the world for the UI, the CLI and the tests: the failures table, the
//! counters beside it, workers, events, series samples and the summary.

use super::*;

impl Sim {
    /// The scenario this run started from (settings changed by inputs are
    /// read through the accessors below).
    pub fn scenario(&self) -> &Scenario {
        &self.st.scenario
    }

    /// The work queue: the operations both models have, and each model's
    /// own views ([`QueueModel::client_go`], [`QueueModel::priority_queue`]).
    pub fn queue(&self) -> &QueueModel {
        &self.queue
    }

    /// Which queue the controller uses.
    pub fn queue_kind(&self) -> QueueKind {
        self.queue.kind()
    }

    /// The limiter in force.
    pub fn limiter_config(&self) -> &LimiterConfig {
        &self.st.limiter
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.st.policy
    }

    /// The processing-time distribution in force.
    pub fn processing_time(&self) -> &ProcessingTime {
        &self.st.processing
    }

    /// The error rate in force.
    pub fn error_rate(&self) -> f64 {
        self.st.error_rate
    }

    /// The memory model in force.
    pub fn memory_config(&self) -> &MemoryConfig {
        &self.st.memory
    }

    /// The requested worker count.
    pub fn worker_target(&self) -> u32 {
        self.st.worker_target
    }

    /// Every failures-map entry, sorted by key.
    pub fn failures(&self) -> Vec<FailureRow> {
        // Sort small (key, visit) pairs, not whole rows: this runs over 100 000 entries.
        let mut keys: Vec<(Key, u64, usize)> =
            Vec::with_capacity(self.queue.limiter().failures_len());
        self.queue
            .limiter()
            .visit_failures(&mut |key: &Key, requeues| {
                keys.push((key.clone(), requeues, keys.len()));
            });
        stable_sort::sort_by(&mut keys, |a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
        // MaxOf of two per-item limiters visits a key twice; keep one row (the first visited).
        keys.dedup_by(|a, b| a.0 == b.0);
        // Both sorted by key: whether each entry's object exists is one merge, not a tree
        // search per entry.
        let mut objects = self.st.objects.keys().peekable();
        keys.into_iter()
            .map(|(key, requeues, _)| {
                while objects.next_if(|o| **o < key).is_some() {}
                let live = objects.peek().is_some_and(|o| **o == key);
                let last = self.st.last_when.get(&key);
                FailureRow {
                    requeues,
                    last_backoff: last.map(|l| l.0),
                    last_failed_at: last.map(|l| l.1),
                    next_retry: self.queue.ready_at(&key),
                    status: if live {
                        KeyStatus::Live
                    } else {
                        KeyStatus::Orphan
                    },
                    key,
                }
            })
            .collect()
    }

    /// `len(failures)`, client-go's meaning: the entries of the per-item
    /// limiter's failures map, in O(1). With several per-item limiters (a
    /// `MaxOf` of two) it is any one of their maps: they hold the same keys;
    /// [`failure_maps`](Self::failure_maps) lists each by name.
    pub fn failures_len(&self) -> usize {
        self.queue.limiter().failures_len()
    }

    /// Each per-item failures map by its limiter's client-go name, with its
    /// length: one for client-go's usual limiters, two for a `MaxOf` of two
    /// per-item limiters, none for a bucket alone.
    pub fn failure_maps(&self) -> Vec<(&'static str, usize)> {
        let mut maps = Vec::new();
        self.queue
            .limiter()
            .failure_maps(&mut |name, len| maps.push((name, len)));
        maps
    }

    /// The delay the latest `When` gave `key` in this process, if any: one row's
    /// "last backoff" without building the whole failures table.
    pub fn last_backoff(&self, key: &Key) -> Option<Duration> {
        self.st.last_when.get(key).map(|l| l.0)
    }

    /// The simulated workers.
    pub fn workers(&self) -> Vec<WorkerView> {
        self.st.workers.iter().map(|w| w.view.clone()).collect()
    }

    /// Keys you took with `Get` and have not marked `Done`.
    pub fn held_by_hand(&self) -> impl Iterator<Item = &Key> + '_ {
        self.st.held_by_hand.iter()
    }

    /// Live object keys, sorted.
    pub fn objects(&self) -> impl Iterator<Item = &Key> + '_ {
        self.st.objects.keys()
    }

    /// Number of live objects.
    pub fn live_keys(&self) -> usize {
        self.st.objects.len()
    }

    /// Keys whose last reconcile failed (since the last restart).
    pub fn failing_keys(&self) -> usize {
        self.st.failing.len()
    }

    /// Failures entries whose object is gone.
    pub fn orphan_entries(&self) -> usize {
        self.st.orphans as usize
    }

    /// controller-runtime: keys with a failures entry whose object is gone
    /// and whose last reconcile returned a `TerminalError`, sorted. The
    /// handler neither re-adds nor forgets on a TerminalError, so the count
    /// of the errors before it stays; with no reconcile after the delete,
    /// nothing ever calls `Forget`.
    pub fn terminal_orphans(&self) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .st
            .terminal
            .iter()
            .filter(|k| !self.st.objects.contains_key(k) && self.queue.num_requeues(k) > 0)
            .cloned()
            .collect();
        stable_sort::sort_by(&mut keys, Key::cmp);
        keys
    }

    /// controller-runtime: keys whose last reconcile returned
    /// `Requeue: true` (polling through the rate limiter), sorted.
    pub fn polling_keys(&self) -> Vec<Key> {
        let mut keys: Vec<Key> = self.st.polling.iter().cloned().collect();
        stable_sort::sort_by(&mut keys, Key::cmp);
        keys
    }

    /// If an outage is in force now: when it ends.
    pub fn in_outage(&self) -> Option<Time> {
        let now = self.now();
        self.st
            .outages
            .iter()
            .filter(|(s, e)| *s <= now && now < *e)
            .map(|(_, e)| *e)
            .max()
    }

    /// The memory readout.
    pub fn memory(&self) -> MemoryEstimate {
        MemoryEstimate {
            bytes: self.estimate_bytes(),
            limit: self.st.memory.limit_bytes,
            peak_bytes: self.st.peak_bytes,
            oom_kills: self.st.oom_kills,
            restarts: self.st.restarts,
            down_until: self.st.down_until,
        }
    }

    /// The largest delay any `When` returned in this run.
    pub fn max_backoff(&self) -> Duration {
        self.st.max_backoff
    }

    /// Recent events (a bounded ring), oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &Event> + ExactSizeIterator + '_ {
        self.log.recent()
    }

    /// Retained events with `seq >= from`, oldest first.
    pub fn events_since(&self, from: u64) -> impl Iterator<Item = &Event> + '_ {
        self.log.since(from)
    }

    /// Events in the full log so far.
    pub fn event_count(&self) -> u64 {
        self.log.total()
    }

    /// How many recent events to keep (default 4096).
    pub fn set_event_capacity(&mut self, capacity: usize) {
        self.log.set_capacity(capacity);
    }

    /// FNV-1a 64 of the full event log: equal runs, equal hash.
    pub fn trace_hash(&self) -> u64 {
        self.log.hash()
    }

    /// The decimated metrics series.
    pub fn series(&self) -> &Series {
        &self.st.series
    }

    /// Queue method calls made so far (for the benchmark's ops/s).
    pub fn queue_ops(&self) -> u64 {
        self.st.ops
    }

    /// The state as one [`Sample`] (the series' row format) at now.
    pub fn sample_state(&self) -> Sample {
        let m = self.queue.metrics();
        Sample {
            at: self.now(),
            depth: m.depth,
            adds_total: m.adds_total,
            retries_total: m.retries_total,
            failures_len: self.queue.limiter().failures_len() as u64,
            live_keys: self.st.objects.len() as u64,
            orphan_entries: self.st.orphans,
            failing_keys: self.st.failing.len() as u64,
            waiting_len: self.queue.waiting_len() as u64,
            queue_len: self.queue.len() as u64,
            processing: self.queue.processing_len() as u64,
            bucket_tokens: self.queue.limiter().tokens(),
            memory_bytes: self.estimate_bytes(),
            oom_kills: self.st.oom_kills,
            capped_total: self.st.capped_total,
            depth_by_priority: m.depth_by_priority,
        }
    }

    /// The headline numbers.
    pub fn summary(&self) -> Summary {
        let m = self.queue.metrics();
        Summary {
            time_ns: self.now().as_nanos(),
            time: format_duration(self.now().since_epoch()),
            failures_map_len: self.queue.limiter().failures_len() as u64,
            live_keys: self.st.objects.len() as u64,
            orphan_failure_entries: self.st.orphans,
            failing_keys: self.st.failing.len() as u64,
            waiting_len: self.queue.waiting_len() as u64,
            queue_depth: m.depth,
            queue_len: self.queue.len() as u64,
            processing: self.queue.processing_len() as u64,
            max_backoff_ns: u64::try_from(self.st.max_backoff.as_nanos()).unwrap_or(u64::MAX),
            max_backoff: format_duration(self.st.max_backoff),
            oom_kills: self.st.oom_kills,
            restarts: self.st.restarts,
            adds_total: self.st.retired_adds + m.adds_total,
            retries_total: self.st.retired_retries + m.retries_total,
            events: self.log.total(),
            steps: self.st.steps,
            memory_bytes: self.estimate_bytes(),
            peak_memory_bytes: self.st.peak_bytes,
            trace_hash: format!("{:016x}", self.log.hash()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::test_support::{key, ms, world};

    #[test]
    fn the_failures_table_and_its_counters_agree() {
        let mut sim = world(0);
        sim.apply(Input::Change(key("ns/c"))).expect("change");
        for k in ["ns/a", "ns/b", "ns/c"] {
            sim.apply(Input::Fail(key(k))).expect("fail");
        }
        sim.apply(Input::Forget(key("ns/a"))).expect("forget");
        let rows = sim.failures();
        let keys: Vec<&str> = rows.iter().map(|r| &*r.key).collect();
        assert_eq!(keys, ["ns/b", "ns/c"], "sorted by key");
        assert_eq!(rows[0].status, KeyStatus::Orphan, "ns/b has no object");
        assert_eq!(rows[1].status, KeyStatus::Live);
        assert_eq!(sim.failures_len(), 2);
        assert_eq!(sim.orphan_entries(), 1);
        assert_eq!(sim.summary().failures_map_len, 2);
        assert_eq!(sim.sample_state().failures_len, 2);
        assert_eq!(sim.last_backoff(&key("ns/b")), Some(ms(5)));
    }
}
