//! The failures map: the rate limiter's `failures[item]` entries, one row each, sortable and
//! filterable, with `len(failures)` beside the live and failing key counts (their gap is the
//! leak) and the orphans of deleted objects. A row appears on the first Fail and disappears on
//! Forget, so the map visibly grows and shrinks.

use std::cmp::Ordering;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::stable_sort;
use crate::ui::components::duration_text;
use crate::ui::components::row_actions::RowActions;
use crate::ui::components::row_slots::use_row_slots;
use crate::ui::key_action::KeyAction;
use crate::ui::view::{EntryStatus, FailureRow, KeyText, MapCounters};
use crate::ui::virtual_list;
use crate::workqueue::Time;

/// A sortable column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// The key, alphabetically.
    Key,
    /// `NumRequeues`.
    Requeues,
    /// The last delay.
    LastBackoff,
    /// When it is due again (not waiting sorts last).
    NextRetry,
}

/// Which rows to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// Every entry.
    All,
    /// Entries of existing objects.
    Live,
    /// Entries of deleted objects.
    Orphans,
    /// Entries whose last delay hit the cap.
    Capped,
}

/// The table's sort and filter.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// Sort column.
    pub column: Column,
    /// Ascending?
    pub ascending: bool,
    /// Substring the key must contain.
    pub text: String,
    /// Status filter.
    pub show: Show,
}

impl Default for View {
    fn default() -> Self {
        View {
            column: Column::Key,
            ascending: true,
            text: String::new(),
            show: Show::All,
        }
    }
}

/// The rows of `all` that pass the filter, in the chosen order.
pub fn filter_sort<'a>(all: &'a [FailureRow], view: &View) -> Vec<&'a FailureRow> {
    filter_sort_indices(all, view)
        .into_iter()
        .filter_map(|i| all.get(i))
        .collect()
}

/// The positions in `all` of the rows that pass the filter, in the chosen order: what the
/// panel keeps between renders (see [`SameRows`]) so it sorts only when the rows or the view
/// change, not on every frame the clock moves.
pub fn filter_sort_indices(all: &[FailureRow], view: &View) -> Vec<usize> {
    let needle = view.text.trim();
    let mut rows: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, r)| needle.is_empty() || r.key.contains(needle))
        .filter(|(_, r)| match view.show {
            Show::All => true,
            Show::Live => r.status == EntryStatus::Live,
            Show::Orphans => r.status == EntryStatus::Orphan,
            Show::Capped => r.capped,
        })
        .map(|(i, _)| i)
        .collect();
    let cmp = |a: &FailureRow, b: &FailureRow| -> Ordering {
        let primary = match view.column {
            Column::Key => Ordering::Equal,
            Column::Requeues => a.requeues.cmp(&b.requeues),
            Column::LastBackoff => a.last_backoff.cmp(&b.last_backoff),
            Column::NextRetry => match (a.next_retry, b.next_retry) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        primary.then_with(|| a.key.cmp(&b.key))
    };
    // Stable, so rows already in key order (as the snapshot delivers them) sort in O(n).
    stable_sort::sort_indices_by(&mut rows, &mut |a, b| match (all.get(a), all.get(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        _ => a.cmp(&b),
    });
    if !view.ascending {
        rows.reverse();
    }
    rows
}

/// The rows, compared by identity: the snapshot hands the same `Rc` while the table is
/// unchanged, and comparing 100 000 rows by value on every render would cost what the cached
/// order saves.
#[derive(Clone, Debug)]
pub struct SameRows(pub Rc<Vec<FailureRow>>);

impl PartialEq for SameRows {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Props for [`FailuresMap`].
#[derive(Properties, PartialEq)]
pub struct FailuresMapProps {
    /// Every entry of the map.
    pub rows: Rc<Vec<FailureRow>>,
    /// The counters shown beside it.
    pub counters: MapCounters,
    /// Now, for the "in …" labels.
    pub now: Time,
    /// The selected key.
    pub selected: Option<KeyText>,
    /// A row action.
    pub on_action: Callback<(KeyAction, KeyText)>,
    /// A row was selected.
    pub on_select: Callback<KeyText>,
}

/// The failures-map panel.
#[component]
pub fn FailuresMap(props: &FailuresMapProps) -> Html {
    let view = use_state(View::default);
    let (scroll, onscroll) = virtual_list::use_scroll_top();
    let row_slots = use_row_slots();
    let on_text = {
        let view = view.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            view.set(View {
                text: input.value(),
                ..(*view).clone()
            });
        })
    };
    let on_show = {
        let view = view.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let show = match select.value().as_str() {
                "live" => Show::Live,
                "orphans" => Show::Orphans,
                "capped" => Show::Capped,
                _ => Show::All,
            };
            view.set(View {
                show,
                ..(*view).clone()
            });
        })
    };
    let header = |column: Column, title: &'static str| {
        let view = view.clone();
        let active = view.column == column;
        let sort = match (active, view.ascending) {
            (false, _) => None,
            (true, true) => Some("ascending"),
            (true, false) => Some("descending"),
        };
        let onclick = {
            let view = view.clone();
            Callback::from(move |_: MouseEvent| {
                let ascending = if view.column == column {
                    !view.ascending
                } else {
                    true
                };
                view.set(View {
                    column,
                    ascending,
                    ..(*view).clone()
                });
            })
        };
        let arrow = match sort {
            Some("ascending") => " ▲",
            Some(_) => " ▼",
            None => "",
        };
        html! {
            <th scope="col" aria-sort={sort}>
                <button type="button" class="sort" {onclick}>{ title }<span aria-hidden="true">{ arrow }</span></button>
            </th>
        }
    };
    // The filtered, sorted order is kept until the rows or the view change.
    let order = use_memo(
        (SameRows(props.rows.clone()), (*view).clone()),
        |(rows, view)| filter_sort_indices(&rows.0, view),
    );
    let all = &props.rows;
    let w = virtual_list::window(
        order.len(),
        super::items_table::ROW_PX,
        super::items_table::VIEWPORT_PX,
        scroll,
    );
    let now = props.now;
    let c = &props.counters;
    // Rows are keyed by slot (see `row_slots`; one entry per key), never by position: a
    // focused row button keeps acting on its own key as entries come and go.
    let visible: Vec<&FailureRow> = order
        .get(w.start..w.end)
        .unwrap_or(&[])
        .iter()
        .filter_map(|&r| all.get(r))
        .collect();
    let ids: Vec<String> = visible.iter().map(|row| row.key.to_string()).collect();
    let slots = row_slots.slots.borrow_mut().assign(&ids);
    let body = visible.into_iter().zip(ids).zip(slots).map(|((row, id), slot)| {
        let is_selected = props.selected.as_ref() == Some(&row.key);
        let on_select = props.on_select.clone();
        let key = row.key.clone();
        let select = Callback::from(move |_: MouseEvent| on_select.emit(key.clone()));
        html! {
            <tr key={slot} data-row={id} ~className={if is_selected { "selected" } else { "" }}
                aria-current={is_selected.then_some("true")}>
                <th scope="row" class="key-cell">
                    <button type="button" class="link" onclick={select}
                        aria-label={format!("Select {}", row.key)}>{ row.key.to_string() }</button>
                    if row.status == EntryStatus::Orphan {
                        <span class="badge st-orphan" title="the object was deleted; only Forget removes this entry">
                            <span class="glyph" aria-hidden="true">{ "⚠" }</span>{ "orphan" }
                        </span>
                    }
                </th>
                <td class="num">{ row.requeues }</td>
                <td class="num">
                    { row.last_backoff.map(duration_text::duration).unwrap_or_else(|| html! { "—" }) }
                    if row.capped { <span class="cap-badge">{ "cap" }</span> }
                </td>
                <td>{ row.next_retry.map(|t| duration_text::countdown(now, t)).unwrap_or_else(|| html! { "—" }) }</td>
                <td><RowActions key_text={row.key.clone()} on_action={props.on_action.clone()} /></td>
            </tr>
        }
    });
    html! {
        <section class="panel failures" aria-labelledby="failures-h">
            <h2 id="failures-h">{ "Failures map" }</h2>
            <dl class="counters" aria-label="Failures map size">
                <div class="counter big"><dt><code>{ "len(failures)" }</code></dt><dd id="len-failures">{ c.entries }</dd></div>
                <div class="counter"><dt>{ "live keys" }</dt><dd id="live-keys">{ c.live_keys }</dd></div>
                <div class="counter"><dt>{ "failing keys" }</dt><dd id="failing-keys">{ c.failing_keys }</dd></div>
                <div class="counter"><dt>{ "orphan entries" }</dt><dd id="orphan-entries">{ c.orphans }</dd></div>
            </dl>
            if !c.maps.is_empty() {
                <p class="small" id="failure-maps">
                    { "This MaxOf holds a failures map in each per-item limiter, with the same keys: " }
                    { for c.maps.iter().enumerate().map(|(i, (name, len))| html! {
                        <>
                            if i > 0 { { ", " } }
                            <code>{ *name }</code>{ format!(" {len}") }
                        </>
                    }) }
                    { ". Their memory adds up." }
                </p>
            }
            <div class="filters">
                <div class="field inline">
                    <label for="fm-filter">{ "Filter keys" }</label>
                    <input id="fm-filter" type="search" value={view.text.clone()} oninput={on_text} />
                </div>
                <div class="field inline">
                    <label for="fm-show">{ "Show" }</label>
                    <select id="fm-show" onchange={on_show}>
                        <option value="all" selected={view.show == Show::All}>{ "all entries" }</option>
                        <option value="live" selected={view.show == Show::Live}>{ "live objects" }</option>
                        <option value="orphans" selected={view.show == Show::Orphans}>{ "orphans" }</option>
                        <option value="capped" selected={view.show == Show::Capped}>{ "at the cap" }</option>
                    </select>
                </div>
                <span class="small muted">{ format!("{} of {} shown", order.len(), props.rows.len()) }</span>
            </div>
            <div class="table-scroll" {onscroll}
                onfocusin={row_slots.onfocusin} onfocusout={row_slots.onfocusout}>
                <table class="fmap">
                    <caption>{ "Failures map" }</caption>
                    <thead><tr>
                        { header(Column::Key, "Key") }
                        { header(Column::Requeues, "Requeues") }
                        { header(Column::LastBackoff, "Last backoff") }
                        { header(Column::NextRetry, "Next retry") }
                        <th scope="col">{ "Actions" }</th>
                    </tr></thead>
                    <tbody>
                        { virtual_list::spacer_row(w.before_px, 5) }
                        { for body }
                        { virtual_list::spacer_row(w.after_px, 5) }
                    </tbody>
                </table>
                if order.is_empty() {
                    <p class="empty muted">{ "The map is empty: no key has failed since its last Forget." }</p>
                }
            </div>
        </section>
    }
}
