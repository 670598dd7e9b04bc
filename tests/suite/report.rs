//! `jobgate check --format markdown`: the pull request's report, deterministic and safe to
//! post whatever the request files say.

use super::common::{TODAY, TempSite};

#[test]
fn the_report_of_a_request_with_mistakes_and_of_a_clean_one() {
    let site = TempSite::sample();
    let file = "requests/audit-skill-rubric-explanations.yaml";
    let text = site.read(file);
    let author = text.lines().find(|l| l.starts_with("author:")).unwrap();
    site.write(file, &text.replacen(author, "author: '@everyone <b>'", 1));
    let run = site.run(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "markdown",
        file,
        "requests/migrate-topic-summaries.yaml",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    insta::assert_snapshot!("check_markdown", run.stdout);
    // What came from the file cannot mention anyone or become HTML.
    assert!(!run.stdout.contains("@everyone"), "{}", run.stdout);
    assert!(!run.stdout.contains("<b>"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("[Requesting a test](https://example.org/jobs/guide/requesting-a-test/)"),
        "{}",
        run.stdout
    );
    // The same run, twice, gives the same bytes.
    let again = site.run(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "markdown",
        file,
        "requests/migrate-topic-summaries.yaml",
    ]);
    assert_eq!(again.stdout, run.stdout);
}

#[test]
fn a_clean_change_says_so_with_its_state() {
    let site = TempSite::sample();
    let run = site.run(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "markdown",
        "requests/migrate-topic-summaries.yaml",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .starts_with("## jobgate check\n\nNo problems found.\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("| [migrate-topic-summaries](https://example.org/jobs/jobs/migrate-topic-summaries/) | Approved |"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_huge_report_stays_under_githubs_comment_limit() {
    let site = TempSite::sample();
    let file = "requests/audit-skill-rubric-explanations.yaml";
    let text = site.read(file);
    let many: String = (0..3000).map(|i| format!("extra_{i}: x\n")).collect();
    site.write(file, &format!("{text}{many}"));
    let run = site.run(&["check", "--today", TODAY, "--format", "markdown", file]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.len() <= jobgate::site::report::MAX_REPORT_BYTES,
        "{}",
        run.stdout.len()
    );
    assert!(
        run.stdout.contains("more, not shown here"),
        "{}",
        &run.stdout[run.stdout.len() - 300..]
    );
}
