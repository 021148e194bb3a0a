//! Export and import: the trace as replayable JSON, the metrics as CSV, the charts as one SVG
//! file; and a JSON trace imported back (a malformed or newer file gives a clear message and
//! changes nothing). Files are made in the browser; nothing is uploaded.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::sim::export::{metrics_csv, parse_trace, trace_json};
use crate::sim::{RecordedInput, Sample, Scenario, ShareState, Time};
use crate::ui::components::share_bar::share_state;
use crate::ui::theme::{Palette, LIGHT};

/// Offers `text` as a download called `name`.
fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let err = |e: JsValue| format!("{e:?}");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| "no anchor element".to_string())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The chart rules the page's stylesheet applies, for a standalone SVG file.
const SVG_RULES: &str = "text{font:10px monospace;fill:#16181D}.plot{fill:none;stroke:#4B5060}\
.grid{stroke:#4B5060;stroke-opacity:.35}.series{fill:none;stroke:var(--c);stroke-width:2}\
.dashed{stroke-dasharray:6 3}.mark line{stroke:var(--c);stroke-dasharray:2 2}.mark text{fill:var(--c)}\
.limit line{stroke:#16181D;stroke-dasharray:8 4}.crosshair{display:none}";

fn palette_rules(p: &Palette) -> String {
    p.graphics()
        .iter()
        .map(|(name, colour)| format!(".st-{name}{{--c:{colour}}}"))
        .collect()
}

/// Every chart on the page as one SVG document (light palette), stacked with their titles.
fn charts_svg() -> Result<String, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let figures = document
        .query_selector_all("section.charts figure.chart")
        .map_err(|e| format!("{e:?}"))?;
    let (w, h, title_h) = (640.0, 190.0, 22.0);
    let mut body = String::new();
    let mut y = 0.0;
    for i in 0..figures.length() {
        let Some(fig) = figures
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let title = fig
            .query_selector("h3")
            .ok()
            .flatten()
            .and_then(|t| t.text_content())
            .unwrap_or_default();
        let Some(svg) = fig.query_selector("svg.chart-svg").ok().flatten() else {
            continue;
        };
        let inner = svg.inner_html();
        body.push_str(&format!(
            "<text x=\"4\" y=\"{:.0}\" style=\"font:bold 13px sans-serif\">{}</text>\
             <svg x=\"0\" y=\"{:.0}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">{inner}</svg>",
            y + 16.0,
            title.replace('&', "&amp;").replace('<', "&lt;"),
            y + title_h
        ));
        y += title_h + h + 8.0;
    }
    if body.is_empty() {
        return Err("no charts on the page".to_string());
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{y:.0}\" viewBox=\"0 0 {w} {y:.0}\">\
         <style>{}{}</style><rect width=\"100%\" height=\"100%\" fill=\"{}\"/>{body}</svg>",
        palette_rules(&LIGHT),
        SVG_RULES,
        LIGHT.bg
    ))
}

/// Props for [`ExportPanel`].
#[derive(Properties)]
pub struct ExportPanelProps {
    /// The scenario the run was built from.
    pub scenario: Rc<Scenario>,
    /// Every recorded input (the history's list).
    pub inputs: Rc<Vec<RecordedInput>>,
    /// How many of `inputs` the world at the cursor has applied: those are what a link or
    /// a trace carries.
    pub applied: usize,
    /// The run's cursor, as the history panels last showed it.
    pub cursor: Time,
    /// The trace hash at the cursor.
    pub trace_hash: u64,
    /// The metrics series from t=0 to the cursor (what the charts draw).
    pub samples: Rc<Vec<Sample>>,
    /// Replay an imported trace.
    pub on_import: Callback<Box<ShareState>>,
}

impl PartialEq for ExportPanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.scenario, &other.scenario)
            && Rc::ptr_eq(&self.inputs, &other.inputs)
            && self.applied == other.applied
            && self.cursor == other.cursor
            && self.trace_hash == other.trace_hash
            && Rc::ptr_eq(&self.samples, &other.samples)
    }
}

/// The export/import panel.
#[component]
pub fn ExportPanel(props: &ExportPanelProps) -> Html {
    let status = use_state(|| None::<(bool, String)>);
    let report =
        |status: &UseStateHandle<Option<(bool, String)>>, r: Result<(), String>, ok: &str| {
            status.set(Some(match r {
                Ok(()) => (true, ok.to_string()),
                Err(e) => (false, format!("Export failed: {e}")),
            }));
        };
    let on_trace = {
        let (scenario, inputs, status) =
            (props.scenario.clone(), props.inputs.clone(), status.clone());
        let applied = props.applied.min(inputs.len());
        let (cursor, hash) = (props.cursor, props.trace_hash);
        Callback::from(move |_: MouseEvent| {
            let text = trace_json(&share_state(&scenario, &inputs[..applied], cursor), hash);
            report(
                &status,
                download("workqueue-trace.json", "application/json", &text),
                "Trace saved as workqueue-trace.json",
            );
        })
    };
    let on_csv = {
        let (samples, status) = (props.samples.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let text = metrics_csv(&samples);
            report(
                &status,
                download("workqueue-metrics.csv", "text/csv", &text),
                "Metrics saved as workqueue-metrics.csv",
            );
        })
    };
    let on_svg = {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let r = charts_svg()
                .and_then(|svg| download("workqueue-charts.svg", "image/svg+xml", &svg));
            report(&status, r, "Charts saved as workqueue-charts.svg");
        })
    };
    let on_file = {
        let (status, on_import) = (status.clone(), props.on_import.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let Ok(reader) = web_sys::FileReader::new() else {
                status.set(Some((false, "This browser cannot read files.".into())));
                return;
            };
            let (done, on_import, r) = (status.clone(), on_import.clone(), reader.clone());
            let onload = Closure::once_into_js(move || {
                let text = r
                    .result()
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                match parse_trace(&text) {
                    Ok((state, hash)) => {
                        done.set(Some((true, format!("Imported; replaying to trace {hash}"))));
                        on_import.emit(Box::new(state));
                    }
                    Err(e) => done.set(Some((
                        false,
                        format!("This file could not be imported ({e}). Nothing changed."),
                    ))),
                }
            });
            reader.set_onload(Some(onload.unchecked_ref()));
            if reader.read_as_text(&file).is_err() {
                status.set(Some((false, "The file could not be read.".into())));
            }
        })
    };
    html! {
        <section class="panel export-panel" aria-labelledby="export-h">
            <h2 id="export-h">{ "Export and import" }</h2>
            <div class="buttons">
                <button type="button" onclick={on_trace}>{ "Trace (JSON)" }</button>
                <button type="button" onclick={on_csv}>{ "Metrics (CSV)" }</button>
                <button type="button" onclick={on_svg}>{ "Charts (SVG)" }</button>
            </div>
            <div class="field">
                <label for="import-trace">{ "Import a trace (JSON)" }</label>
                <input id="import-trace" type="file" accept=".json,application/json" onchange={on_file} />
            </div>
            if let Some((ok, text)) = &*status {
                <p id="export-status" ~className={if *ok { "small" } else { "small field-error" }}
                    role={if *ok { "status" } else { "alert" }}>{ text.clone() }</p>
            }
        </section>
    }
}
