//! A resubmission's first text (`jobgate new ID --previous OLD`): the failed request's file as
//! its author wrote it (fields, comments, order), without what belonged to its own test run,
//! filed anew, pointing back at it and saying what was fixed.

use chrono::NaiveDate;

use crate::month::Month;

/// Top-level entries that belong to the old request's test, or that the resubmission sets anew.
const DROPPED: &[&str] = &[
    "scheduled",
    "runs",
    "approval",
    "withdrawn",
    "previous_request",
    "fixed",
];

/// The resubmission of the request `previous` (its file's text `old`), filed on `submitted`
/// for `target_release`, with `fixed` saying what changed.
pub fn resubmission(
    old: &str,
    previous: &str,
    submitted: NaiveDate,
    target_release: Month,
    fixed: &str,
) -> String {
    let mut out = String::with_capacity(old.len() + fixed.len() + 64);
    let mut dropping = false;
    for line in old.lines() {
        let key = top_level_key(line);
        if let Some(key) = key {
            dropping = DROPPED.contains(&key);
        }
        if dropping {
            continue;
        }
        match key {
            Some("submitted") => out.push_str(&format!("submitted: {submitted}")),
            Some("target_release") => {
                out.push_str(&format!("target_release: \"{target_release}\""));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out.push_str(&format!("previous_request: {previous}\nfixed: |\n"));
    for line in fixed.trim_end().lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// The key a line starts, when it starts a top-level entry (`name:` at column 1).
fn top_level_key(line: &str) -> Option<&str> {
    let (key, rest) = line.split_once(':')?;
    let is_key = key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (is_key && (rest.is_empty() || rest.starts_with([' ', '\t', '\r']))).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_file_is_kept_but_for_its_test_and_dates() {
        let old = "# my notes\ntitle: Fix names\nsubmitted: 2026-10-01\ntarget_release: \"2026-11\"\n\
                   summary: |\n  Fixes names.\nscheduled:\n  by: coord\n  on: 2026-10-02\n\
                   runs:\n  - on: 2026-10-03\n    stdout: |\n      title: not a key\n\
                   notes: keep me\n";
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let new = resubmission(
            old,
            "fix-names",
            day,
            Month::parse("2027-01").unwrap(),
            "The job now skips deleted users.\n\nTested again locally.",
        );
        assert_eq!(
            new,
            "# my notes\ntitle: Fix names\nsubmitted: 2026-12-02\ntarget_release: \"2027-01\"\n\
             summary: |\n  Fixes names.\nnotes: keep me\nprevious_request: fix-names\nfixed: |\n  \
             The job now skips deleted users.\n\n  Tested again locally.\n"
        );
    }
}
