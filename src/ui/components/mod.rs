//! Small components, each rendering one view from props; none holds simulation logic.

pub mod bulk_panel;
pub mod chart_model;
pub mod chart_svg;
pub mod charts;
pub mod code_listing;
pub mod code_panel;
pub mod controller_panel;
pub mod diagnosis;
pub mod event_log;
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
pub mod row_actions;
pub mod runway;
pub mod scenario_picker;
pub mod schedule_table;
pub mod share_bar;
pub mod state_badge;
pub mod time_controls;
