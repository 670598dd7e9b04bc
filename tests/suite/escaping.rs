//! Request files are untrusted: markup in any free-text field must come out as text.

use super::common::TempSite;

const PAYLOAD: &str = r#"<script>alert("pwned")</script><img src=x onerror=alert(1)>"#;

/// The valid fixture request with the payload in every free-text field.
fn hostile_request() -> String {
    let p = PAYLOAD.replace('"', "\\\"");
    format!(
        r#"title: "Title {p}"
jobs: [AuditJob]
kind: existing
reason: "Reason {p}"
author: some-author
submitted: 2026-11-20
target_release: "2027-01"
summary: "Summary {p}"
readiness: {{ tested_locally: true, reviewers_approved: true }}
output:
  success: {{ description: "Success {p}", expected: ["DONE: <n>"] }}
  failure: {{ description: "Failure {p}", expected: ["FAILED: <any>"] }}
tests:
  success: [core/jobs/audit_jobs_test.py::AuditTests::test_success]
  failure: [core/jobs/audit_jobs_test.py::AuditTests::test_failure]
instructions:
  verify: "Verify {p}"
  on_output: "Output {p}"
  recover: "Recover {p}"
  debug: "Debug {p}"
notes: "Notes {p}"
scheduled: {{ by: ankita240796, on: 2026-11-21, weekend: 2026-11-21 }}
runs:
  - on: 2026-11-21
    server: backup
    by: ankita240796
    result: error
    stdout: "Stdout {p}"
    stderr: "Stderr {p}"
    evidence: "Evidence {p}"
    notes: "Run notes {p}"
"#
    )
}

#[test]
fn script_in_every_text_field_comes_out_escaped() {
    let site = TempSite::fixture("valid");
    site.write("requests/hostile-request.yaml", &hostile_request());
    let run = site.build("public");
    assert_eq!(run.code, 0, "{run:?}");
    let page = site.read("public/jobs/hostile-request/index.html");
    assert!(!page.contains("<script>alert"), "raw script in page");
    assert!(!page.contains("<img src=x"), "raw img in page");
    let fields = [
        "Title",
        "Reason",
        "Summary",
        "Success",
        "Failure",
        "Verify",
        "Output",
        "Recover",
        "Debug",
        "Notes",
        "Stdout",
        "Stderr",
        "Evidence",
        "Run notes",
    ];
    for field in fields {
        let shown = format!("{field} &lt;script&gt;alert(");
        assert!(page.contains(&shown), "{field}: payload not shown as text");
    }
    for other in [
        "public/jobs/index.html",
        "public/index.html",
        "public/api/requests.json",
    ] {
        let text = site.read(other);
        assert!(!text.contains("<script>alert"), "raw script in {other}");
    }
}

#[test]
fn headings_in_request_text_cannot_take_the_pages_own_ids() {
    let site = TempSite::fixture("valid");
    let request = hostile_request().replace(
        "summary: \"Summary",
        "summary: \"# Steps {#main}\\n\\n## Timeline\\n\\nSummary",
    );
    site.write("requests/hostile-request.yaml", &request);
    let run = site.build("public");
    assert_eq!(run.code, 0, "{run:?}");
    let page = site.read("public/jobs/hostile-request/index.html");
    assert_eq!(page.matches(r#"id="main""#).count(), 1, "{page}");
    assert_eq!(page.matches(r#"id="timeline""#).count(), 1, "{page}");
    assert_eq!(page.matches("<h1").count(), 1, "one page title");
    assert!(page.contains("<h3>Steps</h3>"), "{page}");
    assert!(page.contains("<h4>Timeline</h4>"), "{page}");
}
