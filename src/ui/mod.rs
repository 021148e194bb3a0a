//! The Yew front end: renders simulation snapshots and turns clicks and keys into simulation inputs.

mod app;

pub use app::App;
