//! `jobgate build`: the pages a reader finds, atomic swaps and deterministic output.

use super::common::{TODAY, TempSite, tree};

const JOB: &str = "migrate-topic-summaries";

fn built() -> TempSite {
    let site = TempSite::fixture("valid");
    let run = site.build("public");
    assert_eq!(run.code, 0, "{run:?}");
    site
}

#[test]
fn build_writes_every_page_and_feed() {
    let site = built();
    for file in [
        "index.html",
        "guide/index.html",
        "guide/overview/index.html",
        "guide/details/index.html",
        "jobs/index.html",
        "jobs/migrate-topic-summaries/index.html",
        "jobs/audit-skill-rubric-explanations/index.html",
        "jobs/state/approved/index.html",
        "jobs/release/2026-12/index.html",
        "releases/index.html",
        "releases/2026-12/index.html",
        "404.html",
        "sitemap.xml",
        "style.css",
        "calendar.ics",
        "api/requests.json",
        "api/releases.json",
        "schema/request.json",
    ] {
        assert!(
            site.path().join("public").join(file).is_file(),
            "missing {file}"
        );
    }
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/jobs/jobs/migrate-topic-summaries/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/jobs/guide/overview/</loc>"),
        "{sitemap}"
    );
    let not_found = site.read("public/404.html");
    assert!(not_found.contains("Page not found"));
}

#[test]
fn guide_pages_have_a_sidebar_a_table_of_contents_and_anchors() {
    let site = built();
    let page = site.read("public/guide/overview/index.html");
    assert!(
        page.contains(r#"<nav class="sidebar" aria-label="Guide">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="../../guide/details/index.html">Details</a>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"aria-current="page">Overview</a>"#),
        "{page}"
    );
    assert!(
        page.contains(r##"<li class="toc-2"><a href="#the-steps">The steps</a></li>"##),
        "{page}"
    );
    assert!(
        page.contains(r##"<h2 id="the-steps">The steps <a class="anchor" href="#the-steps""##),
        "{page}"
    );
    assert_eq!(
        page.matches(r#"type="checkbox""#).count(),
        2,
        "task list: {page}"
    );
    assert!(
        page.contains(r#"<a href="../details/index.html#what-counts">the details</a>"#),
        "{page}"
    );
}

#[test]
fn jobs_index_lists_every_request() {
    let site = built();
    let index = site.read("public/jobs/index.html");
    for needle in [
        r#"<a href="../jobs/migrate-topic-summaries/index.html">Migrate TopicSummaryModel to schema version 5</a>"#,
        "@priyanka-dev21",
        "<td>new</td>",
        r#"<a href="../releases/2026-12/index.html">2026-12</a>"#,
        "audit-skill-rubric-explanations",
        "2 requests.",
    ] {
        assert!(index.contains(needle), "{needle} not in {index}");
    }
}

#[test]
fn job_page_shows_everything_in_the_file() {
    let site = built();
    let page = site.read(&format!("public/jobs/{JOB}/index.html"));
    for needle in [
        "<h1>Migrate TopicSummaryModel to schema version 5</h1>",
        "the new\n<strong>Learn</strong> page",
        "<li><code>MigrateTopicSummaryJob</code></li>",
        r#"<span class="ok"><span aria-hidden="true">✓</span> yes</span> Tested locally by the author"#,
        r#"<span class="ok"><span aria-hidden="true">✓</span> yes</span> Approved by every reviewer"#,
        "TOPIC SUMMARY PROCESSED SUCCESS: &lt;n&gt;",
        "TOPIC SUMMARY PROCESSED ERROR: &quot;&lt;any&gt;&quot;: &lt;n&gt;",
        "topic_migration_jobs_test.py::MigrateTopicSummaryJobTests::test_migrates_summary_from_v4_to_v5",
        "<h3>How to verify the run</h3>",
        "<h3>What to do with the output</h3>",
        "<h3>If the run fails midway: recover</h3>",
        "<h3>If the run fails midway: debug</h3>",
        "topic_fetchers.get_topic_by_id",
        "Acknowledged by @ankita240796 on 10 Nov 2026",
        "Run 1: 14 Nov 2026 on the backup server",
        "TOPIC SUMMARY MIGRATED SUCCESS: 38",
        "matches the expected patterns",
        "Approved by @seanlip on 16 Nov 2026 for release",
        "https://github.com/oppia/job-requests/edit/main/requests/migrate-topic-summaries.yaml",
    ] {
        assert!(page.contains(needle), "{needle:?} not in the job page");
    }
}

#[test]
fn job_page_and_index_snapshots() {
    let site = built();
    insta::assert_snapshot!(
        "job_page",
        site.read(&format!("public/jobs/{JOB}/index.html"))
    );
    insta::assert_snapshot!("jobs_index", site.read("public/jobs/index.html"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TempSite::fixture("valid");
    assert_eq!(site.build("one").code, 0);
    assert_eq!(site.build("two").code, 0);
    let one = tree(&site.path().join("one"));
    let two = tree(&site.path().join("two"));
    assert_eq!(one.len(), two.len());
    for ((name_a, a), (name_b, b)) in one.iter().zip(&two) {
        assert_eq!(name_a, name_b);
        assert!(a == b, "{name_a} differs between builds");
    }
}

#[test]
fn a_failing_build_reports_every_problem_and_leaves_the_previous_site() {
    let site = built();
    let before = tree(&site.path().join("public"));
    site.write(
        "requests/broken-one.yaml",
        "title: Broken\njobs: [AuditJob]\nkind: sideways\n",
    );
    site.write("requests/broken-two.yaml", "title: [unclosed\n");
    let run = site.build("public");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("requests/broken-one.yaml:3:7"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`sideways` is not a kind"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("missing required field `author`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("requests/broken-two.yaml:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("build refused"), "{}", run.stderr);
    assert_eq!(tree(&site.path().join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn this_repository_builds_and_checks_clean() {
    let site = TempSite::repository();
    let run = site.run(&["check", "--today", super::common::TODAY]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let run = site.build("public");
    assert_eq!(run.code, 0, "{run:?}");
    let requests = std::fs::read_dir(site.path().join("requests"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "yaml")
        })
        .count();
    let index = site.read("public/jobs/index.html");
    assert!(index.contains(&format!("{requests} requests.")), "{index}");
}

#[test]
fn an_unwritable_output_is_an_io_failure() {
    let site = TempSite::fixture("valid");
    site.write("blocker", "a file where the output's parent should be");
    let run = site.build("blocker/public");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}

#[test]
fn every_page_has_a_search_box_and_the_index_holds_every_guide_page_and_job() {
    let site = built();
    let requests = std::fs::read_dir(site.path().join("requests"))
        .unwrap()
        .count();
    let guide = std::fs::read_dir(site.path().join("content/guide"))
        .unwrap()
        .count();
    let entry = site.read("public/pagefind/pagefind-entry.json");
    assert!(
        entry.contains(&format!("\"page_count\":{}", requests + guide)),
        "{entry}"
    );
    assert!(site.path().join("public/pagefind/pagefind.js").is_file());
    for (page, action) in [
        ("index.html", "search/index.html"),
        ("jobs/index.html", "../search/index.html"),
        (&format!("jobs/{JOB}/index.html"), "../../search/index.html"),
        ("guide/overview/index.html", "../../search/index.html"),
    ] {
        let html = site.read(&format!("public/{page}"));
        assert!(
            html.contains(&format!(
                r#"<form class="search-box" role="search" aria-label="Site" action="{action}">"#
            )),
            "{page} has no search box"
        );
    }
    let search = site.read("public/search/index.html");
    assert!(search.contains(r#"<input id="search-query" type="search" name="q""#));
    assert!(search.contains(r#"data-bundle="../pagefind/pagefind.js""#));
    assert!(search.contains("Search runs in your browser and needs JavaScript"));
}

#[test]
fn a_rebuild_rewrites_only_the_files_that_changed() {
    let site = built();
    // The second build fills the scratch folder; from the third on, the previous version is there.
    assert_eq!(site.build("public").code, 0);
    let again = site.build("public");
    assert!(again.stderr.contains("(0 changed)"), "{}", again.stderr);

    let file = format!("requests/{JOB}.yaml");
    let text = site.read(&file);
    let title = text.lines().find(|l| l.starts_with("title:")).unwrap();
    site.write(
        &file,
        &text.replacen(title, "title: A retitled topic summaries migration", 1),
    );
    let edited = site.build("public");
    assert_eq!(edited.code, 0, "{edited:?}");
    let changed: usize = edited
        .stderr
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {}", edited.stderr));
    let total = tree(&site.path().join("public")).len();
    assert!(changed > 0 && changed < total / 2, "{changed} of {total}");
    assert!(
        site.read(&format!("public/jobs/{JOB}/index.html"))
            .contains("A retitled topic summaries migration")
    );
    // The previous version waits beside the site for the next build.
    assert!(
        !site
            .read(&format!(".public.staging/jobs/{JOB}/index.html"))
            .contains("A retitled")
    );
}

/// Found by trying the site as an attacker would: a theme file at a generated path was
/// published instead of the real page or file.
#[test]
fn a_theme_file_may_not_stand_in_for_a_generated_page() {
    let site = TempSite::fixture("valid");
    site.write("themes/default/static/api/requests.json", "[]");
    site.write(
        "themes/default/static/jobs/migrate-topic-summaries/index.html",
        "<p>Approved!</p>",
    );
    site.write("themes/default/static/img/logo.svg", "<svg/>");
    let run = site.run(&["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(&str, &str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "JG602",
                "themes/default/static/api/requests.json",
                "`themes/default/static/api/requests.json` would replace `api/requests.json`, \
                 which the build writes itself"
            ),
            (
                "JG602",
                "themes/default/static/jobs/migrate-topic-summaries/index.html",
                "`themes/default/static/jobs/migrate-topic-summaries/index.html` would replace \
                 `jobs/migrate-topic-summaries/index.html`, which the build writes itself"
            ),
        ]
    );
    let built = site.build("public");
    assert_eq!(built.code, 1, "{built:?}");
    assert!(!site.path().join("public").exists());
}
