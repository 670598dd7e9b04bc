//! The benchmark's generated site: what `cargo bench --bench site` measures must be a site the
//! tool accepts, with requests in every state, or the figures describe a refused build.

#[path = "../../benches/support/corpus.rs"]
pub mod corpus;

use std::collections::BTreeMap;

use super::common::{TempSite, repo_root, tree};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn a_generated_site_of_50_requests_checks_without_errors() {
    let site = TempSite::empty();
    let requests = corpus::write_site(&repo_root(), site.path(), 50).unwrap();
    assert_eq!(requests.len(), 50);
    assert!(site.path().join("content/guide/overview.md").is_file());

    let run = site.run(&["check", "--today", corpus::TODAY, "--format", "json"]);
    let report = json(&run.stdout);
    assert_eq!(report["errors"], 0, "{}", run.stdout);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    let built = site.build("public");
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(
        site.path()
            .join("public/jobs")
            .join(&requests[0].id)
            .join("index.html")
            .is_file()
    );
}

#[test]
fn generated_requests_are_in_the_state_they_were_made_for_and_cover_all_eight() {
    let site = TempSite::empty();
    let requests = corpus::write_site(&repo_root(), site.path(), 50).unwrap();
    let run = site.run(&["status", "--today", corpus::TODAY, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let derived: BTreeMap<String, String> = json(&run.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                s["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let intended: BTreeMap<String, String> = requests
        .iter()
        .map(|r| (r.id.clone(), r.state.to_owned()))
        .collect();
    assert_eq!(derived, intended);
    for state in corpus::STATES {
        assert!(
            derived.values().any(|s| s == state),
            "no request is {state}"
        );
    }
}

#[test]
fn the_same_size_gives_the_same_files() {
    let (first, second) = (TempSite::empty(), TempSite::empty());
    corpus::write_site(&repo_root(), first.path(), 30).unwrap();
    corpus::write_site(&repo_root(), second.path(), 30).unwrap();
    assert_eq!(tree(first.path()), tree(second.path()));
}

#[test]
fn the_generator_refuses_a_folder_it_did_not_make_and_regenerates_one_it_did() {
    let site = TempSite::empty();
    site.write("notes.txt", "mine");
    let refused = corpus::write_site(&repo_root(), site.path(), 3).unwrap_err();
    assert!(
        refused.to_string().contains("not made by this generator"),
        "{refused}"
    );
    assert_eq!(site.read("notes.txt"), "mine");

    let made = TempSite::empty();
    corpus::write_site(&repo_root(), made.path(), 20).unwrap();
    let fewer = corpus::write_site(&repo_root(), made.path(), 5).unwrap();
    let files = std::fs::read_dir(made.path().join("requests"))
        .unwrap()
        .count();
    assert_eq!(files, fewer.len() + 1, "the 5 requests and schema.json");
}
