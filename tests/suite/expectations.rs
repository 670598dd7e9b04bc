//! Inline expectations: every file under `tests/fixtures/invalid` says what `check` must report
//! in it, as `# expect: <code> at line <n>` comments, so each fixture is its own assertion.
//!
//! The whole fixture site is checked once; each file must get exactly the diagnostics its
//! comments list (same codes, same lines, same number of each) and nothing else. A second test
//! keeps the fixtures complete: every request-level code has one. The few codes a file cannot
//! show (a symbolic link, a file over the size limit, a broken `site.yaml`) get their own small
//! sites built in a temp dir below.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use jobgate::diagnostics::{CODES, Diagnostic};

use super::common::{self, TempSite};

/// The fixture that holds the site.
const FIXTURE: &str = "invalid";

/// The fixture that every invalid request starts from; it must stay clean.
const BASE: &str = "requests/base-valid-request.yaml";

/// Request-level codes from JG001 to JG312 that no fixture file shows, and the test that
/// covers each instead.
const EXEMPT: &[(&str, &str)] = &[("JG006", "symbolic_links_are_reported_not_followed")];

/// The day every fixture is checked on, the suite's shared "today".
fn today() -> NaiveDate {
    common::TODAY.parse().expect("TODAY is a date")
}

fn fixtures() -> std::path::PathBuf {
    common::fixture_dir(FIXTURE)
}

/// (code, line) pairs, sorted, so repeated diagnostics must be expected as often as they occur.
type Found = Vec<(String, u32)>;

/// The fixture site's diagnostics, by file; `check` runs once for all tests.
static CHECKED: LazyLock<BTreeMap<String, Found>> = LazyLock::new(|| {
    let site = TempSite::fixture(FIXTURE);
    check(site.path())
});

fn by_file(diagnostics: &[Diagnostic]) -> BTreeMap<String, Found> {
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    for d in diagnostics {
        found
            .entry(d.file.clone())
            .or_default()
            .push((d.code.as_str().to_owned(), d.span.line));
    }
    for list in found.values_mut() {
        list.sort();
    }
    found
}

/// The `# expect: JG203 at line 7` comments of one file. Read as lossy text, because one
/// fixture is deliberately not UTF-8.
fn expectations(file: &str, bytes: &[u8]) -> Found {
    let text = String::from_utf8_lossy(bytes);
    let mut expected = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix('#') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("expect:") else {
            continue;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        match words.as_slice() {
            [code, "at", "line", n] => {
                let n = n
                    .parse()
                    .unwrap_or_else(|_| panic!("{file}:{}: bad line number `{n}`", number + 1));
                expected.push(((*code).to_owned(), n));
            }
            _ => panic!(
                "{file}:{}: write `# expect: <code> at line <n>`",
                number + 1
            ),
        }
    }
    expected.sort();
    expected
}

fn all_expectations() -> BTreeMap<String, Found> {
    common::tree(&fixtures())
        .into_iter()
        .map(|(name, bytes)| {
            let name = name.replace('\\', "/");
            let expected = expectations(&name, &bytes);
            (name, expected)
        })
        .collect()
}

#[test]
fn every_fixture_gets_exactly_what_it_expects() {
    let expected = all_expectations();
    assert_eq!(
        expected.get(BASE),
        Some(&vec![]),
        "{BASE} must exist and expect nothing"
    );
    let mut problems = Vec::new();
    for (file, want) in &expected {
        let got = CHECKED.get(file).cloned().unwrap_or_default();
        if &got != want {
            problems.push(format!("{file}:\n  expected {want:?}\n  found    {got:?}"));
        }
    }
    for (file, got) in CHECKED.iter() {
        if !expected.contains_key(file) {
            problems.push(format!("{file} is not a fixture but has {got:?}"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_request_code_has_a_fixture() {
    let covered: BTreeSet<String> = all_expectations()
        .into_values()
        .flatten()
        .map(|(code, _)| code)
        .collect();
    let exempt: BTreeSet<&str> = EXEMPT.iter().map(|(code, _)| *code).collect();
    let missing: Vec<&str> = CODES
        .iter()
        .map(|(_, code, ..)| *code)
        .filter(|code| ("JG001"..="JG312").contains(code))
        .filter(|code| !covered.contains(*code) && !exempt.contains(code))
        .collect();
    assert!(
        missing.is_empty(),
        "no fixture expects {missing:?}; add one to tests/fixtures/invalid"
    );
}

/// A site with the fixture settings and the valid base request only.
fn small_site() -> TempSite {
    let site = TempSite::empty();
    for file in ["content/site.yaml", BASE] {
        let text = std::fs::read_to_string(fixtures().join(file)).expect("read fixture");
        site.write(file, &text);
    }
    site
}

fn check(root: &Path) -> BTreeMap<String, Found> {
    let (_, diagnostics) = jobgate::site::check(root, today()).expect("check runs");
    by_file(&diagnostics)
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_reported_not_followed() {
    let site = small_site();
    let link = site.path().join("requests/linked-request.yaml");
    std::os::unix::fs::symlink(site.path().join(BASE), &link).expect("make symlink");
    let found = check(site.path());
    let expected: BTreeMap<String, Found> = [(
        "requests/linked-request.yaml".to_owned(),
        vec![("JG006".to_owned(), 1)],
    )]
    .into();
    assert_eq!(found, expected);
}

#[test]
fn oversized_requests_are_refused() {
    let site = small_site();
    let padding = "# padding\n".repeat(26 * 1024);
    site.write("requests/too-large.yaml", &(site.read(BASE) + &padding));
    let found = check(site.path());
    let expected: BTreeMap<String, Found> = [(
        "requests/too-large.yaml".to_owned(),
        vec![("JG004".to_owned(), 1)],
    )]
    .into();
    assert_eq!(found, expected);
}

#[test]
fn bad_settings_are_reported_in_site_yaml() {
    let site = small_site();
    let text = site.read("content/site.yaml");
    let line = text
        .lines()
        .position(|l| l.starts_with("base_url:"))
        .expect("base_url line") as u32
        + 1;
    let broken = text.replace(
        "base_url: https://example.org/jobs/",
        "base_url: example.org/jobs",
    );
    site.write("content/site.yaml", &broken);
    let found = check(site.path());
    let expected: BTreeMap<String, Found> = [(
        "content/site.yaml".to_owned(),
        vec![("JG601".to_owned(), line)],
    )]
    .into();
    assert_eq!(found, expected);
}

/// Every diagnostic the invalid fixtures produce says how to fix it, and the GitHub and JSON
/// formats carry the very help line the human one prints.
#[test]
fn every_diagnostic_has_a_help_line_in_every_format() {
    let site = TempSite::fixture(FIXTURE);
    let json = site.run(&["check", "--today", common::TODAY, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let found = report["diagnostics"].as_array().unwrap();
    assert!(found.len() > 50, "{}", json.stdout);
    let human = site.run(&["check", "--today", common::TODAY]).stdout;
    let github = site
        .run(&["check", "--today", common::TODAY, "--format", "github"])
        .stdout;
    for d in found {
        let help = d["help"]
            .as_str()
            .unwrap_or_else(|| panic!("no help line: {d}"));
        assert!(
            human.contains(&format!("help: {help}")),
            "human lacks `{help}`"
        );
        // GitHub's workflow commands escape `%`, CR and LF in messages.
        let escaped = help
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        assert!(github.contains(&escaped), "github lacks `{help}`");
    }
}

/// A guide page that is not UTF-8 is reported at its first bad byte, as a request file is.
#[test]
fn a_guide_page_that_is_not_utf8_is_reported_at_its_bad_byte() {
    let site = small_site();
    let page = site.path().join("content/guide/latin1.md");
    std::fs::create_dir_all(page.parent().unwrap()).expect("make guide folder");
    std::fs::write(&page, b"---\ntitle: Caf\xe9\n---\nText.\n").expect("write page");
    let (_, diagnostics) = jobgate::site::check(site.path(), today()).expect("check runs");
    let found: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.file == "content/guide/latin1.md")
        .map(|d| {
            (
                d.code.as_str(),
                d.span.line,
                d.span.column,
                d.help.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "JG001",
            2,
            11,
            Some("save the file as UTF-8 (your editor's encoding setting)")
        )]
    );
}
