//! jobgate checks backup-server job test requests and builds the site that tracks them.
//!
//! The layers, lowest first, each using only the ones below it:
//!
//! 1. [`diagnostics`], [`month`], [`yaml`] (with its plain-words syntax errors), [`markdown`]
//!    and [`text`];
//! 2. [`config`] (site settings and policy);
//! 3. [`calendar`] (date math from the policy);
//! 4. [`request`] (schema, parsing, patterns, runs, rules, and [`request::check`], the one way
//!    a request file is checked);
//! 5. [`status`] (derived state and release fit), [`runsheet`] (the coordinator's list) and
//!    [`stats`] (turnaround figures);
//!
//! these five are the pure core: they take text and dates, never files or the clock, and build
//! without the `site` feature (for the browser). Above them, with the `site` feature (on by
//! default): [`history`] (a request's past, from git), [`guard`] (who may change what, against
//! a git base), [`record`] (the roles' commands' in-place edits), [`theme`], [`site`] (load,
//! check, render, write, serve), [`cli`] and [`cmd`] (one file per subcommand).

/// jobgate's version, which the site's pages and the browser's checker both carry.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod calendar;
#[cfg(feature = "site")]
pub mod cli;
#[cfg(feature = "site")]
pub mod cmd;
pub mod config;
pub mod diagnostics;
#[cfg(feature = "site")]
pub mod digest;
pub mod gate;
#[cfg(feature = "site")]
pub mod guard;
#[cfg(feature = "site")]
pub mod history;
pub mod markdown;
pub mod month;
#[cfg(feature = "site")]
pub mod record;
pub mod request;
pub mod runsheet;
#[cfg(feature = "site")]
pub mod site;
pub mod stats;
pub mod status;
pub mod text;
#[cfg(feature = "site")]
pub mod theme;
pub mod yaml;
