//! The rules a request must follow beyond its shape: what parsing cannot see.
//!
//! Parsing guarantees the fields exist and have the right types; these rules check what the
//! values mean — against each other, against `site.yaml` (who may schedule and approve, which
//! repository holds the jobs), against the calendar, against today, and against the other
//! requests. Every rule reports at the offending value, and every rule runs on every request,
//! so an author sees all their mistakes in one `jobgate check`.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;

use crate::calendar;
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::month::Month;

pub mod single;
mod values;

use super::{Kind, Loaded, Request, RunResult};
use values::*;
pub use values::{
    is_class_name, is_github_handle, is_placeholder, is_test_reference, pattern_problems,
};

/// The longest title accepted, in characters; longer ones break page headings and feeds.
pub const MAX_TITLE_CHARS: usize = 120;

/// Patterns in one list of `output.*.expected`, characters in one pattern and placeholders in
/// one pattern: each line of a run is matched against every pattern of its list, so these
/// bound the work a request's patterns can cost (stated in the README).
pub const MAX_PATTERNS: usize = 50;
pub const MAX_PATTERN_CHARS: usize = 500;
pub const MAX_PLACEHOLDERS: usize = 16;

/// The id of every request file in the site: those that parsed and those that did not.
pub fn all_ids<'a>(requests: &'a [Loaded], unparsed_ids: &[&'a str]) -> BTreeSet<&'a str> {
    requests
        .iter()
        .map(|loaded| loaded.id.as_str())
        .chain(unparsed_ids.iter().copied())
        .collect()
}

/// Checks one request. `all_ids` holds the id of every request file in the site.
pub fn validate(
    loaded: &Loaded,
    all_ids: &BTreeSet<&str>,
    config: &SiteConfig,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut check = Check {
        file: &loaded.file,
        request: &loaded.request,
        config,
        today,
        found: Vec::new(),
    };
    single::rules(
        check.file,
        &single::Values::of(check.request),
        config,
        &mut check.found,
    );
    check.conditional_fields();
    check.future_dates();
    check.previous_request(&loaded.id, all_ids);
    check.schedule();
    check.runs();
    check.approval();
    check.withdrawal();
    check.lateness();
    check.found
}

/// One request being checked, and what was found so far.
struct Check<'a> {
    file: &'a str,
    request: &'a Request,
    config: &'a SiteConfig,
    today: NaiveDate,
    found: Vec<Diagnostic>,
}

impl Check<'_> {
    fn report(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.found
            .push(Diagnostic::new(code, self.file, span, message));
    }

    fn report_with_help(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.found
            .push(Diagnostic::new(code, self.file, span, message).with_help(help));
    }

    /// JG201: fields whose presence depends on others.
    fn conditional_fields(&mut self) {
        let r = self.request;
        match *r.kind {
            Kind::Existing if r.reason.is_none() => self.report_with_help(
                Code::ConditionalField,
                r.kind.span,
                "an `existing` job needs a `reason`",
                "add `reason:` saying why the job must run again",
            ),
            Kind::New if r.pr.is_none() => self.report_with_help(
                Code::ConditionalField,
                r.kind.span,
                "a `new` job needs a `pr`",
                format!(
                    "add `pr:` with the job's pull request, https://github.com/{}/pull/<number>",
                    self.config.repository
                ),
            ),
            _ => {}
        }
        if let Some(previous) = &r.previous_request
            && r.fixed.is_none()
        {
            self.report_with_help(
                Code::ConditionalField,
                previous.span,
                "a resubmission needs `fixed`",
                "add `fixed:` saying what changed since the previous request",
            );
        }
    }

    /// JG204: recorded dates cannot be in the future.
    fn future_dates(&mut self) {
        let r = self.request;
        let mut dates = vec![("submitted", &r.submitted)];
        dates.extend(r.scheduled.as_ref().map(|s| ("scheduled.on", &s.on)));
        dates.extend(r.runs.iter().map(|run| ("the run date", &run.on)));
        dates.extend(r.approval.as_ref().map(|a| ("approval.on", &a.on)));
        for (name, date) in dates {
            if date.value > self.today {
                self.report_with_help(
                    Code::FutureDate,
                    date.span,
                    format!("{name} is {}, after today ({})", date.value, self.today),
                    "record things once they have happened",
                );
            }
        }
    }

    /// JG301: a resubmission must point at another request that exists.
    fn previous_request(&mut self, id: &str, all_ids: &BTreeSet<&str>) {
        let Some(previous) = &self.request.previous_request else {
            return;
        };
        if previous.value == id {
            self.report_with_help(
                Code::UnknownRequest,
                previous.span,
                "`previous_request` names this request itself",
                "name the id of the failed request this one replaces",
            );
        } else if !all_ids.contains(previous.as_str()) {
            self.report_with_help(
                Code::UnknownRequest,
                previous.span,
                format!("there is no request `{}`", shorten(previous)),
                "name the id (file name without `.yaml`) of a file in requests/",
            );
        }
    }

    /// JG302 and JG303 for the acknowledgment.
    fn schedule(&mut self) {
        let r = self.request;
        let Some(scheduled) = &r.scheduled else {
            return;
        };
        let policy = &self.config.policy;
        let weekend = &scheduled.weekend;
        if !calendar::is_weekend_start(policy, weekend.value) {
            let nearest = nearest_weekend_start(self.config, weekend.value);
            self.report_with_help(
                Code::BadWeekend,
                weekend.span,
                format!(
                    "{} is a {}, not the start of a run weekend",
                    weekend.value,
                    weekend.value.format("%A")
                ),
                format!(
                    "run weekends start on {} under the policy; the nearest is {nearest}",
                    nearest.format("%A")
                ),
            );
        }
        if weekend.value < r.submitted.value {
            self.report(
                Code::BadWeekend,
                weekend.span,
                format!(
                    "the scheduled weekend {} is before the request was submitted ({})",
                    weekend.value, r.submitted.value
                ),
            );
        }
        if scheduled.on.value < r.submitted.value {
            self.report_with_help(
                Code::RunOrder,
                scheduled.on.span,
                format!(
                    "acknowledged on {}, before the request was submitted ({})",
                    scheduled.on.value, r.submitted.value
                ),
                "write the day the request was acknowledged, on or after `submitted`",
            );
        }
    }

    /// JG303 for run dates; then each run record on its own.
    fn runs(&mut self) {
        let r = self.request;
        for run in &r.runs {
            if run.on.value < r.submitted.value {
                self.report_with_help(
                    Code::RunOrder,
                    run.on.span,
                    format!(
                        "a run on {}, before the request was submitted ({})",
                        run.on.value, r.submitted.value
                    ),
                    "record only runs made for this request, with the day they ran",
                );
            }
        }
        if let Some(pair) = r.runs.windows(2).find(|w| w[1].on.value < w[0].on.value) {
            self.report_with_help(
                Code::RunOrder,
                pair[1].on.span,
                format!(
                    "this run ({}) is listed after a later one ({})",
                    pair[1].on.value, pair[0].on.value
                ),
                "list runs oldest first",
            );
        }
        for run in &r.runs {
            self.run_record(run);
        }
    }

    /// A run is a fact: whether its output matches is derived (the request becomes `failed`),
    /// never an error. What is checked is that the record holds together: the job it names is
    /// one of `jobs` (JG104), and a `failure` has the errors it reported (JG304, a warning).
    fn run_record(&mut self, run: &super::Run) {
        let jobs = &self.request.jobs;
        if let Some(job) = &run.job
            && !jobs.iter().any(|j| j.value == job.value)
        {
            let names: Vec<String> = jobs.iter().map(|j| format!("`{}`", j.value)).collect();
            self.report_with_help(
                Code::BadValue,
                job.span,
                format!("`job: {}` is not one of this request's jobs", job.value),
                format!(
                    "name one of {}, or leave `job` out if the run covered them all",
                    names.join(", ")
                ),
            );
        }
        if *run.result == RunResult::Failure && run.stderr.trim().is_empty() {
            self.report_with_help(
                Code::RunOutput,
                run.stderr.span,
                "the result is `failure` but no stderr is recorded",
                "paste the error lines the job printed into `stderr`, or record `result: error` \
                 if it crashed without them",
            );
        }
    }

    /// JG306, JG307 and JG308.
    fn approval(&mut self) {
        let r = self.request;
        let Some(approval) = &r.approval else {
            return;
        };
        if r.passed_on_backup_by(approval.on.value).is_none() {
            self.report_with_help(
                Code::ApprovalEarly,
                approval.on.span,
                format!(
                    "approved on {} without a passing backup run on or before that day",
                    approval.on.value
                ),
                "a passing run is on the `backup` server with `result: success`, output matching \
                 the patterns and `outcome_verified: true`, for every job of the request",
            );
        }
        let (release, target) = (approval.release.value, r.target_release.value);
        if release < target {
            self.report_with_help(
                Code::ApprovalRelease,
                approval.release.span,
                format!("approved for {release}, earlier than the target release {target}"),
                format!("approve it for {target}, or change `target_release` first"),
            );
        } else if release > target {
            self.report_with_help(
                Code::ApprovalLater,
                approval.release.span,
                format!("approved for {release}, later than the target release {target}"),
                "if the job moved to a later release, change `target_release` too",
            );
        }
    }

    /// JG311.
    fn withdrawal(&mut self) {
        let r = self.request;
        let Some(withdrawn) = &r.withdrawn else {
            return;
        };
        let on = &withdrawn.on;
        if on.value < r.submitted.value {
            self.report_with_help(
                Code::Withdrawn,
                on.span,
                format!(
                    "withdrawn on {}, before the request was submitted ({})",
                    on.value, r.submitted.value
                ),
                "write the day it was withdrawn, on or after `submitted`",
            );
        }
        if on.value > self.today {
            self.report_with_help(
                Code::Withdrawn,
                on.span,
                format!("withdrawn on {}, after today ({})", on.value, self.today),
                "record the withdrawal on the day it happens (`jobgate withdraw` does)",
            );
        }
    }

    /// JG312: an open request filed after its release had closed; JG309: filed too late for
    /// comfort.
    fn lateness(&mut self) {
        let r = self.request;
        if r.withdrawn.is_some() || r.approval.is_some() {
            return;
        }
        let target = r.target_release.value;
        let dates = calendar::release_dates(self.config, target);
        let submitted = r.submitted.value;
        // Once a coordinator has scheduled the request, the release team took it on as it is.
        if submitted > dates.last_submission && r.scheduled.is_none() {
            let open = calendar::first_open_release(self.config, submitted);
            let open_dates = calendar::release_dates(self.config, open);
            self.report_with_help(
                Code::ClosedRelease,
                r.target_release.span,
                format!(
                    "{target} was closed when the request was submitted ({submitted}): its last \
                     submission day was {}, for the cutoff on {}",
                    dates.last_submission, dates.cutoff
                ),
                format!(
                    "target {open}, the earliest release still open on {submitted} (submit by {})",
                    open_dates.last_submission
                ),
            );
            return;
        }
        // Once the cutoff has passed the advice is moot; the status page says "missed" instead.
        if self.today >= dates.cutoff {
            return;
        }
        if submitted > dates.recommended_by {
            self.report_with_help(
                Code::LateSubmission,
                r.submitted.span,
                format!(
                    "submitted {submitted}, after the recommended date for {target} ({})",
                    dates.recommended_by
                ),
                format!(
                    "there may be no time for a second run before the cutoff ({})",
                    dates.cutoff
                ),
            );
        }
    }
}

/// JG310: the same job in two open requests for the same release, found with one map pass.
pub fn duplicate_jobs(requests: &[Loaded]) -> Vec<Diagnostic> {
    let mut by_job: HashMap<(Month, &str), Vec<(&Loaded, Span)>> = HashMap::new();
    for loaded in requests {
        let r = &loaded.request;
        if r.withdrawn.is_some() || r.approval.is_some() {
            continue;
        }
        // A job repeated inside one request is JG104, not a clash between requests.
        let mut seen = HashSet::new();
        for job in r.jobs.iter() {
            if seen.insert(job.as_str()) {
                by_job
                    .entry((r.target_release.value, job.as_str()))
                    .or_default()
                    .push((loaded, job.span));
            }
        }
    }
    const NAMED: usize = 3;
    let mut found = Vec::new();
    // A resubmission and the request it replaces name the same jobs by design.
    let related = |a: &Loaded, b: &Loaded| {
        let points_at = |x: &Loaded, y: &Loaded| {
            x.request
                .previous_request
                .as_ref()
                .is_some_and(|p| p.value == y.id)
        };
        points_at(a, b) || points_at(b, a)
    };
    for ((release, job), entries) in by_job.into_iter().filter(|(_, e)| e.len() > 1) {
        for (i, (loaded, span)) in entries.iter().enumerate() {
            let clashing: Vec<&Loaded> = entries
                .iter()
                .enumerate()
                .filter(|(j, (other, _))| *j != i && !related(loaded, other))
                .map(|(_, (other, _))| *other)
                .collect();
            if clashing.is_empty() {
                continue;
            }
            let others: Vec<String> = clashing
                .iter()
                .take(NAMED)
                .map(|other| format!("`{}`", other.id))
                .collect();
            let more = clashing.len() - others.len();
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            found.push(
                Diagnostic::new(
                    Code::DuplicateJob,
                    &loaded.file,
                    *span,
                    format!(
                        "`{job}` is also requested for {release} by {}{more}",
                        others.join(", ")
                    ),
                )
                .with_help(
                    "if they are the same run, withdraw one request; otherwise say why in `notes`",
                ),
            );
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::check::rules;

    fn validate_all(requests: &[Loaded], config: &SiteConfig, today: NaiveDate) -> Vec<Diagnostic> {
        rules(requests, &[], config, today)
    }

    const BASE: &str =
        include_str!("../../tests/fixtures/invalid/requests/base-valid-request.yaml");
    const SITE: &str = include_str!("../../tests/fixtures/invalid/content/site.yaml");

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn loaded(id: &str, text: &str) -> Loaded {
        let file = format!("requests/{id}.yaml");
        let (request, diagnostics) = super::super::parse(text.as_bytes(), &file);
        assert_eq!(diagnostics, vec![], "{id}");
        Loaded {
            id: id.to_owned(),
            file,
            request: request.unwrap(),
            text: text.to_owned(),
        }
    }

    fn run(text: &str, today: NaiveDate) -> Vec<Diagnostic> {
        let config = crate::config::parse(SITE).unwrap();
        validate_all(&[loaded("req", text)], &config, today)
    }

    #[test]
    fn the_base_request_is_clean() {
        assert_eq!(run(BASE, today()), vec![]);
    }

    #[test]
    fn late_submissions_name_the_date_they_missed() {
        let for_december =
            BASE.replace("target_release: \"2027-01\"", "target_release: \"2026-12\"");
        let late = for_december.replace("submitted: 2026-11-26", "submitted: 2026-11-21");
        let found = run(&late, today());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, Code::ClosedRelease);
        assert_eq!(
            found[0].message,
            "2026-12 was closed when the request was submitted (2026-11-21): its last submission \
             day was 2026-11-20, for the cutoff on 2026-11-28"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "target 2027-01, the earliest release still open on 2026-11-21 (submit by 2026-12-25)"
            )
        );
        // A closed release stays an error after its cutoff: the request must be retargeted.
        let after = run(&late, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
        assert_eq!(after.len(), 1, "{after:?}");
        assert_eq!(after[0].code, Code::ClosedRelease);
        let tight = for_december.replace("submitted: 2026-11-26", "submitted: 2026-11-16");
        let found = run(&tight, today());
        assert_eq!(found[0].code, Code::LateSubmission);
        assert_eq!(
            found[0].message,
            "submitted 2026-11-16, after the recommended date for 2026-12 (2026-11-14)"
        );
        // Past the cutoff the advice is moot, and withdrawn requests need none.
        assert_eq!(
            run(&tight, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()),
            vec![]
        );
        let withdrawn = format!("{late}withdrawn:\n  on: 2026-11-22\n  reason: Superseded.\n");
        assert_eq!(run(&withdrawn, today()), vec![]);
    }

    #[test]
    fn a_job_in_two_open_requests_is_reported_on_both() {
        let config = crate::config::parse(SITE).unwrap();
        let withdrawn = format!("{BASE}withdrawn:\n  on: 2026-11-26\n  reason: Superseded.\n");
        let other_release =
            BASE.replace("target_release: \"2027-01\"", "target_release: \"2027-02\"");
        let requests = [
            loaded("first", BASE),
            loaded("second", BASE),
            loaded("gone", &withdrawn),
            loaded("later", &other_release),
        ];
        let mut found = validate_all(&requests, &config, today());
        crate::diagnostics::sort(&mut found);
        let summary: Vec<(&str, Code, &str)> = found
            .iter()
            .map(|d| (d.file.as_str(), d.code, d.message.as_str()))
            .collect();
        let message = |other: &str| {
            format!("`AuditSkillRubricExplanationsJob` is also requested for 2027-01 by `{other}`")
        };
        assert_eq!(
            summary,
            [
                (
                    "requests/first.yaml",
                    Code::DuplicateJob,
                    message("second").as_str()
                ),
                (
                    "requests/second.yaml",
                    Code::DuplicateJob,
                    message("first").as_str()
                ),
            ]
        );
        assert_eq!(found[0].span.line, 4);
    }

    #[test]
    fn a_bad_weekend_names_the_nearest_start() {
        let text = format!(
            "{BASE}scheduled:\n  by: ankita240796\n  on: 2026-11-26\n  weekend: 2026-11-30\n"
        );
        let found = run(&text, today());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "2026-11-30 is a Monday, not the start of a run weekend"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("run weekends start on Saturday under the policy; the nearest is 2026-11-28")
        );
    }

    #[test]
    fn a_handle_with_at_gets_the_bare_name_as_help() {
        let found = run(
            &BASE.replace("author: tanvi-skills", "author: \"@tanvi-skills\""),
            today(),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].help.as_deref(),
            Some("write it without the `@`: `tanvi-skills`")
        );
    }

    #[test]
    fn a_resubmission_may_point_at_a_file_that_did_not_parse() {
        let config = crate::config::parse(SITE).unwrap();
        let text = BASE.replace(
            "essential: false",
            "essential: false\nprevious_request: broken-one\nfixed: The crash on empty rubrics.",
        );
        let requests = [loaded("req", &text)];
        assert_eq!(validate_all(&requests, &config, today()).len(), 1);
        assert_eq!(rules(&requests, &["broken-one"], &config, today()), vec![]);
    }

    #[test]
    fn handles() {
        let cases: &[(&str, bool)] = &[
            ("seanlip", true),
            ("a", true),
            ("tanvi-skills", true),
            ("ankita240796", true),
            ("A-b-C", true),
            (&"a".repeat(39), true),
            ("", false),
            (&"a".repeat(40), false),
            ("@seanlip", false),
            ("-lead", false),
            ("trail-", false),
            ("dou--ble", false),
            ("under_score", false),
            ("with space", false),
            ("dot.name", false),
            ("é", false),
        ];
        for (handle, expected) in cases {
            assert_eq!(is_github_handle(handle), *expected, "{handle:?}");
        }
    }

    #[test]
    fn placeholders() {
        let cases: &[(&str, bool)] = &[
            ("", true),
            ("   \n", true),
            ("TODO", true),
            ("todo.", true),
            ("Tbd!", true),
            ("FIXME", true),
            ("...", true),
            ("…", true),
            ("-", true),
            ("N/A", true),
            ("n/a.", true),
            ("None", true),
            ("placeholder", true),
            ("**TODO**", true),
            ("TODO TBD", true),
            ("- TODO", true),
            ("TODO: write this", true),
            ("todo: write this", true),
            ("TODO write this", true),
            ("FIXME(ann): later", true),
            ("TBD: after review", true),
            ("None of the data changes.", false),
            ("Todo items are migrated to the new model.", false),
            ("TODOS are counted.", false),
            ("Run the validation job.", false),
            ("- check the datastore", false),
            ("Nothing to recover: the job writes nothing.", false),
        ];
        for (text, expected) in cases {
            assert_eq!(is_placeholder(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn patterns() {
        let cases: &[(&str, usize)] = &[
            ("EXP PROCESSED SUCCESS: <n>", 0),
            ("EXP PROCESSED ERROR: \"<any>\": <n>", 0),
            ("count < 5 and > 2", 0),
            ("<class 'ValueError'>: <n>", 0),
            ("", 1),
            ("   ", 1),
            ("<any>", 1),
            ("<n>", 1),
            ("<any><n>", 1),
            (" EXP: <n>", 1),
            ("EXP: <n> ", 1),
            ("EXP: <count>", 1),
            ("EXP: <N>", 1),
            ("EXP: <int> <id>", 2),
            (" <any> ", 2),
        ];
        for (pattern, expected) in cases {
            let problems = pattern_problems(pattern);
            assert_eq!(problems.len(), *expected, "{pattern:?}: {problems:?}");
        }
        let upper = pattern_problems("EXP: <N>");
        assert!(upper[0].1.contains("`<n>`"), "{upper:?}");
    }

    #[test]
    fn test_references() {
        let cases: &[(&str, bool)] = &[
            ("core/jobs/x_test.py::XTests::test_one", true),
            ("core/jobs/x_test.py::test_one", true),
            ("x_test.py::XTests::test_it", true),
            ("core/jobs/x_test.py::XTests::test_one::extra", false),
            ("core/jobs/x_test.py", false),
            ("core/jobs/x_test.py::XTests", false),
            ("core/jobs/x_test.py::XTests::one_test", false),
            ("core/jobs/x.py::XTests::test_one", false),
            ("core/jobs/_test.py::XTests::test_one", false),
            ("/abs/x_test.py::XTests::test_one", false),
            ("core/../x_test.py::XTests::test_one", false),
            ("core//x_test.py::XTests::test_one", false),
            ("core/x_test.py::X Tests::test_one", false),
            ("core/x_test.py::1Tests::test_one", false),
            ("core/x_test.py:XTests:test_one", false),
            ("", false),
        ];
        for (reference, expected) in cases {
            assert_eq!(is_test_reference(reference), *expected, "{reference:?}");
        }
    }

    #[test]
    fn class_names() {
        for good in ["MigrateTopicSummaryJob", "A", "Audit_V2Job"] {
            assert!(is_class_name(good), "{good}");
        }
        for bad in [
            "",
            "migrateJob",
            "_Job",
            "Migrate-Job",
            "Migrate Job",
            "Jöb",
        ] {
            assert!(!is_class_name(bad), "{bad}");
        }
    }

    #[test]
    fn urls_and_pull_requests() {
        let repo = "oppia/oppia";
        let cases: &[(&str, bool, bool)] = &[
            ("https://github.com/oppia/oppia/pull/23547", true, true),
            ("https://github.com/oppia/oppia/pull/23547/", true, true),
            (
                "https://github.com/oppia/oppia/pull/23547/files",
                true,
                true,
            ),
            ("https://github.com/Oppia/Oppia/pull/1", true, true),
            ("https://github.com/oppia/oppia/pull/0", true, false),
            ("https://github.com/oppia/oppia/pull/", true, false),
            ("https://github.com/oppia/oppia/pull/12a", true, false),
            ("https://github.com/oppia/oppia/pull/1/commits", true, false),
            ("https://github.com/oppia/oppia/issues/1", true, false),
            ("https://github.com/oppia/oppia-web/pull/1", true, false),
            ("https://github.com/other/oppia/pull/1", true, false),
            ("http://github.com/oppia/oppia/pull/1", true, false),
            ("HTTPS://docs.example.org/x", true, false),
            ("github.com/oppia/oppia/pull/1", false, false),
            ("ftp://example.org/x", false, false),
            ("https://", false, false),
            ("https:///path", false, false),
            ("https://exa mple.org", false, false),
        ];
        for (url, http, pr) in cases {
            assert_eq!(is_http_url(url), *http, "{url}");
            assert_eq!(is_pull_request_of(url, repo), *pr, "{url}");
        }
    }
}
