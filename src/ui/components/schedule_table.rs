//! The backoff schedule of the running limiter: call n → delay and the cumulative wait, so
//! "why does it wait 16 minutes?" is answered in the tool itself. The selected key's latest
//! call is highlighted.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::ScheduleRow;
use crate::ui::components::duration_text;
use crate::ui::view::KeyText;

/// Props for [`ScheduleTable`].
#[derive(Properties, PartialEq)]
pub struct ScheduleTableProps {
    /// The schedule for the running limiter (one key, calls 1…n, nothing else in the bucket).
    pub rows: Rc<Vec<ScheduleRow>>,
    /// The limiter it was computed for.
    pub limiter: AttrValue,
    /// The selected key and its `NumRequeues`, whose row is highlighted.
    pub selected: Option<(KeyText, u64)>,
}

/// The schedule table.
#[component]
pub fn ScheduleTable(props: &ScheduleTableProps) -> Html {
    let highlight = props.selected.as_ref().map(|(_, n)| *n);
    html! {
        <section class="panel" aria-labelledby="schedule-h">
            <h2 id="schedule-h">{ "Backoff schedule" }</h2>
            <p class="small muted"><code>{ props.limiter.clone() }</code></p>
            if let Some((key, n)) = &props.selected {
                <p class="small">{ format!("{key} has made {n} call(s); its latest is highlighted.") }</p>
            }
            <div class="table-scroll short">
                <table class="schedule">
                    <caption class="visually-hidden">{ "Backoff schedule" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Call n" }</th>
                        <th scope="col">{ "Delay" }</th>
                        <th scope="col">{ "Cumulative" }</th>
                    </tr></thead>
                    <tbody>
                        { for props.rows.iter().map(|r| {
                            let current = highlight == Some(u64::from(r.n));
                            html! {
                                <tr key={r.n} ~className={if current { "selected" } else { "" }}
                                    aria-current={current.then_some("true")}>
                                    <td class="num">{ r.n }</td>
                                    <td class="num">{ duration_text::duration(r.delay) }</td>
                                    <td class="num">{ duration_text::duration(r.cumulative) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
