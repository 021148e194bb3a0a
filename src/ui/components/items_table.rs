//! The item table: every key in the queue machinery with its state, attempt number and a
//! countdown bar, virtualized so 10 000 keys render only the rows in view. While the table has
//! focus (and only then, and only if enabled) single keys act on the selected row.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::components::duration_text;
use crate::ui::components::row_actions::RowActions;
use crate::ui::components::row_slots::use_row_slots;
use crate::ui::components::state_badge::StateBadge;
use crate::ui::key_action::KeyAction;
use crate::ui::view::{ItemRow, KeyText};
use crate::ui::virtual_list;
use crate::workqueue::Time;

/// Row height in pixels (fixed, so the window arithmetic is exact).
pub const ROW_PX: u32 = 36;
/// Scroll viewport height in pixels (the CSS `height` of `.table-scroll`).
pub const VIEWPORT_PX: u32 = 360;

/// What a key press in the table asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKey {
    /// Act on the selected row.
    Act(KeyAction),
    /// Select the next row.
    Down,
    /// Select the previous row.
    Up,
}

/// The table shortcut for a key press, if shortcuts are on and the press has no modifiers.
pub fn table_key(key: &str, enabled: bool, modified: bool) -> Option<TableKey> {
    match key {
        "ArrowDown" => Some(TableKey::Down),
        "ArrowUp" => Some(TableKey::Up),
        _ if !enabled || modified => None,
        _ => {
            let mut chars = key.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => KeyAction::from_shortcut(c).map(TableKey::Act),
                _ => None,
            }
        }
    }
}

/// Props for [`ItemsTable`].
#[derive(Properties, PartialEq)]
pub struct ItemsTableProps {
    /// Every item, in display order.
    pub rows: Rc<Vec<ItemRow>>,
    /// The virtual time the countdowns count from.
    pub now: Time,
    /// The selected key (highlighted; shortcuts act on it).
    pub selected: Option<KeyText>,
    /// Whether single-key shortcuts are on.
    pub shortcuts: bool,
    /// A row action (button or shortcut).
    pub on_action: Callback<(KeyAction, KeyText)>,
    /// A row was selected.
    pub on_select: Callback<KeyText>,
    /// Whether to show the Priority column (controller-runtime's priority queue).
    #[prop_or_default]
    pub priorities: bool,
}

/// The item table.
#[component]
pub fn ItemsTable(props: &ItemsTableProps) -> Html {
    let (scroll, onscroll) = virtual_list::use_scroll_top();
    let row_slots = use_row_slots();
    let onkeydown = {
        let rows = props.rows.clone();
        let selected = props.selected.clone();
        let (on_action, on_select) = (props.on_action.clone(), props.on_select.clone());
        let enabled = props.shortcuts;
        Callback::from(move |e: KeyboardEvent| {
            let modified = e.ctrl_key() || e.alt_key() || e.meta_key();
            let Some(k) = table_key(&e.key(), enabled, modified) else {
                return;
            };
            let index = selected
                .as_ref()
                .and_then(|s| rows.iter().position(|r| r.key == *s));
            match k {
                TableKey::Act(action) => {
                    if let Some(key) = &selected {
                        e.prevent_default();
                        on_action.emit((action, key.clone()));
                    }
                }
                TableKey::Down | TableKey::Up => {
                    e.prevent_default();
                    let next = match (k, index) {
                        (TableKey::Down, Some(i)) => (i + 1).min(rows.len().saturating_sub(1)),
                        (TableKey::Up, Some(i)) => i.saturating_sub(1),
                        _ => 0,
                    };
                    if let Some(r) = rows.get(next) {
                        on_select.emit(r.key.clone());
                    }
                }
            }
        })
    };
    let w = virtual_list::window(props.rows.len(), ROW_PX, VIEWPORT_PX, scroll);
    let now = props.now;
    let priorities = props.priorities;
    let columns = if priorities { 6 } else { 5 };
    // Rows are keyed by slot (see `row_slots`), never by position: a focused row button
    // keeps acting on its own item while workers churn through the rows.
    let visible = props.rows.get(w.start..w.end).unwrap_or(&[]);
    let ids: Vec<String> = visible.iter().map(ItemRow::identity).collect();
    let slots = row_slots.slots.borrow_mut().assign(&ids);
    let body = visible.iter().zip(ids).zip(slots).map(|((row, id), slot)| {
        let is_selected = props.selected.as_ref() == Some(&row.key);
        let on_select = props.on_select.clone();
        let key = row.key.clone();
        let select = Callback::from(move |_: MouseEvent| on_select.emit(key.clone()));
        let (fraction, countdown) = match (row.ready_at, row.wait) {
            (Some(ready), Some(wait)) if !wait.is_zero() => {
                let left = ready.saturating_since(now);
                ((left.as_secs_f64() / wait.as_secs_f64()).clamp(0.0, 1.0), duration_text::countdown(now, ready))
            }
            (Some(ready), _) => (0.0, duration_text::countdown(now, ready)),
            _ => (0.0, Html::default()),
        };
        html! {
            <tr key={slot} data-row={id} ~className={if is_selected { "selected" } else { "" }}
                aria-current={is_selected.then_some("true")}>
                <td class="key-cell">
                    <button type="button" class="link" onclick={select}
                        aria-label={format!("Select {}", row.key)}>{ row.key.to_string() }</button>
                </td>
                <td><StateBadge glyph={row.state.glyph()} label={row.state.label()} class={row.state.class()} /></td>
                if priorities {
                    <td class="num">{ row.priority.map(|p| p.to_string()).unwrap_or_default() }</td>
                }
                <td class="num">
                    <span class="attempt" title="NumRequeues: failures the limiter remembers">{ format!("#{}", row.requeues) }</span>
                    if row.capped { <span class="cap-badge" title="the delay reached the limiter's maximum">{ "cap" }</span> }
                </td>
                <td class="countdown">
                    if row.ready_at.is_some() {
                        <span class="bar" aria-hidden="true">
                            <span class="bar-fill st-waiting" style={format!("width:{:.1}%", fraction * 100.0)}></span>
                        </span>
                    }
                    <span class="small">{ countdown }</span>
                </td>
                <td><RowActions key_text={row.key.clone()} on_action={props.on_action.clone()} /></td>
            </tr>
        }
    });
    html! {
        <section class="panel" aria-labelledby="items-h">
            <h2 id="items-h">{ "Items" }<span class="count">{ props.rows.len() }</span></h2>
            <div class="table-scroll" tabindex="0" role="region" {onscroll} {onkeydown}
                onfocusin={row_slots.onfocusin} onfocusout={row_slots.onfocusout}
                aria-label="Items table. When focused: arrow keys select a row; A add, F fail, G forget, D done, S succeed">
                <table class="items">
                    <caption class="visually-hidden">{ "Items" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Key" }</th><th scope="col">{ "State" }</th>
                        if priorities { <th scope="col">{ "Priority" }</th> }
                        <th scope="col">{ "Attempt" }</th><th scope="col">{ "Countdown" }</th>
                        <th scope="col">{ "Actions" }</th>
                    </tr></thead>
                    <tbody>
                        { virtual_list::spacer_row(w.before_px, columns) }
                        { for body }
                        { virtual_list::spacer_row(w.after_px, columns) }
                    </tbody>
                </table>
                if props.rows.is_empty() {
                    <p class="empty muted">{ "No items in the queue. Type a key and press Add." }</p>
                }
            </div>
        </section>
    }
}
