//! `jobgate status`.

use anyhow::bail;

use crate::cli::{StatusArgs, TextOrJson};
use crate::site::api;
use crate::status;

use super::Outcome;

pub fn run(args: StatusArgs) -> anyhow::Result<Outcome> {
    let today = super::resolve_today(args.site.today)?;
    let Some(site) = super::checked_site(&args.site.root, today)? else {
        return Ok(Outcome::InputErrors);
    };
    let config = site.config.as_ref().expect("checked");
    for id in &args.ids {
        if !site.requests.iter().any(|l| &l.id == id) {
            bail!("no request `{id}` in {}/requests", args.site.root.display());
        }
    }
    let successors = crate::request::successors(&site.requests);
    let chosen: Vec<_> = site
        .requests
        .iter()
        .filter(|l| args.ids.is_empty() || args.ids.contains(&l.id))
        .map(|l| {
            let replaced_by = successors.get(l.id.as_str()).copied();
            (
                l,
                status::derive_replaced(&l.request, config, today, replaced_by),
            )
        })
        .collect();
    let entries: Vec<api::StatusEntry> = chosen
        .iter()
        .map(|(l, s)| api::status_entry(l, s))
        .collect();
    match args.format {
        TextOrJson::Json => print!("{}", api::to_json(&entries)),
        TextOrJson::Text => print!("{}", table(&entries)),
    }
    Ok(Outcome::Clean)
}

fn table(entries: &[api::StatusEntry]) -> String {
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.id.to_owned(),
                e.state.as_str().to_owned(),
                e.target_release.to_string(),
                e.release_fit.map_or("-", |f| f.as_str()).to_owned(),
                e.run_weekend.to_string(),
                e.next_action.to_owned(),
            ]
        })
        .collect();
    let headers = [
        "ID",
        "STATE",
        "RELEASE",
        "FIT",
        "RUN WEEKEND",
        "NEXT ACTION",
    ];
    crate::text::table(&headers, &rows)
}
