//! The leak detector: the sim's findings in plain language with their numbers ("failures map
//! 5 214 ≫ failing keys 3: Forget is never called on success"), each with a button that shows
//! the Go line responsible in the code panel.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::code_trace::CodeRef;
use crate::sim::leaks::{Finding, Severity};
use crate::ui::components::code_listing;

/// Props for [`LeakDetector`].
#[derive(Properties, PartialEq)]
pub struct LeakDetectorProps {
    /// The findings, most serious first.
    pub findings: Rc<Vec<Finding>>,
    /// Show a finding's code line.
    pub on_show: Callback<CodeRef>,
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Leak => "st-failed",
        Severity::Warning => "st-waiting",
        Severity::Healthy => "st-done",
    }
}

fn severity_glyph(s: Severity) -> &'static str {
    match s {
        Severity::Leak => "✕",
        Severity::Warning => "▲",
        Severity::Healthy => "✓",
    }
}

/// The leak detector panel.
#[component]
pub fn LeakDetector(props: &LeakDetectorProps) -> Html {
    let items = props.findings.iter().map(|f| {
        let code = f.code;
        let on_show = props.on_show.clone();
        let line = code_listing::line_number(code.tab, code.line).unwrap_or(0);
        html! {
            <li key={f.kind.id()} ~className={format!("finding {}", severity_class(f.severity))}
                data-finding={f.kind.id()}>
                <span class="badge"><span class="glyph" aria-hidden="true">{ severity_glyph(f.severity) }</span>{ f.severity.label() }</span>
                <span class="finding-text">{ f.text.clone() }</span>
                <button type="button" class="mini"
                    onclick={Callback::from(move |_: MouseEvent| on_show.emit(code))}>
                    { format!("Show line {line} ({})", code.tab.title()) }
                </button>
            </li>
        }
    });
    html! {
        <section class="panel leak-panel" aria-labelledby="leaks-h">
            <h2 id="leaks-h">{ "Leak detector" }</h2>
            if props.findings.is_empty() {
                <p class="small muted">{ "Nothing to report yet: the failures map is empty." }</p>
            } else {
                <ul class="findings">{ for items }</ul>
            }
        </section>
    }
}
