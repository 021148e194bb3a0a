//! Small components, each rendering one view from props; none holds simulation logic.
//!
//! A class name computed at run time is set as the `className` property, `~className={…}`,
//! never as `class={…}`: Yew turns a computed `class` into its `Classes` type, an `IndexSet` of
//! strings whose code costs about 3 KB of the gzipped page, and this is the one use of it.
//! SVG elements cannot take `className` (it is read-only there), so they get a literal `class`
//! (the scrubber's marks from a `<g>`, the legend's dashed line from an `if`).

pub mod bulk_panel;
pub mod chart_model;
pub mod chart_svg;
pub mod charts;
pub mod code_listing;
pub mod code_panel;
pub mod controller_panel;
pub mod diagnosis;
pub mod duration_text;
pub mod event_log;
pub mod export_panel;
pub mod failures_map;
pub mod field;
pub mod header;
pub mod help_overlay;
pub mod items_table;
pub mod key_panel;
pub mod lanes;
pub mod leak_detector;
pub mod limiter_panel;
pub mod live_region;
pub mod restore_progress;
pub mod row_actions;
pub mod row_slots;
pub mod runway;
pub mod scenario_picker;
pub mod schedule_table;
pub mod scrubber;
pub mod share_bar;
pub mod split_view;
pub mod state_badge;
pub mod time_controls;
pub mod tour;
