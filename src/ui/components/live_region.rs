//! The status line and the one polite status region behind it. The line shows the latest
//! message at once, so a click is answered in the same frame; the region exists from the first
//! render (screen readers ignore regions created at the moment they change) and announces at
//! most one message every two seconds: a burst of clicks is summarised by its latest message,
//! never a queue of chatter.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// Minimum wall time between two announcements.
pub const THROTTLE_MS: u32 = 2_000;

/// Props for [`LiveRegion`].
#[derive(Properties, PartialEq)]
pub struct LiveRegionProps {
    /// The latest announcement of a user action.
    pub message: AttrValue,
    /// Bumped on every new announcement, so repeating the same words announces again.
    pub seq: u64,
}

#[derive(Clone)]
struct Throttle {
    shown: UseStateSetter<String>,
    pending: Rc<RefCell<Option<String>>>,
    armed: Rc<Cell<bool>>,
    flip: Rc<Cell<bool>>,
}

impl Throttle {
    fn show(&self, message: String) {
        // Alternating a trailing no-break space makes a repeated message a text change.
        let flip = !self.flip.get();
        self.flip.set(flip);
        self.shown.set(if flip {
            message
        } else {
            format!("{message}\u{a0}")
        });
        self.arm();
    }

    fn arm(&self) {
        self.armed.set(true);
        let this = self.clone();
        Timeout::new(THROTTLE_MS, move || {
            let next = this.pending.borrow_mut().take();
            match next {
                Some(message) => this.show(message),
                None => this.armed.set(false),
            }
        })
        .forget();
    }

    fn offer(&self, message: String) {
        if self.armed.get() {
            *self.pending.borrow_mut() = Some(message);
        } else {
            self.show(message);
        }
    }
}

/// The visible status line (the latest message, at once) and `role="status"` (the same words,
/// announced at most once per 2 s).
#[component]
pub fn LiveRegion(props: &LiveRegionProps) -> Html {
    let shown = use_state(String::new);
    let throttle = {
        let setter = shown.setter();
        use_mut_ref(move || Throttle {
            shown: setter,
            pending: Rc::new(RefCell::new(None)),
            armed: Rc::new(Cell::new(false)),
            flip: Rc::new(Cell::new(false)),
        })
    };
    use_effect_with((props.seq, props.message.clone()), move |(seq, message)| {
        if *seq > 0 {
            let t = throttle.borrow().clone();
            t.offer(message.to_string());
        }
    });
    let latest = if props.seq > 0 {
        props.message.clone()
    } else {
        AttrValue::default()
    };
    html! {
        <>
            // The screen reader hears the region below; the line is for the eyes.
            <div class="status-line" id="status-text" aria-hidden="true">{ latest }</div>
            <div role="status" class="visually-hidden" id="announcer">{ (*shown).clone() }</div>
        </>
    }
}
