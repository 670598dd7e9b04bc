//! A job test request, schema v1: the types that `requests/<id>.yaml` is read into.
//!
//! The same types give the JSON Schema (`jobgate schema`), so the published schema and the
//! parser cannot disagree. Every value keeps its position for diagnostics.

pub mod check;
pub mod parse;
pub mod pattern;
pub mod resubmit;
pub mod scaffold;
pub mod validate;
pub mod verdict;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::month::Month;
use crate::yaml::At;

pub use parse::{is_valid_id, parse};

/// Text that is rendered as markdown (raw HTML is shown as text).
pub type Markdown = String;

/// A request to test one job, or jobs that run in succession, on the backup server.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(title = "jobgate request", deny_unknown_fields)]
pub struct Request {
    /// One line saying what the job does.
    pub title: At<String>,
    /// Job class names in run order; an audit job comes before the job it checks.
    #[schemars(length(min = 1))]
    pub jobs: At<Vec<At<String>>>,
    /// `new` for a job not yet in the codebase's release, `existing` for a job run again.
    pub kind: At<Kind>,
    /// Why an existing job must run again (required when `kind: existing`). Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<At<Markdown>>,
    /// GitHub handle of the job's author.
    pub author: At<String>,
    /// The job's pull request, `https://github.com/<repository>/pull/<n>` (required for new jobs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pr: Option<At<String>>,
    /// The day the request was made (YYYY-MM-DD); not after today.
    pub submitted: At<NaiveDate>,
    /// The release (YYYY-MM) whose cutoff the job aims for.
    pub target_release: At<Month>,
    /// An essential job that misses its release's cutoff blocks the release.
    #[serde(default)]
    #[schemars(default)]
    pub essential: bool,
    /// What the job does and why. Markdown.
    pub summary: At<Markdown>,
    /// The author's confirmations before asking for a test; both must be true.
    pub readiness: Readiness,
    /// The output the job prints on success and on failure.
    pub output: Output,
    /// Automated backend tests of the job, as `path/to/x_test.py::Class::test_name`.
    pub tests: Tests,
    /// What the release coordinator needs to run, check and recover the job.
    pub instructions: Instructions,
    /// For a resubmission: the id of the failed request this one replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_request: Option<At<String>>,
    /// For a resubmission: what was fixed since the previous request. Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<At<Markdown>>,
    /// Set when the author withdraws the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<At<Withdrawal>>,
    /// Anything else the coordinator should know. Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<At<Markdown>>,
    /// Admin-only: the acknowledgment and the planned run weekend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<At<Scheduled>>,
    /// Admin-only: every run of the job, oldest first.
    #[serde(default)]
    #[schemars(default)]
    pub runs: Vec<At<Run>>,
    /// Admin-only (server-jobs admins): the approval for a release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<At<Approval>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A job that has not run in production before.
    New,
    /// A job already in the codebase that must run again.
    Existing,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Readiness {
    /// The author ran the job by hand locally and it passed.
    pub tested_locally: At<bool>,
    /// Every reviewer of the job's pull request approved it.
    pub reviewers_approved: At<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Output {
    /// The aggregate output on success (stdout).
    pub success: Expectation,
    /// The debug/error output for each failure case (stderr).
    pub failure: Expectation,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Expectation {
    /// What the output means. Markdown.
    pub description: At<Markdown>,
    /// Literal lines in which `<n>` matches an integer and `<any>` any text.
    #[schemars(length(min = 1))]
    pub expected: At<Vec<At<String>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Tests {
    /// Tests of the success case.
    #[schemars(length(min = 1))]
    pub success: At<Vec<At<String>>>,
    /// Tests of the failure cases.
    #[schemars(length(min = 1))]
    pub failure: At<Vec<At<String>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Instructions {
    /// How to tell success from failure: validation job, datastore check, UI check... Markdown.
    pub verify: At<Markdown>,
    /// What the coordinator does with the output. Markdown.
    pub on_output: At<Markdown>,
    /// What to do if the run fails midway. Markdown.
    pub recover: At<Markdown>,
    /// How to debug a failed run. Markdown.
    pub debug: At<Markdown>,
    /// An optional longer document (http or https URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<At<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Withdrawal {
    /// The day the request was withdrawn.
    pub on: At<NaiveDate>,
    /// Why it was withdrawn. Markdown.
    pub reason: At<Markdown>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Scheduled {
    /// The coordinator or admin who acknowledged the request.
    pub by: At<String>,
    /// The day it was acknowledged.
    pub on: At<NaiveDate>,
    /// The first day (a run day) of the planned run weekend.
    pub weekend: At<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Server {
    /// The backup copy of the production server, where every job is tested first.
    Backup,
    /// The test server.
    Test,
    /// The production server.
    Production,
}

impl Server {
    pub fn as_str(self) -> &'static str {
        match self {
            Server::Backup => "backup",
            Server::Test => "test",
            Server::Production => "production",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RunResult {
    /// The job finished and reported success.
    Success,
    /// The job reported errors as designed (stderr).
    Failure,
    /// The job crashed or could not finish.
    Error,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Run {
    /// The one job of `jobs` this run ran; without it the run covers all of them, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<At<String>>,
    /// The day of the run.
    pub on: At<NaiveDate>,
    /// Where it ran.
    pub server: At<Server>,
    /// The coordinator or admin who ran it.
    pub by: At<String>,
    /// How the run ended.
    pub result: At<RunResult>,
    /// The job's standard output.
    #[schemars(default)]
    pub stdout: At<String>,
    /// The job's standard error.
    #[schemars(default)]
    pub stderr: At<String>,
    /// Whether the job's effect was checked by other means than its output.
    #[serde(default)]
    #[schemars(default)]
    pub outcome_verified: bool,
    /// How the outcome was checked. Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<At<Markdown>>,
    /// Anything else about the run. Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<At<Markdown>>,
}

impl Run {
    /// Whether the output agrees with the expectations.
    ///
    /// A `success` matches when stdout has at least one line (a job reports its aggregate
    /// output), every non-empty stdout line matches a success pattern and stderr has no
    /// non-empty line; a `failure` (errors reported as designed) when stderr has lines and
    /// every non-empty one matches a failure pattern; an `error` never matches, since the
    /// job did not finish.
    pub fn output_matches(&self, output: &Output) -> bool {
        match *self.result {
            RunResult::Success => {
                !self.stdout.trim().is_empty()
                    && self.stderr.lines().all(|line| line.trim().is_empty())
                    && pattern::all_lines_match(&self.stdout, &output.success.expected)
            }
            RunResult::Failure => {
                !self.stderr.trim().is_empty()
                    && pattern::all_lines_match(&self.stderr, &output.failure.expected)
            }
            RunResult::Error => false,
        }
    }

    /// A run that counts towards a release: on the backup server, successful, with matching
    /// output and a verified outcome.
    pub fn is_passing_backup(&self, output: &Output) -> bool {
        *self.server == Server::Backup && self.outcome(output) == verdict::Outcome::Passed
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Approval {
    /// The server-jobs admin who approved.
    pub by: At<String>,
    /// The day of the approval.
    pub on: At<NaiveDate>,
    /// The release (YYYY-MM) the job is approved for.
    pub release: At<Month>,
}

/// A request file that parsed, with its id.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub id: String,
    /// Path relative to the site root.
    pub file: String,
    pub request: Request,
    /// The file's text as it was read, which the request form's checker reads again.
    pub text: String,
}

/// For each request that a resubmission replaces, the id of the resubmission: the request
/// whose `previous_request` names it (the first by id, if several do).
pub fn successors<'a, I>(requests: I) -> std::collections::BTreeMap<&'a str, &'a str>
where
    I: IntoIterator<Item = &'a Loaded> + Clone,
{
    let ids: std::collections::BTreeSet<&str> = requests
        .clone()
        .into_iter()
        .map(|l| l.id.as_str())
        .collect();
    let mut found = std::collections::BTreeMap::new();
    for loaded in requests {
        if let Some(previous) = &loaded.request.previous_request
            && previous.value != loaded.id
            && let Some(&previous) = ids.get(previous.value.as_str())
        {
            found.entry(previous).or_insert(loaded.id.as_str());
        }
    }
    found
}

/// The JSON Schema of a request file, pretty-printed with a final newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Request);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}
