//! YAML as a tree that remembers where every key and value stands.
//!
//! Parsing goes through serde-saphyr (bounded aliases, depth and node counts, spans on every
//! value). Beside this file: [`read`] reads the tree into schema structs (by hand rather than
//! by `#[derive(Deserialize)]`, because serde stops at the first mistake and an author should
//! see every mistake in a file at once), `syntax` tells the common syntax mistakes in plain
//! words, and [`recover`] reads a file on past its syntax errors.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::diagnostics::{Code, Diagnostic, Span};

pub mod read;
pub mod recover;
pub mod scalar;
mod syntax;

pub use read::{At, Fields, FromNode, Reader, parse_date};
pub use recover::parse_recovering;
use recover::{NOT_CHECKED, scoped};

/// One YAML value and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Value {
    /// What a person would call this kind of value, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }
}

/// The most text one file may expand to, keys and values together, aliases included: four
/// times the largest request file. A file that repeats a long string through aliases would
/// otherwise cost memory without bound; stated in the README.
pub const MAX_EXPANDED_BYTES: usize = 1 << 20;

/// The words of the error that [`spend`] stops a parse with.
const EXPANDED_TOO_FAR: &str = "expanded-text budget";

thread_local! {
    /// The text the file being parsed on this thread has expanded to so far.
    static EXPANDED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `bytes` more of expanded text, failing the parse once they pass the budget.
fn spend<E: serde::de::Error>(bytes: usize) -> Result<(), E> {
    EXPANDED.with(|spent| {
        let total = spent.get().saturating_add(bytes);
        spent.set(total);
        if total > MAX_EXPANDED_BYTES {
            Err(E::custom(EXPANDED_TOO_FAR))
        } else {
            Ok(())
        }
    })
}

/// The value as written, for serde-saphyr to fill; positions are added by `Spanned`.
pub(crate) enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = Raw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Raw, E> {
                Ok(Raw::Int(n))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Raw, E> {
                Ok(i64::try_from(n).map_or(Raw::Float(n as f64), Raw::Int))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Raw, E> {
                Ok(Raw::Float(n))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Raw, E> {
                spend(s.len())?;
                Ok(Raw::Str(s.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Raw, E> {
                spend(s.len())?;
                Ok(Raw::Str(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Raw::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Raw::Map(entries))
            }
        }
        d.deserialize_any(RawVisitor)
    }
}

/// Where each line of a text starts, to turn byte offsets into lines and columns as GitHub
/// and editors count them: a line ends at LF (so also at CRLF); a lone CR does not end one.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// A span of `len` bytes at `offset`, both clamped into the text, with its line and column
    /// (1-based; the column counts characters).
    pub fn span(&self, offset: usize, len: usize) -> Span {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let index = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[index];
        let column = self.text[start..offset].chars().count() + 1;
        Span {
            line: u32::try_from(index + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            offset,
            len: len.min(self.text.len() - offset),
        }
    }

    /// The span of a 1-based line and character column, as the parser reports them.
    pub(crate) fn at(&self, line: u32, column: u32) -> Span {
        self.span(offset_of(self.text, line, column), 0)
    }

    /// Line `n` (1-based) without its line break, or "" past the end.
    pub(crate) fn line(&self, n: usize) -> &'t str {
        let Some(&start) = self.starts.get(n.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(n).map_or(self.text.len(), |&e| e - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    pub(crate) fn count(&self) -> usize {
        self.starts.len()
    }
}

fn span_of(location: &Location, lines: &Lines) -> Span {
    let span = location.span();
    match span.byte_offset() {
        Some(offset) => lines.span(
            usize::try_from(offset).unwrap_or(usize::MAX),
            usize::try_from(span.byte_len().unwrap_or(0)).unwrap_or(usize::MAX),
        ),
        None => lines.at(
            u32::try_from(location.line()).unwrap_or(u32::MAX),
            u32::try_from(location.column()).unwrap_or(u32::MAX),
        ),
    }
}

/// What turning the parser's tree into ours needs and finds.
struct Build<'a> {
    lines: &'a Lines<'a>,
    file: &'a str,
    found: Vec<Diagnostic>,
}

impl Build<'_> {
    fn node(&mut self, raw: Spanned<Raw>) -> Node {
        let span = span_of(&raw.referenced, self.lines);
        let value = match raw.value {
            Raw::Null => Value::Null,
            Raw::Bool(b) => Value::Bool(b),
            Raw::Int(n) => Value::Int(n),
            Raw::Float(n) => Value::Float(n),
            Raw::Str(s) => Value::Str(s),
            Raw::Seq(items) => Value::Seq(items.into_iter().map(|i| self.node(i)).collect()),
            Raw::Map(entries) => {
                let mut out: Vec<(Key, Node)> = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let key = self.node(k);
                    let name = match key.value {
                        Value::Str(s) => s,
                        Value::Int(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        other => format!("<{}>", other.kind()),
                    };
                    if let Some((first, _)) = out.iter().find(|(k, _)| k.name == name) {
                        self.found.push(
                            Diagnostic::new(
                                Code::DuplicateField,
                                self.file,
                                key.span,
                                format!("`{name}` is written twice; keep one (merge the two)"),
                            )
                            .with_help(format!(
                                "delete one of the two `{name}` fields, moving what you need \
                                 from it into the other; only the first is read"
                            ))
                            .with_related(first.span, "first written here"),
                        );
                    }
                    let value = self.node(v);
                    out.push((
                        Key {
                            name,
                            span: key.span,
                        },
                        value,
                    ));
                }
                Value::Map(out)
            }
        };
        Node { value, span }
    }
}

/// Parses one YAML document; the first problem found, if any, is the error. `file` is only
/// used to label diagnostics.
pub fn parse(text: &str, file: &str) -> Result<Node, Diagnostic> {
    let (node, mut found) = parse_all(text, file);
    match node {
        Some(node) if found.is_empty() => Ok(node),
        _ => Err(found.remove(0)),
    }
}

/// Parses one YAML document, reporting every problem it can see: lone carriage returns, keys
/// written twice, or the syntax error that stopped the parser. The tree is `None` only after a
/// syntax error (or in an empty file).
pub fn parse_all(text: &str, file: &str) -> (Option<Node>, Vec<Diagnostic>) {
    let (node, found) = parse_all_unscoped(text, file);
    (node, scoped(found, NOT_CHECKED))
}

/// [`parse_all`] without saying, in a syntax error's note, what the rest of the file is.
pub(super) fn parse_all_unscoped(text: &str, file: &str) -> (Option<Node>, Vec<Diagnostic>) {
    if text.trim().is_empty() || text.lines().all(|l| l.trim_start().starts_with('#')) {
        let empty = Diagnostic::new(Code::EmptyFile, file, Span::FILE, "the file is empty")
            .with_help("start from `jobgate new <id>` or copy the example in the guide");
        return (None, vec![empty]);
    }
    let lines = Lines::new(text);
    // A lone CR is a line break to YAML but not to GitHub: it is reported below, and parsed as
    // the space it looks like, so every line after it keeps the number GitHub shows.
    let lone_crs: Vec<usize> = text
        .match_indices('\r')
        .map(|(i, _)| i)
        .filter(|&i| text.as_bytes().get(i + 1) != Some(&b'\n'))
        .collect();
    let cleaned;
    let parsed_text = if lone_crs.is_empty() {
        text
    } else {
        let mut bytes = text.as_bytes().to_vec();
        for &i in &lone_crs {
            bytes[i] = b' ';
        }
        cleaned = String::from_utf8(bytes).expect("a CR replaced by a space keeps UTF-8");
        cleaned.as_str()
    };
    let mut build = Build {
        lines: &lines,
        file,
        found: Vec::new(),
    };
    let node = match parse_raw(parsed_text) {
        Ok(raw) => Some(build.node(raw)),
        Err(error) => {
            build
                .found
                .push(syntax_error(&error, &Lines::new(parsed_text), file));
            None
        }
    };
    let mut found = build.found;
    let mut last_line = 0;
    for &at in &lone_crs {
        let span = lines.span(at, 1);
        if span.line == last_line {
            continue;
        }
        last_line = span.line;
        let help = if node.as_ref().is_some_and(|n| in_run_output(n, at)) {
            "remove the carriage returns (progress updates such as `12%\\r13%`): keep the \
             last update of each line"
        } else {
            "save the file with LF line endings"
        };
        found.push(
            Diagnostic::new(
                Code::LoneCarriageReturn,
                file,
                span,
                "a carriage return (CR) without a line feed: GitHub and editors do not break \
                 the line here, YAML would",
            )
            .with_help(help),
        );
    }
    let mut node = node;
    if let Some(node) = node.as_mut() {
        end_block_scalars(node, text);
    }
    (node, found)
}

/// Whether byte `at` lies inside run output (`stdout:` or `stderr:`), where a lone CR comes from
/// pasted progress updates rather than from the file's line endings.
fn in_run_output(node: &Node, at: usize) -> bool {
    let inside = |n: &Node| n.span.offset <= at && at < n.span.offset + n.span.len;
    match &node.value {
        Value::Seq(items) => items.iter().any(|n| in_run_output(n, at)),
        Value::Map(entries) => entries.iter().any(|(key, n)| {
            (matches!(key.name.as_str(), "stdout" | "stderr") && inside(n)) || in_run_output(n, at)
        }),
        _ => false,
    }
}

/// The diagnostic for the error that stopped the parser: in plain words at the person's
/// mistake when it is a common one, with the parser's words as a note.
fn syntax_error(error: &serde_saphyr::Error, lines: &Lines, file: &str) -> Diagnostic {
    let span = error.location().map_or(Span::FILE, |location| {
        lines.at(
            u32::try_from(location.line()).unwrap_or(u32::MAX),
            u32::try_from(location.column()).unwrap_or(u32::MAX),
        )
    });
    let parser = syntax_message(&error.without_snippet().to_string());
    if parser.starts_with("YAML limits exceeded") {
        let diagnostic = Diagnostic::new(Code::TooLarge, file, span, parser);
        return if error.to_string().contains(EXPANDED_TOO_FAR) {
            diagnostic.with_help(
                "write the text out where it is needed instead of repeating it through \
                 aliases (`*name`), and keep it short",
            )
        } else {
            diagnostic.with_help(
                "a request is a few hundred lines of plain fields: remove the deep nesting or \
                 the repeated aliases",
            )
        };
    }
    match syntax::explain(lines, span, &parser) {
        Some(plain) => Diagnostic::new(Code::YamlSyntax, file, plain.span, plain.message)
            .with_help(plain.help)
            .with_note(format!("the YAML parser says: {parser}")),
        None => Diagnostic::new(
            Code::YamlSyntax,
            file,
            span,
            format!("YAML syntax: {parser}"),
        )
        .with_help("check the indentation and quoting of this line and the one above"),
    }
}

/// Ends the span of each block scalar (`|` or `>`) at its last content line: the parser's span
/// runs on over the blank lines after it, up to the next key, which underlines would show.
/// Only trailing blanks are dropped, so other text values keep their spans.
fn end_block_scalars(node: &mut Node, text: &str) {
    match &mut node.value {
        Value::Str(_) => {
            let start = node.span.offset.min(text.len());
            let end = (start + node.span.len).min(text.len());
            if let Some(written) = text.get(start..end) {
                node.span.len = written.trim_end_matches([' ', '\t', '\r', '\n']).len();
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|n| end_block_scalars(n, text)),
        Value::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, n)| end_block_scalars(n, text)),
        _ => {}
    }
}

/// How deep YAML may nest, block and flow alike; stated in the README.
const MAX_DEPTH: usize = 64;

/// The stack the parser runs on. serde-saphyr recurses once per level of nesting, and an
/// unoptimised build needs about 45 KiB a level, so a file nested [`MAX_DEPTH`] deep overflows
/// the 2 MiB that rayon's workers and test threads get. Only the pages used are ever touched.
const PARSER_STACK_BYTES: usize = 32 << 20;

fn options() -> serde_saphyr::Options {
    // Limits stated in the README: nesting, anchors, aliases and nodes per file. Keys written
    // twice reach our tree, which reports them in our words (JG107).
    serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_aliases: 50_000,
            max_anchors: 50_000,
            max_nodes: 250_000,
        },
    }
}

#[cfg(feature = "site")]
thread_local! {
    /// Whether this thread's stack has room for the deepest nesting allowed.
    static ROOMY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A thread pool whose threads have room for the deepest nesting allowed, for parsing many
/// files at once: on it, each file is parsed in place instead of on a thread of its own
/// (10,000 requests would otherwise start 10,000 threads). `None` if it cannot be started.
#[cfg(feature = "site")]
pub fn parser_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(PARSER_STACK_BYTES)
            .thread_name(|i| format!("yaml-parser-{i}"))
            .start_handler(|_| ROOMY.with(|roomy| roomy.set(true)))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs serde-saphyr where there is room for the deepest nesting allowed: in place on a
/// [`parser_pool`] thread, otherwise on a thread of its own (or, if none can be started, on
/// the caller's).
pub(crate) fn parse_raw(text: &str) -> Result<Spanned<Raw>, serde_saphyr::Error> {
    let parse = move || {
        EXPANDED.with(|spent| spent.set(0));
        serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options())
    };
    #[cfg(feature = "site")]
    if ROOMY.with(std::cell::Cell::get) {
        return parse();
    }
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("yaml-parser".into())
            .stack_size(PARSER_STACK_BYTES)
            .spawn_scoped(scope, parse)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => parse(),
        }
    })
}

/// The byte offset of a 1-based line and character column, clamped to the text.
fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(rest.len(), |(i, _)| i);
    start + within
}

/// serde-saphyr's messages carry their own position and a snippet; we keep the bare message.
fn syntax_message(full: &str) -> String {
    let first = full.lines().next().unwrap_or(full);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let bare = match first.find(" at line ") {
        Some(at) => &first[..at],
        None => first,
    };
    let bare = match bare.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(bare, |(_, msg)| msg),
        None => bare,
    };
    if bare.contains(EXPANDED_TOO_FAR) {
        format!(
            "YAML limits exceeded: the file expands to more than {} KiB of text (aliases repeat \
             text they point at)",
            MAX_EXPANDED_BYTES / 1024
        )
    } else if bare.contains("budget breached") {
        format!("YAML limits exceeded ({bare}): too many nodes, aliases or levels of nesting")
    } else if bare.contains("recursion limit") {
        // The parser's own guard on flow collections (`[[[...`), set to the same depth.
        format!("YAML limits exceeded: nested more than {MAX_DEPTH} levels deep")
    } else {
        bare.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::read::closest;
    use super::*;

    #[test]
    fn reading_goes_on_past_each_syntax_error_leaving_out_its_entry() {
        let text = "title: Story: one\nauthor: ok\nsummary: \"open\n  quote\nkind: new\n";
        let (node, found, skipped) = parse_recovering(text, "x.yaml");
        let errors: Vec<(Code, u32)> = found.iter().map(|d| (d.code, d.span.line)).collect();
        assert_eq!(
            errors,
            [(Code::YamlSyntax, 1), (Code::YamlSyntax, 3)],
            "{found:#?}"
        );
        assert_eq!(skipped, ["title", "summary"]);
        let Some(Node {
            value: Value::Map(entries),
            ..
        }) = node
        else {
            panic!("the rest is read")
        };
        let keys: Vec<(&str, u32)> = entries
            .iter()
            .map(|(k, _)| (k.name.as_str(), k.span.line))
            .collect();
        assert_eq!(keys, [("author", 2), ("kind", 5)]);
        let note = |d: &Diagnostic| d.more.as_ref().unwrap().note.clone().unwrap();
        assert!(
            note(&found[0])
                .ends_with("line 1 (`title`) was skipped; the rest of the file was checked")
        );
        assert!(
            note(&found[1])
                .ends_with("lines 3–4 (`summary`) were skipped; the rest of the file was checked")
        );
    }

    #[test]
    fn keys_and_values_keep_positions() {
        let node = parse("title: Hello\njobs:\n  - A\n", "x.yaml").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.name, "title");
        assert_eq!((entries[0].1.span.line, entries[0].1.span.column), (1, 8));
        assert_eq!(entries[0].1.span.len, 5);
        assert_eq!(entries[1].0.span.line, 2);
    }

    #[test]
    fn yaml_1_1_booleans_are_text() {
        let node = parse("on: no\n", "x.yaml").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.name, "on");
        assert_eq!(entries[0].1.value, Value::Str("no".into()));
    }

    #[test]
    fn syntax_error_is_told_at_the_mistake_with_the_parsers_words_as_a_note() {
        let err = parse("a: [1, 2\nb: 3\n", "x.yaml").unwrap_err();
        assert_eq!(err.code, Code::YamlSyntax);
        assert_eq!((err.span.line, err.span.column, err.span.offset), (1, 4, 3));
        assert_eq!(
            err.message,
            "the `[` that opens here is not closed on this line"
        );
        assert_eq!(
            err.note(),
            Some(
                "the YAML parser says: illegal placement of ':' indicator; the rest of the file \
                 was not checked: fix this and run again"
            )
        );
    }

    /// Every span of `found` lies inside `text`, on a line GitHub shows.
    fn assert_inside(text: &str, found: &[Diagnostic]) {
        let lines = 1 + text.matches('\n').count() as u32;
        for d in found {
            assert!(d.span.offset + d.span.len <= text.len(), "{d:?}");
            assert!((1..=lines).contains(&d.span.line), "{d:?}");
        }
    }

    /// Found by the `request` fuzz target: a lone CR, then a key written twice, gave JG003 at
    /// line 3, offset 6 in this 6-byte file.
    #[test]
    fn six_bytes_with_a_lone_cr_point_inside_the_file() {
        let text = "\re:\ne:";
        let (_, found) = parse_all(text, "x.yaml");
        assert_inside(text, &found);
        let cr = found
            .iter()
            .find(|d| d.code == Code::LoneCarriageReturn)
            .expect("the CR is reported");
        assert_eq!((cr.span.line, cr.span.column, cr.span.offset), (1, 1, 0));
        assert_eq!(
            cr.help.as_deref(),
            Some("save the file with LF line endings")
        );
    }

    #[test]
    fn lines_after_lone_crs_keep_the_numbers_github_shows() {
        // Progress updates pasted into run output, then a key written twice on line 6.
        let text =
            "runs:\n  - stdout: |\n      12%\r13%\r100%\n      done\r\n    by: a\n    by: b\n";
        let (node, found) = parse_all(text, "x.yaml");
        assert!(node.is_some());
        assert_inside(text, &found);
        let got: Vec<(Code, u32, u32)> = found
            .iter()
            .map(|d| (d.code, d.span.line, d.span.column))
            .collect();
        assert_eq!(
            got,
            [
                (Code::DuplicateField, 6, 5),
                (Code::LoneCarriageReturn, 3, 10)
            ],
            "one JG007 per line, CRLF is a line break: {found:?}"
        );
        assert_eq!(
            found[1].help.as_deref(),
            Some(
                "remove the carriage returns (progress updates such as `12%\\r13%`): keep the \
                 last update of each line"
            )
        );
    }

    #[test]
    fn a_key_written_twice_points_at_both() {
        let (_, found) = parse_all("notes: a\nb: c\nnotes: d\n", "x.yaml");
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(d.code, Code::DuplicateField);
        assert_eq!(
            d.message,
            "`notes` is written twice; keep one (merge the two)"
        );
        assert_eq!((d.span.line, d.span.column, d.span.len), (3, 1, 5));
        let (first, label) = d.related().expect("the first occurrence");
        assert_eq!((first.line, first.column, first.len), (1, 1, 5));
        assert_eq!(label, "first written here");
    }

    #[test]
    fn empty_and_comment_only_files_are_empty() {
        for text in ["", "  \n", "# just a comment\n"] {
            assert_eq!(parse(text, "x.yaml").unwrap_err().code, Code::EmptyFile);
        }
    }

    #[test]
    fn alias_bombs_and_deep_nesting_hit_the_limits() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g"])
        {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let err = parse(&bomb, "x.yaml").unwrap_err();
        assert_eq!(err.code, Code::TooLarge, "{}", err.message);
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse(&deep, "x.yaml").unwrap_err();
        assert_eq!(err.code, Code::TooLarge, "{err:?}");
    }

    /// Each form of nesting, `depth` levels deep around one scalar, and where its deepest
    /// level opens (line, column).
    fn nested(depth: usize) -> [(&'static str, String, (u32, u32)); 4] {
        let block_map: String = (0..depth)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect();
        let d = depth as u32;
        [
            (
                "block list",
                format!("{}x\n", "- ".repeat(depth)),
                (1, 2 * d - 1),
            ),
            (
                "flow list",
                format!("{}x{}\n", "[".repeat(depth), "]".repeat(depth)),
                (1, d),
            ),
            (
                "flow map",
                format!("{}x{}\n", "{a: ".repeat(depth), "}".repeat(depth)),
                (1, 4 * d - 3),
            ),
            (
                "block map",
                format!("{block_map}{}x\n", " ".repeat(depth)),
                (d, d),
            ),
        ]
    }

    // Runs on a test thread's 2 MiB stack, as request files do on rayon's workers.
    #[test]
    fn nesting_up_to_the_limit_parses_and_one_more_level_is_refused_where_it_opens() {
        for (form, text, _) in nested(MAX_DEPTH) {
            assert!(parse(&text, "x.yaml").is_ok(), "{form} at the limit");
        }
        for (form, text, at) in nested(MAX_DEPTH + 1) {
            let err = parse(&text, "x.yaml").unwrap_err();
            assert_eq!(err.code, Code::TooLarge, "{form}: {err:?}");
            assert!(
                err.message.starts_with("YAML limits exceeded"),
                "{form}: {}",
                err.message
            );
            assert_eq!((err.span.line, err.span.column), at, "{form}");
        }
    }

    #[test]
    fn text_that_yaml_reads_as_another_number_is_reported() {
        let text = "a: 0x1F\nb: 1.10\nc: 1234\n";
        let node = parse(text, "x.yaml").unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("not a map")
        };
        let mut reader = Reader::new("x.yaml").with_text(text);
        let read: Vec<Option<String>> = entries
            .iter()
            .map(|(_, n)| String::from_node(n, &mut reader))
            .collect();
        assert_eq!(read, [None, None, Some("1234".to_owned())]);
        let told: Vec<(&str, Option<&str>)> = reader
            .diagnostics
            .iter()
            .map(|d| (d.message.as_str(), d.help.as_deref()))
            .collect();
        assert_eq!(
            told,
            [
                (
                    "expected text, but YAML reads `0x1F` as the number 31",
                    Some("quote it: `\"0x1F\"`")
                ),
                (
                    "expected text, but YAML reads `1.10` as the number 1.1",
                    Some("quote it: `\"1.10\"`")
                ),
            ]
        );
    }

    #[test]
    fn a_block_scalar_ends_at_its_last_content_line() {
        let text = "a: |\n  one\n  two\n\n\nb: x\n";
        let node = parse(text, "x.yaml").unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("{node:?}")
        };
        let span = entries[0].1.span;
        assert_eq!(&text[span.offset..span.offset + span.len], "one\n  two");
    }

    #[test]
    fn dates_must_be_real_and_padded() {
        assert!(parse_date("2026-11-27").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-1-27").is_none());
        assert!(parse_date("27/11/2026").is_none());
    }

    #[test]
    fn suggests_near_field_names() {
        assert_eq!(closest("sumary", &["summary", "title"]), Some("summary"));
        assert_eq!(closest("zzzzzz", &["summary", "title"]), None);
    }
}
