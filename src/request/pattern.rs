//! Output patterns: literal lines in which `<n>` matches an integer and `<any>` any text.
//!
//! Matching is a small backtracking walk over literal pieces, linear for patterns without
//! `<any>` and bounded by line length times pattern pieces otherwise.

/// One piece of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece<'a> {
    Literal(&'a str),
    Number,
    Any,
}

/// A pattern, split into pieces once so that many lines can be matched against it.
///
/// ```
/// use jobgate::request::pattern::Pattern;
///
/// let pattern = Pattern::new(r#"EXP PROCESSED ERROR: "<any>": <n>"#);
/// assert!(pattern.matches(r#"EXP PROCESSED ERROR: "('exp_1', ValidationError('bad'))": 1"#));
/// assert!(!pattern.matches("EXP PROCESSED SUCCESS: 1204"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern<'a> {
    pieces: Vec<Piece<'a>>,
}

impl<'a> Pattern<'a> {
    pub fn new(text: &'a str) -> Pattern<'a> {
        let mut pieces = Vec::new();
        let mut rest = text.trim();
        while !rest.is_empty() {
            let next = [("<n>", Piece::Number), ("<any>", Piece::Any)]
                .into_iter()
                .filter_map(|(token, piece)| rest.find(token).map(|at| (at, token, piece)))
                .min_by_key(|(at, ..)| *at);
            match next {
                Some((at, token, piece)) => {
                    if at > 0 {
                        pieces.push(Piece::Literal(&rest[..at]));
                    }
                    pieces.push(piece);
                    rest = &rest[at + token.len()..];
                }
                None => {
                    pieces.push(Piece::Literal(rest));
                    rest = "";
                }
            }
        }
        Pattern { pieces }
    }

    /// Whether the whole `line` (surrounding white space ignored) matches.
    pub fn matches(&self, line: &str) -> bool {
        match_from(&self.pieces, line.trim())
    }

    /// Whether the pattern has any literal text at all (a lone `<any>` matches everything).
    pub fn has_literal(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Literal(_)))
    }
}

fn match_from(pieces: &[Piece], text: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return text.is_empty();
    };
    match first {
        Piece::Literal(lit) => text
            .strip_prefix(lit)
            .is_some_and(|after| match_from(rest, after)),
        Piece::Number => {
            let unsigned = text.strip_prefix('-').unwrap_or(text);
            let digits = unsigned.bytes().take_while(u8::is_ascii_digit).count();
            // Digits are greedy but may give back, e.g. `<n>0` against "100".
            (1..=digits).rev().any(|n| match_from(rest, &unsigned[n..]))
        }
        Piece::Any => {
            if rest.is_empty() {
                return true;
            }
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .any(|i| match_from(rest, &text[i..]))
        }
    }
}

/// Whether every non-empty line of `output` matches one of `patterns`.
pub fn all_lines_match<S: AsRef<str>>(output: &str, patterns: &[S]) -> bool {
    unmatched_lines(output, patterns).next().is_none()
}

/// The non-empty lines of `output` that match none of `patterns`, lazily, in order.
pub fn unmatched_lines<'o, 'p, S: AsRef<str>>(
    output: &'o str,
    patterns: &'p [S],
) -> impl Iterator<Item = &'o str> + use<'o, 'p, S> {
    let compiled: Vec<Pattern<'p>> = patterns.iter().map(|p| Pattern::new(p.as_ref())).collect();
    output
        .lines()
        .filter(|line| !line.trim().is_empty())
        .filter(move |line| !compiled.iter().any(|p| p.matches(line)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str, bool)] = &[
            (
                "EXP PROCESSED SUCCESS: <n>",
                "EXP PROCESSED SUCCESS: 1204",
                true,
            ),
            (
                "EXP PROCESSED SUCCESS: <n>",
                "EXP PROCESSED SUCCESS: 12a",
                false,
            ),
            (
                "EXP PROCESSED SUCCESS: <n>",
                "EXP PROCESSED SUCCESS: ",
                false,
            ),
            (
                "EXP PROCESSED SUCCESS: <n>",
                "  EXP PROCESSED SUCCESS: 7  ",
                true,
            ),
            (
                "EXP PROCESSED SUCCESS: <n>",
                "EXP MIGRATED SUCCESS: 7",
                false,
            ),
            ("COUNT: <n>", "COUNT: -3", true),
            (
                "EXP PROCESSED ERROR: \"<any>\": <n>",
                "EXP PROCESSED ERROR: \"('exp_1', ValidationError('Invalid language code: abc'))\": 1",
                true,
            ),
            (
                "EXP PROCESSED ERROR: \"<any>\": <n>",
                "EXP PROCESSED ERROR: 1",
                false,
            ),
            ("<any>", "anything at all", true),
            ("<any>", "", true),
            ("A <n>0 B", "A 100 B", true),
            ("plain", "plain", true),
            ("plain", "plainer", false),
            ("<n><n>", "12", true),
            ("x<any>y<any>z", "x--y--y--z", true),
            ("x<any>y<any>z", "x--z", false),
            ("é <n>", "é 5", true),
        ];
        for (pattern, line, expected) in cases {
            assert_eq!(
                Pattern::new(pattern).matches(line),
                *expected,
                "{pattern:?} vs {line:?}"
            );
        }
    }

    #[test]
    fn all_lines_must_match_some_pattern() {
        let patterns = ["A: <n>", "B: <n>"];
        assert!(all_lines_match("A: 1\n\nB: 2\n", &patterns));
        assert!(!all_lines_match("A: 1\nC: 2\n", &patterns));
        assert_eq!(
            unmatched_lines("A: 1\nC: 2\n", &patterns).collect::<Vec<_>>(),
            vec!["C: 2"]
        );
        assert!(all_lines_match("", &patterns));
    }

    #[test]
    fn many_wildcards_stay_fast_on_long_lines() {
        let pattern = Pattern::new("<any>a<any>a<any>a<any>b");
        let line = "a".repeat(200);
        assert!(!pattern.matches(&line));
    }
}
