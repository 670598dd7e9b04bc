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
    /// The job's pull request in the code repository, for `jobgate gate`.
    pub pr: Option<&'a str>,
    /// The resubmission that replaces this request, if any.
    pub replaced_by: Option<&'a str>,
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
        pr: r.pr.as_ref().map(|pr| pr.as_str()),
        replaced_by: status.replaced_by.as_deref(),
        next_action: &status.next_action,
        url: format!("{base_url}{}", super::routes::Route::Job(id).path()),
    }
}

/// One item of a JSON list as [`to_json`] writes it inside the list: every line indented one
/// level, without a line end after the last.
pub fn list_item<T: Serialize>(value: &T) -> String {
    let text = to_json(value);
    let mut item = String::with_capacity(text.len() + text.len() / 8);
    for line in text.lines() {
        if !item.is_empty() {
            item.push('\n');
        }
        item.push_str("  ");
        item.push_str(line);
    }
    item
}

/// The JSON list of `items` (each from [`list_item`]): the same text as [`to_json`] of the
/// values, so that a list can be joined from items made separately.
pub fn list(items: &[impl AsRef<str>]) -> String {
    if items.is_empty() {
        return "[]\n".to_owned();
    }
    let mut text = String::from("[\n");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text.push_str(",\n");
        }
        text.push_str(item.as_ref());
    }
    text.push_str("\n]\n");
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_joined_from_items_is_the_list_written_whole() {
        let values = vec![
            serde_json::json!({"id": "a", "runs": [], "approval": null, "tags": ["x", "<y>"]}),
            serde_json::json!({"id": "b", "nested": {"on": "2026-11-27", "list": [1, 2]}}),
            serde_json::json!({}),
        ];
        let items: Vec<String> = values.iter().map(list_item).collect();
        assert_eq!(list(&items), to_json(&values));
        assert_eq!(
            list(&[] as &[String]),
            to_json(&Vec::<serde_json::Value>::new())
        );
    }
}
