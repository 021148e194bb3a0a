//! Inputs from the person (or a script): validated, refused with a reason that changes
//! nothing, or applied at the current time.

use super::*;

impl Sim {
    /// Applies an input at the current time. A refused input changes nothing
    /// and says why.
    pub fn apply(&mut self, input: Input) -> Result<(), InputError> {
        input.validate()?;
        self.apply_valid(input)?;
        self.settle();
        Ok(())
    }

    /// Like [`apply`](Self::apply), and says which events the input itself
    /// recorded (its queue calls, before idle workers react to it): their
    /// sequence numbers, for [`events_since`](Self::events_since).
    pub fn apply_traced(&mut self, input: Input) -> Result<std::ops::Range<u64>, InputError> {
        input.validate()?;
        let first = self.log.total();
        self.apply_valid(input)?;
        let own = first..self.log.total();
        self.settle();
        Ok(own)
    }

    pub(super) fn refuse_if_down(&self) -> Result<(), InputError> {
        match self.st.down_until {
            Some(t) => Err(InputError::new(format!(
                "the controller is down (OOM-killed) until {}",
                format_duration(t.since_epoch())
            ))),
            None => Ok(()),
        }
    }

    pub(super) fn refuse_if_worker_holds(&self, key: &Key) -> Result<(), InputError> {
        for w in &self.st.workers {
            if let WorkerState::Processing { key: k, .. } = &w.view.state {
                if k == key {
                    return Err(InputError::new(format!(
                        "worker {} is processing {key}; it calls Done itself",
                        w.view.id
                    )));
                }
            }
        }
        Ok(())
    }

    pub(super) fn room_for(&self, n: u32) -> Result<(), InputError> {
        if self.st.objects.len() + n as usize > MAX_LIVE_OBJECTS {
            return Err(InputError::new(format!(
                "at most {MAX_LIVE_OBJECTS} objects may exist at once"
            )));
        }
        Ok(())
    }

    pub(super) fn apply_valid(&mut self, input: Input) -> Result<(), InputError> {
        match input {
            Input::Change(key) => {
                if !self.st.objects.contains_key(&key) {
                    self.room_for(1)?;
                    self.spawn_object(key.clone(), false);
                    self.record(EventKind::ObjectCreated { key: key.clone() });
                } else {
                    self.record(EventKind::ObjectUpdated { key: key.clone() });
                }
                self.on_change(key, Cause::Change);
            }
            Input::DeleteObject(key) => {
                if !self.st.objects.contains_key(&key) {
                    return Err(InputError::new(format!("no object {key} exists")));
                }
                self.delete_object(key);
            }
            Input::Add(key) => {
                self.refuse_if_down()?;
                self.q_add(key, Cause::Hand);
            }
            Input::Fail(key) => {
                self.refuse_if_down()?;
                self.st.failing.insert(key.clone());
                self.q_add_rate_limited(key, Cause::Hand);
            }
            Input::Forget(key) => {
                self.refuse_if_down()?;
                self.q_forget(key, Cause::Hand);
            }
            Input::Get => {
                self.refuse_if_down()?;
                let (key, priority) = self
                    .queue
                    .get()
                    .ok_or_else(|| InputError::new("nothing is queued: Get would block"))?;
                self.st.ops += 1;
                let requeues = self.queue.num_requeues(&key);
                self.st.held_by_hand.insert(key.clone());
                self.record_get(None, key, priority, requeues, None);
            }
            Input::Done(key) => {
                self.refuse_if_down()?;
                self.refuse_if_worker_holds(&key)?;
                self.st.held_by_hand.remove(&key);
                self.q_done(key, None);
            }
            Input::Succeed(key) => {
                self.refuse_if_down()?;
                self.refuse_if_worker_holds(&key)?;
                self.st.held_by_hand.remove(&key);
                self.st.failing.remove(&key);
                self.q_forget(key.clone(), Cause::Hand);
                self.q_done(key, None);
            }
            Input::AddMany { count } => {
                self.room_for(count)?;
                self.record(EventKind::Setting {
                    label: Input::AddMany { count }.label(),
                });
                for _ in 0..count {
                    let key = self.next_generated_key();
                    self.spawn_object(key.clone(), true);
                    self.record(EventKind::ObjectCreated { key: key.clone() });
                    self.on_change(key, Cause::Change);
                }
            }
            Input::UpdateStorm {
                keys,
                every,
                duration,
            } => {
                let have = self.st.objects.len().min(keys as usize) as u32;
                self.room_for(keys - have)?;
                self.record(EventKind::Setting {
                    label: Input::UpdateStorm {
                        keys,
                        every,
                        duration,
                    }
                    .label(),
                });
                let mut chosen: Vec<Key> = self
                    .st
                    .objects
                    .keys()
                    .take(keys as usize)
                    .cloned()
                    .collect();
                while chosen.len() < keys as usize {
                    let key = self.next_generated_key();
                    self.spawn_object(key.clone(), false);
                    self.record(EventKind::ObjectCreated { key: key.clone() });
                    chosen.push(key);
                }
                let until = self.now() + duration;
                self.st.storms.push(Storm {
                    keys: chosen,
                    every,
                    until,
                });
                let index = self.st.storms.len() - 1;
                self.storm_tick(index);
            }
            Input::Outage { duration } => {
                let (start, end) = (self.now(), self.now() + duration);
                self.st.outages.push((start, end));
                self.record(EventKind::OutageStarted { until: end });
                self.schedule(end, Happening::OutageEnd);
            }
            Input::Herd { count } => {
                self.refuse_if_down()?;
                self.room_for(count)?;
                self.record(EventKind::Setting {
                    label: Input::Herd { count }.label(),
                });
                for _ in 0..count {
                    let key = self.next_generated_key();
                    self.spawn_object(key.clone(), false);
                    self.st.failing.insert(key.clone());
                    self.q_add_rate_limited(key, Cause::Error);
                }
            }
            Input::SetLimiter(cfg) => {
                cfg.build(&self.clock).map_err(InputError::from)?;
                let label = Input::SetLimiter(cfg.clone()).label();
                self.st.cap = cfg.cap();
                self.st.limiter = cfg;
                self.record(EventKind::Setting { label });
                self.redeploy();
            }
            Input::SetQueue(kind) => {
                if kind == self.queue.kind() {
                    return Err(InputError::new(format!(
                        "the controller already uses the {}",
                        kind.title()
                    )));
                }
                let queue = QueueModel::new(kind, &self.st.limiter, &self.clock)
                    .map_err(InputError::from)?;
                self.record(EventKind::Setting {
                    label: Input::SetQueue(kind).label(),
                });
                // A process down after an OOM kill gets the new queue when it
                // restarts (its old queue's counters were retired at the kill).
                if self.st.down_until.is_none() {
                    self.kill_process();
                    self.queue = queue;
                    self.st.restarts += 1;
                    self.start(StartReason::Redeploy);
                } else {
                    self.queue = queue;
                }
            }
            Input::SetReconcileResult(result) => {
                self.refuse_unless_controller_runtime("Reconcile")?;
                self.record(EventKind::Setting {
                    label: Input::SetReconcileResult(result).label(),
                });
                self.st.result = result;
            }
            Input::AddWithOpts {
                key,
                after,
                rate_limited,
                priority,
            } => {
                self.refuse_unless_controller_runtime("AddWithOpts")?;
                self.refuse_if_down()?;
                let mut opts = AddOpts::new();
                if let Some(d) = after {
                    opts = opts.after(d);
                }
                if rate_limited {
                    self.st.failing.insert(key.clone());
                    opts = opts.rate_limited();
                }
                if let Some(p) = priority {
                    opts = opts.priority(p);
                }
                self.q_add_with_opts(key, Cause::Hand, opts);
            }
            Input::SetWorkers(n) => {
                self.record(EventKind::Setting {
                    label: Input::SetWorkers(n).label(),
                });
                self.set_workers(n);
            }
            Input::SetProcessingTime(p) => {
                self.record(EventKind::Setting {
                    label: Input::SetProcessingTime(p.clone()).label(),
                });
                self.st.processing = p;
            }
            Input::SetErrorRate(r) => {
                self.record(EventKind::Setting {
                    label: Input::SetErrorRate(r).label(),
                });
                self.st.error_rate = r;
            }
            Input::SetPolicy(p) => {
                self.record(EventKind::Setting {
                    label: Input::SetPolicy(p.clone()).label(),
                });
                self.st.toggles = p.toggles();
                self.st.policy = p;
            }
            Input::SetMemoryLimit(limit) => {
                if let Some(l) = limit {
                    if l <= self.st.memory.base_bytes {
                        return Err(InputError::new(
                            "the limit must be above the base footprint",
                        ));
                    }
                }
                self.record(EventKind::Setting {
                    label: Input::SetMemoryLimit(limit).label(),
                });
                self.st.memory.limit_bytes = limit;
            }
            Input::SetMemoryModel(m) => {
                self.record(EventKind::Setting {
                    label: Input::SetMemoryModel(m.clone()).label(),
                });
                self.st.memory = m;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::test_support::{key, world};

    #[test]
    fn a_refused_input_changes_nothing_and_says_why() {
        let mut sim = world(0);
        sim.apply(Input::Fail(key("ns/a"))).expect("fail");
        let (hash, events, now) = (sim.trace_hash(), sim.event_count(), sim.now());
        let err = sim
            .apply(Input::DeleteObject(key("ns/missing")))
            .expect_err("no such object");
        assert!(
            err.to_string().contains("no object ns/missing exists"),
            "{err}"
        );
        assert_eq!(
            (sim.trace_hash(), sim.event_count(), sim.now()),
            (hash, events, now)
        );
    }

    #[test]
    fn apply_traced_names_the_events_the_input_made() {
        let mut sim = world(0);
        let range = sim.apply_traced(Input::Add(key("ns/a"))).expect("add");
        assert_eq!(range.end - range.start, 1);
        assert_eq!(sim.event_count(), range.end);
    }
}
