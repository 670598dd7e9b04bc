//! Output patterns: literal lines in which `<n>` matches an integer and `<any>` any text.
//!
//! Matching never backtracks: it carries every position the pattern could have reached so far
//! through the pieces at once, so a line costs at most its length times the pattern's pieces
//! (plus literal comparisons), whatever the line and the pattern. Request files are untrusted,
//! and a backtracking matcher is exponential in the number of `<any>` and `<n>`.

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
        match_all(&self.pieces, line.trim())
    }

    /// Whether the pattern has any literal text at all (a lone `<any>` matches everything).
    pub fn has_literal(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Literal(_)))
    }
}

/// Whether all of `text` matches `pieces`. `reached` holds, in order, every byte offset where
/// the pieces so far can end; each piece turns it into the offsets where it can end. Offsets
/// are character boundaries, since literals are whole strings and numbers are ASCII. A line
/// that fails on its first literal costs no more than that comparison.
fn match_all(pieces: &[Piece], text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut reached = vec![0];
    let mut next = Vec::new();
    // After `<any>`, every character boundary from `dense` on is reached; that set is kept as
    // its start, so a literal after it is found with a substring search instead of being
    // compared at every offset.
    let mut dense: Option<usize> = None;
    for piece in pieces {
        next.clear();
        match (piece, dense.take()) {
            (Piece::Any, Some(from)) => {
                dense = Some(from);
                continue;
            }
            (Piece::Any, None) => {
                match reached.first() {
                    Some(&first) => dense = Some(first),
                    None => return false,
                }
                continue;
            }
            (Piece::Literal(lit), Some(from)) => {
                let mut at = from;
                while let Some(found) = text.get(at..).and_then(|rest| rest.find(lit)) {
                    next.push(at + found + lit.len());
                    // Occurrences may overlap: look again one character on.
                    at += found + text[at + found..].chars().next().map_or(1, char::len_utf8);
                }
            }
            (piece, Some(from)) => {
                reached = (from..=text.len())
                    .filter(|&at| text.is_char_boundary(at))
                    .collect();
                step(piece, bytes, &reached, &mut next);
            }
            (piece, None) => step(piece, bytes, &reached, &mut next),
        }
        std::mem::swap(&mut reached, &mut next);
        if reached.is_empty() {
            return false;
        }
    }
    dense.is_some() || reached.last() == Some(&text.len())
}

/// The offsets where a literal or a number can end, starting from each of `reached`.
fn step(piece: &Piece, bytes: &[u8], reached: &[usize], next: &mut Vec<usize>) {
    match piece {
        Piece::Literal(lit) => next.extend(
            reached
                .iter()
                .filter(|&&at| bytes[at..].starts_with(lit.as_bytes()))
                .map(|at| at + lit.len()),
        ),
        Piece::Number => {
            // `-`, then digits; a number may end after any of its digits. Starts only
            // move right, so each run of digits is scanned once and each end kept once.
            let (mut run_start, mut run_end) = (0, 0);
            let mut kept = 0;
            for &at in reached {
                let start = at + usize::from(bytes.get(at) == Some(&b'-'));
                if !(run_start..run_end).contains(&start) {
                    let digits = bytes[start..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    (run_start, run_end) = (start, start + digits);
                }
                let from = (start + 1).max(kept);
                if from <= run_end {
                    next.extend(from..=run_end);
                    kept = run_end + 1;
                }
            }
        }
        Piece::Any => {
            if let Some(&first) = reached.first() {
                next.extend(first..=bytes.len());
            }
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

    /// Found while writing the `pattern` fuzz target: the matcher backtracked, so six `<any>`
    /// against a line of 200 letters did not finish in two minutes, each further `<any>` or
    /// `<n>` multiplied the time by the line length, and a request file could stall
    /// `jobgate check`.
    #[test]
    fn placeholders_do_not_backtrack() {
        let cases = [
            (format!("{}b", "<any>a".repeat(8)), "a".repeat(5000)),
            (format!("{}x", "<n>".repeat(40)), "7".repeat(5000)),
            (format!("{}<n>!", "<any>-".repeat(8)), "-1".repeat(2500)),
        ];
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for (pattern, line) in &cases {
                sender.send(Pattern::new(pattern).matches(line)).unwrap();
            }
        });
        // A hang guard, not a speed test: the old matcher could not finish any of these.
        let guard = std::time::Duration::from_secs(120);
        for _ in 0..3 {
            assert_eq!(receiver.recv_timeout(guard), Ok(false));
        }
    }

    #[test]
    fn numbers_end_after_any_of_their_digits() {
        let cases: &[(&str, &str, bool)] = &[
            ("<n><n><n>", "123", true),
            ("<n><n><n>", "12", false),
            ("<n>-<n>", "12-34", true),
            ("<n><n>", "-1-2", true),
            ("<n><n>", "--12", false),
            ("<n>5", "-5", false),
            ("a<n>b<n>", "a1b-22", true),
            ("<any><n>", "x-", false),
            ("<any>:<n>", "a:b:-7", true),
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
    fn many_wildcards_stay_fast_on_long_lines() {
        let pattern = Pattern::new("<any>a<any>a<any>a<any>b");
        let line = "a".repeat(200);
        assert!(!pattern.matches(&line));
    }
}
