//! Output-pattern matching, as used to check a run's stdout and stderr against a request's
//! expected lines.
//!
//! The input is text: the lines before the first blank line are patterns, the rest is the
//! output to check. The target compiles the patterns, runs `all_lines_match` and
//! `unmatched_lines`, and checks that
//!
//! - the two agree (all lines match exactly when no line is unmatched);
//! - the unmatched lines are exactly the non-empty output lines that no pattern matches, in
//!   order, judged by a reference matcher written here (a set-of-positions walk, no
//!   backtracking) that reads the rules from the README: `<n>` is an optional `-` and one or
//!   more ASCII digits, `<any>` is any text, everything else is literal, and surrounding white
//!   space is ignored;
//! - every pattern matches the line made from it by writing a number for each `<n>` and a word
//!   for each `<any>`.

#![no_main]

use jobgate::request::pattern::{self, Pattern};
use jobgate::request::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let (head, output) = split(text);
    let patterns: Vec<&str> = head.lines().collect();

    let all = pattern::all_lines_match(output, &patterns);
    let unmatched: Vec<&str> = pattern::unmatched_lines(output, &patterns).collect();
    assert_eq!(all, unmatched.is_empty(), "{patterns:?} / {output:?}");

    let pieces: Vec<Vec<Piece>> = patterns.iter().map(|p| pieces(p)).collect();
    let expected: Vec<&str> = output
        .lines()
        .filter(|line| !line.trim().is_empty())
        .filter(|line| !pieces.iter().any(|p| reference_match(p, line)))
        .collect();
    assert_eq!(unmatched, expected, "{patterns:?} / {output:?}");

    for (text, pieces) in patterns.iter().zip(&pieces) {
        let compiled = Pattern::new(text);
        let example = example_line(pieces);
        assert!(
            compiled.matches(&example),
            "{text:?} does not match its own example {example:?}"
        );
        assert_eq!(
            compiled.has_literal(),
            pieces.iter().any(|p| matches!(p, Piece::Char(_))),
            "{text:?}"
        );
        // The validator's view of the same pattern must not panic, and a pattern it accepts
        // has literal text.
        if validate::pattern_problems(text).is_empty() {
            assert!(compiled.has_literal(), "{text:?}");
        }
    }
});

/// Patterns, then the output after the first blank line.
fn split(text: &str) -> (&str, &str) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']).is_empty() {
            return (&text[..offset], &text[offset + line.len()..]);
        }
        offset += line.len();
    }
    (text, "")
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Piece {
    Char(char),
    Number,
    Any,
}

/// The pattern, trimmed, read left to right one placeholder or character at a time.
fn pieces(pattern: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = pattern.trim();
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<n>") {
            out.push(Piece::Number);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("<any>") {
            out.push(Piece::Any);
            rest = after;
        } else {
            out.push(Piece::Char(c));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Whether the trimmed `line` matches `pieces`, tracking every position the match could have
/// reached so far.
fn reference_match(pieces: &[Piece], line: &str) -> bool {
    let line = line.trim();
    let len = line.len();
    let mut reached = vec![false; len + 1];
    reached[0] = true;
    for piece in pieces {
        let mut next = vec![false; len + 1];
        match piece {
            Piece::Char(c) => {
                for at in (0..=len).filter(|&at| reached[at]) {
                    if line[at..].starts_with(*c) {
                        next[at + c.len_utf8()] = true;
                    }
                }
            }
            Piece::Number => {
                for at in (0..=len).filter(|&at| reached[at]) {
                    let start = if line[at..].starts_with('-') {
                        at + 1
                    } else {
                        at
                    };
                    let digits = line[start..].bytes().take_while(u8::is_ascii_digit).count();
                    next[start + 1..=start + digits].fill(true);
                }
            }
            Piece::Any => {
                if let Some(first) = reached.iter().position(|r| *r) {
                    for (at, slot) in next.iter_mut().enumerate().skip(first) {
                        *slot = line.is_char_boundary(at);
                    }
                }
            }
        }
        reached = next;
    }
    reached[len]
}

/// A line the pattern describes: `<n>` as 42, `<any>` as a word.
fn example_line(pieces: &[Piece]) -> String {
    let mut line = String::new();
    for piece in pieces {
        match piece {
            Piece::Char(c) => line.push(*c),
            Piece::Number => line.push_str("42"),
            Piece::Any => line.push_str("word"),
        }
    }
    line
}
