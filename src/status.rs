//! Derived state: what a request's file, the policy and today's date say about it.
//!
//! Nobody types a request's state, deadlines or release fit: they follow from the file, so they
//! cannot go stale or be argued about. This module is the one place those rules live; the
//! `status` command and every page, badge and feed of the site read [`derive()`]. It is pure
//! (data and a date in, a [`Status`] out) so the rules can be tested for any day.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use crate::calendar::{self, ReleaseDates};
use crate::config::SiteConfig;
use crate::request::verdict::{Outcome, Overall};
use crate::request::{Kind, Request};

/// Where a request is in the process; the first that applies, in declaration order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// The author withdrew it.
    Withdrawn,
    /// An admin approved it for a release.
    Approved,
    /// The latest run did not succeed, or its output does not match the expectations.
    Failed,
    /// The latest run succeeded and its outcome was verified; waiting for approval.
    Passed,
    /// The latest run succeeded; the coordinator is still checking its outcome.
    Verifying,
    /// Not acknowledged in time, or the scheduled run's results are late.
    Overdue,
    /// Acknowledged, with a planned run weekend.
    Scheduled,
    /// Waiting to be acknowledged.
    Submitted,
}

impl State {
    /// Every state, in precedence order.
    pub const ALL: [State; 8] = [
        State::Withdrawn,
        State::Approved,
        State::Failed,
        State::Passed,
        State::Verifying,
        State::Overdue,
        State::Scheduled,
        State::Submitted,
    ];

    /// The name used in JSON, CSS classes and URLs: `withdrawn`, `approved`...
    pub fn as_str(self) -> &'static str {
        match self {
            State::Withdrawn => "withdrawn",
            State::Approved => "approved",
            State::Failed => "failed",
            State::Passed => "passed",
            State::Verifying => "verifying",
            State::Overdue => "overdue",
            State::Scheduled => "scheduled",
            State::Submitted => "submitted",
        }
    }

    /// The name shown to people: `Withdrawn`, `Approved`...
    pub fn label(self) -> &'static str {
        match self {
            State::Withdrawn => "Withdrawn",
            State::Approved => "Approved",
            State::Failed => "Failed",
            State::Passed => "Passed",
            State::Verifying => "Verifying",
            State::Overdue => "Overdue",
            State::Scheduled => "Scheduled",
            State::Submitted => "Submitted",
        }
    }

    /// Whether someone has to act now (the home page's "needs attention" list).
    pub fn needs_attention(self) -> bool {
        matches!(self, State::Overdue | State::Failed)
    }
}

/// Whether a request makes its target release; the first that applies, in declaration order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fit {
    /// Approved for the release, with a passing backup run before its cutoff.
    In,
    /// Not in yet, and the run weekend leaves time before the cutoff.
    OnTrack,
    /// No passing backup run yet, and the run weekend is after the release's last one.
    AtRisk,
    /// The cutoff has come and the request is not in.
    Missed,
}

impl Fit {
    /// The name used in JSON, CSS classes and URLs: `in`, `on-track`, `at-risk`, `missed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Fit::In => "in",
            Fit::OnTrack => "on-track",
            Fit::AtRisk => "at-risk",
            Fit::Missed => "missed",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Fit::In => "In the release",
            Fit::OnTrack => "On track",
            Fit::AtRisk => "At risk",
            Fit::Missed => "Missed",
        }
    }
}

/// One step of a request's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Milestone {
    /// `submitted`, `acknowledged`, `run_weekend`, `results_due`, `approval` or `cutoff`.
    pub key: &'static str,
    /// What the step is, for people.
    pub label: String,
    /// When it happened, or when it is due.
    pub date: NaiveDate,
    /// Whether the file records it as done.
    pub done: bool,
    /// Not done, and its day has passed while the request is still live.
    pub late: bool,
}

/// Everything derived about one request on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Status {
    pub state: State,
    /// The release fit; `None` for a withdrawn request.
    pub fit: Option<Fit>,
    /// An essential request that missed its release's cutoff blocks the release.
    pub blocker: bool,
    /// The cutoff of the target release.
    pub cutoff: NaiveDate,
    /// The last run weekend whose results are due before the target release's cutoff.
    pub last_run_weekend: NaiveDate,
    /// The planned weekend, or the next chance once its results are due with no run recorded.
    pub run_weekend: NaiveDate,
    /// When the results of the planned weekend are due.
    pub results_due: NaiveDate,
    /// The day an admin or coordinator must acknowledge the request by.
    pub response_due: NaiveDate,
    /// One sentence saying who does what next.
    pub next_action: String,
    /// The request that resubmits this one (its `previous_request` names this one), if any.
    pub replaced_by: Option<String>,
    /// Submitted, acknowledged, run weekend, results due, approval, cutoff; in that order.
    pub timeline: Vec<Milestone>,
}

/// Derives the state, release fit, deadlines and next action of `request` on `today`.
pub fn derive(request: &Request, config: &SiteConfig, today: NaiveDate) -> Status {
    derive_replaced(request, config, today, None)
}

/// Like [`derive()`], for a request that `replaced_by` resubmits: it keeps its state, but its
/// next action points to the new request and it blocks no release (the new one carries it).
pub fn derive_replaced(
    request: &Request,
    config: &SiteConfig,
    today: NaiveDate,
    replaced_by: Option<&str>,
) -> Status {
    let facts = Facts::new(request, config, today);
    let state = facts.state();
    let fit = facts.fit();
    let blocker = fit == Some(Fit::Missed) && request.essential && replaced_by.is_none();
    let next_action = match replaced_by {
        Some(id) => format!("Replaced by {id}: that request carries it on."),
        None => facts.next_action(state, fit),
    };
    Status {
        state,
        fit,
        blocker,
        cutoff: facts.release.cutoff,
        last_run_weekend: facts.release.last_run_weekend,
        run_weekend: facts.run_weekend,
        results_due: facts.results_due,
        response_due: facts.response_due,
        next_action,
        replaced_by: replaced_by.map(str::to_owned),
        timeline: facts.timeline(fit),
    }
}

/// The dates and flags every rule below reads, computed once.
struct Facts<'a> {
    request: &'a Request,
    config: &'a SiteConfig,
    today: NaiveDate,
    release: ReleaseDates,
    /// The planned run weekend P.
    planned: NaiveDate,
    results_due: NaiveDate,
    run_weekend: NaiveDate,
    response_due: NaiveDate,
    /// A run is recorded on or after P.
    ran: bool,
}

impl<'a> Facts<'a> {
    fn new(request: &'a Request, config: &'a SiteConfig, today: NaiveDate) -> Facts<'a> {
        let policy = &config.policy;
        let submitted = *request.submitted;
        let planned = match &request.scheduled {
            Some(scheduled) => *scheduled.weekend,
            None => calendar::weekend_start_after(policy, submitted),
        };
        let results_due = calendar::results_due(policy, planned);
        let run_weekend = if request.runs.is_empty() && today > results_due {
            calendar::weekend_start_after(policy, today)
        } else {
            planned
        };
        let response_days = u64::from(policy.response_hours.div_ceil(24));
        Facts {
            request,
            config,
            today,
            release: calendar::release_dates(config, *request.target_release),
            planned,
            results_due,
            run_weekend,
            response_due: submitted
                .checked_add_days(Days::new(response_days))
                .unwrap_or(NaiveDate::MAX),
            ran: request.runs.iter().any(|run| *run.on >= planned),
        }
    }

    fn state(&self) -> State {
        let request = self.request;
        if request.withdrawn.is_some() {
            return State::Withdrawn;
        }
        if request.approval.is_some() {
            return State::Approved;
        }
        if let Overall::Ran { outcome, .. } = request.overall() {
            return match outcome {
                Outcome::Passed => State::Passed,
                Outcome::Unverified => State::Verifying,
                _ => State::Failed,
            };
        }
        if self.is_overdue() {
            State::Overdue
        } else if request.scheduled.is_some() {
            State::Scheduled
        } else {
            State::Submitted
        }
    }

    fn is_overdue(&self) -> bool {
        match &self.request.scheduled {
            // Dates count as midnight, so a day is 24 hours.
            None => {
                days_between(*self.request.submitted, self.today).saturating_mul(24)
                    > i64::from(self.config.policy.response_hours)
            }
            Some(_) => self.today > self.results_due && !self.ran,
        }
    }

    fn fit(&self) -> Option<Fit> {
        let request = self.request;
        if request.withdrawn.is_some() {
            return None;
        }
        let cutoff = self.release.cutoff;
        let approved_for_target = request
            .approval
            .as_ref()
            .is_some_and(|approval| *approval.release == self.release.release);
        let passed_before_cutoff = cutoff
            .pred_opt()
            .and_then(|day| request.passed_on_backup_by(day))
            .is_some();
        let passed = request.passed_on_backup_by(NaiveDate::MAX).is_some();
        let fit = if approved_for_target && passed_before_cutoff {
            Fit::In
        } else if self.today >= cutoff {
            Fit::Missed
        } else if !passed && self.run_weekend > self.release.last_run_weekend {
            Fit::AtRisk
        } else {
            Fit::OnTrack
        };
        Some(fit)
    }

    fn next_action(&self, state: State, fit: Option<Fit>) -> String {
        let release = self.release.release;
        let cutoff = self.day(self.release.cutoff);
        match fit {
            Some(Fit::Missed) if self.request.essential => format!(
                "Release blocker: essential job not approved by the {release} cutoff ({cutoff})."
            ),
            Some(Fit::Missed) => {
                let after = self.today.succ_opt().unwrap_or(self.today);
                let next = calendar::release_for_cutoff_after(self.config, after);
                let next_cutoff = self.day(calendar::cutoff(self.config, next));
                format!("Not going into {release}: the next cutoff is {next_cutoff} ({next}).")
            }
            Some(Fit::AtRisk) => {
                let last = self.release.last_run_weekend;
                let tense = if last < self.today { "was" } else { "is" };
                format!(
                    "{} At risk: the last run weekend for {release} {tense} {}.",
                    self.state_sentence(state),
                    self.day(last)
                )
            }
            _ => self.state_sentence(state),
        }
    }

    fn state_sentence(&self, state: State) -> String {
        let sentence = self.state_sentence_alone(state);
        match self.request.overall() {
            Overall::Partly { missing }
                if matches!(state, State::Submitted | State::Scheduled | State::Overdue) =>
            {
                format!("{missing} has not run yet. {sentence}")
            }
            _ => sentence,
        }
    }

    fn state_sentence_alone(&self, state: State) -> String {
        let request = self.request;
        let contact = &self.config.contact;
        let release = self.release.release;
        let overall = request.overall();
        let latest_run_day = match &overall {
            Overall::Ran { run, .. } => self.day(*run.on),
            _ => String::new(),
        };
        match state {
            State::Withdrawn => {
                let on = request.withdrawn.as_ref().map(|w| *w.on);
                format!("Withdrawn on {}.", self.day(on.unwrap_or(self.today)))
            }
            State::Approved => {
                let Some(approval) = &request.approval else {
                    return String::new();
                };
                let merge = if *request.kind == Kind::New {
                    " The admin merges the job's pull request."
                } else {
                    ""
                };
                format!(
                    "Approved for {} on {}.{merge}",
                    *approval.release,
                    self.day(*approval.on)
                )
            }
            State::Failed => {
                let Overall::Ran { outcome, run } = &overall else {
                    return String::new();
                };
                let which = match &run.job {
                    Some(job) => format!("The run of {} on {latest_run_day}", job.value),
                    None => format!("The run on {latest_run_day}"),
                };
                let what = match outcome {
                    Outcome::Mismatch(mismatch) => format!(
                        "{which} did not print the expected output: {}",
                        mismatch.describe()
                    ),
                    Outcome::Failure => format!("{which} reported errors"),
                    _ => format!("{which} did not finish"),
                };
                format!(
                    "{what} — fix the job and resubmit it as a new request with previous_request \
                     set to this one."
                )
            }
            State::Passed => format!(
                "Passed on {latest_run_day}; waiting for an admin's approval before the {release} \
                 cutoff ({}).",
                self.day(self.release.cutoff)
            ),
            State::Verifying => {
                format!("Ran on {latest_run_day}; the coordinator is checking the outcome.")
            }
            State::Overdue if request.scheduled.is_some() => format!(
                "Results were due {} but no run is recorded — ask the coordinator or write to \
                 {contact}.",
                self.day(self.results_due)
            ),
            State::Overdue => {
                let days = days_between(*request.submitted, self.today);
                let unit = if days == 1 { "day" } else { "days" };
                format!("No answer for {days} {unit} — write to {contact}.")
            }
            State::Scheduled => format!(
                "Runs the weekend of {}; results due {}.",
                self.day(self.run_weekend),
                self.day(self.results_due)
            ),
            State::Submitted => format!(
                "Waiting for an admin to acknowledge it by {}; it can run the weekend of {}.",
                self.day(self.response_due),
                self.day(self.run_weekend)
            ),
        }
    }

    fn timeline(&self, fit: Option<Fit>) -> Vec<Milestone> {
        let request = self.request;
        let today = self.today;
        let cutoff = self.release.cutoff;
        let approval = request.approval.as_ref();
        let approved = approval.is_some();
        let in_release = fit == Some(Fit::In);
        // A withdrawn request has nothing late; a step done later excuses an earlier one.
        let live = request.withdrawn.is_none();
        let acknowledged = request.scheduled.is_some();
        let ack_excused = !request.runs.is_empty() || approved;
        let run_excused = approved;
        // Approval must come before the cutoff, so on the cutoff day it is already late.
        let past_cutoff = today >= cutoff;
        let release_name = match &self.release.name {
            Some(name) => format!("{name} ({})", self.release.release),
            None => self.release.release.to_string(),
        };
        vec![
            Milestone {
                key: "submitted",
                label: "Submitted".to_string(),
                date: *request.submitted,
                done: true,
                late: false,
            },
            Milestone {
                key: "acknowledged",
                label: if acknowledged {
                    "Acknowledged"
                } else {
                    "Acknowledgment due"
                }
                .to_string(),
                date: request
                    .scheduled
                    .as_ref()
                    .map_or(self.response_due, |s| *s.on),
                done: acknowledged,
                late: live && !acknowledged && !ack_excused && today > self.response_due,
            },
            Milestone {
                key: "run_weekend",
                label: "Run weekend".to_string(),
                date: self.planned,
                done: self.ran,
                late: live && !self.ran && !run_excused && today > self.results_due,
            },
            Milestone {
                key: "results_due",
                label: "Results due".to_string(),
                date: self.results_due,
                done: self.ran,
                late: live && !self.ran && !run_excused && today > self.results_due,
            },
            Milestone {
                key: "approval",
                label: match approval {
                    Some(a) => format!("Approved for {}", *a.release),
                    None => "Approval due".to_string(),
                },
                date: approval.map_or(cutoff, |a| *a.on),
                done: approved,
                late: live && !approved && past_cutoff,
            },
            Milestone {
                key: "cutoff",
                label: format!("Cutoff for {release_name}"),
                date: cutoff,
                // A request in the release is done with its cutoff only once the cutoff came.
                done: in_release && past_cutoff,
                late: live && !in_release && past_cutoff,
            },
        ]
    }

    /// "28 Nov" in today's year, "2 Jan 2027" in any other.
    fn day(&self, date: NaiveDate) -> String {
        if date.year() == self.today.year() {
            date.format("%-d %b").to_string()
        } else {
            date.format("%-d %b %Y").to_string()
        }
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier); total for every date.
fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.num_days_from_ce()) - i64::from(from.num_days_from_ce())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    const BASE: &str = r#"title: Audit skills
jobs:
  - AuditSkillJob
kind: new
author: tanvi-skills
pr: https://github.com/oppia/oppia/pull/23547
submitted: 2026-11-16
target_release: "2026-12"
essential: false
summary: Counts skills.
readiness:
  tested_locally: true
  reviewers_approved: true
output:
  success:
    description: Counts.
    expected:
      - "SKILL PROCESSED SUCCESS: <n>"
      - "SKILL EMPTY SUCCESS: <n>"
  failure:
    description: One line per bad skill.
    expected:
      - 'SKILL PROCESSED ERROR: "<any>": <n>'
tests:
  success:
    - core/jobs/x_test.py::XTests::test_success
  failure:
    - core/jobs/x_test.py::XTests::test_failure
instructions:
  verify: Check the counts.
  on_output: Send them to the author.
  recover: Nothing to recover.
  debug: Use a shell.
"#;

    const GOOD_STDOUT: &str = "SKILL PROCESSED SUCCESS: 10\n\nSKILL EMPTY SUCCESS: 2\n";
    const GOOD_STDERR: &str = "SKILL PROCESSED ERROR: \"('s1', KeyError('x'))\": 1\n";

    fn site() -> SiteConfig {
        config::parse(include_str!("../content/site.yaml")).unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// `BASE` (submitted 2026-11-16 for 2026-12, kind new) changed by space-separated words:
    ///
    /// - `submitted=DATE`, `for=YYYY-MM`, `essential`, `existing`;
    /// - `scheduled=WEEKEND`, `approved=DATE` (for the target) or `approved=DATE/YYYY-MM`,
    ///   `withdrawn=DATE`;
    /// - runs, oldest first, each `KIND=DATE`: `pass` (backup, success, matching, verified),
    ///   `unverified` (the same, not verified), `test` (`pass` on the test server), `junk`
    ///   (success with unexpected output), `fail` (failure with matching stderr), `error`.
    fn request(words: &str) -> Request {
        let mut text = BASE.to_string();
        let mut admin = String::new();
        let mut runs = Vec::new();
        for word in words.split_whitespace() {
            let (key, value) = word.split_once('=').unwrap_or((word, ""));
            match key {
                "submitted" => replace(
                    &mut text,
                    "submitted: 2026-11-16",
                    &format!("submitted: {value}"),
                ),
                "for" => replace(
                    &mut text,
                    "release: \"2026-12\"",
                    &format!("release: \"{value}\""),
                ),
                "essential" => replace(&mut text, "essential: false", "essential: true"),
                "existing" => replace(&mut text, "kind: new", "kind: existing\nreason: Drift."),
                "scheduled" => admin.push_str(&format!(
                    "scheduled:\n  by: lkbhitesh07\n  on: 2026-11-17\n  weekend: {value}\n"
                )),
                "approved" => {
                    let target = text
                        .lines()
                        .find_map(|l| l.strip_prefix("target_release: "));
                    let (on, release) = match value.split_once('/') {
                        Some((on, release)) => (on, format!("\"{release}\"")),
                        None => (value, target.unwrap_or_default().to_string()),
                    };
                    admin.push_str(&format!(
                        "approval:\n  by: seanlip\n  on: {on}\n  release: {release}\n"
                    ));
                }
                "withdrawn" => admin.push_str(&format!(
                    "withdrawn:\n  on: {value}\n  reason: Not needed.\n"
                )),
                _ => runs.push(match key {
                    "pass" => (value, "backup", "success", GOOD_STDOUT, "", true),
                    "unverified" => (value, "backup", "success", GOOD_STDOUT, "", false),
                    "test" => (value, "test", "success", GOOD_STDOUT, "", true),
                    "junk" => (value, "backup", "success", "DONE\n", "", true),
                    "fail" => (value, "backup", "failure", "", GOOD_STDERR, false),
                    "error" => (value, "backup", "error", "", "", false),
                    _ => panic!("unknown word {word:?}"),
                }),
            }
        }
        text.push_str(&admin);
        text.push_str(&runs_yaml(&runs));
        parse(&text)
    }

    fn replace(text: &mut String, from: &str, to: &str) {
        assert!(text.contains(from), "{from:?} is not in the base request");
        *text = text.replace(from, to);
    }

    fn parse(text: &str) -> Request {
        let (request, diagnostics) = crate::request::parse(text.as_bytes(), "requests/x.yaml");
        assert!(diagnostics.is_empty(), "{diagnostics:?}\n{text}");
        request.unwrap()
    }

    /// A `runs:` list; each run is (on, server, result, stdout, stderr, outcome_verified).
    fn runs_yaml(list: &[(&str, &str, &str, &str, &str, bool)]) -> String {
        let block = |text: &str| {
            let lines: String = text.lines().map(|l| format!("\n      {l}")).collect();
            if lines.is_empty() {
                "\"\"".to_string()
            } else {
                format!("|{lines}")
            }
        };
        let mut out = if list.is_empty() {
            String::new()
        } else {
            "runs:\n".to_string()
        };
        for (on, server, result, stdout, stderr, verified) in list {
            out.push_str(&format!(
                "  - on: {on}\n    server: {server}\n    by: lkbhitesh07\n    \
                 result: {result}\n    stdout: {}\n    stderr: {}\n    \
                 outcome_verified: {verified}\n",
                block(stdout),
                block(stderr)
            ));
        }
        out
    }

    fn derive_at(words: &str, today: &str) -> Status {
        derive(&request(words), &site(), date(today))
    }

    #[test]
    fn output_matches_by_result() {
        let two_lines = "SKILL PROCESSED SUCCESS: 10\nSKILL OTHER: 1\n";
        let cases: &[(&str, &str, &str, bool)] = &[
            ("success", GOOD_STDOUT, "", true),
            ("success", GOOD_STDOUT, "  \n\n", true),
            ("success", "", "", false),
            ("success", two_lines, "", false),
            ("success", "SKILL PROCESSED SUCCESS: ten\n", "", false),
            ("success", GOOD_STDOUT, GOOD_STDERR, false),
            ("failure", GOOD_STDOUT, GOOD_STDERR, true),
            ("failure", "", "", false),
            ("failure", "", "Traceback (most recent call last):\n", false),
            ("failure", "", "SKILL PROCESSED ERROR: 1\n", false),
            ("error", GOOD_STDOUT, "", false),
            ("error", "", GOOD_STDERR, false),
        ];
        for (result, stdout, stderr, expected) in cases {
            let run = ("2026-11-21", "backup", *result, *stdout, *stderr, true);
            let request = parse(&format!("{BASE}{}", runs_yaml(&[run])));
            let run = &request.runs[0];
            let context = format!("{result} {stdout:?} {stderr:?}");
            assert_eq!(run.output_matches(&request.output), *expected, "{context}");
            let passing = *expected && *result == "success";
            assert_eq!(run.is_passing_backup(&request.output), passing, "{context}");
        }
    }

    #[test]
    fn passing_backup_run_needs_backup_server_and_verification() {
        let request = request("pass=2026-11-21 test=2026-11-21 unverified=2026-11-21");
        let passing: Vec<bool> = request
            .runs
            .iter()
            .map(|run| run.is_passing_backup(&request.output))
            .collect();
        assert_eq!(passing, [true, false, false]);
    }

    #[test]
    fn states_in_precedence_order() {
        use State::*;
        // (request, today, state)
        let cases = [
            (
                "withdrawn=2026-11-25 approved=2026-11-24 fail=2026-11-21",
                "2026-11-27",
                Withdrawn,
            ),
            (
                "scheduled=2026-11-21 fail=2026-11-21 approved=2026-11-24",
                "2026-11-27",
                Approved,
            ),
            ("scheduled=2026-11-21 fail=2026-11-21", "2026-11-27", Failed),
            ("scheduled=2026-11-21 junk=2026-11-21", "2026-11-27", Failed),
            ("pass=2026-11-21 error=2026-11-22", "2026-11-27", Failed),
            (
                "pass=2026-11-21 unverified=2026-11-22 fail=2026-11-22",
                "2026-11-27",
                Failed,
            ),
            ("scheduled=2026-11-21 pass=2026-11-21", "2026-11-27", Passed),
            (
                "fail=2026-11-21 unverified=2026-11-22",
                "2026-11-27",
                Verifying,
            ),
            // A recorded run settles the state even without an acknowledgment.
            ("test=2026-11-21", "2026-11-27", Passed),
            // 3 days is more than 48 hours; exactly 48 is not.
            ("submitted=2026-11-24", "2026-11-27", Overdue),
            ("submitted=2026-11-25", "2026-11-27", Submitted),
            ("scheduled=2026-11-21", "2026-11-24", Overdue),
            ("scheduled=2026-11-21", "2026-11-23", Scheduled),
            (
                "submitted=2026-11-02 scheduled=2026-11-28",
                "2026-11-27",
                Scheduled,
            ),
            ("submitted=2026-11-26", "2026-11-27", Submitted),
        ];
        for (words, today, state) in cases {
            assert_eq!(derive_at(words, today).state, state, "{words} on {today}");
        }
    }

    #[test]
    fn release_fit() {
        use Fit::*;
        // (request, today, fit, blocker); the 2026-12 cutoff is 2026-11-28 and its last run
        // weekend 2026-11-21.
        let cases = [
            ("withdrawn=2026-11-20", "2026-11-28", None, false),
            (
                "pass=2026-11-21 approved=2026-11-24",
                "2026-11-27",
                Some(In),
                false,
            ),
            (
                "essential pass=2026-11-21 approved=2026-11-24",
                "2026-12-30",
                Some(In),
                false,
            ),
            (
                "pass=2026-11-21 approved=2026-11-24/2027-01",
                "2026-11-28",
                Some(Missed),
                false,
            ),
            (
                "test=2026-11-21 approved=2026-11-24",
                "2026-11-28",
                Some(Missed),
                false,
            ),
            (
                "pass=2026-11-28 approved=2026-11-28",
                "2026-11-28",
                Some(Missed),
                false,
            ),
            ("scheduled=2026-11-21", "2026-11-28", Some(Missed), false),
            (
                "essential pass=2026-11-21",
                "2026-11-28",
                Some(Missed),
                true,
            ),
            ("essential withdrawn=2026-11-20", "2026-11-28", None, false),
            // Filed on the last run weekend: it waits for the next one.
            ("submitted=2026-11-21", "2026-11-21", Some(AtRisk), false),
            ("submitted=2026-11-20", "2026-11-20", Some(OnTrack), false),
            // The planned weekend passed with no run: the next chance is too late.
            (
                "submitted=2026-11-09 scheduled=2026-11-14",
                "2026-11-24",
                Some(AtRisk),
                false,
            ),
            (
                "submitted=2026-11-09 scheduled=2026-11-14",
                "2026-11-16",
                Some(OnTrack),
                false,
            ),
            (
                "submitted=2026-11-21 fail=2026-11-28",
                "2026-11-27",
                Some(AtRisk),
                false,
            ),
            (
                "submitted=2026-11-21 pass=2026-11-22",
                "2026-11-27",
                Some(OnTrack),
                false,
            ),
            ("", "2026-11-17", Some(OnTrack), false),
        ];
        for (words, today, fit, blocker) in cases {
            let status = derive_at(words, today);
            assert_eq!(
                (status.fit, status.blocker),
                (fit, blocker),
                "{words} on {today}"
            );
        }
    }

    #[test]
    fn run_weekend_moves_to_the_next_chance() {
        // (request, today, run weekend, results due)
        let cases = [
            ("", "2026-11-17", "2026-11-21", "2026-11-23"),
            // Filed on a Saturday or Sunday: the next weekend.
            (
                "submitted=2026-11-21",
                "2026-11-21",
                "2026-11-28",
                "2026-11-30",
            ),
            (
                "submitted=2026-11-22",
                "2026-11-22",
                "2026-11-28",
                "2026-11-30",
            ),
            // Results due and no run: the first weekend start after today.
            ("", "2026-11-23", "2026-11-21", "2026-11-23"),
            ("", "2026-11-24", "2026-11-28", "2026-11-23"),
            ("", "2026-11-28", "2026-12-05", "2026-11-23"),
            (
                "submitted=2026-11-09 scheduled=2026-11-14",
                "2026-11-17",
                "2026-11-21",
                "2026-11-16",
            ),
            // Any recorded run keeps the planned weekend.
            (
                "submitted=2026-11-09 scheduled=2026-11-14 error=2026-11-14",
                "2026-11-27",
                "2026-11-14",
                "2026-11-16",
            ),
        ];
        for (words, today, run_weekend, results_due) in cases {
            let status = derive_at(words, today);
            let got = (status.run_weekend, status.results_due);
            assert_eq!(
                got,
                (date(run_weekend), date(results_due)),
                "{words} on {today}"
            );
        }
    }

    #[test]
    fn deadlines_of_the_target_release() {
        let status = derive_at("submitted=2026-11-25", "2026-11-27");
        assert_eq!(status.cutoff, date("2026-11-28"));
        assert_eq!(status.last_run_weekend, date("2026-11-21"));
        assert_eq!(status.response_due, date("2026-11-27"));
    }

    /// Cases of `request words @ today`, then the sentence (wrapped), then a blank line.
    const SENTENCES: &str = "
for=2027-01 submitted=2026-11-28 @ 2026-11-28
Waiting for an admin to acknowledge it by 30 Nov; it can run the weekend of 5 Dec.

for=2027-01 submitted=2026-11-23 @ 2026-11-27
No answer for 4 days — write to oppia-release-team@googlegroups.com.

for=2027-01 scheduled=2026-11-21 @ 2026-11-27
Results were due 23 Nov but no run is recorded — ask the coordinator or write to
oppia-release-team@googlegroups.com.

for=2027-01 scheduled=2026-11-28 @ 2026-11-27
Runs the weekend of 28 Nov; results due 30 Nov.

submitted=2026-11-24 scheduled=2026-11-28 @ 2026-11-27
Runs the weekend of 28 Nov; results due 30 Nov. At risk: the last run weekend for 2026-12 was
21 Nov.

submitted=2026-11-21 @ 2026-11-21
Waiting for an admin to acknowledge it by 23 Nov; it can run the weekend of 28 Nov. At risk: the
last run weekend for 2026-12 is 21 Nov.

unverified=2026-11-22 @ 2026-11-27
Ran on 22 Nov; the coordinator is checking the outcome.

pass=2026-11-21 @ 2026-11-27
Passed on 21 Nov; waiting for an admin's approval before the 2026-12 cutoff (28 Nov).

for=2027-01 fail=2026-10-31 @ 2026-11-27
The run on 31 Oct reported errors — fix the job and resubmit it as a new request with previous_request
set to this one.

for=2027-01 junk=2026-11-21 @ 2026-11-27
The run on 21 Nov did not print the expected output: stdout line 1 (`DONE`) matches no expected
success pattern — fix the job and resubmit it as a new request with previous_request set to
this one.

pass=2026-11-14 approved=2026-11-16 @ 2026-11-27
Approved for 2026-12 on 16 Nov. The admin merges the job's pull request.

existing pass=2026-11-14 approved=2026-11-16 @ 2026-12-30
Approved for 2026-12 on 16 Nov.

withdrawn=2026-11-05 @ 2026-12-30
Withdrawn on 5 Nov.

essential scheduled=2026-11-28 @ 2026-11-28
Release blocker: essential job not approved by the 2026-12 cutoff (28 Nov).

scheduled=2026-11-28 @ 2026-11-28
Not going into 2026-12: the next cutoff is 2 Jan 2027 (2027-01).

scheduled=2026-11-28 @ 2027-01-02
Not going into 2026-12: the next cutoff is 6 Feb (2027-02).
";

    #[test]
    fn next_action_sentences() {
        for case in SENTENCES.trim().split("\n\n") {
            let (head, sentence) = case.split_once('\n').unwrap();
            let (words, today) = head.split_once(" @ ").unwrap();
            let sentence = sentence.replace('\n', " ");
            assert_eq!(derive_at(words, today).next_action, sentence, "{head}");
        }
    }

    #[test]
    fn timeline_dates_follow_the_planned_weekend() {
        let status = derive_at("for=2027-01 scheduled=2026-11-21", "2026-11-27");
        let rows: Vec<_> = status
            .timeline
            .iter()
            .map(|m| (m.key, m.date.to_string(), m.done, m.late))
            .collect();
        let expected = [
            ("submitted", "2026-11-16", true, false),
            ("acknowledged", "2026-11-17", true, false),
            ("run_weekend", "2026-11-21", false, true),
            ("results_due", "2026-11-23", false, true),
            ("approval", "2027-01-02", false, false),
            ("cutoff", "2027-01-02", false, false),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|&(k, d, done, late)| (k, d.to_string(), done, late))
            .collect();
        assert_eq!(rows, expected);
        assert_eq!(status.timeline[5].label, "Cutoff for 3.5.1 (2027-01)");
    }

    #[test]
    fn timeline_done_and_late() {
        // (request, today, "done/late" of acknowledged, run weekend, results due, approval,
        // cutoff as 'd', 'L' or '-')
        let cases = [
            ("submitted=2026-11-25", "2026-11-27", "-----"),
            ("submitted=2026-11-24", "2026-11-27", "L----"),
            ("", "2026-11-24", "LLL--"),
            ("scheduled=2026-11-21", "2026-11-24", "dLL--"),
            ("pass=2026-11-21", "2026-11-28", "-ddLL"),
            (
                "scheduled=2026-11-21 pass=2026-11-21 approved=2026-11-24",
                "2026-11-28",
                "ddddd",
            ),
            ("approved=2026-11-24", "2026-11-28", "---dL"),
            ("withdrawn=2026-11-17", "2026-11-28", "-----"),
        ];
        for (words, today, flags) in cases {
            let status = derive_at(words, today);
            let keys: Vec<_> = status.timeline.iter().map(|m| m.key).collect();
            let all = [
                "submitted",
                "acknowledged",
                "run_weekend",
                "results_due",
                "approval",
                "cutoff",
            ];
            assert_eq!(keys, all);
            let got: String = status.timeline[1..]
                .iter()
                .map(|m| match (m.done, m.late) {
                    (true, _) => 'd',
                    (false, true) => 'L',
                    (false, false) => '-',
                })
                .collect();
            assert_eq!(got, flags, "{words} on {today}");
        }
    }

    /// An approved request is in its release, but its cutoff is done only once it came.
    #[test]
    fn a_future_cutoff_is_never_done() {
        let words = "pass=2026-11-21 approved=2026-11-24";
        let cutoff_on = |today: NaiveDate| {
            let status = derive(&request(words), &site(), today);
            let m = status.timeline.last().unwrap().clone();
            assert_eq!(m.key, "cutoff");
            m
        };
        let cutoff = cutoff_on(date("2026-11-25")).date;
        let before = cutoff_on(cutoff.pred_opt().unwrap());
        assert!(!before.done && !before.late, "{before:?}");
        assert!(cutoff_on(cutoff).done);
    }

    #[test]
    fn names_and_json() {
        for state in State::ALL {
            let json = serde_json::to_value(state).unwrap();
            assert_eq!(json, serde_json::json!(state.as_str()));
            assert_eq!(state.label().to_lowercase(), state.as_str());
        }
        let needing: Vec<_> = State::ALL
            .into_iter()
            .filter(|s| s.needs_attention())
            .collect();
        assert_eq!(needing, [State::Failed, State::Overdue]);
        for fit in [Fit::In, Fit::OnTrack, Fit::AtRisk, Fit::Missed] {
            assert_eq!(
                serde_json::to_value(fit).unwrap(),
                serde_json::json!(fit.as_str())
            );
        }
        let json = serde_json::to_value(derive_at("", "2026-11-17")).unwrap();
        assert_eq!(json["fit"], "on-track");
        assert_eq!(json["run_weekend"], "2026-11-21");
        assert_eq!(json["timeline"][2]["key"], "run_weekend");
    }

    #[test]
    fn no_panic_at_the_ends_of_time() {
        let requests = [
            "",
            "scheduled=2026-11-21",
            "pass=2026-11-21 approved=2026-11-24",
        ];
        let days = [
            NaiveDate::MIN,
            NaiveDate::MAX,
            date("1000-01-01"),
            date("9999-12-31"),
        ];
        for words in requests {
            for today in days {
                let status = derive(&request(words), &site(), today);
                assert!(!status.next_action.is_empty(), "{words} on {today}");
            }
        }
    }

    #[test]
    fn real_requests_cover_every_state() {
        let config = site();
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("requests");
        let mut states = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let (request, diagnostics) = crate::request::parse(&bytes, "requests/x.yaml");
            let request = request.unwrap_or_else(|| panic!("{}: {diagnostics:?}", path.display()));
            let status = derive(&request, &config, date("2026-11-27"));
            assert!(!status.next_action.is_empty(), "{}", path.display());
            states.insert(status.state);
        }
        assert_eq!(states.into_iter().collect::<Vec<_>>(), State::ALL);
    }
}
