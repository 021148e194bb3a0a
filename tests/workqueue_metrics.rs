//! Port of client-go `util/workqueue/metrics_test.go` (spec §9.5).
//!
//! Go's ticker goroutine becomes a lazily applied tick: after a fake-clock
//! step the gauges hold what the goroutine would have set, computed at the
//! clock's time when the tick is observed (the goroutine reads
//! `clock.Since` after the step, which is why Go's test sees 0.001).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;

use workqueue_playground::workqueue::{FakeClock, Queue, Time};

const MICRO: Duration = Duration::from_micros(1);
const MS: Duration = Duration::from_millis(1);

#[test]
fn test_metric_shutdown() {
    let clock = FakeClock::new(Time::from_nanos(1_764_000_000_000_000_000));
    let mut q: Queue<&str> = Queue::with_unfinished_work_period(clock.clone(), MS);
    assert_eq!(q.metrics().unfinished_work_updates, 0);

    clock.step(MS);
    assert_eq!(
        q.metrics().unfinished_work_updates,
        1,
        "one update after one tick"
    );

    q.shut_down();
    clock.step(Duration::from_secs(3600));
    q.tick_metrics();
    assert_eq!(
        q.metrics().unfinished_work_updates,
        1,
        "no update after shutdown"
    );
}

#[test]
fn test_metrics() {
    let clock = FakeClock::new(Time::ZERO);
    let mut q: Queue<&str> = Queue::with_unfinished_work_period(clock.clone(), MS);

    q.add("foo");
    let m = q.metrics();
    assert_eq!(m.adds_total, 1);
    assert_eq!(m.depth, 1);

    clock.step(50 * MICRO);

    // Start processing
    let i = q.get();
    assert_eq!(i, Some("foo"));
    let m = q.metrics();
    assert_eq!(m.queue_latency.last, Some(5e-05));
    assert_eq!(m.queue_latency.count, 1);

    // Add it back while processing; multiple adds of the same item are de-duped.
    for _ in 0..5 {
        q.add("foo");
    }
    let m = q.metrics();
    assert_eq!(m.adds_total, 2);
    assert_eq!(m.depth, 1);

    clock.step(25 * MICRO);

    // Finish it up
    q.done(&"foo");
    let m = q.metrics();
    assert_eq!(m.work_duration.last, Some(2.5e-05));
    assert_eq!(m.work_duration.count, 1);
    // One thing remains in the queue
    assert_eq!(m.depth, 1);

    // Start processing again
    assert_eq!(q.get(), Some("foo"));
    let m = q.metrics();
    assert_eq!(m.queue_latency.last, Some(2.5e-05));
    assert_eq!(m.queue_latency.count, 2);

    // Step the clock: the 1 ms ticker fires once and updates both gauges.
    clock.step(MS);
    q.tick_metrics();
    let m = q.metrics();
    assert_eq!(m.ticked_unfinished_work_seconds, 0.001);
    assert_eq!(m.ticked_longest_running_processor_seconds, 0.001);
    // The snapshot-at-now values agree at this instant.
    assert_eq!(m.unfinished_work_seconds, 0.001);
    assert_eq!(m.longest_running_processor_seconds, 0.001);

    // Finish that one up
    q.done(&"foo");
    let m = q.metrics();
    assert_eq!(m.work_duration.last, Some(0.001));
    assert_eq!(m.work_duration.count, 2);
}

/// The ticked gauges lag the snapshot-at-now values between ticks, as
/// Go's exported gauges do.
#[test]
fn test_ticked_gauges_hold_between_ticks() {
    let clock = FakeClock::new(Time::ZERO);
    let mut q: Queue<&str> = Queue::new(clock.clone());
    q.add("a");
    q.get();
    clock.step(Duration::from_millis(500));
    q.tick_metrics();
    clock.step(Duration::from_millis(200));
    let m = q.metrics();
    assert_eq!(m.ticked_longest_running_processor_seconds, 0.5);
    assert_eq!(m.longest_running_processor_seconds, 0.7);
    // A big step collapses missed ticks into one.
    clock.step(Duration::from_secs(10));
    q.tick_metrics();
    assert_eq!(q.metrics().unfinished_work_updates, 2);
}
