//! `check --base REV --actor HANDLE` against a real temporary git repository.

use std::process::Command;

use super::common::{TODAY, TempSite};

fn git(site: &TempSite, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(site.path())
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// The valid fixture committed as the base of a pull request.
fn repository() -> TempSite {
    let site = TempSite::fixture("valid");
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "base"]);
    site
}

fn guard(site: &TempSite, actor: &str) -> serde_json::Value {
    let run = site.run(&[
        "check", "--today", TODAY, "--format", "json", "--base", "main", "--actor", actor,
    ]);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    serde_json::from_str(&run.stdout).unwrap()
}

fn codes_and_lines(report: &serde_json::Value) -> Vec<(String, u64)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("JG4"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

const UNSCHEDULED: &str = "requests/audit-skill-rubric-explanations.yaml";
const APPROVED: &str = "requests/migrate-topic-summaries.yaml";

fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.starts_with(needle)).unwrap() as u64 + 1
}

#[test]
fn only_coordinators_may_schedule() {
    let site = repository();
    let text = site.read(UNSCHEDULED)
        + "scheduled:\n  by: ankita240796\n  on: 2026-11-27\n  weekend: 2026-11-28\n";
    site.write(UNSCHEDULED, &text);
    let line = line_of(&text, "  by: ankita240796");
    let by_author = guard(&site, "some-author");
    assert_eq!(
        codes_and_lines(&by_author),
        vec![("JG401".to_owned(), line)]
    );
    let message = by_author["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        message,
        "@some-author added `scheduled`, which only coordinators or admins may change"
    );
    assert!(codes_and_lines(&guard(&site, "ankita240796")).is_empty());
    assert!(
        codes_and_lines(&guard(&site, "seanlip")).is_empty(),
        "admins may too"
    );
}

#[test]
fn only_admins_may_change_an_approval() {
    let site = repository();
    let text = site
        .read(APPROVED)
        .replace("  on: 2026-11-16", "  on: 2026-11-17");
    site.write(APPROVED, &text);
    let line = line_of(&text, "approval:") + 1;
    assert_eq!(
        codes_and_lines(&guard(&site, "ankita240796")),
        vec![("JG401".to_owned(), line)]
    );
    assert!(codes_and_lines(&guard(&site, "seanlip")).is_empty());
}

#[test]
fn removing_a_run_is_a_change_too() {
    let site = repository();
    let text = site.read(APPROVED);
    let cut = text.find("runs:").unwrap();
    let approval = text.find("approval:").unwrap();
    site.write(APPROVED, &format!("{}{}", &text[..cut], &text[approval..]));
    let found = codes_and_lines(&guard(&site, "priyanka-dev21"));
    assert_eq!(found, vec![("JG401".to_owned(), 1)]);
}

#[test]
fn moving_lines_without_changing_values_is_not_a_change() {
    let site = repository();
    let text = site.read(APPROVED).replace(
        "notes: Run took 4 minutes on the backup server.\n",
        "notes: Run took 4 minutes on the backup server.\n\n\n",
    );
    site.write(APPROVED, &text);
    assert!(codes_and_lines(&guard(&site, "priyanka-dev21")).is_empty());
}

#[test]
fn a_new_request_may_not_arrive_with_admin_fields() {
    let site = repository();
    let text = site.read(APPROVED);
    site.write("requests/sneaky-new-request.yaml", &text);
    let found = codes_and_lines(&guard(&site, "priyanka-dev21"));
    let expected: Vec<(String, u64)> = [
        line_of(&text, "scheduled:") + 1,
        line_of(&text, "runs:") + 1,
        line_of(&text, "approval:") + 1,
    ]
    .into_iter()
    .map(|l| ("JG402".to_owned(), l))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn an_unknown_base_is_a_usage_failure() {
    let site = repository();
    let run = site.run(&[
        "check",
        "--today",
        TODAY,
        "--base",
        "no-such-branch",
        "--actor",
        "x",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no such commit"), "{}", run.stderr);
}
