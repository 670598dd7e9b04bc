//! jobgate checks backup-server job test requests and builds the site that tracks them.
//!
//! The layers, lowest first: [`diagnostics`], [`month`] and [`yaml`]; [`config`]; [`calendar`];
//! [`request`]; [`status`]; [`site`]. Each layer only uses the ones below it, and everything up
//! to [`status`] takes text and dates, never files or the clock.

pub mod calendar;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diagnostics;
pub mod guard;
pub mod history;
pub mod month;
pub mod request;
pub mod site;
pub mod stats;
pub mod status;
pub mod theme;
pub mod yaml;
