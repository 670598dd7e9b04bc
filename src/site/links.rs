//! Links in the guide, checked against the site that will be built.
//!
//! Guide pages link to each other and to job and release pages with relative URLs
//! (`../timing-and-cutoffs/#release-fit`, `../../jobs/<id>/`) so the site works under any base
//! URL and from disk. Renaming a page, a heading or a request would break such links without
//! anyone noticing, so every kept link is resolved here against the pages, headings and
//! requests that exist; external links (http, https, mailto) are left alone.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::month::Month;
use crate::request::Loaded;

use super::guide::GuidePage;
use super::routes::{self, Route};

/// Checks every link of every guide page: JG502 for relative links that lead nowhere, JG208
/// for links the renderer refused, each at the link's line in the page's source.
pub fn check_guide_links(guide: &[GuidePage], requests: &[Loaded]) -> Vec<Diagnostic> {
    let site = Targets {
        pages: guide.iter().map(|p| (p.slug.as_str(), p)).collect(),
        requests: requests.iter().map(|r| r.id.as_str()).collect(),
    };
    let mut found = Vec::new();
    for page in guide {
        if page.body.links.is_empty() && page.body.refused_links.is_empty() {
            continue;
        }
        let mut locator = Locator::new(&page.source, page.body_line);
        for target in &page.body.links {
            let span = locator.find(target);
            if let Some((message, help)) = site.check(page, target) {
                let d = Diagnostic::new(Code::BrokenLink, &page.file, span, message);
                found.push(match help {
                    Some(help) => d.with_help(help),
                    None => d,
                });
            }
        }
        for target in &page.body.refused_links {
            let span = locator.find(target);
            found.push(
                Diagnostic::new(
                    Code::BadUrl,
                    &page.file,
                    span,
                    format!(
                        "the link `{}` was removed: its scheme is not allowed",
                        shorten(target)
                    ),
                )
                .with_help("links may only be http(s), mailto or relative"),
            );
        }
    }
    found
}

/// What a relative link may lead to.
struct Targets<'a> {
    pages: HashMap<&'a str, &'a GuidePage>,
    requests: HashSet<&'a str>,
}

/// A broken link's message and, where it helps, how to fix it.
type Problem = (String, Option<String>);

impl Targets<'_> {
    /// Resolves `target` from the page at `guide/<slug>/`; `None` when it leads somewhere.
    fn check(&self, page: &GuidePage, target: &str) -> Option<Problem> {
        if is_external(target) {
            return None;
        }
        let (path, fragment) = match target.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (target, None),
        };
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return fragment.and_then(|id| missing_heading(page, id, target));
        }
        if path.starts_with('/') {
            return Some((
                format!("`{target}` starts at the domain root"),
                Some(
                    "the site may live below the root (see `base_url`); use a relative link such \
                     as `../other-page/` or `../../jobs/`"
                        .to_owned(),
                ),
            ));
        }
        let Some((segments, folder)) = resolve(&["guide", &page.slug], path) else {
            return Some((format!("`{target}` leads outside the site"), None));
        };
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let needs_slash = || {
            Some((
                format!("`{target}` needs a trailing slash"),
                Some(format!(
                    "pages are folders; write `{}/{}`",
                    path.trim_end_matches('/'),
                    fragment.map(|f| format!("#{f}")).unwrap_or_default()
                )),
            ))
        };
        let slash = |route: Route| (route.is_page() && !folder).then(needs_slash).flatten();
        match routes::route(&segments) {
            Some(Route::Guide(slug)) => match self.pages.get(slug) {
                None => Some((
                    format!("`{target}`: there is no guide page `{slug}`"),
                    Some(format!("guide pages: {}", self.page_list())),
                )),
                Some(_) if !folder => needs_slash(),
                Some(other) => fragment.and_then(|id| missing_heading(other, id, target)),
            },
            Some(Route::Job(id) | Route::JobBadge(id) | Route::JobFeed(id))
                if !self.requests.contains(id) =>
            {
                Some((
                    format!("`{target}`: there is no request `{id}`"),
                    Some("request ids are the file names in requests/, without `.yaml`".to_owned()),
                ))
            }
            // Any real month passes: which months get a page depends on the build's window.
            Some(Route::Release(month)) if Month::parse(month).is_none() => Some((
                format!("`{target}`: `{month}` is not a release month"),
                Some("release pages are `../../releases/YYYY-MM/`".to_owned()),
            )),
            // Which weekends get a run sheet depends on the day of the build.
            Some(Route::Runs(_)) | None => Some((
                format!("`{target}` leads to no page of the site"),
                Some(
                    "link guide pages as `../<page>/`, job pages as `../../jobs/<id>/`, releases \
                     as `../../releases/` or `../../releases/YYYY-MM/`"
                        .to_owned(),
                ),
            )),
            Some(route) if !route.is_page() && folder => Some((
                format!("`{target}` leads to no page of the site"),
                Some(format!(
                    "`{}` is a file; drop the trailing slash",
                    route.path()
                )),
            )),
            Some(route) => slash(route),
        }
    }

    fn page_list(&self) -> String {
        let mut slugs: Vec<&str> = self.pages.keys().copied().collect();
        slugs.sort_unstable();
        slugs.join(", ")
    }
}

/// A problem if `page` has no heading `id`.
fn missing_heading(page: &GuidePage, id: &str, target: &str) -> Option<Problem> {
    if id.is_empty() || page.body.headings.iter().any(|h| h.id == id) {
        return None;
    }
    let ids: Vec<&str> = page.body.headings.iter().map(|h| h.id.as_str()).collect();
    let help = if ids.is_empty() {
        "that page has no headings".to_owned()
    } else {
        format!("its headings are: {}", ids.join(", "))
    };
    Some((
        format!("`{target}`: the page `{}` has no heading `{id}`", page.slug),
        Some(help),
    ))
}

/// Whether `target` leaves the site: it has a scheme, or is protocol-relative (`//host/`).
fn is_external(target: &str) -> bool {
    if target.starts_with("//") {
        return true;
    }
    let Some(colon) = target.find(':') else {
        return false;
    };
    let scheme = &target[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Resolves the relative `path` from the folder `base` into segments from the site root, and
/// whether it names a folder (ends in `/`, `.` or `..`, or is an `index.html`). `None` if it
/// climbs above the root.
fn resolve(base: &[&str], path: &str) -> Option<(Vec<String>, bool)> {
    let mut segments: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
    let mut folder = true;
    for part in path.split('/') {
        folder = matches!(part, "" | "." | "..");
        match part {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            part => segments.push(part.to_owned()),
        }
    }
    if segments.last().is_some_and(|s| s == "index.html") {
        segments.pop();
        folder = true;
    }
    Some((segments, folder))
}

/// Finds where each link target is written in a page's source, in order, so repeated targets
/// get successive positions.
struct Locator<'t> {
    text: &'t str,
    fallback: u32,
    /// For each target, where the next search for it starts.
    next: HashMap<String, usize>,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str, body_line: u32) -> Self {
        Locator {
            text,
            fallback: body_line,
            next: HashMap::new(),
        }
    }

    /// The span of the next occurrence of `target` as a link destination (`](target`,
    /// `](<target>`, `]: target` or `<target>`); the body's first line if it is not found.
    fn find(&mut self, target: &str) -> Span {
        let fallback = Span {
            line: self.fallback,
            column: 1,
            offset: 0,
            len: 0,
        };
        let text = self.text;
        let from = self.next.get(target).copied().unwrap_or(0);
        let rest = &text[from..];
        let forms = [
            (format!("]({target}"), 2),
            (format!("](<{target}>"), 3),
            (format!("]: {target}"), 3),
            (format!("<{target}>"), 1),
        ];
        // The destination must end where the target does, so `../a` is not found in `../ab/`.
        let ends =
            |after: &str| after.is_empty() || after.starts_with([')', '>', ' ', '\t', '\n', '\r']);
        let Some(at) = forms
            .iter()
            .filter_map(|(needle, skip)| {
                rest.match_indices(needle.as_str())
                    .find(|(i, needle)| ends(&rest[i + needle.len()..]))
                    .map(|(i, _)| from + i + skip)
            })
            .min()
        else {
            return fallback;
        };
        self.next.insert(target.to_owned(), at + target.len());
        let before = &text[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Span {
            line: before.matches('\n').count() as u32 + 1,
            column: before[line_start..].chars().count() as u32 + 1,
            offset: at,
            len: target.len(),
        }
    }
}

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::guide;

    fn page(slug: &str, body: &str) -> GuidePage {
        let text = format!("---\ntitle: {slug}\n---\n{body}");
        let file = format!("content/guide/{slug}.md");
        let mut diags = vec![];
        let page = guide::parse(slug, &file, &text, &mut diags).unwrap();
        assert_eq!(diags, vec![]);
        page
    }

    fn check(body: &str) -> Vec<(Code, u32, u32, String)> {
        let here = page("here", body);
        let other = page("other", "# Other\n\n## Known part\n");
        let request = crate::request::parse(
            include_bytes!("../../tests/fixtures/valid/requests/migrate-topic-summaries.yaml"),
            "requests/migrate-topic-summaries.yaml",
        )
        .0
        .unwrap();
        let loaded = Loaded {
            id: "migrate-topic-summaries".into(),
            file: "requests/migrate-topic-summaries.yaml".into(),
            request,
            text: String::new(),
        };
        check_guide_links(&[here, other], &[loaded])
            .into_iter()
            .map(|d| (d.code, d.span.line, d.span.column, d.message))
            .collect()
    }

    #[test]
    fn links_that_resolve_pass() {
        let body = "# Here\n\n\
            [a](../other/) [b](../other/#known-part) [c](#here) [d](../../jobs/)\n\
            [e](../../jobs/migrate-topic-summaries/) [f](../../releases/) [g](../../releases/2026-12/)\n\
            [h](../../) [i](../../calendar.ics) [j](https://x.org/y) [k](mailto:a@b.org)\n\
            [l](../../jobs/migrate-topic-summaries/badge.svg) [m](./) [n](../) [o](../other/index.html)\n\
            [p](../../api/requests.json) [q](../../jobs/state/overdue/) [r](../../jobs/release/2026-12/)\n";
        assert_eq!(check(body), vec![]);
    }

    #[test]
    fn broken_links_are_reported_where_they_are_written() {
        let body = "# Here\n\n\
            See [a](../missing/) and [b](../other/#unknown).\n\
            [c](#nowhere) [d](../../jobs/no-such-job/)\n\
            [e](../other) [f](../../releases/2026-13/) [g](/guide/other/)\n\
            [h](../../../../etc/) [i](../../nothing/) [j](javascript:alert(1))\n\
            [k](../../jobs/state/lost/)\n";
        let found = check(body);
        let at: Vec<(Code, u32, u32)> = found.iter().map(|f| (f.0, f.1, f.2)).collect();
        assert_eq!(
            at,
            vec![
                (Code::BrokenLink, 6, 9),
                (Code::BrokenLink, 6, 30),
                (Code::BrokenLink, 7, 5),
                (Code::BrokenLink, 7, 19),
                (Code::BrokenLink, 8, 5),
                (Code::BrokenLink, 8, 19),
                (Code::BrokenLink, 8, 48),
                (Code::BrokenLink, 9, 5),
                (Code::BrokenLink, 9, 27),
                (Code::BrokenLink, 10, 5),
                (Code::BadUrl, 9, 47),
            ],
            "{found:#?}"
        );
        assert!(found[0].3.contains("no guide page `missing`"), "{found:?}");
        assert!(found[4].3.contains("trailing slash"), "{found:?}");
    }

    #[test]
    fn repeated_targets_get_successive_positions() {
        let found = check("[a](#x)\n[b](#x)\n");
        let lines: Vec<u32> = found.iter().map(|f| f.1).collect();
        assert_eq!(lines, [4, 5]);
    }
}
