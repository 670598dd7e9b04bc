//! The JSON shapes documented in the README: requests, releases and status.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::ReleaseDates;
use crate::config::SiteConfig;
use crate::month::Month;
use crate::request::{Kind, Loaded};
use crate::status::{self, Fit, State};

/// One element of `status --format json`.
#[derive(Debug, Serialize)]
pub struct StatusEntry<'a> {
    pub id: &'a str,
    pub state: State,
    pub target_release: Month,
    pub cutoff: NaiveDate,
    pub release_fit: Option<Fit>,
    pub run_weekend: NaiveDate,
    pub results_due: NaiveDate,
    pub next_action: String,
}

pub fn status_entry<'a>(
    loaded: &'a Loaded,
    config: &SiteConfig,
    today: NaiveDate,
) -> StatusEntry<'a> {
    let s = status::derive(&loaded.request, config, today);
    StatusEntry {
        id: &loaded.id,
        state: s.state,
        target_release: *loaded.request.target_release,
        cutoff: s.cutoff,
        release_fit: s.fit,
        run_weekend: s.run_weekend,
        results_due: s.results_due,
        next_action: s.next_action,
    }
}

/// One element of `calendar --format json` and `/api/releases.json`.
#[derive(Debug, Serialize)]
pub struct ReleaseEntry<'a> {
    #[serde(flatten)]
    pub dates: &'a ReleaseDates,
    pub requests: Vec<&'a str>,
}

pub fn release_entries<'a>(
    releases: &'a [ReleaseDates],
    requests: &'a [Loaded],
) -> Vec<ReleaseEntry<'a>> {
    releases
        .iter()
        .map(|dates| ReleaseEntry {
            dates,
            requests: requests
                .iter()
                .filter(|l| *l.request.target_release == dates.release)
                .map(|l| l.id.as_str())
                .collect(),
        })
        .collect()
}

/// One element of `/api/requests.json`.
#[derive(Debug, Serialize)]
pub struct RequestEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub author: &'a str,
    pub kind: Kind,
    pub state: State,
    pub release_fit: Option<Fit>,
    pub essential: bool,
    pub target_release: Month,
    pub submitted: NaiveDate,
    pub cutoff: NaiveDate,
    pub run_weekend: NaiveDate,
    pub results_due: NaiveDate,
    pub approved_on: Option<NaiveDate>,
    pub next_action: String,
    pub url: String,
}

pub fn request_entry<'a>(
    loaded: &'a Loaded,
    config: &SiteConfig,
    today: NaiveDate,
) -> RequestEntry<'a> {
    let r = &loaded.request;
    let s = status::derive(r, config, today);
    RequestEntry {
        id: &loaded.id,
        title: &r.title,
        author: &r.author,
        kind: *r.kind,
        state: s.state,
        release_fit: s.fit,
        essential: r.essential,
        target_release: *r.target_release,
        submitted: *r.submitted,
        cutoff: s.cutoff,
        run_weekend: s.run_weekend,
        results_due: s.results_due,
        approved_on: r.approval.as_ref().map(|a| *a.on),
        next_action: s.next_action,
        url: format!("{}jobs/{}/", config.base_url, loaded.id),
    }
}

/// Pretty JSON with a final newline. `<`, `>` and `&` only occur inside strings in JSON, so
/// they are written as `\u003c`-style escapes: the output is safe even if embedded in HTML.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let text = serde_json::to_string_pretty(value).expect("plain data serialises");
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out.push('\n');
    out
}
