//! The controller's process: its estimated memory, the OOM kill when it passes the limit
//! (queue, heap and failures map are lost), redeploys, and the restart that re-lists.

use super::*;

impl Sim {
    pub(super) fn estimate_bytes(&self) -> u64 {
        if self.st.down_until.is_some() {
            return 0;
        }
        // Every per-item map holds its own entries: their memory adds up.
        let mut entries = 0;
        self.queue
            .limiter()
            .failure_maps(&mut |_, len| entries += len);
        self.st.memory.estimate(
            entries,
            self.queue.waiting_len(),
            self.queue.len() + self.queue.processing_len(),
        )
    }

    pub(super) fn check_memory(&mut self) {
        let bytes = self.estimate_bytes();
        self.st.peak_bytes = self.st.peak_bytes.max(bytes);
        let Some(limit) = self.st.memory.limit_bytes else {
            return;
        };
        if bytes <= limit || self.st.down_until.is_some() {
            return;
        }
        let restart_at = self.now() + self.st.memory.restart_delay;
        let failures = self.queue.limiter().failures_len() as u64;
        self.st.oom_kills += 1;
        self.record(EventKind::OomKilled {
            bytes,
            limit,
            failures,
            restart_at,
        });
        self.kill_process();
        self.st.down_until = Some(restart_at);
        let generation = self.st.generation;
        self.schedule(restart_at, Happening::Restart { generation });
    }

    /// The process dies: queue, heap, failures map and in-flight work are
    /// gone. A fresh, empty queue stands in for the next process.
    pub(super) fn kill_process(&mut self) {
        let m = self.queue.metrics();
        self.st.retired_adds += m.adds_total;
        self.st.retired_retries += m.retries_total;
        self.st.generation += 1;
        if let Ok(queue) = QueueModel::new(self.queue.kind(), &self.st.limiter, &self.clock) {
            self.queue = queue;
        }
        for w in &mut self.st.workers {
            w.view.state = WorkerState::Idle;
            w.job += 1;
        }
        self.retire_workers();
        self.st.held_by_hand.clear();
        self.st.last_when.clear();
        self.st.failing.clear();
        self.st.terminal.clear();
        self.st.polling.clear();
        self.st.echoed.clear();
        self.st.orphans = 0;
    }

    /// The controller is redeployed (a limiter or queue change): the running
    /// process dies and, unless it is down after an OOM kill, a new one starts.
    pub(super) fn redeploy(&mut self) {
        if self.st.down_until.is_none() {
            self.kill_process();
            self.st.restarts += 1;
            self.start(StartReason::Redeploy);
        }
    }

    /// controller-runtime only: refuses in client-go mode, naming the fix.
    pub(super) fn refuse_unless_controller_runtime(&self, what: &str) -> Result<(), InputError> {
        if self.is_controller_runtime() {
            Ok(())
        } else {
            Err(InputError::new(format!(
                "{what} exists only in controller-runtime; choose the controller-runtime priority queue first"
            )))
        }
    }

    /// A process starts: the informer lists every live object and the
    /// handler enqueues each (through the policy).
    pub(super) fn start(&mut self, reason: StartReason) {
        self.st.down_until = None;
        self.record(EventKind::Started {
            reason,
            objects: self.st.objects.len() as u64,
        });
        let keys: Vec<Key> = self.st.objects.keys().cloned().collect();
        for key in keys {
            self.on_change(key, Cause::Relist);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::test_support::key;

    #[test]
    fn past_the_memory_limit_the_process_is_killed_and_restarts_with_an_empty_map() {
        let mut s = Scenario::empty("t");
        let m = s.memory.clone();
        // Room for two failed keys (a failures entry and a waiting entry each), not three.
        s.memory.limit_bytes =
            Some(m.base_bytes + 2 * (m.failure_entry_bytes + m.waiting_entry_bytes));
        let mut sim = Sim::new(s).expect("valid");
        for k in ["ns/a", "ns/b"] {
            sim.apply(Input::Fail(key(k))).expect("fail");
        }
        assert_eq!((sim.failures_len(), sim.summary().oom_kills), (2, 0));
        sim.apply(Input::Fail(key("ns/c"))).expect("fail");
        let s = sim.summary();
        assert_eq!(
            (s.oom_kills, s.failures_map_len),
            (1, 0),
            "the map dies with the process"
        );
        assert_eq!(sim.memory().bytes, 0, "down until the restart");
        sim.run_until(Time::ZERO + m.restart_delay);
        assert_eq!(sim.summary().restarts, 1);
        assert!(sim.memory().bytes >= m.base_bytes);
    }
}
