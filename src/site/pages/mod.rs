//! Which pages and files a site has, and the data each one is rendered from.
//!
//! [`write_all`] is the build's list of steps, top to bottom; each step is a function of the
//! module named after the part of the site it makes. Paths come from [`super::routes`].

mod files;
mod jobs;
mod lists;
mod rows;
mod runs;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use minijinja::value::Value;

use crate::calendar::{self, ReleaseDates};
use crate::config::SiteConfig;
use crate::history::History;
use crate::month::Month;
use crate::stats::Stats;
use crate::status::{State, Status};
use crate::theme::Theme;

use super::form::{self, Checker};
use super::load::Site;
use super::output::Tree;
use super::pieces::PieceCache;
use super::render::{self, JobView, Page, Renderer};
use super::search::Record;

pub use jobs::{job_views, search_records};
pub(crate) use rows::Row;

/// The folders whose every page lists requests: every render writes all of them.
pub const LIST_FOLDERS: &[&str] = &["jobs/state", "jobs/release", "releases", "runs"];

/// Which pages a render writes.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    /// The requests whose own page and badge are written; `None` for all of them.
    pub jobs: Option<&'a BTreeSet<String>>,
    /// Whether the records of the search index are made (and returned).
    pub search: bool,
    /// Whether the rendered pieces of lists stay in the [`PieceCache`] for a later render.
    pub keep_pieces: bool,
}

impl Scope<'_> {
    /// Every page and file of the site.
    pub const ALL: Scope<'static> = Scope {
        jobs: None,
        search: true,
        keep_pieces: false,
    };
}

/// What a render is made from.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub site: &'a Site,
    /// The settings, with the base URL the pages are served from.
    pub config: &'a SiteConfig,
    pub theme: &'a Theme,
    pub today: NaiveDate,
    /// The requests' history from git ([`crate::history::read`]).
    pub history: &'a History,
    /// The request form's checker, when the build ships one.
    pub checker: Option<&'a Checker>,
}

/// Renders the pages and files of the site that `scope` names into `out`. Pages that list
/// requests (the index, views, releases, feeds, API) are always written. Returns the search
/// index's records if `scope` asks for them; [`super::search::write`] indexes them
/// (separately, so that the site can be let go of first).
pub fn write_all(
    input: &Input,
    out: &Tree,
    scope: Scope,
    pieces: &PieceCache,
) -> anyhow::Result<Vec<Record>> {
    let Input {
        site,
        config,
        theme,
        today,
        history,
        checker,
    } = *input;
    let renderer = Renderer::new(theme, config, &config.base_url, today)?;
    let nav = render::guide_nav(&site.guide);
    let base = Base {
        site,
        config,
        today,
        renderer: &renderer,
        nav: &nav,
        history,
        pieces,
        checker,
    };
    // The page being edited is the one looked at, and needs only its own request: it goes first.
    if let Some(ids) = scope.jobs {
        jobs::write_pages(&base, &jobs::edited_views(&base, ids), out)?;
    }
    let jobs = job_views(site, config, today, pieces);
    let rows: Vec<Row> = jobs.iter().map(Row::of).collect();
    let lists = Lists::new(base, &jobs, &rows);

    let mut pages = vec![lists::home(&lists)];
    pages.extend(lists::guide(&base));
    pages.extend(lists::jobs(&lists));
    pages.push(lists::feed(&lists));
    pages.extend(lists::releases(&lists));
    pages.extend(runs::sheets(&lists));
    pages.extend(lists::others(&lists));
    let files = files::all(&lists);
    let (written, others) = rayon::join(
        || render::write_pages(&renderer, &pages, out),
        || files::write(&files, out),
    );
    written.and(others)?;
    if let Some(checker) = checker {
        out.write(form::CHECKER, checker.bytes())?;
    }
    drop(pages);
    if !scope.keep_pieces {
        pieces.forget(None);
    }
    // All requests' pages go after the lists, so that the two large sets of pages are not held
    // in memory at the same time.
    if scope.jobs.is_none() {
        jobs::write_pages(&base, &jobs, out)?;
    }
    for (name, bytes) in &theme.assets {
        out.write(name, bytes)?;
    }
    Ok(if scope.search {
        search_records(site, &jobs)
    } else {
        Vec::new()
    })
}

/// What every step of a render reads.
#[derive(Clone, Copy)]
struct Base<'a> {
    site: &'a Site,
    config: &'a SiteConfig,
    today: NaiveDate,
    renderer: &'a Renderer,
    nav: &'a Value,
    history: &'a History,
    pieces: &'a PieceCache,
    checker: Option<&'a Checker>,
}

/// What the pages that list requests share: every request with its status, as rows, and what
/// is worked out from all of them once.
struct Lists<'a> {
    base: Base<'a>,
    jobs: &'a [JobView<'a>],
    rows: &'a [Row<'a>],
    /// The releases the site shows pages for ([`shown_releases`]).
    releases: Vec<ReleaseDates>,
    /// The weekends with planned runs, each with a run sheet.
    run_weekends: Vec<NaiveDate>,
    /// The releases some request targets, `YYYY-MM`, sorted.
    release_months: Vec<String>,
    /// The filters of the jobs lists: every state and every targeted release.
    filters: Value,
    /// Turnaround figures, for the stats page and the API.
    figures: Stats,
}

impl<'a> Lists<'a> {
    fn new(base: Base<'a>, jobs: &'a [JobView<'a>], rows: &'a [Row<'a>]) -> Self {
        let Base {
            site,
            config,
            today,
            ..
        } = base;
        let releases = shown_releases(site, config, today);
        let mut release_months: Vec<String> =
            rows.iter().map(|r| r.target_release.clone()).collect();
        release_months.sort();
        release_months.dedup();
        let filters = crate::ctx! {
            states => State::ALL.iter().map(|s| crate::ctx! { key => s.as_str(), label => s.label() }).collect::<Vec<_>>(),
            releases => &release_months,
        };
        let statuses: Vec<&Status> = jobs.iter().map(|j| &*j.status).collect();
        Lists {
            base,
            jobs,
            rows,
            run_weekends: crate::runsheet::weekends_with_runs(&site.requests, config, today),
            figures: crate::stats::compute(&site.requests, &statuses, config, &releases, today),
            releases,
            release_months,
            filters,
        }
    }
}

/// The releases a site shows: last month and the next eleven, plus every targeted one.
pub fn shown_releases(site: &Site, config: &SiteConfig, today: NaiveDate) -> Vec<ReleaseDates> {
    let mut months: Vec<Month> = (-1..=10).map(|n| Month::of(today).shift(n)).collect();
    months.extend(site.requests.iter().map(|l| *l.request.target_release));
    months.sort();
    months.dedup();
    months
        .into_iter()
        .map(|m| calendar::release_dates(config, m))
        .collect()
}
