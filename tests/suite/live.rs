//! `jobgate serve` cannot show a page that `build` would not write: random sequences of edits
//! go through the incremental rebuilds (`LiveSite`) of a generated site, and after each
//! sequence the served folder must equal a fresh build of the same files, byte for byte.
//!
//! Serve brings the search index up to date after the pages, once the edits pause; the test
//! lets it settle the same way before comparing, so the index is compared too.

use std::collections::BTreeSet;
use std::path::Path;

use jobgate::site::live::{Changes, LiveSite, Rebuild};
use jobgate::site::output::Tree;
use jobgate::site::search;

use super::common::{TempSite, repo_root, tree};
use super::generated::corpus;

const BASE_URL: &str = "https://example.org/jobs/";

/// A small deterministic generator (xorshift), so a failing sequence can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The request files now in the site, by path relative to the root.
fn request_files(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root.join("requests"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .map(|name| format!("requests/{name}"))
        .collect();
    files.sort();
    files
}

fn id_of(file: &str) -> &str {
    file.trim_start_matches("requests/")
        .trim_end_matches(".yaml")
}

/// Makes one random edit and returns the files it touched.
fn edit(site: &TempSite, rng: &mut Rng, step: usize) -> Vec<String> {
    let files = request_files(site.path());
    let file = files[rng.below(files.len())].clone();
    let text = site.read(&file);
    match rng.below(14) {
        // A value changes.
        0 | 1 => {
            let title = format!("title: 'Edited title {step} of {}'", id_of(&file));
            let edited: Vec<String> = text
                .lines()
                .map(|l| {
                    if l.starts_with("title: ") {
                        title.clone()
                    } else {
                        l.to_owned()
                    }
                })
                .collect();
            site.write(&file, &(edited.join("\n") + "\n"));
            vec![file]
        }
        // The bytes change, not the values.
        2 => {
            site.write(&file, &format!("{text}# edit {step}\n"));
            vec![file]
        }
        // The state changes.
        3 if !text.contains("\nwithdrawn:") => {
            site.write(
                &file,
                &format!(
                    "{text}withdrawn:\n  on: {}\n  reason: Edit {step}.\n",
                    corpus::TODAY
                ),
            );
            vec![file]
        }
        // Another request becomes a resubmission of this one, or stops being one.
        4 | 12 if text.contains("\nprevious_request:") => {
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("previous_request:") && !l.starts_with("fixed:"))
                .collect();
            site.write(&file, &(kept.join("\n") + "\n"));
            vec![file]
        }
        4 | 12 => {
            let other = files[rng.below(files.len())].clone();
            let other_text = site.read(&other);
            if other == file || other_text.contains("\nprevious_request:") {
                return Vec::new();
            }
            site.write(
                &other,
                &format!(
                    "{other_text}previous_request: {}\nfixed: Edit {step}.\n",
                    id_of(&file)
                ),
            );
            vec![other]
        }
        // A request moves to a release nobody else targets.
        13 => {
            let moved: Vec<String> = text
                .lines()
                .map(|l| {
                    if l.starts_with("target_release: ") {
                        "target_release: \"2027-06\"".to_owned()
                    } else {
                        l.to_owned()
                    }
                })
                .collect();
            site.write(&file, &(moved.join("\n") + "\n"));
            vec![file]
        }
        // A request is added, removed or renamed.
        5 => {
            let copy = format!("requests/copy-{step}-{}.yaml", id_of(&file));
            site.write(&copy, &text);
            vec![copy]
        }
        6 if files.len() > 3 => {
            std::fs::remove_file(site.path().join(&file)).unwrap();
            vec![file]
        }
        7 => {
            let renamed = format!("requests/renamed-{step}.yaml");
            std::fs::rename(site.path().join(&file), site.path().join(&renamed)).unwrap();
            vec![file, renamed]
        }
        // A guide page, the settings or a template.
        8 => {
            let page = "content/guide/overview.md";
            site.write(
                page,
                &format!("{}\nEdit {step} of the guide.\n", site.read(page)),
            );
            vec![page.to_owned()]
        }
        9 => {
            let settings = "content/site.yaml";
            let edited: Vec<String> = site
                .read(settings)
                .lines()
                .map(|l| {
                    if l.starts_with("contact: ") {
                        format!("contact: edit-{step}@example.org")
                    } else {
                        l.to_owned()
                    }
                })
                .collect();
            site.write(settings, &(edited.join("\n") + "\n"));
            vec![settings.to_owned()]
        }
        // A rule breaks, or is mended: the rebuild must report exactly what `check` reports.
        10 if text.contains("tested_locally: true") => {
            site.write(
                &file,
                &text.replace("tested_locally: true", "tested_locally: false"),
            );
            vec![file]
        }
        10 => {
            site.write(
                &file,
                &text.replace("tested_locally: false", "tested_locally: true"),
            );
            vec![file]
        }
        _ => {
            let template = "themes/default/templates/404.html";
            let original = std::fs::read_to_string(repo_root().join(template)).unwrap();
            site.write(
                template,
                &format!("{original}{{# edit {step} #}}<!-- {step} -->\n"),
            );
            vec![template.to_owned()]
        }
    }
}

/// What `jobgate check` reports for the site now: file, line, code and message.
fn checked(site: &TempSite) -> Vec<(String, u64, String, String)> {
    let check = site.run(&["check", "--today", corpus::TODAY, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// What a rebuild reported, in the same terms.
fn reported(rebuild: &Rebuild) -> Vec<(String, u64, String, String)> {
    rebuild
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.file.clone(),
                u64::from(d.span.line),
                d.code.as_str().to_owned(),
                d.message.clone(),
            )
        })
        .collect()
}

/// The files of an output folder.
fn pages(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
}

/// What serve does once the edits pause: brings the search index up to date.
fn settle(live: &mut LiveSite) {
    if let Some(records) = live.stale_search() {
        let tree = Tree::open(live.out()).unwrap();
        search::write_while(&records, &tree, || true).unwrap();
    }
}

fn differences(fresh: &[(String, Vec<u8>)], served: &[(String, Vec<u8>)]) -> Vec<String> {
    let names = |files: &[(String, Vec<u8>)]| -> BTreeSet<String> {
        files.iter().map(|(n, _)| n.clone()).collect()
    };
    let (a, b) = (names(fresh), names(served));
    let mut found: Vec<String> = a
        .symmetric_difference(&b)
        .map(|n| format!("{n} (only in one)"))
        .collect();
    found.extend(
        fresh
            .iter()
            .filter(|(name, bytes)| served.iter().any(|(n, b)| n == name && b != bytes))
            .map(|(name, _)| name.clone()),
    );
    found
}

#[test]
fn serve_equals_a_fresh_build_after_random_edits() {
    let site = TempSite::empty();
    corpus::write_site(&repo_root(), site.path(), 24).unwrap();
    let today = corpus::today();
    let served = site.path().join("served");
    let (mut live, first) = LiveSite::open(site.path(), &served, today, BASE_URL, None).unwrap();
    assert!(!first.has_errors(), "{:?}", first.diagnostics);
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut step = 0;
    for sequence in 0..10 {
        let mut log = Vec::new();
        let mut last = None;
        for _ in 0..4 {
            step += 1;
            let touched = edit(&site, &mut rng, step);
            if touched.is_empty() {
                continue;
            }
            log.push(touched.join(" + "));
            let rebuild = live
                .apply(&Changes {
                    files: touched.into_iter().collect(),
                })
                .unwrap();
            // After every rebuild, it reports exactly what `check` reports.
            assert_eq!(
                reported(&rebuild),
                checked(&site),
                "after step {step} of sequence {sequence} ({log:?})"
            );
            last = Some(rebuild);
        }
        let Some(last) = last else { continue };
        let fresh = site.path().join(format!("fresh-{sequence}"));
        let build = site.run(&[
            "build",
            "--today",
            corpus::TODAY,
            "--base-url",
            BASE_URL,
            "--out",
            fresh.to_str().unwrap(),
        ]);
        if last.has_errors() {
            // Both refuse: serve keeps the pages of before, a build writes nothing.
            assert_eq!(build.code, 1, "{build:?}");
            continue;
        }
        assert_eq!(build.code, 0, "{build:?}");
        settle(&mut live);
        let differ = differences(&pages(&fresh), &pages(&served));
        assert!(
            differ.is_empty(),
            "after sequence {sequence} ({log:?}) serve differs from a build in {differ:?}"
        );
        std::fs::remove_dir_all(&fresh).unwrap();
    }
}
