//! `jobgate digest`.

use crate::cli::{DigestArgs, MarkdownOrJson};
use crate::digest;
use crate::status::{self, Status};

use super::Outcome;

pub fn run(args: DigestArgs) -> anyhow::Result<Outcome> {
    let today = super::resolve_today(args.site.today)?;
    let Some(site) = super::checked_site(&args.site.root, today)? else {
        return Ok(Outcome::InputErrors);
    };
    let config = crate::site::with_base_url(
        site.config.as_ref().expect("checked"),
        args.base_url.as_deref(),
    );
    let config = &config;
    let successors = crate::request::successors(&site.requests);
    let statuses: Vec<Status> = site
        .requests
        .iter()
        .map(|l| {
            let replaced_by = successors.get(l.id.as_str()).copied();
            status::derive_replaced(&l.request, config, today, replaced_by)
        })
        .collect();
    let digest = digest::build(&site.requests, &statuses, config, today);
    match args.format {
        MarkdownOrJson::Markdown => print!("{}", digest::markdown(&digest)),
        MarkdownOrJson::Json => print!("{}", crate::site::api::to_json(&digest)),
    }
    Ok(Outcome::Clean)
}
