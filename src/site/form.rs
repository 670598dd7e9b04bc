//! The request form (`/request/`): one field per field an author writes, grouped as the guide
//! explains a request, each with its description from the schema; the data the page's checker
//! loads (`request/site.json`); and the checker itself (`request/checker.wasm`), the `wasm/`
//! crate built for the browser, which a build ships when it is given one.

use std::path::Path;

use anyhow::{Context as _, bail};
use serde::Serialize;
use serde_json::{Value, json};

use crate::config::SiteConfig;
use crate::request::Loaded;

/// Where the checker is written, relative to the site's root.
pub const CHECKER: &str = "request/checker.wasm";
/// Where the form's data is written.
pub const DATA: &str = "request/site.json";

/// The browser's checker: the bytes of a WebAssembly module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checker(Vec<u8>);

impl Checker {
    /// Reads the module at `path`, refusing a file that is not one.
    pub fn read(path: &Path) -> anyhow::Result<Checker> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("reading the checker {}", path.display()))?;
        if !bytes.starts_with(b"\0asm\x01\0\0\0") {
            bail!(
                "{} is not a WebAssembly module; build the checker with `cargo build --release \
                 --target wasm32-unknown-unknown --manifest-path wasm/Cargo.toml` and pass \
                 wasm/target/wasm32-unknown-unknown/release/jobgate_wasm.wasm",
                path.display()
            );
        }
        Ok(Checker(bytes))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// How a field is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Widget {
    /// One line of text.
    Line,
    /// Markdown, as many lines as it needs.
    Text,
    /// A list of lines that grows and shrinks.
    List,
    /// Yes or no.
    Check,
    /// `new` or `existing`.
    Kind,
    /// A release still open.
    Release,
    /// A day.
    Date,
}

/// One field of the form.
#[derive(Clone, Debug, Serialize)]
pub struct Field {
    /// The field's dotted path in the schema (`output.success.expected`); `id` for the file's
    /// name.
    pub name: &'static str,
    pub label: &'static str,
    pub widget: Widget,
    /// The schema's description of the field.
    pub help: String,
    /// The description as HTML: escaped, with its `quoted` parts as code.
    pub help_html: String,
    /// Whether a request may leave it out.
    pub optional: bool,
    /// The `kind` the field is asked for, when it is asked for one kind only.
    pub for_kind: Option<&'static str>,
    /// What an "Add" button of a list says.
    pub add: &'static str,
}

/// A group of fields, under a heading.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub id: &'static str,
    pub title: &'static str,
    pub fields: Vec<Field>,
}

/// How one field is asked for; its help comes from the schema.
struct Spec {
    name: &'static str,
    label: &'static str,
    widget: Widget,
    for_kind: Option<&'static str>,
    add: &'static str,
}

const fn ask(name: &'static str, label: &'static str, widget: Widget) -> Spec {
    Spec {
        name,
        label,
        widget,
        for_kind: None,
        add: "",
    }
}

/// A list, with what its "Add" button says.
const fn list(name: &'static str, label: &'static str, add: &'static str) -> Spec {
    Spec {
        add,
        ..ask(name, label, Widget::List)
    }
}

/// A field asked for one `kind` of job only.
const fn for_kind(kind: &'static str, spec: Spec) -> Spec {
    Spec {
        for_kind: Some(kind),
        ..spec
    }
}

/// The form's groups, `(id, heading, fields)`, in the order the guide's "Requesting a test"
/// explains a request.
const LAYOUT: &[(&str, &str, &[Spec])] = &[
    (
        "about",
        "The job",
        &[
            ask("title", "Title", Widget::Line),
            list("jobs", "Jobs, in run order", "Add a job"),
            ask("kind", "Kind of job", Widget::Kind),
            for_kind("new", ask("pr", "Pull request", Widget::Line)),
            for_kind(
                "existing",
                ask("reason", "Why it must run again", Widget::Text),
            ),
            ask("author", "Your GitHub handle", Widget::Line),
            ask("submitted", "Submitted on", Widget::Date),
            ask("target_release", "Target release", Widget::Release),
            ask("essential", "Essential to the release", Widget::Check),
            ask("summary", "Summary", Widget::Text),
        ],
    ),
    (
        "readiness",
        "Before you ask",
        &[
            ask("readiness.tested_locally", "Tested locally", Widget::Check),
            ask(
                "readiness.reviewers_approved",
                "Reviewers approved",
                Widget::Check,
            ),
        ],
    ),
    (
        "output",
        "Expected output",
        &[
            ask(
                "output.success.description",
                "On success: what it prints",
                Widget::Text,
            ),
            list(
                "output.success.expected",
                "On success: expected lines",
                "Add a line",
            ),
            ask(
                "output.failure.description",
                "On failure: what it prints",
                Widget::Text,
            ),
            list(
                "output.failure.expected",
                "On failure: expected lines",
                "Add a line",
            ),
        ],
    ),
    (
        "tests",
        "Backend tests",
        &[
            list("tests.success", "Tests of success", "Add a test"),
            list("tests.failure", "Tests of failure", "Add a test"),
        ],
    ),
    (
        "instructions",
        "Instructions for the coordinator",
        &[
            ask("instructions.verify", "How to verify", Widget::Text),
            ask(
                "instructions.on_output",
                "What to do with the output",
                Widget::Text,
            ),
            ask("instructions.recover", "How to recover", Widget::Text),
            ask("instructions.debug", "How to debug", Widget::Text),
            ask(
                "instructions.doc",
                "Longer document (optional)",
                Widget::Line,
            ),
        ],
    ),
    (
        "more",
        "Notes and resubmissions",
        &[
            ask("notes", "Notes (optional)", Widget::Text),
            ask(
                "previous_request",
                "Replaces the failed request (optional)",
                Widget::Line,
            ),
            ask("fixed", "What was fixed (for a resubmission)", Widget::Text),
        ],
    ),
];

/// The form's groups, with the schema's descriptions as help; made once, since they depend on
/// nothing but the schema.
pub fn groups() -> &'static [Group] {
    static GROUPS: std::sync::LazyLock<Vec<Group>> = std::sync::LazyLock::new(make_groups);
    &GROUPS
}

fn make_groups() -> Vec<Group> {
    let schema: Value =
        serde_json::from_str(&crate::request::json_schema()).expect("the schema is JSON");
    LAYOUT
        .iter()
        .map(|&(id, title, fields)| Group {
            id,
            title,
            fields: fields
                .iter()
                .map(|spec| {
                    let (help, required) = describe(&schema, spec.name);
                    Field {
                        name: spec.name,
                        label: spec.label,
                        widget: spec.widget,
                        help_html: code_spans(&help),
                        help,
                        optional: !required,
                        for_kind: spec.for_kind,
                        add: spec.add,
                    }
                })
                .collect(),
        })
        .collect()
}

/// `text` as HTML: escaped, each part between backticks in `<code>`.
fn code_spans(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = crate::markdown::escape_attr(part);
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part
            }
        })
        .collect()
}

/// The description of the field at a dotted path, and whether its object requires it.
fn describe(schema: &Value, path: &str) -> (String, bool) {
    let mut node = schema;
    let mut required = true;
    for key in path.split('.') {
        let object = resolve(schema, node);
        required &= object["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|k| k == key));
        node = &object["properties"][key];
    }
    let description = node["description"].as_str().unwrap_or_default();
    (description.to_owned(), required)
}

/// The definition a `$ref` points at, or the node itself.
fn resolve<'a>(schema: &'a Value, node: &'a Value) -> &'a Value {
    match node["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        Some(name) => &schema["$defs"][name],
        None => node,
    }
}

/// The text of `request/site.json`: what the page's checker loads (the settings and every
/// other request, as `jobgate check` sees them), the build's version, and where the checker
/// stands relative to this file, or `null` when the build ships none.
pub fn data(config: &SiteConfig, requests: &[Loaded], checker: bool) -> String {
    let requests: Vec<Value> = requests
        .iter()
        .map(|l| json!({"id": l.id, "text": l.text}))
        .collect();
    let beside = CHECKER.rsplit('/').next();
    let data = json!({
        "version": crate::VERSION,
        "checker": beside.filter(|_| checker),
        "settings": config.source,
        "requests": requests,
    });
    let mut text = serde_json::to_string(&data).expect("the form's data serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks of a request that only the roles' commands write.
    const NOT_AN_AUTHORS: &[&str] = &["scheduled", "runs", "approval", "withdrawn"];

    /// Every field of the schema an author writes, as dotted paths of leaves.
    fn author_fields(schema: &Value, node: &Value, prefix: &str, out: &mut Vec<String>) {
        let object = resolve(schema, node);
        let Some(properties) = object["properties"].as_object() else {
            out.push(prefix.to_owned());
            return;
        };
        for (key, value) in properties {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            if !NOT_AN_AUTHORS.contains(&path.as_str()) {
                author_fields(schema, value, &path, out);
            }
        }
    }

    #[test]
    fn the_form_asks_for_every_field_an_author_writes_once_each_with_its_help() {
        let schema: Value = serde_json::from_str(&crate::request::json_schema()).unwrap();
        let mut wanted = Vec::new();
        author_fields(&schema, &schema, "", &mut wanted);
        wanted.sort();
        let groups = groups();
        let mut asked: Vec<String> = groups
            .iter()
            .flat_map(|g| g.fields.iter().map(|f| f.name.to_owned()))
            .collect();
        asked.sort();
        assert_eq!(asked, wanted);
        for field in groups.iter().flat_map(|g| &g.fields) {
            assert!(!field.help.is_empty(), "{} has no help", field.name);
            assert_eq!(
                field.widget == Widget::List,
                !field.add.is_empty(),
                "{}",
                field.name
            );
        }
        let optional: Vec<&str> = groups
            .iter()
            .flat_map(|g| &g.fields)
            .filter(|f| f.optional)
            .map(|f| f.name)
            .collect();
        assert_eq!(
            optional,
            [
                "pr",
                "reason",
                "essential",
                "instructions.doc",
                "notes",
                "previous_request",
                "fixed"
            ]
        );
    }

    #[test]
    fn help_is_escaped_with_its_quoted_parts_as_code() {
        assert_eq!(
            code_spans("The `<n>` & 'x' \"y\" `open"),
            "The <code>&lt;n&gt;</code> &amp; &#39;x&#39; &quot;y&quot; <code>open</code>"
        );
    }

    #[test]
    fn a_file_that_is_not_webassembly_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("checker.wasm");
        std::fs::write(&path, b"<html>").unwrap();
        let error = Checker::read(&path).unwrap_err().to_string();
        assert!(error.contains("is not a WebAssembly module"), "{error}");
        std::fs::write(&path, b"\0asm\x01\0\0\0rest").unwrap();
        assert_eq!(Checker::read(&path).unwrap().bytes().len(), 12);
    }
}
