//! Runs are facts: what a truthful record does to a request's state, its page and the site;
//! runs of one job of several; and a resubmission that replaces a request.

use super::common::{TODAY, TempSite};

const AUDIT: &str = "requests/audit-skill-rubric-explanations.yaml";

const SCHEDULED: &str = "scheduled:\n  by: ankita240796\n  on: 2026-11-26\n  weekend: 2026-11-28\n";

/// The valid fixture, its audit request scheduled and with `runs` appended.
fn with_runs(runs: &str) -> TempSite {
    let site = TempSite::fixture("valid");
    let text = site.read(AUDIT) + SCHEDULED + "runs:\n" + runs;
    site.write(AUDIT, &text);
    site
}

fn status_of(site: &TempSite, today: &str, id: &str) -> serde_json::Value {
    let run = site.run(&["status", "--today", today, "--format", "json", id]);
    assert_eq!(run.code, 0, "{run:?}");
    let all: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    all[0].clone()
}

const UNMATCHED: &str = "  - on: 2026-11-28
    server: backup
    by: ankita240796
    result: success
    stdout: |
      SKILL PROCESSED SUCCESS: 120
      SKILL AUDIT TRACE: 4 skills skipped
    outcome_verified: true
    evidence: The datastore is unchanged.
";

#[test]
fn a_truthful_run_whose_output_does_not_match_fails_the_request_and_blocks_nothing() {
    let site = with_runs(UNMATCHED);
    let check = site.run(&["check", "--today", "2026-11-30", "--format", "json"]);
    assert_eq!(check.code, 0, "{check:?}");
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{report}");
    assert_eq!(report["warnings"], 0, "{report}");

    let status = status_of(&site, "2026-11-30", "audit-skill-rubric-explanations");
    assert_eq!(status["state"], "failed");
    assert_eq!(
        status["next_action"],
        "The run on 28 Nov did not print the expected output: stdout line 2 (`SKILL AUDIT TRACE: \
         4 skills skipped`) matches no expected success pattern — fix the job and resubmit it as \
         a new request with previous_request set to this one."
    );

    let out = site.path().join("public");
    let build = site.run(&[
        "build",
        "--today",
        "2026-11-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(build.code, 0, "{build:?}");
    let page = site.read("public/jobs/audit-skill-rubric-explanations/index.html");
    assert!(
        page.contains(
            "<span class=\"no\"><span aria-hidden=\"true\">✗</span> output does not match: \
             stdout line 2 (`SKILL AUDIT TRACE: 4 skills skipped`) matches no expected success \
             pattern</span>"
        ),
        "{page}"
    );
    assert!(page.contains("<span class=\"line-ok\">  SKILL PROCESSED SUCCESS: 120</span>"));
    assert!(page.contains("<span class=\"line-bad\">✗ SKILL AUDIT TRACE: 4 skills skipped</span>"));
    assert!(
        !page.contains("output matches the expected patterns"),
        "{page}"
    );
}

#[test]
fn stderr_of_a_successful_run_is_never_shown_as_matching() {
    // The stderr line matches a *failure* pattern, but a successful run must print none.
    let site = with_runs(
        "  - on: 2026-11-28
    server: backup
    by: ankita240796
    result: success
    stdout: |
      SKILL PROCESSED SUCCESS: 120
    stderr: |
      SKILL PROCESSED ERROR: \"skill_9\": 1
",
    );
    let out = site.path().join("public");
    let build = site.run(&[
        "build",
        "--today",
        "2026-11-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(build.code, 0, "{build:?}");
    let page = site.read("public/jobs/audit-skill-rubric-explanations/index.html");
    assert!(
        page.contains(
            "<span class=\"line-bad\">✗ SKILL PROCESSED ERROR: &quot;skill_9&quot;: 1</span>"
        ),
        "{page}"
    );
    assert!(page.contains("output does not match: it printed to stderr (line 1"));
    let status = status_of(&site, "2026-11-30", "audit-skill-rubric-explanations");
    assert_eq!(status["state"], "failed");
}

#[test]
fn a_failure_without_stderr_is_only_a_warning() {
    let site = with_runs(
        "  - on: 2026-11-28\n    server: backup\n    by: ankita240796\n    result: failure\n",
    );
    let check = site.run(&["check", "--today", "2026-11-30", "--format", "json"]);
    assert_eq!(check.code, 0, "{check:?}");
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let found: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(found, vec![("JG304", "warning")]);
    let strict = site.run(&["check", "--today", "2026-11-30", "--deny-warnings"]);
    assert_eq!(strict.code, 1);
}

/// The audit request with a second job, and runs that name them.
fn two_jobs(runs: &str) -> TempSite {
    let site = with_runs(runs);
    let text = site.read(AUDIT).replace(
        "  - AuditSkillRubricExplanationsJob\n",
        "  - AuditSkillRubricExplanationsJob\n  - CountSkillRubricsJob\n",
    );
    site.write(AUDIT, &text);
    site
}

fn run_of(job: &str, on: &str, stdout: &str, verified: bool) -> String {
    format!(
        "  - job: {job}\n    on: {on}\n    server: backup\n    by: ankita240796\n    \
         result: success\n    stdout: \"{stdout}\"\n    outcome_verified: {verified}\n"
    )
}

#[test]
fn each_job_is_judged_on_its_latest_run_and_the_request_on_the_worst() {
    let audit = "AuditSkillRubricExplanationsJob";
    let count = "CountSkillRubricsJob";
    let ok = "SKILL PROCESSED SUCCESS: 12";
    let cases = [
        // One job ran and passed; the other has not run.
        (
            run_of(audit, "2026-11-28", ok, true),
            "scheduled",
            "CountSkillRubricsJob has not run yet.",
        ),
        // Both passed.
        (
            run_of(audit, "2026-11-28", ok, true) + &run_of(count, "2026-11-29", ok, true),
            "passed",
            "Passed on 29 Nov",
        ),
        // One is not verified yet.
        (
            run_of(audit, "2026-11-28", ok, true) + &run_of(count, "2026-11-29", ok, false),
            "verifying",
            "Ran on 29 Nov",
        ),
        // A failed first run of one job, run again and passed: its latest run counts.
        (
            run_of(audit, "2026-11-28", "NOPE", true)
                + &run_of(count, "2026-11-28", ok, true)
                + &run_of(audit, "2026-11-29", ok, true),
            "passed",
            "Passed on 29 Nov",
        ),
        // The other job's latest run does not match: the request failed, and says which.
        (
            run_of(audit, "2026-11-28", ok, true) + &run_of(count, "2026-11-29", "NOPE", true),
            "failed",
            "The run of CountSkillRubricsJob on 29 Nov did not print the expected output",
        ),
    ];
    for (runs, state, action) in cases {
        let site = two_jobs(&runs);
        let check = site.run(&["check", "--today", "2026-11-30"]);
        assert_eq!(check.code, 0, "{runs}\n{check:?}");
        let status = status_of(&site, "2026-11-30", "audit-skill-rubric-explanations");
        assert_eq!(status["state"], state, "{runs}\n{status}");
        let next = status["next_action"].as_str().unwrap();
        assert!(next.starts_with(action), "{runs}\n{next}");
    }
}

#[test]
fn a_run_names_one_of_the_requests_jobs() {
    let site = two_jobs(&run_of(
        "NoSuchJob",
        "2026-11-28",
        "SKILL PROCESSED SUCCESS: 1",
        true,
    ));
    let check = site.run(&["check", "--today", "2026-11-30", "--format", "json"]);
    assert_eq!(check.code, 1);
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "JG104");
    assert_eq!(
        d["message"],
        "`job: NoSuchJob` is not one of this request's jobs"
    );
    let text = site.read(AUDIT);
    let line = text
        .lines()
        .position(|l| l == "  - job: NoSuchJob")
        .unwrap()
        + 1;
    assert_eq!(d["line"], line);
}

/// The valid fixture with a resubmission of its audit request, after the audit failed.
fn resubmitted() -> TempSite {
    let site = with_runs(
        "  - on: 2026-11-28\n    server: backup\n    by: ankita240796\n    result: error\n    \
         notes: Timed out.\n",
    );
    let again = TempSite::fixture("valid")
        .read(AUDIT)
        .replace("submitted: 2026-11-26", "submitted: 2026-11-30")
        .replace(
            "essential: false\n",
            "essential: false\nprevious_request: audit-skill-rubric-explanations\nfixed: It reads \
             skills in batches now.\n",
        );
    site.write("requests/audit-skill-rubric-explanations-v2.yaml", &again);
    site
}

#[test]
fn a_resubmission_replaces_the_request_it_names() {
    let site = resubmitted();
    let check = site.run(&["check", "--today", "2026-12-01", "--format", "json"]);
    assert_eq!(check.code, 0, "{check:?}");
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(report["warnings"], 0, "no JG310 between the pair: {report}");

    let old = status_of(&site, "2026-12-01", "audit-skill-rubric-explanations");
    assert_eq!(old["state"], "failed", "it keeps its state");
    assert_eq!(
        old["next_action"],
        "Replaced by audit-skill-rubric-explanations-v2: that request carries it on."
    );

    let out = site.path().join("public");
    let build = site.run(&[
        "build",
        "--today",
        "2026-12-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(build.code, 0, "{build:?}");
    let old_page = site.read("public/jobs/audit-skill-rubric-explanations/index.html");
    assert!(
        old_page.contains(
            "<dt>Replaced by</dt><dd><a href=\"../../jobs/audit-skill-rubric-explanations-v2/index.html\">"
        ),
        "{old_page}"
    );
    let new_page = site.read("public/jobs/audit-skill-rubric-explanations-v2/index.html");
    assert!(
        new_page.contains(
            "<dt>Resubmission of</dt><dd><a href=\"../../jobs/audit-skill-rubric-explanations/index.html\">"
        ),
        "{new_page}"
    );
    let home = site.read("public/index.html");
    let attention = &home[home.find("id=\"attention\"").unwrap()..];
    assert!(
        !attention.contains("jobs/audit-skill-rubric-explanations/index.html"),
        "{attention}"
    );
    let release = site.read("public/releases/2027-01/index.html");
    assert!(
        release.contains("0 of 1 request in the release"),
        "only the resubmission counts: {release}"
    );
    assert!(
        release.contains("<h3 id=\"group-replaced\">Replaced by a resubmission (1)</h3>"),
        "{release}"
    );
}

#[test]
fn a_job_in_two_unrelated_open_requests_is_still_a_duplicate() {
    let site = resubmitted();
    let other = site
        .read("requests/audit-skill-rubric-explanations-v2.yaml")
        .replace("previous_request: audit-skill-rubric-explanations\n", "")
        .replace("fixed: It reads skills in batches now.\n", "");
    site.write("requests/audit-skill-rubric-explanations-v3.yaml", &other);
    let check = site.run(&["check", "--today", TODAY, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let files: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "JG310")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    // v3 clashes with both; the original and v2 clash with v3 only, not with each other.
    assert_eq!(
        files,
        vec![
            "requests/audit-skill-rubric-explanations-v2.yaml",
            "requests/audit-skill-rubric-explanations-v3.yaml",
            "requests/audit-skill-rubric-explanations.yaml",
        ],
        "{report}"
    );
}

/// Regression: the replaced request's page and lists were kept from before when an edit made
/// another request its resubmission (found while adding resubmissions: serve's caches keep a
/// request's status and pieces until that request changes).
#[test]
fn serve_shows_a_new_replacement_as_a_fresh_build_does() {
    use jobgate::site::live::{Changes, LiveSite};
    let site = resubmitted();
    let v2 = "requests/audit-skill-rubric-explanations-v2.yaml";
    let with_previous = site.read(v2);
    let without = with_previous
        .replace("previous_request: audit-skill-rubric-explanations\n", "")
        .replace("fixed: It reads skills in batches now.\n", "");
    site.write(v2, &without);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let live_out = site.path().join("live");
    let (mut live, first) = LiveSite::open(
        site.path(),
        &live_out,
        today,
        "https://example.org/jobs/",
        None,
    )
    .unwrap();
    assert!(!first.has_errors(), "{:?}", first.diagnostics);
    for text in [&with_previous, &without, &with_previous] {
        site.write(v2, text);
        let changes = Changes {
            files: [v2.to_owned()].into_iter().collect(),
        };
        let rebuild = live.apply(&changes).unwrap();
        assert!(!rebuild.has_errors(), "{:?}", rebuild.diagnostics);
        assert!(!rebuild.full, "an edit of one request is a partial rebuild");
        let fresh = site.path().join("fresh");
        let build = site.run(&[
            "build",
            "--today",
            "2026-12-01",
            "--out",
            fresh.to_str().unwrap(),
        ]);
        assert_eq!(build.code, 0, "{build:?}");
        let pages = |dir: &std::path::Path| {
            let mut files = super::common::tree(dir);
            files.retain(|(name, _)| !name.starts_with("pagefind"));
            files
        };
        let (fresh, served) = (pages(&fresh), pages(&live_out));
        let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
            files.iter().map(|(name, _)| name.clone()).collect()
        };
        assert_eq!(names(&fresh), names(&served));
        let differ: Vec<String> = fresh
            .into_iter()
            .zip(served)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.0)
            .collect();
        assert!(
            differ.is_empty(),
            "serve differs from a build in {differ:?}"
        );
    }
}
