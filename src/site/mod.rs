//! The site: load → validate → render → write → swap, as one flat list of steps.
//!
//! `check` is the same pipeline stopped before rendering, so `build` refuses exactly what
//! `check` reports.

pub mod api;
pub mod charts;
pub mod feed;
pub mod form;
pub mod grids;
pub mod guide;
pub mod ical;
pub mod links;
pub mod live;
pub mod load;
pub mod output;
pub mod pages;
pub mod pieces;
pub mod render;
pub mod report;
pub mod routes;
pub mod search;
pub mod sitemap;

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::request::check::{self, Findings};
use crate::theme::Theme;

pub use load::{Site, load};

/// What `jobgate build` needs to know.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub today: NaiveDate,
    /// Replaces `base_url` from the settings (e.g. the Pages URL of a fork).
    pub base_url: Option<String>,
    /// The request form's checker (`wasm/` built for the browser), shipped as
    /// `request/checker.wasm`; without it the form still writes the file.
    pub checker: Option<PathBuf>,
}

/// The result of a build or a check.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem found, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Files the site has; zero when the build was refused.
    pub files_written: usize,
    /// Of those, how many differ from the previous build's (the rest were not rewritten).
    pub files_changed: usize,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        diagnostics::count(&self.diagnostics, Severity::Error) > 0
    }
}

/// Loads and validates the whole site. Diagnostics come back sorted.
pub fn check(root: &std::path::Path, today: NaiveDate) -> anyhow::Result<(Site, Vec<Diagnostic>)> {
    let site = load(root)?;
    let found = diagnose(&site, today);
    Ok((site, found))
}

/// Every problem in a loaded site: what loading found, the request rules and the guide's
/// links, sorted.
pub fn diagnose(site: &Site, today: NaiveDate) -> Vec<Diagnostic> {
    diagnose_reusing(site, today, &mut Findings::new(), None)
}

/// Like [`diagnose`], reusing the whole-request findings `kept` holds for every request file
/// not in `fresh` ([`check::rules_reusing`]).
pub fn diagnose_reusing(
    site: &Site,
    today: NaiveDate,
    kept: &mut Findings,
    fresh: Option<&std::collections::BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let mut found = site.diagnostics.clone();
    if let Some(config) = &site.config {
        let parsed: std::collections::BTreeSet<&str> =
            site.requests.iter().map(|l| l.id.as_str()).collect();
        let unparsed: Vec<&str> = site
            .request_ids
            .iter()
            .map(String::as_str)
            .filter(|id| !parsed.contains(id))
            .collect();
        found.extend(check::rules_reusing(
            &site.requests,
            &unparsed,
            config,
            today,
            kept,
            fresh,
        ));
    }
    found.extend(links::check_guide_links(&site.guide, &site.requests));
    diagnostics::sort(&mut found);
    found
}

/// Builds the site into `options.out`, atomically; refuses when the input has errors.
pub fn build(options: &BuildOptions) -> anyhow::Result<Report> {
    let checker = options
        .checker
        .as_deref()
        .map(form::Checker::read)
        .transpose()?;
    let (site, diagnostics) = check(&options.root, options.today)?;
    let mut report = Report {
        diagnostics,
        files_written: 0,
        files_changed: 0,
    };
    let Some(config) = site.config.as_ref().filter(|_| !report.has_errors()) else {
        return Ok(report);
    };
    let config = with_base_url(config, options.base_url.as_deref());
    let theme = Theme::load(&options.root)?;
    let staging = output::Staging::create(&options.out)?;
    let history = crate::history::read(&site.root);
    let input = pages::Input {
        site: &site,
        config: &config,
        theme: &theme,
        today: options.today,
        history: &history,
        checker: checker.as_ref(),
    };
    let records = pages::write_all(
        &input,
        staging.tree(),
        pages::Scope::ALL,
        &pieces::PieceCache::default(),
    )?;
    // The pages are written; what is left is the search index, which needs only its records.
    drop(site);
    search::write(&records, staging.tree())?;
    (report.files_written, report.files_changed) = staging.tree().counts();
    staging.commit()?;
    Ok(report)
}

pub(crate) fn with_base_url(config: &SiteConfig, base_url: Option<&str>) -> SiteConfig {
    let mut config = config.clone();
    if let Some(url) = base_url {
        config.base_url = if url.ends_with('/') {
            url.to_owned()
        } else {
            format!("{url}/")
        };
    }
    config
}
