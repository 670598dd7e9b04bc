//! The rules that judge one value by itself: the title, every text, handle, URL, job name,
//! list, pattern and test reference, and the two readiness confirmations.
//!
//! They run on a complete request and, through [`Values::from_node`], on whatever parsed of an
//! incomplete one, so that a missing field elsewhere never hides a bad value: an author sees
//! every mistake in one run. The rules that weigh fields against each other, the calendar or
//! other requests need a complete request and stay in [`super::validate`].

use std::collections::HashMap;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::markdown;
use crate::yaml::{self, At, FromNode, Node, Reader};

use super::super::Request;
use super::values::*;
use super::{MAX_PATTERN_CHARS, MAX_PATTERNS, MAX_PLACEHOLDERS, MAX_TITLE_CHARS};

/// Who a handle must be to stand where it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Anyone: the author.
    Anyone,
    /// A coordinator or admin, who may do `what` ("schedule requests", "record runs").
    Coordinator(&'static str),
    /// An admin: the approver.
    Admin,
}

/// A text field: its name in messages, its value, and whether it must say something real
/// (placeholders and empty text are refused) or is free (notes, evidence).
#[derive(Clone, Debug)]
pub struct Text {
    pub name: &'static str,
    pub value: At<String>,
    pub required: bool,
}

/// The values of a request that the single-value rules judge. Each is present when it was
/// written with the right type.
#[derive(Clone, Debug, Default)]
pub struct Values {
    pub title: Option<At<String>>,
    pub texts: Vec<Text>,
    pub handles: Vec<(Role, At<String>)>,
    pub pr: Option<At<String>>,
    pub doc: Option<At<String>>,
    pub readiness: Vec<(&'static str, At<bool>)>,
    /// The lists that need an entry: name, where, how many entries.
    pub lists: Vec<(&'static str, Span, usize)>,
    pub jobs: Vec<At<String>>,
    /// `output.success.expected`, then `output.failure.expected`.
    pub patterns: Vec<(&'static str, Vec<At<String>>)>,
    /// `tests.success`, then `tests.failure`.
    pub tests: Vec<At<String>>,
}

impl Values {
    /// The values of a complete request.
    pub fn of(r: &Request) -> Values {
        let text = |name, value: &At<String>, required| Text {
            name,
            value: value.clone(),
            required,
        };
        let mut texts = vec![
            text("summary", &r.summary, true),
            text("instructions.verify", &r.instructions.verify, true),
            text("instructions.on_output", &r.instructions.on_output, true),
            text("instructions.recover", &r.instructions.recover, true),
            text("instructions.debug", &r.instructions.debug, true),
            text(
                "output.success.description",
                &r.output.success.description,
                true,
            ),
            text(
                "output.failure.description",
                &r.output.failure.description,
                true,
            ),
        ];
        texts.extend(r.reason.iter().map(|t| text("reason", t, true)));
        texts.extend(r.fixed.iter().map(|t| text("fixed", t, true)));
        texts.extend(
            r.withdrawn
                .iter()
                .map(|w| text("withdrawn.reason", &w.reason, true)),
        );
        texts.extend(r.notes.iter().map(|t| text("notes", t, false)));
        for run in &r.runs {
            texts.extend(
                run.evidence
                    .iter()
                    .map(|t| text("runs[].evidence", t, false)),
            );
            texts.extend(run.notes.iter().map(|t| text("runs[].notes", t, false)));
        }
        let mut handles = vec![(Role::Anyone, r.author.clone())];
        handles.extend(
            r.scheduled
                .iter()
                .map(|s| (Role::Coordinator("schedule requests"), s.by.clone())),
        );
        handles.extend(
            r.runs
                .iter()
                .map(|run| (Role::Coordinator("record runs"), run.by.clone())),
        );
        handles.extend(r.approval.iter().map(|a| (Role::Admin, a.by.clone())));
        let list = |name, items: &At<Vec<At<String>>>| (name, items.span, items.len());
        Values {
            title: Some(r.title.clone()),
            texts,
            handles,
            pr: r.pr.clone(),
            doc: r.instructions.doc.clone(),
            readiness: vec![
                ("tested_locally", r.readiness.tested_locally.clone()),
                ("reviewers_approved", r.readiness.reviewers_approved.clone()),
            ],
            lists: vec![
                list("jobs", &r.jobs),
                list("output.success.expected", &r.output.success.expected),
                list("output.failure.expected", &r.output.failure.expected),
                list("tests.success", &r.tests.success),
                list("tests.failure", &r.tests.failure),
            ],
            jobs: r.jobs.value.clone(),
            patterns: vec![
                ("success", r.output.success.expected.value.clone()),
                ("failure", r.output.failure.expected.value.clone()),
            ],
            tests: r
                .tests
                .success
                .iter()
                .chain(r.tests.failure.iter())
                .cloned()
                .collect(),
        }
    }

    /// The values that parsed of a request whose YAML was read but which is incomplete or has
    /// values of the wrong type: each one written with the right type, wherever it stands.
    pub fn from_node(node: &Node, file: &str) -> Values {
        let mut quiet = Reader::new(file);
        let at = |path: &[&str]| -> Option<&Node> {
            path.iter().try_fold(node, |n, key| match &n.value {
                yaml::Value::Map(entries) => {
                    entries.iter().find(|(k, _)| k.name == *key).map(|e| &e.1)
                }
                _ => None,
            })
        };
        let string = |n: Option<&Node>, r: &mut Reader| {
            n.filter(|n| matches!(n.value, yaml::Value::Str(_)))
                .and_then(|n| At::<String>::from_node(n, r))
        };
        let strings = |n: Option<&Node>, r: &mut Reader| -> Vec<At<String>> {
            match n.map(|n| &n.value) {
                Some(yaml::Value::Seq(items)) => items
                    .iter()
                    .filter_map(|item| string(Some(item), r))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let mut values = Values {
            title: string(at(&["title"]), &mut quiet),
            pr: string(at(&["pr"]), &mut quiet),
            doc: string(at(&["instructions", "doc"]), &mut quiet),
            jobs: strings(at(&["jobs"]), &mut quiet),
            ..Values::default()
        };
        for (name, path, required) in [
            ("summary", &["summary"][..], true),
            ("instructions.verify", &["instructions", "verify"], true),
            (
                "instructions.on_output",
                &["instructions", "on_output"],
                true,
            ),
            ("instructions.recover", &["instructions", "recover"], true),
            ("instructions.debug", &["instructions", "debug"], true),
            (
                "output.success.description",
                &["output", "success", "description"],
                true,
            ),
            (
                "output.failure.description",
                &["output", "failure", "description"],
                true,
            ),
            ("reason", &["reason"], true),
            ("fixed", &["fixed"], true),
            ("withdrawn.reason", &["withdrawn", "reason"], true),
            ("notes", &["notes"], false),
        ] {
            if let Some(value) = string(at(path), &mut quiet) {
                values.texts.push(Text {
                    name,
                    value,
                    required,
                });
            }
        }
        values
            .handles
            .extend(string(at(&["author"]), &mut quiet).map(|h| (Role::Anyone, h)));
        values.handles.extend(
            string(at(&["scheduled", "by"]), &mut quiet)
                .map(|h| (Role::Coordinator("schedule requests"), h)),
        );
        values
            .handles
            .extend(string(at(&["approval", "by"]), &mut quiet).map(|h| (Role::Admin, h)));
        if let Some(yaml::Value::Seq(runs)) = at(&["runs"]).map(|n| &n.value) {
            for run in runs {
                let field = |key: &str| match &run.value {
                    yaml::Value::Map(entries) => {
                        entries.iter().find(|(k, _)| k.name == key).map(|e| &e.1)
                    }
                    _ => None,
                };
                values.handles.extend(
                    string(field("by"), &mut quiet).map(|h| (Role::Coordinator("record runs"), h)),
                );
                for (name, key) in [("runs[].evidence", "evidence"), ("runs[].notes", "notes")] {
                    if let Some(value) = string(field(key), &mut quiet) {
                        values.texts.push(Text {
                            name,
                            value,
                            required: false,
                        });
                    }
                }
            }
        }
        for name in ["tested_locally", "reviewers_approved"] {
            let value = at(&["readiness", name])
                .filter(|n| matches!(n.value, yaml::Value::Bool(_)))
                .and_then(|n| At::<bool>::from_node(n, &mut quiet));
            values.readiness.extend(value.map(|v| (name, v)));
        }
        for (name, path) in [
            ("jobs", &["jobs"][..]),
            (
                "output.success.expected",
                &["output", "success", "expected"],
            ),
            (
                "output.failure.expected",
                &["output", "failure", "expected"],
            ),
            ("tests.success", &["tests", "success"]),
            ("tests.failure", &["tests", "failure"]),
        ] {
            if let Some(n) = at(path)
                && let yaml::Value::Seq(items) = &n.value
            {
                values.lists.push((name, n.span, items.len()));
            }
        }
        for kind in ["success", "failure"] {
            values
                .patterns
                .push((kind, strings(at(&["output", kind, "expected"]), &mut quiet)));
            values
                .tests
                .extend(strings(at(&["tests", kind]), &mut quiet));
        }
        values
    }
}

/// Every single-value rule on `values`, pushed to `found`.
pub fn rules(file: &str, values: &Values, config: &SiteConfig, found: &mut Vec<Diagnostic>) {
    let mut report = |code, span, message: String, help: String| {
        found.push(Diagnostic::new(code, file, span, message).with_help(help));
    };
    if let Some(title) = &values.title {
        title_rules(title, &mut report);
    }
    for text in &values.texts {
        text_rules(text, &mut report);
    }
    for (role, handle) in &values.handles {
        handle_rules(*role, handle, config, &mut report);
    }
    if let Some(pr) = &values.pr {
        pr_rules(pr, config, &mut report);
    }
    if let Some(doc) = values.doc.as_ref().filter(|doc| !is_http_url(doc)) {
        report(
            Code::BadUrl,
            doc.span,
            format!(
                "`instructions.doc` must be an http(s) URL, found `{}`",
                shorten(doc)
            ),
            "link a document anyone on the release team can open, e.g. https://docs.google.com/..."
                .into(),
        );
    }
    for (name, value) in &values.readiness {
        if !value.value {
            report(
                Code::NotReady,
                value.span,
                format!("`readiness.{name}` must be true"),
                "ask for a backup-server run only after the job was run locally and every \
                 reviewer approved its pull request"
                    .into(),
            );
        }
    }
    for (name, span, len) in &values.lists {
        if *len == 0 {
            report(
                Code::EmptyList,
                *span,
                format!("`{name}` needs at least one entry"),
                "write each entry on its own line under the key, starting with `- `".into(),
            );
        }
    }
    job_rules(&values.jobs, &mut report);
    for (kind, patterns) in &values.patterns {
        pattern_rules(kind, patterns, &mut report);
    }
    for test in &values.tests {
        if let Some(problem) = test_reference_problem(test) {
            report(
                Code::BadPattern,
                test.span,
                format!("not a test reference: {problem}"),
                "write `path/to/x_test.py::Class::test_name` (or `path/to/x_test.py::test_name`)"
                    .into(),
            );
        }
    }
}

type Report<'r> = dyn FnMut(Code, Span, String, String) + 'r;

/// JG106, JG104 and JG207 for the title: one short, real line.
fn title_rules(title: &At<String>, report: &mut Report) {
    // Tested as written, not trimmed: a carriage return at either end breaks a feed or a
    // calendar line as surely as one in the middle. Only the one line end that a block
    // scalar (`title: |`) adds is not part of the title.
    let written = title.strip_suffix('\n').unwrap_or(&title.value);
    let text = title.trim();
    if written.contains(['\n', '\r']) {
        report(
            Code::MultilineTitle,
            title.span,
            "the title spans more than one line".into(),
            "keep the title to one line; details belong in `summary`".into(),
        );
    }
    let chars = text.chars().count();
    if chars > MAX_TITLE_CHARS {
        report(
            Code::BadValue,
            title.span,
            format!("the title is {chars} characters long; the limit is {MAX_TITLE_CHARS}"),
            "shorten it; details belong in `summary`".into(),
        );
    }
    if is_placeholder(text) {
        placeholder("title", title, report);
    }
}

/// JG207 for a text that must say something real; JG208 for links in every markdown field.
fn text_rules(text: &Text, report: &mut Report) {
    if text.required && is_placeholder(&text.value) {
        placeholder(text.name, &text.value, report);
    }
    // A refused link always has a scheme, and a scheme needs a colon, written as such or as a
    // character reference (`&colon;`, `&#58;`).
    if !text.value.contains([':', '&']) {
        return;
    }
    for target in markdown::render(&text.value).refused_links {
        report(
            Code::BadUrl,
            text.value.span,
            format!("`{}` links to `{}`", text.name, shorten(&target)),
            "links may only be http(s), mailto or relative; write the address as text instead"
                .into(),
        );
    }
}

fn placeholder(name: &str, text: &At<String>, report: &mut Report) {
    let message = if text.trim().is_empty() {
        format!("`{name}` is empty")
    } else {
        format!("`{name}` is a placeholder (`{}`)", shorten(text.trim()))
    };
    report(
        Code::Placeholder,
        text.span,
        message,
        "write the real text: the coordinator relies on it to run and check the job".into(),
    );
}

/// JG203 for a malformed handle; JG305 for one without the role its place needs.
fn handle_rules(role: Role, handle: &At<String>, config: &SiteConfig, report: &mut Report) {
    if !is_github_handle(handle) {
        let help = match handle.strip_prefix('@') {
            Some(bare) if is_github_handle(bare) => format!("write it without the `@`: `{bare}`"),
            _ => "a GitHub handle is 1–39 letters, digits or single hyphens, not starting or \
                  ending with `-`, written without `@`"
                .to_owned(),
        };
        report(
            Code::BadHandle,
            handle.span,
            format!("`{}` is not a GitHub handle", shorten(handle)),
            help,
        );
        return;
    }
    match role {
        Role::Anyone => {}
        Role::Coordinator(what) if !config.is_coordinator(handle) => {
            let mut allowed = config.coordinators.clone();
            allowed.extend(config.admins.iter().cloned());
            report(
                Code::ApprovalRole,
                handle.span,
                format!(
                    "`{}` is not a coordinator or admin and may not {what}",
                    handle.value
                ),
                format!(
                    "coordinators and admins are listed in content/site.yaml: {}",
                    list(&allowed)
                ),
            );
        }
        Role::Admin if !config.is_admin(handle) => report(
            Code::ApprovalRole,
            handle.span,
            format!("`{}` is not an admin and may not approve", handle.value),
            format!(
                "admins are listed in content/site.yaml: {}",
                list(&config.admins)
            ),
        ),
        Role::Coordinator(_) | Role::Admin => {}
    }
}

/// JG208 and JG202 for the pull request.
fn pr_rules(pr: &At<String>, config: &SiteConfig, report: &mut Report) {
    let example = format!("https://github.com/{}/pull/12345", config.repository);
    if !is_http_url(pr) {
        report(
            Code::BadUrl,
            pr.span,
            format!("`pr` must be an https URL, found `{}`", shorten(pr)),
            format!("link the job's pull request, e.g. {example}"),
        );
    } else if !is_pull_request_of(pr, &config.repository) {
        report(
            Code::BadPr,
            pr.span,
            format!("`pr` must be a pull request of {}", config.repository),
            format!("write it as {example}"),
        );
    }
}

/// JG104 for job names that are not class names or are repeated.
fn job_rules(jobs: &[At<String>], report: &mut Report) {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for job in jobs {
        if !is_class_name(job) {
            report(
                Code::BadValue,
                job.span,
                format!("`{}` is not a job class name", shorten(job)),
                "name the job's Python class, e.g. `MigrateTopicSummaryJob`".into(),
            );
        }
        if let Some(first) = seen.insert(job.as_str(), job.span.line) {
            seen.insert(job.as_str(), first);
            report(
                Code::BadValue,
                job.span,
                format!("`{}` is listed twice (first on line {first})", job.value),
                "remove this entry".into(),
            );
        }
    }
}

/// JG210 for lists and patterns beyond the matching budget; JG209 for each pattern's mistakes.
fn pattern_rules(kind: &str, expected: &[At<String>], report: &mut Report) {
    if let Some(extra) = expected.get(MAX_PATTERNS) {
        report(
            Code::PatternLimit,
            extra.span,
            format!(
                "`output.{kind}.expected` has {} patterns; at most {MAX_PATTERNS} are matched",
                expected.len()
            ),
            "a job reports aggregate output: a few lines, one pattern each; merge patterns \
             that differ only in a number with `<n>`"
                .into(),
        );
    }
    for pattern in expected {
        let placeholders = pattern.matches("<n>").count() + pattern.matches("<any>").count();
        let chars = pattern.chars().count();
        if chars > MAX_PATTERN_CHARS || placeholders > MAX_PLACEHOLDERS {
            report(
                Code::PatternLimit,
                pattern.span,
                format!(
                    "this pattern has {chars} characters and {placeholders} placeholders; the \
                     limits are {MAX_PATTERN_CHARS} and {MAX_PLACEHOLDERS}"
                ),
                "match the line's fixed words and use one `<any>` for the varying rest".into(),
            );
        }
        for (message, help) in pattern_problems(pattern) {
            report(Code::BadPattern, pattern.span, message, help);
        }
    }
}
