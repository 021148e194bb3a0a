//! Port of client-go `util/workqueue/queue_test.go` (spec §9.1), same values
//! and steps. Go's goroutines become deterministic interleavings driven by a
//! seeded scheduler; "blocks" become `get() == None` plus `shutting_down()`,
//! and a blocked `ShutDownWithDrain` becomes `drained() == false`.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::rc::{Rc, Weak};

use workqueue_playground::workqueue::{FakeClock, ItemState, Queue, Time};

/// splitmix64: a seeded, portable scheduler for the interleavings.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

fn new_queue<T: Eq + Hash + Clone>() -> Queue<T> {
    Queue::new(FakeClock::new(Time::ZERO))
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Item {
    Num(u32),
    AddedAfterShutdown,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shutdown {
    Plain,
    WithDrain,
}

fn shut(q: &mut Queue<Item>, how: Shutdown) {
    match how {
        Shutdown::Plain => q.shut_down(),
        Shutdown::WithDrain => q.shut_down_with_drain(),
    }
}

/// A consumer goroutine: idle, or holding an item for a few more steps
/// (Go's 3 ms sleep before `Done`).
enum Consumer {
    Idle,
    Holding(Item, u32),
    Quit,
}

/// One step of consumer `c`; returns false if it only observed "would block".
fn step_consumer(q: &mut Queue<Item>, c: &mut Consumer, hold: u32) {
    match c {
        Consumer::Quit => {}
        Consumer::Holding(item, left) => {
            if *left == 0 {
                q.done(item);
                *c = Consumer::Idle;
            } else {
                *left -= 1;
            }
        }
        Consumer::Idle => match q.get() {
            Some(Item::AddedAfterShutdown) => panic!("got an item added after shutdown"),
            Some(item) => *c = Consumer::Holding(item, hold),
            None if q.shutting_down() => *c = Consumer::Quit,
            None => {}
        },
    }
}

fn run_basic(how: Shutdown, seed: u64) {
    let mut q = new_queue::<Item>();
    let mut rng = Rng(seed);
    let producers = 50u32;
    let mut sent = vec![0u32; producers as usize];
    let mut consumers: Vec<Consumer> = (0..10).map(|_| Consumer::Idle).collect();
    let mut handed_out = 0u32;
    // Producers and consumers interleave until every producer has added 50.
    while sent.iter().any(|&n| n < 50) {
        let pick = rng.below(producers as usize + consumers.len());
        if pick < producers as usize {
            if sent[pick] < 50 {
                q.add(Item::Num(pick as u32));
                sent[pick] += 1;
            }
        } else {
            let before = q.processing_len();
            step_consumer(&mut q, &mut consumers[pick - producers as usize], 3);
            handed_out += u32::from(q.processing_len() > before);
        }
    }
    shut(&mut q, how);
    // ShutDownWithDrain blocks the main goroutine until processing is empty.
    while !q.drained() {
        let c = rng.below(consumers.len());
        step_consumer(&mut q, &mut consumers[c], 3);
    }
    q.add(Item::AddedAfterShutdown);
    while consumers.iter().any(|c| !matches!(c, Consumer::Quit)) {
        let c = rng.below(consumers.len());
        step_consumer(&mut q, &mut consumers[c], 3);
    }
    assert_eq!(q.len(), 0);
    assert!(
        handed_out >= producers,
        "every producer's key was processed"
    );
    assert_eq!(q.processing_len(), 0);
}

#[test]
fn test_basic() {
    for seed in 0..20 {
        run_basic(Shutdown::Plain, seed);
        run_basic(Shutdown::WithDrain, seed);
    }
}

fn run_add_while_processing(how: Shutdown, seed: u64) {
    let mut q = new_queue::<Item>();
    let mut rng = Rng(seed);
    let mut next_producer = 0u32;
    // Each consumer keeps a private counters map, as in Go.
    let mut counters: Vec<HashMap<Item, u32>> = vec![HashMap::new(); 10];
    let mut quit = [false; 10];
    let mut processed: HashMap<Item, u32> = HashMap::new();
    let mut readded: HashMap<Item, u32> = HashMap::new();
    let mut consume = |q: &mut Queue<Item>,
                       counters: &mut HashMap<Item, u32>,
                       quit: &mut bool,
                       processed: &mut HashMap<Item, u32>| {
        if *quit {
            return;
        }
        match q.get() {
            Some(item) => {
                let n = counters.entry(item.clone()).or_insert(0);
                *n += 1;
                *processed.entry(item.clone()).or_insert(0) += 1;
                if *n < 2 {
                    let accepted = !q.shutting_down();
                    q.add(item.clone());
                    let want = if accepted {
                        ItemState::ProcessingDirty
                    } else {
                        ItemState::Processing
                    };
                    assert_eq!(q.state_of(&item), Some(want));
                    if accepted {
                        *readded.entry(item.clone()).or_insert(0) += 1;
                    }
                }
                q.done(&item);
            }
            None if q.shutting_down() => *quit = true,
            None => {}
        }
    };
    while next_producer < 50 {
        let pick = rng.below(60);
        if pick < 50 {
            q.add(Item::Num(next_producer));
            next_producer += 1;
        } else {
            let c = pick - 50;
            consume(&mut q, &mut counters[c], &mut quit[c], &mut processed);
        }
    }
    shut(&mut q, how);
    while quit.iter().any(|&x| !x) {
        let c = rng.below(10);
        consume(&mut q, &mut counters[c], &mut quit[c], &mut processed);
    }
    assert_eq!(q.len(), 0);
    // Every key was processed, and every re-add accepted while the key was
    // processing (before shutdown) led to one more processing after Done.
    assert_eq!(processed.len(), 50);
    for (item, n) in &readded {
        assert_eq!(processed.get(item), Some(&(n + 1)), "{item:?}");
    }
    assert!(!readded.is_empty());
}

#[test]
fn test_add_while_processing() {
    for seed in 0..20 {
        run_add_while_processing(Shutdown::Plain, seed);
        run_add_while_processing(Shutdown::WithDrain, seed);
    }
}

#[test]
fn test_len() {
    let mut q = new_queue::<&str>();
    q.add("foo");
    assert_eq!(q.len(), 1);
    q.add("bar");
    assert_eq!(q.len(), 2);
    q.add("foo"); // should not increase the queue length.
    assert_eq!(q.len(), 2);
}

#[test]
fn test_reinsert() {
    let mut q = new_queue::<&str>();
    q.add("foo");
    // Start processing
    let i = q.get();
    assert_eq!(i, Some("foo"));
    // Add it back while processing
    q.add("foo");
    // Finish it up
    q.done(&"foo");
    // It should be back on the queue
    assert_eq!(q.get(), Some("foo"));
    // Finish that one up
    q.done(&"foo");
    assert_eq!(q.len(), 0);
}

/// Go's `traceQueue`: records every storage `Touch`.
fn traced<T: Eq + Hash + Clone + 'static>() -> (Queue<T>, Rc<RefCell<HashSet<T>>>) {
    let mut q = new_queue::<T>();
    let touched = Rc::new(RefCell::new(HashSet::new()));
    let sink = Rc::clone(&touched);
    q.on_touch(move |item: &T| {
        sink.borrow_mut().insert(item.clone());
    });
    (q, touched)
}

#[test]
fn test_collapse() {
    let (mut q, touched) = traced::<&str>();
    // Add a new one twice
    q.add("bar");
    q.add("bar");
    // It should get the new one
    assert_eq!(q.get(), Some("bar"));
    // Finish that one up
    q.done(&"bar");
    // There should be no more objects in the queue
    assert_eq!(q.len(), 0);
    assert!(touched.borrow().contains("bar"));
}

#[test]
fn test_collapse_while_processing() {
    let (mut q, touched) = traced::<&str>();
    q.add("foo");
    // Start processing
    assert_eq!(q.get(), Some("foo"));
    // Add the same one twice
    q.add("foo");
    q.add("foo");
    // The second worker's Get blocks until the first Done: nothing to hand out.
    assert_eq!(q.get(), None);
    assert!(!q.shutting_down());
    // Finish the first one up
    q.done(&"foo");
    // The waiting worker now gets it
    assert_eq!(q.get(), Some("foo"));
    q.done(&"foo");
    assert_eq!(q.len(), 0);
    assert!(!touched.borrow().contains("foo"));
}

#[test]
fn test_queue_drainage_using_shut_down_with_drain() {
    let mut q = new_queue::<&str>();
    q.add("foo");
    q.add("bar");
    let first = q.get().expect("foo queued");
    let second = q.get().expect("bar queued");
    // The goroutine calling ShutDownWithDrain starts blocking.
    q.shut_down_with_drain();
    // This is done as to simulate a sequence of events where ShutDownWithDrain
    // is called before we start marking all items as done.
    loop {
        if q.get().is_none() && q.shutting_down() {
            break;
        }
    }
    assert!(!q.drained());
    q.done(&first);
    assert!(!q.drained());
    q.done(&second);
    assert!(
        q.drained(),
        "ShutDownWithDrain returns once processing is empty"
    );
}

#[test]
fn test_no_queue_drainage_using_shut_down() {
    let mut q = new_queue::<&str>();
    q.add("foo");
    q.add("bar");
    q.get();
    q.get();
    // ShutDown returns at once, although nothing was marked done.
    q.shut_down();
    assert!(q.drained());
    assert_eq!(q.processing_len(), 2);
}

#[test]
fn test_force_queue_shutdown_using_shut_down() {
    let mut q = new_queue::<&str>();
    q.add("foo");
    q.add("bar");
    q.get();
    q.get();
    q.shut_down_with_drain();
    loop {
        if q.get().is_none() && q.shutting_down() {
            break;
        }
    }
    assert!(!q.drained());
    // Force a shutdown: the drain waiter is released without any Done.
    q.shut_down();
    assert!(q.drained());
}

#[test]
fn test_queue_drainage_using_shut_down_with_drain_with_dirty_item() {
    let mut q = new_queue::<&str>();
    q.add("foo");
    let gotten = q.get().expect("foo queued");
    q.add("foo");
    q.shut_down_with_drain();
    // Ensure that ShutDownWithDrain has started and is blocked.
    loop {
        if q.get().is_none() && q.shutting_down() {
            break;
        }
    }
    assert!(!q.drained());
    // Finish "working". Done re-queues the dirty foo and signals the blocked
    // drain, which finds nothing processing and returns: it waits for
    // in-flight items only, not for queued ones (the oracle checks this
    // on real client-go).
    q.done(&gotten);
    assert!(q.drained());
    // `shuttingDown` is not set, as Go's Get returns ("foo", false).
    let again = q.get();
    assert_eq!(
        again,
        Some("foo"),
        "dirty item added before shutdown is re-queued"
    );
    assert!(q.drained(), "a returned drain stays returned");
    q.done(&"foo");
    // Get would now return shutdown == true.
    assert_eq!(q.get(), None);
    assert!(q.shutting_down());
    assert!(q.drained());
}

/// `*bigObject` as a key: compared and hashed by pointer, like Go's `any`.
#[derive(Clone)]
struct Big(Rc<[u8; 1 << 16]>);

impl PartialEq for Big {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
impl Eq for Big {}
impl Hash for Big {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(Rc::as_ptr(&self.0), state);
    }
}

#[test]
fn test_garbage_collection() {
    let mut q = new_queue::<Big>();
    let leak: Weak<[u8; 1 << 16]>;
    {
        let obj = Big(Rc::new([0u8; 1 << 16]));
        leak = Rc::downgrade(&obj.0);
        q.add(obj);
        let got = q.get().expect("queued");
        q.done(&got);
    }
    // Go waits for the finalizer; in Rust the queue must simply hold no
    // strong reference once the item is done.
    assert!(leak.upgrade().is_none(), "queue retained the item");
}

// Gap from spec §9: spurious Done (virtual-kubelet PR #937).
#[test]
fn test_spurious_done_pushes_duplicate() {
    let mut q = new_queue::<&str>();
    q.add("x");
    q.done(&"x");
    assert_eq!(q.len(), 2);
    assert_eq!(q.fifo().copied().collect::<Vec<_>>(), vec!["x", "x"]);
    assert_eq!(q.get(), Some("x"));
    assert_eq!(
        q.get(),
        Some("x"),
        "the duplicate is handed out while its twin is processing"
    );
    assert_eq!(q.processing_len(), 1);
    q.done(&"x");
    assert_eq!(q.state_of(&"x"), None);
    assert_eq!(
        q.metrics().depth,
        -1,
        "the duplicate's get drove depth below zero"
    );
}
