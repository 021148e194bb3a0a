//! While a shared link or the autosave is replayed from t=0 to its cursor (a slice per frame),
//! how far the replay has come: a shared run of hours takes seconds to rebuild, and a page
//! that shows nothing meanwhile looks broken.

use yew::prelude::*;

use crate::ui::format;
use crate::workqueue::Time;

/// Props for [`RestoreProgress`].
#[derive(Properties, PartialEq)]
pub struct RestoreProgressProps {
    /// Where the replay is.
    pub now: Time,
    /// The cursor it replays to.
    pub target: Time,
    /// Stop the replay where it is.
    pub on_cancel: Callback<()>,
}

/// Thousandths of the way from t=0 to `target` that `now` has come (1000 at or past it).
pub fn permille(now: Time, target: Time) -> u64 {
    match target.as_nanos() {
        0 => 1000,
        t => (u128::from(now.as_nanos().min(t)) * 1000 / u128::from(t)) as u64,
    }
}

/// The restore banner.
#[component]
pub fn RestoreProgress(props: &RestoreProgressProps) -> Html {
    let cancel = {
        let cb = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class="restore-progress">
            <p class="small" role="status">
                { format!("Restoring the run: replaying it from t=0 to {}. Acting waits until it is done; Cancel stops it here.", format::at(props.target)) }
            </p>
            <progress aria-label="Restoring the run" max="1000"
                value={permille(props.now, props.target).to_string()}></progress>
            <span class="small mono" aria-hidden="true">{ format::at_whole_seconds(props.now) }</span>
            <button type="button" class="mini" onclick={cancel}>{ "Cancel" }</button>
        </div>
    }
}
