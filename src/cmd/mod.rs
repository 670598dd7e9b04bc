//! One short file per subcommand: turn arguments into options, call the library, print.

pub mod approve;
pub mod build;
pub mod calendar;
pub mod check;
pub mod digest;
pub mod edit;
pub mod gate;
pub mod new;
pub mod record;
pub mod runsheet;
pub mod schedule;
pub mod schema;
pub mod serve;
pub mod stats;
pub mod status;
pub mod verify;
pub mod withdraw;

use std::io::IsTerminal as _;
use std::path::Path;

use anyhow::{Context as _, bail};
use chrono::{DateTime, NaiveDate, Utc};

use crate::diagnostics::{self, Diagnostic};
use crate::site::{self, Site};

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    InputErrors,
}

/// `--today`, else `SOURCE_DATE_EPOCH`, else the clock (UTC).
pub fn resolve_today(flag: Option<NaiveDate>) -> anyhow::Result<NaiveDate> {
    if let Some(day) = flag {
        return Ok(day);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH={epoch} is not a number of seconds"))?;
        return match DateTime::<Utc>::from_timestamp(seconds, 0) {
            Some(moment) => Ok(moment.date_naive()),
            None => bail!("SOURCE_DATE_EPOCH={epoch} is out of range"),
        };
    }
    Ok(Utc::now().date_naive())
}

/// The site, loaded and checked, for the commands that read it without writing it (`status`,
/// `calendar`, `runsheet`, `stats`): `None`, with every diagnostic printed to stderr, when it
/// has errors or no readable settings; warnings are left to `check`.
pub fn checked_site(root: &Path, today: NaiveDate) -> anyhow::Result<Option<Site>> {
    let (site, found) = site::check(root, today)?;
    if found
        .iter()
        .any(|d| d.severity == diagnostics::Severity::Error)
        || site.config.is_none()
    {
        eprint!("{}", human(root, &found, std::io::stderr().is_terminal()));
        return Ok(None);
    }
    Ok(Some(site))
}

/// rustc-style rendering with a closing count.
pub fn human(root: &Path, found: &[Diagnostic], color: bool) -> String {
    let color = color && std::env::var_os("NO_COLOR").is_none();
    let sources = site::load::sources(root, found);
    let mut out = diagnostics::render_human(found, &sources, color);
    let errors = diagnostics::count(found, diagnostics::Severity::Error);
    let warnings = diagnostics::count(found, diagnostics::Severity::Warning);
    if errors + warnings > 0 {
        out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    }
    out
}
