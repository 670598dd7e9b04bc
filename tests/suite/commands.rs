//! `status`, `calendar` and `check` output formats, as scripts and CI read them.

use super::common::{TODAY, TempSite};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn status_json_has_the_documented_shape() {
    let site = TempSite::sample();
    let run = site.run(&["status", "--today", TODAY, "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let entries = json(&run.stdout);
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 10);
    let keys: Vec<&str> = entries[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "id",
        "state",
        "target_release",
        "cutoff",
        "release_fit",
        "run_weekend",
        "results_due",
        "next_action",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    let scheduled = entries
        .iter()
        .find(|e| e["id"] == "migrate-question-state-schema")
        .unwrap();
    assert_eq!(scheduled["state"], "scheduled");
    assert_eq!(scheduled["release_fit"], "at-risk");
    assert_eq!(scheduled["cutoff"], "2026-11-28");
    assert_eq!(scheduled["run_weekend"], "2026-11-28");
    assert_eq!(scheduled["results_due"], "2026-11-30");
}

#[test]
fn status_text_filters_by_id_and_rejects_unknown_ids() {
    let site = TempSite::sample();
    let run = site.run(&[
        "status",
        "--today",
        TODAY,
        "audit-skill-rubric-explanations",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(lines[0].starts_with("ID"));
    assert!(lines[1].contains("submitted"), "{}", run.stdout);
    let run = site.run(&["status", "--today", TODAY, "no-such-request"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no request `no-such-request`"),
        "{}",
        run.stderr
    );
}

#[test]
fn calendar_json_lists_releases_with_their_requests() {
    let site = TempSite::sample();
    let run = site.run(&[
        "calendar", "--today", TODAY, "--format", "json", "--months", "2",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let releases = json(&run.stdout);
    let first = &releases[0];
    assert_eq!(first["release"], "2026-12");
    assert_eq!(first["name"], "3.5.0");
    assert_eq!(first["cutoff"], "2026-11-28");
    assert_eq!(first["last_run_weekend"], "2026-11-21");
    assert_eq!(first["last_submission"], "2026-11-20");
    assert_eq!(first["recommended_by"], "2026-11-14");
    assert!(
        first["requests"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| id == "migrate-topic-summaries")
    );
    assert_eq!(releases[1]["release"], "2027-01");
    assert_eq!(releases[1]["cutoff"], "2027-01-02");
}

#[test]
fn calendar_text_counts_down_to_each_cutoff() {
    let site = TempSite::sample();
    let run = site.run(&[
        "calendar", "--today", TODAY, "--from", "2026-12", "--months", "1",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("2026-12   3.5.0"), "{}", run.stdout);
    assert!(
        run.stdout.contains("2026-11-28 (in 1 day)"),
        "{}",
        run.stdout
    );
}

/// Unfolds RFC 5545 content lines and checks the framing rules, independently of the crate
/// that wrote them.
fn unfold_ics(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"), "lines end in CRLF");
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(raw.len() <= 75, "line longer than 75 octets: {raw:?}");
        assert!(!raw.contains('\n'), "bare LF in {raw:?}");
        if let Some(rest) = raw.strip_prefix(' ') {
            lines
                .last_mut()
                .expect("continuation after a line")
                .push_str(rest);
        } else {
            lines.push(raw.to_owned());
        }
    }
    lines
}

#[test]
fn calendar_ics_is_valid_and_deterministic() {
    let site = TempSite::sample();
    let args = [
        "calendar", "--today", TODAY, "--format", "ics", "--months", "3",
    ];
    let run = site.run(&args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(site.run(&args).stdout, run.stdout, "two runs differ");
    let lines = unfold_ics(&run.stdout);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    let begins = lines.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    let ends = lines.iter().filter(|l| *l == "END:VEVENT").count();
    assert_eq!(begins, ends);
    assert!(lines.iter().any(|l| l == "VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    assert!(
        lines.iter().any(|l| l == "UID:cutoff-2026-12@example.org"),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l == "DTSTART;VALUE=DATE:20261128"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "SUMMARY:Release cutoff 2026-12 (3.5.0)"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("UID:run-migrate-question-state-schema-2026-11-28@"))
    );
    let stamps: Vec<&String> = lines.iter().filter(|l| l.starts_with("DTSTAMP:")).collect();
    assert_eq!(stamps.len(), begins);
    assert!(
        stamps.iter().all(|s| *s == "DTSTAMP:20261127T000000Z"),
        "{stamps:?}"
    );
}

/// The valid fixture plus one request whose `kind` (line 5, column 7) is not a kind.
fn bad_kind_site() -> TempSite {
    let site = TempSite::fixture("valid");
    site.write(
        "requests/bad-kind-request.yaml",
        &site
            .read("requests/migrate-topic-summaries.yaml")
            .replace("kind: new", "kind: brand-new"),
    );
    site
}

#[test]
fn check_json_has_the_documented_shape() {
    let site = bad_kind_site();
    let run = site.run(&["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let report = json(&run.stdout);
    assert_eq!(report["errors"], 1, "{report}");
    assert_eq!(report["warnings"], 0, "{report}");
    let d = &report["diagnostics"][0];
    assert_eq!(d["file"], "requests/bad-kind-request.yaml");
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 7);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "JG104");
    assert_eq!(d["message"], "`brand-new` is not a kind");
    assert_eq!(d["help"], "use `new` or `existing`");
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = [
        "file", "line", "column", "severity", "code", "message", "help",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
}

/// The human, JSON and GitHub formats carry the same help line for every diagnostic.
#[test]
fn every_format_carries_the_same_help() {
    let site = bad_kind_site();
    site.write(
        "requests/typo-request.yaml",
        &site
            .read("requests/migrate-topic-summaries.yaml")
            .replace("summary:", "sumary:")
            .replace("tested_locally: true", "tested_locally: yes"),
    );
    let human = site.run(&["check", "--today", TODAY]).stdout;
    let report = json(
        &site
            .run(&["check", "--today", TODAY, "--format", "json"])
            .stdout,
    );
    let github = site
        .run(&["check", "--today", TODAY, "--format", "github"])
        .stdout;
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 4, "{report}");
    for d in diagnostics {
        let help = d["help"].as_str().unwrap_or_else(|| panic!("no help: {d}"));
        assert!(human.contains(&format!("help: {help}")), "{help}\n{human}");
        let annotation = format!(
            "title={}::{}%0Ahelp: {help}",
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        );
        assert!(github.contains(&annotation), "{annotation}\n{github}");
    }
}

#[test]
fn check_github_annotates_and_lists() {
    let site = bad_kind_site();
    let run = site.run(&["check", "--today", TODAY, "--format", "github"]);
    assert_eq!(run.code, 1);
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "::error file=requests/bad-kind-request.yaml,line=5,col=7,title=JG104::`brand-new` is not a kind%0Ahelp: use `new` or `existing`"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "requests/bad-kind-request.yaml:5:7: error[JG104]: `brand-new` is not a kind\\nhelp: use `new` or `existing`"
        )
    );
}

#[test]
fn check_human_underlines_the_value() {
    let site = bad_kind_site();
    let run = site.run(&["check", "--today", TODAY]);
    assert_eq!(run.code, 1);
    let text = run.stdout.replace(site.path().to_str().unwrap(), "[ROOT]");
    insta::assert_snapshot!("check_human_bad_kind", text);
}

#[test]
fn check_paths_limits_the_report_to_those_files() {
    let site = TempSite::fixture("valid");
    site.write("requests/one-bad-request.yaml", "title: x\n");
    site.write("requests/two-bad-request.yaml", "title: y\n");
    let run = site.run(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "requests/one-bad-request.yaml",
    ]);
    assert_eq!(run.code, 1);
    let report = json(&run.stdout);
    for d in report["diagnostics"].as_array().unwrap() {
        assert_eq!(d["file"], "requests/one-bad-request.yaml");
    }
    let run = site.run(&["check", "--today", TODAY, "requests/missing.yaml"]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn usage_errors_exit_2() {
    let site = TempSite::fixture("valid");
    assert_eq!(site.run(&["check", "--today", "27/11/2026"]).code, 2);
    assert_eq!(site.run(&["check", "--format", "xml"]).code, 2);
    assert_eq!(
        site.run(&["check", "--base", "HEAD"]).code,
        2,
        "--base needs --actor"
    );
}

#[test]
fn source_date_epoch_sets_today() {
    let site = TempSite::sample();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jobgate"))
        .args(["status", "--format", "json", "--root"])
        .arg(site.path())
        .env("SOURCE_DATE_EPOCH", "1795780800") // 2026-11-27T12:00:00Z
        .output()
        .unwrap();
    let with_flag = site.run(&["status", "--format", "json", "--today", TODAY]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), with_flag.stdout);
}

#[test]
fn check_human_shows_every_problem_with_help() {
    let site = TempSite::fixture("valid");
    let text = site
        .read("requests/migrate-topic-summaries.yaml")
        .replace("summary: |", "sumary: |")
        .replace("  tested_locally: true", "  tested_locally: [yes]");
    site.write("requests/two-problems.yaml", &text);
    let run = site.run(&["check", "--today", TODAY, "requests/two-problems.yaml"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("check_human_two_problems", run.stdout);
}
