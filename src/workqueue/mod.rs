//! A faithful, deterministic port of client-go's `util/workqueue`, with time as an input.

mod clock;

pub use clock::{Clock, FakeClock, Time};
