//! What one value may look like: handles, class names, test references, URLs, patterns and
//! placeholder text, each judged on its own, whatever the rest of the request says.

use chrono::NaiveDate;

use crate::calendar;
use crate::config::SiteConfig;

use super::super::pattern::Pattern;

/// Whether `handle` is a GitHub user name: 1–39 ASCII letters, digits or single hyphens, not
/// starting or ending with a hyphen.
pub fn is_github_handle(handle: &str) -> bool {
    (1..=39).contains(&handle.len())
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !handle.starts_with('-')
        && !handle.ends_with('-')
        && !handle.contains("--")
}

/// Words that stand in for text not written yet.
pub(super) const PLACEHOLDER_WORDS: &[&str] = &[
    "todo",
    "tbd",
    "fixme",
    "...",
    "…",
    "-",
    "n/a",
    "none",
    "placeholder",
];

/// Whether `text` is empty or only stands in for text not written yet: made only of
/// placeholder words (case and trailing punctuation ignored), or starting with a `TODO`, `TBD`
/// or `FIXME` marker (any case before `:`, capitals before a space or `(`).
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    for marker in ["TODO", "TBD", "FIXME"] {
        let Some(rest) = text
            .get(..marker.len())
            .filter(|head| head.eq_ignore_ascii_case(marker))
            .map(|_| &text[marker.len()..])
        else {
            continue;
        };
        if rest.starts_with(':') || (text.starts_with(marker) && rest.starts_with([' ', '('])) {
            return true;
        }
    }
    text.split_whitespace().all(is_placeholder_word)
}

pub(super) fn is_placeholder_word(word: &str) -> bool {
    let word = word.trim_matches(['*', '_', '`']).to_lowercase();
    let bare = word.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    PLACEHOLDER_WORDS.contains(&word.as_str())
        || bare.is_empty()
        || PLACEHOLDER_WORDS.contains(&bare)
}

/// What is wrong with one output pattern, as (message, help) pairs.
pub fn pattern_problems(pattern: &str) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    if pattern.trim().is_empty() {
        problems.push((
            "the pattern is empty".to_owned(),
            "write the output line, with `<n>` for numbers and `<any>` for varying text".to_owned(),
        ));
        return problems;
    }
    if pattern.trim() != pattern {
        problems.push((
            format!(
                "the pattern `{}` has leading or trailing spaces",
                shorten(pattern)
            ),
            "remove them: lines are compared without surrounding spaces".to_owned(),
        ));
    }
    for name in unknown_placeholders(pattern) {
        let help = match name.to_ascii_lowercase().as_str() {
            "n" | "any" => format!(
                "placeholders are lower case: `<{}>`",
                name.to_ascii_lowercase()
            ),
            _ => "the placeholders are `<n>` (a whole number) and `<any>` (any text)".to_owned(),
        };
        problems.push((format!("unknown placeholder `<{name}>`"), help));
    }
    if !Pattern::new(pattern).has_literal() {
        problems.push((
            format!(
                "the pattern `{}` has no literal text, so it matches almost any line",
                shorten(pattern)
            ),
            "include the fixed words of the line, e.g. `EXP PROCESSED SUCCESS: <n>`".to_owned(),
        ));
    }
    problems
}

/// The names in `<name>` that are not `<n>` or `<any>`; a name is a letter or `_` followed
/// by up to 31 letters, digits, `_` or `-`, so text such as `a < b > c` is not one.
pub(super) fn unknown_placeholders(pattern: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('>') else { break };
        let name = &rest[..close];
        let is_name = (1..=32).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if is_name {
            if name != "n" && name != "any" {
                names.push(name);
            }
            rest = &rest[close + 1..];
        }
    }
    names
}

/// Whether `reference` names a backend test: `path/to/x_test.py::Class::test_name` or
/// `path/to/x_test.py::test_name`.
pub fn is_test_reference(reference: &str) -> bool {
    test_reference_problem(reference).is_none()
}

/// What keeps `reference` from naming a backend test, in words for a message.
pub(super) fn test_reference_problem(reference: &str) -> Option<String> {
    let mut parts = reference.split("::");
    let path = parts.next().unwrap_or_default();
    let names: Vec<&str> = parts.collect();
    let segment_ok = |segment: &str| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
    };
    let file = path.rsplit('/').next().unwrap_or_default();
    if !path.split('/').all(segment_ok) {
        return Some(format!("`{}` is not a relative file path", shorten(path)));
    }
    if !(file.len() > "_test.py".len() && file.ends_with("_test.py")) {
        return Some(format!("`{file}` is not a test file (`*_test.py`)"));
    }
    let Some(last) = names.last() else {
        return Some("it names a file but no test in it".to_owned());
    };
    if names.len() > 2 {
        return Some("too many `::` parts".to_owned());
    }
    if let Some(bad) = names.iter().find(|name| !is_identifier(name)) {
        return Some(format!("`{}` is not a Python name", shorten(bad)));
    }
    if !last.starts_with("test") {
        return Some(format!("`{last}` is not a test function (`test...`)"));
    }
    None
}

pub(super) fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether `name` looks like a Python class name: `^[A-Z][A-Za-z0-9_]*$`.
pub fn is_class_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) && is_identifier(name)
}

/// Whether `url` is an absolute http or https URL with a host.
pub(super) fn is_http_url(url: &str) -> bool {
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    });
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// Whether `url` is `https://github.com/<repository>/pull/<number>`, optionally followed by
/// `/` or `/files`. The repository is compared without case, as GitHub does.
pub(super) fn is_pull_request_of(url: &str, repository: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://github.com/") else {
        return false;
    };
    let Some(number) = rest
        .get(..repository.len())
        .filter(|repo| repo.eq_ignore_ascii_case(repository))
        .and_then(|_| rest[repository.len()..].strip_prefix("/pull/"))
    else {
        return false;
    };
    let number = number
        .strip_suffix("/files")
        .or_else(|| number.strip_suffix('/'))
        .unwrap_or(number);
    !number.is_empty() && !number.starts_with('0') && number.bytes().all(|b| b.is_ascii_digit())
}

/// The weekend start closest to `day` (the later one on a tie).
pub(super) fn nearest_weekend_start(config: &SiteConfig, day: NaiveDate) -> NaiveDate {
    let policy = &config.policy;
    let before = calendar::weekend_start_on_or_before(policy, day);
    let after = calendar::weekend_start_after(policy, day);
    if day - before < after - day {
        before
    } else {
        after
    }
}

/// At most 60 characters of `text`, on one line, for messages.
pub(super) fn shorten(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut out: String = line.chars().take(60).collect();
    if out.len() < text.trim_end().len() {
        out.push('…');
    }
    out
}

pub(super) fn list(handles: &[String]) -> String {
    if handles.is_empty() {
        "(none)".to_owned()
    } else {
        handles.join(", ")
    }
}
