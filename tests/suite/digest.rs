//! `jobgate digest`: what the "What needs attention" issue says, on a fixed day.

use super::common::{TODAY, TempSite};

#[test]
fn the_digest_of_the_sample_site() {
    let site = TempSite::sample();
    let run = site.run(&["digest", "--today", TODAY]);
    assert_eq!(run.code, 0, "{run:?}");
    insta::assert_snapshot!("digest_sample", run.stdout);
    // Only the admins from the settings are mentioned.
    let mentions: Vec<&str> = run
        .stdout
        .split_whitespace()
        .filter(|w| w.starts_with('@'))
        .collect();
    assert_eq!(mentions, ["@seanlip", "@vojtechjelinek:"], "{}", run.stdout);
}

#[test]
fn the_json_digest_has_every_list() {
    let site = TempSite::sample();
    let run = site.run(&["digest", "--today", TODAY, "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let digest: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(digest["today"], TODAY);
    assert_eq!(digest["next_cutoff"]["release"], "2026-12");
    let ids = |list: &str| -> Vec<String> {
        digest[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids("overdue"),
        [
            "regenerate-exploration-opportunities",
            "remove-deprecated-user-roles"
        ]
    );
    assert_eq!(digest["overdue"][0]["days"], 4);
    assert_eq!(
        digest["this_weekend"]["planned"][0]["id"],
        "migrate-question-state-schema"
    );
    assert_eq!(ids("results_due"), ["migrate-question-state-schema"]);
    assert_eq!(ids("at_risk"), ["migrate-question-state-schema"]);
    assert_eq!(ids("blockers"), Vec::<String>::new());
}

#[test]
fn request_text_cannot_mention_or_mark_up_the_issue() {
    let site = TempSite::sample();
    let file = "requests/remove-deprecated-user-roles.yaml";
    let text = site.read(file);
    let title = text.lines().find(|l| l.starts_with("title:")).unwrap();
    site.write(
        file,
        &text.replacen(
            title,
            "title: '@everyone <script>alert(1)</script> [click](https://evil.example) **now**'",
            1,
        ),
    );
    let run = site.run(&["digest", "--today", TODAY]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(
            "@\u{2060}everyone \\<script\\>alert(1)\\</script\\> \\[click\\](https://evil.example) \\*\\*now\\*\\*"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("<script>"), "{}", run.stdout);
}

#[test]
fn a_quiet_day_says_so_and_keeps_the_next_cutoff() {
    let site = TempSite::sample();
    for entry in std::fs::read_dir(site.path().join("requests")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "migrate-topic-summaries.yaml" {
            std::fs::remove_file(path).unwrap();
        }
    }
    let run = site.run(&["digest", "--today", TODAY]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.ends_with("Nothing needs attention.\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("**Next cutoff:** release 2026-12"),
        "{}",
        run.stdout
    );
}
