//! The one way request files are checked: what `jobgate check`, `build` and `serve` run, what the
//! fuzz target runs, and what the browser's checker runs.
//!
//! Checking has two steps, so that a caller holding many files can do the first on each file as
//! it is read and the second once for all of them:
//!
//! 1. [`read`] one file: its name, its YAML, its fields, and the rules that judge one value
//!    (they run even when other fields are missing or mistyped);
//! 2. [`rules`] over every request that parsed: the rules that judge a request as a whole,
//!    against the settings and the day, and those that look across requests.
//!
//! [`file()`] does both for one file beside the ids of the others, as a checker that sees one
//! file at a time needs.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Span};

use super::{Loaded, parse, validate};

/// What a path under `requests/` is.
#[derive(Debug, PartialEq)]
pub enum FileKind<'a> {
    /// `requests/<id>.yaml`: a request, to be read (its id may still be invalid).
    Request { id: &'a str },
    /// A file the folder may hold that is not a request (`schema.json`, a README, `.gitkeep`).
    Other,
    /// A file that looks meant as a request but is misnamed.
    Misnamed(Diagnostic),
}

/// What `file` (a root-relative path) is; `None` when it is not under `requests/`.
pub fn kind_of(file: &str) -> Option<FileKind<'_>> {
    let name = file.strip_prefix("requests/")?;
    if name == "schema.json" || name.ends_with(".md") {
        return Some(FileKind::Other);
    }
    // Tool files such as `.gitkeep` are left alone, but a hidden file that looks like a request
    // is reported rather than silently skipped.
    if name.starts_with('.') && !name.ends_with(".yaml") && !name.ends_with(".yml") {
        return Some(FileKind::Other);
    }
    Some(match name.strip_suffix(".yaml") {
        Some(id) => FileKind::Request { id },
        None => {
            let help = if name.ends_with(".yml") {
                "rename it to end in `.yaml`"
            } else {
                "request files are named `<id>.yaml`"
            };
            FileKind::Misnamed(
                Diagnostic::new(
                    Code::BadId,
                    file,
                    Span::FILE,
                    format!("`{name}` is not a request file name"),
                )
                .with_help(help),
            )
        }
    })
}

/// Reads the request `id` from the `bytes` of `file`: everything one file can tell by itself.
/// The request comes back when it parsed and its id is valid; the rules that need the settings
/// run only when `config` is given.
pub fn read(
    id: &str,
    file: &str,
    bytes: &[u8],
    config: Option<&SiteConfig>,
) -> (Option<Loaded>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let valid_id = parse::is_valid_id(id);
    if !valid_id {
        found.push(
            Diagnostic::new(Code::BadId, file, Span::FILE, format!("`{id}` is not a valid request id"))
                .with_help("ids are 3–64 characters of lower-case letters, digits and `-`, starting with a letter or digit"),
        );
    }
    let (parsed, partial, diagnostics) = parse::parse_with_partial(bytes, file);
    found.extend(diagnostics);
    // A file whose name is not an id is never loaded, so the whole-request rules never judge
    // it; its values are still judged one by one, so that no mistake waits for the rename.
    let partial = match partial {
        None if !valid_id && parsed.is_some() && config.is_some() => parse::values_of(bytes, file),
        partial => partial,
    };
    if let (Some(partial), Some(config)) = (&partial, config) {
        validate::single::rules(file, partial, config, &mut found);
    }
    let loaded = parsed.filter(|_| valid_id).map(|request| Loaded {
        id: id.to_owned(),
        file: file.to_owned(),
        request,
        text: String::from_utf8_lossy(bytes).into_owned(),
    });
    (loaded, found)
}

/// What the whole-request rules found, by request file. A caller that checks again and again
/// (`jobgate serve`) keeps them, so that only the requests that changed are judged again.
pub type Findings = HashMap<String, Vec<Diagnostic>>;

/// The whole-request rules over `requests` (those that parsed), knowing the ids of files that
/// did not parse (`unparsed_ids`), so a resubmission that points at a broken file is not also
/// told the file does not exist. The order of the result is unspecified; callers sort.
pub fn rules(
    requests: &[Loaded],
    unparsed_ids: &[&str],
    config: &SiteConfig,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    rules_reusing(
        requests,
        unparsed_ids,
        config,
        today,
        &mut Findings::new(),
        None,
    )
}

/// Like [`rules`], but reuses what `kept` holds for every request file not in `fresh` (`None`:
/// nothing is reused), and leaves every request's findings in `kept`. The rules that look
/// across requests always run again. Reusing is right while the settings, the day and the set
/// of request ids stay the same.
pub fn rules_reusing(
    requests: &[Loaded],
    unparsed_ids: &[&str],
    config: &SiteConfig,
    today: NaiveDate,
    kept: &mut Findings,
    fresh: Option<&BTreeSet<String>>,
) -> Vec<Diagnostic> {
    if fresh.is_none() {
        kept.clear();
    }
    let all_ids = validate::all_ids(requests, unparsed_ids);
    let stale =
        |l: &&Loaded| fresh.is_some_and(|f| f.contains(&l.file)) || !kept.contains_key(&l.file);
    let judge = |l: &Loaded| {
        (
            l.file.clone(),
            validate::validate(l, &all_ids, config, today),
        )
    };
    #[cfg(feature = "site")]
    let judged: Vec<(String, Vec<Diagnostic>)> = {
        use rayon::prelude::*;
        requests.par_iter().filter(stale).map(judge).collect()
    };
    #[cfg(not(feature = "site"))]
    let judged: Vec<(String, Vec<Diagnostic>)> = requests.iter().filter(stale).map(judge).collect();
    kept.extend(judged);
    let files: HashSet<&str> = requests.iter().map(|l| l.file.as_str()).collect();
    kept.retain(|file, _| files.contains(file.as_str()));
    let mut found: Vec<Diagnostic> = kept.values().flatten().cloned().collect();
    found.extend(validate::duplicate_jobs(requests));
    found
}

/// Checks one request file by itself, as a checker that sees one file at a time does (the fuzz
/// target, the browser): [`read`], then [`rules`] beside the `others` that parsed and the ids
/// of files that did not. Sorted.
pub fn file(
    id: &str,
    file: &str,
    bytes: &[u8],
    others: &[Loaded],
    unparsed_ids: &[&str],
    config: &SiteConfig,
    today: NaiveDate,
) -> (Option<Loaded>, Vec<Diagnostic>) {
    let (loaded, mut found) = read(id, file, bytes, Some(config));
    let mut requests: Vec<Loaded> = others.iter().filter(|o| o.id != id).cloned().collect();
    let mut unparsed: Vec<&str> = unparsed_ids.to_vec();
    match &loaded {
        Some(loaded) => requests.push(loaded.clone()),
        None => unparsed.push(id),
    }
    found.extend(
        rules(&requests, &unparsed, config, today)
            .into_iter()
            .filter(|d| d.file == file),
    );
    crate::diagnostics::sort(&mut found);
    (loaded, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misnamed_file_still_has_its_values_judged() {
        let config =
            crate::config::parse(include_str!("../../tests/fixtures/valid/content/site.yaml"))
                .unwrap();
        let text = include_str!("../../tests/fixtures/invalid/requests/Bad_Name.yaml").replace(
            "title: Audit SkillModel rubrics for empty or duplicate explanations",
            "title: TBD",
        );
        let (loaded, found) = read(
            "Bad_Name",
            "requests/Bad_Name.yaml",
            text.as_bytes(),
            Some(&config),
        );
        assert!(loaded.is_none());
        let codes: Vec<(&str, u32)> = found
            .iter()
            .map(|d| (d.code.as_str(), d.span.line))
            .collect();
        assert_eq!(codes, [("JG005", 1), ("JG207", 3)]);
    }

    #[test]
    fn files_under_requests_are_told_apart() {
        assert_eq!(
            kind_of("requests/fix-names.yaml"),
            Some(FileKind::Request { id: "fix-names" })
        );
        for other in [
            "requests/schema.json",
            "requests/README.md",
            "requests/.gitkeep",
        ] {
            assert_eq!(kind_of(other), Some(FileKind::Other), "{other}");
        }
        for misnamed in [
            "requests/fix-names.yml",
            "requests/fix-names.txt",
            "requests/.x.yml",
        ] {
            let Some(FileKind::Misnamed(d)) = kind_of(misnamed) else {
                panic!("{misnamed} should be misnamed");
            };
            assert_eq!((d.code, d.file.as_str()), (Code::BadId, misnamed));
        }
        assert_eq!(kind_of("content/site.yaml"), None);
    }

    #[test]
    fn an_invalid_id_is_reported_and_the_request_is_not_kept() {
        let (loaded, found) = read("X", "requests/X.yaml", b"title: t\n", None);
        assert!(loaded.is_none());
        let bad: Vec<_> = found.iter().filter(|d| d.code == Code::BadId).collect();
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].message, "`X` is not a valid request id");
    }
}
