//! Any bytes as a request file, through the path `jobgate check` takes (`request::check`: the
//! YAML, the request's fields, then its rules) against this repository's `content/site.yaml` on
//! a fixed day, and the diagnostics rendered in all three formats. A request without errors also gets its
//! status derived, as `jobgate status` and the build do.
//!
//! Besides "never panic", it checks what a user relies on: every diagnostic points into this
//! file at a real position, and the JSON report holds exactly the diagnostics found.

#![no_main]

use std::sync::LazyLock;

use chrono::NaiveDate;
use jobgate::config::{self, SiteConfig};
use jobgate::diagnostics::{self, Severity, Sources};
use jobgate::request::check;
use jobgate::site::api;
use jobgate::status;
use libfuzzer_sys::fuzz_target;

const ID: &str = "fuzzed-request";
const FILE: &str = "requests/fuzzed-request.yaml";

static CONFIG: LazyLock<SiteConfig> = LazyLock::new(|| {
    config::parse(include_str!("../../content/site.yaml"))
        .unwrap_or_else(|found| panic!("content/site.yaml does not parse: {found:?}"))
});

/// A day close to the sample requests, so their dates are neither all past nor all future.
static TODAY: LazyLock<NaiveDate> =
    LazyLock::new(|| NaiveDate::from_ymd_opt(2026, 11, 27).expect("a real date"));

fuzz_target!(
    init: {
        // Validation runs on rayon's pool; one thread keeps runs reproducible and cheap.
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build_global()
            .expect("the global pool is built once");
    },
    |bytes: &[u8]| check(bytes)
);

fn check(bytes: &[u8]) {
    let config = &*CONFIG;
    let today = *TODAY;

    let (loaded, found) = check::file(ID, FILE, bytes, &[], &[], config, today);

    let text = std::str::from_utf8(bytes).ok();
    for d in &found {
        assert_eq!(d.file, FILE, "{d:?}");
        assert!(d.span.line >= 1 && d.span.column >= 1, "{d:?}");
        assert!(!d.message.is_empty(), "{d:?}");
        assert_eq!(d.severity, d.code.severity(), "{d:?}");
        if let Some(text) = text {
            assert!(
                d.span.offset.saturating_add(d.span.len) <= text.len(),
                "span past the end of the file: {d:?}"
            );
            // Lines as GitHub counts them: a line ends at LF (or CRLF), never at a lone CR.
            let lines = 1 + text.matches('\n').count();
            assert!(d.span.line as usize <= lines, "line past the end: {d:?}");
            if let Some((related, _)) = d.related() {
                assert!(
                    related.offset.saturating_add(related.len) <= text.len()
                        && (1..=lines).contains(&(related.line as usize)),
                    "related place outside the file: {d:?}"
                );
            }
        }
    }

    if let Some(loaded) = &loaded
        && diagnostics::count(&found, Severity::Error) == 0
    {
        let status = status::derive(&loaded.request, config, today);
        // Validation has ruled out a weekend before `submitted`, so the results come after it;
        // only a withdrawn request has no release fit.
        let submitted = *loaded.request.submitted;
        assert!(status.results_due > submitted, "{status:?}");
        assert!(status.response_due >= submitted, "{status:?}");
        assert_eq!(
            status.fit.is_none(),
            status.state == status::State::Withdrawn,
            "{status:?}"
        );
        let entry = api::status_entry(loaded, &status);
        let json = api::to_json(&[entry]);
        serde_json::from_str::<serde_json::Value>(&json).expect("status JSON parses");
    }

    let mut sources = Sources::new();
    if let Some(text) = text {
        sources.insert(FILE.to_owned(), text.to_owned());
    }
    let human = diagnostics::render_human(&found, &sources, false);
    let _ = diagnostics::render_human(&found, &sources, true);
    for d in &found {
        assert!(human.contains(d.code.as_str()), "{human}");
    }

    let github = diagnostics::render_github(&found);
    let commands = github.lines().filter(|l| l.starts_with("::")).count();
    assert_eq!(
        commands,
        found.len(),
        "one workflow command each:\n{github}"
    );

    let json = diagnostics::render_json(&found);
    let report: serde_json::Value = serde_json::from_str(&json).expect("the JSON report parses");
    let listed = report["diagnostics"]
        .as_array()
        .expect("a diagnostics list");
    assert_eq!(listed.len(), found.len());
    for (entry, d) in listed.iter().zip(&found) {
        assert_eq!(entry["code"], d.code.as_str());
        assert_eq!(entry["line"], d.span.line);
        assert_eq!(entry["message"], d.message.as_str());
    }
    let errors = diagnostics::count(&found, Severity::Error);
    assert_eq!(report["errors"], errors);
    assert_eq!(report["warnings"], found.len() - errors);
}
