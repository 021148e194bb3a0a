//! The informer's side of the world: scripted inputs, object churn and updates, update
//! storms, deletes and the controller's own status writes coming back as events, each handed
//! to the controller's event handlers ([`Sim::on_change`]).

use super::*;

impl Sim {
    pub(super) fn handle(&mut self, what: Happening) {
        match what {
            Happening::Script { index, left } => {
                let Some(entry) = self.st.scenario.script.get(index).cloned() else {
                    return;
                };
                if left > 1 {
                    let next = self.now() + entry.every;
                    self.schedule(
                        next,
                        Happening::Script {
                            index,
                            left: left - 1,
                        },
                    );
                }
                if let Err(e) = self.apply_valid(entry.input.clone()) {
                    self.record(EventKind::Setting {
                        label: format!("Script: {} refused: {e}", entry.input.label()),
                    });
                }
            }
            Happening::Create => {
                if let Some(churn) = self.st.scenario.informer.churn.clone() {
                    if self.st.objects.len() < MAX_LIVE_OBJECTS {
                        let key = self.next_generated_key();
                        self.spawn_object(key.clone(), true);
                        self.record(EventKind::ObjectCreated { key: key.clone() });
                        self.on_change(key, Cause::Change);
                    }
                    let next = self.now() + self.st.informer_rng.exponential(churn.create_every);
                    self.schedule(next, Happening::Create);
                }
            }
            Happening::Change { key, inc } => {
                if let Some(every) = self.st.scenario.informer.change_every {
                    let next = self.now() + self.st.informer_rng.exponential(every);
                    self.schedule(
                        next,
                        Happening::Change {
                            key: key.clone(),
                            inc,
                        },
                    );
                }
                self.record(EventKind::ObjectUpdated { key: key.clone() });
                self.on_change(key, Cause::Change);
            }
            Happening::Delete { key, .. } => self.delete_object(key),
            Happening::WorkerDone { worker, .. } => self.complete(worker),
            Happening::Storm { index } => self.storm_tick(index),
            Happening::Restart { .. } => {
                self.st.restarts += 1;
                self.start(StartReason::AfterOom);
            }
            Happening::OutageStart { until } => self.record(EventKind::OutageStarted { until }),
            Happening::OutageEnd => self.record(EventKind::OutageEnded),
            Happening::StatusEcho { key, .. } => {
                self.record(EventKind::ObjectUpdated { key: key.clone() });
                if self.st.down_until.is_none() {
                    self.st.echoed.insert(key.clone());
                }
                self.on_change(key, Cause::Change);
            }
        }
    }

    pub(super) fn next_generated_key(&mut self) -> Key {
        let inf = &self.st.scenario.informer;
        let key = Key::from(format!(
            "{}/{}{}",
            inf.namespace, inf.name_prefix, self.st.next_name
        ));
        self.st.next_name += 1;
        key
    }

    /// Makes `key` exist. Generated objects get the informer's random
    /// updates and (with churn) a random lifetime; objects you create are
    /// left alone.
    pub(super) fn spawn_object(&mut self, key: Key, generated: bool) {
        let inc = self.st.next_incarnation;
        self.st.next_incarnation += 1;
        if self.queue.num_requeues(&key) > 0 {
            // An orphan entry whose object came back.
            self.st.orphans = self.st.orphans.saturating_sub(1);
        }
        self.st.objects.insert(key.clone(), inc);
        if !generated {
            return;
        }
        if let Some(every) = self.st.scenario.informer.change_every {
            let at = self.now() + self.st.informer_rng.exponential(every);
            self.schedule(
                at,
                Happening::Change {
                    key: key.clone(),
                    inc,
                },
            );
        }
        if let Some(churn) = &self.st.scenario.informer.churn {
            let life = churn.lifetime;
            let at = self.now() + self.st.informer_rng.exponential(life);
            self.schedule(at, Happening::Delete { key, inc });
        }
    }

    pub(super) fn delete_object(&mut self, key: Key) {
        if self.st.objects.remove(&key).is_none() {
            return;
        }
        let orphaned = self.queue.num_requeues(&key) > 0;
        if orphaned {
            self.st.orphans += 1;
        }
        self.record(EventKind::ObjectDeleted {
            key: key.clone(),
            orphaned,
        });
        if self.st.scenario.informer.enqueue_on_delete {
            self.on_change(key, Cause::Delete);
        }
    }

    pub(super) fn storm_tick(&mut self, index: usize) {
        let Some(storm) = self.st.storms.get(index).cloned() else {
            return;
        };
        for key in &storm.keys {
            if self.st.objects.contains_key(key) {
                self.record(EventKind::ObjectUpdated { key: key.clone() });
                self.on_change(key.clone(), Cause::Change);
            }
        }
        let next = self.now() + storm.every;
        if next <= storm.until {
            self.schedule(next, Happening::Storm { index });
        }
    }

    /// The informer's event handler: the policy's call, unless the
    /// controller is down (then the event is lost; the restart re-lists).
    pub(super) fn on_change(&mut self, key: Key, cause: Cause) {
        if self.st.down_until.is_some() {
            return;
        }
        if self.is_controller_runtime() {
            // EnqueueRequestForObject on the priority queue: the initial
            // list's creates at handler.LowPriority, other events plain.
            let opts = if cause == Cause::Relist {
                AddOpts::new().priority(LOW_PRIORITY)
            } else {
                AddOpts::new()
            };
            self.q_add_with_opts(key, cause, opts);
            return;
        }
        match self.st.toggles.on_change {
            ChangeCall::Add => self.q_add(key, cause),
            ChangeCall::AddRateLimited => self.q_add_rate_limited(key, cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::test_support::{at, calls, key, ms, scenario, world};

    #[test]
    fn a_change_creates_the_object_and_the_handler_adds_it() {
        let mut sim = world(0);
        sim.apply(Input::Change(key("ns/a"))).expect("change");
        assert_eq!(sim.live_keys(), 1);
        assert_eq!(sim.queue().len(), 1);
        assert!(
            calls(&sim).contains(&"queue.Add(\"ns/a\")".to_owned()),
            "{:?}",
            calls(&sim)
        );
        sim.apply(Input::DeleteObject(key("ns/a"))).expect("delete");
        assert_eq!(sim.live_keys(), 0);
    }

    #[test]
    fn a_status_write_comes_back_as_an_update_after_its_delay() {
        let mut s = scenario(1);
        s.informer.initial_objects = 1;
        s.outcomes.poison_keys = vec!["default/pod-0".to_owned()];
        s.outcomes.status_echo = Some(ms(2));
        let mut sim = Sim::new(s).expect("valid");
        sim.run_until(at(11));
        let updated = |sim: &Sim| {
            sim.events()
                .filter(|e| matches!(e.kind, EventKind::ObjectUpdated { .. }))
                .map(|e| e.at)
                .collect::<Vec<_>>()
        };
        assert!(updated(&sim).is_empty(), "not before the echo's delay");
        sim.run_until(at(12));
        // The reconcile failed at 10ms; its status write comes back 2ms later.
        assert_eq!(updated(&sim), [at(12)]);
    }
}
