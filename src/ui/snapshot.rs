//! Builds the view models from the sim: what each lane, table and counter shows right now.
//! Called once per render; costs O(items) plus a bounded scan of the recent event ring.

use std::rc::Rc;
use std::time::Duration;

use crate::sim::queue_model::{EntryPlace, QueueKind};
use crate::sim::{
    backoff_schedule, Event, KeyStatus, LimiterConfig, ScheduleRow, Sim, WorkerState,
};
use crate::ui::components::runway::RunwayView;
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
    let maps = sim.failure_maps();
    MapCounters {
        entries,
        maps: Rc::new(if maps.len() > 1 { maps } else { Vec::new() }),
        live_keys: sim.live_keys(),
        failing_keys: sim.failing_keys(),
        orphans: sim.orphan_entries(),
    }
}

/// Every item in the queue machinery: processing first, then the FIFO in order, then the
/// waiting heap soonest first ([`group`] relies on this order). A key both processing and
/// waiting appears in both places.
pub fn items(sim: &Sim, cap: Option<Duration>) -> Vec<ItemRow> {
    let q = sim.queue();
    let priorities = sim.queue_kind() == QueueKind::ControllerRuntime;
    let row = |key: &KeyText, state: ItemState, ready_at: Option<Time>, priority: Option<i64>| {
        let requeues = q.num_requeues(key);
        // Only a key the failures map holds has a "last backoff" (as in its failures row).
        let last = if requeues > 0 {
            sim.last_backoff(key)
        } else {
            None
        };
        ItemRow {
            key: key.clone(),
            state,
            requeues,
            ready_at,
            wait: ready_at.and(last),
            capped: matches!((last, cap), (Some(d), Some(c)) if d >= c),
            priority,
        }
    };
    let mut rows: Vec<ItemRow> = Vec::with_capacity(item_count(sim));
    for (key, dirty) in q.processing() {
        rows.push(row(
            key,
            if dirty {
                ItemState::ProcessingDirty
            } else {
                ItemState::Processing
            },
            None,
            None,
        ));
    }
    // Ready entries in hand-out order, then waiting ones soonest first.
    for e in q.entries() {
        let priority = priorities.then_some(e.priority);
        match e.place {
            EntryPlace::Ready => rows.push(row(&e.key, ItemState::Queued, None, priority)),
            EntryPlace::Waiting { ready_at } => {
                rows.push(row(&e.key, ItemState::Waiting, Some(ready_at), priority))
            }
        }
    }
    rows
}

/// Where a state's rows sit in [`items`]' order: processing (dirty or not), then queued, then
/// waiting.
fn place(state: ItemState) -> u8 {
    match state {
        ItemState::Processing | ItemState::ProcessingDirty => 0,
        ItemState::Queued => 1,
        ItemState::Waiting => 2,
    }
}

/// The rows of [`items`] in `state`'s group (processing includes processing-dirty), found by
/// binary search: the lanes and the runway read a few of 100 000 rows on every views frame,
/// and a filter would scan them all whenever a group holds fewer rows than it takes.
pub fn group(items: &[ItemRow], state: ItemState) -> &[ItemRow] {
    let start = items.partition_point(|i| place(i.state) < place(state));
    let end = start + items[start..].partition_point(|i| place(i.state) == place(state));
    &items[start..end]
}

/// How many rows [`items`] returns, in O(1).
pub fn item_count(sim: &Sim) -> usize {
    let q = sim.queue();
    q.processing_len() + q.len() + q.waiting_len()
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
            crate::sim::EventKind::AddWithOpts {
                when: Some(when),
                failures_after,
                ..
            } => {
                format!("{} #{failures_after}", format::dur(*when))
            }
            _ => String::new(),
        }
    });
    let done_count = recent().filter(|e| e.category() == "done").count();
    // How long ago, at a glance: an exact instant ("t=57m35.565260307s") does not fit a
    // chip beside its key; the event log keeps it.
    let done = lane_items_from_events(recent(), "done", LaneMark::Done, |e| {
        format!("{} ago", format::short(now.saturating_since(e.at)))
    });
    // A few workers: a list searched from the end (the last holder wins, as a map's last
    // insert would) costs less wasm than a HashMap instance.
    let holders: Vec<(KeyText, String)> = sim
        .workers()
        .into_iter()
        .filter_map(|w| match w.state {
            WorkerState::Processing { key, .. } => Some((key, format!("w{}", w.id))),
            WorkerState::Idle => None,
        })
        .collect();
    let q = sim.queue();
    let names = LaneNames::of(sim.queue_kind());
    vec![
        Lane {
            title: "Informer events",
            detail: format!("{} live objects", sim.live_keys()),
            count: sim.live_keys(),
            items: informer,
        },
        Lane {
            title: "Rate limiter",
            detail: names.limiter.to_string(),
            count: failures_len,
            items: limited,
        },
        Lane {
            title: names.waiting.0,
            detail: names.waiting.1.to_string(),
            count: q.waiting_len(),
            items: group(items, ItemState::Waiting)
                .iter()
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
            title: names.ready.0,
            detail: names.ready.1.to_string(),
            count: q.len(),
            items: group(items, ItemState::Queued)
                .iter()
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
            detail: names.processing.to_string(),
            count: q.processing_len(),
            items: group(items, ItemState::Processing)
                .iter()
                .take(LANE_ITEMS)
                .map(|i| LaneItem {
                    key: i.key.clone(),
                    state: LaneMark::Item(i.state),
                    note: holders
                        .iter()
                        .rev()
                        .find(|(k, _)| *k == i.key)
                        .map_or_else(|| "you".to_string(), |(_, w)| w.clone()),
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

/// What the middle lanes stand for in each queue: client-go's heap, FIFO and processing set,
/// or controller-runtime's two btrees and locked set.
struct LaneNames {
    limiter: &'static str,
    waiting: (&'static str, &'static str),
    ready: (&'static str, &'static str),
    processing: &'static str,
}

impl LaneNames {
    fn of(kind: QueueKind) -> LaneNames {
        match kind {
            QueueKind::ClientGo => LaneNames {
                limiter: "failures map + bucket: When(item)",
                waiting: ("Waiting heap", "AddAfter: waitingForQueue"),
                ready: ("Queue (FIFO)", "queue + dirty set"),
                processing: "processing set (Get … Done)",
            },
            QueueKind::ControllerRuntime => LaneNames {
                limiter: "When(item) on RateLimited adds",
                waiting: ("Waiting btree", "After / RateLimited, by ready time"),
                ready: ("Ready btree", "highest priority, then oldest"),
                processing: "locked set (GetWithPriority … Done)",
            },
        }
    }
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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Views {
    /// The instant they show.
    pub now: Time,
    /// The failures map (see [`TableCache`] for how fresh it is when it is large).
    pub failures: Rc<Vec<FailureRow>>,
    /// The counters beside it (always exact: O(1) sim counters).
    pub counters: MapCounters,
    /// The item table (see [`TableCache`]).
    pub items: Rc<Vec<ItemRow>>,
    /// The lanes.
    pub lanes: Rc<Vec<Lane>>,
    /// The runway of the waiting items.
    pub runway: Rc<RunwayView>,
}

/// Tables up to this many rows (failures entries or items) are rebuilt on every view build:
/// that costs well under a millisecond, and keeps them exact at every frame.
pub const EXACT_ROWS: usize = 5_000;

/// How long (wall milliseconds) view builds may keep reusing a large table of an earlier
/// build. Views are rebuilt up to 60 times a second (30 above 100×); rebuilding a table of
/// 100 000 rows costs two to three frames in wasm (and the next frame then simulates the time
/// it took), so each table is rebuilt every four seconds, the two two seconds apart: one long
/// frame every two seconds. Which rows a table holds is then up to four seconds old while the
/// clock runs; the countdowns of the rows in view still move every frame, and any act or pause
/// rebuilds both. At two seconds, frames over 20 ms with the failures map in view were 5.7–7.8 %
/// (`bench-frames.mjs`, the same quiet host), at four 2.4–3.7 %.
pub const TABLE_REFRESH_MS: f64 = 4_000.0;

/// What a view build saw: enough to tell whether the same sim merely ran on since then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildStamp {
    /// The sim object's address: a different sim (load, restore, seek back, undo) is a
    /// different allocation while the previous one is still alive.
    pub sim: usize,
    /// Steps taken.
    pub steps: u64,
    /// Virtual time.
    pub now: Time,
    /// The cap the rows were badged against.
    pub cap: Option<Duration>,
    /// The table's row count.
    pub rows: usize,
}

impl BuildStamp {
    /// The stamp of a build from `sim` now of a table of `rows` rows.
    pub fn of(sim: &Sim, cap: Option<Duration>, rows: usize) -> BuildStamp {
        BuildStamp {
            sim: std::ptr::from_ref(sim) as usize,
            steps: sim.steps(),
            now: sim.now(),
            cap,
            rows,
        }
    }
}

/// Whether a build stamped `now` may show the tables of the build stamped `last` (rebuilt
/// `since_refresh_ms` wall milliseconds ago) instead of rebuilding them: only while the same
/// sim runs on (its clock moved forward since the last build) with tables too large to
/// rebuild every frame, and for at most [`TABLE_REFRESH_MS`]. A user action on a paused
/// clock, a different sim, a new cap or a small table always rebuilds; the app state also
/// drops the cache whenever the whole page is rebuilt (an act, a pause, the end of a restore),
/// so only the running clock's periodic builds ever reuse.
pub fn may_reuse(last: &BuildStamp, since_refresh_ms: f64, now: &BuildStamp) -> bool {
    now.sim == last.sim
        && now.now > last.now
        && now.steps >= last.steps
        && now.cap == last.cap
        && now.rows > EXACT_ROWS
        && (0.0..TABLE_REFRESH_MS).contains(&since_refresh_ms)
}

/// One large table of the latest view build, with the build it came from.
#[derive(Clone, Debug)]
struct CachedTable<T> {
    last: BuildStamp,
    refreshed_ms: f64,
    rows: Rc<Vec<T>>,
}

impl<T> CachedTable<T> {
    /// The rows for a build stamped `stamp` at `wall_ms`: those of the earlier build when
    /// [`may_reuse`] allows it (`None`: rebuild).
    fn reuse(cache: &mut Option<Self>, stamp: BuildStamp, wall_ms: f64) -> Option<Rc<Vec<T>>> {
        let c = cache.as_mut()?;
        if !may_reuse(&c.last, wall_ms - c.refreshed_ms, &stamp) {
            return None;
        }
        c.last = stamp;
        Some(c.rows.clone())
    }

    /// Keeps freshly built `rows`, stamped `stamp` and counted as refreshed at `refreshed_ms`,
    /// and returns them.
    fn store(
        cache: &mut Option<Self>,
        stamp: BuildStamp,
        refreshed_ms: f64,
        rows: Vec<T>,
    ) -> Rc<Vec<T>> {
        let rows = Rc::new(rows);
        *cache = Some(CachedTable {
            last: stamp,
            refreshed_ms,
            rows: rows.clone(),
        });
        rows
    }
}

/// The large tables of the latest view build, kept between builds (by the app state) so that
/// a failures map of 100 000 entries and a heap of as many waiting items are rebuilt and
/// re-sorted at a bounded rate (see [`may_reuse`]) instead of on every animation frame; the
/// tables are virtualized, so a frame only draws the rows in view. The two take turns: each is
/// rebuilt every [`TABLE_REFRESH_MS`], half a period apart, so no frame pays for both. The
/// counters, lanes and runway are computed fresh at every build.
#[derive(Clone, Debug, Default)]
pub struct TableCache {
    failures: Option<CachedTable<FailureRow>>,
    items: Option<CachedTable<ItemRow>>,
}

/// The failures and item tables for a build from `sim` at `wall_ms` (the page's frame clock):
/// each rebuilt, or that of the earlier build in `cache` when [`may_reuse`] allows it.
fn tables(
    sim: &Sim,
    cap: Option<Duration>,
    cache: &mut TableCache,
    wall_ms: f64,
) -> (Rc<Vec<FailureRow>>, Rc<Vec<ItemRow>>) {
    let failures_stamp = BuildStamp::of(sim, cap, sim.failures_len());
    let items_stamp = BuildStamp::of(sim, cap, item_count(sim));
    let old_failures = CachedTable::reuse(&mut cache.failures, failures_stamp, wall_ms);
    let old_items = CachedTable::reuse(&mut cache.items, items_stamp, wall_ms);
    let both_large = failures_stamp.rows > EXACT_ROWS && items_stamp.rows > EXACT_ROWS;
    let both_rebuilt = old_failures.is_none() && old_items.is_none();
    let failures = old_failures.unwrap_or_else(|| {
        CachedTable::store(
            &mut cache.failures,
            failures_stamp,
            wall_ms,
            failures(sim, cap),
        )
    });
    let items = old_items.unwrap_or_else(|| {
        // Rebuilt together (the first build, an act, a pause): from now on the items table
        // comes due half a period after the failures map.
        let offset = if both_large && both_rebuilt {
            TABLE_REFRESH_MS / 2.0
        } else {
            0.0
        };
        CachedTable::store(
            &mut cache.items,
            items_stamp,
            wall_ms - offset,
            items(sim, cap),
        )
    });
    (failures, items)
}

/// Builds every view from the sim. The counters and lanes cost O(1) plus a bounded scan of
/// recent events, the runway O(log waiting items) per bin; the two large tables are rebuilt in
/// O(n log n) only as often as [`may_reuse`] says, `cache` keeping the last build's and
/// `wall_ms` telling how long ago it was (the page's frame clock: the only wall time here).
pub fn views(sim: &Sim, cap: Option<Duration>, cache: &mut TableCache, wall_ms: f64) -> Views {
    let now = sim.now();
    let (failures, items) = tables(sim, cap, cache, wall_ms);
    let entries = sim.failures_len();
    let counters = counters(sim, entries);
    let lanes = lanes(sim, &items, entries);
    let runway = RunwayView::of(group(&items, ItemState::Waiting), now);
    Views {
        now,
        failures,
        counters,
        items,
        lanes: Rc::new(lanes),
        runway: Rc::new(runway),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(sim: usize, steps: u64, secs: u64, rows: usize) -> BuildStamp {
        BuildStamp {
            sim,
            steps,
            now: Time::from_nanos(secs * 1_000_000_000),
            cap: None,
            rows,
        }
    }

    #[test]
    fn large_tables_of_a_running_sim_are_reused_for_a_bounded_time() {
        let big = EXACT_ROWS + 1;
        let last = stamp(1, 10, 5, big);
        let next = stamp(1, 11, 6, big);
        assert!(may_reuse(&last, 0.0, &next));
        assert!(may_reuse(&last, TABLE_REFRESH_MS - 1.0, &next));
        assert!(!may_reuse(&last, TABLE_REFRESH_MS, &next));
        assert!(!may_reuse(&last, -1.0, &next), "wall clock went back");
        assert!(!may_reuse(&last, f64::NAN, &next));
    }

    #[test]
    fn small_tables_paused_clocks_other_sims_and_new_caps_rebuild() {
        let big = EXACT_ROWS + 1;
        let last = stamp(1, 10, 5, big);
        assert!(
            !may_reuse(&last, 0.0, &stamp(1, 11, 6, EXACT_ROWS)),
            "small"
        );
        assert!(
            !may_reuse(&last, 0.0, &stamp(1, 10, 5, big)),
            "action on a paused clock"
        );
        assert!(!may_reuse(&last, 0.0, &stamp(2, 11, 6, big)), "another sim");
        assert!(!may_reuse(&last, 0.0, &stamp(1, 9, 6, big)), "fewer steps");
        let capped = BuildStamp {
            cap: Some(Duration::from_secs(1)),
            ..stamp(1, 11, 6, big)
        };
        assert!(!may_reuse(&last, 0.0, &capped), "new cap");
    }

    #[test]
    fn each_group_holds_exactly_the_rows_a_filter_finds_in_items_order() {
        use crate::sim::{preset, Input, Sim};
        let scenario = preset("manual").unwrap_or_else(|| unreachable!("manual is a preset"));
        let mut sim = Sim::new(scenario).unwrap_or_else(|_| unreachable!("valid preset"));
        // Two processing (one of them dirty), three queued, twelve waiting.
        let keys: Vec<String> = (0..17).map(|i| format!("ns/k{i:02}")).collect();
        for k in &keys[..5] {
            assert!(sim.apply(Input::Add(k.as_str().into())).is_ok());
        }
        assert!(sim.apply(Input::Get).is_ok());
        assert!(sim.apply(Input::Get).is_ok());
        assert!(sim.apply(Input::Add(keys[0].as_str().into())).is_ok());
        for k in &keys[5..] {
            assert!(sim.apply(Input::Fail(k.as_str().into())).is_ok());
        }
        let rows = items(&sim, None);
        for (state, n) in [
            (ItemState::Processing, 2),
            (ItemState::Queued, 3),
            (ItemState::Waiting, 12),
        ] {
            let filtered: Vec<&ItemRow> = rows
                .iter()
                .filter(|r| place(r.state) == place(state))
                .collect();
            let grouped: Vec<&ItemRow> = group(&rows, state).iter().collect();
            assert_eq!(grouped, filtered, "{state:?}");
            assert_eq!(grouped.len(), n, "{state:?}");
        }
        assert!(rows.iter().any(|r| r.state == ItemState::ProcessingDirty));
    }

    #[test]
    fn two_large_tables_take_turns_and_each_is_never_older_than_the_refresh_period() {
        use crate::sim::{preset, Sim};
        let scenario = preset("seed-oom").unwrap_or_else(|| unreachable!("seed-oom is a preset"));
        let mut sim = Sim::new(scenario).unwrap_or_else(|_| unreachable!("valid preset"));
        sim.run_until(Time::from_nanos(3_600_000_000_000));
        assert!(sim.failures_len() > EXACT_ROWS && item_count(&sim) > EXACT_ROWS);
        let mut cache = TableCache::default();
        let first = views(&sim, None, &mut cache, 0.0);
        // (wall ms, failures rebuilt, items rebuilt), the clock running on between builds.
        let period = TABLE_REFRESH_MS;
        let expected = [
            (period / 4.0, false, false),
            (period / 2.0, false, true),
            (period * 0.75, false, false),
            (period, true, false),
            (period * 1.5, false, true),
            (period * 2.0, true, false),
        ];
        let mut last = first;
        for (wall, failures, items) in expected {
            let t = sim.now().as_nanos() + 1_000_000_000;
            sim.run_until(Time::from_nanos(t));
            let next = views(&sim, None, &mut cache, wall);
            assert_eq!(
                !Rc::ptr_eq(&next.failures, &last.failures),
                failures,
                "{wall}"
            );
            assert_eq!(!Rc::ptr_eq(&next.items, &last.items), items, "{wall}");
            last = next;
        }
        // A build on a paused clock (an act) rebuilds both, exactly.
        let paused = views(&sim, None, &mut cache, period * 2.0 + 100.0);
        assert!(!Rc::ptr_eq(&paused.failures, &last.failures));
        assert!(!Rc::ptr_eq(&paused.items, &last.items));
        assert_eq!(paused.failures.len(), sim.failures().len());
    }

    #[test]
    fn the_done_lane_says_how_long_ago_each_done_was() {
        use crate::sim::{preset, Input, Sim};
        let scenario = preset("manual").unwrap_or_else(|| unreachable!("manual is a preset"));
        let mut sim = Sim::new(scenario).unwrap_or_else(|_| unreachable!("valid preset"));
        for input in [
            Input::Add("ns/a".into()),
            Input::Get,
            Input::Done("ns/a".into()),
        ] {
            assert!(sim.apply(input).is_ok());
        }
        sim.run_until(Time::from_nanos(90_000_000_000));
        let lanes = lanes(&sim, &items(&sim, None), 0);
        let done = lanes.last().unwrap_or_else(|| unreachable!("six lanes"));
        assert_eq!(done.title, "Done");
        let notes: Vec<&str> = done.items.iter().map(|i| i.note.as_str()).collect();
        assert_eq!(notes, ["1m30s ago"]);
    }
}
