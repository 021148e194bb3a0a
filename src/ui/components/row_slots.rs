//! Which DOM row shows which item in a virtualized table.
//!
//! Keyed by item, every row whose item leaves the window is destroyed and every arriving
//! item builds a new row (about 40 nodes with its six action buttons): at 1000× the item table
//! churns thousands of nodes a second, and a cancelled restore, whose window holds other items
//! by then, rebuilt both tables from scratch. Keyed by position, a focused button would be
//! handed to whichever item takes its place. So rows are keyed by a slot: an item keeps its
//! slot while it stays in the window, an arriving item takes a slot a departed one left (its
//! row is patched, not rebuilt), and the slot of the row holding focus is never handed on,
//! so a focused button always acts on the item it was focused on.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Slots for the rows in view, by row identity (the item key, or place and key). A window
/// holds a few dozen rows, so plain lists are scanned (no hash map code in the wasm).
#[derive(Debug, Default)]
pub struct RowSlots {
    slots: Vec<(String, u32)>,
    next: u32,
    held: Option<String>,
}

impl RowSlots {
    fn slot_of(&self, id: &str) -> Option<u32> {
        self.slots.iter().find(|(k, _)| k == id).map(|&(_, s)| s)
    }

    /// The slot of each row in `ids` (identities, unique, in display order): the slot it had
    /// if it was in view before, else one a departed row left, else a new one. A held row
    /// (the one with focus) keeps its slot even out of view, so no other row gets it.
    pub fn assign(&mut self, ids: &[String]) -> Vec<u32> {
        let mut out: Vec<Option<u32>> = ids.iter().map(|id| self.slot_of(id)).collect();
        let held = self
            .held
            .as_deref()
            .and_then(|h| Some((h, self.slot_of(h)?)))
            .filter(|(h, _)| !ids.iter().any(|id| id == h));
        let taken = |s: u32, out: &[Option<u32>]| {
            out.contains(&Some(s)) || held.is_some_and(|(_, hs)| hs == s)
        };
        let mut free: Vec<u32> = self
            .slots
            .iter()
            .map(|&(_, s)| s)
            .filter(|&s| !taken(s, &out))
            .collect();
        for slot in out.iter_mut().filter(|s| s.is_none()) {
            // Lowest first, so the same changes always give the same slots.
            let lowest = (0..free.len()).min_by_key(|&i| free[i]);
            *slot = Some(match lowest {
                Some(i) => free.swap_remove(i),
                None => {
                    self.next += 1;
                    self.next - 1
                }
            });
        }
        let mut slots: Vec<(String, u32)> = ids
            .iter()
            .cloned()
            .zip(out.iter().map(|s| s.unwrap_or_default()))
            .collect();
        if let Some((h, s)) = held {
            slots.push((h.to_string(), s));
        }
        self.slots = slots;
        out.into_iter().map(|s| s.unwrap_or_default()).collect()
    }

    /// The row with this identity holds focus (`None`: no row does).
    pub fn hold(&mut self, id: Option<String>) {
        self.held = id;
    }
}

/// The attribute on each `<tr>` naming its row identity, read when focus enters the row. The
/// tables write it as the literal `data-row` (`html!` takes no attribute name from a constant).
pub const ROW_ATTR: &str = "data-row";
const ROW_SELECTOR: &str = "tr[data-row]";

/// A table's slots, with the `focusin`/`focusout` handlers (for the element around the rows)
/// that tell them which row holds focus.
pub struct RowSlotsHook {
    /// The slots.
    pub slots: Rc<RefCell<RowSlots>>,
    /// Focus entered an element: hold the row it is in, if any.
    pub onfocusin: Callback<FocusEvent>,
    /// Focus left an element: hold nothing until it enters another row.
    pub onfocusout: Callback<FocusEvent>,
}

/// The row slots of one table component (see [`RowSlots`]).
#[hook]
pub fn use_row_slots() -> RowSlotsHook {
    let slots = use_mut_ref(RowSlots::default);
    let onfocusin = {
        let slots = slots.clone();
        Callback::from(move |e: FocusEvent| {
            let row = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest(ROW_SELECTOR).ok().flatten())
                .and_then(|tr| tr.get_attribute(ROW_ATTR));
            slots.borrow_mut().hold(row);
        })
    };
    let onfocusout = {
        let slots = slots.clone();
        Callback::from(move |_: FocusEvent| slots.borrow_mut().hold(None))
    };
    RowSlotsHook {
        slots,
        onfocusin,
        onfocusout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn staying_rows_keep_their_slots_and_arriving_rows_take_departed_ones() {
        let mut s = RowSlots::default();
        assert_eq!(s.assign(&ids(&["a", "b", "c"])), [0, 1, 2]);
        // b stays, a and c leave, d and e arrive: they take 0 and 2, lowest first.
        assert_eq!(s.assign(&ids(&["d", "b", "e"])), [0, 1, 2]);
        assert_eq!(s.assign(&ids(&["b", "e", "f", "g"])), [1, 2, 0, 3]);
        // Once every row has gone (and its DOM with it), slots are new.
        assert_eq!(s.assign(&ids(&[])), Vec::<u32>::new());
        assert_eq!(s.assign(&ids(&["x"])), [4]);
    }

    #[test]
    fn the_held_row_keeps_its_slot_out_of_view_and_no_other_row_takes_it() {
        let mut s = RowSlots::default();
        assert_eq!(s.assign(&ids(&["a", "b"])), [0, 1]);
        s.hold(Some("b".into()));
        // b scrolls out of view while it holds focus: c must not get b's row.
        assert_eq!(s.assign(&ids(&["a", "c"])), [0, 2]);
        assert_eq!(s.assign(&ids(&["b", "a", "c"])), [1, 0, 2]);
        s.hold(None);
        assert_eq!(s.assign(&ids(&["d"])), [0]);
    }
}
