#![warn(missing_docs)]
//! Workqueue Playground: client-go's workqueue, ported faithfully to Rust, a
//! simulated controller world around it, and a browser UI to watch it work.
//!
//! The layers go one way (see `shared/architecture.md`):
//! [`workqueue`] (pure port, time as an input) → [`sim`] (the virtual
//! controller world) → `ui` (Yew, browser only, behind the `ui` feature)
//! or `js` (the simulation as a JavaScript package, behind the `js` feature).

pub mod decimal;
#[cfg(any(feature = "js", feature = "ui"))]
pub mod js;
pub mod sim;
pub mod stable_sort;
#[cfg(feature = "ui")]
pub mod ui;
pub mod workqueue;
