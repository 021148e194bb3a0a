//! One SVG time-series chart: step lines from t=0, event marks (OOM kills), a reference line
//! (the memory limit), the shared crosshair with each line's value under it, a text summary,
//! and a data-table toggle so the numbers are readable without the picture.

use std::fmt::Write as _;
use std::rc::Rc;

use yew::prelude::*;

use crate::ui::components::chart_model::{
    decimate, path, time_label, value_at, value_label, x_ticks, y_ticks, ChartData, Coord, Scale,
    BUCKETS, HEIGHT, MARGIN, WIDTH,
};

/// Rows in the data table at most (evenly spaced over the run, the latest included).
pub const TABLE_ROWS: usize = 60;

/// Props for [`Chart`].
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// What to draw.
    pub data: Rc<ChartData>,
    /// The end of the time axis, seconds (the cursor's time).
    pub t_end: f64,
    /// Log-y.
    pub log: bool,
    /// The shared crosshair, seconds.
    pub cursor: Option<f64>,
    /// The pointer moved over a chart (None: it left).
    pub on_cursor: Callback<Option<f64>>,
    /// Clicking seeks there, when the app can seek.
    #[prop_or_default]
    pub on_seek: Option<Callback<f64>>,
}

/// The time under the pointer. Yew delegates events to the root, so the SVG is found through
/// its node ref, not the event's current target.
fn pointer_time(e: &MouseEvent, svg: &NodeRef, scale: &Scale) -> Option<f64> {
    let el = svg.cast::<web_sys::Element>()?;
    let rect = el.get_bounding_client_rect();
    if rect.width() <= 0.0 {
        return None;
    }
    let px = (f64::from(e.client_x()) - rect.left()) / rect.width() * WIDTH;
    scale.invert_x(px)
}

/// The table rows: evenly spaced sample times over the run, and each line's value then.
fn table_times(data: &ChartData) -> Vec<f64> {
    let Some(longest) = data.lines.iter().max_by_key(|l| l.points.len()) else {
        return Vec::new();
    };
    let n = longest.points.len();
    if n <= TABLE_ROWS {
        return longest.points.iter().map(|p| p.0).collect();
    }
    let mut times: Vec<f64> = (0..TABLE_ROWS)
        .filter_map(|i| {
            longest
                .points
                .get(i * (n - 1) / (TABLE_ROWS - 1))
                .map(|p| p.0)
        })
        .collect();
    times.dedup();
    times
}

/// Escapes text for SVG markup.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The plot as SVG markup: frame, grid and tick labels, the reference line, the step lines,
/// the event marks and the crosshair. Built as one string and inserted raw, so a redraw is
/// one DOM replacement instead of a diff over hundreds of nodes (and much less wasm code).
pub fn plot_markup(data: &ChartData, scale: &Scale, cursor: Option<f64>) -> String {
    let (left, right, top, bottom) = (MARGIN.0, WIDTH - MARGIN.1, MARGIN.2, HEIGHT - MARGIN.3);
    let mut m = String::with_capacity(8192);
    let _ = write!(
        m,
        r#"<rect x="{left}" y="{top}" width="{}" height="{}" class="plot"/>"#,
        right - left,
        bottom - top
    );
    for v in y_ticks(scale, 4) {
        let y = scale.y(v);
        let (y, label_y) = (Coord(y), Coord(y + 4.0));
        let _ = write!(
            m,
            r#"<g class="tick"><line x1="{left}" x2="{right}" y1="{y}" y2="{y}" class="grid"/><text x="{}" y="{label_y}" text-anchor="end">{}</text></g>"#,
            left - 4.0,
            esc(&value_label(data.unit, v))
        );
    }
    for t in x_ticks(scale, 5) {
        let x = Coord(scale.x(t));
        let _ = write!(
            m,
            r#"<g class="tick"><line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" class="grid"/><text x="{x}" y="{}" text-anchor="middle">{}</text></g>"#,
            HEIGHT - 6.0,
            esc(&time_label(t))
        );
    }
    if let Some((v, label)) = &data.limit {
        let y = scale.y(*v);
        let (y, label_y) = (Coord(y), Coord(y - 3.0));
        let _ = write!(
            m,
            r#"<g class="limit"><line x1="{left}" x2="{right}" y1="{y}" y2="{y}"/><text x="{}" y="{label_y}" text-anchor="end">{}</text></g>"#,
            right - 2.0,
            esc(label)
        );
    }
    for l in &data.lines {
        let d = path(&decimate(&l.points, BUCKETS), scale);
        let dashed = if l.dashed { " dashed" } else { "" };
        let _ = write!(m, r#"<path d="{d}" class="series {}{dashed}"/>"#, l.class);
    }
    for (t, label) in &data.marks {
        let x = scale.x(*t);
        let (x, label_x) = (Coord(x), Coord(x + 2.0));
        let _ = write!(
            m,
            r#"<g class="mark st-failed"><line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}"/><text x="{label_x}" y="{}">✕</text><title>{}</title></g>"#,
            top + 10.0,
            esc(label)
        );
    }
    if let Some(t) = cursor.filter(|t| *t <= scale.x1) {
        let x = Coord(scale.x(t));
        let _ = write!(
            m,
            r#"<line class="crosshair" x1="{x}" x2="{x}" y1="{top}" y2="{bottom}"/>"#
        );
    }
    m
}

/// The data table as HTML markup: the time and each line's value at evenly spaced samples.
pub fn table_markup(data: &ChartData) -> String {
    let mut m = String::with_capacity(4096);
    let _ = write!(
        m,
        r#"<div class="table-scroll short"><table class="chart-table"><caption class="visually-hidden">{} data</caption><thead><tr><th scope="col">Time</th>"#,
        esc(data.title)
    );
    for l in &data.lines {
        let _ = write!(m, r#"<th scope="col">{}</th>"#, esc(l.name));
    }
    m.push_str("</tr></thead><tbody>");
    for t in table_times(data) {
        let _ = write!(m, r#"<tr><td class="num">{}</td>"#, esc(&time_label(t)));
        for l in &data.lines {
            let v = value_at(l, t)
                .map(|v| value_label(data.unit, v))
                .unwrap_or_default();
            let _ = write!(m, r#"<td class="num">{}</td>"#, esc(&v));
        }
        m.push_str("</tr>");
    }
    m.push_str("</tbody></table></div>");
    m
}

/// One chart.
#[component]
pub fn Chart(props: &ChartProps) -> Html {
    let show_table = use_state(|| false);
    let svg_ref = use_node_ref();
    let data = &props.data;
    let scale = Scale::fit(data, props.t_end, props.log);
    let title_id = format!("chart-{}-h", data.id);
    let summary_id = format!("chart-{}-summary", data.id);

    let on_move = {
        let cb = props.on_cursor.clone();
        let svg = svg_ref.clone();
        Callback::from(move |e: MouseEvent| cb.emit(pointer_time(&e, &svg, &scale)))
    };
    let on_leave = {
        let cb = props.on_cursor.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    let on_click = props.on_seek.clone().map(|seek| {
        let svg = svg_ref.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(t) = pointer_time(&e, &svg, &scale) {
                seek.emit(t);
            }
        })
    });
    let toggle = {
        let show = show_table.clone();
        Callback::from(move |_: MouseEvent| show.set(!*show))
    };

    let body = Html::from_html_unchecked(AttrValue::from(plot_markup(data, &scale, props.cursor)));
    let readout = props.cursor.filter(|t| *t <= scale.x1).map(|t| {
        html! {
            <p class="small readout" aria-live="off">
                <span class="mono">{ format!("t={}", time_label(t)) }</span>
                { for data.lines.iter().map(|l| html! {
                    <span ~className={format!("legend-item {}", l.class)}>
                        { format!(" {} {}", l.name, value_at(l, t).map(|v| value_label(data.unit, v)).unwrap_or_else(|| "–".into())) }
                    </span>
                }) }
            </p>
        }
    });
    let legend = data.lines.iter().map(|l| {
        html! {
            <span ~className={format!("legend-item {}", l.class)}>
                <svg class="swatch" viewBox="0 0 24 8" aria-hidden="true">
                    if l.dashed {
                        <line x1="0" x2="24" y1="4" y2="4" class="series dashed" />
                    } else {
                        <line x1="0" x2="24" y1="4" y2="4" class="series" />
                    }
                </svg>
                { l.name }
            </span>
        }
    });
    let table =
        (*show_table).then(|| Html::from_html_unchecked(AttrValue::from(table_markup(data))));
    html! {
        <figure class="chart" id={format!("chart-{}", data.id)} aria-labelledby={title_id.clone()}>
            <div class="chart-head">
                <h3 id={title_id.clone()}>{ data.title }</h3>
                <button type="button" class="mini" aria-expanded={show_table.to_string()} onclick={toggle}>
                    { if *show_table { "Hide data table" } else { "Data table" } }
                </button>
            </div>
            <div class="legend small">{ for legend }</div>
            <svg ref={svg_ref} viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-labelledby={title_id} aria-describedby={summary_id.clone()}
                class="chart-svg" style={props.on_seek.is_some().then_some("cursor: pointer")}
                onmousemove={on_move} onmouseleave={on_leave} onclick={on_click}>
                { body }
            </svg>
            { for readout }
            <figcaption id={summary_id} class="small summary">{ data.summary.clone() }</figcaption>
            { for table }
        </figure>
    }
}
