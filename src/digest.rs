//! `jobgate digest`: what needs attention today, for the "What needs attention" issue the deploy
//! keeps up to date: overdue requests (the admins are mentioned), this weekend's planned runs,
//! results due in the coming week, release blockers and requests at risk, and the next cutoff.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{self, ReleaseDates};
use crate::config::SiteConfig;
use crate::request::Loaded;
use crate::site::routes::Route;
use crate::status::{Fit, State, Status};
use crate::text::markdown_inline;

/// How far ahead "results due" looks, in days.
pub const RESULTS_AHEAD_DAYS: i64 = 7;

/// One request in a list of the digest.
#[derive(Debug, Serialize)]
pub struct Item<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub author: &'a str,
    pub state: State,
    pub target_release: String,
    /// The day it has been waiting since (overdue), or its results are due (results due).
    pub since: Option<NaiveDate>,
    /// Days from `since` to today.
    pub days: Option<i64>,
    pub next_action: &'a str,
    pub url: String,
}

/// This weekend's planned runs.
#[derive(Debug, Serialize)]
pub struct Weekend<'a> {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The run sheet's page, when the weekend has planned runs.
    pub runsheet: Option<String>,
    pub planned: Vec<Item<'a>>,
}

/// Everything the digest says, as `jobgate digest --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Digest<'a> {
    pub today: NaiveDate,
    pub next_cutoff: ReleaseDates,
    /// Days from today to the next cutoff's last submission day (negative once it passed).
    pub days_to_last_submission: i64,
    /// The admins named in the settings, who are mentioned when something is overdue.
    pub admins: &'a [String],
    pub overdue: Vec<Item<'a>>,
    pub this_weekend: Weekend<'a>,
    pub results_due: Vec<Item<'a>>,
    pub blockers: Vec<Item<'a>>,
    pub at_risk: Vec<Item<'a>>,
}

impl Digest<'_> {
    /// Whether nothing waits for anyone.
    pub fn is_quiet(&self) -> bool {
        self.overdue.is_empty()
            && self.this_weekend.planned.is_empty()
            && self.results_due.is_empty()
            && self.blockers.is_empty()
            && self.at_risk.is_empty()
    }
}

/// The digest of `requests` (each with its status, in site order) on `today`.
pub fn build<'a>(
    requests: &'a [Loaded],
    statuses: &'a [Status],
    config: &'a SiteConfig,
    today: NaiveDate,
) -> Digest<'a> {
    let item = |l: &'a Loaded, s: &'a Status, since: Option<NaiveDate>| Item {
        id: &l.id,
        title: &l.request.title,
        author: &l.request.author,
        state: s.state,
        target_release: l.request.target_release.to_string(),
        since,
        days: since.map(|d| (today - d).num_days()),
        next_action: &s.next_action,
        url: format!("{}{}", config.base_url, Route::Job(&l.id).path()),
    };
    let live: Vec<(&Loaded, &Status)> = requests
        .iter()
        .zip(statuses)
        .filter(|(_, s)| s.replaced_by.is_none())
        .collect();
    let mut overdue: Vec<Item> = live
        .iter()
        .filter(|(_, s)| s.state == State::Overdue)
        .map(|(l, s)| {
            // Unacknowledged: waiting since it was filed; else since its results were due.
            let since = if l.request.scheduled.is_none() {
                *l.request.submitted
            } else {
                s.results_due
            };
            item(l, s, Some(since))
        })
        .collect();
    overdue.sort_by(|a, b| b.days.cmp(&a.days).then(a.id.cmp(b.id)));
    let start = crate::runsheet::this_weekend(&config.policy, today);
    let planned: Vec<Item> = live
        .iter()
        .filter(|(_, s)| s.state == State::Scheduled && s.run_weekend == start)
        .map(|(l, s)| item(l, s, None))
        .collect();
    let runsheet = (!planned.is_empty()).then(|| {
        format!(
            "{}{}",
            config.base_url,
            Route::Runs(&start.to_string()).path()
        )
    });
    let mut results_due: Vec<Item> = live
        .iter()
        .filter(|(_, s)| {
            s.state == State::Scheduled
                && (0..=RESULTS_AHEAD_DAYS).contains(&(s.results_due - today).num_days())
        })
        .map(|(l, s)| item(l, s, Some(s.results_due)))
        .collect();
    results_due.sort_by(|a, b| a.since.cmp(&b.since).then(a.id.cmp(b.id)));
    let blockers = live
        .iter()
        .filter(|(_, s)| s.blocker)
        .map(|(l, s)| item(l, s, None))
        .collect();
    let at_risk = live
        .iter()
        .filter(|(_, s)| s.fit == Some(Fit::AtRisk))
        .map(|(l, s)| item(l, s, None))
        .collect();
    let next_cutoff =
        calendar::release_dates(config, calendar::release_for_cutoff_after(config, today));
    Digest {
        today,
        days_to_last_submission: (next_cutoff.last_submission - today).num_days(),
        next_cutoff,
        admins: &config.admins,
        overdue,
        this_weekend: Weekend {
            start,
            end: calendar::weekend_end(&config.policy, start),
            runsheet,
            planned,
        },
        results_due,
        blockers,
        at_risk,
    }
}

/// "2 Jan 2027".
fn day(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

fn plural(n: i64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The digest as the markdown. Request text is escaped ([`markdown_inline`]): only the
/// admins, from the settings, are mentioned.
pub fn markdown(d: &Digest) -> String {
    let mut out = String::from("## What needs attention\n\n");
    out.push_str(&format!(
        "As of {}. This issue is rewritten by the site's deploy every day and on every merge.\n\n",
        day(d.today)
    ));
    let c = &d.next_cutoff;
    let name = c
        .name
        .as_deref()
        .map(|n| format!(" ({})", markdown_inline(n)))
        .unwrap_or_default();
    let left = match d.days_to_last_submission {
        n if n < 0 => "passed".to_owned(),
        0 => "today".to_owned(),
        n => format!("in {}", plural(n, "day")),
    };
    out.push_str(&format!(
        "**Next cutoff:** release {}{name} is cut on {}; the last day to file a request for it \
         is {} ({left}).\n\n",
        c.release,
        day(c.cutoff),
        day(c.last_submission)
    ));
    if d.is_quiet() {
        out.push_str("Nothing needs attention.\n");
        return out;
    }
    let line = |i: &Item, extra: &str| {
        format!(
            "- [{}]({}): {}, by {}, for {}{extra}. Next: {}\n",
            markdown_inline(i.id),
            i.url,
            markdown_inline(i.title),
            markdown_inline(i.author),
            i.target_release,
            markdown_inline(i.next_action)
        )
    };
    if !d.overdue.is_empty() {
        out.push_str(&format!("### Overdue ({})\n\n", d.overdue.len()));
        if !d.admins.is_empty() {
            let mentions: Vec<String> = d.admins.iter().map(|a| format!("@{a}")).collect();
            out.push_str(&format!("{}: these wait for you.\n\n", mentions.join(" ")));
        }
        for i in &d.overdue {
            let waited = match (i.since, i.days) {
                (Some(since), Some(days)) => {
                    format!(", waiting {} (since {})", plural(days, "day"), day(since))
                }
                _ => String::new(),
            };
            out.push_str(&line(i, &waited));
        }
        out.push('\n');
    }
    let w = &d.this_weekend;
    if !w.planned.is_empty() {
        out.push_str(&format!(
            "### This weekend ({} to {})\n\n",
            day(w.start),
            day(w.end)
        ));
        if let Some(sheet) = &w.runsheet {
            out.push_str(&format!("The run sheet: {sheet}\n\n"));
        }
        for i in &w.planned {
            out.push_str(&line(i, ""));
        }
        out.push('\n');
    }
    let lists = [
        ("Results due in the coming week", &d.results_due),
        ("Release blockers", &d.blockers),
        ("At risk", &d.at_risk),
    ];
    for (heading, items) in lists {
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("### {heading} ({})\n\n", items.len()));
        for i in items {
            let due = i
                .since
                .filter(|_| heading.starts_with("Results"))
                .map(|d| format!(", results due {}", day(d)))
                .unwrap_or_default();
            out.push_str(&line(i, &due));
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
