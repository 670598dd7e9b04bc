//! Edits a request file the way a careful person would by hand: one block is added or
//! replaced, using the parser's byte positions, and every other byte stays as it was.

use crate::diagnostics::Diagnostic;
use crate::yaml::{self, Key, Node, Value};

use crate::yaml::scalar;

/// A value to write under a key.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    /// Written as it is (a date, a handle, a quoted month, `true`).
    Plain(String),
    /// Written as a block scalar (output, evidence, markdown); `""` when empty.
    Text(String),
}

/// Why an edit cannot be made without touching other bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsplicable(pub String);

impl std::fmt::Display for Unsplicable {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A parsed request file with the positions of its top-level entries.
pub struct Document<'t> {
    text: &'t str,
    entries: Vec<(Key, Node)>,
    eol: &'static str,
}

impl<'t> Document<'t> {
    pub fn parse(text: &'t str, file: &str) -> Result<Self, Diagnostic> {
        let node = yaml::parse(text, file)?;
        let entries = match node.value {
            Value::Map(entries) => entries,
            _ => Vec::new(),
        };
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Ok(Document { text, entries, eol })
    }

    fn entry(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k.name == name)
    }

    /// Byte range of top-level entry `index`, from its key to the end of its last line.
    fn entry_range(&self, index: usize) -> (usize, usize) {
        let start = self.entries[index].0.span.offset;
        let limit = self
            .entries
            .get(index + 1)
            .map_or(self.text.len(), |(k, _)| {
                line_start(self.text, k.span.offset)
            });
        (start, value_end(self.text, start, limit, 0))
    }

    /// The position just after the `:` of top-level entry `index`.
    fn after_colon(&self, index: usize) -> usize {
        let key = &self.entries[index].0;
        let from = key.span.offset + key.span.len;
        from + self.text[from..].find(':').map_or(0, |i| i + 1)
    }

    /// Adds the top-level block `name` at the end of the file, or replaces it where it stands
    /// (keeping flow style, `name: {a: b}`, when it was written so).
    pub fn set_block(&self, name: &str, fields: &[(&str, Field)]) -> String {
        let eol = self.eol;
        match self.entry(name) {
            Some(index) => {
                let (start, end) = self.entry_range(index);
                let flow = self.text[self.after_colon(index)..]
                    .trim_start()
                    .starts_with('{');
                let written = if flow {
                    let inner: Vec<String> = fields
                        .iter()
                        .map(|(k, v)| match v {
                            Field::Plain(p) => format!("{k}: {p}"),
                            Field::Text(t) => format!("{k}: {}", scalar::quoted(t)),
                        })
                        .collect();
                    format!("{name}: {{{}}}{eol}", inner.join(", "))
                } else {
                    block_entry(name, fields, 0, eol)
                };
                splice(self.text, &[(start, end, written)])
            }
            None => {
                let at = self.text.len();
                let lead = if self.text.ends_with('\n') { "" } else { eol };
                let written = format!("{lead}{}", block_entry(name, fields, 0, eol));
                splice(self.text, &[(at, at, written)])
            }
        }
    }

    /// Appends one entry to `runs` (made block style if it was a flow list), or adds `runs`.
    pub fn append_run(&self, fields: &[(&str, Field)]) -> Result<String, Unsplicable> {
        let eol = self.eol;
        let Some(index) = self.entry("runs") else {
            let at = self.text.len();
            let lead = if self.text.ends_with('\n') { "" } else { eol };
            let written = format!("{lead}runs:{eol}{}", seq_item(fields, 2, eol));
            return Ok(splice(self.text, &[(at, at, written)]));
        };
        let colon = self.after_colon(index);
        let node = &self.entries[index].1;
        let rest = &self.text[colon..];
        let value_at = colon + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        match &node.value {
            Value::Seq(items) if !self.text[value_at..].starts_with('[') => {
                let (_, end) = self.entry_range(index);
                let first = items.first().map_or(value_at, |n| n.span.offset);
                let indent = indent_of(self.text, first);
                let lead = if end == self.text.len() && !self.text.ends_with('\n') {
                    eol
                } else {
                    ""
                };
                let written = format!("{lead}{}", seq_item(fields, indent, eol));
                Ok(splice(self.text, &[(end, end, written)]))
            }
            Value::Seq(_) => {
                let (items, close) = flow_items(self.text, value_at).ok_or_else(|| {
                    Unsplicable("the `runs` list is not a flow list this editor can read".into())
                })?;
                let line_end = self.text[close..]
                    .find('\n')
                    .map_or(self.text.len(), |i| close + i);
                let after = self.text[close..line_end].trim_end_matches('\r');
                let mut written = format!("{after}{eol}");
                let pad = " ".repeat(6);
                for item in items {
                    let lines: Vec<&str> = item.lines().map(|l| l.trim()).collect();
                    written.push_str(&format!("  - {}{eol}", lines.join(&format!("{eol}{pad}"))));
                }
                written.push_str(&seq_item(fields, 2, eol));
                let tail_from = if line_end < self.text.len() {
                    line_end + 1
                } else {
                    line_end
                };
                Ok(splice(self.text, &[(colon, tail_from, written)]))
            }
            Value::Null => {
                let line_end = self.text[colon..]
                    .find('\n')
                    .map_or(self.text.len(), |i| colon + i);
                let line = self.text[colon..line_end].trim_end_matches('\r');
                let comment = line.find('#').map_or("", |i| &line[i..]);
                let comment = if comment.is_empty() {
                    String::new()
                } else {
                    format!(" {comment}")
                };
                let tail_from = if line_end < self.text.len() {
                    line_end + 1
                } else {
                    line_end
                };
                let written = format!("{comment}{eol}{}", seq_item(fields, 2, eol));
                Ok(splice(self.text, &[(colon, tail_from, written)]))
            }
            _ => Err(Unsplicable("`runs` is not a list".into())),
        }
    }

    /// Sets `outcome_verified: true` and `evidence` on run `index` (0-based), replacing what
    /// those keys held and adding what is missing at the end of the entry.
    pub fn verify_run(&self, index: usize, evidence: &str) -> Result<String, Unsplicable> {
        let eol = self.eol;
        let runs = self
            .entry("runs")
            .ok_or_else(|| Unsplicable("the request has no runs".into()))?;
        let (_, runs_end) = self.entry_range(runs);
        let Value::Seq(items) = &self.entries[runs].1.value else {
            return Err(Unsplicable("`runs` is not a list".into()));
        };
        let item = items
            .get(index)
            .ok_or_else(|| Unsplicable("the run is not in the list".into()))?;
        let Value::Map(keys) = &item.value else {
            return Err(Unsplicable("the run is not a map".into()));
        };
        let item_text = &self.text[item.span.offset..];
        if item_text.starts_with('{') || keys.is_empty() {
            return Err(Unsplicable(
                "the run is written in flow style (`{on: …}`); write it as a block to let \
                 `verify` edit it"
                    .into(),
            ));
        }
        let item_limit = items
            .get(index + 1)
            .map_or(runs_end, |next| line_start(self.text, next.span.offset));
        let column = keys[0].0.span.offset - line_start(self.text, keys[0].0.span.offset);
        let item_end = value_end(self.text, keys[0].0.span.offset, item_limit, column);
        let range_of = |name: &str| {
            keys.iter().position(|(k, _)| k.name == name).map(|i| {
                let start = keys[i].0.span.offset;
                let limit = keys
                    .get(i + 1)
                    .map_or(item_limit, |(k, _)| line_start(self.text, k.span.offset));
                (start, value_end(self.text, start, limit, column))
            })
        };
        let verified = format!("outcome_verified: true{eol}");
        let evidence_written = text_entry("evidence", evidence, column, eol);
        let pad = " ".repeat(column);
        let mut edits = Vec::new();
        let mut missing = String::new();
        let verified_node = keys
            .iter()
            .find(|(k, _)| k.name == "outcome_verified")
            .map(|(_, n)| n);
        match (range_of("outcome_verified"), verified_node) {
            // A one-line value is replaced alone, so a comment after it stays.
            (Some(_), Some(node))
                if node.span.len > 0
                    && matches!(node.value, Value::Bool(_))
                    && !self.text[node.span.offset..node.span.offset + node.span.len]
                        .contains('\n') =>
            {
                let (s, e) = (node.span.offset, node.span.offset + node.span.len);
                edits.push((s, e, "true".to_owned()));
            }
            (Some((s, e)), _) => edits.push((s, e, verified)),
            (None, _) => missing.push_str(&format!("{pad}{verified}")),
        }
        match range_of("evidence") {
            Some((s, e)) => edits.push((s, e, evidence_written)),
            None => missing.push_str(&format!("{pad}{evidence_written}")),
        }
        if !missing.is_empty() {
            let lead = if item_end == self.text.len() && !self.text.ends_with('\n') {
                eol
            } else {
                ""
            };
            edits.push((item_end, item_end, format!("{lead}{missing}")));
        }
        Ok(splice(self.text, &edits))
    }
}

/// `text` with each `(start, end, new)` range replaced (ranges do not overlap).
fn splice(text: &str, edits: &[(usize, usize, String)]) -> String {
    let mut sorted: Vec<&(usize, usize, String)> = edits.iter().collect();
    sorted.sort_by_key(|(s, e, _)| (*s, *e));
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.2.len()).sum::<usize>());
    let mut at = 0;
    for (start, end, new) in sorted {
        out.push_str(&text[at..*start]);
        out.push_str(new);
        at = *end;
    }
    out.push_str(&text[at..]);
    out
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn indent_of(text: &str, offset: usize) -> usize {
    let start = line_start(text, offset);
    text[start..].len() - text[start..].trim_start_matches(' ').len()
}

/// The end (after its line break) of the last line of the value whose key starts at `start`:
/// the key's line and every later line before `limit` that is not blank and not a comment at
/// or left of `column` (such comments and blank lines after the value stay outside it).
fn value_end(text: &str, start: usize, limit: usize, column: usize) -> usize {
    let first_end = text[start..limit]
        .find('\n')
        .map_or(limit, |i| start + i + 1);
    let mut end = first_end;
    let mut at = first_end;
    while at < limit {
        let next = text[at..limit].find('\n').map_or(limit, |i| at + i + 1);
        let line = &text[at..next];
        let trimmed = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - trimmed.len();
        let blank = trimmed.trim().is_empty();
        let outer_comment = trimmed.starts_with('#') && indent <= column;
        if !blank && !outer_comment {
            end = next;
        }
        at = next;
    }
    end
}

/// `name:` and its fields one level deeper, as block style.
fn block_entry(name: &str, fields: &[(&str, Field)], indent: usize, eol: &str) -> String {
    let pad = " ".repeat(indent);
    let mut out = format!("{name}:{eol}");
    for (key, value) in fields {
        out.push_str(&pad);
        out.push_str("  ");
        out.push_str(&field_entry(key, value, indent + 2, eol));
    }
    out
}

/// `key: value` at column `indent` (the caller writes the indentation of the first line).
fn field_entry(key: &str, value: &Field, indent: usize, eol: &str) -> String {
    match value {
        Field::Plain(p) => format!("{key}: {p}{eol}"),
        Field::Text(t) => text_entry(key, t, indent, eol),
    }
}

fn text_entry(key: &str, text: &str, indent: usize, eol: &str) -> String {
    if text.is_empty() {
        return format!("{key}: \"\"{eol}");
    }
    let (header, lines) = scalar::block(text, indent + 2, eol);
    format!("{key}: {header}{eol}{lines}")
}

/// One block sequence entry `- a: b` at column `indent`.
fn seq_item(fields: &[(&str, Field)], indent: usize, eol: &str) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (i, (key, value)) in fields.iter().enumerate() {
        out.push_str(&pad);
        out.push_str(if i == 0 { "- " } else { "  " });
        out.push_str(&field_entry(key, value, indent + 2, eol));
    }
    out
}

/// The items of the flow sequence opening at `open` (`[`), as written, and the position just
/// after its `]`.
fn flow_items(text: &str, open: usize) -> Option<(Vec<&str>, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(open) != Some(&b'[') {
        return None;
    }
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut item_start = open + 1;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    let item = text[item_start..i].trim();
                    if !item.is_empty() {
                        items.push(item);
                    }
                    return Some((items, i + 1));
                }
            }
            b',' if depth == 1 => {
                items.push(text[item_start..i].trim());
                item_start = i + 1;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\'' => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
            }
            b'#' if i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                // A comment inside a flow list cannot be kept beside a single item.
                return None;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(v: &str) -> Field {
        Field::Plain(v.into())
    }

    #[test]
    fn replacing_a_block_keeps_the_comments_around_it() {
        let text = "a: 1\n# before\nscheduled:\n  by: x\n  on: 2026-01-01\n# after\n\nb: 2\n";
        let doc = Document::parse(text, "t.yaml").unwrap();
        let out = doc.set_block("scheduled", &[("by", plain("y"))]);
        assert_eq!(
            out,
            "a: 1\n# before\nscheduled:\n  by: y\n# after\n\nb: 2\n"
        );
    }

    #[test]
    fn flow_blocks_stay_flow_and_missing_blocks_go_at_the_end() {
        let doc = Document::parse("scheduled: {by: x}  \nb: 2", "t.yaml").unwrap();
        assert_eq!(
            doc.set_block(
                "scheduled",
                &[("by", plain("y")), ("on", plain("2026-01-02"))]
            ),
            "scheduled: {by: y, on: 2026-01-02}\nb: 2"
        );
        assert_eq!(
            doc.set_block("approval", &[("by", plain("y"))]),
            "scheduled: {by: x}  \nb: 2\napproval:\n  by: y\n"
        );
    }

    #[test]
    fn runs_are_appended_in_block_flow_and_empty_lists() {
        let fields = [
            ("on", plain("2026-01-03")),
            ("stdout", Field::Text("A: 1\n".into())),
        ];
        let block = "runs:\n- on: 2026-01-01\n  stdout: |\n    x\n# end\n";
        let doc = Document::parse(block, "t.yaml").unwrap();
        assert_eq!(
            doc.append_run(&fields).unwrap(),
            "runs:\n- on: 2026-01-01\n  stdout: |\n    x\n- on: 2026-01-03\n  stdout: |\n    A: 1\n# end\n"
        );
        let flow = "runs: [{on: 2026-01-01, by: \"a, b\"}, {on: 2026-01-02}] # old\nx: 1\n";
        let doc = Document::parse(flow, "t.yaml").unwrap();
        assert_eq!(
            doc.append_run(&fields).unwrap(),
            "runs: # old\n  - {on: 2026-01-01, by: \"a, b\"}\n  - {on: 2026-01-02}\n  - on: 2026-01-03\n    stdout: |\n      A: 1\nx: 1\n"
        );
        let empty = "runs: []\r\nx: 1\r\n";
        let doc = Document::parse(empty, "t.yaml").unwrap();
        assert_eq!(
            doc.append_run(&fields).unwrap(),
            "runs:\r\n  - on: 2026-01-03\r\n    stdout: |\r\n      A: 1\r\nx: 1\r\n"
        );
    }

    #[test]
    fn verifying_replaces_or_adds_the_two_keys() {
        let text = "runs:\n  - on: 2026-01-01\n    outcome_verified: false\n    notes: n\n  - on: 2026-01-02\n";
        let doc = Document::parse(text, "t.yaml").unwrap();
        assert_eq!(
            doc.verify_run(0, "ok: #1\n").unwrap(),
            "runs:\n  - on: 2026-01-01\n    outcome_verified: true\n    notes: n\n    evidence: |\n      ok: #1\n  - on: 2026-01-02\n"
        );
        assert_eq!(
            doc.verify_run(1, "seen").unwrap(),
            "runs:\n  - on: 2026-01-01\n    outcome_verified: false\n    notes: n\n  - on: 2026-01-02\n    outcome_verified: true\n    evidence: |-\n      seen\n"
        );
    }

    /// A small seeded generator (xorshift64*), so failures can be replayed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const PIECES: &[&str] = &[
        "a",
        "Z",
        "0",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "#",
        " #",
        ":",
        ": ",
        "- ",
        "-",
        "'",
        "\"",
        "\\",
        "|",
        ">",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&a",
        "*a",
        "!",
        "%",
        "@",
        "`",
        "---",
        "...",
        "é",
        "字",
        "🙂",
        "\u{a0}",
        "? ",
        "EXP PROCESSED ERROR: \"('exp_1', x)\": 1",
    ];

    fn random_text(rng: &mut Rng) -> String {
        let len = rng.below(40);
        (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect()
    }

    #[test]
    fn random_output_round_trips_through_record_and_the_parser() {
        let base = include_str!(
            "../../tests/fixtures/valid/requests/audit-skill-rubric-explanations.yaml"
        );
        let crlf = base.replace('\n', "\r\n");
        let mut rng = Rng(0x5EED_1234_ABCD_0001);
        for round in 0..500 {
            let stdout = scalar::clean(&random_text(&mut rng)).unwrap();
            let stderr = scalar::clean(&random_text(&mut rng)).unwrap();
            let evidence = scalar::clean(&random_text(&mut rng)).unwrap();
            let text = if round % 3 == 0 { crlf.as_str() } else { base };
            let doc = Document::parse(text, "t.yaml").unwrap();
            let fields = [
                ("on", plain("2026-11-28")),
                ("server", plain("backup")),
                ("by", plain("seanlip")),
                ("result", plain("error")),
                ("stdout", Field::Text(stdout.clone())),
                ("stderr", Field::Text(stderr.clone())),
                ("outcome_verified", plain("false")),
            ];
            let written = doc.append_run(&fields).unwrap();
            assert!(written.starts_with(text), "round {round}");
            let verified = Document::parse(&written, "t.yaml")
                .unwrap_or_else(|d| panic!("round {round}: {} in {stdout:?}", d.message))
                .verify_run(0, &evidence)
                .unwrap();
            let (request, found) = crate::request::parse(verified.as_bytes(), "t.yaml");
            let request = request.unwrap_or_else(|| panic!("round {round}: {found:?}\n{stdout:?}"));
            let run = &request.runs[0];
            assert_eq!(*run.stdout, stdout, "round {round}");
            assert_eq!(*run.stderr, stderr, "round {round}");
            assert!(run.outcome_verified);
            assert_eq!(
                run.evidence.as_deref().map(String::as_str),
                Some(evidence.as_str()),
                "round {round}"
            );
        }
    }
}
