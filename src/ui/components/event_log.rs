//! The event log: each entry's virtual time, the exact client-go call
//! (`queue.AddRateLimited("foo") → When()=640ms (failures 7→8)`) and a plain line; filterable
//! by text and kind. A real table (not `role="log"`), so it keeps its table semantics.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ui::format;
use crate::ui::view::LogLine;

/// How many matching lines are rendered (newest first).
pub const SHOWN: usize = 100;

/// The lines matching a text (in the call, the text or the key) and a kind, newest first.
///
/// The match ignores ASCII case only: keys, calls and texts are ASCII, and the standard
/// library's Unicode case tables would cost the wasm about 10 KB gzipped.
pub fn filter<'a>(lines: &'a [LogLine], text: &str, kind: &str) -> Vec<&'a LogLine> {
    let needle = text.trim().to_ascii_lowercase();
    lines
        .iter()
        .rev()
        .filter(|l| kind.is_empty() || &*l.kind == kind)
        .filter(|l| {
            needle.is_empty()
                || l.call.to_ascii_lowercase().contains(&needle)
                || l.text.to_ascii_lowercase().contains(&needle)
                || l.key
                    .as_ref()
                    .is_some_and(|k| k.to_ascii_lowercase().contains(&needle))
        })
        .take(SHOWN)
        .collect()
}

/// Props for [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// The recent events, oldest first.
    pub lines: Rc<Vec<LogLine>>,
    /// The event kinds present, for the kind filter.
    pub kinds: Rc<Vec<Rc<str>>>,
}

/// The event log panel.
#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let text = use_state(String::new);
    let kind = use_state(String::new);
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            text.set(input.value());
        })
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            kind.set(select.value());
        })
    };
    let shown = filter(&props.lines, &text, &kind);
    html! {
        <section class="panel log-panel" aria-labelledby="log-h">
            <h2 id="log-h">{ "Event log" }</h2>
            <div class="filters">
                <div class="field inline">
                    <label for="log-filter">{ "Filter events" }</label>
                    <input id="log-filter" type="search" value={(*text).clone()} oninput={on_text}
                        placeholder="key or call" />
                </div>
                <div class="field inline">
                    <label for="log-kind">{ "Kind" }</label>
                    <select id="log-kind" onchange={on_kind}>
                        <option value="" selected={kind.is_empty()}>{ "all" }</option>
                        { for props.kinds.iter().map(|k| html! {
                            <option value={k.to_string()} selected={**k == *kind}>{ k.to_string() }</option>
                        }) }
                    </select>
                </div>
                <span class="small muted">{ format!("{} shown of {} recent", shown.len(), props.lines.len()) }</span>
            </div>
            <div class="table-scroll">
                <table class="log">
                    <caption class="visually-hidden">{ "Event log" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Time" }</th>
                        <th scope="col">{ "Call" }</th>
                        <th scope="col">{ "What happened" }</th>
                    </tr></thead>
                    <tbody>
                        { for shown.iter().enumerate().map(|(i, l)| html! {
                            // Positional keys: a new event updates row text in place instead of
                            // re-creating every row at high speed.
                            <tr key={i} data-seq={l.seq.to_string()}>
                                <td class="num at">{ format::at(l.at) }</td>
                                <td><code>{ l.call.to_string() }</code></td>
                                <td>{ l.text.to_string() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::filter;
    use crate::ui::view::LogLine;
    use crate::workqueue::Time;

    fn line(seq: u64, key: &str, kind: &str, call: &str, text: &str) -> LogLine {
        LogLine {
            seq,
            at: Time::ZERO,
            key: Some(key.into()),
            kind: kind.into(),
            call: call.into(),
            text: text.into(),
        }
    }

    #[test]
    fn text_matches_call_text_or_key_ignoring_case_and_kind_narrows_newest_first() {
        let lines = [
            line(1, "ns/Pod-A", "add", "queue.Add(\"ns/Pod-A\")", "added"),
            line(2, "ns/b", "forget", "queue.Forget(\"ns/b\")", "Forgotten"),
            line(
                3,
                "ns/c",
                "fail",
                "queue.AddRateLimited(\"ns/c\")",
                "failed",
            ),
        ];
        let seqs = |text: &str, kind: &str| -> Vec<u64> {
            filter(&lines, text, kind).iter().map(|l| l.seq).collect()
        };
        assert_eq!(seqs("", ""), [3, 2, 1]);
        assert_eq!(seqs("  POD-a ", ""), [1]);
        assert_eq!(seqs("forgotten", ""), [2]);
        assert_eq!(seqs("ADDRATELIMITED", ""), [3]);
        assert_eq!(seqs("ns/", "fail"), [3]);
        assert_eq!(seqs("nothing", ""), Vec::<u64>::new());
    }
}
