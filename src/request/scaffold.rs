//! A request file written from what its author knows: `jobgate new`'s skeleton and the request
//! form's file are the same layout, [`write()`] of a [`Draft`]. Whatever the author has not
//! written yet stays a placeholder (`TODO: …`, `[]`) that `check` reports at its line.
//!
//! The layout is fixed: the schema line, the fields in the order the guide explains them, the
//! `jobs` and `readiness` comments, markdown as block scalars, list items and free text as
//! double-quoted scalars. [`Written::fields`] says which form field each line holds, so a
//! diagnostic at a line can be shown at its field.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::month::Month;
use crate::yaml::scalar;

use super::Kind;

/// What `jobgate new` knows before writing the skeleton.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRequest {
    pub title: Option<String>,
    pub kind: Kind,
    pub author: String,
    pub pr: Option<String>,
    pub target_release: Month,
    pub jobs: Vec<String>,
    pub submitted: NaiveDate,
}

/// Every field an author writes, as text typed into the request form; the admins' blocks
/// (`scheduled`, `runs`, `approval`, `withdrawn`) are not an author's to write. Field names are
/// the dotted paths of the schema (`output.success.expected`); an empty text, or an empty list,
/// is a field not written yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Draft {
    pub title: String,
    pub jobs: Vec<String>,
    /// `new` or `existing`; anything else is written as typed, for `check` to report.
    pub kind: String,
    pub pr: String,
    pub reason: String,
    pub author: String,
    pub submitted: String,
    pub target_release: String,
    pub essential: bool,
    pub summary: String,
    #[serde(rename = "readiness.tested_locally")]
    pub tested_locally: bool,
    #[serde(rename = "readiness.reviewers_approved")]
    pub reviewers_approved: bool,
    #[serde(rename = "output.success.description")]
    pub success_description: String,
    #[serde(rename = "output.success.expected")]
    pub success_expected: Vec<String>,
    #[serde(rename = "output.failure.description")]
    pub failure_description: String,
    #[serde(rename = "output.failure.expected")]
    pub failure_expected: Vec<String>,
    #[serde(rename = "tests.success")]
    pub tests_success: Vec<String>,
    #[serde(rename = "tests.failure")]
    pub tests_failure: Vec<String>,
    #[serde(rename = "instructions.verify")]
    pub verify: String,
    #[serde(rename = "instructions.on_output")]
    pub on_output: String,
    #[serde(rename = "instructions.recover")]
    pub recover: String,
    #[serde(rename = "instructions.debug")]
    pub debug: String,
    #[serde(rename = "instructions.doc")]
    pub doc: String,
    pub notes: String,
    pub previous_request: String,
    pub fixed: String,
}

impl From<&NewRequest> for Draft {
    fn from(new: &NewRequest) -> Draft {
        Draft {
            title: new.title.clone().unwrap_or_default(),
            jobs: new.jobs.clone(),
            kind: kind_name(new.kind).to_owned(),
            pr: new.pr.clone().unwrap_or_default(),
            author: new.author.clone(),
            submitted: new.submitted.to_string(),
            target_release: new.target_release.to_string(),
            ..Draft::default()
        }
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::New => "new",
        Kind::Existing => "existing",
    }
}

/// A written request file, and the form field of each of its lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub text: String,
    /// `fields[n]` names the field line `n + 1` belongs to: a dotted path, with the item's
    /// index for a list item (`jobs.0`), or `""` for a line of no field.
    pub fields: Vec<String>,
}

impl Written {
    fn line(&mut self, field: &str, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
        self.fields.push(field.to_owned());
    }

    /// `key: |` and the text's lines below it; the placeholder when the text is empty.
    fn block(&mut self, field: &str, indent: usize, key: &str, text: &str, placeholder: &str) {
        let pad = " ".repeat(indent);
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim_end();
        let text = if text.trim().is_empty() {
            placeholder
        } else {
            text
        };
        let (header, lines) = scalar::block(&format!("{text}\n"), indent + 2, "\n");
        self.line(field, &format!("{pad}{key}: {header}"));
        for line in lines.lines() {
            self.line(field, line);
        }
    }

    /// `key: []` and a comment for an empty list; else the key and its items, one per line.
    fn list(&mut self, field: &str, indent: usize, key: &str, items: &[String], comment: &str) {
        let pad = " ".repeat(indent);
        let items: Vec<&str> = items
            .iter()
            .map(|i| i.trim())
            .filter(|i| !i.is_empty())
            .collect();
        let head = if items.is_empty() {
            format!("{pad}{key}: []")
        } else {
            format!("{pad}{key}:")
        };
        self.line(field, &with_comment(head, comment));
        for (index, item) in items.iter().enumerate() {
            self.line(
                &format!("{field}.{index}"),
                &format!("{pad}  - {}", scalar::quoted(item)),
            );
        }
    }

    /// `key: value`, the value as a plain word when it is one, else quoted; the placeholder
    /// (written as is) when it is empty.
    fn word(&mut self, field: &str, indent: usize, key: &str, value: &str, placeholder: &str) {
        let value = value.trim();
        let value = if value.is_empty() {
            placeholder.to_owned()
        } else {
            scalar::word(value)
        };
        self.line(field, &format!("{}{key}: {value}", " ".repeat(indent)));
    }

    /// `key: "value"`, always quoted.
    fn quoted(&mut self, field: &str, indent: usize, key: &str, value: &str) {
        let value = scalar::quoted(value.trim());
        self.line(field, &format!("{}{key}: {value}", " ".repeat(indent)));
    }
}

/// The column (0-based) a line's comment starts at, as in the skeleton's `jobs:` line; a
/// longer line keeps one space before it.
const COMMENT_COLUMN: usize = 17;

/// `line` with `# comment` after it at [`COMMENT_COLUMN`]; `line` alone when there is none.
fn with_comment(line: String, comment: &str) -> String {
    if comment.is_empty() {
        return line;
    }
    let gap = COMMENT_COLUMN.saturating_sub(line.len()).max(1);
    format!("{line}{:gap$}# {comment}", "")
}

/// The text of a new request file.
pub fn skeleton(new: &NewRequest) -> String {
    write(&Draft::from(new)).text
}

/// The request file of `draft`, in the one layout every request starts from.
pub fn write(draft: &Draft) -> Written {
    let mut out = Written::default();
    out.line("", "# yaml-language-server: $schema=schema.json");
    let title = draft.title.trim();
    let title = if title.is_empty() {
        "TODO: one line saying what the job does"
    } else {
        title
    };
    out.quoted("title", 0, "title", title);
    out.list(
        "jobs",
        0,
        "jobs",
        &draft.jobs,
        "job class names in run order; an audit job goes first",
    );
    let kind = draft.kind.trim();
    let kind = if kind.is_empty() { "new" } else { kind };
    out.word("kind", 0, "kind", kind, "new");
    let existing = kind == kind_name(Kind::Existing);
    if !existing || !draft.pr.trim().is_empty() {
        out.quoted("pr", 0, "pr", &draft.pr);
    }
    if existing || !draft.reason.trim().is_empty() {
        out.block(
            "reason",
            0,
            "reason",
            &draft.reason,
            "TODO: why the job must run again.",
        );
    }
    out.word("author", 0, "author", &draft.author, "\"\"");
    out.word("submitted", 0, "submitted", &draft.submitted, "\"\"");
    out.quoted("target_release", 0, "target_release", &draft.target_release);
    out.line("essential", &format!("essential: {}", draft.essential));
    out.block(
        "summary",
        0,
        "summary",
        &draft.summary,
        "TODO: what the job does and why.",
    );
    out.line(
        "",
        &with_comment("readiness:".into(), "set both to true once they are"),
    );
    out.line(
        "readiness.tested_locally",
        &format!("  tested_locally: {}", draft.tested_locally),
    );
    out.line(
        "readiness.reviewers_approved",
        &format!("  reviewers_approved: {}", draft.reviewers_approved),
    );
    out.line("", "output:");
    out.line("", "  success:");
    out.block(
        "output.success.description",
        4,
        "description",
        &draft.success_description,
        "TODO: the aggregate output the job prints when it succeeds.",
    );
    out.list(
        "output.success.expected",
        4,
        "expected",
        &draft.success_expected,
        "literal lines; <n> matches a number, <any> any text",
    );
    out.line("", "  failure:");
    out.block(
        "output.failure.description",
        4,
        "description",
        &draft.failure_description,
        "TODO: the error output for each failure case.",
    );
    out.list(
        "output.failure.expected",
        4,
        "expected",
        &draft.failure_expected,
        "",
    );
    out.line(
        "",
        &with_comment("tests:".into(), "path/to/x_test.py::Class::test_name"),
    );
    out.list("tests.success", 2, "success", &draft.tests_success, "");
    out.list("tests.failure", 2, "failure", &draft.tests_failure, "");
    out.line("", "instructions:");
    for (field, key, text, placeholder) in [
        (
            "instructions.verify",
            "verify",
            &draft.verify,
            "TODO: how to tell success from failure (validation job, datastore check, UI check).",
        ),
        (
            "instructions.on_output",
            "on_output",
            &draft.on_output,
            "TODO: what the coordinator does with the output.",
        ),
        (
            "instructions.recover",
            "recover",
            &draft.recover,
            "TODO: what to do if the run fails midway.",
        ),
        (
            "instructions.debug",
            "debug",
            &draft.debug,
            "TODO: how to debug a failed run.",
        ),
    ] {
        out.block(field, 2, key, text, placeholder);
    }
    if !draft.doc.trim().is_empty() {
        out.quoted("instructions.doc", 2, "doc", &draft.doc);
    }
    if !draft.notes.trim().is_empty() {
        out.block("notes", 0, "notes", &draft.notes, "");
    }
    if !draft.previous_request.trim().is_empty() {
        out.word(
            "previous_request",
            0,
            "previous_request",
            &draft.previous_request,
            "",
        );
        out.block(
            "fixed",
            0,
            "fixed",
            &draft.fixed,
            "TODO: what was fixed since the previous request.",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> Draft {
        Draft {
            title: "Fix \"names\"".into(),
            jobs: vec!["AuditJob".into(), " ".into(), "FixJob".into()],
            kind: "new".into(),
            pr: "https://github.com/o/r/pull/1".into(),
            author: "ada".into(),
            submitted: "2026-12-01".into(),
            target_release: "2027-01".into(),
            summary: "  indented first\n\nsecond: with # and 'quotes'\r\n".into(),
            success_expected: vec!["Fixed <n> names".into()],
            ..Draft::default()
        }
    }

    #[test]
    fn each_line_names_its_field() {
        let written = write(&filled());
        let lines: Vec<&str> = written.text.lines().collect();
        assert_eq!(lines.len(), written.fields.len());
        let at = |field: &str| -> Vec<&str> {
            lines
                .iter()
                .zip(&written.fields)
                .filter(|(_, f)| *f == field)
                .map(|(l, _)| *l)
                .collect()
        };
        assert_eq!(at("title"), ["title: \"Fix \\\"names\\\"\""]);
        assert_eq!(at("jobs.1"), ["  - \"FixJob\""]);
        assert_eq!(
            at("summary"),
            [
                "summary: |2",
                "    indented first",
                "",
                "  second: with # and 'quotes'"
            ]
        );
        assert_eq!(
            at("output.success.expected"),
            ["    expected:    # literal lines; <n> matches a number, <any> any text"]
        );
        assert_eq!(at("output.failure.expected"), ["    expected: []"]);
        assert!(!written.text.contains("previous_request"));
    }

    #[test]
    fn what_is_typed_is_read_back_as_typed() {
        let mut draft = filled();
        draft.notes = "a: b\n- c\n\"d\"".into();
        draft.previous_request = "old-one".into();
        draft.fixed = "The loop.".into();
        draft.author = "yes".into();
        let written = write(&draft);
        let request = crate::request::parse(written.text.as_bytes(), "requests/x.yaml")
            .0
            .unwrap();
        assert_eq!(request.title.value, "Fix \"names\"");
        assert_eq!(request.jobs.value.len(), 2);
        assert_eq!(
            request.summary.value,
            "  indented first\n\nsecond: with # and 'quotes'\n"
        );
        assert_eq!(request.notes.unwrap().value, "a: b\n- c\n\"d\"\n");
        assert_eq!(request.author.value, "yes");
        assert_eq!(request.previous_request.unwrap().value, "old-one");
    }
}
