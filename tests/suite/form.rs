//! The request form as a build ships it: the page, its data and the checker.

use super::common::{Run, TODAY, TempSite};

/// A stand-in for the checker: the build copies any WebAssembly module as it is.
const MODULE: &[u8] = b"\0asm\x01\0\0\0\x00\x03one";

/// `jobgate build --checker <checker>` of `site` into its folder `out`.
fn build_with(site: &TempSite, out: &str, checker: &str) -> Run {
    let out = site.path().join(out);
    site.run(&[
        "build",
        "--today",
        TODAY,
        "--out",
        out.to_str().unwrap(),
        "--checker",
        checker,
    ])
}

fn built_with_checker() -> TempSite {
    let site = TempSite::fixture("valid");
    std::fs::write(site.path().join("checker.wasm"), MODULE).unwrap();
    let run = build_with(&site, "public", "checker.wasm");
    assert_eq!(run.code, 0, "{run:?}");
    site
}

#[test]
fn the_form_asks_every_field_with_the_schemas_help_in_the_guides_order() {
    let site = built_with_checker();
    let page = site.read("public/request/index.html");
    let schema: serde_json::Value =
        serde_json::from_str(&site.read("public/schema/request.json")).unwrap();
    let described = |key: &str| {
        schema["properties"][key]["description"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    for key in [
        "title", "jobs", "kind", "author", "summary", "pr", "reason", "notes",
    ] {
        let mut help = described(key)
            .replace('&', "&amp;")
            .replace('\'', "&#39;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        while help.contains('`') {
            help = help.replacen('`', "<code>", 1).replacen('`', "</code>", 1);
        }
        assert!(
            page.contains(&help),
            "the help of {key} is not on the page: {help}"
        );
        assert!(page.contains(&format!("data-field=\"{key}\"")), "{key}");
    }
    let order: Vec<usize> = [
        "\"title\"",
        "\"jobs\"",
        "\"readiness.tested_locally\"",
        "\"output.success.expected\"",
        "\"tests.failure\"",
        "\"instructions.debug\"",
        "\"fixed\"",
    ]
    .iter()
    .map(|f| {
        page.find(&format!("data-field={f}"))
            .unwrap_or_else(|| panic!("{f}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The script and its data come from the site itself, relative to the page, nothing inline.
    assert!(
        page.contains("<script src=\"../request.js\" defer></script>"),
        "{page}"
    );
    assert!(page.contains("data-data=\"../request/site.json\""));
    assert!(!page.contains("<script>"));
    assert!(page.contains("Loading the checker"));
}

#[test]
fn the_build_ships_the_checker_and_the_data_it_loads() {
    let site = built_with_checker();
    assert_eq!(
        std::fs::read(site.path().join("public/request/checker.wasm")).unwrap(),
        MODULE
    );
    let data: serde_json::Value =
        serde_json::from_str(&site.read("public/request/site.json")).unwrap();
    assert_eq!(data["checker"], "checker.wasm");
    assert_eq!(data["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(data["settings"], site.read("content/site.yaml"));
    let ids: Vec<&str> = data["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(site.path().join("requests"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".yaml")
                .to_owned()
        })
        .collect();
    files.sort();
    assert_eq!(ids, files);
    let first = &data["requests"][0];
    assert_eq!(
        first["text"],
        site.read(&format!("requests/{}.yaml", first["id"].as_str().unwrap()))
    );
    // The page offers the six releases still open on the day of the build, as the calendar
    // has them, each with its last submission day and cutoff.
    let calendar = site.run(&[
        "calendar", "--today", TODAY, "--from", "2027-01", "--months", "6", "--format", "json",
    ]);
    let calendar: serde_json::Value = serde_json::from_str(&calendar.stdout).unwrap();
    let page = site.read("public/request/index.html");
    let offered: Vec<&str> = page
        .split("<option value=\"")
        .skip(1)
        .map(|o| o.split('<').next().unwrap())
        .collect();
    let wanted: Vec<String> = calendar
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let name = r["name"]
                .as_str()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            format!(
                "{0}\">{0}{name}: file by {1}, cutoff {2}",
                r["release"].as_str().unwrap(),
                r["last_submission"].as_str().unwrap(),
                r["cutoff"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(offered, wanted);
    // The one before them closed already: its last submission day has passed.
    let before = site.run(&[
        "calendar", "--today", TODAY, "--from", "2026-12", "--months", "1", "--format", "json",
    ]);
    let before: serde_json::Value = serde_json::from_str(&before.stdout).unwrap();
    assert!(before[0]["last_submission"].as_str().unwrap() < TODAY);
}

#[test]
fn without_a_checker_the_page_says_the_check_runs_on_the_pull_request() {
    let site = TempSite::fixture("valid");
    assert_eq!(site.build("public").code, 0);
    assert!(!site.path().join("public/request/checker.wasm").exists());
    let data: serde_json::Value =
        serde_json::from_str(&site.read("public/request/site.json")).unwrap();
    assert_eq!(data["checker"], serde_json::Value::Null);
    let page = site.read("public/request/index.html");
    assert!(
        page.contains("the form writes the file, and the check runs on the pull request"),
        "{page}"
    );
}

#[test]
fn a_checker_that_is_not_webassembly_is_refused_and_nothing_is_written() {
    let site = TempSite::fixture("valid");
    site.write("checker.wasm", "<!doctype html>");
    let out = site.path().join("public");
    let run = build_with(&site, "public", "checker.wasm");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("checker.wasm is not a WebAssembly module"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--target wasm32-unknown-unknown"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
    let missing = build_with(&site, "public", "nowhere.wasm");
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing.stderr.contains("reading the checker nowhere.wasm"),
        "{}",
        missing.stderr
    );
}

#[test]
fn two_builds_with_a_checker_are_byte_identical() {
    let site = built_with_checker();
    let first = super::common::tree(&site.path().join("public"));
    let again = site.path().join("again");
    let run = build_with(&site, "again", "checker.wasm");
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(first, super::common::tree(&again));
}
