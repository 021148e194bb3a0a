//! Durations and countdowns in tables and the runway: short enough to read at a glance
//! (`15.3s`), with the exact Go value (`15.281999999s`) on hover (`title`) and on keyboard
//! focus (shown after the text by CSS). A value that is exact already is plain text, so it
//! adds no tab stop.

use std::time::Duration;

use yew::prelude::*;

use crate::ui::format;
use crate::workqueue::Time;

fn glance(short: String, exact: String) -> Html {
    if short == exact {
        html! { <span class="dur">{ short }</span> }
    } else {
        html! {
            <span class="dur" tabindex="0" title={exact.clone()} data-exact={exact}>{ short }</span>
        }
    }
}

/// `d` at a glance, exact on hover and focus.
pub fn duration(d: Duration) -> Html {
    glance(format::short(d), format::dur(d))
}

/// The time from `now` to `due` at a glance (`in 15.3s`, `due`), exact on hover and focus.
pub fn countdown(now: Time, due: Time) -> Html {
    glance(format::until_short(now, due), format::until(now, due))
}
