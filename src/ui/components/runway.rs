//! The log-time runway: one axis from now through 10 ms … 1000 s, each waiting item a mark at
//! log₁₀ of its remaining wait, so a 5 ms and a 1000 s wait are visible together. Marks are
//! binned (with a count) so 10 000 waiting items draw as at most [`BINS`] marks.

use std::rc::Rc;
use std::time::Duration;

use yew::prelude::*;

use crate::ui::format;

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

/// Counts remaining waits per bin.
pub fn bin_counts(remaining: &[Duration]) -> Vec<u32> {
    let mut bins = vec![0u32; BINS];
    for r in remaining {
        let i = ((position(*r) * (BINS - 1) as f64).round() as usize).min(BINS - 1);
        if let Some(b) = bins.get_mut(i) {
            *b = b.saturating_add(1);
        }
    }
    bins
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
    /// Remaining wait of every waiting item, soonest first.
    pub remaining: Rc<Vec<Duration>>,
}

/// The runway.
#[component]
pub fn Runway(props: &RunwayProps) -> Html {
    let bins = bin_counts(&props.remaining);
    let shown = labelled(&bins);
    let summary = match (props.remaining.first(), props.remaining.last()) {
        (Some(first), Some(last)) => format!(
            "{} waiting: soonest in {}, latest in {}",
            props.remaining.len(),
            format::short(*first),
            format::short(*last)
        ),
        _ => "Nothing waiting".to_string(),
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
                    // Keyed by bin, so a frame patches the marks that changed and no others.
                    { for bins.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| {
                        let left = i as f64 * 100.0 / (BINS - 1) as f64;
                        let size = (6.0 + f64::from(*n).log2() * 2.0).min(18.0);
                        html! {
                            <span key={i} class="runway-dot st-waiting" title={format!("{n} item(s)")}
                                style={format!("left:{left:.2}%;width:{size:.0}px;height:{size:.0}px")}>
                                if shown[i] { <span class="runway-n">{ n }</span> }
                            </span>
                        }
                    }) }
                </div>
                <div class="runway-axis" aria-hidden="true">
                    { for ticks.iter().map(|(label, secs)| {
                        let left = if *secs == 0.0 { 0.0 } else { position(Duration::from_secs_f64(*secs)) * 100.0 };
                        // Every other decade is dropped on narrow screens (class "minor").
                        let minor = matches!(*label, "10ms" | "1s" | "100s");
                        html! { <span class={classes!("tick", minor.then_some("minor"))} style={format!("left:{left:.2}%")}>{ *label }</span> }
                    }) }
                </div>
            </div>
            <p class="small muted">{ summary }</p>
        </section>
    }
}
