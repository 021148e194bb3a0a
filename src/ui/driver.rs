//! The real-time driver: the only place the UI reads a wall clock. Each animation frame reports
//! how many wall milliseconds passed; the reducer multiplies that by the speed and advances the
//! sim's virtual clock. Long gaps (a background tab, a debugger) are clamped so the sim never
//! lurches forward, and the page asks to pause when it is hidden.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

/// The longest wall gap one frame may report; RaftScope ignores gaps of 500 ms, we clamp at 250.
pub const MAX_FRAME_GAP_MS: f64 = 250.0;

/// Clamps the gap between two frame timestamps to [0, [`MAX_FRAME_GAP_MS`]].
pub fn frame_gap(previous_ms: f64, now_ms: f64) -> f64 {
    let gap = now_ms - previous_ms;
    if gap.is_finite() {
        gap.clamp(0.0, MAX_FRAME_GAP_MS)
    } else {
        0.0
    }
}

/// The frame requested next: dropping it cancels that frame (and so stops the loop).
type PendingFrame = Rc<RefCell<Option<AnimationFrame>>>;

/// Requests the next frame; when it comes, reports the gap since `previous` (if any) to the
/// latest `on_frame` and requests the one after.
fn next_frame(pending: PendingFrame, previous: Option<f64>, on_frame: Rc<RefCell<Callback<f64>>>) {
    let slot = pending.clone();
    let frame = request_animation_frame(move |timestamp| {
        let gap = previous.map_or(0.0, |p| frame_gap(p, timestamp));
        if gap > 0.0 {
            // Clone first: the callback may re-render the component that holds it.
            let on_frame_now = on_frame.borrow().clone();
            on_frame_now.emit(gap);
        }
        next_frame(slot, Some(timestamp), on_frame);
    });
    *pending.borrow_mut() = Some(frame);
}

/// While `running`, calls `on_frame(wall_ms)` once per animation frame with the clamped wall
/// time since the previous frame (gloo's `request_animation_frame`, one frame after another).
/// Stops (cancels the pending frame) when `running` turns false or the component unmounts.
#[hook]
pub fn use_animation_frames(running: bool, on_frame: Callback<f64>) {
    let latest = use_mut_ref(|| on_frame.clone());
    *latest.borrow_mut() = on_frame;
    use_effect_with(running, move |running| {
        let pending: PendingFrame = Rc::new(RefCell::new(None));
        if *running {
            next_frame(pending.clone(), None, latest);
        }
        move || drop(pending.borrow_mut().take())
    });
}

/// Calls `on_hidden` whenever the page becomes hidden (tab switched, window minimised), so the
/// playground pauses instead of piling up virtual time nobody watches.
#[hook]
pub fn use_on_hidden(on_hidden: Callback<()>) {
    let latest = use_mut_ref(|| on_hidden.clone());
    *latest.borrow_mut() = on_hidden;
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                let target = document.clone();
                EventListener::new(&target, "visibilitychange", move |_| {
                    if document.hidden() {
                        let on_hidden_now = latest.borrow().clone();
                        on_hidden_now.emit(());
                    }
                })
            });
        // Dropping the listener removes it.
        move || drop(listener)
    });
}
