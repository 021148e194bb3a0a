//! Guided tours: for each preset, 3 to 6 short steps that say where to look and why, and a
//! closing list of things to try. Plain data beside the presets, so every preset's tour is
//! checked against the preset list by a test.

/// One step of a tour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TourStep {
    /// A short heading.
    pub title: &'static str,
    /// What to look at and what it shows.
    pub body: &'static str,
}

/// A preset's tour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tour {
    /// The preset it belongs to.
    pub preset: &'static str,
    /// The steps, in order (3 to 6).
    pub steps: &'static [TourStep],
    /// Suggestions shown after the last step.
    pub things_to_try: &'static [&'static str],
}

const fn step(title: &'static str, body: &'static str) -> TourStep {
    TourStep { title, body }
}

const TOURS: [Tour; 17] = [
    Tour {
        preset: "manual",
        steps: &[
            step("An empty queue", "No objects and no workers: nothing happens until you act. Type a key such as default/a in “Act on a key”."),
            step("Fail it", "Press Fail: that is queue.AddRateLimited. The Go code panel highlights r.failures[item] = r.failures[item] + 1, and the failures map now holds one entry. The key waits 5ms in the delaying heap."),
            step("Fail it again", "Each Fail doubles the key's delay: 5ms, 10ms, 20ms … until the 1000s cap (the backoff schedule shows every step). The map still has one entry: it counts failures per key."),
            step("Forget it", "Press Forget: delete(r.failures, item) runs and the entry is gone. Only Forget removes an entry; nothing else ever does."),
        ],
        things_to_try: &[
            "Fail 30 keys and watch the leak detector compare the map with the failing keys.",
            "Get a key, then Fail it while you hold it: the worker's error path.",
            "Add the same key 5 times: the queue de-duplicates it.",
        ],
    },
    Tour {
        preset: "seed-oom",
        steps: &[
            step("The bug", "This controller calls AddRateLimited on every change event and never calls Forget. The Go code panel's Buggy tab shows both lines."),
            step("The map grows forever", "Watch the chart “len(failures) vs live keys”: about 200 objects exist, yet the map keeps growing, because objects come and go and every key ever seen keeps its entry (orphans)."),
            step("Changes wait like failures", "Busy keys are pushed to the 1000s cap: a change event now waits up to 16m40s before it is reconciled. The leak detector quotes the current wait."),
            step("OOM and the sawtooth", "Speed up to 1000×. Memory climbs to the limit, the pod is OOM-killed, restarts with an empty map, and climbs again: the sawtooth that hid the bug for two years."),
            step("Compare with the fix", "Open the split view: the same events with the fixed controller keep the map near the failing keys and memory flat."),
        ],
        things_to_try: &[
            "Scrub back before the first OOM kill and compare the map with the live keys.",
            "Switch the policy to Fixed in the Controller panel and apply it.",
            "Export the metrics as CSV and plot the sawtooth yourself.",
        ],
    },
    Tour {
        preset: "fixed",
        steps: &[
            step("The fix", "Add on change, AddRateLimited only on error, Forget on success: sample-controller's pattern (the Fixed tab of the Go code panel)."),
            step("A bounded map", "len(failures) stays near the number of keys failing right now; the leak detector reports it as healthy."),
            step("Short waits", "A key that fails once waits 5ms and is forgotten as soon as it succeeds, so changes are reconciled promptly."),
        ],
        things_to_try: &[
            "Open the split view to see the buggy controller on the same events.",
            "Raise the error rate to 0.5 and watch the map follow the failing keys.",
        ],
    },
    Tour {
        preset: "poison",
        steps: &[
            step("A key that always fails", "default/poison fails every reconcile. Each retry doubles its wait: 5ms, 10ms … up to the 1000s cap."),
            step("One entry, not a leak", "The map holds one entry for one failing key: bounded. Healthy keys are forgotten on success."),
            step("Why a retry cap exists", "With no cap the poison key is retried every 16m40s forever. A cap (Controller: max requeues) makes the controller Forget it and drop it."),
        ],
        things_to_try: &[
            "Set Max requeues to 5 and apply: the key is dropped after its 5th failure.",
            "Skip to the next due item to jump straight to each retry.",
        ],
    },
    Tour {
        preset: "outage",
        steps: &[
            step("Every reconcile fails", "From 30s to 90s the API server is down: every key fails and backs off."),
            step("The shared bucket", "Each AddRateLimited also takes a token from the shared 10 qps bucket (burst 100). The bucket-tokens chart goes negative: retries are limited to 10 per second."),
            step("The recovery wave", "After 90s reconciles succeed again, but keys wait out their backoff and the bucket's debt: watch the depth chart drain."),
        ],
        things_to_try: &[
            "Start another outage from the Bulk actions panel.",
            "Switch to the item-based limiter (no bucket) and compare the drain time.",
        ],
    },
    Tour {
        preset: "forget-shared",
        steps: &[
            step("Five failures", "The script calls AddRateLimited on default/a at t=0s…4s. The backoff schedule shows 5ms, 10ms, 20ms, 40ms, 80ms: the limiter counts 5 failures."),
            step("Forget from elsewhere", "At t=5s Forget(default/a) runs, as a second queue sharing this limiter object would call it after its own successful reconcile. The failures map loses the entry; nothing else changes."),
            step("Forget is not Done", "Look at Items: default/a is still queued. Forget touches only the limiter; a worker that had taken the key with Get must still call Done, or the key stays processing for ever."),
            step("The moment to watch", "At t=6s default/a fails again and waits 5ms, not the 160ms a 6th failure would give: the other queue's success reset this queue's backoff. Give each queue its own limiter."),
        ],
        things_to_try: &[
            "Fail default/a five more times by hand and Forget it again: the ladder restarts at 5ms each time.",
            "Get default/a, then Forget it: it stays processing until you press Done.",
        ],
    },
    Tour {
        preset: "cap-1000s",
        steps: &[
            step("One key that always fails", "default/pod-0 fails every reconcile and is re-added with AddRateLimited each time."),
            step("The ladder", "The backoff schedule doubles from 5ms: the 15th failure already waits 1m21.92s, the 18th 10m55.36s."),
            step("The moment to watch", "Skip to each retry. The 19th failure would wait 5ms·2^18 = 21m50.72s; the limiter caps it at 1000s, and the failures map's Last backoff column shows 16m40s from then on."),
            step("Only Forget resets it", "The key keeps one entry in the failures map and is retried every 16m40s until a successful reconcile calls Forget."),
        ],
        things_to_try: &[
            "Apply the 5s–5m limiter preset (Restart) and compare when the cap is reached.",
            "Set Max requeues to 15: the key is dropped before it ever waits 16m40s.",
        ],
    },
    Tour {
        preset: "spurious-backoff",
        steps: &[
            step("A one-minute outage", "From t=0 to 60s every reconcile of default/pod-0 fails, and the controller calls AddRateLimited: correct so far."),
            step("Events skip the wait", "Every 2s the object changes and the controller calls Add. Add hands the key out at once, even while its rate-limited copy is still waiting in the delaying heap."),
            step("Each one counts", "Each of those reconciles fails too and calls AddRateLimited: the failure count grows with the events, about one per 2s, not once per backoff."),
            step("The moment to watch", "Watch the key's last wait: it reaches the 16m40s cap about 15s into the outage. Plain exponential backoff would, after the whole minute, be at its 14th failure and a 40.96s wait."),
            step("After the outage", "Later reconciles succeed and Forget clears the count, but only because events keep coming; a quiet object would wait out the 16m40s."),
        ],
        things_to_try: &[
            "Switch the Queue to controller-runtime's priority queue (it redeploys the controller): a plain Add there promotes the waiting item instead of running it a second time.",
            "Raise the change interval with your own scenario and see the count grow more slowly.",
        ],
    },
    Tour {
        preset: "success-hotloop",
        steps: &[
            step("A broken object", "default/pod-0 cannot be reconciled: a dependency is missing. Its first reconcile fails and the controller calls AddRateLimited: a 5ms wait, as it should be."),
            step("Its own echo", "The controller also wrote the error into the object's status. 2ms later the watch brings that write back as an update, and the update is an Add: the key runs again at once."),
            step("A success that is not one", "That reconcile finds the error already recorded and returns success, so the controller calls Forget: the failures map's count for the key goes back to 0."),
            step("The moment to watch", "The retry that was waiting out its 5ms fails again, with a fresh count: 5ms again. Every 22ms one failure and one Forget: after a minute, 2727 retries where exponential backoff would have made 14, and the key's count never passes 1."),
        ],
        things_to_try: &[
            "Switch the Queue to controller-runtime's priority queue: the echo's Add cancels the waiting retry, the success Forgets, and the broken object is never retried again.",
            "Apply the default controller limiter (Restart): its 10 qps bucket holds the loop to 10 failures a second once the burst of 100 is spent.",
        ],
    },
    Tour {
        preset: "bucket-hours",
        steps: &[
            step("Five minutes of errors", "From t=0 to 5m every reconcile fails; 1000 keys back off with the default controller limiter."),
            step("Flapping keys", "The first 500 objects change every 2s: each change is an Add, a failed reconcile and an AddRateLimited, about 250 a second."),
            step("One bucket for all", "Each AddRateLimited reserves a token from the shared bucket (10 qps, burst 100). The bucket-tokens chart falls by about 240 a second: a debt of about 24 seconds more every second."),
            step("The moment to watch", "MaxOf takes the larger of the key's backoff and the bucket's debt. At t=4m53.09s, just before the errors stop, the largest When passes 2 hours; quiet keys that failed then are scheduled that far ahead."),
        ],
        things_to_try: &[
            "Switch to the item-based limiter (no bucket) and Restart: no wait exceeds 1000s.",
            "Export the metrics and plot the bucket's tokens over the outage.",
        ],
    },
    Tour {
        preset: "herd",
        steps: &[
            step("1000 failures at once", "At t=1s, 1000 fresh keys fail in the same instant. Each has failed once, so its own backoff is only 5ms."),
            step("The bucket decides", "Every call also reserves a token from the shared bucket (10 qps, burst 100): the last key waits (1000 − 100) / 10 = 90s."),
            step("Watch the runway", "The waiting items spread out to 90s on the runway, whatever their own backoff says."),
        ],
        things_to_try: &[
            "Apply the 5s–5m limiter preset and run the herd again with Restart.",
            "Look at the bucket-tokens chart: it reaches −900.",
        ],
    },
    Tour {
        preset: "bucket-10qps",
        steps: &[
            step("A one-second blip", "The dependency is down for the first second: the 1584 reconciles that run in it fail, and each failed key is re-added with AddRateLimited."),
            step("Two limiters, the larger wins", "Each key's own backoff is 5ms. The shared bucket (10 qps, burst 100) gives the first 100 calls a token at once and each later one a slot 0.1s after the previous."),
            step("The moment to watch", "Watch the workers: 16 of them, mostly idle, while the runway lets retries out 10 a second. The last key waits 2m27.42s: about (1584 − 100) / 10 seconds, less the tokens refilled during that first second."),
        ],
        things_to_try: &[
            "Switch to the item-based limiter and Restart: every retry is back within milliseconds.",
            "Apply a bucket of 100 qps, burst 1000, and compare the drain time.",
        ],
    },
    Tour {
        preset: "numrequeues-restart",
        steps: &[
            step("A retry cap", "The controller drops a key once NumRequeues reaches 15: client-go's examples/workqueue pattern, Forget and give up."),
            step("What NumRequeues counts", "NumRequeues is the limiter's count of When calls for the key, kept in memory. It is not the number of processings, and nothing persists it."),
            step("The moment to watch", "At t=2m, after 15 failures and before the 16th (which would be dropped), the controller is redeployed: the failures map starts empty and the key is listed again with NumRequeues 0."),
            step("Never dropped", "The redeploy repeats every 2 minutes, so the count never passes 15 and the cap never fires: the key is retried for as long as the controller keeps restarting."),
        ],
        things_to_try: &[
            "Select default/pod-0 and watch NumRequeues climb and fall back at each redeploy.",
            "Keep a retry count in the object's status instead: it survives restarts.",
        ],
    },
    Tour {
        preset: "retries-vs-adds",
        steps: &[
            step("No errors at all", "100 objects change about every 30s and no reconcile ever fails."),
            step("AddRateLimited on change", "The controller enqueues every change with AddRateLimited and Forgets on success. The bucket spaces bursts out, and no wait passes 10ms."),
            step("The moment to watch", "Compare workqueue_retries_total with workqueue_adds_total in the metrics: they climb together, one for one. retries counts every AddAfter, and AddRateLimited is an AddAfter."),
        ],
        things_to_try: &[
            "Switch the policy to Fixed (Add on change): retries_total stops moving while adds_total keeps climbing.",
            "Raise the error rate: now some of the retries are real.",
        ],
    },
    Tour {
        preset: "dedup",
        steps: &[
            step("One slow reconcile", "One worker takes 10s to reconcile default/hot."),
            step("100 adds while it works", "The first Add marks the key dirty; the other 99 collapse into it (the event log says “already dirty while processing: no change”)."),
            step("Processed twice", "When the worker calls Done the key is queued once more: processed twice in all, never by two workers at once."),
        ],
        things_to_try: &[
            "Set 4 workers: the key is still never processed twice at the same time.",
        ],
    },
    Tour {
        preset: "cr-terminal-leak",
        steps: &[
            step("controller-runtime's handler", "This controller runs on controller-runtime's priority queue: reconcileHandler, not your code, makes the queue calls. An error is q.AddWithOpts(AddOpts{RateLimited: true}); success is Forget."),
            step("TerminalError does nothing", "Some failures are a reconcile.TerminalError: the handler neither re-adds the key nor calls Forget, so the failure count from the errors before it stays in the limiter's map."),
            step("Then the object is deleted", "Deletes are not enqueued here (a predicate drops them), so no reconcile runs after the delete and nothing ever calls Forget: the leak detector lists these entries and says why."),
        ],
        things_to_try: &[
            "Enqueue deletes (informer.enqueue_on_delete): the reconcile of the gone object succeeds and Forgets.",
            "Set terminal_rate to 0: every failure is retried until it succeeds, and Forget clears it.",
        ],
    },
    Tour {
        preset: "cr-requeue-polling",
        steps: &[
            step("Low priority first", "The initial list is added at handler.LowPriority (-100): GetWithPriority hands those keys out after any priority-0 change event, and requeues keep the priority."),
            step("Requeue: true is a failure", "Most keys return Result{Requeue: true}: a rate-limited add with no Forget. The poll interval doubles, 5ms, 10ms, ... toward the 1000s cap, and every poller keeps a failures entry."),
            step("RequeueAfter is the fix", "default/pod-0 to pod-4 return RequeueAfter: 30s: Forget, then an add after 30s. They poll steadily and have no entry; pod-0 also sets Result.Priority 10."),
        ],
        things_to_try: &[
            "Compare the largest When() with the 30s of RequeueAfter after ten minutes.",
        ],
    },
];

/// The tour of a preset, if it has one.
pub fn tour(preset: &str) -> Option<&'static Tour> {
    TOURS.iter().find(|t| t.preset == preset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets::PRESET_IDS;

    #[test]
    fn every_preset_has_a_tour_of_three_to_six_steps() {
        for id in PRESET_IDS {
            let t = tour(id).unwrap_or_else(|| panic!("{id} has no tour"));
            assert!(
                (3..=6).contains(&t.steps.len()),
                "{id}: {} steps",
                t.steps.len()
            );
            assert!(!t.things_to_try.is_empty(), "{id}");
        }
        assert_eq!(TOURS.len(), PRESET_IDS.len());
        assert!(tour("nope").is_none());
    }
}
