//! The JSON shapes documented in the README: requests, releases and status.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::ReleaseDates;
use crate::month::Month;
use crate::request::{Kind, Loaded, Request};
use crate::status::{Fit, State, Status};

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
    pub next_action: &'a str,
}

/// `status` is the request's derived status, computed once by the caller.
pub fn status_entry<'a>(loaded: &'a Loaded, status: &'a Status) -> StatusEntry<'a> {
    StatusEntry {
        id: &loaded.id,
        state: status.state,
        target_release: *loaded.request.target_release,
        cutoff: status.cutoff,
        release_fit: status.fit,
        run_weekend: status.run_weekend,
        results_due: status.results_due,
        next_action: &status.next_action,
    }
}

/// One element of `calendar --format json` and `/api/releases.json`.
#[derive(Debug, Serialize)]
pub struct ReleaseEntry<'a> {
    #[serde(flatten)]
    pub dates: &'a ReleaseDates,
    pub requests: Vec<&'a str>,
}

/// Each release with the ids of the requests that target it, in one pass over the requests.
pub fn release_entries<'a>(
    releases: &'a [ReleaseDates],
    requests: &'a [Loaded],
) -> Vec<ReleaseEntry<'a>> {
    let mut by_release: BTreeMap<Month, Vec<&str>> = BTreeMap::new();
    for loaded in requests {
        by_release
            .entry(*loaded.request.target_release)
            .or_default()
            .push(&loaded.id);
    }
    releases
        .iter()
        .map(|dates| ReleaseEntry {
            dates,
            requests: by_release.remove(&dates.release).unwrap_or_default(),
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
    pub next_action: &'a str,
    pub url: String,
}

/// `status` is the request's derived status, computed once by the caller.
pub fn request_entry<'a>(
    id: &'a str,
    r: &'a Request,
    status: &'a Status,
    base_url: &str,
) -> RequestEntry<'a> {
    RequestEntry {
        id,
        title: &r.title,
        author: &r.author,
        kind: *r.kind,
        state: status.state,
        release_fit: status.fit,
        essential: r.essential,
        target_release: *r.target_release,
        submitted: *r.submitted,
        cutoff: status.cutoff,
        run_weekend: status.run_weekend,
        results_due: status.results_due,
        approved_on: r.approval.as_ref().map(|a| *a.on),
        next_action: &status.next_action,
        url: format!("{base_url}jobs/{id}/"),
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
