//! controller-runtime's `pkg/controller/priorityqueue/priorityqueue_test.go`
//! (v0.25.3) ported with its values, each Go test named in a comment.
//!
//! How the Go tests' concurrency maps here (see the `priority` module docs):
//! - a goroutine blocked in `GetWithPriority` is a `get()` that returns
//!   `None`; "the waiter received the item" is a later `get()` returning it
//!   right after the operation that made it ready (the port hands out
//!   nothing without a `get`, so a Go waiter's immediate receipt and the
//!   owner's next `get` observe the same item);
//! - `forwardQueueTimeBy(d)` (advance `now`, fire `tick`) + `synctest.Wait()`
//!   is `clock.step(d)` + `advance()`;
//! - the fake metrics provider's `depth["test"]` map is
//!   [`depth`] of the snapshot (series that exist, zeros included).

use std::collections::BTreeMap;
use std::time::Duration;

use workqueue_playground::workqueue::priority::{AddOpts, DepthLabel, PriorityQueue};
use workqueue_playground::workqueue::{
    FakeClock, ItemExponentialFailureRateLimiter, RateLimiter, Time,
};

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// Go's `newQueue()`: the default limiter, a fake clock at a whole second
/// (as `newQueueWithTimeForwarder` rounds `time.Now()`).
fn new_queue() -> (FakeClock, PriorityQueue<String>) {
    let clock = FakeClock::new(Time::from_nanos(1_700_000_000_000_000_000));
    (clock.clone(), PriorityQueue::new(clock))
}

/// `metrics.depth["test"]` as the Go tests write it: priority → gauge.
fn depth(q: &PriorityQueue<String>) -> BTreeMap<i64, i64> {
    q.metrics()
        .depth
        .into_iter()
        .map(|(label, v)| match label {
            DepthLabel::Priority(p) => (p, v),
            DepthLabel::CardinalityExceeded => panic!("no test uses 26 priorities"),
        })
        .collect()
}

fn map(pairs: &[(i64, i64)]) -> BTreeMap<i64, i64> {
    pairs.iter().copied().collect()
}

fn s(x: &str) -> String {
    x.to_owned()
}

fn add(q: &mut PriorityQueue<String>, opts: AddOpts, item: &str) {
    q.add_with_opts(opts, [s(item)]);
}

fn plain() -> AddOpts {
    AddOpts::new()
}

// It("returns an item")
#[test]
fn returns_an_item() {
    let (_, mut q) = new_queue();
    add(&mut q, plain(), "foo");
    assert_eq!(q.get_with_priority().map(|x| x.0), Some(s("foo")));
    assert_eq!(depth(&q), map(&[(0, 0)]));
    let m = q.metrics();
    assert_eq!((m.adds_total, m.retries_total), (1, 0));
}

// It("returns items in order")
#[test]
fn returns_items_in_order() {
    let (_, mut q) = new_queue();
    add(&mut q, plain(), "foo");
    add(&mut q, plain(), "bar");
    assert_eq!(q.get(), Some(s("foo")));
    assert_eq!(q.get(), Some(s("bar")));
    assert_eq!(depth(&q), map(&[(0, 0)]));
    assert_eq!(q.metrics().adds_total, 2);
}

// It("doesn't return an item that is currently locked")
#[test]
fn does_not_return_a_locked_item() {
    let (_, mut q) = new_queue();
    add(&mut q, plain(), "foo");
    assert_eq!(q.get(), Some(s("foo")));
    add(&mut q, plain(), "foo");
    add(&mut q, plain(), "bar");
    assert_eq!(q.get(), Some(s("bar")));
    assert_eq!(depth(&q), map(&[(0, 1)]));
    assert_eq!(q.metrics().adds_total, 3);
}

// It("returns an item as soon as its unlocked")
#[test]
fn returns_an_item_as_soon_as_it_is_unlocked() {
    let (_, mut q) = new_queue();
    add(&mut q, plain(), "foo");
    assert_eq!(q.get(), Some(s("foo")));
    add(&mut q, plain(), "foo");
    add(&mut q, plain(), "bar");
    assert_eq!(q.get(), Some(s("bar")));
    add(&mut q, plain(), "baz");
    q.done(&s("foo"));
    assert_eq!(q.get(), Some(s("foo")));
    assert_eq!(depth(&q), map(&[(0, 1)]));
    assert_eq!(q.metrics().adds_total, 4);
}

// It("de-duplicates items")
#[test]
fn de_duplicates_items() {
    let (_, mut q) = new_queue();
    add(&mut q, plain(), "foo");
    add(&mut q, plain(), "foo");
    assert_eq!(q.len(), 1);
    assert_eq!(q.processing_len(), 0);
    assert_eq!(depth(&q), map(&[(0, 1)]));
    assert_eq!(q.metrics().adds_total, 1);
}

// It("enqueues a locked item")
#[test]
fn enqueues_a_locked_item() {
    let (_, mut q) = new_queue();
    add(&mut q, plain(), "foo");
    assert_eq!(q.len(), 1);
    assert_eq!(q.get_with_priority(), Some((s("foo"), 0)));
    assert!(!q.shutting_down());
    add(&mut q, plain(), "foo");
    assert_eq!(q.len(), 1);
    q.done(&s("foo"));
    assert_eq!(q.get_with_priority(), Some((s("foo"), 0)));
    assert!(!q.shutting_down());
    assert_eq!(depth(&q), map(&[(0, 0)]));
    assert_eq!(q.metrics().adds_total, 2);
}

// It("retains the highest priority")
#[test]
fn retains_the_highest_priority() {
    let (_, mut q) = new_queue();
    add(&mut q, plain().priority(1), "foo");
    add(&mut q, plain().priority(2), "foo");
    assert_eq!(q.get_with_priority(), Some((s("foo"), 2)));
    assert_eq!(q.len(), 0);
    assert_eq!(depth(&q), map(&[(1, 0), (2, 0)]));
    assert_eq!(q.metrics().adds_total, 1);
}

// It("will not decrease the priority")
#[test]
fn will_not_decrease_the_priority() {
    let (_, mut q) = new_queue();
    add(&mut q, plain().priority(2), "foo");
    add(&mut q, plain().priority(1), "foo");
    assert_eq!(q.get_with_priority(), Some((s("foo"), 2)));
    assert_eq!(q.len(), 0);
    assert_eq!(depth(&q), map(&[(2, 0)]));
    assert_eq!(q.metrics().adds_total, 1);
}

// It("gets pushed to the front if the priority increases")
#[test]
fn gets_pushed_to_the_front_if_the_priority_increases() {
    let (_, mut q) = new_queue();
    add(&mut q, plain(), "foo");
    add(&mut q, plain(), "bar");
    add(&mut q, plain(), "baz");
    add(&mut q, plain().priority(1), "baz");
    assert_eq!(q.get_with_priority(), Some((s("baz"), 1)));
    assert_eq!(q.len(), 2);
    assert_eq!(depth(&q), map(&[(0, 2), (1, 0)]));
    assert_eq!(q.metrics().adds_total, 3);
}

// It("retains the lowest after duration")
#[test]
fn retains_the_lowest_after_duration() {
    let (_, mut q) = new_queue();
    add(&mut q, plain().after(Duration::ZERO), "foo");
    add(&mut q, plain().after(HOUR), "foo");
    assert_eq!(q.get_with_priority(), Some((s("foo"), 0)));
    assert_eq!(q.len(), 0);
    assert_eq!(depth(&q), map(&[(0, 0)]));
    assert_eq!(q.metrics().adds_total, 1);
}

// It("doesn't include non-ready items in Len()")
#[test]
fn does_not_include_non_ready_items_in_len() {
    let (_, mut q) = new_queue();
    add(&mut q, plain().after(MINUTE), "foo");
    add(&mut q, plain(), "baz");
    add(&mut q, plain().after(MINUTE), "bar");
    add(&mut q, plain(), "bal");
    assert_eq!(q.len(), 2);
    assert_eq!(depth(&q), map(&[(0, 2)]));
}

// It("Get from priority queue might get stuck when the priority queue is shut down")
#[test]
fn get_does_not_get_stuck_after_shutdown() {
    let (_, mut q) = new_queue();
    q.add(s("baz"));
    q.shut_down();
    add(&mut q, plain().after(SECOND), "foo");
    // Go: ("", 0, true) twice.
    assert_eq!(q.get_with_priority(), None);
    assert!(q.shutting_down());
    assert_eq!(q.get_with_priority(), None);
    assert!(q.shutting_down());
    // The ready "baz" is stranded: never handed out, still in Len.
    assert_eq!(q.len(), 1);
    assert_eq!(q.waiting_len(), 0);
}

/// xorshift64*, for the Go tests that use math/rand.
struct Rng(u64);

impl Rng {
    fn n(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound
    }
}

// It("returns many items"): Go drains 20 × 1000 adds with 100 goroutines
// (a panic regression of deleting inside Ascend). Here the consumers are
// sequential gets, and the clock moves to the next ready time whenever
// nothing is ready (Go's consumers waited in real time for the < 10 ms
// delays).
#[test]
fn returns_many_items() {
    let (clock, mut q) = new_queue();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20 {
        for i in 0..1000 {
            let rn = rng.n(100);
            let opts = if rn < 10 {
                plain().after(Duration::from_millis(rn))
            } else {
                plain().priority(rn as i64)
            };
            add(&mut q, opts, &format!("foo{i}"));
        }
        let mut got = 0;
        while got < 1000 {
            match q.get() {
                Some(item) => {
                    q.done(&item);
                    got += 1;
                }
                None => {
                    let next = q.next_ready_at().expect("items still waiting");
                    clock.set(next);
                    q.advance();
                }
            }
        }
        assert_eq!((q.len(), q.waiting_len(), q.processing_len()), (0, 0, 0));
    }
}

// It("updates metrics correctly for an item that gets initially added with
// after and then without")
#[test]
fn metrics_for_an_item_added_with_after_then_without() {
    let (_, mut q) = new_queue();
    add(&mut q, plain().after(HOUR), "foo");
    assert_eq!(q.len(), 0);
    assert_eq!(depth(&q), map(&[]));
    add(&mut q, plain(), "foo");
    assert_eq!(q.len(), 1);
    assert_eq!(depth(&q), map(&[(0, 1)]));
    assert_eq!(q.get(), Some(s("foo")));
    assert_eq!(q.len(), 0);
    assert_eq!(depth(&q), map(&[(0, 0)]));
}

// It("updates metrics correctly when an item with after is re-added with
// higher priority and no after")
#[test]
fn metrics_for_a_waiting_item_readded_with_higher_priority() {
    let (_, mut q) = new_queue();
    add(&mut q, plain().after(HOUR).priority(0), "foo");
    assert_eq!(q.len(), 0);
    assert_eq!(depth(&q), map(&[]));
    add(&mut q, plain().priority(1), "foo");
    assert_eq!(q.len(), 1);
    assert_eq!(depth(&q), map(&[(1, 1)]));
    assert_eq!(q.get_with_priority(), Some((s("foo"), 1)));
    assert_eq!(q.len(), 0);
    assert_eq!(depth(&q)[&1], 0);
    assert!(depth(&q).values().all(|&d| d == 0));
}

// It("follows FIFO order in the new priority queue when item priority changes")
#[test]
fn fifo_within_the_new_priority() {
    let (_, mut q) = new_queue();
    add(&mut q, plain().priority(0), "foo");
    add(&mut q, plain().priority(1), "bar");
    add(&mut q, plain().priority(1), "foo");
    assert_eq!(q.len(), 2);
    assert_eq!(q.get_with_priority(), Some((s("bar"), 1)));
    assert_eq!(q.len(), 1);
    assert_eq!(q.get_with_priority(), Some((s("foo"), 1)));
    assert_eq!(q.len(), 0);
}

// TestFuzzPriorityQueue: 10 producers × 1000 fuzzed adds (After > 100 ms
// capped to 10 ms, RateLimited off) and 100 consumers; invariants: the
// priority handed out is the max of the priorities added since the item was
// last handed out, no item is handed out twice at once, no depth series is
// negative. Here one seeded interleaving of the same operations, the clock
// moving when nothing is ready.
#[test]
fn fuzz_priority_queue_invariants() {
    let (clock, mut q) = new_queue();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut in_queue: BTreeMap<String, i64> = BTreeMap::new();
    let mut handed_out: Vec<String> = Vec::new();
    let mut adds_left = 10_000;
    while adds_left > 0 || !in_queue.is_empty() {
        match rng.n(10) {
            0..=4 if adds_left > 0 => {
                adds_left -= 1;
                let item = format!("item-{}", rng.n(300));
                let mut opts = AddOpts::new();
                // Fuzzed After: negative, zero or positive; > 100 ms → 10 ms.
                let after = rng.n(300) as i64 * 1_000_000 - 50_000_000;
                opts = opts.after_nanos(if after > 100_000_000 {
                    10_000_000
                } else {
                    after
                });
                if rng.n(2) == 0 {
                    opts = opts.priority(rng.n(20) as i64 - 10);
                }
                q.add_with_opts(opts, [item.clone()]);
                let p = opts.priority.unwrap_or(0);
                let e = in_queue.entry(item).or_insert(p);
                *e = (*e).max(p);
            }
            5..=7 => match q.get_with_priority() {
                Some((item, priority)) => {
                    assert_eq!(in_queue.remove(&item), Some(priority), "{item}");
                    assert!(!handed_out.contains(&item), "{item} handed out twice");
                    assert!(depth(&q).values().all(|&d| d >= 0));
                    handed_out.push(item);
                }
                None => {
                    if let Some(next) = q.next_ready_at() {
                        clock.set(next);
                        q.advance();
                    }
                }
            },
            _ => {
                if !handed_out.is_empty() {
                    let i = rng.n(handed_out.len() as u64) as usize;
                    let item = handed_out.swap_remove(i);
                    q.done(&item);
                }
            }
        }
    }
    assert!(q.metrics().adds_total >= 300);
}

// TestHighPriorityItemsAreReturnedBeforeLowPriorityItemMultipleTimes
// (after ∈ {-1s, 0, 1s})
#[test]
fn high_priority_items_are_returned_before_low_priority_items() {
    for after in [-1_000_000_000i64, 0, 1_000_000_000] {
        let (clock, mut q) = new_queue();
        const PER: usize = 1000;
        let prios = [
            ("high", 10),
            ("upperMiddle", 5),
            ("middle", 0),
            ("lowMiddle", -5),
            ("low", -10),
        ];
        for i in 0..PER {
            for (name, p) in prios {
                add(
                    &mut q,
                    plain().priority(p).after_nanos(after),
                    &format!("{name}-{i}"),
                );
            }
        }
        if after > 0 {
            clock.step(Duration::from_nanos(after as u64));
            q.advance();
        }
        for (name, p) in prios {
            for i in 0..PER {
                assert_eq!(
                    q.get_with_priority(),
                    Some((format!("{name}-{i}"), p)),
                    "after={after}"
                );
            }
        }
        assert_eq!(
            depth(&q),
            map(&[(-10, 0), (-5, 0), (0, 0), (5, 0), (10, 0)])
        );
        let m = q.metrics();
        assert_eq!(m.adds_total, 5 * PER as u64);
        assert_eq!(m.retries_total, if after > 0 { 5 * PER as u64 } else { 0 });
    }
}

// newQueue's btreeInteractionValidator (no insert of an existing tree item,
// no delete of a missing one) is a debug assertion in the port's entry
// store; its tick validator (`tick` always gets a positive duration) is
// this: after any operation the next ready time lies in the future.
#[test]
fn next_ready_time_is_always_in_the_future() {
    let (clock, mut q) = new_queue();
    add(&mut q, plain().after(MS), "a");
    add(&mut q, plain().after(2 * MS), "b");
    clock.step(MS);
    q.advance();
    assert!(q.next_ready_at().expect("b waits") > clock_now(&clock));
    clock.step(MS);
    q.advance();
    assert_eq!(q.next_ready_at(), None);
}

fn clock_now(clock: &FakeClock) -> Time {
    use workqueue_playground::workqueue::Clock;
    clock.now()
}

// TestItemIsOnlyReturnedAfterAfterHasPassed
#[test]
fn item_is_only_returned_after_after_has_passed() {
    let (clock, mut q) = new_queue();
    assert_eq!(q.get(), None); // the waiter blocks
    add(&mut q, plain().after(SECOND), "foo");
    // Go's tick is asked for exactly 1 s.
    assert_eq!(q.next_ready_at(), Some(clock_now(&clock) + SECOND));
    assert_eq!(q.get(), None);
    clock.step(SECOND);
    q.advance();
    assert_eq!(q.get(), Some(s("foo")));
    assert_eq!(depth(&q), map(&[(0, 0)]));
    let m = q.metrics();
    assert_eq!((m.adds_total, m.retries_total), (1, 1));
}

// TestHighPriorityItemThatBecameReadyIsReturnedBeforeLowPriorityItem
#[test]
fn high_priority_item_that_became_ready_is_returned_first() {
    let (clock, mut q) = new_queue();
    add(&mut q, plain().priority(-100), "foo");
    add(&mut q, plain().after(SECOND).priority(0), "prio");
    assert_eq!(q.next_ready_at(), Some(clock_now(&clock) + SECOND));
    clock.step(SECOND);
    q.advance();
    assert_eq!(q.get_with_priority(), Some((s("prio"), 0)));
    assert_eq!(depth(&q), map(&[(-100, 1), (0, 0)]));
    let m = q.metrics();
    assert_eq!((m.adds_total, m.retries_total), (2, 1));
}

// TestItemIsReturnedAsSoonAsPossible
#[test]
fn item_is_returned_as_soon_as_possible() {
    let (_, mut q) = new_queue();
    assert_eq!(q.get(), None); // the waiter blocks
    add(&mut q, plain(), "foo");
    assert!(q.has_ready());
    assert_eq!(q.get(), Some(s("foo")));
    assert_eq!(depth(&q), map(&[(0, 0)]));
    assert_eq!(q.metrics().adds_total, 1);
}

// TestWaitingItemIsReturnedRightAfterReadWithoutAfter
#[test]
fn waiting_item_is_returned_right_after_a_readd_without_after() {
    let (_, mut q) = new_queue();
    assert_eq!(q.get(), None);
    add(&mut q, plain().after(MINUTE), "foo");
    assert_eq!(q.get(), None);
    add(&mut q, plain(), "foo");
    assert_eq!(q.get(), Some(s("foo")));
    assert_eq!(depth(&q), map(&[(0, 0)]));
    assert_eq!(q.metrics().adds_total, 1);
}

// TestMultipleItemsWithAfterAreReturnedInCorrectOrder
#[test]
fn multiple_items_with_after_are_returned_in_order() {
    let (clock, mut q) = new_queue();
    add(&mut q, plain().after(SECOND), "foo");
    add(&mut q, plain().after(200 * MS), "bar");
    // Go's tick: 200 ms or 1 s depending on lock order; here the earliest.
    assert_eq!(q.next_ready_at(), Some(clock_now(&clock) + 200 * MS));
    assert_eq!(q.get(), None);
    clock.step(SECOND);
    q.advance();
    assert_eq!(q.get(), Some(s("bar")));
    assert_eq!(q.get(), Some(s("foo")));
    assert_eq!(depth(&q), map(&[(0, 0)]));
    assert_eq!(q.metrics().adds_total, 2);
}

// TestGetFromPriorityQueueIsUnblockedOnShutdown
#[test]
fn get_is_unblocked_on_shutdown() {
    let (_, mut q) = new_queue();
    assert_eq!(q.get_with_priority(), None); // blocks in Go
    assert!(!q.shutting_down());
    q.shut_down();
    // Go: the blocked Get returns ("", 0, true).
    assert_eq!(q.get_with_priority(), None);
    assert!(q.shutting_down());
}

// TestItemsAreInludedInLenAndMetricsOnceTheyAreReady
#[test]
fn items_are_in_len_and_metrics_once_ready() {
    let (clock, mut q) = new_queue();
    let round = |q: &mut PriorityQueue<String>| {
        add(q, plain().after(500 * MS), "foo");
        add(q, plain(), "baz");
        add(q, plain().after(500 * MS), "bar");
        add(q, plain(), "bal");
        assert_eq!(q.len(), 2);
        assert_eq!(depth(q), map(&[(0, 2)]));
        clock.step(SECOND);
        q.advance();
        assert_eq!(q.len(), 4);
        assert_eq!(depth(q), map(&[(0, 4)]));
    };
    round(&mut q);
    // Drain the queue.
    for _ in 0..4 {
        let item = q.get().expect("ready");
        q.done(&item);
    }
    assert_eq!(q.len(), 0);
    assert_eq!(depth(&q), map(&[(0, 0)]));
    // Again, to notice bugs in the became-ready tracking.
    round(&mut q);
}

// TestMetricsAreUpdatedForItemWhoseRequeueAfterExpiredThatGetsAddedAgainWithoutRequeueAfter
#[test]
fn metrics_for_an_expired_item_readded_without_after() {
    let (clock, mut q) = new_queue();
    add(&mut q, plain().after(50 * MS), "foo");
    clock.step(50 * MS);
    q.advance();
    assert_eq!(q.len(), 1);
    assert_eq!(depth(&q), map(&[(0, 1)]));
    add(&mut q, plain(), "foo");
    assert_eq!(q.len(), 1);
    assert_eq!(depth(&q), map(&[(0, 1)]));
    assert_eq!(q.get(), Some(s("foo")));
    assert_eq!(q.len(), 0);
    assert_eq!(depth(&q), map(&[(0, 0)]));
}

// TestWhenAddingMultipleItemsWithRatelimitTrueTheyDontAffectEachOther
#[test]
fn rate_limited_items_in_one_add_do_not_affect_each_other() {
    let clock = FakeClock::new(Time::from_nanos(1_700_000_000_000_000_000));
    let mut limiter = ItemExponentialFailureRateLimiter::new(5 * MS, Duration::from_secs(1000));
    // After 7 calls, the next When("bar") returns 640 ms.
    for _ in 0..7 {
        limiter.when(&s("bar"));
    }
    let mut q = PriorityQueue::with_limiter(Box::new(limiter), clock.clone());
    q.add_with_opts(AddOpts::new().rate_limited(), [s("foo"), s("bar")]);
    assert_eq!(q.next_ready_at(), Some(clock_now(&clock) + 5 * MS));
    assert_eq!(q.get(), None);
    clock.step(5 * MS);
    q.advance();
    assert_eq!(q.get(), Some(s("foo")));
    assert_eq!(q.get(), None);
    assert_eq!(q.next_ready_at(), Some(clock_now(&clock) + 635 * MS));
    clock.step(635 * MS);
    q.advance();
    assert_eq!(q.get(), Some(s("bar")));
    assert_eq!(depth(&q), map(&[(0, 0)]));
    let m = q.metrics();
    assert_eq!((m.adds_total, m.retries_total), (2, 2));
}

// TestPriorityQueueDoesNotDeadlockOnShutdownWhileHandingOutItems: a
// shutdown racing a hand-out. The observable contract: after ShutDown
// every worker's Get returns shutdown at once. Here 50 rounds of 20
// workers alternating add (random priority) and get, then shutdown.
#[test]
fn shutdown_while_handing_out_returns_every_worker() {
    let mut rng = Rng(42);
    for _ in 0..50 {
        let (_, mut q) = new_queue();
        for _ in 0..rng.n(200) {
            add(
                &mut q,
                plain().priority(rng.n(100) as i64),
                &rng.n(1000).to_string(),
            );
            let _ = q.get_with_priority();
        }
        q.shut_down();
        for _ in 0..20 {
            add(&mut q, plain().priority(rng.n(100) as i64), "x");
            assert_eq!(q.get_with_priority(), None);
            assert!(q.shutting_down());
        }
    }
}

// TestPriorityQueueLogStateDoesNotRaceOnReadyAt: re-adding an item with a
// lower After updates its ReadyAt while logState reads it. No race is
// possible here; the observable part is the updated ready time.
#[test]
fn readding_with_a_lower_after_updates_ready_at() {
    let (clock, mut q) = new_queue();
    let start = clock_now(&clock);
    for i in 0..10u32 {
        add(&mut q, plain().after(HOUR - i * MINUTE), "foo");
        clock.step(10 * SECOND);
        let w: Vec<_> = q.waiting().map(|e| e.ready_at).collect();
        // min over adds: add i at start + 10s·i wants start + 10s·i + 60m − i·min.
        let want = (0..=i)
            .map(|j| start + (j * 10 * SECOND) + (HOUR - j * MINUTE))
            .min();
        assert_eq!(w, want.into_iter().collect::<Vec<_>>());
    }
}

// TestItemCloneCopiesAllFields / TestItemCloneDoesNotShareMemoryWithOriginal:
// Go's item.clone for logState. Entries here are plain values: a view taken
// before a change keeps its old values.
#[test]
fn entry_views_are_copies() {
    let (_, mut q) = new_queue();
    add(&mut q, plain().after(HOUR).priority(3), "foo");
    let before = q.entry(&s("foo"));
    add(&mut q, plain().after(MINUTE).priority(7), "foo");
    let after = q.entry(&s("foo"));
    assert_ne!(before, after);
    assert_eq!(before.map(|e| e.0), Some(3));
    assert_eq!(after.map(|e| e.0), Some(7));
}

// Not a Go test: the queue's own documented behaviour beyond them.

/// A spurious `done` changes nothing (client-go would push a duplicate).
#[test]
fn spurious_done_is_a_no_op() {
    let (_, mut q) = new_queue();
    add(&mut q, plain(), "a");
    q.done(&s("a"));
    q.done(&s("zzz"));
    assert_eq!(q.len(), 1);
    assert_eq!(q.metrics().work_duration.count, 0);
}

/// Negative After with RateLimited: `when` runs (count grows) but the
/// negative After wins `min`, so the item is ready at once, no retry.
#[test]
fn negative_after_overrides_the_limiter() {
    let (_, mut q) = new_queue();
    add(&mut q, plain().after_nanos(-1).rate_limited(), "a");
    assert_eq!(q.num_requeues(&s("a")), 1);
    assert_eq!(q.len(), 1);
    assert_eq!(q.metrics().retries_total, 0);
    // With After 0, the limiter's delay applies.
    add(&mut q, plain().rate_limited(), "b");
    assert_eq!(q.waiting_len(), 1);
    assert_eq!(q.metrics().retries_total, 1);
}

/// The 26th distinct priority sends every later depth change, old
/// priorities included, to `exceeded_cardinality_limit`.
#[test]
fn depth_label_cardinality_cap() {
    let (_, mut q) = new_queue();
    for p in 0..25 {
        add(&mut q, plain().priority(p), &format!("k{p}"));
    }
    add(&mut q, plain().priority(100), "k100");
    assert_eq!(q.get_with_priority(), Some((s("k100"), 100)));
    let m = q.metrics();
    assert_eq!(m.depth.len(), 26);
    assert_eq!(m.depth_of(DepthLabel::CardinalityExceeded), Some(0)); // +1 then −1
    assert_eq!(q.get_with_priority(), Some((s("k24"), 24)));
    let m = q.metrics();
    assert_eq!(m.depth_of(DepthLabel::Priority(24)), Some(1), "frozen");
    assert_eq!(m.depth_of(DepthLabel::CardinalityExceeded), Some(-1));
    assert_eq!(q.metrics().depth_total(), 24);
}

/// Latency runs from becoming ready (not from the add) to the hand-out;
/// work duration from the hand-out to `done`.
#[test]
fn latency_and_work_duration_on_the_virtual_clock() {
    let (clock, mut q) = new_queue();
    add(&mut q, plain().after(SECOND), "a");
    clock.step(SECOND);
    q.advance();
    clock.step(250 * MS);
    assert_eq!(q.get(), Some(s("a")));
    clock.step(2 * SECOND);
    let m = q.metrics();
    assert_eq!(m.queue_latency.last, Some(0.25));
    assert_eq!(m.unfinished_work_seconds, 2.0);
    q.done(&s("a"));
    assert_eq!(q.metrics().work_duration.last, Some(2.0));
    assert_eq!(q.metrics().unfinished_work_seconds, 0.0);
}

/// A waiting item promoted by a plain add keeps the counter it got when it
/// was first added (Go's update path copies `AddedCounter` and bumps it
/// only on a priority rise), so it is handed out *before* items that were
/// added ready after it; an item whose delay expires gets a new counter
/// and goes behind them.
#[test]
fn a_promoted_waiting_item_keeps_its_place() {
    let (clock, mut q) = new_queue();
    add(&mut q, plain().after(HOUR), "early");
    add(&mut q, plain(), "ready");
    add(&mut q, plain(), "early");
    assert_eq!(q.get(), Some(s("early")));
    assert_eq!(q.get(), Some(s("ready")));

    let (_, mut q2) = (clock.clone(), PriorityQueue::new(clock.clone()));
    add(&mut q2, plain().after(SECOND), "early");
    add(&mut q2, plain(), "ready");
    clock.step(SECOND);
    q2.advance();
    assert_eq!(q2.get(), Some(s("ready")));
    assert_eq!(q2.get(), Some(s("early")));
}
