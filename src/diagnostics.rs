//! Problems found in the user's files, and the three ways of showing them.
//!
//! Every rule jobgate enforces has one stable code in [`CODES`]; the table's doc lines are
//! also the README's list of checks, so the two cannot drift apart. Problems are collected,
//! never thrown: one run reports everything it finds in every file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// Where a problem sits in a file. Lines and columns are 1-based; `offset` and `len` are bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
    pub len: usize,
}

impl Span {
    /// The start of a file, for problems that concern the file as a whole.
    pub const FILE: Span = Span {
        line: 1,
        column: 1,
        offset: 0,
        len: 0,
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $severity:ident, $doc:literal; )*) => {
        /// A stable identifier for one rule.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        /// Every rule: its code, default severity and the one line that documents it.
        pub const CODES: &[(Code, &str, Severity, &str)] = &[
            $( (Code::$variant, $code, Severity::$severity, $doc), )*
        ];
    };
}

codes! {
    NotUtf8 = "JG001", Error, "A file is not valid UTF-8.";
    EmptyFile = "JG002", Error, "A request or settings file is empty.";
    YamlSyntax = "JG003", Error, "A file is not well-formed YAML.";
    TooLarge = "JG004", Error, "A file exceeds a size, nesting or alias limit (256 KiB per request).";
    BadId = "JG005", Error, "A request or guide page is misnamed: its name is not a valid id (`^[a-z0-9][a-z0-9-]{2,63}$`), or a request file does not end in `.yaml`.";
    Unreadable = "JG006", Error, "A file or folder cannot be read, or is a symbolic link (links are not followed).";
    LoneCarriageReturn = "JG007", Error, "A carriage return (CR) not followed by a line feed: GitHub and editors do not start a new line there, YAML would.";
    UnknownField = "JG101", Error, "A field that schema v1 does not define.";
    WrongType = "JG102", Error, "A field holds the wrong kind of value (text, list, map, date, true/false).";
    MissingField = "JG103", Error, "A required field is missing.";
    BadValue = "JG104", Error, "A value is not one of those allowed (kind, server, result, month, weekday...).";
    BadDate = "JG105", Error, "A date is not a real calendar date in `YYYY-MM-DD` form.";
    MultilineTitle = "JG106", Error, "A title spans more than one line.";
    DuplicateField = "JG107", Error, "A field is written twice in the same map.";
    ConditionalField = "JG201", Error, "`reason` is required for existing jobs, `pr` for new ones, `fixed` with `previous_request`.";
    BadPr = "JG202", Error, "`pr` is not a pull request of the configured repository.";
    BadHandle = "JG203", Error, "A GitHub handle is malformed.";
    FutureDate = "JG204", Error, "`submitted` (or another recorded date) is after today.";
    NotReady = "JG205", Error, "A readiness item is not true.";
    EmptyList = "JG206", Error, "A list that needs at least one entry (jobs, patterns, tests) is empty.";
    Placeholder = "JG207", Error, "An instruction or description is empty or a placeholder (TODO, TBD, ...).";
    BadUrl = "JG208", Error, "A URL is not http(s), or a markdown link uses a scheme other than http(s), mailto or a relative path.";
    BadPattern = "JG209", Error, "An output pattern or test reference is malformed.";
    PatternLimit = "JG210", Error, "An output list has more than 50 patterns, or a pattern more than 500 characters or 16 placeholders.";
    UnknownRequest = "JG301", Error, "`previous_request` names a request that does not exist.";
    BadWeekend = "JG302", Error, "The scheduled weekend is not a run day, or is before `submitted`.";
    RunOrder = "JG303", Error, "A run is dated before `submitted`, or runs are not in date order.";
    RunOutput = "JG304", Warning, "A run record is internally odd (`result: failure` with no stderr); a run whose output does not match is not an error, it makes the request `failed`.";
    ApprovalRole = "JG305", Error, "`approval.by` is not an admin, or `scheduled`/`runs` are recorded by someone who is not a coordinator or admin.";
    ApprovalEarly = "JG306", Error, "Approval without a passing backup run (success, matching output, outcome verified) dated on or before it.";
    ApprovalRelease = "JG307", Error, "Approval is for an earlier release than the target (a later one is warning JG308).";
    ApprovalLater = "JG308", Warning, "Approval is for a later release than the target.";
    LateSubmission = "JG309", Warning, "Submitted after the target release's recommended date.";
    DuplicateJob = "JG310", Warning, "The same job is requested by two open requests for the same release.";
    Withdrawn = "JG311", Error, "The withdrawal date is before `submitted` or after today.";
    ClosedRelease = "JG312", Error, "The target release was already closed on `submitted` (its last submission day had passed), and no coordinator has scheduled the request.";
    GuardRole = "JG401", Error, "An admin-only field was added, changed or removed by someone without the role.";
    GuardNew = "JG402", Error, "A new request names an author other than who files it, or arrives with admin-only fields, from someone without a role.";
    GuardAuthor = "JG403", Error, "An author field was changed by someone who is neither the request's author nor a coordinator or admin.";
    GuardFrozen = "JG404", Error, "What runs (`jobs`, `pr`, `output`, `tests`, `instructions`, `kind`, `target_release`) changed after scheduling without a role, or it or `runs` changed after approval without an admin.";
    GuardWithdraw = "JG405", Error, "A request was withdrawn, or its withdrawal taken back, by someone who is neither its author nor a coordinator or admin.";
    GuardDelete = "JG406", Error, "A request file was deleted (or renamed) by someone who is not a coordinator or admin.";
    GuardSettings = "JG407", Error, "`content/site.yaml` was changed by someone who is not an admin at the base.";
    FrontMatter = "JG501", Error, "A guide page lacks front matter, or it has unknown or missing fields.";
    BrokenLink = "JG502", Error, "A guide link points at a missing page, anchor or request.";
    BadConfig = "JG601", Error, "`content/site.yaml` has a missing or invalid setting.";
    ThemeCollision = "JG602", Error, "A theme file would replace a page or file the build writes (`index.html`, `api/`, `jobs/`...).";
}

impl Code {
    fn entry(self) -> &'static (Code, &'static str, Severity, &'static str) {
        // The table is generated in variant order, so the discriminant is the index.
        &CODES[self as usize]
    }
    pub fn as_str(self) -> &'static str {
        self.entry().1
    }
    pub fn severity(self) -> Severity {
        self.entry().2
    }
    pub fn doc(self) -> &'static str {
        self.entry().3
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    /// What few diagnostics have, kept aside so a diagnostic stays small.
    pub more: Option<Box<More>>,
}

/// The rarer parts of a diagnostic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct More {
    /// A second place that belongs to the problem (the first of two equal keys), and its label.
    pub related: Option<(Span, String)>,
    /// Background in other words, such as the YAML parser's own message.
    pub note: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, file: &str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: file.to_owned(),
            span,
            message: message.into(),
            help: None,
            more: None,
        }
    }

    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.more.get_or_insert_default().related = Some((span, label.into()));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.more.get_or_insert_default().note = Some(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(&self) -> Option<&(Span, String)> {
        self.more.as_ref()?.related.as_ref()
    }

    pub fn note(&self) -> Option<&str> {
        self.more.as_ref()?.note.as_deref()
    }

    fn sort_key(&self) -> (&str, u32, u32, Code, &str) {
        (
            &self.file,
            self.span.line,
            self.span.column,
            self.code,
            &self.message,
        )
    }
}

/// Orders diagnostics by file and position so output never depends on thread scheduling.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

pub fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// The text of each file that has diagnostics, keyed by its relative path, for snippets.
pub type Sources = BTreeMap<String, String>;

/// rustc-style output: the offending value underlined under its line, then the help.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
        let mut report = vec![];
        match sources.get(&d.file) {
            Some(text) if d.span.offset <= text.len() => {
                let end = snap_to_char(text, d.span.offset + d.span.len);
                let start = snap_to_char(text, d.span.offset);
                let mut snippet = Snippet::source(text.as_str())
                    .line_start(1)
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end.max(start)));
                if let Some((span, label)) = d.related() {
                    let start = snap_to_char(text, span.offset);
                    let end = snap_to_char(text, span.offset + span.len).max(start);
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(start..end)
                            .label(label.as_str()),
                    );
                }
                report.push(title.element(snippet));
            }
            _ => {
                let origin = format!("{}:{}:{}", d.file, d.span.line, d.span.column);
                report.push(title.element(annotate_snippets::Origin::path(origin)));
            }
        }
        if let Some(help) = &d.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        if let Some(note) = d.note() {
            report.push(Group::with_title(Level::NOTE.secondary_title(note)));
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
}

fn snap_to_char(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One line per diagnostic, `file:line:column: severity[CODE]: message`.
pub fn render_short(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {severity}[{}]: {}",
            d.file,
            d.span.line,
            d.span.column,
            d.code.as_str(),
            d.message
        );
    }
    out
}

/// GitHub Actions workflow commands, so each problem is annotated on its line of the PR.
///
/// GitHub shows at most ten annotations of a kind per step, so the full list follows in
/// plain form. Messages quote the file's text, so in that list line breaks are written as
/// `\n`: a raw one would start a log line that GitHub reads as a command of its own.
pub fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            escape_property(&d.file),
            d.span.line,
            d.span.column,
            escape_property(d.code.as_str()),
            escape_data(&github_message(d)),
        );
    }
    let plain: Vec<Diagnostic> = diagnostics
        .iter()
        .map(|d| Diagnostic {
            file: one_line(&d.file),
            message: one_line(&github_message(d)),
            ..d.clone()
        })
        .collect();
    out.push_str(&render_short(&plain));
    out
}

/// The annotation's text: the message, where the related place is, then the help line.
fn github_message(d: &Diagnostic) -> String {
    let message = match d.related() {
        Some((span, label)) => format!(
            "{} ({label}: line {}, column {})",
            d.message, span.line, span.column
        ),
        None => d.message.clone(),
    };
    match &d.help {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message,
    }
}

fn one_line(s: &str) -> String {
    s.replace('\r', "\\r").replace('\n', "\\n")
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    severity: Severity,
    code: Code,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    related: Option<JsonRelated<'a>>,
}

/// The second place of a problem, such as the first of two equal keys; only when there is one.
#[derive(Serialize)]
struct JsonRelated<'a> {
    line: u32,
    column: u32,
    label: &'a str,
}

/// The stable JSON shape documented in the README.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let report = JsonReport {
        errors: count(diagnostics, Severity::Error),
        warnings: count(diagnostics, Severity::Warning),
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                file: &d.file,
                line: d.span.line,
                column: d.span.column,
                severity: d.severity,
                code: d.code,
                message: &d.message,
                help: d.help.as_deref(),
                related: d.related().map(|(span, label)| JsonRelated {
                    line: span.line,
                    column: span.column,
                    label,
                }),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).expect("plain data serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_index_matches_variant() {
        for (i, (code, ..)) in CODES.iter().enumerate() {
            assert_eq!(*code as usize, i);
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (_, id, ..) in CODES {
            assert!(seen.insert(*id), "{id} twice");
        }
    }

    /// Found while writing the `request` fuzz target, which checks that the GitHub format
    /// has one workflow command per problem: a quoted value with a line break in it put a
    /// line of the file's choosing at the start of a log line.
    #[test]
    fn github_plain_list_cannot_start_a_workflow_command() {
        let d = Diagnostic::new(
            Code::BadDate,
            "requests/x.yaml",
            Span::FILE,
            "`2026-11-01\n::warning file=a::fake\r\n::stop-commands::x` is not a calendar date",
        );
        let out = render_github(&[d]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[0].starts_with("::error file=requests/x.yaml,"),
            "{out}"
        );
        assert_eq!(
            lines[1],
            "requests/x.yaml:1:1: error[JG105]: `2026-11-01\\n::warning file=a::fake\\r\\n::stop-commands::x` is not a calendar date"
        );
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let d = Diagnostic::new(
            Code::BadValue,
            "requests/a,b.yaml",
            Span::FILE,
            "50% bad\nnext: line",
        );
        let out = render_github(&[d]);
        let first = out.lines().next().unwrap();
        assert_eq!(
            first,
            "::error file=requests/a%2Cb.yaml,line=1,col=1,title=JG104::50%25 bad%0Anext: line"
        );
    }
}
