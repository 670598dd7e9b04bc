//! Reading a request file into [`Request`], reporting every structural mistake at its line.

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::month::Month;
use crate::yaml::{self, At, FromNode, Node, Reader};

use super::validate::single::Values;
use super::{
    Approval, Expectation, Instructions, Kind, Output, Readiness, Request, Run, RunResult,
    Scheduled, Server, Tests, Withdrawal,
};

/// The largest request file accepted, in bytes.
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;

/// The fields of each map, in schema order; a test keeps them equal to the JSON Schema.
pub(crate) const REQUEST_FIELDS: &[&str] = &[
    "title",
    "jobs",
    "kind",
    "reason",
    "author",
    "pr",
    "submitted",
    "target_release",
    "essential",
    "summary",
    "readiness",
    "output",
    "tests",
    "instructions",
    "previous_request",
    "fixed",
    "withdrawn",
    "notes",
    "scheduled",
    "runs",
    "approval",
];

/// Whether `id` may name a request: `^[a-z0-9][a-z0-9-]{2,63}$`.
pub fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    (3..=64).contains(&bytes.len())
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// The JG004 error for a request file of `size` bytes, over [`MAX_REQUEST_BYTES`]; also used by
/// the loader, which stops reading such a file at the limit.
pub fn too_large(file: &str, size: u64) -> Diagnostic {
    let message = format!(
        "the file is {} KiB; a request may be at most {} KiB",
        size.div_ceil(1024),
        MAX_REQUEST_BYTES / 1024
    );
    Diagnostic::new(Code::TooLarge, file, Span::FILE, message).with_help(
        "a request holds what the coordinator needs; attach long logs to the pull request and \
         keep only the job's summary lines in `stdout`",
    )
}

/// JG001 for `bytes` of `file` that `error` found not to be UTF-8, at the first bad byte.
pub fn not_utf8(file: &str, bytes: &[u8], error: std::str::Utf8Error) -> Diagnostic {
    let good = &bytes[..error.valid_up_to()];
    let line = good.iter().filter(|b| **b == b'\n').count() + 1;
    let column = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    let span = Span {
        line: line as u32,
        column: column as u32,
        offset: error.valid_up_to(),
        len: 0,
    };
    let message = format!(
        "the file is not UTF-8 (bad byte at offset {})",
        error.valid_up_to()
    );
    Diagnostic::new(Code::NotUtf8, file, span, message)
        .with_help("save the file as UTF-8 (your editor's encoding setting)")
}

/// Parses the bytes of `file` (relative path, used in diagnostics).
///
/// Returns the request when it is structurally complete, along with every diagnostic found;
/// a request with diagnostics may still be returned so later checks can see it.
pub fn parse(bytes: &[u8], file: &str) -> (Option<Request>, Vec<Diagnostic>) {
    let (request, _, diagnostics) = parse_with_partial(bytes, file);
    (request, diagnostics)
}

/// Like [`parse`], and when the request is incomplete but the YAML was read, the values that
/// the single-value rules can still judge ([`Values::from_node`]).
pub fn parse_with_partial(
    bytes: &[u8],
    file: &str,
) -> (Option<Request>, Option<Values>, Vec<Diagnostic>) {
    if bytes.len() > MAX_REQUEST_BYTES {
        return (None, None, vec![too_large(file, bytes.len() as u64)]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => return (None, None, vec![not_utf8(file, bytes, error)]),
    };
    let (node, mut found, skipped) = yaml::parse_recovering(text, file);
    let Some(node) = node else {
        return (None, None, found);
    };
    let recovered = !skipped.is_empty();
    let mut reader = Reader::new(file).with_text(text).with_skipped(skipped);
    let request = Request::from_node(&node, &mut reader);
    // A request read past a syntax error is not kept, even when what was left out was optional.
    let request = request.filter(|_| !recovered);
    let partial = request.is_none().then(|| Values::from_node(&node, file));
    found.append(&mut reader.diagnostics);
    (request, partial, found)
}

/// The values of a file read one by one, for the single-value rules, whether or not it holds a
/// whole request: `None` when it is not text or not YAML (which [`parse_with_partial`] reports).
pub fn values_of(bytes: &[u8], file: &str) -> Option<Values> {
    let text = std::str::from_utf8(bytes).ok()?;
    let (node, _, _) = yaml::parse_recovering(text, file);
    node.map(|node| Values::from_node(&node, file))
}

impl FromNode for Request {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "request")?;
        let title = f.required(r, "title");
        let jobs = f.required(r, "jobs");
        let kind = f.required(r, "kind");
        let reason = f.optional(r, "reason");
        let author = f.required(r, "author");
        let pr = f.optional(r, "pr");
        let submitted = f.required(r, "submitted");
        let target_release = f.required(r, "target_release");
        let essential = f.optional(r, "essential");
        let summary = f.required(r, "summary");
        let readiness = f.required(r, "readiness");
        let output = f.required(r, "output");
        let tests = f.required(r, "tests");
        let instructions = f.required(r, "instructions");
        let previous_request = f.optional(r, "previous_request");
        let fixed = f.optional(r, "fixed");
        let withdrawn = f.optional(r, "withdrawn");
        let notes = f.optional(r, "notes");
        let scheduled = f.optional(r, "scheduled");
        let runs = f.list(r, "runs");
        let approval = f.optional(r, "approval");
        f.finish(r, REQUEST_FIELDS);
        Some(Request {
            title: title?,
            jobs: jobs?,
            kind: kind?,
            reason,
            author: author?,
            pr,
            submitted: submitted?,
            target_release: target_release?,
            essential: essential.unwrap_or(false),
            summary: summary?,
            readiness: readiness?,
            output: output?,
            tests: tests?,
            instructions: instructions?,
            previous_request,
            fixed,
            withdrawn,
            notes,
            scheduled,
            runs,
            approval,
        })
    }
}

impl FromNode for Readiness {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "readiness")?;
        let tested_locally = f.required(r, "tested_locally");
        let reviewers_approved = f.required(r, "reviewers_approved");
        f.finish(r, &["tested_locally", "reviewers_approved"]);
        Some(Readiness {
            tested_locally: tested_locally?,
            reviewers_approved: reviewers_approved?,
        })
    }
}

impl FromNode for Output {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "output")?;
        let success = f.required(r, "success");
        let failure = f.required(r, "failure");
        f.finish(r, &["success", "failure"]);
        Some(Output {
            success: success?,
            failure: failure?,
        })
    }
}

impl FromNode for Expectation {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "output expectation")?;
        let description = f.required(r, "description");
        let expected = f.required(r, "expected");
        f.finish(r, &["description", "expected"]);
        Some(Expectation {
            description: description?,
            expected: expected?,
        })
    }
}

impl FromNode for Tests {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "tests")?;
        let success = f.required(r, "success");
        let failure = f.required(r, "failure");
        f.finish(r, &["success", "failure"]);
        Some(Tests {
            success: success?,
            failure: failure?,
        })
    }
}

impl FromNode for Instructions {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "instructions")?;
        let verify = f.required(r, "verify");
        let on_output = f.required(r, "on_output");
        let recover = f.required(r, "recover");
        let debug = f.required(r, "debug");
        let doc = f.optional(r, "doc");
        f.finish(r, &["verify", "on_output", "recover", "debug", "doc"]);
        Some(Instructions {
            verify: verify?,
            on_output: on_output?,
            recover: recover?,
            debug: debug?,
            doc,
        })
    }
}

impl FromNode for Withdrawal {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "withdrawn")?;
        let on = f.required(r, "on");
        let reason = f.required(r, "reason");
        f.finish(r, &["on", "reason"]);
        Some(Withdrawal {
            on: on?,
            reason: reason?,
        })
    }
}

impl FromNode for Scheduled {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "scheduled")?;
        let by = f.required(r, "by");
        let on = f.required(r, "on");
        let weekend = f.required(r, "weekend");
        f.finish(r, &["by", "on", "weekend"]);
        Some(Scheduled {
            by: by?,
            on: on?,
            weekend: weekend?,
        })
    }
}

impl FromNode for Run {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "run")?;
        let job = f.optional(r, "job");
        let on = f.required(r, "on");
        let server = f.required(r, "server");
        let by = f.required(r, "by");
        let result = f.required(r, "result");
        let stdout = f.optional(r, "stdout");
        let stderr = f.optional(r, "stderr");
        let outcome_verified = f.optional(r, "outcome_verified");
        let evidence = f.optional(r, "evidence");
        let notes = f.optional(r, "notes");
        f.finish(
            r,
            &[
                "job",
                "on",
                "server",
                "by",
                "result",
                "stdout",
                "stderr",
                "outcome_verified",
                "evidence",
                "notes",
            ],
        );
        let empty = || At::new(String::new(), node.span);
        Some(Run {
            job,
            on: on?,
            server: server?,
            by: by?,
            result: result?,
            stdout: stdout.unwrap_or_else(empty),
            stderr: stderr.unwrap_or_else(empty),
            outcome_verified: outcome_verified.unwrap_or(false),
            evidence,
            notes,
        })
    }
}

impl FromNode for Approval {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "approval")?;
        let by = f.required(r, "by");
        let on = f.required(r, "on");
        let release = f.required(r, "release");
        f.finish(r, &["by", "on", "release"]);
        Some(Approval {
            by: by?,
            on: on?,
            release: release?,
        })
    }
}

impl FromNode for Month {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let text = String::from_node(node, r)?;
        let month = Month::parse(&text);
        if month.is_none() {
            r.report_with_help(
                Code::BadValue,
                node.span,
                format!("`{text}` is not a release month"),
                "write the month as \"YYYY-MM\", e.g. \"2026-12\"",
            );
        }
        month
    }
}

/// Reads one of a fixed set of words.
fn one_of<T: Copy>(node: &Node, r: &mut Reader, what: &str, choices: &[(&str, T)]) -> Option<T> {
    let text = String::from_node(node, r)?;
    let found = choices
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, v)| *v);
    if found.is_none() {
        let names: Vec<_> = choices
            .iter()
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        let help = match choices
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text.trim()))
        {
            Some((name, _)) => format!("write it in lower case: `{name}`"),
            None => format!("use {}", names.join(" or ")),
        };
        r.report_with_help(
            Code::BadValue,
            node.span,
            format!("`{text}` is not a {what}"),
            help,
        );
    }
    found
}

impl FromNode for Kind {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        one_of(
            node,
            r,
            "kind",
            &[("new", Kind::New), ("existing", Kind::Existing)],
        )
    }
}

impl FromNode for Server {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let choices = [
            ("backup", Server::Backup),
            ("test", Server::Test),
            ("production", Server::Production),
        ];
        one_of(node, r, "server", &choices)
    }
}

impl FromNode for RunResult {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let choices = [
            ("success", RunResult::Success),
            ("failure", RunResult::Failure),
            ("error", RunResult::Error),
        ];
        one_of(node, r, "run result", &choices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const VALID: &str =
        include_str!("../../tests/fixtures/valid/requests/migrate-topic-summaries.yaml");

    fn codes(text: &str) -> Vec<(Code, u32, u32)> {
        let (_, diags) = parse(text.as_bytes(), "requests/x.yaml");
        diags
            .iter()
            .map(|d| (d.code, d.span.line, d.span.column))
            .collect()
    }

    #[test]
    fn valid_request_parses_cleanly() {
        let (request, diags) = parse(VALID.as_bytes(), "requests/x.yaml");
        assert_eq!(diags, vec![]);
        let request = request.unwrap();
        assert_eq!(request.jobs[0].value, "MigrateTopicSummaryJob");
        assert_eq!(request.target_release.to_string(), "2026-12");
    }

    #[test]
    fn every_structural_problem_is_reported_at_once() {
        let text = VALID
            .replace("kind: new", "kind: brand-new")
            .replace("essential: false", "essential: maybe")
            .replace("title:", "titel:");
        let found = codes(&text);
        let kinds: Vec<Code> = found.iter().map(|c| c.0).collect();
        assert!(kinds.contains(&Code::BadValue), "{found:?}");
        assert!(kinds.contains(&Code::WrongType), "{found:?}");
        assert!(kinds.contains(&Code::UnknownField), "{found:?}");
        assert!(kinds.contains(&Code::MissingField), "{found:?}");
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let text = VALID.replace("  tested_locally: true", "  tested_locally: [yes]");
        let line = VALID
            .lines()
            .position(|l| l.starts_with("  tested_locally"))
            .unwrap() as u32
            + 1;
        assert_eq!(codes(&text), vec![(Code::WrongType, line, 19)]);
    }

    #[test]
    fn missing_nested_field_points_at_its_parent_key() {
        let text = VALID.replace("  reviewers_approved: true\n", "");
        let line = VALID
            .lines()
            .position(|l| l.starts_with("readiness:"))
            .unwrap() as u32
            + 1;
        assert_eq!(codes(&text), vec![(Code::MissingField, line, 1)]);
    }

    #[test]
    fn not_utf8_reports_the_line() {
        let mut bytes = b"title: ok\njobs: [\xff]\n".to_vec();
        bytes.push(b'\n');
        let (_, diags) = parse(&bytes, "requests/x.yaml");
        assert_eq!(diags[0].code, Code::NotUtf8);
        assert_eq!((diags[0].span.line, diags[0].span.column), (2, 8));
    }

    #[test]
    fn oversized_files_are_refused_before_parsing() {
        let big = "a".repeat(MAX_REQUEST_BYTES + 1);
        let (_, diags) = parse(big.as_bytes(), "requests/x.yaml");
        assert_eq!(diags[0].code, Code::TooLarge);
    }

    #[test]
    fn ids_are_short_lower_case_names_that_cannot_leave_their_folder() {
        let long = "a".repeat(64);
        for good in [
            "abc",
            "a-b",
            "0ab",
            "abc-",
            "migrate-topic-summaries",
            long.as_str(),
        ] {
            assert!(is_valid_id(good), "{good:?} should be valid");
        }
        let too_long = "a".repeat(65);
        let bad = [
            "",
            "ab",
            "..",
            "../etc",
            "a/b",
            "..abc",
            "abc..",
            "a\\bc",
            "Abc",
            "ABC",
            "a b",
            " abc",
            "abc ",
            "-abc",
            ".abc",
            "_abc",
            "abc_def",
            "caf\u{e9}",
            "\u{430}bc",
            "abc\u{0}",
            "\u{0}abc",
            "ab\u{0}c",
            "abc\n",
            "abc\t",
            "abc.yaml",
            "a:bc",
            too_long.as_str(),
        ];
        for id in bad {
            assert!(!is_valid_id(id), "{id:?} should be refused");
        }
    }

    #[test]
    fn request_fields_match_the_json_schema() {
        let schema = schemars::schema_for!(Request);
        let properties = schema.get("properties").unwrap().as_object().unwrap();
        let names: Vec<&str> = properties.keys().map(String::as_str).collect();
        let mut expected = REQUEST_FIELDS.to_vec();
        expected.sort_unstable();
        let mut names = names;
        names.sort_unstable();
        assert_eq!(names, expected);
    }
}
