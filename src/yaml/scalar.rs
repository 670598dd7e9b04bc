//! Text as a YAML block scalar, whatever it holds.
//!
//! A block scalar keeps every character of its lines as written (quotes, colons, `#`, tabs,
//! trailing spaces), so pasted output needs no quoting. What it cannot hold are control
//! characters other than the tab; those are refused (see [`clean`]) rather than rewritten, since
//! the record is a fact and must say exactly what the job printed.

/// Why a text cannot be written as a block scalar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unwritable {
    /// 1-based line of the first offending character.
    pub line: usize,
    /// The character, as `U+XXXX`.
    pub character: String,
}

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "line {} holds the control character {}, which a YAML block scalar cannot hold",
            self.line, self.character
        )
    }
}

/// `text` with CRLF line ends turned into LF; a CR not followed by LF, and any other control
/// character but the tab, is refused with its line.
pub fn clean(text: &str) -> Result<String, Unwritable> {
    let normalised = text.replace("\r\n", "\n");
    for (index, line) in normalised.split('\n').enumerate() {
        if let Some(c) = line.chars().find(|&c| !is_writable(c)) {
            return Err(Unwritable {
                line: index + 1,
                character: format!("U+{:04X}", c as u32),
            });
        }
    }
    Ok(normalised)
}

/// Characters YAML allows in a block scalar's content (its printable set, without the BOM).
fn is_writable(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{FEFF}'
}

/// The header (`|`, `|-`, `|+`, with an indentation indicator when needed) and the content
/// lines of `text` (already [`clean`]ed), each indented by `indent` spaces (two more than its
/// key) and ended by `eol`; empty lines carry no spaces. The header comes without a line end.
pub fn block(text: &str, indent: usize, eol: &str) -> (String, String) {
    let body = text.trim_end_matches('\n');
    let trailing = text.len() - body.len();
    let chomp = match trailing {
        0 => "-",
        1 if !body.is_empty() => "",
        _ => "+",
    };
    // The indentation is detected from the first non-empty line, so state it whenever that line
    // begins with a space or an empty line comes first (lines of spaces count as not empty).
    let needs_indicator = text.starts_with(' ') || text.starts_with('\n') || body.is_empty();
    let header = if needs_indicator {
        // The indicator counts from the parent key, which stands two columns left.
        format!("|2{chomp}")
    } else {
        format!("|{chomp}")
    };
    let pad = " ".repeat(indent);
    let mut lines = String::with_capacity(text.len() + text.len() / 8);
    if !body.is_empty() {
        for line in body.split('\n') {
            if !line.is_empty() {
                lines.push_str(&pad);
                lines.push_str(line);
            }
            lines.push_str(eol);
        }
    }
    for _ in 0..trailing.saturating_sub(usize::from(!body.is_empty())) {
        lines.push_str(eol);
    }
    (header, lines)
}

/// A plain scalar when `text` is a simple word (handles, job names), else a double-quoted one.
pub fn word(text: &str) -> String {
    let simple = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        && !text.starts_with(['-', '.'])
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
        && text.parse::<f64>().is_err();
    if simple {
        text.to_owned()
    } else {
        quoted(text)
    }
}

/// A double-quoted YAML scalar.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_yaml(text: &str) -> String {
        let (header, lines) = block(text, 2, "\n");
        format!("k: {header}\n{lines}")
    }

    #[test]
    fn chomping_follows_the_final_line_breaks() {
        assert_eq!(as_yaml("a\nb\n"), "k: |\n  a\n  b\n");
        assert_eq!(as_yaml("a"), "k: |-\n  a\n");
        assert_eq!(as_yaml("a\n\n"), "k: |+\n  a\n\n");
        assert_eq!(as_yaml("  a\n"), "k: |2\n    a\n");
        assert_eq!(as_yaml("\n\na\n"), "k: |2\n\n\n  a\n");
        assert_eq!(as_yaml("\n"), "k: |2+\n\n");
        assert_eq!(as_yaml(""), "k: |2-\n");
    }

    #[test]
    fn crlf_becomes_lf_and_control_characters_are_refused_at_their_line() {
        assert_eq!(clean("a\r\nb\r\n").unwrap(), "a\nb\n");
        assert_eq!(clean("a\tb\n").unwrap(), "a\tb\n");
        let err = clean("ok\n\u{1b}[31mred\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.character, "U+001B");
        assert_eq!(clean("a\rb").unwrap_err().character, "U+000D");
    }

    #[test]
    fn words_are_quoted_only_when_they_must_be() {
        assert_eq!(word("seanlip"), "seanlip");
        assert_eq!(word("MigrateJob"), "MigrateJob");
        assert_eq!(word("yes"), "\"yes\"");
        assert_eq!(word("a b"), "\"a b\"");
        assert_eq!(quoted("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
    }
}
