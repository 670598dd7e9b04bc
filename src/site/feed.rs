//! The Atom feed of request events: what happened to which request, newest first.
//!
//! Events come from the files alone (submitted, scheduled, each run, approval, withdrawal), so
//! the feed is the same for the same files; ids are stable so feed readers never repeat an entry.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::Serialize;

use crate::request::{Approval, Loaded, Request, Run, RunResult, Scheduled};

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

/// Every event of every request, newest first, at most [`FEED_LENGTH`]. The newest are found
/// first and only they are written out, so a site of 10,000 requests formats 100 entries, not
/// tens of thousands.
pub fn events(requests: &[Loaded]) -> Vec<FeedEvent> {
    let mut all: Vec<Happened> = requests
        .iter()
        .flat_map(|l| Happened::all(&l.id, &l.request))
        .collect();
    let newest_first = |a: &Happened, b: &Happened| b.order().cmp(&a.order());
    if all.len() > FEED_LENGTH {
        all.select_nth_unstable_by(FEED_LENGTH - 1, newest_first);
        all.truncate(FEED_LENGTH);
    }
    all.sort_unstable_by(newest_first);
    all.iter().map(Happened::event).collect()
}

/// Every event of one request, newest first, for its own feed (`jobs/<id>/feed.xml`). A
/// request has a handful of events, so none is left out.
pub fn request_events(id: &str, request: &Request) -> Vec<FeedEvent> {
    let mut all: Vec<Happened> = Happened::all(id, request).collect();
    all.sort_unstable_by(|a, b| b.order().cmp(&a.order()));
    all.iter().map(Happened::event).collect()
}

/// One event of one request, before its entry is written.
struct Happened<'a> {
    id: &'a str,
    request: &'a Request,
    date: NaiveDate,
    key: Cow<'static, str>,
    what: What<'a>,
}

enum What<'a> {
    Submitted,
    Scheduled(&'a Scheduled),
    /// A run and its index in `runs`.
    Run(usize, &'a Run),
    Approval(&'a Approval),
    Withdrawn,
}

impl<'a> Happened<'a> {
    fn all(id: &'a str, r: &'a Request) -> impl Iterator<Item = Happened<'a>> {
        let at = move |date: NaiveDate, key: Cow<'static, str>, what| Happened {
            id,
            request: r,
            date,
            key,
            what,
        };
        let runs =
            r.runs.iter().enumerate().map(move |(i, run)| {
                at(*run.on, format!("run-{}", i + 1).into(), What::Run(i, run))
            });
        [
            Some(at(*r.submitted, "submitted".into(), What::Submitted)),
            r.scheduled
                .as_ref()
                .map(|s| at(*s.on, "scheduled".into(), What::Scheduled(s))),
        ]
        .into_iter()
        .flatten()
        .chain(runs)
        .chain(
            [
                r.approval
                    .as_ref()
                    .map(|a| at(*a.on, "approval".into(), What::Approval(a))),
                r.withdrawn
                    .as_ref()
                    .map(|w| at(*w.on, "withdrawn".into(), What::Withdrawn)),
            ]
            .into_iter()
            .flatten(),
        )
    }

    /// Later events sort after earlier ones; on the same day, by request id, then key.
    fn order(&self) -> (NaiveDate, &str, &str) {
        (self.date, self.id, &self.key)
    }

    fn event(&self) -> FeedEvent {
        let r = self.request;
        let (what, summary) = match self.what {
            What::Submitted => (
                "Submitted".to_owned(),
                format!(
                    "@{} asked to test {} for {}.",
                    r.author.value,
                    jobs(r),
                    r.target_release.value
                ),
            ),
            What::Scheduled(s) => (
                "Scheduled".to_owned(),
                format!(
                    "@{} scheduled the run for the weekend of {}.",
                    s.by.value, s.weekend.value
                ),
            ),
            What::Run(i, run) => {
                let result = match *run.result {
                    RunResult::Success => "succeeded",
                    RunResult::Failure => "reported failures",
                    RunResult::Error => "ended in an error",
                };
                (
                    format!("Run {}", i + 1),
                    format!(
                        "The run on the {} server by @{} {result}.",
                        run.server.as_str(),
                        run.by.value
                    ),
                )
            }
            What::Approval(a) => (
                "Approved".to_owned(),
                format!("@{} approved it for {}.", a.by.value, a.release.value),
            ),
            What::Withdrawn => (
                "Withdrawn".to_owned(),
                "The request was withdrawn.".to_owned(),
            ),
        };
        FeedEvent {
            date: self.date,
            key: self.key.clone().into_owned(),
            id: self.id.to_owned(),
            title: format!("{what}: {}", r.title.value),
            summary,
        }
    }
}

fn jobs(r: &Request) -> String {
    r.jobs
        .iter()
        .map(|j| j.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
