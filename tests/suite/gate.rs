//! `jobgate gate` on a built site's `api/requests.json`: exit 0 only when the pull request's
//! job was tested and approved, 1 with the state and next action otherwise, 2 on bad input.

use super::common::TempSite;

/// The sample site, built, with the path of its API.
fn built() -> TempSite {
    let site = TempSite::sample();
    let run = site.build("public");
    assert_eq!(run.code, 0, "{run:?}");
    site
}

fn gate(site: &TempSite, pr: &str) -> super::common::Run {
    let api = site.path().join("public/api/requests.json");
    site.run_bare(&["gate", "--pr", pr, "--api", api.to_str().unwrap()])
}

#[test]
fn an_approved_job_opens_the_gate() {
    let site = built();
    let run = gate(&site, "https://github.com/oppia/oppia/pull/23418");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with(
            "https://github.com/oppia/oppia/pull/23418: its job was tested on the backup \
             server and approved\n- migrate-topic-summaries: approved on "
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_job_not_yet_approved_keeps_it_shut_and_says_what_is_next() {
    let site = built();
    // Passed on the backup server, waiting for an admin's approval.
    let run = gate(&site, "https://github.com/oppia/oppia/pull/23391/files");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("not yet"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("- normalize-exploration-language-codes-v2: passed, for "),
        "{}",
        run.stdout
    );
    // Scheduled, and withdrawn.
    for (pr, line) in [
        ("23518", "- migrate-question-state-schema: scheduled, for "),
        (
            "23304",
            "- populate-story-thumbnail-bg-colors: withdrawn, for ",
        ),
    ] {
        let run = gate(&site, &format!("https://github.com/oppia/oppia/pull/{pr}"));
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.contains(line), "{}", run.stdout);
    }
}

#[test]
fn without_a_request_it_says_how_to_file_one() {
    let site = built();
    let run = gate(&site, "https://github.com/oppia/oppia/pull/1");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("no request to test its job on the backup server; file one with the request form at https://"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("/request/, naming this pull request as its `pr`"),
        "{}",
        run.stdout
    );
}

#[test]
fn two_requests_for_one_pull_request_must_both_be_approved() {
    let site = TempSite::sample();
    // A second request to test the approved job's pull request again, after a change.
    let approved = site.read("requests/migrate-topic-summaries.yaml");
    let again = approved
        .lines()
        .take_while(|l| !l.starts_with("scheduled:") && !l.starts_with("runs:"))
        .filter(|l| !l.starts_with("approval:"))
        .collect::<Vec<_>>()
        .join("\n");
    site.write(
        "requests/migrate-topic-summaries-again.yaml",
        &format!("{again}\n"),
    );
    let run = site.build("public");
    assert_eq!(run.code, 0, "{run:?}");
    let run = gate(&site, "https://github.com/oppia/oppia/pull/23418");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("- migrate-topic-summaries: approved"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("- migrate-topic-summaries-again: "),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_input_is_a_usage_error() {
    let site = built();
    let run = gate(&site, "https://github.com/oppia/oppia/issues/5");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("not a pull request address"),
        "{}",
        run.stderr
    );
    site.write("not-api.json", "{\"a\": 1}");
    let path = site.path().join("not-api.json");
    let run = site.run_bare(&[
        "gate",
        "--pr",
        "https://github.com/oppia/oppia/pull/1",
        "--api",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("not the site's api/requests.json"),
        "{}",
        run.stderr
    );
}
