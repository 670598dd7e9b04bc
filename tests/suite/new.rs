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

#[test]
fn a_resubmission_starts_from_the_previous_request() {
    let site = TempSite::sample();
    let previous = "populate-story-thumbnail-bg-colors";
    let old = site.read(&format!("requests/{previous}.yaml"));
    let run = site.run(&[
        "new",
        "populate-story-thumbnail-bg-colors-v2",
        "--today",
        TODAY,
        "--previous",
        previous,
        "--fixed",
        "The job now skips stories without a thumbnail.",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let text = site.read("requests/populate-story-thumbnail-bg-colors-v2.yaml");
    // The author's fields as they were, filed today for a release still open, pointing back.
    let title = old.lines().find(|l| l.starts_with("title:")).unwrap();
    assert!(text.contains(&format!("{title}\n")), "{text}");
    assert!(text.contains("\nsubmitted: 2026-11-27\n"), "{text}");
    assert!(text.contains("\ntarget_release: \"2027-01\"\n"), "{text}");
    assert!(
        text.ends_with(&format!(
            "previous_request: {previous}\nfixed: |\n  The job now skips stories without a thumbnail.\n"
        )),
        "{text}"
    );
    // Nothing of the old request's own test comes along.
    for block in ["\nwithdrawn:", "\nruns:", "\nscheduled:", "\napproval:"] {
        assert!(!text.contains(block), "{block} in {text}");
    }
    let check = site.run(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "requests/populate-story-thumbnail-bg-colors-v2.yaml",
    ]);
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{}", check.stdout);

    // Without --fixed (and no terminal to ask), or for a request that does not exist, it
    // refuses and writes nothing.
    let run = site.run(&["new", "again-v3", "--today", TODAY, "--previous", previous]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("give --fixed TEXT"), "{}", run.stderr);
    let run = site.run(&[
        "new",
        "again-v3",
        "--today",
        TODAY,
        "--previous",
        "no-such-request",
        "--fixed",
        "x",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("there is no request `no-such-request`"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("requests/again-v3.yaml").exists());
}
