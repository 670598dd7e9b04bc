//! Reading a file past its YAML syntax errors: the top-level entry that holds each mistake is
//! left out and the rest is parsed again, so one mistake does not hide the others.

use crate::diagnostics::{Code, Diagnostic};

use super::{Node, parse_all_unscoped};

/// What a syntax error's note says about the rest of the file when nothing after the error
/// could be read.
pub(super) const NOT_CHECKED: &str = "the rest of the file was not checked: fix this and run again";

/// Adds `scope` (what was and was not checked) to a syntax error's note.
fn with_scope(mut d: Diagnostic, scope: &str) -> Diagnostic {
    let note = match d.more.as_ref().and_then(|m| m.note.as_deref()) {
        Some(note) => format!("{note}; {scope}"),
        None => scope.to_owned(),
    };
    d = d.with_note(note);
    d
}

/// The most syntax errors one file is read past: each costs a parse of the whole file.
const MAX_RECOVERIES: usize = 16;

/// Like [`super::parse_all`], but a syntax error does not end the reading: the top-level entry that
/// holds the mistake (from its key to the next key at the start of a line) is left out and
/// the rest of the file is parsed again, so the mistakes after it are still found. Returns the
/// tree of what could be read and the top-level keys left out; each syntax error's note says
/// which lines were skipped.
pub fn parse_recovering(text: &str, file: &str) -> (Option<Node>, Vec<Diagnostic>, Vec<String>) {
    let (node, found) = parse_all_unscoped(text, file);
    let syntax_at = |found: &[Diagnostic]| found.iter().position(|d| d.code == Code::YamlSyntax);
    let Some(first) = syntax_at(&found).filter(|_| node.is_none()) else {
        return (node, scoped(found, NOT_CHECKED), Vec::new());
    };
    let mut errors = vec![found[first].clone()];
    let others: Vec<Diagnostic> = found
        .into_iter()
        .filter(|d| d.code != Code::YamlSyntax)
        .collect();
    let mut masked = text.to_owned();
    let mut skipped = Vec::new();
    for _ in 0..MAX_RECOVERIES {
        let line = errors.last().map_or(1, |d| d.span.line.max(1));
        let Some((start, end, key)) = entry_around(&masked, line) else {
            break;
        };
        mask_lines(&mut masked, start, end);
        let what = key
            .as_deref()
            .map_or(String::new(), |k| format!(" (`{k}`)"));
        let lines = if start == end {
            format!("line {start}{what} was skipped")
        } else {
            format!("lines {start}–{end}{what} were skipped")
        };
        let last = errors.pop().expect("an error to scope");
        errors.push(with_scope(
            last,
            &format!("{lines}; the rest of the file was checked"),
        ));
        skipped.extend(key);
        let (node, found) = parse_all_unscoped(&masked, file);
        match (node, syntax_at(&found)) {
            (Some(node), _) => {
                errors.extend(found);
                return (Some(node), errors, skipped);
            }
            (None, Some(at)) => errors.push(found[at].clone()),
            (None, None) => break,
        }
    }
    // Nothing more could be read: the last error says so.
    if let Some(last) = errors.pop() {
        errors.push(with_scope(last, NOT_CHECKED));
    }
    errors.extend(others);
    (None, errors, skipped)
}

/// The syntax errors of `found` with `scope` added to their notes.
pub(super) fn scoped(found: Vec<Diagnostic>, scope: &str) -> Vec<Diagnostic> {
    found
        .into_iter()
        .map(|d| {
            if d.code == Code::YamlSyntax {
                with_scope(d, scope)
            } else {
                d
            }
        })
        .collect()
}

/// The top-level entry around line `line` (1-based) of `text`: its first and last line, and
/// its key when the first line is one. `None` when there is nothing left to skip.
fn entry_around(text: &str, line: u32) -> Option<(u32, u32, Option<String>)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let line = (line as usize).clamp(1, lines.len());
    let start = (1..=line)
        .rev()
        .find(|&n| top_level_key(lines[n - 1]).is_some())
        .unwrap_or(1);
    let end = (line + 1..=lines.len())
        .find(|&n| top_level_key(lines[n - 1]).is_some())
        .map_or(lines.len(), |next| next - 1);
    let key = top_level_key(lines[start - 1]).map(str::to_owned);
    let blank = lines[start - 1..end].iter().all(|l| l.trim().is_empty());
    (!blank).then_some((start as u32, end as u32, key))
}

/// The key a line starts, when it starts a top-level entry (`name:` at column 1).
fn top_level_key(line: &str) -> Option<&str> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let rest = &line[colon + 1..];
    let is_key = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (is_key && (rest.is_empty() || rest.starts_with([' ', '\t', '\r']))).then_some(key)
}

/// Blanks lines `start` to `end` (1-based, inclusive) of `text`, keeping every byte offset.
fn mask_lines(text: &mut String, start: u32, end: u32) {
    let mut bytes = std::mem::take(text).into_bytes();
    let mut line = 1;
    for b in &mut bytes {
        if *b == b'\n' {
            line += 1;
        } else if (start..=end).contains(&line) {
            *b = b' ';
        }
    }
    *text = String::from_utf8(bytes).expect("spaces and line feeds are UTF-8");
}
