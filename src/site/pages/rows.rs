//! A jobs list's rows, and how release pages group them.

use chrono::NaiveDate;
use minijinja::value::Value;
use serde::Serialize;

use crate::status::{Fit, State};

use super::JobView;

/// One line of a jobs list.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Row<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) author: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) target_release: String,
    pub(crate) essential: bool,
    pub(crate) state: State,
    pub(crate) state_label: &'static str,
    pub(crate) fit: Option<Fit>,
    pub(crate) fit_label: Option<&'static str>,
    pub(crate) blocker: bool,
    pub(crate) run_weekend: NaiveDate,
    pub(crate) next_action: &'a str,
    /// The resubmission that replaces this request, if any.
    pub(crate) replaced_by: Option<&'a str>,
}

impl<'a> Row<'a> {
    /// The row of one request.
    pub(super) fn of(job: &'a JobView<'a>) -> Row<'a> {
        let r = job.r;
        Row {
            id: job.id,
            title: &r.title,
            author: &r.author,
            kind: match *r.kind {
                crate::request::Kind::New => "new",
                crate::request::Kind::Existing => "existing",
            },
            target_release: r.target_release.to_string(),
            essential: r.essential,
            state: job.status.state,
            state_label: job.status.state.label(),
            fit: job.status.fit,
            fit_label: job.status.fit.map(Fit::label),
            blocker: job.status.blocker,
            run_weekend: job.status.run_weekend,
            next_action: &job.status.next_action,
            replaced_by: job.status.replaced_by.as_deref(),
        }
    }
}

/// How a release page groups its requests, most urgent first; the index is [`fit_rank`].
pub(super) const FIT_GROUPS: [(&str, &str); 7] = [
    ("blocker", "Release blockers"),
    ("at-risk", "At risk"),
    ("missed", "Not going into this release"),
    ("on-track", "On track"),
    ("in", "In the release"),
    ("replaced", "Replaced by a resubmission"),
    ("withdrawn", "Withdrawn"),
];

/// The position of a row's group in [`FIT_GROUPS`].
pub(super) fn fit_rank(row: &Row) -> usize {
    match (row.blocker, row.fit) {
        (_, None) => 6,
        _ if row.replaced_by.is_some() => 5,
        (true, _) => 0,
        (_, Some(Fit::AtRisk)) => 1,
        (_, Some(Fit::Missed)) => 2,
        (_, Some(Fit::OnTrack)) => 3,
        (_, Some(Fit::In)) => 4,
    }
}

pub(super) fn state_counts(rows: &[Row]) -> Vec<Value> {
    State::ALL
        .iter()
        .map(|s| {
            crate::ctx! {
                key => s.as_str(),
                label => s.label(),
                count => rows.iter().filter(|r| r.state == *s).count(),
            }
        })
        .collect()
}
