//! What happened to each request: every commit that changed its file, with what it changed in
//! words, computed from the parsed file before and after (the comparison the guard uses).
//!
//! The whole `requests/` folder is read with two git processes whatever the number of
//! requests: one `git log --raw` that names, for each commit, the blob of each request file
//! before and after, and one `git cat-file --batch` that streams every blob. The result
//! depends only on the repository. A site outside git, or in a shallow clone whose history is
//! cut, has no history; pages say so instead of failing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::guard::diff::{self, How};
use crate::request::verdict::Outcome;
use crate::request::{self, Request, Run};

/// A blob id of all zeros: the file did not exist on that side.
const NO_BLOB: &str = "0000000000000000000000000000000000000000";

/// The history of a site's requests, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum History {
    /// The events of each request, by id, newest first.
    Known {
        requests: BTreeMap<String, Vec<Event>>,
    },
    /// Why the history cannot be read: not a git repository, or a shallow clone.
    Unavailable { reason: String },
}

/// One commit that changed one request file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The commit's author date (YYYY-MM-DD).
    pub date: NaiveDate,
    /// The full commit id.
    pub commit: String,
    /// Its first seven characters.
    pub short: String,
    /// The commit's author, as git records the name.
    pub author: String,
    /// What the commit changed, in words, in schema order.
    pub changes: Vec<String>,
}

impl History {
    /// The events of request `id`, newest first; `None` when the history is unavailable.
    pub fn of(&self, id: &str) -> Option<&[Event]> {
        match self {
            History::Known { requests } => {
                Some(requests.get(id).map_or(&[] as &[Event], Vec::as_slice))
            }
            History::Unavailable { .. } => None,
        }
    }

    /// `/api/history.json`: `{"available": true, "requests": {id: [event, …]}}`, or
    /// `{"available": false, "reason": "…"}`.
    pub fn to_api(&self) -> serde_json::Value {
        match self {
            History::Known { requests } => {
                serde_json::json!({ "available": true, "requests": requests })
            }
            History::Unavailable { reason } => {
                serde_json::json!({ "available": false, "reason": reason })
            }
        }
    }

    /// Why there is no history, if there is none.
    pub fn unavailable(&self) -> Option<&str> {
        match self {
            History::Known { .. } => None,
            History::Unavailable { reason } => Some(reason),
        }
    }
}

/// A git command at `root` whose messages are in English.
fn git(root: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(root).env("LC_ALL", "C");
    command
}

/// The commit the site's checkout is at, if it is in git: the history changes only when this
/// does, so `jobgate serve` reads the history again only then.
pub fn head(root: &Path) -> Option<String> {
    let out = git(root)
        .args(["rev-parse", "--verify", "-q", "HEAD"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Reads the history of the site at `root`. Never fails: a site outside git, in a shallow
/// clone, or where git cannot be run has an unavailable history with the reason.
pub fn read(root: &Path) -> History {
    match try_read(root) {
        Ok(history) => history,
        Err(error) => History::Unavailable {
            reason: format!("{error:#}"),
        },
    }
}

fn try_read(root: &Path) -> anyhow::Result<History> {
    let shallow = git(root)
        .args(["rev-parse", "--is-shallow-repository", "--show-prefix"])
        .stderr(Stdio::null())
        .output()
        .context("git cannot be run")?;
    if !shallow.status.success() {
        bail!("the site is not in a git repository");
    }
    let answer = String::from_utf8_lossy(&shallow.stdout);
    let mut lines = answer.lines();
    if lines.next() == Some("true") {
        bail!("the site is in a shallow clone, whose history is cut short");
    }
    let prefix = lines.next().unwrap_or("").to_owned();
    let log = git(root)
        .args([
            "log",
            "--reverse",
            "--format=%x01%H %as %an",
            "--raw",
            "-z",
            "--no-renames",
            "--no-abbrev",
            "--",
            "requests/",
        ])
        .output()
        .context("git cannot be run")?;
    if !log.status.success() {
        let stderr = String::from_utf8_lossy(&log.stderr);
        // A repository without any commit yet has no history, which is a history.
        if stderr.contains("does not have any commits") {
            return Ok(History::Known {
                requests: BTreeMap::new(),
            });
        }
        bail!("git log failed: {}", stderr.trim());
    }
    let changes = parse_log(&log.stdout, &prefix);
    let mut wanted: BTreeSet<&str> = BTreeSet::new();
    for change in &changes {
        wanted.extend([&change.before, &change.after].map(String::as_str));
    }
    wanted.remove(NO_BLOB);
    let wanted: Vec<&str> = wanted.into_iter().collect();
    let blobs = cat_blobs(root, &wanted)?;
    let blobs: Vec<(&String, &Vec<u8>)> = blobs.iter().collect();
    let parsed: HashMap<&str, Option<Request>> = blobs
        .par_iter()
        .map(|(id, bytes)| (id.as_str(), request::parse(bytes, "").0))
        .collect();
    let version = |blob: &str| -> Version<'_> {
        if blob == NO_BLOB {
            Version::Absent
        } else {
            match parsed.get(blob) {
                Some(Some(request)) => Version::Parsed(request),
                _ => Version::Unparsed,
            }
        }
    };
    let described: Vec<Vec<String>> = changes
        .par_iter()
        .map(|change| describe(version(&change.before), version(&change.after)))
        .collect();
    let mut requests: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for (change, words) in changes.iter().zip(described) {
        requests.entry(change.id.clone()).or_default().push(Event {
            date: change.date,
            short: change.commit.chars().take(7).collect(),
            commit: change.commit.clone(),
            author: change.author.clone(),
            changes: words,
        });
    }
    for events in requests.values_mut() {
        events.reverse();
    }
    Ok(History::Known { requests })
}

/// One request file changed by one commit.
#[derive(Debug, PartialEq)]
struct FileChange {
    commit: String,
    date: NaiveDate,
    author: String,
    id: String,
    before: String,
    after: String,
}

/// The request files each commit changed, oldest commit first, from `git log --raw -z`.
/// `prefix` is the site's folder inside the repository (empty, or ending in `/`).
fn parse_log(out: &[u8], prefix: &str) -> Vec<FileChange> {
    let mut found = Vec::new();
    let mut header: Option<(String, NaiveDate, String)> = None;
    let mut tokens = out.split(|&b| b == 0).map(String::from_utf8_lossy);
    while let Some(token) = tokens.next() {
        let token = token.trim_start_matches('\n');
        if let Some(head) = token.strip_prefix('\u{1}') {
            let mut parts = head.splitn(3, ' ');
            let commit = parts.next().unwrap_or("").to_owned();
            let date = parts.next().and_then(crate::yaml::parse_date);
            let author = parts.next().unwrap_or("").trim().to_owned();
            header = date.map(|date| (commit, date, author));
        } else if let Some(meta) = token.strip_prefix(':') {
            let Some(path) = tokens.next() else { break };
            let fields: Vec<&str> = meta.split(' ').collect();
            let (Some((commit, date, author)), [_, _, before, after, _]) =
                (&header, fields.as_slice())
            else {
                continue;
            };
            let Some(id) = path
                .strip_prefix(prefix)
                .and_then(|p| p.strip_prefix("requests/"))
                .and_then(|p| p.strip_suffix(".yaml"))
                .filter(|id| request::is_valid_id(id))
            else {
                continue;
            };
            found.push(FileChange {
                commit: commit.clone(),
                date: *date,
                author: author.clone(),
                id: id.to_owned(),
                before: (*before).to_owned(),
                after: (*after).to_owned(),
            });
        }
    }
    found
}

/// The bytes of each blob in `ids`, from one `git cat-file --batch`.
fn cat_blobs(root: &Path, ids: &[&str]) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let names: Vec<String> = ids.iter().map(|id| (*id).to_owned()).collect();
    let blobs = crate::guard::git::cat_objects(root, &names)?;
    Ok(names.into_iter().zip(blobs).collect())
}

/// One side of a change to a request file.
#[derive(Clone, Copy, Debug)]
pub enum Version<'a> {
    /// The file did not exist.
    Absent,
    /// The file existed but is not a request that parses.
    Unparsed,
    Parsed(&'a Request),
}

/// What changed from `before` to `after`, in words.
pub fn describe(before: Version, after: Version) -> Vec<String> {
    let (old, new) = match (before, after) {
        (Version::Absent, Version::Absent) => return Vec::new(),
        (Version::Absent, _) => return vec!["submitted".to_owned()],
        (_, Version::Absent) => return vec!["removed the file".to_owned()],
        (Version::Parsed(old), Version::Parsed(new)) => (old, new),
        _ => return vec!["edited the file (a version of it does not parse)".to_owned()],
    };
    let mut words = Vec::new();
    for change in diff::changes(old, new) {
        match (change.field, change.how) {
            ("scheduled", How::Added) => {
                if let Some(s) = &new.scheduled {
                    words.push(format!("scheduled for the weekend of {}", day(*s.weekend)));
                }
            }
            ("scheduled", How::Changed)
                if new.scheduled.as_ref().map(|s| *s.weekend)
                    != old.scheduled.as_ref().map(|s| *s.weekend) =>
            {
                if let Some(s) = &new.scheduled {
                    words.push(format!("moved to the weekend of {}", day(*s.weekend)));
                }
            }
            ("scheduled", How::Removed) => words.push("unscheduled".to_owned()),
            ("runs", _) => words.extend(runs(old, new)),
            ("approval", How::Added) => {
                if let Some(a) = &new.approval {
                    words.push(format!("approved for {}", *a.release));
                }
            }
            ("approval", How::Removed) => words.push("took back the approval".to_owned()),
            ("withdrawn", How::Added) => words.push("withdrawn".to_owned()),
            ("withdrawn", How::Removed) => words.push("no longer withdrawn".to_owned()),
            (_, how) => words.push(format!("{} `{}`", how.verb(), change.path_text())),
        }
    }
    if words.is_empty() {
        words.push("edited the file without changing a value".to_owned());
    }
    words
}

/// "28 Nov".
fn day(date: NaiveDate) -> String {
    date.format("%-d %b").to_string()
}

/// What changed in the runs: runs recorded, outcomes verified, runs changed or removed.
fn runs(old: &Request, new: &Request) -> Vec<String> {
    let plain = |run: &Run| serde_json::to_value(run).unwrap_or_default();
    let mut words = Vec::new();
    for (i, (a, b)) in old.runs.iter().zip(&new.runs).enumerate() {
        if plain(a) == plain(b) {
            continue;
        }
        let mut verified = (**a).clone();
        verified.outcome_verified = b.outcome_verified;
        verified.evidence = b.evidence.clone();
        if !a.outcome_verified && b.outcome_verified && plain(&verified) == plain(b) {
            words.push("verified the outcome".to_owned());
        } else {
            words.push(format!("changed `runs[{i}]`"));
        }
    }
    for run in new.runs.iter().skip(old.runs.len()) {
        words.push(recorded(run, new));
    }
    let removed = old.runs.len().saturating_sub(new.runs.len());
    match removed {
        0 => {}
        1 => words.push("removed a run".to_owned()),
        n => words.push(format!("removed {n} runs")),
    }
    words
}

/// "recorded a run on the backup server: success, output matches".
fn recorded(run: &Run, request: &Request) -> String {
    let job = match &run.job {
        Some(job) => format!(" of `{}`", job.value),
        None => String::new(),
    };
    let outcome = match run.outcome(&request.output) {
        Outcome::Error => "error, the job did not finish",
        Outcome::Failure => "failure, errors reported",
        Outcome::Mismatch(_) => "success, output does not match",
        Outcome::Unverified => "success, output matches",
        Outcome::Passed => "success, output matches, outcome verified",
    };
    format!(
        "recorded a run{job} on the {} server: {outcome}",
        run.server.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_read_per_file_and_commit() {
        let out = b"\x01aaaaaaaaaa 2026-11-02 Ann Lee\0\n:000000 100644 0000000000000000000000000000000000000000 1111111111111111111111111111111111111111 A\0site/requests/one.yaml\0:000000 100644 0000000000000000000000000000000000000000 2222222222222222222222222222222222222222 A\0site/requests/schema.json\0\x01bbbbbbbbbb 2026-11-03 Bob\0\n:100644 100644 1111111111111111111111111111111111111111 3333333333333333333333333333333333333333 M\0site/requests/one.yaml\0";
        let found = parse_log(out, "site/");
        assert_eq!(
            found
                .iter()
                .map(|c| (
                    c.commit.as_str(),
                    c.author.as_str(),
                    c.id.as_str(),
                    &c.after[..4]
                ))
                .collect::<Vec<_>>(),
            [
                ("aaaaaaaaaa", "Ann Lee", "one", "1111"),
                ("bbbbbbbbbb", "Bob", "one", "3333")
            ]
        );
        assert_eq!(found[1].date, NaiveDate::from_ymd_opt(2026, 11, 3).unwrap());
    }
}
