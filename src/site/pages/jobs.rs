//! Each request's own page, badge and feed, and what the search index holds.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::request::Loaded;

use super::super::feed;
use super::super::load::Site;
use super::super::output::Tree;
use super::super::pieces::PieceCache;
use super::super::routes::Route;
use super::super::search::Record;
use super::{Base, JobView, Page, render};

/// Every request with what is derived from it, in site order; statuses that `pieces` keeps are
/// reused.
pub fn job_views<'a>(
    site: &'a Site,
    config: &SiteConfig,
    today: NaiveDate,
    pieces: &PieceCache,
) -> Vec<JobView<'a>> {
    let requests: Vec<&Loaded> = site.requests.iter().collect();
    views(&requests, site, config, today, pieces)
}

/// The requests named in `ids`, with what is derived from them.
pub(super) fn edited_views<'a>(base: &Base<'a>, ids: &BTreeSet<String>) -> Vec<JobView<'a>> {
    let edited: Vec<&Loaded> = base
        .site
        .requests
        .iter()
        .filter(|l| ids.contains(&l.id))
        .collect();
    views(&edited, base.site, base.config, base.today, base.pieces)
}

fn views<'a>(
    requests: &[&'a Loaded],
    site: &Site,
    config: &SiteConfig,
    today: NaiveDate,
    pieces: &PieceCache,
) -> Vec<JobView<'a>> {
    let successors = crate::request::successors(&site.requests);
    let statuses = pieces.statuses(requests, &successors, config, today);
    requests
        .par_iter()
        .zip(statuses)
        .map(|(l, status)| render::job_view(l, config, status))
        .collect()
}

/// One page, one badge and one feed per request in `jobs`, each made from its request when it
/// is rendered.
pub(super) fn write_pages(base: &Base, jobs: &[JobView], out: &Tree) -> anyhow::Result<()> {
    let Base {
        renderer,
        nav,
        history,
        ..
    } = *base;
    jobs.par_iter().try_for_each(|job| {
        let page = Page::new(Route::Job(job.id).path(), "job.html", || {
            crate::ctx! {
                nav => nav,
                job => job,
                runs => render::run_views(job.r),
                history => history.of(job.id),
                history_unavailable => history.unavailable(),
            }
        });
        out.write(&page.file(), page.render(renderer)?.as_bytes())?;
        let badge = Page::new(Route::JobBadge(job.id).path(), "badge.svg", || {
            crate::ctx! { id => job.id, state => job.status.state, label => job.state_label }
        });
        out.write(&badge.file(), badge.render(renderer)?.as_bytes())?;
        let events = feed::request_events(job.id, job.r);
        let updated = events.first().map_or(*job.r.submitted, |e| e.date);
        let feed = Page::new(Route::JobFeed(job.id).path(), "job_feed.xml", || {
            crate::ctx! { job => job, events => &events, updated => updated }
        });
        out.write(&feed.file(), feed.render(renderer)?.as_bytes())
    })
}

/// What the search index holds: each guide page, then each job, in site order.
pub fn search_records(site: &Site, jobs: &[JobView]) -> Vec<Record> {
    let guide = site.guide.iter().map(|page| Record {
        url: Route::Guide(&page.slug).file(),
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
            Route::Job(job.id).file(),
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
