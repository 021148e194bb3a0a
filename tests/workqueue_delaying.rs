//! Port of client-go `util/workqueue/delaying_queue_test.go` (spec §9.2),
//! same values and steps, plus the gaps spec §9 lists for the delaying layer.
//!
//! Go steps a fake clock and then polls (`waitForAdded`) until the
//! `waitingLoop` goroutine has moved due items. The port is sans-IO: after a
//! step the owner calls `advance()` (or `get()`, which advances first), so
//! every poll becomes an exact assertion and every "poll expecting nothing"
//! an immediate negative one.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::time::Duration;

use workqueue_playground::workqueue::{DelayingQueue, FakeClock, Time};

const MS: Duration = Duration::from_millis(1);
const SEC: Duration = Duration::from_secs(1);

/// Go's tests start the fake clock at `time.Now()`; any non-zero instant will do.
const T0: Time = Time::from_nanos(1_764_000_000_000_000_000);

fn new_queue() -> (FakeClock, DelayingQueue<&'static str>) {
    let clock = FakeClock::new(T0);
    (clock.clone(), DelayingQueue::new(clock))
}

/// Go's `waitForAdded(q, depth)`: the loop's pass after a clock step.
fn wait_for_added(q: &mut DelayingQueue<&'static str>, depth: usize) {
    q.advance();
    assert_eq!(q.len(), depth);
}

#[test]
fn test_simple_queue() {
    let (clock, mut q) = new_queue();
    let first = "foo";
    q.add_after(first, 50 * MS);
    assert_eq!(q.len(), 0, "should not have added");

    clock.step(60 * MS);
    wait_for_added(&mut q, 1);
    let item = q.get().expect("foo is due");
    q.done(&item);

    // step past the next heartbeat
    clock.step(10 * SEC);
    assert_eq!(q.advance(), 0, "added to queue");
    assert_eq!(q.len(), 0, "should not have added");
    assert_eq!(q.waiting_len(), 0);
}

#[test]
fn test_deduping() {
    let (clock, mut q) = new_queue();
    let first = "foo";
    q.add_after(first, 50 * MS);
    q.add_after(first, 70 * MS);
    assert_eq!(q.len(), 0, "should not have added");

    // step past the first block, we should receive now
    clock.step(60 * MS);
    wait_for_added(&mut q, 1);
    let item = q.get().expect("due");
    q.done(&item);

    // step past the second add
    clock.step(20 * MS);
    q.advance();
    assert_eq!(q.len(), 0, "should not have added");

    // test again, but this time the earlier should override
    q.add_after(first, 50 * MS);
    q.add_after(first, 30 * MS);
    assert_eq!(q.len(), 0, "should not have added");
    assert_eq!(q.waiting(), vec![(&first, T0 + 110 * MS)]);

    clock.step(40 * MS);
    wait_for_added(&mut q, 1);
    let item = q.get().expect("due");
    q.done(&item);

    // step past the second add
    clock.step(20 * MS);
    q.advance();
    assert_eq!(q.len(), 0, "should not have added");
}

#[test]
fn test_add_two_fire_early() {
    let (clock, mut q) = new_queue();
    let (first, second, third) = ("foo", "bar", "baz");
    q.add_after(first, SEC);
    q.add_after(second, 50 * MS);
    assert_eq!(q.len(), 0, "should not have added");

    clock.step(60 * MS);
    wait_for_added(&mut q, 1);
    assert_eq!(q.get(), Some(second));

    q.add_after(third, 2 * SEC);

    clock.step(SEC);
    wait_for_added(&mut q, 1);
    assert_eq!(q.get(), Some(first));

    clock.step(2 * SEC);
    wait_for_added(&mut q, 1);
    assert_eq!(q.get(), Some(third));
}

#[test]
fn test_copy_shifting() {
    let (clock, mut q) = new_queue();
    let (first, second, third) = ("foo", "bar", "baz");
    q.add_after(first, SEC);
    q.add_after(second, 500 * MS);
    q.add_after(third, 250 * MS);
    assert_eq!(q.len(), 0, "should not have added");

    clock.step(2 * SEC);
    wait_for_added(&mut q, 3);
    assert_eq!(q.get(), Some(third));
    assert_eq!(q.get(), Some(second));
    assert_eq!(q.get(), Some(first));
}

// ---- Gaps listed in spec §9 ----

/// `AddAfter(d <= 0)` is a synchronous `Add`, and still counts a retry.
#[test]
fn test_zero_and_negative_add_after_add_synchronously() {
    let (_, mut q) = new_queue();
    q.add_after("zero", Duration::ZERO);
    assert_eq!(q.len(), 1, "no advance needed");
    q.add_after_nanos("negative", -1_000_000);
    assert_eq!(q.len(), 2);
    q.add_after_nanos("positive", 1);
    assert_eq!(q.len(), 2);
    assert_eq!(q.waiting_len(), 1);
    assert_eq!(q.metrics().retries_total, 3);
    assert_eq!(q.metrics().adds_total, 2);
}

/// The 10 s heartbeat is insurance against missed timers. Sans-IO there is
/// no timer to miss: an entry is released exactly when `advance` runs at (or
/// after) its ready time, and never a nanosecond before.
#[test]
fn test_released_exactly_at_ready_time_without_heartbeat() {
    let (clock, mut q) = new_queue();
    q.add_after("foo", 50 * MS);
    assert_eq!(q.next_ready_at(), Some(T0 + 50 * MS));
    clock.step(50 * MS - Duration::from_nanos(1));
    assert_eq!(q.advance(), 0);
    clock.step(Duration::from_nanos(1));
    assert_eq!(q.advance(), 1);
    assert_eq!(q.next_ready_at(), None);
    // Nothing depends on the heartbeat's 10 s period.
    clock.step(10 * SEC);
    assert_eq!(q.advance(), 0);
}

/// `ShutDown` is overridden: the heap is discarded at once and `add_after`
/// is refused (no retry counted).
#[test]
fn test_shut_down_discards_waiting_entries() {
    let (clock, mut q) = new_queue();
    q.add_after("foo", 50 * MS);
    q.add("bar");
    q.shut_down();
    assert_eq!(q.waiting_len(), 0);
    q.add_after("baz", 10 * MS);
    assert_eq!(q.metrics().retries_total, 1);
    clock.step(SEC);
    assert_eq!(q.get(), Some("bar"), "queued items still drain");
    assert_eq!(q.get(), None);
    // A second shut_down is a no-op.
    q.shut_down();
    assert!(q.shutting_down());
}

/// `ShutDownWithDrain` is NOT overridden in Go: only the inner queue shuts
/// down, the waiting loop notices at its next wake-up and drops the heap.
/// Observable here: entries stay listed until the next `advance`, which
/// discards them; none ever reaches the FIFO.
#[test]
fn test_shut_down_with_drain_drops_heap_lazily() {
    let (clock, mut q) = new_queue();
    q.add_after("foo", 50 * MS);
    q.add("bar");
    let bar = q.get().expect("bar");
    q.shut_down_with_drain();
    assert_eq!(q.waiting_len(), 1, "the loop has not woken up yet");
    assert!(!q.drained());
    clock.step(SEC);
    assert_eq!(q.advance(), 0);
    assert_eq!(q.waiting_len(), 0);
    assert_eq!(q.len(), 0);
    q.done(&bar);
    assert!(q.drained());
}

/// A plain `add` does not cancel a waiting entry: the item runs twice
/// (kubernetes/kubernetes#112325).
#[test]
fn test_add_does_not_cancel_waiting_entry() {
    let (clock, mut q) = new_queue();
    q.add_after("foo", SEC);
    q.add("foo");
    assert_eq!(q.get(), Some("foo"));
    q.done(&"foo");
    assert_eq!(q.waiting_len(), 1);
    clock.step(SEC);
    assert_eq!(q.get(), Some("foo"), "processed again when the entry fires");
}

/// De-dup holds only while the key waits: once released, a new request
/// creates a fresh entry.
#[test]
fn test_dedup_only_while_waiting() {
    let (clock, mut q) = new_queue();
    q.add_after("foo", 10 * MS);
    clock.step(10 * MS);
    assert_eq!(q.advance(), 1);
    q.add_after("foo", 10 * MS);
    assert_eq!(q.waiting(), vec![(&"foo", T0 + 20 * MS)]);
}

/// Entries due at the same instant come out in client-go's heap order, not
/// arrival order: pushes c, a, b at one ready time leave the heap as
/// [c, a, b]; the first pop moves b to the root (a is not strictly earlier,
/// so b stays), the second pop moves a there. So c, b, a (the Go oracle,
/// `tests/oracle_replay.rs`, checks the same on real client-go).
#[test]
fn test_ties_release_in_go_heap_order() {
    let (clock, mut q) = new_queue();
    for k in ["c", "a", "b"] {
        q.add_after(k, 5 * MS);
    }
    let listed: Vec<&str> = q.waiting().into_iter().map(|(k, _)| *k).collect();
    assert_eq!(listed, vec!["c", "b", "a"]);
    clock.step(5 * MS);
    q.advance();
    assert_eq!(q.fifo().copied().collect::<Vec<_>>(), vec!["c", "b", "a"]);
}
