//! Builds the view models from the sim: what each lane, table and counter shows right now.
//! Called once per render; costs O(items) plus a bounded scan of the recent event ring.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use crate::sim::{
    backoff_schedule, Event, KeyStatus, LimiterConfig, ScheduleRow, Sim, WorkerState,
};
use crate::ui::format;
use crate::ui::view::{
    EntryStatus, FailureRow, ItemRow, ItemState, KeyText, Lane, LaneItem, LaneMark, LogLine,
    MapCounters,
};
use crate::workqueue::Time;

/// Items drawn per lane (the rest are counted as "+N more").
pub const LANE_ITEMS: usize = 8;
/// Recent events scanned for the event lanes and shown in the log.
pub const LOG_LINES: usize = 500;
/// Rows of the backoff schedule, at most.
pub const SCHEDULE_MAX_ROWS: u32 = 40;

/// The event categories the sim uses, for the log's kind filter.
pub const EVENT_KINDS: [&str; 13] = [
    "informer",
    "add",
    "rate-limit",
    "release",
    "get",
    "reconcile",
    "failure",
    "forget",
    "done",
    "oom",
    "outage",
    "setting",
    "start",
];

/// The failures map as rows, plus whether each entry's last delay reached `cap`.
pub fn failures(sim: &Sim, cap: Option<Duration>) -> Vec<FailureRow> {
    sim.failures()
        .into_iter()
        .map(|f| FailureRow {
            capped: matches!((f.last_backoff, cap), (Some(d), Some(c)) if d >= c),
            key: f.key,
            requeues: f.requeues,
            last_backoff: f.last_backoff,
            next_retry: f.next_retry,
            status: match f.status {
                KeyStatus::Live => EntryStatus::Live,
                KeyStatus::Orphan => EntryStatus::Orphan,
            },
        })
        .collect()
}

/// The counters beside the failures map.
pub fn counters(sim: &Sim, entries: usize) -> MapCounters {
    MapCounters {
        entries,
        live_keys: sim.live_keys(),
        failing_keys: sim.failing_keys(),
        orphans: sim.orphan_entries(),
    }
}

/// Every item in the queue machinery: processing first, then the FIFO in order, then the
/// waiting heap soonest first. A key both processing and waiting appears in both places.
pub fn items(sim: &Sim, failures: &[FailureRow]) -> Vec<ItemRow> {
    let q = sim.queue();
    let base = q.delaying().queue();
    let last: HashMap<&str, &FailureRow> = failures.iter().map(|f| (&*f.key, f)).collect();
    let row = |key: &KeyText, state: ItemState, ready_at: Option<Time>| {
        let f = last.get(&**key);
        ItemRow {
            key: key.clone(),
            state,
            requeues: q.num_requeues(key),
            ready_at,
            wait: ready_at.and(f.and_then(|f| f.last_backoff)),
            capped: f.is_some_and(|f| f.capped),
        }
    };
    let mut rows: Vec<ItemRow> = Vec::new();
    for (key, dirty) in base.processing() {
        rows.push(row(
            key,
            if dirty {
                ItemState::ProcessingDirty
            } else {
                ItemState::Processing
            },
            None,
        ));
    }
    for key in base.fifo() {
        rows.push(row(key, ItemState::Queued, None));
    }
    let mut waiting = q.delaying().waiting();
    waiting.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    for (key, at) in waiting {
        rows.push(row(key, ItemState::Waiting, Some(at)));
    }
    rows
}

fn lane_items_from_events<'a>(
    events: impl Iterator<Item = &'a Event>,
    category: &str,
    mark: LaneMark,
    note: impl Fn(&Event) -> String,
) -> Vec<LaneItem> {
    let mut items: Vec<LaneItem> = Vec::with_capacity(LANE_ITEMS);
    for e in events.filter(|e| e.category() == category) {
        if items.len() == LANE_ITEMS {
            break;
        }
        // One chip per key (its latest event): keys are the list's identity.
        if let Some(k) = e.key().filter(|k| !items.iter().any(|i| &i.key == *k)) {
            items.push(LaneItem {
                key: k.clone(),
                state: mark,
                note: note(e),
            });
        }
    }
    items
}

/// The six lanes, in travel order.
pub fn lanes(sim: &Sim, items: &[ItemRow], failures_len: usize) -> Vec<Lane> {
    let now = sim.now();
    let recent = || sim.events().rev().take(LOG_LINES);
    let informer = lane_items_from_events(recent(), "informer", LaneMark::Event, |e| {
        let t = e.text();
        t.split_whitespace()
            .last()
            .unwrap_or_default()
            .trim_end_matches('.')
            .to_string()
    });
    let limited = lane_items_from_events(recent(), "rate-limit", LaneMark::Limiter, |e| {
        match &e.kind {
            crate::sim::EventKind::AddRateLimited {
                when,
                failures_after,
                ..
            } => {
                format!("{} #{failures_after}", format::dur(*when))
            }
            _ => String::new(),
        }
    });
    let done_count = recent().filter(|e| e.category() == "done").count();
    let done = lane_items_from_events(recent(), "done", LaneMark::Done, |e| format::at(e.at));
    let of = |state: &'static [ItemState]| items.iter().filter(move |i| state.contains(&i.state));
    let holders: HashMap<KeyText, String> = sim
        .workers()
        .into_iter()
        .filter_map(|w| match w.state {
            WorkerState::Processing { key, .. } => Some((key, format!("w{}", w.id))),
            WorkerState::Idle => None,
        })
        .collect();
    let q = sim.queue();
    vec![
        Lane {
            title: "Informer events",
            detail: format!("{} live objects", sim.live_keys()),
            count: sim.live_keys(),
            items: informer,
        },
        Lane {
            title: "Rate limiter",
            detail: "failures map + bucket: When(item)".to_string(),
            count: failures_len,
            items: limited,
        },
        Lane {
            title: "Waiting heap",
            detail: "AddAfter: waitingForQueue".to_string(),
            count: q.delaying().waiting_len(),
            items: of(&[ItemState::Waiting])
                .take(LANE_ITEMS)
                .map(|i| LaneItem {
                    key: i.key.clone(),
                    state: LaneMark::Item(i.state),
                    note: i
                        .ready_at
                        .map(|t| format::until(now, t))
                        .unwrap_or_default(),
                })
                .collect(),
        },
        Lane {
            title: "Queue (FIFO)",
            detail: "queue + dirty set".to_string(),
            count: q.delaying().queue().len(),
            items: of(&[ItemState::Queued])
                .take(LANE_ITEMS)
                .enumerate()
                .map(|(n, i)| LaneItem {
                    key: i.key.clone(),
                    state: LaneMark::Item(i.state),
                    note: format!("{}", n + 1),
                })
                .collect(),
        },
        Lane {
            title: "Workers",
            detail: "processing set (Get … Done)".to_string(),
            count: q.delaying().queue().processing_len(),
            items: of(&[ItemState::Processing, ItemState::ProcessingDirty])
                .take(LANE_ITEMS)
                .map(|i| LaneItem {
                    key: i.key.clone(),
                    state: LaneMark::Item(i.state),
                    note: holders
                        .get(&i.key)
                        .cloned()
                        .unwrap_or_else(|| "you".to_string()),
                })
                .collect(),
        },
        Lane {
            title: "Done",
            detail: "recent Done calls".to_string(),
            count: done_count,
            items: done,
        },
    ]
}

/// The most recent events as log lines, oldest first.
pub fn log(sim: &Sim) -> Vec<LogLine> {
    let mut lines: Vec<LogLine> = sim
        .events()
        .rev()
        .take(LOG_LINES)
        .map(|e| LogLine {
            seq: e.seq,
            at: e.at,
            key: e.key().cloned(),
            kind: Rc::from(e.category()),
            call: Rc::from(e.call().as_str()),
            text: Rc::from(e.text().as_str()),
        })
        .collect();
    lines.reverse();
    lines
}

/// The schedule of one key failing again and again under `limiter`, up to a few rows past the
/// cap, and the cap itself (the delay the schedule settles on), if it has one.
pub fn schedule(limiter: &LimiterConfig) -> (Vec<ScheduleRow>, Option<Duration>) {
    let rows = backoff_schedule(limiter, SCHEDULE_MAX_ROWS).unwrap_or_default();
    let cap = limiter.cap();
    let shown = match cap {
        Some(c) => rows
            .iter()
            .position(|r| r.delay >= c)
            .map_or(rows.len(), |i| (i + 3).min(rows.len())),
        None => rows.len(),
    };
    let mut rows = rows;
    rows.truncate(shown);
    (rows, cap)
}

/// Everything the tables, lanes and runway show, built together at one virtual instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Views {
    /// The instant they show.
    pub now: Time,
    /// The failures map.
    pub failures: Rc<Vec<FailureRow>>,
    /// The counters beside it.
    pub counters: MapCounters,
    /// The item table.
    pub items: Rc<Vec<ItemRow>>,
    /// The lanes.
    pub lanes: Rc<Vec<Lane>>,
    /// Remaining waits for the runway, soonest first.
    pub remaining: Rc<Vec<Duration>>,
}

/// Builds every view from the sim (O(items) plus a bounded scan of recent events).
pub fn views(sim: &Sim, cap: Option<Duration>) -> Views {
    let now = sim.now();
    let failures = failures(sim, cap);
    let counters = counters(sim, failures.len());
    let items = items(sim, &failures);
    let lanes = lanes(sim, &items, failures.len());
    let remaining = items
        .iter()
        .filter(|i| i.state == ItemState::Waiting)
        .filter_map(|i| i.ready_at.map(|t| t.saturating_since(now)))
        .collect();
    Views {
        now,
        failures: Rc::new(failures),
        counters,
        items: Rc::new(items),
        lanes: Rc::new(lanes),
        remaining: Rc::new(remaining),
    }
}
