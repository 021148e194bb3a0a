//! The log-time runway: one axis from now through 10 ms … 1000 s, each waiting item a mark at
//! log₁₀ of its remaining wait, so a 5 ms and a 1000 s wait are visible together. Marks are
//! binned (with a count) so 10 000 waiting items draw as at most [`BINS`] marks.

use std::rc::Rc;
use std::time::Duration;

use yew::prelude::*;

use crate::ui::format;
use crate::ui::view::ItemRow;
use crate::workqueue::Time;

/// How many positions the runway is divided into.
pub const BINS: usize = 120;
/// Left edge of the log axis (1 ms); shorter waits sit at the left edge.
const LOG_MIN: f64 = -3.0;
/// Right edge (10 000 s), past the default 1000 s cap.
const LOG_MAX: f64 = 4.0;

/// Where on the runway (0.0 … 1.0) a remaining wait sits.
pub fn position(remaining: Duration) -> f64 {
    let secs = remaining.as_secs_f64();
    if secs <= 0.0 {
        return 0.0;
    }
    ((secs.log10() - LOG_MIN) / (LOG_MAX - LOG_MIN)).clamp(0.0, 1.0)
}

/// The bin (0 … [`BINS`] − 1) a remaining wait falls in: never smaller for a longer wait.
pub fn bin_of(remaining: Duration) -> usize {
    ((position(remaining) * (BINS - 1) as f64).round() as usize).min(BINS - 1)
}

/// Counts remaining waits per bin.
pub fn bin_counts(remaining: &[Duration]) -> Vec<u32> {
    let mut bins = vec![0u32; BINS];
    for r in remaining {
        if let Some(b) = bins.get_mut(bin_of(*r)) {
            *b = b.saturating_add(1);
        }
    }
    bins
}

/// What [`bin_counts`] gives for the remaining waits of `items`, ready at `ready_at(item)`
/// (soonest first), seen at `now`, in O([`BINS`] · log n) rather than O(n): a bin's items are
/// a run of the sorted list, found by binary search. The runway is rebuilt on every views
/// frame, over a heap that holds 100 000 items at the seed story's height.
pub fn bin_counts_sorted<T>(items: &[T], ready_at: impl Fn(&T) -> Time, now: Time) -> Vec<u32> {
    let mut bins = vec![0u32; BINS];
    let mut start = 0;
    for (i, count) in bins.iter_mut().enumerate() {
        let end = start
            + items[start..]
                .partition_point(|item| bin_of(ready_at(item).saturating_since(now)) <= i);
        *count = u32::try_from(end - start).unwrap_or(u32::MAX);
        start = end;
    }
    bins
}

/// Everything the runway draws, computed once per views build (not by the component, which
/// re-renders only when this changes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunwayView {
    /// Items per bin ([`BINS`] of them).
    pub bins: Vec<u32>,
    /// Which bins show their count (see [`labelled`]).
    pub labelled: Vec<bool>,
    /// How many items wait.
    pub waiting: usize,
    /// The soonest and the latest remaining wait, if any item waits.
    pub span: Option<(Duration, Duration)>,
}

impl RunwayView {
    /// The runway of the `waiting` rows (soonest first, as [`snapshot::items`] lists them),
    /// seen at `now`; a row without a ready time counts as ready now.
    ///
    /// [`snapshot::items`]: crate::ui::snapshot::items
    pub fn of(waiting: &[ItemRow], now: Time) -> RunwayView {
        let ready_at = |row: &ItemRow| row.ready_at.unwrap_or(now);
        let bins = bin_counts_sorted(waiting, ready_at, now);
        RunwayView {
            labelled: labelled(&bins),
            bins,
            waiting: waiting.len(),
            span: waiting.first().zip(waiting.last()).map(|(a, b)| {
                (
                    ready_at(a).saturating_since(now),
                    ready_at(b).saturating_since(now),
                )
            }),
        }
    }
}

/// The narrowest track the count labels are spaced for, in CSS pixels (narrower screens hide
/// them; each mark's title still gives its count).
const LABEL_TRACK_PX: f64 = 640.0;
/// The width of one digit of a count label (0.65rem of DejaVu Sans: 6.6 px), with room to spare.
const LABEL_DIGIT_PX: f64 = 7.0;

/// Which bins show their count above the mark: the fullest first, then any other that does not
/// overlap a label already placed, so a pile-up at the cap reads as numbers, not as a smear
/// of digits. A bin of one item shows no count.
pub fn labelled(bins: &[u32]) -> Vec<bool> {
    let px_per_bin = LABEL_TRACK_PX / (bins.len().max(2) - 1) as f64;
    let half_width =
        |n: u32| (f64::from(n.checked_ilog10().unwrap_or(0) + 1) * LABEL_DIGIT_PX) / 2.0 + 2.0;
    let mut order: Vec<usize> = (0..bins.len()).filter(|&i| bins[i] > 1).collect();
    crate::stable_sort::sort_indices_by(&mut order, &mut |a, b| bins[b].cmp(&bins[a]));
    let mut placed: Vec<usize> = Vec::new();
    let mut out = vec![false; bins.len()];
    for i in order {
        let clear = placed.iter().all(|&j| {
            i.abs_diff(j) as f64 * px_per_bin >= half_width(bins[i]) + half_width(bins[j])
        });
        if clear {
            placed.push(i);
            out[i] = true;
        }
    }
    out
}

/// Props for [`Runway`].
#[derive(Properties, PartialEq)]
pub struct RunwayProps {
    /// What to draw.
    pub view: Rc<RunwayView>,
}

/// The runway.
#[component]
pub fn Runway(props: &RunwayProps) -> Html {
    let view = &props.view;
    let summary = match view.span {
        Some((first, last)) => format!(
            "{} waiting: soonest in {}, latest in {}",
            view.waiting,
            format::short(first),
            format::short(last)
        ),
        None => "Nothing waiting".to_string(),
    };
    let ticks: [(&str, f64); 7] = [
        ("now", 0.0),
        ("10ms", 0.01),
        ("100ms", 0.1),
        ("1s", 1.0),
        ("10s", 10.0),
        ("100s", 100.0),
        ("1000s", 1000.0),
    ];
    html! {
        <section class="panel" aria-labelledby="runway-h">
            <h2 id="runway-h">{ "Runway (log time until ready)" }</h2>
            <div class="runway" role="img" aria-label={summary.clone()}>
                <div class="runway-track">
                    // Every bin's mark is always there (hidden while empty), so a frame changes
                    // the attributes of the marks whose counts changed and adds no nodes.
                    { for view.bins.iter().enumerate().map(|(i, n)| {
                        let left = i as f64 * 100.0 / (BINS - 1) as f64;
                        let size = (6.0 + f64::from((*n).max(1)).log2() * 2.0).min(18.0);
                        let shown = view.labelled.get(i).copied().unwrap_or(false);
                        html! {
                            <span key={i} class="runway-dot st-waiting" hidden={*n == 0} title={format!("{n} item(s)")}
                                style={format!("left:{left:.2}%;width:{size:.0}px;height:{size:.0}px")}>
                                <span class="runway-n" hidden={!shown}>{ if shown { n.to_string() } else { String::new() } }</span>
                            </span>
                        }
                    }) }
                </div>
                <div class="runway-axis" aria-hidden="true">
                    { for ticks.iter().map(|(label, secs)| {
                        let left = if *secs == 0.0 { 0.0 } else { position(Duration::from_secs_f64(*secs)) * 100.0 };
                        // Every other decade is dropped on narrow screens (class "minor").
                        let minor = matches!(*label, "10ms" | "1s" | "100s");
                        html! { <span ~className={if minor { "tick minor" } else { "tick" }} style={format!("left:{left:.2}%")}>{ *label }</span> }
                    }) }
                </div>
            </div>
            <p class="small muted">{ summary }</p>
        </section>
    }
}
