//! The per-key actions a person can take, named as the buttons are.

/// What a button on a key (the Key field, or a row) asks the controller's queue to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAction {
    /// `queue.Add(key)`: a change event.
    Add,
    /// Reconcile failed: `Done(key)` if it is processing, then `AddRateLimited(key)`.
    Fail,
    /// `queue.Forget(key)`: clear the limiter's memory of the key only.
    Forget,
    /// `queue.Done(key)`: finish processing.
    Done,
    /// Reconcile succeeded: `Forget(key)` then `Done(key)`.
    Succeed,
    /// The object is deleted from the informer's cache (its failures entry may stay behind).
    Delete,
}

impl KeyAction {
    /// Every row action, in button order.
    pub const ROW: [KeyAction; 6] = [
        KeyAction::Add,
        KeyAction::Fail,
        KeyAction::Forget,
        KeyAction::Done,
        KeyAction::Succeed,
        KeyAction::Delete,
    ];

    /// The button's visible name.
    pub fn name(self) -> &'static str {
        match self {
            KeyAction::Add => "Add",
            KeyAction::Fail => "Fail",
            KeyAction::Forget => "Forget",
            KeyAction::Done => "Done",
            KeyAction::Succeed => "Succeed",
            KeyAction::Delete => "Delete",
        }
    }

    /// The client-go call(s) it makes, for tooltips.
    pub fn call(self) -> &'static str {
        match self {
            KeyAction::Add => "queue.Add(key): a change event",
            KeyAction::Fail => "queue.Done(key) if processing, then queue.AddRateLimited(key)",
            KeyAction::Forget => "queue.Forget(key): clears the failures-map entry only",
            KeyAction::Done => "queue.Done(key): finish processing",
            KeyAction::Succeed => "queue.Forget(key) + queue.Done(key)",
            KeyAction::Delete => "delete the object (informer delete event)",
        }
    }

    /// The single-key shortcut in the item table, if it has one.
    pub fn shortcut(self) -> Option<char> {
        match self {
            KeyAction::Add => Some('a'),
            KeyAction::Fail => Some('f'),
            KeyAction::Forget => Some('g'),
            KeyAction::Done => Some('d'),
            KeyAction::Succeed => Some('s'),
            KeyAction::Delete => None,
        }
    }

    /// The action bound to a shortcut letter (case-insensitive).
    pub fn from_shortcut(c: char) -> Option<KeyAction> {
        let c = c.to_ascii_lowercase();
        KeyAction::ROW.into_iter().find(|a| a.shortcut() == Some(c))
    }
}
