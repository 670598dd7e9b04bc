//! The generated files that are not pages: the sitemap, the calendar, the JSON API and the
//! schema, each made on its own thread.

use rayon::prelude::*;

use super::super::output::Tree;
use super::super::pieces::Piece;
use super::super::routes;
use super::super::{api, form, ical, sitemap};
use super::{Base, Lists};

/// A file's path and how to make its text.
pub(super) type File<'a> = (
    &'static str,
    Box<dyn Fn() -> anyhow::Result<String> + Sync + 'a>,
);

/// Every file of the site that is not a page.
pub(super) fn all<'a>(lists: &'a Lists<'a>) -> Vec<File<'a>> {
    let Base {
        site,
        config,
        today,
        history,
        pieces,
        ..
    } = lists.base;
    let host = ical::host_of(&config.base_url);
    let ids: Vec<&str> = site.requests.iter().map(|l| l.id.as_str()).collect();
    let ids_for_api = ids.clone();
    vec![
        (
            routes::SITEMAP,
            Box::new(|| {
                Ok(sitemap::sitemap(
                    site,
                    config,
                    &lists.releases,
                    &lists.run_weekends,
                ))
            }),
        ),
        (
            routes::CALENDAR,
            Box::new(move || {
                let events = pieces.get(Piece::CalendarEvent, &ids, |i| {
                    Ok(ical::run_event(&site.requests[i], host, today).unwrap_or_default())
                })?;
                let mut text = ical::head(&config.title, host, &lists.releases, today);
                events.iter().for_each(|event| text.push_str(event));
                text.push_str(ical::END);
                Ok(text)
            }),
        ),
        (
            routes::API_REQUESTS,
            Box::new(move || {
                let entries = pieces.get(Piece::ApiEntry, &ids_for_api, |i| {
                    let j = &lists.jobs[i];
                    Ok(api::list_item(&api::request_entry(
                        j.id,
                        j.r,
                        &j.status,
                        &config.base_url,
                    )))
                })?;
                Ok(api::list(&entries))
            }),
        ),
        (
            routes::API_RELEASES,
            Box::new(|| {
                Ok(api::to_json(&api::release_entries(
                    &lists.releases,
                    &site.requests,
                )))
            }),
        ),
        (
            form::DATA,
            Box::new(|| {
                Ok(form::data(
                    config,
                    &site.requests,
                    lists.base.checker.is_some(),
                ))
            }),
        ),
        (
            routes::SCHEMA,
            Box::new(|| Ok(crate::request::json_schema())),
        ),
        (
            routes::API_STATS,
            Box::new(|| Ok(api::to_json(&lists.figures))),
        ),
        (
            routes::API_HISTORY,
            Box::new(|| Ok(api::to_json(&history.to_api()))),
        ),
    ]
}

/// Writes `files` into `out`, in parallel.
pub(super) fn write(files: &[File], out: &Tree) -> anyhow::Result<()> {
    files
        .par_iter()
        .try_for_each(|(name, make)| out.write(name, make()?.as_bytes()))
}
