//! YAML as a tree that remembers where every key and value stands, and the typed reading of
//! that tree into schema structs.
//!
//! Parsing goes through serde-saphyr (bounded aliases, depth and node counts, spans on every
//! value). Typed reading is done here rather than by `#[derive(Deserialize)]` because serde
//! stops at the first mistake, and an author should see every mistake in a file at once.

use chrono::NaiveDate;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::diagnostics::{Code, Diagnostic, Span};

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
            diagnostic
        };
    }
    let not_checked = "the rest of the file was not checked: fix this and run again";
    match crate::yaml_syntax::explain(lines, span, &parser) {
        Some(plain) => Diagnostic::new(Code::YamlSyntax, file, plain.span, plain.message)
            .with_help(plain.help)
            .with_note(format!("the YAML parser says: {parser}; {not_checked}")),
        None => Diagnostic::new(
            Code::YamlSyntax,
            file,
            span,
            format!("YAML syntax: {parser}"),
        )
        .with_help("check the indentation and quoting of this line and the one above")
        .with_note(not_checked),
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

/// A value together with where it was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

impl<T> At<T> {
    pub fn new(value: T, span: Span) -> Self {
        At { value, span }
    }
}

impl<T> std::ops::Deref for At<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: AsRef<str>> AsRef<str> for At<T> {
    fn as_ref(&self) -> &str {
        self.value.as_ref()
    }
}

impl<T: serde::Serialize> serde::Serialize for At<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for At<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// Collects the diagnostics of one file while its tree is read.
pub struct Reader<'a> {
    pub file: &'a str,
    pub diagnostics: Vec<Diagnostic>,
    /// Where the key that owns the value being read stands, for "missing field" messages.
    owner: Span,
    /// The file's text, to tell a number YAML read from text that only looks like one.
    text: &'a str,
    /// That key's name; empty at the top of the file.
    owner_name: String,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a str) -> Self {
        Reader {
            file,
            diagnostics: Vec::new(),
            owner: Span::FILE,
            text: "",
            owner_name: String::new(),
        }
    }

    /// A reader that knows the file's text, so that text YAML reads as a different number
    /// (`0x1F`, `1.10`) is reported instead of read as that number.
    pub fn with_text(mut self, text: &'a str) -> Self {
        self.text = text;
        self
    }

    /// The text of a value as written in the file, when the reader has it.
    fn written(&self, span: Span) -> Option<&'a str> {
        self.text
            .get(span.offset..span.offset.checked_add(span.len)?)
    }

    pub fn report(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(code, self.file, span, message));
    }

    pub fn report_with_help(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::new(code, self.file, span, message).with_help(help));
    }

    fn wrong_type(&mut self, node: &Node, expected: &str) {
        let message = format!("expected {expected}, found {}", node.value.kind());
        let help = wrong_type_help(node, expected);
        self.report_with_help(Code::WrongType, node.span, message, help);
    }

    /// Reads a map with the given fields; reports it if it is not a map.
    pub fn fields<'n>(&mut self, node: &'n Node, what: &str) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Fields {
                entries,
                used: vec![false; entries.len()],
                // At the top of a file there is no owning key: point at the map's first key.
                owner: if self.owner == Span::FILE {
                    node.span
                } else {
                    self.owner
                },
            }),
            _ => {
                self.wrong_type(node, &format!("a map of {what} fields"));
                None
            }
        }
    }
}

/// How to turn the value in `node` into what was `expected`.
fn wrong_type_help(node: &Node, expected: &str) -> String {
    match (&node.value, expected) {
        (Value::Str(text), "true or false") => format!(
            "write `true` or `false` without quotes; `{}` is read as text",
            text.trim()
        ),
        (_, "true or false") => "write `true` or `false`".to_owned(),
        (Value::Seq(_) | Value::Map(_), "text") => {
            "put the value in double quotes, so that `:`, `- `, `[` or `{` in it are read as text"
                .to_owned()
        }
        (_, "text") => "write the value as text".to_owned(),
        (_, "a list") => "write one entry per line, each starting with `- `".to_owned(),
        (_, "a date (YYYY-MM-DD)") => "write the date as YYYY-MM-DD, e.g. 2026-11-27".to_owned(),
        (_, "a whole number") => "write a whole number, e.g. 3".to_owned(),
        _ => format!(
            "write the fields of the map as `name: value`, one per line, indented under the key ({expected})"
        ),
    }
}

/// Reads one kind of value out of a node, reporting what is wrong with it.
pub trait FromNode: Sized {
    fn from_node(node: &Node, reader: &mut Reader) -> Option<Self>;
}

impl FromNode for String {
    fn from_node(node: &Node, reader: &mut Reader) -> Option<Self> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) => {
                let read = match node.value {
                    Value::Int(n) => n.to_string(),
                    Value::Float(n) => n.to_string(),
                    _ => String::new(),
                };
                match reader.written(node.span) {
                    // `1.10` or `0x1F`: text that YAML reads as another number.
                    Some(written) if written != read => {
                        reader.report_with_help(
                            Code::WrongType,
                            node.span,
                            format!(
                                "expected text, but YAML reads `{written}` as the number {read}"
                            ),
                            format!("quote it: `\"{written}\"`"),
                        );
                        None
                    }
                    _ => Some(read),
                }
            }
            // `- STORY UPDATED SUCCESS: <n>`: text with `: ` in it, read by YAML as a map.
            Value::Map(entries)
                if entries.len() == 1
                    && !matches!(entries[0].1.value, Value::Map(_) | Value::Seq(_)) =>
            {
                let (key, value) = &entries[0];
                let written = match &value.value {
                    Value::Str(s) => format!("{}: {s}", key.name),
                    Value::Null => format!("{}:", key.name),
                    Value::Bool(b) => format!("{}: {b}", key.name),
                    Value::Int(n) => format!("{}: {n}", key.name),
                    Value::Float(n) => format!("{}: {n}", key.name),
                    Value::Map(_) | Value::Seq(_) => key.name.clone(),
                };
                let quoted = written.replace('\\', "\\\\").replace('"', "\\\"");
                reader.report_with_help(
                    Code::WrongType,
                    key.span,
                    format!("expected text, but the `: ` in `{written}` makes YAML read a map"),
                    format!("quote it: `\"{quoted}\"`"),
                );
                None
            }
            _ => {
                reader.wrong_type(node, "text");
                None
            }
        }
    }
}

impl FromNode for bool {
    fn from_node(node: &Node, reader: &mut Reader) -> Option<Self> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                reader.wrong_type(node, "true or false");
                None
            }
        }
    }
}

impl FromNode for u32 {
    fn from_node(node: &Node, reader: &mut Reader) -> Option<Self> {
        match node.value {
            Value::Int(n) if (0..=i64::from(u32::MAX)).contains(&n) => Some(n as u32),
            _ => {
                reader.wrong_type(node, "a whole number");
                None
            }
        }
    }
}

impl FromNode for NaiveDate {
    fn from_node(node: &Node, reader: &mut Reader) -> Option<Self> {
        let Value::Str(text) = &node.value else {
            reader.wrong_type(node, "a date (YYYY-MM-DD)");
            return None;
        };
        match parse_date(text) {
            Some(date) => Some(date),
            None => {
                reader.report_with_help(
                    Code::BadDate,
                    node.span,
                    format!("`{text}` is not a calendar date"),
                    "write dates as YYYY-MM-DD, e.g. 2026-11-27",
                );
                None
            }
        }
    }
}

/// `YYYY-MM-DD`, exactly: four-digit year, two-digit month and day, a real day.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

impl<T: FromNode> FromNode for Vec<T> {
    fn from_node(node: &Node, reader: &mut Reader) -> Option<Self> {
        let Value::Seq(items) = &node.value else {
            reader.wrong_type(node, "a list");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut complete = true;
        for item in items {
            match T::from_node(item, reader) {
                Some(v) => out.push(v),
                None => complete = false,
            }
        }
        complete.then_some(out)
    }
}

impl<T: FromNode> FromNode for At<T> {
    fn from_node(node: &Node, reader: &mut Reader) -> Option<Self> {
        T::from_node(node, reader).map(|value| At::new(value, node.span))
    }
}

/// The fields of one map, read one by one; whatever was not read is unknown.
pub struct Fields<'n> {
    entries: &'n [(Key, Node)],
    used: Vec<bool>,
    owner: Span,
}

impl<'n> Fields<'n> {
    /// The entry for `name`, whether or not it has a value.
    fn entry(&mut self, name: &str) -> Option<&'n (Key, Node)> {
        let at = self.entries.iter().position(|(k, _)| k.name == name)?;
        // A key written twice is reported once, by the parser (JG107), not as unknown too.
        for (used, (key, _)) in self.used.iter_mut().zip(self.entries) {
            *used |= key.name == name;
        }
        Some(&self.entries[at])
    }

    fn take(&mut self, name: &str) -> Option<&'n (Key, Node)> {
        // An empty value (`field:` with nothing after it) counts as absent.
        self.entry(name)
            .filter(|entry| entry.1.value != Value::Null)
    }

    /// A field that may be left out. `None` if absent or unreadable (the latter is reported).
    pub fn optional<T: FromNode>(&mut self, reader: &mut Reader, name: &str) -> Option<T> {
        let (key, node) = self.take(name)?;
        let outer = std::mem::replace(&mut reader.owner, key.span);
        let outer_name = std::mem::replace(&mut reader.owner_name, key.name.clone());
        let value = T::from_node(node, reader);
        reader.owner = outer;
        reader.owner_name = outer_name;
        value
    }

    /// A field that must be present. An empty one is reported at its own key.
    pub fn required<T: FromNode>(&mut self, reader: &mut Reader, name: &str) -> Option<T> {
        match self.entry(name) {
            None => {
                let (message, help) = if reader.owner_name.is_empty() {
                    (
                        format!("missing required field `{name}`"),
                        format!("add `{name}:` with its value at the start of a line"),
                    )
                } else {
                    let owner = &reader.owner_name;
                    (
                        format!("`{owner}` is missing its required field `{name}`"),
                        format!("add `{name}:` with its value, indented under `{owner}:`"),
                    )
                };
                reader.report_with_help(Code::MissingField, self.owner, message, help);
                None
            }
            Some((key, node)) if node.value == Value::Null => {
                reader.report_with_help(
                    Code::MissingField,
                    key.span,
                    format!("`{name}` is empty"),
                    format!(
                        "write its value after `{name}:`, or on the lines below indented under it"
                    ),
                );
                None
            }
            Some(_) => self.optional(reader, name),
        }
    }

    /// A list that may be left out, read as empty.
    pub fn list<T: FromNode>(&mut self, reader: &mut Reader, name: &str) -> Vec<T> {
        self.optional(reader, name).unwrap_or_default()
    }

    /// Reports every field that was not read, suggesting the closest known name.
    pub fn finish(self, reader: &mut Reader, known: &[&str]) {
        for ((key, _), used) in self.entries.iter().zip(self.used) {
            if used {
                continue;
            }
            let message = format!("unknown field `{}`", key.name);
            match closest(&key.name, known) {
                Some(near) => reader.report_with_help(
                    Code::UnknownField,
                    key.span,
                    message,
                    format!("did you mean `{near}`?"),
                ),
                None => reader.report_with_help(
                    Code::UnknownField,
                    key.span,
                    message,
                    format!("the fields here are: {}", known.join(", ")),
                ),
            }
        }
    }
}

fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

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
