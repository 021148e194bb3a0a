//! Table virtualization: with 10 000 keys only the rows in view (plus a margin) are rendered,
//! and two spacer rows ([`spacer_row`]) keep the scroll bar honest.

/// The rows to render for a scroll position: `start..end` plus the pixel heights of the spacers
/// above and below them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First rendered row.
    pub start: usize,
    /// One past the last rendered row.
    pub end: usize,
    /// Height of the empty space standing in for rows `0..start`.
    pub before_px: u64,
    /// Height of the empty space standing in for rows `end..total`.
    pub after_px: u64,
}

/// Rows rendered above and below the visible ones, so fast scrolling does not show gaps.
pub const OVERSCAN: usize = 8;

/// Computes the window of rows to render for `total` rows of `row_px` pixels each, seen
/// through a viewport `viewport_px` tall scrolled to `scroll_px`. Never indexes past `total`.
pub fn window(total: usize, row_px: u32, viewport_px: u32, scroll_px: f64) -> Window {
    let row = u64::from(row_px.max(1));
    let scroll = if scroll_px.is_finite() && scroll_px > 0.0 {
        scroll_px as u64
    } else {
        0
    };
    let first_visible = usize::try_from(scroll / row)
        .unwrap_or(usize::MAX)
        .min(total);
    let visible = usize::try_from(u64::from(viewport_px).div_ceil(row)).unwrap_or(0) + 1;
    let start = first_visible.saturating_sub(OVERSCAN);
    let end = first_visible
        .saturating_add(visible)
        .saturating_add(OVERSCAN)
        .min(total);
    let to_px = |n: usize| u64::try_from(n).unwrap_or(u64::MAX).saturating_mul(row);
    Window {
        start,
        end,
        before_px: to_px(start),
        after_px: to_px(total - end),
    }
}

/// The scroll offset of a virtualized table's viewport, and the `onscroll` handler that keeps
/// it: [`window`] needs the offset on every render to pick the rows in view.
#[yew::hook]
pub fn use_scroll_top() -> (f64, yew::Callback<web_sys::Event>) {
    use web_sys::wasm_bindgen::JsCast;
    let scroll = yew::use_state(|| 0.0f64);
    let onscroll = {
        let scroll = scroll.clone();
        yew::Callback::from(move |e: web_sys::Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                scroll.set(f64::from(el.scroll_top()));
            }
        })
    };
    (*scroll, onscroll)
}

/// A spacer row standing in for `px` pixels of rows not rendered (nothing when `px` is 0),
/// spanning a table of `columns` columns.
pub fn spacer_row(px: u64, columns: u32) -> yew::Html {
    if px == 0 {
        return yew::Html::default();
    }
    yew::html! {
        <tr class="spacer" aria-hidden="true" style={format!("height:{px}px")}>
            <td colspan={columns.to_string()}></td>
        </tr>
    }
}
