//! The real-time driver: the only place the UI reads a wall clock. Each animation frame reports
//! how many wall milliseconds passed; the reducer multiplies that by the speed and advances the
//! sim's virtual clock. Long gaps (a background tab, a debugger) are clamped so the sim never
//! lurches forward, and the page asks to pause when it is hidden.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
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

type FrameClosure = Closure<dyn FnMut(f64)>;

/// While `running`, calls `on_frame(wall_ms)` once per animation frame with the clamped wall
/// time since the previous frame. Stops (cancels the pending frame) when `running` turns false
/// or the component unmounts.
#[hook]
pub fn use_animation_frames(running: bool, on_frame: Callback<f64>) {
    let latest = use_mut_ref(|| on_frame.clone());
    *latest.borrow_mut() = on_frame;
    use_effect_with(running, move |running| {
        let handle: Rc<RefCell<Option<i32>>> = Rc::new(RefCell::new(None));
        let closure: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
        if *running {
            let (handle_in, closure_in) = (handle.clone(), closure.clone());
            let previous: Rc<RefCell<Option<f64>>> = Rc::new(RefCell::new(None));
            *closure.borrow_mut() = Some(Closure::new(move |timestamp: f64| {
                let gap = previous.borrow().map_or(0.0, |p| frame_gap(p, timestamp));
                *previous.borrow_mut() = Some(timestamp);
                if gap > 0.0 {
                    latest.borrow().emit(gap);
                }
                *handle_in.borrow_mut() = request(&closure_in);
            }));
            *handle.borrow_mut() = request(&closure);
        }
        move || {
            if let (Some(id), Some(w)) = (handle.borrow_mut().take(), web_sys::window()) {
                let _ = w.cancel_animation_frame(id);
            }
            // Dropping the closure here also breaks its reference cycle through `closure_in`.
            closure.borrow_mut().take();
        }
    });
}

fn request(closure: &Rc<RefCell<Option<FrameClosure>>>) -> Option<i32> {
    let window = web_sys::window()?;
    let borrowed = closure.borrow();
    let f = borrowed.as_ref()?;
    window
        .request_animation_frame(f.as_ref().unchecked_ref())
        .ok()
}

/// Calls `on_hidden` whenever the page becomes hidden (tab switched, window minimised), so the
/// playground pauses instead of piling up virtual time nobody watches.
#[hook]
pub fn use_on_hidden(on_hidden: Callback<()>) {
    let latest = use_mut_ref(|| on_hidden.clone());
    *latest.borrow_mut() = on_hidden;
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|w| w.document());
        let listener: Closure<dyn FnMut()> = {
            let document = document.clone();
            Closure::new(move || {
                if document.as_ref().is_some_and(|d| d.hidden()) {
                    latest.borrow().emit(());
                }
            })
        };
        if let Some(d) = &document {
            let _ = d.add_event_listener_with_callback(
                "visibilitychange",
                listener.as_ref().unchecked_ref(),
            );
        }
        move || {
            if let Some(d) = &document {
                let _ = d.remove_event_listener_with_callback(
                    "visibilitychange",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}
