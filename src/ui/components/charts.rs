//! The live charts, from t=0: `len(failures)` against live keys; estimated memory against the
//! limit with OOM-kill marks (the seed's sawtooth); `workqueue_depth` and the delaying heap;
//! adds and retries rates; bucket tokens. One crosshair is shared by every chart, and log-y
//! is one switch for all. Metric names follow client-go's so operators can map them.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::sim::latency::{latency_of_run, LatencyPoint};
use crate::sim::leaks::group;
use crate::sim::{format_bytes, MemoryEstimate, PriorityDepths, RecordedInput, Sample, Sim, Time};
use crate::ui::components::chart_model::{rates, time_label, value_label, ChartData, Line, Unit};
use crate::ui::components::chart_svg::Chart;

fn secs(s: &Sample) -> f64 {
    s.at.as_nanos() as f64 / 1e9
}

/// `(seconds, f(sample))` of every sample. `f` is `dyn`: one instance for every series.
fn pts(samples: &[Sample], f: &dyn Fn(&Sample) -> f64) -> Vec<(f64, f64)> {
    samples.iter().map(|s| (secs(s), f(s))).collect()
}

fn peak(points: &[(f64, f64)]) -> f64 {
    points.iter().map(|p| p.1).fold(0.0, f64::max)
}

fn last(points: &[(f64, f64)]) -> f64 {
    points.last().map_or(0.0, |p| p.1)
}

/// The series from t=0 ending with the state at the cursor: appended when the grid lags it,
/// or in place of the grid's sample at the cursor's instant, which an act there has changed.
pub fn samples(sim: &Sim) -> Vec<Sample> {
    let mut v = sim.series().samples().to_vec();
    let now = sim.sample_state();
    match v.last_mut() {
        Some(last) if last.at == now.at => *last = now,
        Some(last) if last.at > now.at => {}
        _ => v.push(now),
    }
    v
}

/// Every chart's data for the world at its cursor.
pub fn chart_data(sim: &Sim) -> Vec<ChartData> {
    chart_data_of(&samples(sim), &sim.memory())
}

/// Every chart's data from a run's samples (see [`samples`]) and its memory estimate now.
pub fn chart_data_of(s: &[Sample], mem: &MemoryEstimate) -> Vec<ChartData> {
    let mut out = Vec::with_capacity(5);

    let failures = pts(s, &|x| x.failures_len as f64);
    let live = pts(s, &|x| x.live_keys as f64);
    let orphans = pts(s, &|x| x.orphan_entries as f64);
    let (f_now, live_now) = (last(&failures), last(&live));
    let verdict = if f_now > 2.0 * live_now.max(1.0) + 10.0 {
        "The map has outgrown the objects that exist: entries are never removed."
    } else {
        "The map stays within the live keys."
    };
    out.push(ChartData {
        id: "failures",
        title: "len(failures) vs live keys",
        unit: Unit::Count,
        summary: format!(
            "len(failures) is {} now (peak {}), live keys {}, orphan entries {}. {verdict}",
            group(f_now as u64),
            group(peak(&failures) as u64),
            group(live_now as u64),
            group(last(&orphans) as u64)
        ),
        lines: vec![
            Line {
                name: "len(failures)",
                class: "st-failed",
                dashed: false,
                points: failures,
            },
            Line {
                name: "live keys",
                class: "st-done",
                dashed: true,
                points: live,
            },
            Line {
                name: "orphan entries",
                class: "st-orphan",
                dashed: false,
                points: orphans,
            },
        ],
        marks: Vec::new(),
        limit: None,
        min_top: None,
    });

    let memory = pts(s, &|x| x.memory_bytes as f64);
    let mut marks = Vec::new();
    for w in s.windows(2) {
        if let [a, b] = w {
            if b.oom_kills > a.oom_kills {
                let label = format!("OOM kill at about {}", time_label(secs(b)));
                marks.push((secs(b), label));
            }
        }
    }
    let kills = if marks.is_empty() {
        "no OOM kill yet".to_string()
    } else {
        let at: Vec<String> = marks.iter().take(6).map(|m| time_label(m.0)).collect();
        format!(
            "{} OOM {} (at about {}{})",
            group(mem.oom_kills),
            if mem.oom_kills == 1 { "kill" } else { "kills" },
            at.join(", "),
            if marks.len() > 6 { ", …" } else { "" }
        )
    };
    let limit_text = mem.limit.map_or("no limit".to_string(), |l| {
        format!("limit {}", format_bytes(l))
    });
    out.push(ChartData {
        id: "memory",
        title: "Estimated memory vs the limit",
        unit: Unit::Bytes,
        summary: format!(
            "Estimated memory {} now (assumed entry sizes), {limit_text}, peak {}; {kills}.{}",
            format_bytes(mem.bytes),
            format_bytes(mem.peak_bytes),
            if mem.oom_kills > 1 {
                " Each restart empties the map and it grows back: the sawtooth."
            } else {
                ""
            }
        ),
        lines: vec![Line {
            name: "memory (estimate)",
            class: "st-waiting",
            dashed: false,
            points: memory,
        }],
        marks,
        limit: mem
            .limit
            .map(|l| (l as f64, format!("limit {}", format_bytes(l)))),
        min_top: None,
    });

    out.push(depth_chart(s));

    let adds = rates(&pts(s, &|x| x.adds_total as f64));
    let retries = rates(&pts(s, &|x| x.retries_total as f64));
    let totals = s.last().map_or((0, 0), |x| (x.adds_total, x.retries_total));
    out.push(ChartData {
        id: "rates",
        title: "workqueue_adds_total and retries_total rates",
        unit: Unit::PerSecond,
        summary: format!(
            "Adds {:.1}/s and retries {:.1}/s in the latest interval (peaks {:.1}/s and {:.1}/s); \
             workqueue_adds_total is {} and workqueue_retries_total {} now. Counters restart at 0 \
             with the controller, as Prometheus sees them.",
            last(&adds),
            last(&retries),
            peak(&adds),
            peak(&retries),
            totals.0,
            totals.1
        ),
        lines: vec![
            Line {
                name: "adds/s",
                class: "st-queued",
                dashed: false,
                points: adds,
            },
            Line {
                name: "retries/s",
                class: "st-failed",
                dashed: true,
                points: retries,
            },
        ],
        marks: Vec::new(),
        limit: None,
        min_top: None,
    });

    if s.iter().any(|x| x.bucket_tokens.is_some()) {
        let tokens: Vec<(f64, f64)> = s
            .iter()
            .filter_map(|x| x.bucket_tokens.map(|t| (secs(x), t)))
            .collect();
        let low = tokens.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        out.push(ChartData {
            id: "tokens",
            title: "Bucket tokens",
            unit: Unit::Tokens,
            summary: format!(
                "The shared bucket holds {:.1} tokens now (lowest {:.1}); below 0 every \
                 AddRateLimited waits for the bucket.",
                last(&tokens),
                if low.is_finite() { low } else { 0.0 }
            ),
            lines: vec![Line {
                name: "tokens",
                class: "st-limiter",
                dashed: false,
                points: tokens,
            }],
            marks: Vec::new(),
            limit: Some((0.0, "0 tokens".to_string())),
            min_top: None,
        });
    }
    out
}

/// `workqueue_depth` and the waiting entries. With controller-runtime's priority queue the
/// depth is split by priority group (its gauge carries a `priority` label), so a startup list
/// at `LowPriority` and events at 0 show as separate lines.
fn depth_chart(s: &[Sample]) -> ChartData {
    let depth = pts(s, &|x| x.depth as f64);
    let waiting = pts(s, &|x| x.waiting_len as f64);
    let by_priority = s.last().and_then(|x| x.depth_by_priority).is_some();
    let mut summary = format!(
        "workqueue_depth {} now (peak {}); {} items wait {} (peak {}).",
        group(last(&depth) as u64),
        group(peak(&depth) as u64),
        group(last(&waiting) as u64),
        if by_priority {
            "in the waiting btree"
        } else {
            "in the delaying heap"
        },
        group(peak(&waiting) as u64)
    );
    let mut lines = Vec::new();
    if by_priority {
        let group_of = |f: fn(&PriorityDepths) -> i64| {
            pts(s, &move |x| {
                x.depth_by_priority.map_or(0.0, |d| f(&d) as f64)
            })
        };
        let above = group_of(|d| d.above_zero);
        let zero = group_of(|d| d.zero);
        let below = group_of(|d| d.below_zero);
        let exceeded = group_of(|d| d.exceeded);
        summary.push_str(&format!(
            " By priority now: {} above 0, {} at 0, {} below 0.",
            group(last(&above) as u64),
            group(last(&zero) as u64),
            group(last(&below) as u64)
        ));
        let any_exceeded = exceeded.iter().any(|p| p.1 != 0.0);
        lines.push(Line {
            name: "depth{priority>0}",
            class: "st-orphan",
            dashed: false,
            points: above,
        });
        lines.push(Line {
            name: "depth{priority=0}",
            class: "st-queued",
            dashed: false,
            points: zero,
        });
        lines.push(Line {
            name: "depth{priority<0}",
            class: "st-done",
            dashed: true,
            points: below,
        });
        if any_exceeded {
            summary.push_str(" More than 25 distinct priorities: later changes go to exceeded_cardinality_limit.");
            lines.push(Line {
                name: "exceeded_cardinality_limit",
                class: "st-failed",
                dashed: true,
                points: exceeded,
            });
        }
    } else {
        lines.push(Line {
            name: "workqueue_depth",
            class: "st-queued",
            dashed: false,
            points: depth,
        });
    }
    lines.push(Line {
        name: if by_priority {
            "waiting btree"
        } else {
            "waiting heap"
        },
        class: "st-waiting",
        dashed: true,
        points: waiting,
    });
    ChartData {
        id: "depth",
        title: if by_priority {
            "workqueue_depth by priority and the waiting btree"
        } else {
            "workqueue_depth and the delaying heap"
        },
        unit: Unit::Count,
        summary,
        lines,
        marks: Vec::new(),
        limit: None,
        min_top: None,
    }
}

/// Props for [`Charts`].
#[derive(Properties)]
pub struct ChartsProps {
    /// Every chart's data, built by the app state with the history panels.
    pub charts: Rc<Vec<Rc<ChartData>>>,
    /// The virtual time the charts end at (the cursor when they were built).
    pub now: Time,
    /// Clicking a chart seeks there, when the app can seek.
    #[prop_or_default]
    pub on_seek: Option<Callback<f64>>,
    /// Show only the chart with this id (the embed's one chart), without the latency button.
    #[prop_or_default]
    pub only: Option<&'static str>,
    /// The latency chart's state.
    #[prop_or_default]
    pub latency: LatencyView,
    /// Compute (or recompute) the latency chart up to now.
    #[prop_or_default]
    pub on_latency: Callback<()>,
    /// Stop computing it.
    #[prop_or_default]
    pub on_cancel_latency: Callback<()>,
}

/// Time buckets of the latency chart.
pub const LATENCY_BUCKETS: usize = 120;

/// The latency chart: the run is replayed from t=0 to `until` and every change's wait until
/// the end of the reconcile that saw it is measured (p50 and p99 per time bucket). In one go,
/// for tests and tools; the page replays in slices ([`LatencyReplay`](crate::sim::latency::LatencyReplay)).
pub fn latency_chart(
    sim: &Sim,
    inputs: &[RecordedInput],
    until: Time,
) -> Result<ChartData, String> {
    let points = latency_of_run(sim.scenario(), inputs, until, LATENCY_BUCKETS)
        .map_err(|e| e.to_string())?;
    Ok(latency_chart_of(&points, until))
}

/// The latency chart of `points` (a replay to `until`).
pub fn latency_chart_of(points: &[LatencyPoint], until: Time) -> ChartData {
    let p50: Vec<(f64, f64)> = points.iter().map(|p| (p.at_s, p.p50_s)).collect();
    let p99: Vec<(f64, f64)> = points.iter().map(|p| (p.at_s, p.p99_s)).collect();
    let summary = match points.last() {
        None => "No change has been reconciled yet.".to_string(),
        Some(l) => format!(
            "Replayed to {}: in the latest interval a change waited {} at the median and {} at the 99th percentile ({} {}); the worst p99 was {}.",
            time_label(until.as_nanos() as f64 / 1e9),
            value_label(Unit::Seconds, l.p50_s),
            value_label(Unit::Seconds, l.p99_s),
            group(l.count),
            if l.count == 1 { "reconcile" } else { "reconciles" },
            value_label(Unit::Seconds, peak(&p99))
        ),
    };
    ChartData {
        id: "latency",
        title: "Change → reconcile latency, p50 and p99",
        unit: Unit::Seconds,
        lines: vec![
            Line {
                name: "p50",
                class: "st-processing",
                dashed: false,
                points: p50,
            },
            Line {
                name: "p99",
                class: "st-failed",
                dashed: true,
                points: p99,
            },
        ],
        marks: Vec::new(),
        limit: None,
        summary,
        min_top: None,
    }
}

/// What the charts panel shows of the latency chart (computed by the app state, a slice of
/// the replay per frame).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LatencyView {
    /// Not asked for.
    #[default]
    None,
    /// Replaying: how far, of where it stops.
    Running {
        /// The replay's time.
        now: Time,
        /// Where it stops (the cursor when asked).
        until: Time,
    },
    /// Computed up to `until`, or why not.
    Done {
        /// Where the replay stopped.
        until: Time,
        /// The chart, or why it could not be computed.
        chart: Result<Rc<ChartData>, String>,
    },
}

impl PartialEq for ChartsProps {
    fn eq(&self, other: &Self) -> bool {
        // Callbacks are left out: the app makes a new one each render with the same effect.
        Rc::ptr_eq(&self.charts, &other.charts)
            && self.now == other.now
            && self.on_seek.is_some() == other.on_seek.is_some()
            && self.only == other.only
            && self.latency == other.latency
    }
}

/// The charts panel.
#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    let log = use_state(|| false);
    let cursor = use_state(|| None::<f64>);
    let now = props.now;
    let t_end = now.as_nanos() as f64 / 1e9;
    let data = props
        .charts
        .iter()
        .filter(|d| props.only.is_none_or(|only| d.id == only));
    let on_log = {
        let log = log.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            log.set(input.checked());
        })
    };
    let on_cursor = {
        let cursor = cursor.clone();
        Callback::from(move |t: Option<f64>| cursor.set(t))
    };
    let on_latency = {
        let cb = props.on_latency.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_cancel = {
        let cb = props.on_cancel_latency.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let latency_progress = match &props.latency {
        LatencyView::Running { now: at, until } => html! {
            <div class="restore-progress">
                <p class="small">{ format!("Computing latency: replaying the run from t=0 to {}.", crate::ui::format::at(*until)) }</p>
                <progress aria-label="Computing latency" max="1000"
                    value={crate::ui::components::restore_progress::permille(*at, *until).to_string()}></progress>
                <button type="button" class="mini" onclick={on_cancel}>{ "Cancel latency" }</button>
            </div>
        },
        _ => Html::default(),
    };
    let latency_view = match &props.latency {
        LatencyView::None | LatencyView::Running { .. } => Html::default(),
        LatencyView::Done { chart: Err(e), .. } => {
            html! { <p role="alert" class="small">{ format!("Latency could not be computed: {e}") }</p> }
        }
        LatencyView::Done {
            until,
            chart: Ok(d),
        } => html! {
            <Chart key="latency" data={d.clone()} t_end={until.as_nanos() as f64 / 1e9} log={*log}
                cursor={*cursor} on_cursor={on_cursor.clone()} />
        },
    };
    let latency_label = match &props.latency {
        _ if props.only.is_some() => None,
        LatencyView::Running { .. } => None,
        LatencyView::Done { until, .. } if *until == now => None,
        LatencyView::Done { .. } => Some("Recompute latency up to now (from t=0)"),
        LatencyView::None => Some("Change → reconcile latency (computed from t=0)"),
    };
    html! {
        <section class="panel charts" aria-labelledby="charts-h">
            <h2 id="charts-h">{ "Charts" }</h2>
            <div class="chart-options">
                <label class="check"><input type="checkbox" id="charts-log" checked={*log} onchange={on_log} />{ "Log scale (y)" }</label>
                <span class="small muted">{ if props.on_seek.is_some() { "History from t=0; point at a chart for the values at that time, click to go there." } else { "History from t=0; point at a chart for the values at that time." } }</span>
            </div>
            if let Some(label) = latency_label {
                <div class="buttons"><button type="button" class="mini" id="latency-button" onclick={on_latency}>{ label }</button></div>
            }
            { latency_progress }
            <div class="chart-grid">
                { for data.map(|d| html! {
                    <Chart key={d.id} data={d.clone()} t_end={t_end} log={*log} cursor={*cursor}
                        on_cursor={on_cursor.clone()} on_seek={props.on_seek.clone()} />
                }) }
                { latency_view }
            </div>
        </section>
    }
}
