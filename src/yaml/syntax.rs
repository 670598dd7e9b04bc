//! The common YAML mistakes, told in plain words at the line where the person made them: the
//! parser stops where the text stopped making sense, often a line or two after the mistake.

use crate::diagnostics::Span;
use crate::yaml::{Lines, parse_raw};

pub(crate) struct Plain {
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// The mistake behind the parser's error `parser` at `at`, when it is a common one.
pub(crate) fn explain(lines: &Lines, at: Span, parser: &str) -> Option<Plain> {
    let near = at.line.saturating_sub(1).max(1) as usize..=at.line as usize + 1;
    if parser.contains("tab") {
        return near.clone().find_map(|n| tab(lines, n));
    }
    // A quote or bracket left open swallows the lines below it: the parser stops where the
    // text no longer fits, often far below, so look for the opening first.
    if let Some(plain) =
        (1..=(at.line as usize).min(lines.count())).find_map(|n| left_open(lines, n))
    {
        return Some(plain);
    }
    if parser.contains("unclosed quote") {
        return Some(unclosed_quote(lines, at));
    }
    if let Some(plain) = pasted_block(lines, at) {
        return Some(plain);
    }
    if parser.contains("mapping values are not allowed")
        && let Some(plain) = [at.line as usize, at.line as usize - 1]
            .into_iter()
            .find_map(|n| colon_in_value(lines, n))
    {
        return Some(plain);
    }
    list_item(lines, at)
}

fn spaces(n: usize) -> String {
    if n == 1 {
        "1 space".into()
    } else {
        format!("{n} spaces")
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The span of `len` bytes at byte `column0` (0-based) of line `n`.
fn on_line(lines: &Lines, n: usize, column0: usize, len: usize) -> Span {
    let start = lines.at(n as u32, 1).offset;
    lines.span(start + column0, len)
}

fn tab(lines: &Lines, n: usize) -> Option<Plain> {
    let line = lines.line(n);
    let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
    let at = line[..lead].find('\t')?;
    Some(Plain {
        span: on_line(lines, n, at, 1),
        message: "this line is indented with a tab; YAML indents with spaces only".into(),
        help: "replace the tab with spaces (set your editor to insert spaces for Tab)".into(),
    })
}

fn unclosed_quote(lines: &Lines, at: Span) -> Plain {
    let line = lines.line(at.line as usize);
    let column0 = line
        .char_indices()
        .nth(at.column.saturating_sub(1) as usize)
        .map_or(0, |(i, _)| i);
    let quote = match line[column0..].chars().next() {
        Some('\'') => '\'',
        _ => '"',
    };
    unclosed_quote_at(lines, at.line as usize, column0, quote)
}

fn unclosed_quote_at(lines: &Lines, n: usize, column0: usize, quote: char) -> Plain {
    let inner = if quote == '"' {
        "a `\"` inside the value is written `\\\"`"
    } else {
        "a `'` inside the value is written `''`"
    };
    Plain {
        span: on_line(lines, n, column0, 1),
        message: format!("the quote `{quote}` that opens here is never closed"),
        help: format!("end the value with a matching `{quote}`; {inner}"),
    }
}

/// A value on line `n` that opens a quote, `[` or `{` and does not close it on that line.
fn left_open(lines: &Lines, n: usize) -> Option<Plain> {
    let line = lines.line(n);
    let at = match key_value(&format!("{line} ")) {
        Some((.., value_at, _)) => value_at,
        None => {
            let dash = indent(line);
            line[dash..].strip_prefix("- ")?;
            dash + 2 + indent(&line[dash + 2..])
        }
    };
    let value = line.get(at..)?.trim_end();
    let open = value.chars().next()?;
    let closed = match open {
        '"' => {
            let mut escaped = false;
            value[1..].chars().any(|c| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            })
        }
        '\'' => value[1..].replace("''", "").contains('\''),
        '[' | '{' => {
            let close = if open == '[' { ']' } else { '}' };
            let depth = value.chars().fold(0i32, |d, c| {
                d + i32::from(c == open) - i32::from(c == close)
            });
            depth <= 0
        }
        _ => return None,
    };
    if closed {
        return None;
    }
    if open == '"' || open == '\'' {
        let mut plain = unclosed_quote_at(lines, n, at, open);
        plain.message = format!("the quote `{open}` that opens here is not closed on this line");
        return Some(plain);
    }
    let (close, form) = if open == '[' {
        (']', "a list as lines that start with `- `")
    } else {
        ('}', "a map as one `key: value` per line")
    };
    Some(Plain {
        span: on_line(lines, n, at, 1),
        message: format!("the `{open}` that opens here is not closed on this line"),
        help: format!("end it with `{close}` on the same line, or write {form}"),
    })
}

/// `key: value` on line `n`: the key's indentation (after any `- `), the key, the value's
/// byte column and the value.
fn key_value(line: &str) -> Option<(usize, &str, usize, &str)> {
    let mut start = indent(line);
    while line[start..].starts_with("- ") {
        start += 2 + indent(&line[start + 2..]);
    }
    let rest = &line[start..];
    let colon = rest.find(": ")?;
    let key = &rest[..colon];
    if key.is_empty() || key.starts_with(['"', '\'', '#', '[', '{', '?']) || key.contains(' ') {
        return None;
    }
    let value_at = start + colon + 2 + indent(&rest[colon + 2..]);
    Some((start, key, value_at, line[value_at..].trim_end()))
}

fn colon_in_value(lines: &Lines, n: usize) -> Option<Plain> {
    let (_, key, value_at, value) = key_value(lines.line(n))?;
    let plain =
        !value.is_empty() && !value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']);
    if !plain || !(value.contains(": ") || value.ends_with(':')) {
        return None;
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(Plain {
        span: on_line(lines, n, value_at, value.len()),
        message: format!(
            "the value of `{key}` contains `: `, which YAML reads as the start of another field"
        ),
        help: format!("quote the value: `{key}: \"{quoted}\"`"),
    })
}

/// A block scalar (`stdout: |`) above the error, and its first line indented less than the
/// block: pasted output that YAML reads as the end of the block. Confirmed by indenting the
/// pasted lines and parsing again.
fn pasted_block(lines: &Lines, at: Span) -> Option<Plain> {
    let error_line = at.line as usize;
    let header = (1..=error_line.min(lines.count())).rev().find(|&n| {
        let line = lines.line(n);
        let t = line.split(" #").next().unwrap_or(line).trim_end();
        key_value(&format!("{t} ")).is_some()
            && t.rsplit_once(": ").is_some_and(|(_, v)| {
                v.starts_with(['|', '>']) && v[1..].chars().all(|c| "+-123456789".contains(c))
            })
    })?;
    let (key_indent, key, ..) = key_value(lines.line(header))?;
    let first = (header + 1..=lines.count()).find(|&n| !lines.line(n).trim().is_empty())?;
    let body = match indent(lines.line(first)) {
        i if i > key_indent => i,
        _ => key_indent + 2,
    };
    let pasted = (header + 1..=error_line.min(lines.count()))
        .find(|&n| !lines.line(n).trim().is_empty() && indent(lines.line(n)) < body)?;
    let key_shaped = |n: usize| {
        let line = lines.line(n);
        indent(line) <= key_indent && (key_value(&format!("{line} ")).is_some() || blank(line))
    };
    if key_shaped(pasted) && !lines.line(pasted).trim().is_empty() {
        return None;
    }
    let end = (pasted + 1..=lines.count())
        .find(|&n| key_shaped(n) && !lines.line(n).trim().is_empty())
        .unwrap_or(lines.count() + 1);
    let mut fixed = String::new();
    for n in 1..=lines.count() {
        let line = lines.line(n);
        if (pasted..end).contains(&n) && !line.trim().is_empty() && indent(line) < body {
            fixed.push_str(&" ".repeat(body - indent(line)));
        }
        fixed.push_str(line);
        fixed.push('\n');
    }
    let better = match parse_raw(&fixed) {
        Ok(_) => true,
        Err(e) => e.location().is_some_and(|l| l.line() as usize >= end),
    };
    if !better {
        return None;
    }
    let line = lines.line(pasted);
    Some(Plain {
        span: on_line(lines, pasted, indent(line), line.trim().len()),
        message: format!(
            "this line is indented less than the `{key}: |` block above it, so YAML reads it as \
             the end of the block"
        ),
        help: format!(
            "indent every pasted line by {body} spaces, as the block's first line (line {first})"
        ),
    })
}

/// A `- ` item indented differently from the item above it in the same list.
fn list_item(lines: &Lines, at: Span) -> Option<Plain> {
    let n = at.line as usize;
    let line = lines.line(n);
    if !line.trim_start().starts_with("- ") && line.trim() != "-" {
        return None;
    }
    let mine = indent(line);
    let above = (1..n).rev().find(|&m| !blank(lines.line(m)))?;
    let theirs = lines.line(above);
    if !theirs.trim_start().starts_with('-') {
        return None;
    }
    let expected = indent(theirs);
    if expected == mine {
        return None;
    }
    Some(Plain {
        span: on_line(lines, n, mine, 1),
        message: format!(
            "this list item is indented {}, the item above it (line {above}) {}",
            spaces(mine),
            spaces(expected)
        ),
        help: format!(
            "line up every `- ` of a list under the first one: indent it by {}",
            spaces(expected)
        ),
    })
}
