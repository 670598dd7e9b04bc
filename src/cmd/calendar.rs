//! `jobgate calendar`.

use crate::calendar as dates;
use crate::cli::{CalendarArgs, CalendarFormat};
use crate::site::{api, ical};

use super::Outcome;

pub fn run(args: CalendarArgs) -> anyhow::Result<Outcome> {
    let today = super::resolve_today(args.site.today)?;
    let Some(site) = super::checked_site(&args.site.root, today)? else {
        return Ok(Outcome::InputErrors);
    };
    let config = site.config.as_ref().expect("checked");
    let from = args
        .from
        .unwrap_or_else(|| dates::release_for_cutoff_after(config, today));
    let releases = dates::releases_between(config, from, args.months);
    match args.format {
        CalendarFormat::Json => print!(
            "{}",
            api::to_json(&api::release_entries(&releases, &site.requests))
        ),
        CalendarFormat::Ics => print!(
            "{}",
            ical::calendar(
                &config.title,
                ical::host_of(&config.base_url),
                &releases,
                &site.requests,
                today
            )
        ),
        CalendarFormat::Text => {
            println!(
                "{:<9} {:<8} {:<14} {:<16} {:<16} CUTOFF",
                "RELEASE", "NAME", "RECOMMENDED", "LAST SUBMISSION", "LAST RUN"
            );
            for r in &releases {
                let left = (r.cutoff - today).num_days();
                let when = match left {
                    0 => "today".to_owned(),
                    n if n < 0 => "passed".to_owned(),
                    1 => "in 1 day".to_owned(),
                    n => format!("in {n} days"),
                };
                println!(
                    "{:<9} {:<8} {:<14} {:<16} {:<16} {} ({when})",
                    r.release.to_string(),
                    r.name.as_deref().unwrap_or("-"),
                    r.recommended_by.to_string(),
                    r.last_submission.to_string(),
                    r.last_run_weekend.to_string(),
                    r.cutoff
                );
            }
        }
    }
    Ok(Outcome::Clean)
}
