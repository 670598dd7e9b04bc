//! `jobgate runsheet`: what the coordinator runs on a weekend.

use std::io::IsTerminal as _;

use crate::cli::{RunsheetArgs, RunsheetFormat};
use crate::runsheet;

use super::Outcome;

pub fn run(args: RunsheetArgs) -> anyhow::Result<Outcome> {
    let today = super::resolve_today(args.site.today)?;
    let Some(site) = super::checked_site(&args.site.root, today)? else {
        return Ok(Outcome::InputErrors);
    };
    let config = site.config.as_ref().expect("checked");
    let weekend = args
        .weekend
        .unwrap_or_else(|| runsheet::this_weekend(&config.policy, today));
    let sheet = runsheet::build(&site.requests, config, today, weekend);
    let _ = std::io::stdout().is_terminal();
    match args.format {
        RunsheetFormat::Text => print!("{}", runsheet::text(&sheet)),
        RunsheetFormat::Markdown => print!("{}", runsheet::markdown(&sheet)),
    }
    Ok(Outcome::Clean)
}
