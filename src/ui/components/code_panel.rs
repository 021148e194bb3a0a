//! The Go code panel: tabs for the buggy controller, the fixed controller and client-go's
//! limiter internals, with the line the current event runs highlighted (VisuAlgo's codetrace):
//! `r.failures[item] = r.failures[item] + 1` on a Fail, `delete(r.failures, item)` on a Forget.
//! A leak finding can point at a line too. A copy button copies the listing; Esc leaves the
//! panel (the Go playground's convention).

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::code_trace::{CodeLine, CodeRef, CodeTab};
use crate::ui::components::code_listing::{self, CR_SOURCES, SOURCES};

/// The line an event runs in one tab, with the event's call and time for the caption.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningLine {
    /// The tab.
    pub tab: CodeTab,
    /// The lines the event runs there, the main one first.
    pub lines: Vec<CodeLine>,
    /// The event's exact client-go call and virtual time, e.g. `t=1s queue.Forget("a")`.
    pub caption: Rc<str>,
}

/// Props for [`CodePanel`].
#[derive(Properties, PartialEq)]
pub struct CodePanelProps {
    /// The tab shown.
    pub tab: CodeTab,
    /// Pick a tab.
    pub on_tab: Callback<CodeTab>,
    /// For each tab, the line the most recent event ran there, if any.
    pub running: Rc<Vec<RunningLine>>,
    /// A line a leak finding pointed at (highlighted differently and scrolled to).
    pub focus: Option<CodeRef>,
}

/// Where the port differs from client-go, said where the person reads
/// client-go's code (the README's "Where we differ" in short). Every other
/// number is client-go's, checked against the real queue on every test run.
const DIFFERENCES: [&str; 4] = [
    "The token bucket reads the virtual clock; client-go's BucketRateLimiter reads time.Now().",
    "Get never blocks: where Go's Get would wait, nothing is handed out until an item is ready.",
    "Delayed items are released exactly at their ready time: no 10 s heartbeat, no 1000-slot channel.",
    "Exactly 2^63 ns of backoff is 0 here and a negative duration in Go: both mean \"add now\".",
];

fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    // The promise is not awaited: the button's status says the copy was requested.
    let _ = window.navigator().clipboard().write_text(text);
    true
}

/// "Excerpts from <project>:" and a link to each source file a listing quotes.
fn excerpts_from(project: &str, sources: &[(&'static str, &'static str)]) -> Html {
    html! {
        <p class="small">
            { format!("Excerpts from {project}: ") }
            { for sources.iter().map(|(name, href)| html! {
                <><a href={*href} rel="noopener noreferrer" target="_blank">{ *name }</a>{ " " }</>
            }) }
        </p>
    }
}

/// The Go code panel.
#[component]
pub fn CodePanel(props: &CodePanelProps) -> Html {
    let copied = use_state(|| None::<CodeTab>);
    let focus_ref = use_node_ref();
    {
        let focus_ref = focus_ref.clone();
        use_effect_with(props.focus, move |focus| {
            if focus.is_some() {
                if let Some(el) = focus_ref.cast::<web_sys::Element>() {
                    el.scroll_into_view_with_bool(false);
                }
            }
        });
    }
    let tab = props.tab;
    let running = props.running.iter().find(|r| r.tab == tab);
    let focus_line = props.focus.filter(|f| f.tab == tab).map(|f| f.line);
    let on_copy = {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            if copy_to_clipboard(&code_listing::text(tab)) {
                copied.set(Some(tab));
            }
        })
    };
    let on_key = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Escape" {
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            if let Some(el) =
                active.and_then(|a| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(a).ok())
            {
                let _ = el.blur();
            }
        }
    });
    let tabs = CodeTab::ALL.iter().map(|t| {
        let t = *t;
        let selected = t == tab;
        let on_tab = props.on_tab.clone();
        let has_line = props.running.iter().any(|r| r.tab == t);
        html! {
            <button type="button" role="tab" id={format!("code-tab-{}", t.id())}
                aria-selected={if selected { "true" } else { "false" }}
                aria-controls="code-listing" tabindex={if selected { "0" } else { "-1" }}
                ~className={if selected { "tab selected" } else { "tab" }}
                onclick={Callback::from(move |_: MouseEvent| on_tab.emit(t))}>
                { t.title() }
                if has_line { <span class="tab-dot" aria-label="runs the current event">{ " ●" }</span> }
            </button>
        }
    });
    let on_tabs_key = {
        let on_tab = props.on_tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let i = CodeTab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
            let n = CodeTab::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % n,
                "ArrowLeft" => (i + n - 1) % n,
                _ => return,
            };
            e.prevent_default();
            if let Some(t) = CodeTab::ALL.get(next) {
                on_tab.emit(*t);
            }
        })
    };
    let lines = code_listing::listing(tab).iter().enumerate().map(|(i, (text, anchor))| {
        let is_running = running.is_some_and(|r| anchor.is_some_and(|a| r.lines.contains(&a)));
        let is_main = running.is_some_and(|r| r.lines.first() == anchor.as_ref());
        let is_focus = focus_line.is_some() && focus_line == *anchor;
        let node_ref = if is_focus { focus_ref.clone() } else { NodeRef::default() };
        html! {
            <div ref={node_ref}
                ~className={["code-line", if is_running { " running" } else { "" }, if is_main { " main" } else { "" }, if is_focus { " focus" } else { "" }].concat()}
                aria-current={is_running.then_some("step")}
                data-anchor={anchor.map(|a| format!("{a:?}"))}>
                <span class="ln" aria-hidden="true">{ i + 1 }</span>
                <code>{ if text.is_empty() { " " } else { *text } }</code>
                if is_running { <span class="visually-hidden">{ " (runs now)" }</span> }
            </div>
        }
    });
    html! {
        <section class="panel code-panel" aria-labelledby="code-h" onkeydown={on_key}>
            <h2 id="code-h">{ "Go code" }</h2>
            <div class="code-bar">
                <div role="tablist" aria-label="Listing" class="tabs" onkeydown={on_tabs_key}>{ for tabs }</div>
                <button type="button" class="mini" onclick={on_copy}>{ "Copy" }</button>
                <span class="small muted" role="status">
                    { if *copied == Some(tab) { "Copied to the clipboard" } else { "" } }
                </span>
            </div>
            <p class="small code-caption">
                { match running {
                    Some(r) => {
                        let numbers: Vec<String> = r.lines.iter()
                            .filter_map(|l| code_listing::line_number(tab, *l))
                            .map(|n| n.to_string())
                            .collect();
                        let what = if numbers.len() == 1 { "Line" } else { "Lines" };
                        let verb = if numbers.len() == 1 { "runs" } else { "run" };
                        html! { <>{ format!("{what} {} {verb}: ", numbers.join(", ")) }<code>{ r.caption.to_string() }</code></> }
                    }
                    None => html! { { "No event has run a line of this listing yet." } },
                } }
            </p>
            if tab == CodeTab::Internals {
                { excerpts_from("client-go", &SOURCES) }
                <details class="small fidelity">
                    <summary>{ "How exact is this port?" }</summary>
                    <p>{ "Every test run records fresh random sequences on the real client-go v0.37.2 \
                          (and controller-runtime v0.25.3) and replays them here: zero differences, \
                          including the order in which items due at the same instant leave the heap. \
                          Where the port differs:" }</p>
                    <ul>{ for DIFFERENCES.iter().map(|d| html! { <li>{ *d }</li> }) }</ul>
                </details>
            }
            if tab == CodeTab::ControllerRuntime {
                { excerpts_from("controller-runtime", &CR_SOURCES) }
            }
            <div id="code-listing" role="tabpanel" aria-labelledby={format!("code-tab-{}", tab.id())}
                class="code-listing" tabindex="0">
                { for lines }
            </div>
        </section>
    }
}
