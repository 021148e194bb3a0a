//! Every queue call the controller makes, logged as an event with its exact client-go or
//! controller-runtime call and what it did (the When it got, where the key stood before).

use super::*;

impl Sim {
    pub(super) fn q_add(&mut self, key: Key, cause: Cause) {
        if self.is_controller_runtime() {
            self.q_add_with_opts(key, cause, AddOpts::new());
            return;
        }
        let before = self.queue.state_of(&key);
        self.queue.add_with_opts(AddOpts::new(), key.clone());
        self.st.ops += 1;
        self.record(EventKind::Add { key, cause, before });
    }

    pub(super) fn q_add_rate_limited(&mut self, key: Key, cause: Cause) {
        if self.is_controller_runtime() {
            self.q_add_with_opts(key, cause, AddOpts::new().rate_limited());
            return;
        }
        let failures_before = self.queue.num_requeues(&key);
        let waiting_before = self.queue.ready_at(&key);
        let when = self
            .queue
            .add_with_opts(AddOpts::new().rate_limited(), key.clone())
            .when
            .unwrap_or_default();
        self.st.ops += 1;
        let now = self.now();
        let failures_after = self.queue.num_requeues(&key);
        self.note_when(&key, when, failures_before, failures_after);
        let waiting_until = waiting_before.filter(|t| !when.is_zero() && *t <= now + when);
        let tokens = self.queue.limiter().tokens();
        self.record(EventKind::AddRateLimited {
            key,
            cause,
            when,
            failures_before,
            failures_after,
            waiting_until,
            tokens,
        });
    }

    pub(super) fn q_forget(&mut self, key: Key, cause: Cause) {
        let had = self.queue.num_requeues(&key);
        self.queue.forget(&key);
        self.st.ops += 1;
        if had > 0 && !self.st.objects.contains_key(&key) {
            self.st.orphans = self.st.orphans.saturating_sub(1);
        }
        self.st.last_when.remove(&key);
        self.record(EventKind::Forget { key, cause, had });
    }

    /// Bookkeeping after a limiter `When`: orphan count, largest delay,
    /// cap hits, the key's last delay.
    pub(super) fn note_when(
        &mut self,
        key: &Key,
        when: Duration,
        failures_before: u64,
        failures_after: u64,
    ) {
        if failures_before == 0 && failures_after > 0 && !self.st.objects.contains_key(key) {
            self.st.orphans += 1;
        }
        self.st.max_backoff = self.st.max_backoff.max(when);
        if self.st.cap.is_some_and(|cap| when >= cap) {
            self.st.capped_total += 1;
        }
        self.st.last_when.insert(key.clone(), (when, self.now()));
    }

    /// controller-runtime: `q.AddWithOpts(opts, key)` on the priority queue.
    pub(super) fn q_add_with_opts(&mut self, key: Key, cause: Cause, opts: AddOpts) {
        let failures_before = self.queue.num_requeues(&key);
        let before = self.pq_before(&key);
        let added = self.queue.add_with_opts(opts, key.clone());
        self.st.ops += 1;
        // Only the limiter's `When` counts failures: without it the count stands.
        let failures_after = match added.when {
            Some(_) => self.queue.num_requeues(&key),
            None => failures_before,
        };
        if let Some(when) = added.when {
            self.note_when(&key, when, failures_before, failures_after);
        }
        self.record(EventKind::AddWithOpts {
            key,
            cause,
            rate_limited: opts.rate_limited,
            after: opts.after,
            priority: opts.priority,
            when: added.when,
            failures_before,
            failures_after,
            before,
        });
    }

    pub(super) fn pq_before(&self, key: &Key) -> PqBefore {
        let Some(pq) = self.queue.priority_queue() else {
            return PqBefore::Absent;
        };
        match pq.entry_and_processing(key) {
            (Some((priority, None)), _) => PqBefore::Ready { priority },
            (Some((priority, Some(until))), _) => PqBefore::Waiting { until, priority },
            (None, true) => PqBefore::Processing,
            (None, false) => PqBefore::Absent,
        }
    }

    pub(super) fn record_get(
        &mut self,
        worker: Option<u32>,
        key: Key,
        priority: i64,
        requeues: u64,
        takes: Option<Duration>,
    ) {
        if self.is_controller_runtime() {
            self.record(EventKind::GetWithPriority {
                worker,
                key,
                priority,
                requeues,
                takes,
            });
        } else {
            self.record(EventKind::Get {
                worker,
                key,
                requeues,
                takes,
            });
        }
    }

    pub(super) fn q_done(&mut self, key: Key, worker: Option<u32>) {
        // Whether `Done` puts the key back (re-added while processing) and whether it was
        // processing at all, asked of each queue model before the call.
        let (requeued, spurious) = match self.queue.priority_queue() {
            Some(pq) => {
                let (entry, processing) = pq.entry_and_processing(&key);
                (processing && entry.is_some(), !processing)
            }
            None => {
                let state = self.queue.state_of(&key);
                (
                    state == Some(ItemState::ProcessingDirty),
                    !matches!(
                        state,
                        Some(ItemState::Processing | ItemState::ProcessingDirty)
                    ),
                )
            }
        };
        self.queue.done(&key);
        self.st.ops += 1;
        self.record(EventKind::Done {
            key,
            worker,
            requeued,
            spurious,
        });
    }

    pub(super) fn record(&mut self, kind: EventKind) {
        let now = self.now();
        self.log.record(now, kind);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::test_support::{calls, key, world};

    #[test]
    fn every_queue_call_is_logged_with_its_client_go_call() {
        let mut sim = world(0);
        sim.apply(Input::Add(key("ns/a"))).expect("add");
        sim.apply(Input::Fail(key("ns/a"))).expect("fail");
        sim.apply(Input::Forget(key("ns/a"))).expect("forget");
        let logged = calls(&sim);
        for call in ["queue.Add(\"ns/a\")", "queue.Forget(\"ns/a\")"] {
            assert!(logged.iter().any(|c| c == call), "{call} in {logged:?}");
        }
        assert!(
            logged
                .iter()
                .any(|c| c.starts_with("queue.AddRateLimited(\"ns/a\") → When()=5ms")),
            "{logged:?}"
        );
    }

    #[test]
    fn on_the_priority_queue_an_add_is_logged_as_add_with_opts() {
        let mut s = Scenario::empty("t");
        s.queue = QueueKind::ControllerRuntime;
        let mut sim = Sim::new(s).expect("valid");
        sim.apply(Input::Add(key("ns/a"))).expect("add");
        assert!(
            calls(&sim)
                .iter()
                .any(|c| c.contains("AddWithOpts") && c.contains("ns/a")),
            "{:?}",
            calls(&sim)
        );
    }
}
