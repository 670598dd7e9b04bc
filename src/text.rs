//! Text for people: plain-text tables for the terminal (`jobgate status` and `jobgate stats`
//! print their figures as aligned columns), and untrusted text made safe to put in markdown that
//! GitHub renders (`jobgate digest`, `jobgate check --format markdown`).

/// `headers` and `rows` as left-aligned columns two spaces apart, one line each, with no
/// trailing white space.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([headers[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let text: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(text.join("  ").trim_end());
        out.push('\n');
    };
    line(headers);
    for row in rows {
        line(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    out
}

/// The longest untrusted text [`markdown_inline`] keeps, in characters.
pub const MAX_INLINE_CHARS: usize = 200;

/// `text` (from a request file: untrusted) as literal inline markdown for GitHub: on one line,
/// at most [`MAX_INLINE_CHARS`] characters, every character that inline markdown or HTML could
/// read as syntax inside a line (emphasis, code, links, images, tables, strike-through, math,
/// tags, entities, issue references) escaped with a backslash, and `@` followed by a zero-width joiner so that no one is
/// mentioned (notified) by what a request says.
pub fn markdown_inline(text: &str) -> String {
    markdown_escaped(text, MAX_INLINE_CHARS)
}

/// Like [`markdown_inline`], keeping at most `max_chars` characters (a diagnostic's message).
pub fn markdown_escaped(text: &str, max_chars: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let one_line = one_line.trim();
    let mut out = String::with_capacity(one_line.len() + 8);
    for (i, c) in one_line.chars().enumerate() {
        if i == max_chars {
            out.push('…');
            break;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '|' | '~' | '<' | '>' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{2060}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_text_cannot_mention_link_or_mark_up() {
        assert_eq!(
            markdown_inline(
                "Hi @admins <img src=x onerror=alert(1)> [x](javascript:y) **b**\nnext"
            ),
            "Hi @\u{2060}admins \\<img src=x onerror=alert(1)\\> \\[x\\](javascript:y) \\*\\*b\\*\\* next"
        );
        let long = "a".repeat(MAX_INLINE_CHARS + 10);
        assert_eq!(markdown_inline(&long).chars().count(), MAX_INLINE_CHARS + 1);
    }
}
