//! What the release team and admins see: the home page, release readiness, the calendar grid.

use super::common::TempSite;

fn built_on(today: &str) -> TempSite {
    let site = TempSite::sample();
    let out = site.path().join("public");
    let run = site.run(&["build", "--today", today, "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    site
}

#[test]
fn home_shows_the_next_cutoff_this_weekend_and_what_needs_attention() {
    let site = built_on("2026-11-27");
    let home = site.read("public/index.html");
    for needle in [
        r#"<a href="releases/2026-12/index.html">2026-12 (3.5.0)</a>"#,
        "Cut on <strong>28 Nov 2026</strong>: tomorrow.",
        "Sat 28 Nov – Sun 29 Nov",
        r#"<a href="jobs/migrate-question-state-schema/index.html">Migrate QuestionModel state schema from v56 to v57</a>"#,
        "No answer for 4 days — write to oppia-release-team@googlegroups.com.",
        "Results were due 23 Nov but no run is recorded",
    ] {
        assert!(home.contains(needle), "{needle:?} not on the home page");
    }
    // The failed request that was resubmitted needs no attention: its resubmission does.
    assert!(
        !home.contains("jobs/normalize-exploration-language-codes/index.html"),
        "{home}"
    );
}

#[test]
fn an_essential_job_that_misses_the_cut_blocks_the_release() {
    let before = built_on("2026-11-27").read("public/releases/2026-12/index.html");
    assert!(before.contains("0 release blockers"), "{before}");
    let after = built_on("2026-11-28").read("public/releases/2026-12/index.html");
    assert!(
        after.contains("1 release blocker;") || after.contains("1 release blocker."),
        "{after}"
    );
    let blockers = after
        .find(r#"id="group-blocker""#)
        .expect("a blocker group");
    let in_release = after.find(r#"id="group-in""#).expect("an in group");
    assert!(blockers < in_release, "blockers come first");
    let job = built_on("2026-11-28").read("public/jobs/migrate-question-state-schema/index.html");
    assert!(
        job.contains("Release blocker: essential job not approved by the 2026-12 cutoff (28 Nov)."),
        "{job}"
    );
}

#[test]
fn the_calendar_marks_cutoffs_and_links_them() {
    let site = built_on("2026-11-27");
    let page = site.read("public/releases/index.html");
    assert!(
        page.contains(r#"<h2 id="m-2026-10">October 2026</h2>"#),
        "starts last month"
    );
    assert!(
        page.contains(r#"<h2 id="m-2027-09">September 2027</h2>"#),
        "ends eleven months ahead"
    );
    assert!(page.contains(r#"title="Cutoff 2026-12""#));
    assert!(
        page.contains(
            r#"<a class="m" href="../releases/2026-12/index.html" title="Cutoff 2026-12">"#
        ),
        "{page}"
    );
    assert!(page.contains(r#"aria-current="date">27</span>"#));
}

#[test]
fn a_job_page_marks_what_is_late() {
    let site = built_on("2026-11-27");
    let page = site.read("public/jobs/remove-deprecated-user-roles/index.html");
    assert!(
        page.contains(r#"<span class="badge state-overdue">"#),
        "{page}"
    );
    assert!(page.contains(r#"<li class="late">"#), "{page}");
    assert!(
        page.contains("<strong>Next:</strong> Results were due 23 Nov"),
        "{page}"
    );
}

#[test]
fn the_jobs_index_filters_by_state_and_release_without_javascript() {
    let site = built_on("2026-11-27");
    let overdue = site.read("public/jobs/state/overdue/index.html");
    assert!(overdue.contains("2 requests."), "{overdue}");
    assert!(overdue.contains("remove-deprecated-user-roles"));
    assert!(!overdue.contains("migrate-topic-summaries"));
    let january = site.read("public/jobs/release/2027-01/index.html");
    assert!(january.contains("regenerate-skill-opportunities"));
    assert!(!january.contains("migrate-topic-summaries"));
}

#[test]
fn the_feed_lists_request_events_newest_first_with_stable_ids() {
    let site = built_on("2026-11-27");
    let feed = site.read("public/feed.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    let dates: Vec<&str> = feed
        .match_indices("<updated>")
        .map(|(at, _)| &feed[at + 9..at + 19])
        .collect();
    assert!(dates.len() > 10, "{feed}");
    assert!(
        dates[1..].windows(2).all(|w| w[0] >= w[1]),
        "entries newest first: {dates:?}"
    );
    assert_eq!(dates[0], dates[1], "the feed is as new as its newest entry");
    let ids: Vec<&str> = feed
        .match_indices("<id>")
        .map(|(at, _)| &feed[at..at + feed[at..].find("</id>").unwrap()])
        .collect();
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    assert!(
        feed.contains("<id>https://example.org/jobs/jobs/migrate-topic-summaries/#approval</id>")
    );
    assert!(feed.contains("<summary>@seanlip approved it for 2026-12.</summary>"));
}

#[test]
fn each_job_has_a_status_badge_with_an_accessible_title() {
    let site = built_on("2026-11-27");
    let badge = site.read("public/jobs/remove-deprecated-user-roles/badge.svg");
    assert!(
        badge.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{badge}"
    );
    assert!(badge.contains(r#"role="img""#));
    assert!(
        badge.contains(
            "<title id=\"t\">Backup-server test of remove-deprecated-user-roles: Overdue</title>"
        ),
        "{badge}"
    );
    assert!(badge.contains(">overdue</text>"));
}

#[test]
fn each_job_has_a_feed_of_all_its_events_linked_from_its_page() {
    let site = built_on("2026-11-27");
    let id = "migrate-topic-summaries";
    let feed = site.read(&format!("public/jobs/{id}/feed.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    let child_text = |node: roxmltree::Node, tag: &str| {
        node.children()
            .find(|c| c.has_tag_name(tag))
            .and_then(|c| c.text())
            .map(str::to_owned)
    };
    assert_eq!(
        child_text(root, "id").as_deref(),
        Some(format!("https://example.org/jobs/jobs/{id}/").as_str())
    );
    let entries: Vec<(String, String)> = root
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .map(|e| {
            (
                child_text(e, "id").unwrap(),
                child_text(e, "updated").unwrap(),
            )
        })
        .collect();
    // Every event of the request is in its feed, as in the site's feed, newest first.
    let site_feed = site.read("public/feed.xml");
    let site_doc = roxmltree::Document::parse(&site_feed).unwrap();
    let prefix = format!("https://example.org/jobs/jobs/{id}/#");
    let expected: Vec<(String, String)> = site_doc
        .root_element()
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .map(|e| {
            (
                child_text(e, "id").unwrap(),
                child_text(e, "updated").unwrap(),
            )
        })
        .filter(|(entry, _)| entry.starts_with(&prefix))
        .collect();
    let keys: Vec<&str> = entries.iter().map(|(e, _)| &e[prefix.len()..]).collect();
    assert_eq!(keys.first(), Some(&"approval"), "{feed}");
    assert_eq!(keys.last(), Some(&"submitted"), "{feed}");
    assert_eq!(entries, expected);
    assert_eq!(
        child_text(root, "updated"),
        entries.first().map(|(_, u)| u.clone())
    );
    assert!(feed.contains("<summary>@seanlip approved it for 2026-12.</summary>"));

    let page = site.read(&format!("public/jobs/{id}/index.html"));
    assert!(page.contains(&format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Events of this request\" href=\"../../jobs/{id}/feed.xml\">"
    )), "{page}");
    assert!(
        page.contains(&format!(
            "<a href=\"../../jobs/{id}/feed.xml\">Follow this request</a> (Atom feed of its events)"
        )),
        "{page}"
    );
}
