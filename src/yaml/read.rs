//! The typed reading of a YAML tree into schema structs: every value keeps its position, and
//! every mistake is reported, not only the first.

use chrono::NaiveDate;

use crate::diagnostics::{Code, Diagnostic, Span};

use super::{Key, Node, Value};

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
    /// Top-level keys left out after a syntax error ([`super::parse_recovering`]): not
    /// reported missing, as the syntax error already stands for them.
    skipped: Vec<String>,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a str) -> Self {
        Reader {
            file,
            diagnostics: Vec::new(),
            owner: Span::FILE,
            text: "",
            owner_name: String::new(),
            skipped: Vec::new(),
        }
    }

    /// A reader that does not report the top-level `keys` missing: a syntax error in their
    /// entries was reported, and they were left out to read the rest.
    pub fn with_skipped(mut self, keys: Vec<String>) -> Self {
        self.skipped = keys;
        self
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
            None if reader.owner_name.is_empty() && reader.skipped.iter().any(|k| k == name) => {
                None
            }
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

pub(crate) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
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
