//! The Atom feed of request events: what happened to which request, newest first.
//!
//! Events come from the files alone (submitted, scheduled, each run, approval, withdrawal), so
//! the feed is the same for the same files; ids are stable so feed readers never repeat an entry.

use chrono::NaiveDate;
use serde::Serialize;

use crate::request::{Loaded, RunResult};

/// How many entries the feed keeps.
pub const FEED_LENGTH: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FeedEvent {
    pub date: NaiveDate,
    /// Stable within the request: `submitted`, `scheduled`, `run-2`, `approval`, `withdrawn`.
    pub key: String,
    pub id: String,
    pub title: String,
    pub summary: String,
}

/// Every event of every request, newest first, at most [`FEED_LENGTH`].
pub fn events(requests: &[Loaded]) -> Vec<FeedEvent> {
    let mut all = Vec::new();
    for loaded in requests {
        let r = &loaded.request;
        let mut push = |date: NaiveDate, key: String, what: String, summary: String| {
            all.push(FeedEvent {
                date,
                key,
                id: loaded.id.clone(),
                title: format!("{what}: {}", r.title.value),
                summary,
            });
        };
        push(
            *r.submitted,
            "submitted".into(),
            "Submitted".into(),
            format!(
                "@{} asked to test {} for {}.",
                r.author.value,
                jobs(loaded),
                r.target_release.value
            ),
        );
        if let Some(s) = &r.scheduled {
            push(
                *s.on,
                "scheduled".into(),
                "Scheduled".into(),
                format!(
                    "@{} scheduled the run for the weekend of {}.",
                    s.by.value, s.weekend.value
                ),
            );
        }
        for (i, run) in r.runs.iter().enumerate() {
            let result = match *run.result {
                RunResult::Success => "succeeded",
                RunResult::Failure => "reported failures",
                RunResult::Error => "ended in an error",
            };
            push(
                *run.on,
                format!("run-{}", i + 1),
                format!("Run {}", i + 1),
                format!(
                    "The run on the {} server by @{} {result}.",
                    run.server.as_str(),
                    run.by.value
                ),
            );
        }
        if let Some(a) = &r.approval {
            push(
                *a.on,
                "approval".into(),
                "Approved".into(),
                format!("@{} approved it for {}.", a.by.value, a.release.value),
            );
        }
        if let Some(w) = &r.withdrawn {
            push(
                *w.on,
                "withdrawn".into(),
                "Withdrawn".into(),
                "The request was withdrawn.".into(),
            );
        }
    }
    all.sort_by(|a, b| (b.date, &b.id, &b.key).cmp(&(a.date, &a.id, &a.key)));
    all.truncate(FEED_LENGTH);
    all
}

fn jobs(loaded: &Loaded) -> String {
    loaded
        .request
        .jobs
        .iter()
        .map(|j| j.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
