//! The workers: idle ones `Get` queued items, each reconcile takes its processing time, and
//! its outcome becomes queue calls, by the hand-written client-go loop's policy or by
//! controller-runtime's `reconcileHandler`.

use super::*;

impl Sim {
    /// A worker's reconcile finished: decide the outcome, make the policy's
    /// calls, then `Done` (sample-controller defers it).
    pub(super) fn complete(&mut self, worker: u32) {
        let Some(w) = self.st.workers.get_mut(worker as usize) else {
            return;
        };
        let WorkerState::Processing { key, .. } =
            std::mem::replace(&mut w.view.state, WorkerState::Idle)
        else {
            return;
        };
        let item_priority = w.priority;
        if self.is_controller_runtime() {
            self.reconcile_handler(worker, key, item_priority);
            return;
        }
        let live = self.st.objects.contains_key(&key);
        let echo = remove_key(&mut self.st.echoed, &key);
        let failure = if !live || echo {
            None
        } else if self.in_outage().is_some() {
            Some(FailReason::Outage)
        } else if self.st.poison.contains(&key) {
            Some(FailReason::Poison)
        } else {
            let rate = self
                .st
                .scenario
                .outcomes
                .key_error_rates
                .get(&*key)
                .copied()
                .unwrap_or(self.st.error_rate);
            (rate > 0.0 && self.st.outcome_rng.chance(rate)).then_some(FailReason::Random)
        };
        let toggles = self.st.toggles;
        match failure {
            None => {
                self.record(EventKind::ReconcileOk {
                    worker,
                    key: key.clone(),
                    deleted: !live,
                });
                self.st.failing.remove(&key);
                if toggles.forget_on_success {
                    self.q_forget(key.clone(), Cause::Success);
                }
            }
            Some(reason) => {
                self.record(EventKind::ReconcileFailed {
                    worker,
                    key: key.clone(),
                    reason,
                });
                self.st.failing.insert(key.clone());
                self.write_status_on_error(&key);
                match toggles.on_error {
                    ErrorCall::AddRateLimited => {
                        let requeues = self.queue.num_requeues(&key);
                        if toggles.max_requeues.is_some_and(|cap| requeues >= cap) {
                            self.record(EventKind::GaveUp {
                                key: key.clone(),
                                requeues,
                            });
                            self.q_forget(key.clone(), Cause::GiveUp);
                        } else {
                            self.q_add_rate_limited(key.clone(), Cause::Error);
                        }
                    }
                    ErrorCall::Add => self.q_add(key.clone(), Cause::Error),
                    ErrorCall::Nothing => {}
                }
            }
        }
        self.q_done(key, Some(worker));
        self.retire_workers();
    }

    /// Idle workers (up to the target count) take queued items.
    pub(super) fn dispatch(&mut self) {
        if self.st.down_until.is_some() {
            return;
        }
        let target = self.st.worker_target as usize;
        for i in 0..self.st.workers.len().min(target) {
            if !self.queue.has_ready() {
                return;
            }
            let idle = self
                .st
                .workers
                .get(i)
                .is_some_and(|w| w.view.state == WorkerState::Idle);
            if !idle {
                continue;
            }
            // The inner queue's Get: due heap entries are released as their
            // own logged step, never silently here.
            let Some((key, priority)) = self.queue.get() else {
                return;
            };
            self.st.ops += 1;
            let takes = self.sample_processing();
            let now = self.now();
            let requeues = self.queue.num_requeues(&key);
            let id = i as u32;
            let job = if let Some(w) = self.st.workers.get_mut(i) {
                w.job += 1;
                w.priority = priority;
                w.view.state = WorkerState::Processing {
                    key: key.clone(),
                    since: now,
                    until: now + takes,
                    requeues,
                };
                w.job
            } else {
                return;
            };
            self.schedule(now + takes, Happening::WorkerDone { worker: id, job });
            self.record_get(Some(id), key, priority, requeues, Some(takes));
        }
    }

    pub(super) fn sample_processing(&mut self) -> Duration {
        let rng = &mut self.st.worker_rng;
        match &self.st.processing {
            ProcessingTime::Fixed(d) => *d,
            ProcessingTime::Uniform { min, max } => rng.duration_between(*min, *max),
            ProcessingTime::Exponential { mean } => {
                rng.exponential(*mean).max(Duration::from_nanos(1))
            }
        }
    }

    pub(super) fn set_workers(&mut self, n: u32) {
        self.st.worker_target = n;
        while self.st.workers.len() < n as usize {
            let id = self.st.workers.len() as u32;
            self.st.workers.push(Worker {
                view: WorkerView {
                    id,
                    state: WorkerState::Idle,
                },
                job: 0,
                priority: 0,
            });
        }
        self.retire_workers();
    }

    /// Drops idle workers beyond the target from the end (busy ones finish first).
    pub(super) fn retire_workers(&mut self) {
        while self.st.workers.len() > self.st.worker_target as usize
            && self
                .st
                .workers
                .last()
                .is_some_and(|w| w.view.state == WorkerState::Idle)
        {
            self.st.workers.pop();
        }
    }

    /// A failed reconcile records its error in the object's status; with
    /// `outcomes.status_echo` set, the watch brings that write back as an
    /// update event after the configured delay.
    pub(super) fn write_status_on_error(&mut self, key: &Key) {
        let Some(delay) = self.st.scenario.outcomes.status_echo else {
            return;
        };
        if let Some(inc) = self.st.objects.incarnation(key) {
            let at = self.now() + delay;
            self.schedule(
                at,
                Happening::StatusEcho {
                    key: key.clone(),
                    inc,
                },
            );
        }
    }

    pub(super) fn is_controller_runtime(&self) -> bool {
        self.queue.kind() == QueueKind::ControllerRuntime
    }

    /// What the reconciler returns for `key` now (controller-runtime mode),
    /// and why it failed if it did. Order: a deleted object succeeds, an
    /// outage or a poison key errors, a configured per-key result, a random
    /// error (terminal with `terminal_rate`), else the default result.
    pub(super) fn reconcile_result(
        &mut self,
        key: &Key,
    ) -> (ReconcileResult, Option<FailReason>, bool) {
        let echo = remove_key(&mut self.st.echoed, key);
        if !self.st.objects.contains_key(key) {
            return (ReconcileResult::success(), None, true);
        }
        if echo {
            return (ReconcileResult::success(), None, false);
        }
        let error = ReconcileResult::new(ReconcileOutcome::Error);
        if self.in_outage().is_some() {
            return (error, Some(FailReason::Outage), false);
        }
        if self.st.poison.contains(key) {
            return (error, Some(FailReason::Poison), false);
        }
        let outcomes = &self.st.scenario.outcomes;
        if let Some(r) = outcomes.results.get(&**key) {
            return (*r, None, false);
        }
        let rate = outcomes
            .key_error_rates
            .get(&**key)
            .copied()
            .unwrap_or(self.st.error_rate);
        let terminal_rate = outcomes.terminal_rate;
        let default = self.st.result;
        if rate > 0.0 && self.st.outcome_rng.chance(rate) {
            let terminal = terminal_rate > 0.0 && self.st.outcome_rng.chance(terminal_rate);
            let outcome = if terminal {
                ReconcileOutcome::TerminalError
            } else {
                ReconcileOutcome::Error
            };
            return (
                ReconcileResult::new(outcome),
                Some(FailReason::Random),
                false,
            );
        }
        (default, None, false)
    }

    /// controller-runtime's `reconcileHandler`: `Reconcile`, then the
    /// result's queue calls (see [`crate::sim::reconcile`]), then the
    /// deferred `Done`.
    pub(super) fn reconcile_handler(&mut self, worker: u32, key: Key, item_priority: i64) {
        let (result, reason, deleted) = self.reconcile_result(&key);
        self.record(EventKind::Reconciled {
            worker,
            key: key.clone(),
            result,
            reason,
            deleted,
        });
        remove_key(&mut self.st.terminal, &key);
        remove_key(&mut self.st.polling, &key);
        match result.outcome {
            ReconcileOutcome::TerminalError => {
                self.st.terminal.insert(key.clone());
            }
            ReconcileOutcome::Requeue => {
                self.st.polling.insert(key.clone());
            }
            _ => {}
        }
        let priority = Some(result.priority.unwrap_or(item_priority));
        let opts = AddOpts {
            priority,
            ..AddOpts::default()
        };
        match result.outcome {
            ReconcileOutcome::Error => {
                self.st.failing.insert(key.clone());
                self.write_status_on_error(&key);
                self.q_add_with_opts(key.clone(), Cause::Error, opts.rate_limited());
            }
            ReconcileOutcome::TerminalError => {
                self.st.failing.insert(key.clone());
                self.write_status_on_error(&key);
            }
            ReconcileOutcome::RequeueAfter(d) => {
                self.st.failing.remove(&key);
                self.q_forget(key.clone(), Cause::Success);
                self.q_add_with_opts(key.clone(), Cause::Requeue, opts.after(d));
            }
            ReconcileOutcome::Requeue => {
                self.st.failing.remove(&key);
                self.q_add_with_opts(key.clone(), Cause::Requeue, opts.rate_limited());
            }
            ReconcileOutcome::Success => {
                self.st.failing.remove(&key);
                self.q_forget(key.clone(), Cause::Success);
            }
        }
        self.q_done(key, Some(worker));
        self.retire_workers();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::test_support::{at, calls, key, scenario, world};

    #[test]
    fn an_idle_worker_takes_the_item_and_finishes_after_its_processing_time() {
        let mut sim = world(1);
        sim.apply(Input::Change(key("ns/a"))).expect("change");
        assert!(matches!(
            sim.workers()[0].state,
            WorkerState::Processing { .. }
        ));
        sim.run_until(at(9));
        assert!(!calls(&sim).contains(&"queue.Done(\"ns/a\")".to_owned()));
        sim.run_until(at(10));
        assert!(
            calls(&sim).contains(&"queue.Done(\"ns/a\")".to_owned()),
            "{:?}",
            calls(&sim)
        );
        assert_eq!(sim.workers()[0].state, WorkerState::Idle);
    }

    #[test]
    fn a_failed_reconcile_is_re_added_rate_limited_and_a_success_forgets() {
        let mut s = scenario(1);
        s.outcomes.poison_keys = vec!["ns/bad".to_owned()];
        let mut sim = Sim::new(s).expect("valid");
        sim.apply(Input::Change(key("ns/bad"))).expect("change");
        sim.run_until(at(10));
        assert_eq!(sim.queue().num_requeues(&key("ns/bad")), 1);
        assert_eq!(sim.failing_keys(), 1);
        sim.apply(Input::Change(key("ns/ok"))).expect("change");
        sim.run_until(at(40));
        assert_eq!(sim.queue().num_requeues(&key("ns/ok")), 0);
        assert!(calls(&sim).contains(&"queue.Forget(\"ns/ok\")".to_owned()));
    }
}
