//! View models: the plain, comparable data each component renders. Built from the sim once per
//! frame by `snapshot`, so components stay small, take props and never reach into the sim.

use std::rc::Rc;
use std::time::Duration;

use crate::workqueue::Time;

/// An object key as the UI holds it ("ns/name"); cheap to clone into many rows.
pub type KeyText = Rc<str>;

/// Where an item is in client-go's machinery. Each state has a text label and a shape so it
/// never depends on colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemState {
    /// In the delaying heap, waiting for its `readyAt`.
    Waiting,
    /// In the FIFO (`dirty`, not processing), ready for `Get`.
    Queued,
    /// Handed out by `Get`, not yet `Done`.
    Processing,
    /// Processing and added again meanwhile: `Done` will put it back in the queue.
    ProcessingDirty,
}

impl ItemState {
    /// The words shown beside the shape.
    pub fn label(self) -> &'static str {
        match self {
            ItemState::Waiting => "waiting",
            ItemState::Queued => "queued",
            ItemState::Processing => "processing",
            ItemState::ProcessingDirty => "processing+dirty",
        }
    }

    /// The shape that carries the state without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            ItemState::Waiting => "◷",
            ItemState::Queued => "▭",
            ItemState::Processing => "▶",
            ItemState::ProcessingDirty => "▶+",
        }
    }

    /// Which of the queue's places the row stands for: a key is in each place at most once
    /// (processing, the FIFO or ready set, the waiting heap), so the place and the key name a
    /// row for as long as it exists.
    pub fn place(self) -> &'static str {
        match self {
            ItemState::Waiting => "waiting",
            ItemState::Queued => "queued",
            ItemState::Processing | ItemState::ProcessingDirty => "processing",
        }
    }

    /// The CSS class that picks the state's palette colour.
    pub fn class(self) -> &'static str {
        match self {
            ItemState::Waiting => "st-waiting",
            ItemState::Queued => "st-queued",
            ItemState::Processing | ItemState::ProcessingDirty => "st-processing",
        }
    }
}

/// One row of the item table: a key somewhere in the queue machinery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRow {
    /// The object key.
    pub key: KeyText,
    /// Where the item is now.
    pub state: ItemState,
    /// `NumRequeues(key)`: the failures the limiter remembers for it.
    pub requeues: u64,
    /// When a waiting item becomes ready (its `readyAt`), if it is waiting.
    pub ready_at: Option<Time>,
    /// The whole delay the item was given when it entered the heap (for the countdown bar).
    pub wait: Option<Duration>,
    /// Whether the limiter's last delay for this key was its maximum (the cap).
    pub capped: bool,
    /// The entry's priority (controller-runtime's priority queue only; `None` for client-go
    /// and for items being processed).
    pub priority: Option<i64>,
}

impl ItemRow {
    /// The row's identity for the table (Yew's `key`): its place and its item key. Keyed so,
    /// a row's DOM, and a focused button in it, stays with its item as rows above it come
    /// and go, instead of being handed to whichever item takes its position.
    pub fn identity(&self) -> String {
        format!("{}:{}", self.state.place(), self.key)
    }
}

/// Whether a failures-map entry belongs to an object that still exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryStatus {
    /// The object exists in the informer's cache.
    Live,
    /// The object was deleted but its entry stays until someone calls `Forget`: the leak.
    Orphan,
}

/// One entry of the rate limiter's failures map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureRow {
    /// The object key.
    pub key: KeyText,
    /// `NumRequeues`: how many `When` calls the entry has counted.
    pub requeues: u64,
    /// The delay the latest `When` returned, if the sim knows it.
    pub last_backoff: Option<Duration>,
    /// When the item is due again, if it is waiting.
    pub next_retry: Option<Time>,
    /// Live or orphan.
    pub status: EntryStatus,
    /// Whether the last backoff reached the limiter's maximum.
    pub capped: bool,
}

/// The counters beside the failures map: the gap between them is the leak.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct MapCounters {
    /// `len(failures)`: the per-item limiter's map.
    pub entries: usize,
    /// Each map by its limiter's name, when the limiter holds more than one (a `MaxOf` of two
    /// per-item limiters); empty otherwise, where `entries` says it all.
    pub maps: Rc<Vec<(&'static str, usize)>>,
    /// Objects that exist.
    pub live_keys: usize,
    /// Keys whose latest reconcile failed.
    pub failing_keys: usize,
    /// Entries of deleted objects.
    pub orphans: usize,
}

/// One lane: a real structure and the keys in it, in its own order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    /// The structure's name ("waiting heap").
    pub title: &'static str,
    /// The client-go field or call it stands for (`q.waitingForQueue`).
    pub detail: String,
    /// How many items it holds in all.
    pub count: usize,
    /// The first few items, in the structure's order.
    pub items: Vec<LaneItem>,
}

/// One item drawn in a lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaneItem {
    /// The key.
    pub key: KeyText,
    /// The state its shape and colour show.
    pub state: LaneMark,
    /// A short note ("in 640ms", "#3", "w2").
    pub note: String,
}

/// How a lane item is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneMark {
    /// An informer change event.
    Event,
    /// A rate-limiter decision.
    Limiter,
    /// An item state.
    Item(ItemState),
    /// Finished (`Done` called).
    Done,
    /// A failed reconcile.
    Failed,
}

impl LaneMark {
    /// Shape glyph.
    pub fn glyph(self) -> &'static str {
        match self {
            LaneMark::Event => "◆",
            LaneMark::Limiter => "◐",
            LaneMark::Item(s) => s.glyph(),
            LaneMark::Done => "✓",
            LaneMark::Failed => "✕",
        }
    }

    /// Palette class.
    pub fn class(self) -> &'static str {
        match self {
            LaneMark::Event => "st-neutral",
            LaneMark::Limiter => "st-limiter",
            LaneMark::Item(s) => s.class(),
            LaneMark::Done => "st-done",
            LaneMark::Failed => "st-failed",
        }
    }

    /// Text label (for the accessible name).
    pub fn label(self) -> &'static str {
        match self {
            LaneMark::Event => "change event",
            LaneMark::Limiter => "rate limited",
            LaneMark::Item(s) => s.label(),
            LaneMark::Done => "done",
            LaneMark::Failed => "failed",
        }
    }
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// Sequence number (stable row key).
    pub seq: u64,
    /// Virtual time of the event.
    pub at: Time,
    /// The key involved, if any.
    pub key: Option<KeyText>,
    /// A category for filtering ("add", "fail", "forget", ...).
    pub kind: Rc<str>,
    /// The exact client-go call, e.g. `queue.AddRateLimited("foo") → When()=640ms (failures 7→8)`.
    pub call: Rc<str>,
    /// Plain-language line.
    pub text: Rc<str>,
}

/// The time controls' line: the clock and what comes next. Rebuilt whenever the world moves,
/// every frame while playing (it is cheap: three reads).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClockLine {
    /// The virtual time.
    pub now: Time,
    /// The earliest `readyAt` of a waiting item (what "Skip to next due" jumps to).
    pub next_due: Option<Time>,
    /// The next event of any kind (what "Step" runs to).
    pub next_event: Option<Time>,
}
