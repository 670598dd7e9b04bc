//! Which pages and files a site has, and the data each one is rendered from.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Days, NaiveDate};
use minijinja::value::Value;
use rayon::prelude::*;
use serde::Serialize;

use crate::calendar::{self, ReleaseDates};
use crate::config::SiteConfig;
use crate::month::Month;
use crate::request::Loaded;
use crate::status::{self, Fit, State, Status};
use crate::theme::Theme;

use super::load::Site;
use super::output::Tree;
use super::render::{self, JobView, Page, Renderer};
use super::search::{self, Record};
use super::{api, feed, ical};

/// One line of a jobs list.
#[derive(Clone, Debug, Serialize)]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    author: &'a str,
    kind: &'a str,
    target_release: String,
    essential: bool,
    state: State,
    state_label: &'static str,
    fit: Option<Fit>,
    fit_label: Option<&'static str>,
    blocker: bool,
    run_weekend: NaiveDate,
    next_action: &'a str,
    /// The resubmission that replaces this request, if any.
    replaced_by: Option<&'a str>,
}

/// Each request's pieces of the pages and files that list every request: its jobs-table row
/// (by page depth, as links in a row are relative to its page), its item in the home page's
/// "needs attention" list, its run event in the calendar and its entry in the JSON API. Every
/// list is joined from them; `jobgate serve` keeps them between rebuilds and forgets those of
/// the requests that changed, so a rebuild makes the pieces of the edited request only.
/// It also keeps each request's derived status, which needs only the request, the settings and
/// the day.
#[derive(Debug, Default)]
pub struct PieceCache {
    pieces: Mutex<HashMap<Piece, Arc<Kept<Arc<str>>>>>,
    statuses: Kept<Arc<Status>>,
}

/// What a cached piece is part of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Piece {
    Row { depth: usize },
    Attention,
    CalendarEvent,
    ApiEntry,
}

/// Values kept by request id.
#[derive(Debug)]
struct Kept<T>(Mutex<HashMap<String, T>>);

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept(Mutex::default())
    }
}

impl<T: Clone + Send + Sync> Kept<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, T>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value of each of `ids`, in order: kept from before, or made by `make` (given the
    /// index in `ids`) on all threads, and kept.
    fn get<E: Send>(
        &self,
        ids: &[&str],
        make: impl Fn(usize) -> Result<T, E> + Sync,
    ) -> Result<Vec<T>, E> {
        let mut found: Vec<Option<T>> = {
            let kept = self.lock();
            ids.iter().map(|id| kept.get(*id).cloned()).collect()
        };
        let missing: Vec<usize> = (0..ids.len()).filter(|&i| found[i].is_none()).collect();
        if !missing.is_empty() {
            let made = missing
                .par_iter()
                .map(|&i| make(i))
                .collect::<Result<Vec<T>, E>>()?;
            let mut kept = self.lock();
            for (i, made) in missing.into_iter().zip(made) {
                kept.insert(ids[i].to_owned(), made.clone());
                found[i] = Some(made);
            }
        }
        Ok(found.into_iter().flatten().collect())
    }

    /// Forgets the values of `ids`, or all of them.
    fn forget(&self, ids: Option<&BTreeSet<String>>) {
        let mut kept = self.lock();
        match ids {
            Some(ids) => kept.retain(|id, _| !ids.contains(id)),
            None => kept.clear(),
        }
    }
}

impl PieceCache {
    /// Forgets the pieces and statuses of `ids`, or all of them.
    pub fn forget(&self, ids: Option<&BTreeSet<String>>) {
        let pieces = self.pieces.lock().unwrap_or_else(|e| e.into_inner());
        pieces.values().for_each(|kept| kept.forget(ids));
        self.statuses.forget(ids);
    }

    /// The `piece` of each request in `ids`, in order, made by `make` where not kept.
    fn get(
        &self,
        piece: Piece,
        ids: &[&str],
        make: impl Fn(usize) -> anyhow::Result<String> + Sync,
    ) -> anyhow::Result<Vec<Arc<str>>> {
        let kept = Arc::clone(
            self.pieces
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(piece)
                .or_default(),
        );
        kept.get(ids, |i| make(i).map(Arc::from))
    }

    /// The derived status of each of `requests`, in order. A status depends on its request
    /// and on the request that replaces it, if any (`successors`): one kept for another
    /// successor is derived again, and the request's pieces are forgotten with it.
    fn statuses(
        &self,
        requests: &[&Loaded],
        successors: &BTreeMap<&str, &str>,
        config: &SiteConfig,
        today: NaiveDate,
    ) -> Vec<Arc<Status>> {
        let ids: Vec<&str> = requests.iter().map(|l| l.id.as_str()).collect();
        let successor = |i: usize| successors.get(ids[i]).copied();
        let stale: BTreeSet<String> = {
            let kept = self.statuses.lock();
            ids.iter()
                .enumerate()
                .filter(|(i, id)| {
                    kept.get(**id)
                        .is_some_and(|st| st.replaced_by.as_deref() != successor(*i))
                })
                .map(|(_, id)| (*id).to_owned())
                .collect()
        };
        if !stale.is_empty() {
            self.forget(Some(&stale));
        }
        let Ok(statuses) = self.statuses.get(&ids, |i| {
            Ok::<_, std::convert::Infallible>(Arc::new(status::derive_replaced(
                &requests[i].request,
                config,
                today,
                successor(i),
            )))
        });
        statuses
    }

    /// The rows of a jobs table on the page at `path`, joined.
    fn table(&self, renderer: &Renderer, path: &str, rows: &[&Row]) -> anyhow::Result<Value> {
        let depth = path.matches('/').count();
        self.joined(renderer, "row.html", Piece::Row { depth }, path, rows)
    }

    /// `template` rendered for each of `rows` on the page at `path`, one per line.
    fn joined(
        &self,
        renderer: &Renderer,
        template: &str,
        piece: Piece,
        path: &str,
        rows: &[&Row],
    ) -> anyhow::Result<Value> {
        let ids: Vec<&str> = rows.iter().map(|row| row.id).collect();
        let pieces = self.get(piece, &ids, |i| {
            renderer.render(template, path, crate::ctx! { row => rows[i] })
        })?;
        let mut html = String::with_capacity(pieces.iter().map(|p| p.len() + 1).sum());
        for rendered in &pieces {
            html.push_str(rendered);
            html.push('\n');
        }
        Ok(Value::from_safe_string(html))
    }
}

fn row<'a>(job: &'a JobView<'a>) -> Row<'a> {
    let r = job.r;
    Row {
        id: job.id,
        title: &r.title,
        author: &r.author,
        kind: match *r.kind {
            crate::request::Kind::New => "new",
            crate::request::Kind::Existing => "existing",
        },
        target_release: r.target_release.to_string(),
        essential: r.essential,
        state: job.status.state,
        state_label: job.status.state.label(),
        fit: job.status.fit,
        fit_label: job.status.fit.map(Fit::label),
        blocker: job.status.blocker,
        run_weekend: job.status.run_weekend,
        next_action: &job.status.next_action,
        replaced_by: job.status.replaced_by.as_deref(),
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

/// Renders the pages and files of the site that `scope` names into `out`. Pages that list
/// requests (the index, views, releases, feeds, API) are always written. Returns the search
/// index's records if `scope` asks for them; [`search::write`] indexes them (separately, so
/// that the site can be let go of first).
pub fn write_all(
    site: &Site,
    config: &SiteConfig,
    theme: &Theme,
    today: NaiveDate,
    out: &Tree,
    scope: Scope,
    pieces: &PieceCache,
) -> anyhow::Result<Vec<Record>> {
    let renderer = Renderer::new(theme, config, &config.base_url, today)?;
    let renderer = &renderer;
    let nav = render::guide_nav(&site.guide);
    let nav = &nav;
    let history = crate::history::read(&site.root);
    let history = &history;
    // The pages of a few requests go first, as the page being edited is the one looked at, and
    // each needs only its own request.
    if let Some(ids) = scope.jobs {
        let edited: Vec<&Loaded> = site
            .requests
            .iter()
            .filter(|l| ids.contains(&l.id))
            .collect();
        let successors = crate::request::successors(&site.requests);
        let statuses = pieces.statuses(&edited, &successors, config, today);
        let edited: Vec<JobView> = edited
            .into_iter()
            .zip(statuses)
            .map(|(l, status)| render::job_view(l, config, status))
            .collect();
        write_job_pages(&edited, renderer, nav, history, out)?;
    }
    let jobs = job_views(site, config, today, pieces);
    let rows: Vec<Row> = jobs.iter().map(row).collect();
    let releases = shown_releases(site, config, today);
    let run_weekends = crate::runsheet::weekends_with_runs(&site.requests, config, today);
    let run_weekends = &run_weekends;
    let release_months: Vec<String> = {
        let mut m: Vec<String> = rows.iter().map(|r| r.target_release.clone()).collect();
        m.sort();
        m.dedup();
        m
    };
    let filters = crate::ctx! {
        states => State::ALL.iter().map(|s| crate::ctx! { key => s.as_str(), label => s.label() }).collect::<Vec<_>>(),
        releases => &release_months,
    };
    let filters = &filters;
    let all_rows = &rows;
    // Turnaround figures, for the stats page and the API.
    let statuses: Vec<&Status> = jobs.iter().map(|j| &*j.status).collect();
    let figures = crate::stats::compute(&site.requests, &statuses, config, &releases, today);
    let figures = &figures;
    let mut pages = Vec::new();

    // Home.
    let next = calendar::release_dates(config, calendar::release_for_cutoff_after(config, today));
    let weekend = if calendar::is_run_day(&config.policy, today) {
        calendar::weekend_start_on_or_before(&config.policy, today)
    } else {
        calendar::weekend_start_after(&config.policy, today)
    };
    // Runs a coordinator has planned for the weekend, and apart from them the requests that
    // would run then but are not scheduled yet (or are overdue for it).
    let this_weekend: Vec<&Row> = rows
        .iter()
        .filter(|r| r.run_weekend == weekend && r.state == State::Scheduled)
        .collect();
    let this_weekend_waiting: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r.run_weekend == weekend && matches!(r.state, State::Submitted | State::Overdue)
        })
        .collect();
    let attention: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r.replaced_by.is_none()
                && (r.state.needs_attention() || r.blocker || r.fit == Some(Fit::AtRisk))
        })
        .collect();
    let counts = state_counts(&rows);
    pages.push(Page::fallible("", "home.html", move || {
        // The rows stay in the context as a list, so that a site's own home.html written
        // for them keeps working; the theme's lists the items rendered once per request.
        let attention_items =
            pieces.joined(renderer, "attention.html", Piece::Attention, "", &attention)?;
        Ok(crate::ctx! {
            nav => nav,
            next => &next,
            days_left => (next.cutoff - today).num_days(),
            weekend => weekend,
            weekend_end => calendar::weekend_end(&config.policy, weekend),
            runsheet => run_weekends.contains(&weekend).then(|| format!("runs/{weekend}/")),
            this_weekend => &this_weekend,
            this_weekend_waiting => &this_weekend_waiting,
            attention => &attention,
            attention_items => attention_items,
            counts => &counts,
            total => all_rows.len(),
        })
    }));

    // Guide.
    pages.push(Page::new("guide/", "guide_index.html", move || {
        crate::ctx! { nav => nav }
    }));
    for (i, page) in site.guide.iter().enumerate() {
        pages.push(Page::new(
            format!("guide/{}/", page.slug),
            "guide.html",
            move || {
                crate::ctx! {
                    nav => nav,
                    page => crate::ctx! {
                        slug => &page.slug,
                        title => &page.title,
                        description => &page.description,
                        html => Value::from_safe_string(page.body.html.clone()),
                        headings => &page.body.headings,
                        edit_url => format!("https://github.com/{}/edit/main/{}", config.site_repository, page.file),
                    },
                    prev => i.checked_sub(1).map(|p| &site.guide[p].slug),
                    prev_title => i.checked_sub(1).map(|p| &site.guide[p].title),
                    next => site.guide.get(i + 1).map(|p| &p.slug),
                    next_title => site.guide.get(i + 1).map(|p| &p.title),
                }
            },
        ));
    }

    // Jobs: the index, one view per state and per release, and one page per request.
    let every_row: Vec<&Row> = all_rows.iter().collect();
    pages.push(Page::fallible("jobs/", "jobs.html", move || {
        Ok(crate::ctx! {
            nav => nav,
            table => pieces.table(renderer, "jobs/", &every_row)?,
            count => every_row.len(),
            filters => filters,
            heading => "All requests",
        })
    }));
    // The same list narrowed to one state or to one release.
    let views = Views {
        nav,
        filters,
        renderer,
        pieces,
    };
    for state in State::ALL {
        let subset = rows.iter().filter(|r| r.state == state).collect();
        pages.push(views.page(
            format!("jobs/state/{}/", state.as_str()),
            format!("{} requests", state.label()),
            subset,
            Some(state.as_str()),
            None,
        ));
    }
    for month in &release_months {
        let subset = rows.iter().filter(|r| &r.target_release == month).collect();
        pages.push(views.page(
            format!("jobs/release/{month}/"),
            format!("Requests for {month}"),
            subset,
            None,
            Some(month.as_str()),
        ));
    }
    let events = feed::events(&site.requests);
    let updated = events.first().map_or(today, |e| e.date);
    pages.push(Page::new("feed.xml", "feed.xml", move || {
        crate::ctx! { events => &events, updated => updated }
    }));

    // Releases: the calendar and one readiness page per release.
    let mut by_release: BTreeMap<Month, Vec<&Row>> = BTreeMap::new();
    for (job, row) in jobs.iter().zip(&rows) {
        by_release
            .entry(*job.r.target_release)
            .or_default()
            .push(row);
    }
    let shown = &releases;
    pages.push(Page::new("releases/", "releases.html", move || {
        crate::ctx! {
            nav => nav,
            releases => shown,
            grids => month_grids(config, shown, today),
        }
    }));
    for dates in &releases {
        let members = by_release.remove(&dates.release).unwrap_or_default();
        let path = format!("releases/{}/", dates.release);
        pages.push(Page::fallible(path.clone(), "release.html", move || {
            let groups = FIT_GROUPS
                .iter()
                .enumerate()
                .map(|(rank, (key, label))| {
                    let rows: Vec<&Row> = members
                        .iter()
                        .copied()
                        .filter(|r| fit_rank(r) == rank)
                        .collect();
                    Ok(crate::ctx! {
                        key => key,
                        label => label,
                        count => rows.len(),
                        table => pieces.table(renderer, &path, &rows)?,
                    })
                })
                .collect::<anyhow::Result<Vec<Value>>>()?;
            // A replaced request is listed apart and not counted: its resubmission is.
            let counted = || members.iter().filter(|r| r.replaced_by.is_none());
            Ok(crate::ctx! {
                nav => nav,
                release => dates,
                groups => groups,
                total => counted().count(),
                ready => counted().filter(|r| r.fit == Some(Fit::In)).count(),
                blockers => counted().filter(|r| r.blocker).count(),
            })
        }));
    }
    // Run sheets, one per weekend with planned runs.
    for weekend in run_weekends.iter().copied() {
        pages.push(Page::new(
            format!("runs/{weekend}/"),
            "runs.html",
            move || {
                let sheet = crate::runsheet::build(&site.requests, config, today, weekend);
                runsheet_context(nav, &sheet)
            },
        ));
    }
    pages.push(Page::new("stats/", "stats.html", move || {
        let charts = super::charts::for_stats(figures).map(Value::from_safe_string);
        crate::ctx! { nav => nav, stats => figures, charts => charts }
    }));
    let search_parts: Vec<String> = (2..=search::parts(site.guide.len() + jobs.len()))
        .map(search::part_dir)
        .collect();
    pages.push(Page::new("search/", "search.html", move || {
        crate::ctx! { nav => nav, parts => &search_parts }
    }));
    pages.push(Page::new("404.html", "404.html", move || {
        crate::ctx! { nav => nav }
    }));
    // The files that are not pages, each made on its own thread.
    let host = ical::host_of(&config.base_url);
    let ids: Vec<&str> = site.requests.iter().map(|l| l.id.as_str()).collect();
    let ids = &ids;
    let files: [(&str, &(dyn Fn() -> anyhow::Result<String> + Sync)); 7] = [
        ("sitemap.xml", &|| {
            Ok(sitemap(site, config, &releases, run_weekends))
        }),
        ("calendar.ics", &|| {
            let events = pieces.get(Piece::CalendarEvent, ids, |i| {
                Ok(ical::run_event(&site.requests[i], host, today).unwrap_or_default())
            })?;
            let mut text = ical::head(&config.title, host, &releases, today);
            events.iter().for_each(|event| text.push_str(event));
            text.push_str(ical::END);
            Ok(text)
        }),
        ("api/requests.json", &|| {
            let entries = pieces.get(Piece::ApiEntry, ids, |i| {
                let j = &jobs[i];
                Ok(api::list_item(&api::request_entry(
                    j.id,
                    j.r,
                    &j.status,
                    &config.base_url,
                )))
            })?;
            Ok(api::list(&entries))
        }),
        ("api/releases.json", &|| {
            Ok(api::to_json(&api::release_entries(
                &releases,
                &site.requests,
            )))
        }),
        ("schema/request.json", &|| Ok(crate::request::json_schema())),
        ("api/stats.json", &|| Ok(api::to_json(figures))),
        ("api/history.json", &|| Ok(api::to_json(&history.to_api()))),
    ];
    let other_files = || {
        files
            .par_iter()
            .try_for_each(|(name, make)| out.write(name, make()?.as_bytes()))
    };
    let (lists, others) = rayon::join(|| render::write_pages(renderer, &pages, out), other_files);
    lists.and(others)?;
    drop(pages);
    if !scope.keep_pieces {
        pieces.forget(None);
    }
    // All requests' pages go after the lists, so that the two large sets of pages are not held
    // in memory at the same time.
    if scope.jobs.is_none() {
        write_job_pages(&jobs, renderer, nav, history, out)?;
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

/// One page and one badge per request in `jobs`, each made from its request when it is
/// rendered.
fn write_job_pages(
    jobs: &[JobView],
    renderer: &Renderer,
    nav: &Value,
    history: &crate::history::History,
    out: &Tree,
) -> anyhow::Result<()> {
    jobs.par_iter().try_for_each(|job| {
        let page = Page::new(format!("jobs/{}/", job.id), "job.html", || {
            crate::ctx! {
                nav => nav,
                job => job,
                runs => render::run_views(job.r),
                history => history.of(job.id),
                history_unavailable => history.unavailable(),
            }
        });
        out.write(&page.file(), page.render(renderer)?.as_bytes())?;
        let badge = Page::new(format!("jobs/{}/badge.svg", job.id), "badge.svg", || {
            crate::ctx! { id => job.id, state => job.status.state, label => job.state_label }
        });
        out.write(&badge.file(), badge.render(renderer)?.as_bytes())?;
        let events = feed::request_events(job.id, job.r);
        let updated = events.first().map_or(*job.r.submitted, |e| e.date);
        let feed = Page::new(format!("jobs/{}/feed.xml", job.id), "job_feed.xml", || {
            crate::ctx! { job => job, events => &events, updated => updated }
        });
        out.write(&feed.file(), feed.render(renderer)?.as_bytes())
    })
}

/// What every narrowed view of the jobs list shares.
#[derive(Clone, Copy)]
struct Views<'a> {
    nav: &'a Value,
    filters: &'a Value,
    renderer: &'a Renderer,
    pieces: &'a PieceCache,
}

impl<'a> Views<'a> {
    /// The jobs list narrowed to `subset`: one state's requests or one release's.
    fn page(
        self,
        path: String,
        heading: String,
        subset: Vec<&'a Row<'a>>,
        state: Option<&'a str>,
        release: Option<&'a str>,
    ) -> Page<'a> {
        Page::fallible(path.clone(), "jobs.html", move || {
            Ok(crate::ctx! {
                nav => self.nav,
                table => self.pieces.table(self.renderer, &path, &subset)?,
                count => subset.len(),
                filters => self.filters,
                heading => heading,
                current_state => state,
                current_release => release,
            })
        })
    }
}

/// Every request with what is derived from it, in site order; statuses that `pieces` keeps are
/// reused.
pub fn job_views<'a>(
    site: &'a Site,
    config: &SiteConfig,
    today: NaiveDate,
    pieces: &PieceCache,
) -> Vec<JobView<'a>> {
    let requests: Vec<&Loaded> = site.requests.iter().collect();
    let successors = crate::request::successors(&site.requests);
    let statuses = pieces.statuses(&requests, &successors, config, today);
    site.requests
        .par_iter()
        .zip(statuses)
        .map(|(l, status)| render::job_view(l, config, status))
        .collect()
}

/// What the search index holds: each guide page, then each job, in site order.
pub fn search_records(site: &Site, jobs: &[JobView]) -> Vec<Record> {
    let guide = site.guide.iter().map(|page| Record {
        url: format!("guide/{}/index.html", page.slug),
        title: page.title.clone(),
        section: "Guide",
        detail: page.description.clone(),
        text: page.text.clone(),
    });
    let jobs = jobs.iter().map(|job| {
        let r = job.r;
        let mut parts = vec![r.summary.as_str()];
        parts.extend(r.jobs.iter().map(|j| j.as_str()));
        parts.extend(
            [&r.reason, &r.notes, &r.fixed]
                .into_iter()
                .flatten()
                .map(|m| m.as_str()),
        );
        Record::from_markdown(
            format!("jobs/{}/index.html", job.id),
            r.title.to_string(),
            "Job",
            format!(
                "{} · {} · by {} · for {}",
                job.id,
                job.state_label,
                r.author.as_str(),
                *r.target_release
            ),
            &parts,
        )
    });
    guide.chain(jobs).collect()
}

/// How a release page groups its requests, most urgent first; the index is [`fit_rank`].
const FIT_GROUPS: [(&str, &str); 7] = [
    ("blocker", "Release blockers"),
    ("at-risk", "At risk"),
    ("missed", "Not going into this release"),
    ("on-track", "On track"),
    ("in", "In the release"),
    ("replaced", "Replaced by a resubmission"),
    ("withdrawn", "Withdrawn"),
];

/// The position of a row's group in [`FIT_GROUPS`].
fn fit_rank(row: &Row) -> usize {
    match (row.blocker, row.fit) {
        (_, None) => 6,
        _ if row.replaced_by.is_some() => 5,
        (true, _) => 0,
        (_, Some(Fit::AtRisk)) => 1,
        (_, Some(Fit::Missed)) => 2,
        (_, Some(Fit::OnTrack)) => 3,
        (_, Some(Fit::In)) => 4,
    }
}

fn state_counts(rows: &[Row]) -> Vec<Value> {
    State::ALL
        .iter()
        .map(|s| {
            crate::ctx! {
                key => s.as_str(),
                label => s.label(),
                count => rows.iter().filter(|r| r.state == *s).count(),
            }
        })
        .collect()
}

/// A month of the calendar as weeks of days, each day marked with what falls on it.
fn month_grids(config: &SiteConfig, releases: &[ReleaseDates], today: NaiveDate) -> Vec<Value> {
    let mut marks: BTreeMap<NaiveDate, Vec<Value>> = BTreeMap::new();
    for r in releases {
        let release = r.release.to_string();
        let mut mark = |day: NaiveDate, kind: &str, label: String| {
            marks
                .entry(day)
                .or_default()
                .push(crate::ctx! { kind => kind, label => label, release => &release });
        };
        mark(r.cutoff, "cutoff", format!("Cutoff {release}"));
        mark(
            r.last_submission,
            "last-submission",
            format!("Last submission {release}"),
        );
        mark(
            r.last_run_weekend,
            "last-run",
            format!("Last run weekend {release}"),
        );
        mark(
            r.recommended_by,
            "recommended",
            format!("Recommended by {release}"),
        );
    }
    (-1..=10)
        .map(|n| {
            let month = Month::of(today).shift(n);
            let first = month.first_day();
            let lead = first.weekday().num_days_from_monday() as u64;
            let start = first.checked_sub_days(Days::new(lead)).unwrap_or(first);
            let mut weeks = Vec::new();
            let mut day = start;
            while day <= month.last_day() {
                let week: Vec<Value> = (0..7)
                    .map(|i| {
                        let d = day.checked_add_days(Days::new(i)).unwrap_or(day);
                        crate::ctx! {
                            date => d,
                            day => d.day(),
                            in_month => Month::of(d) == month,
                            today => d == today,
                            run_day => calendar::is_run_day(&config.policy, d),
                            marks => marks.get(&d).cloned().unwrap_or_default(),
                        }
                    })
                    .collect();
                weeks.push(week);
                day = day.checked_add_days(Days::new(7)).unwrap_or(NaiveDate::MAX);
            }
            crate::ctx! { month => month.to_string(), name => month.long_name(), weeks => weeks }
        })
        .collect()
}

fn sitemap(
    site: &Site,
    config: &SiteConfig,
    releases: &[ReleaseDates],
    run_weekends: &[NaiveDate],
) -> String {
    let mut paths = vec![
        String::new(),
        "guide/".into(),
        "jobs/".into(),
        "releases/".into(),
        "stats/".into(),
    ];
    paths.extend(site.guide.iter().map(|p| format!("guide/{}/", p.slug)));
    paths.extend(site.requests.iter().map(|l| format!("jobs/{}/", l.id)));
    paths.extend(releases.iter().map(|r| format!("releases/{}/", r.release)));
    paths.extend(run_weekends.iter().map(|w| format!("runs/{w}/")));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        out.push_str("  <url><loc>");
        out.push_str(&crate::markdown::escape_attr(&format!(
            "{}{path}",
            config.base_url
        )));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// What `runs.html` sees: the planned requests with their instructions rendered, and the
/// requests listed apart.
fn runsheet_context<N: Serialize>(nav: N, sheet: &crate::runsheet::Sheet) -> Value {
    let planned: Vec<Value> = sheet
        .planned
        .iter()
        .map(|entry| {
            let r = &entry.loaded.request;
            let instructions: Vec<Value> = crate::runsheet::instructions(entry.loaded)
                .iter()
                .map(|(label, text)| {
                    crate::ctx! { label => label, text => text }
                })
                .collect();
            crate::ctx! {
                id => entry.loaded.id,
                title => r.title.as_str(),
                essential => r.essential,
                at_risk => entry.at_risk,
                state => entry.state.as_str(),
                state_label => entry.state.label(),
                jobs => r.jobs.iter().map(|j| j.as_str()).collect::<Vec<_>>(),
                instructions => instructions,
                success => r.output.success.expected.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                failure => r.output.failure.expected.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                record_line => crate::runsheet::record_line(entry.loaded),
            }
        })
        .collect();
    let apart: Vec<Value> = sheet
        .apart
        .iter()
        .map(|entry| {
            crate::ctx! {
                id => entry.loaded.id,
                title => entry.loaded.request.title.as_str(),
                essential => entry.loaded.request.essential,
                state => entry.state.as_str(),
                state_label => entry.state.label(),
                next_action => entry.next_action,
            }
        })
        .collect();
    crate::ctx! {
        nav => nav,
        weekend => sheet.weekend,
        weekend_end => sheet.weekend_end,
        results_due => sheet.results_due,
        planned => planned,
        apart => apart,
    }
}
