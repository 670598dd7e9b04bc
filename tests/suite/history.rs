//! Each request's history from git, and the turnaround figures: a repository built commit by
//! commit by different people, whose job pages, `/api/history.json` and `/api/stats.json`
//! are asserted whole; a site outside git builds and says its history is unavailable.

use std::process::Command;

use super::common::{TODAY, TempSite};

const MIGRATE: &str = "requests/migrate-topic-summaries.yaml";
const AUDIT: &str = "requests/audit-skill-rubric-explanations.yaml";

/// Commits everything in the site as `name`, on `day` (author and committer date alike, so
/// the commit ids are the same on every run); returns the commit id.
fn commit(site: &TempSite, name: &str, day: &str, message: &str) -> String {
    let run = |args: &[&str]| {
        let output = Command::new("git")
            .arg("-C")
            .arg(site.path())
            .args(["-c", &format!("user.name={name}")])
            .args(["-c", "user.email=people@example.org"])
            .args(args)
            .env("GIT_AUTHOR_DATE", format!("{day}T12:00:00Z"))
            .env("GIT_COMMITTER_DATE", format!("{day}T12:00:00Z"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    run(&["add", "-A"]);
    run(&["commit", "-q", "-m", message]);
    run(&["rev-parse", "HEAD"])
}

/// The request file as submitted: everything before the admin-only fields.
fn submitted(text: &str) -> String {
    match text.find("\nscheduled:") {
        Some(at) => text[..=at].to_owned(),
        None => text.to_owned(),
    }
}

const SCHEDULE: &str = "scheduled:\n  by: ankita240796\n  on: 2026-11-10\n  weekend: 2026-11-14\n";
const RUN: &str = "runs:
  - on: 2026-11-14
    server: backup
    by: ankita240796
    result: success
    stdout: |
      TOPIC SUMMARY PROCESSED SUCCESS: 41
      TOPIC SUMMARY MIGRATED SUCCESS: 38
      TOPIC SUMMARY ALREADY UP TO DATE SUCCESS: 3
";
const VERIFIED: &str =
    "    outcome_verified: true\n    evidence: The summaries are at version 5 in the datastore.\n";
const APPROVAL: &str = "approval:\n  by: seanlip\n  on: 2026-11-16\n  release: \"2026-12\"\n";
const WITHDRAWAL: &str =
    "withdrawn:\n  on: 2026-11-27\n  reason: The audit is folded into another job.\n";

#[test]
fn job_pages_and_the_api_tell_who_did_what_and_when() {
    let site = TempSite::fixture("valid");
    let migrate = submitted(&site.read(MIGRATE));
    let audit = site.read(AUDIT);
    std::fs::remove_file(site.path().join(MIGRATE)).unwrap();
    std::fs::remove_file(site.path().join(AUDIT)).unwrap();
    git_init(&site);
    let settings = commit(&site, "Release Team", "2026-11-01", "Settings");
    site.write(MIGRATE, &migrate);
    let c1 = commit(&site, "Priyanka Dev", "2026-11-09", "Request a test");
    site.write(MIGRATE, &format!("{migrate}{SCHEDULE}"));
    let c2 = commit(&site, "Ankita", "2026-11-10", "Schedule");
    site.write(MIGRATE, &format!("{migrate}{SCHEDULE}{RUN}"));
    let c3 = commit(&site, "Ankita", "2026-11-14", "Record the run");
    site.write(MIGRATE, &format!("{migrate}{SCHEDULE}{RUN}{VERIFIED}"));
    let c4 = commit(&site, "Ankita", "2026-11-15", "Verify");
    site.write(
        MIGRATE,
        &format!("{migrate}{SCHEDULE}{RUN}{VERIFIED}{APPROVAL}"),
    );
    let c6 = commit(&site, "Sean Lip", "2026-11-16", "Approve");
    let recover = migrate.replace("simply **run it again**", "run it once more");
    assert_ne!(recover, migrate);
    site.write(
        MIGRATE,
        &format!("{recover}{SCHEDULE}{RUN}{VERIFIED}{APPROVAL}"),
    );
    let c7 = commit(&site, "Priyanka Dev", "2026-11-20", "Say how to recover");
    site.write(AUDIT, &audit);
    let c5 = commit(&site, "Tanvi", "2026-11-26", "Request an audit");
    site.write(AUDIT, &format!("{audit}{WITHDRAWAL}"));
    let c8 = commit(&site, "Tanvi", "2026-11-27", "Withdraw");
    assert_ne!(settings, c1);

    let run = site.build("public");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let item = |day: &str, sha: &str, who: &str, what: &str| {
        format!(
            "<li><span class=\"when\">{day}</span> · <a href=\"https://github.com/oppia/job-requests/commit/{sha}\"><code>{}</code></a> · {who}: {what}</li>",
            &sha[..7]
        )
    };
    let expected = [
        item(
            "20 Nov 2026",
            &c7,
            "Priyanka Dev",
            "changed `instructions.recover`",
        ),
        item("16 Nov 2026", &c6, "Sean Lip", "approved for 2026-12"),
        item("15 Nov 2026", &c4, "Ankita", "verified the outcome"),
        item(
            "14 Nov 2026",
            &c3,
            "Ankita",
            "recorded a run on the backup server: success, output matches",
        ),
        item(
            "10 Nov 2026",
            &c2,
            "Ankita",
            "scheduled for the weekend of 14 Nov",
        ),
        item("9 Nov 2026", &c1, "Priyanka Dev", "submitted"),
    ];
    assert_eq!(
        history_items(&site.read("public/jobs/migrate-topic-summaries/index.html")),
        expected
    );
    assert_eq!(
        history_items(&site.read("public/jobs/audit-skill-rubric-explanations/index.html")),
        [
            item("27 Nov 2026", &c8, "Tanvi", "withdrawn"),
            item("26 Nov 2026", &c5, "Tanvi", "submitted"),
        ]
    );

    let api: serde_json::Value =
        serde_json::from_str(&site.read("public/api/history.json")).unwrap();
    let event = |day: &str, sha: &str, who: &str, what: &str| {
        serde_json::json!({
            "date": day, "commit": sha, "short": &sha[..7], "author": who, "changes": [what]
        })
    };
    assert_eq!(
        api,
        serde_json::json!({
            "available": true,
            "requests": {
                "audit-skill-rubric-explanations": [
                    event("2026-11-27", &c8, "Tanvi", "withdrawn"),
                    event("2026-11-26", &c5, "Tanvi", "submitted"),
                ],
                "migrate-topic-summaries": [
                    event("2026-11-20", &c7, "Priyanka Dev", "changed `instructions.recover`"),
                    event("2026-11-16", &c6, "Sean Lip", "approved for 2026-12"),
                    event("2026-11-15", &c4, "Ankita", "verified the outcome"),
                    event("2026-11-14", &c3, "Ankita", "recorded a run on the backup server: success, output matches"),
                    event("2026-11-10", &c2, "Ankita", "scheduled for the weekend of 14 Nov"),
                    event("2026-11-09", &c1, "Priyanka Dev", "submitted"),
                ],
            }
        })
    );

    // The figures, by hand. migrate: acknowledged after 1 day (24 h ≤ 48 h), first backup run
    // after 5 days, on its planned weekend of 14 Nov (results due 16 Nov), approved after 7;
    // audit: submitted and withdrawn, nothing else.
    let stats: serde_json::Value =
        serde_json::from_str(&site.read("public/api/stats.json")).unwrap();
    assert_eq!(
        stats["months"],
        serde_json::json!([{
            "month": "2026-11", "submitted": 2, "acknowledged": 1,
            "acknowledged_within_response_hours": 1, "median_days_to_acknowledge": 1,
            "with_backup_run": 1, "median_days_to_first_backup_run": 5,
            "results_within_results_hours": 1, "approved": 1, "median_days_to_approval": 7,
            "withdrawn": 1
        }])
    );
    let releases = stats["releases"].as_array().unwrap();
    let of = |month: &str| {
        releases
            .iter()
            .find(|r| r["release"] == month)
            .unwrap()
            .clone()
    };
    assert_eq!(
        of("2026-12"),
        serde_json::json!({"release": "2026-12", "requests": 1, "in": 1, "missed": 0,
            "blockers": 0, "withdrawn": 0, "replaced": 0})
    );
    assert_eq!(
        of("2027-01"),
        serde_json::json!({"release": "2027-01", "requests": 1, "in": 0, "missed": 0,
            "blockers": 0, "withdrawn": 1, "replaced": 0})
    );

    // `jobgate stats --format json` prints the same figures.
    let printed = site.run(&["stats", "--today", TODAY, "--format", "json"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert_eq!(printed.stdout, site.read("public/api/stats.json"));

    // A shallow clone has only part of the history: its pages say so rather than show it.
    let shallow = TempSite::empty();
    let clone = Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", site.path().display()))
        .arg(shallow.path().join("site"))
        .output()
        .unwrap();
    assert!(
        clone.status.success(),
        "{}",
        String::from_utf8_lossy(&clone.stderr)
    );
    let root = shallow.path().join("site");
    let out = shallow.path().join("public");
    let run = shallow.run_bare(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--today",
        TODAY,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        shallow
            .read("public/jobs/migrate-topic-summaries/index.html")
            .contains("<p class=\"muted\">The history is unavailable: the site is in a shallow clone, whose history is cut short.</p>")
    );
}

fn git_init(site: &TempSite) {
    let output = Command::new("git")
        .arg("-C")
        .arg(site.path())
        .args(["init", "-q", "-b", "main"])
        .output()
        .unwrap();
    assert!(output.status.success());
}

/// The items of the page's history list.
fn history_items(page: &str) -> Vec<String> {
    let start = page.find("<ol class=\"history\"").expect("a history list");
    let end = start + page[start..].find("</ol>").unwrap();
    page[start..end]
        .lines()
        .filter(|l| l.starts_with("<li>"))
        .map(str::to_owned)
        .collect()
}

/// One request of the figures test: `variant` of the migrate request, with its own id and
/// job, acknowledged `ack` days after submission and first run on the backup server `run` days
/// after (submitted 2 Nov 2026, a Monday).
fn variant(base: &str, n: usize, ack: Option<u64>, run: Option<&str>) -> String {
    let mut text = base
        .replace(
            "MigrateTopicSummaryJob",
            &format!("MigrateTopicSummary{n}Job"),
        )
        .replace("submitted: 2026-11-09", "submitted: 2026-11-02");
    if let Some(days) = ack {
        text.push_str(&format!(
            "scheduled:\n  by: ankita240796\n  on: 2026-11-{:02}\n  weekend: 2026-11-07\n",
            2 + days
        ));
    }
    if let Some(on) = run {
        text.push_str(&RUN.replace("2026-11-14", on));
    }
    text
}

#[test]
fn medians_and_within_counts_match_a_table_made_by_hand_and_a_site_outside_git_says_so() {
    let site = TempSite::fixture("valid");
    let base = submitted(&site.read(MIGRATE));
    std::fs::remove_file(site.path().join(MIGRATE)).unwrap();
    // Submitted 2 Nov; weekend of 7 Nov (results due 9 Nov).
    //   n  acknowledged after  first backup run
    //   1  1 day  (24 h ≤ 48)  7 Nov, 5 days, in time
    //   2  3 days (72 h > 48)  14 Nov, 12 days, late
    //   3  2 days (48 h ≤ 48)  8 Nov, 6 days, in time
    //   4  5 days (120 h > 48) none
    //   5  not acknowledged    none
    // Acknowledged: 4, within 48 h: 2; median of 1, 2, 3, 5 is the lower middle, 2.
    // With a backup run: 3, median of 5, 6, 12 is 6; results in time: 2.
    let rows = [
        (1, Some(1), Some("2026-11-07")),
        (2, Some(3), Some("2026-11-14")),
        (3, Some(2), Some("2026-11-08")),
        (4, Some(5), None),
        (5, None, None),
    ];
    for (n, ack, run) in rows {
        site.write(
            &format!("requests/migrate-{n}.yaml"),
            &variant(&base, n, ack, run),
        );
    }
    let run = site.build("public");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stats: serde_json::Value =
        serde_json::from_str(&site.read("public/api/stats.json")).unwrap();
    assert_eq!(stats["response_hours"], 48);
    assert_eq!(stats["results_hours"], 24);
    assert_eq!(
        stats["months"],
        serde_json::json!([{
            "month": "2026-11", "submitted": 6, "acknowledged": 4,
            "acknowledged_within_response_hours": 2, "median_days_to_acknowledge": 2,
            "with_backup_run": 3, "median_days_to_first_backup_run": 6,
            "results_within_results_hours": 2, "approved": 0, "median_days_to_approval": null,
            "withdrawn": 0
        }])
    );

    // No git here: the pages say so, and the API too.
    let page = site.read("public/jobs/migrate-1/index.html");
    assert!(
        page.contains(
            "<p class=\"muted\">The history is unavailable: the site is not in a git repository.</p>"
        ),
        "{page}"
    );
    let api: serde_json::Value =
        serde_json::from_str(&site.read("public/api/history.json")).unwrap();
    assert_eq!(
        api,
        serde_json::json!({"available": false, "reason": "the site is not in a git repository"})
    );

    // The stats page: each chart well-formed SVG with its title, beside its table.
    let page = site.read("public/stats/index.html");
    let charts: Vec<&str> = page
        .match_indices("<svg ")
        .map(|(at, _)| {
            let end = at + page[at..].find("</svg>").unwrap() + "</svg>".len();
            &page[at..end]
        })
        .collect();
    assert_eq!(charts.len(), 3);
    let titles: Vec<String> = charts
        .iter()
        .map(|svg| {
            let doc = roxmltree::Document::parse(svg).unwrap();
            let root = doc.root_element();
            assert_eq!(root.attribute("role"), Some("img"));
            root.children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text())
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        titles,
        [
            "Median days from submission to acknowledgment, per month of submission, against the 48-hour answer",
            "Median days from submission to the first backup run, per month of submission, with how many requests ran and how many reported results in time",
            "Requests per release that made it, missed it, or blocked it",
        ]
    );
    assert_eq!(page.matches("<table class=\"stats\">").count(), 3);
    assert!(
        page.contains("<tr><th scope=\"row\">2026-11</th><td>6</td><td>4</td><td>2</td><td>2</td><td>0</td></tr>"),
        "{page}"
    );
    // Linked from the home page and the releases page, and in the sitemap.
    for (linking, href) in [
        ("public/index.html", "href=\"stats/index.html\""),
        ("public/releases/index.html", "href=\"../stats/index.html\""),
    ] {
        assert!(site.read(linking).contains(href), "{linking}");
    }
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>https://example.org/jobs/stats/</loc>")
    );
}
