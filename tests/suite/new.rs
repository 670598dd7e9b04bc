//! `jobgate new`: a skeleton whose only problems are the placeholders left to fill in.

use std::collections::BTreeSet;

use super::common::{TODAY, TempSite};

fn scaffold(site: &TempSite, id: &str) -> super::common::Run {
    site.run(&[
        "new",
        id,
        "--today",
        TODAY,
        "--title",
        "Backfill \"story\" thumbnails",
        "--author",
        "new-author",
        "--pr",
        "https://github.com/oppia/oppia/pull/24001",
        "--jobs",
        "AuditStoryThumbnailsJob,BackfillStoryThumbnailsJob",
    ])
}

#[test]
fn the_skeletons_only_errors_are_its_placeholders() {
    let site = TempSite::fixture("valid");
    let run = scaffold(&site, "backfill-story-thumbnails");
    assert_eq!(run.code, 0, "{run:?}");
    let text = site.read("requests/backfill-story-thumbnails.yaml");
    assert!(text.starts_with("# yaml-language-server: $schema=schema.json\n"));
    assert!(
        text.contains("target_release: \"2027-01\""),
        "the earliest release still open: {text}"
    );
    assert!(text.contains("  - \"AuditStoryThumbnailsJob\"\n  - \"BackfillStoryThumbnailsJob\"\n"));
    assert!(text.contains("submitted: 2026-11-27"));
    let run = site.run(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "requests/backfill-story-thumbnails.yaml",
    ]);
    assert_eq!(run.code, 1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: BTreeSet<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    let placeholders: BTreeSet<&str> = ["JG205", "JG206", "JG207"].into();
    assert_eq!(codes, placeholders, "{}", run.stdout);
}

#[test]
fn new_refuses_to_overwrite_or_to_guess() {
    let site = TempSite::fixture("valid");
    assert_eq!(scaffold(&site, "backfill-story-thumbnails").code, 0);
    let again = scaffold(&site, "backfill-story-thumbnails");
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let bad = scaffold(&site, "Bad_Id");
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("not a valid request id"),
        "{}",
        bad.stderr
    );
    let no_author = site.run(&[
        "new",
        "some-other-job",
        "--today",
        TODAY,
        "--jobs",
        "AuditJob",
        "--pr",
        "https://github.com/oppia/oppia/pull/1",
    ]);
    assert_eq!(no_author.code, 2);
    assert!(
        no_author.stderr.contains("--author"),
        "{}",
        no_author.stderr
    );
}

#[test]
fn without_a_terminal_every_missing_flag_is_named_at_once() {
    let site = TempSite::fixture("valid");
    let run = site.run(&["new", "some-other-job", "--today", TODAY]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains(
            "give --author <your GitHub handle>; --pr https://github.com/oppia/oppia/pull/<number> \
             (a new job needs its pull request); --jobs AuditJob,MigrationJob (job class names in \
             run order)"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("requests/some-other-job.yaml").exists());
}

#[test]
fn new_refuses_a_release_that_is_already_closed() {
    let site = TempSite::fixture("valid");
    let run = site.run(&[
        "new",
        "some-other-job",
        "--today",
        TODAY,
        "--author",
        "new-author",
        "--pr",
        "https://github.com/oppia/oppia/pull/1",
        "--jobs",
        "AuditJob",
        "--target-release",
        "2026-12",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains(
            "2026-12 is closed: its last submission day was 2026-11-20, for the cutoff on \
             2026-11-28; the earliest release still open is 2027-01"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("requests/some-other-job.yaml").exists());
}
