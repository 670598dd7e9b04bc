//! `jobgate stats`.

use crate::cli::{StatsArgs, TextOrJson};
use crate::site::{api, pages};
use crate::{stats, status};

use super::Outcome;

pub fn run(args: StatsArgs) -> anyhow::Result<Outcome> {
    let today = super::resolve_today(args.site.today)?;
    let Some(site) = super::checked_site(&args.site.root, today)? else {
        return Ok(Outcome::InputErrors);
    };
    let config = site.config.as_ref().expect("checked");
    let successors = crate::request::successors(&site.requests);
    let statuses: Vec<status::Status> = site
        .requests
        .iter()
        .map(|l| {
            let replaced_by = successors.get(l.id.as_str()).copied();
            status::derive_replaced(&l.request, config, today, replaced_by)
        })
        .collect();
    let statuses: Vec<&status::Status> = statuses.iter().collect();
    let releases = pages::shown_releases(&site, config, today);
    let figures = stats::compute(&site.requests, &statuses, config, &releases, today);
    match args.format {
        TextOrJson::Json => print!("{}", api::to_json(&figures)),
        TextOrJson::Text => print!("{}", stats::text(&figures)),
    }
    Ok(Outcome::Clean)
}
