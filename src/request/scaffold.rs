//! A new request file, filled from what the author already knows, with every other field a
//! placeholder that `check` reports until it is written.

use chrono::NaiveDate;

use crate::month::Month;

use super::Kind;

/// What `jobgate new` knows before writing the skeleton.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRequest {
    pub title: Option<String>,
    pub kind: Kind,
    pub author: String,
    pub pr: Option<String>,
    pub target_release: Month,
    pub jobs: Vec<String>,
    pub submitted: NaiveDate,
}

/// Quotes text as a YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text of a new request file.
pub fn skeleton(new: &NewRequest) -> String {
    let title = new
        .title
        .as_deref()
        .map_or_else(|| quoted("TODO: one line saying what the job does"), quoted);
    let jobs: String = new
        .jobs
        .iter()
        .map(|j| format!("  - {}\n", quoted(j)))
        .collect();
    let kind = match new.kind {
        Kind::New => "new",
        Kind::Existing => "existing",
    };
    let why = match new.kind {
        Kind::New => format!("pr: {}\n", quoted(new.pr.as_deref().unwrap_or_default())),
        Kind::Existing => {
            let pr = new
                .pr
                .as_deref()
                .map(|p| format!("pr: {}\n", quoted(p)))
                .unwrap_or_default();
            format!("{pr}reason: |\n  TODO: why the job must run again.\n")
        }
    };
    format!(
        "# yaml-language-server: $schema=schema.json
title: {title}
jobs:            # job class names in run order; an audit job goes first
{jobs}kind: {kind}
{why}author: {author}
submitted: {submitted}
target_release: \"{release}\"
essential: false
summary: |
  TODO: what the job does and why.
readiness:       # set both to true once they are
  tested_locally: false
  reviewers_approved: false
output:
  success:
    description: |
      TODO: the aggregate output the job prints when it succeeds.
    expected: [] # literal lines; <n> matches a number, <any> any text
  failure:
    description: |
      TODO: the error output for each failure case.
    expected: []
tests:           # path/to/x_test.py::Class::test_name
  success: []
  failure: []
instructions:
  verify: |
    TODO: how to tell success from failure (validation job, datastore check, UI check).
  on_output: |
    TODO: what the coordinator does with the output.
  recover: |
    TODO: what to do if the run fails midway.
  debug: |
    TODO: how to debug a failed run.
",
        author = new.author,
        submitted = new.submitted,
        release = new.target_release,
    )
}
