//! The Yew front end: renders simulation snapshots and turns clicks and keys into simulation inputs.

mod app;
pub mod cadence;
pub mod components;
pub mod drafts;
pub mod driver;
pub mod embed_bridge;
pub mod embed_command;
pub mod format;
pub mod key_action;
pub mod pacing;
pub mod reconcile_choice;
pub mod shortcuts;
pub mod snapshot;
pub mod speed;
pub mod split_run;
pub mod split_setup;
pub mod startup;
pub mod state;
pub mod theme;
pub mod view;
pub mod virtual_list;

pub use app::App;
