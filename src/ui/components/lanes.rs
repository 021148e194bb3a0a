//! The lanes, one per real structure, in the order an item travels: informer events → rate
//! limiter → waiting heap → queue (FIFO) → workers → done. Each item shows its state as a
//! shape and words as well as a colour.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::view::Lane;

/// Props for [`Lanes`].
#[derive(Properties, PartialEq)]
pub struct LanesProps {
    /// The lanes, in travel order.
    pub lanes: Rc<Vec<Lane>>,
}

/// The lanes view.
#[component]
pub fn Lanes(props: &LanesProps) -> Html {
    html! {
        <section class="panel lanes-panel" aria-labelledby="lanes-h">
            <h2 id="lanes-h">{ "Lanes" }</h2>
            <ol class="lanes">
                { for props.lanes.iter().map(|lane| {
                    let shown = lane.items.len();
                    html! {
                        <li class="lane" key={lane.title}>
                            <h3>{ lane.title }<span class="count">{ lane.count }</span></h3>
                            <code class="small">{ lane.detail.clone() }</code>
                            <ul class="lane-items">
                                { for lane.items.iter().enumerate().map(|(i, item)| html! {
                                    <li key={i} ~className={format!("chip {}", item.state.class())}
                                        title={format!("{} — {}", item.key, item.state.label())}>
                                        <span class="glyph" aria-hidden="true">{ item.state.glyph() }</span>
                                        <span class="chip-key">{ item.key.to_string() }</span>
                                        <span class="visually-hidden">{ format!(", {}", item.state.label()) }</span>
                                        if !item.note.is_empty() {
                                            <span class="chip-note">{ item.note.clone() }</span>
                                        }
                                    </li>
                                }) }
                            </ul>
                            if lane.count > shown {
                                <p class="small muted">{ format!("+{} more", lane.count - shown) }</p>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
