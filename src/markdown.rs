//! Markdown to HTML for the guide and for request fields, safe for untrusted text.
//!
//! Raw HTML is shown as text rather than dropped, so an author sees what they wrote; links and
//! images keep only http(s), mailto and relative targets; headings get stable anchor ids.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

/// A heading, for a page's table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The HTML of one markdown text and what it contains.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Every link target kept in the output, in order, for link checking.
    pub links: Vec<String>,
    /// Link targets that were removed because their scheme is not allowed.
    pub refused_links: Vec<String>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether a link target may appear in a page: http(s), mailto, or relative.
pub fn is_allowed_link(target: &str) -> bool {
    target_scheme(target).is_none_or(|s| ["http", "https", "mailto"].contains(&s.as_str()))
}

/// Whether an image may load from `target`: http(s) or relative.
fn is_allowed_image(target: &str) -> bool {
    target_scheme(target).is_none_or(|s| s == "http" || s == "https")
}

/// The scheme of `target` as a browser reads it, in lower case; `None` when it is relative.
fn target_scheme(target: &str) -> Option<String> {
    // Only what comes before the first `:`, `/`, `?` or `#` can be a scheme, however long.
    let head = target
        .find([':', '/', '?', '#'])
        .map_or(target, |end| &target[..=end]);
    // Browsers ignore ASCII white space and control characters inside a scheme.
    let cleaned: String = head
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    scheme(&cleaned).map(str::to_ascii_lowercase)
}

fn scheme(url: &str) -> Option<&str> {
    let end = url.find(':')?;
    let candidate = &url[..end];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !url[..end].contains(['/', '?', '#']))
    .then_some(candidate)
}

/// The anchor id of a heading: lower case, letters and digits kept, other runs become `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else {
            dash = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// How headings come out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Headings {
    /// With ids and anchor links, listed in [`Rendered::headings`] (guide pages).
    Anchored,
    /// Two levels lower and without ids, so text inside a page neither competes with the
    /// page's own headings nor takes its element ids (request fields).
    Nested,
}

/// Renders a guide page: headings get ids and anchors.
pub fn render(source: &str) -> Rendered {
    render_as(source, Headings::Anchored)
}

/// Renders a markdown field of a request for its job page: `# Heading` becomes an `<h3>`
/// without an id, since the page around it has its own headings and ids.
pub fn render_nested(source: &str) -> String {
    render_as(source, Headings::Nested).html
}

fn nested(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn render_as(source: &str, kind: Headings) -> Rendered {
    let mut events: Vec<Event> = Vec::new();
    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut refused_links = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    // Open headings collect their text so the id can be made from it.
    let mut heading: Option<(usize, HeadingLevel, Option<String>, String)> = None;
    // Depth of links that were refused, so their closing tags are dropped too.
    let mut refused_depth = 0usize;

    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Heading { level, .. }) if kind == Headings::Nested => {
                events.push(Event::Start(Tag::Heading {
                    level: nested(level),
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) if kind == Headings::Nested => {
                events.push(Event::End(TagEnd::Heading(nested(level))));
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    events.len(),
                    level,
                    id.map(|s| s.to_string()),
                    String::new(),
                ));
                events.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((at, _, explicit, text)) = heading.take() {
                    let base = explicit.unwrap_or_else(|| slugify(&text));
                    let id = unique_id(&mut used_ids, base);
                    events[at] = Event::Html(CowStr::from(format!(
                        "<{} id=\"{}\">",
                        level,
                        escape_attr(&id)
                    )));
                    events.push(Event::Html(CowStr::from(format!(
                        " <a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></{}>\n",
                        escape_attr(&id),
                        level
                    ))));
                    headings.push(Heading {
                        level: level as u8,
                        id,
                        text: text.trim().to_owned(),
                    });
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if is_allowed_link(&dest_url) {
                    links.push(dest_url.to_string());
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: with_index_file(dest_url),
                        title,
                        id,
                    }));
                } else {
                    refused_links.push(dest_url.to_string());
                    refused_depth += 1;
                }
            }
            Event::End(TagEnd::Link) if refused_depth > 0 => refused_depth -= 1,
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if !is_allowed_image(&dest_url) => {
                refused_links.push(dest_url.to_string());
                let _ = title;
                // The alt text that follows stays as plain text.
                refused_depth += 1;
                events.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Image) if refused_depth > 0 => refused_depth -= 1,
            other => {
                if let Some((_, _, _, text)) = heading.as_mut()
                    && let Event::Text(t) | Event::Code(t) = &other
                {
                    text.push_str(t);
                }
                events.push(other);
            }
        }
    }

    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered {
        html: out,
        headings,
        links,
        refused_links,
    }
}

/// `../guide/` → `../guide/index.html`, so relative links also work when pages are opened
/// from disk; links with a scheme, absolute paths and bare fragments are left alone.
fn with_index_file(url: CowStr) -> CowStr {
    if url.starts_with('#') || url.starts_with('/') || scheme(&url).is_some() {
        return url;
    }
    let (path, fragment) = url.split_at(url.find(['?', '#']).unwrap_or(url.len()));
    if path.is_empty() || !path.ends_with('/') {
        return url;
    }
    CowStr::from(format!("{path}index.html{fragment}"))
}

fn unique_id(used: &mut HashMap<String, usize>, base: String) -> String {
    let count = used.entry(base.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base
    } else {
        format!("{base}-{}", *count - 1)
    }
}

/// The words of `source` as plain text, for the search index: text, code and raw HTML (which
/// pages show as text), with blocks separated by a line break.
pub fn plain_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Text(text)
            | Event::Code(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => out.push('\n'),
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Escapes text for an HTML attribute value in double quotes.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let text = plain_text("# Title\n\nSome *bold* `code` and <b>tags</b>.\n\n- one\n- two\n");
        assert_eq!(text, "Title\nSome bold code and <b>tags</b>.\none\ntwo");
    }

    #[test]
    fn request_text_headings_sit_below_the_page_and_take_no_ids() {
        let html = render_nested("# Steps {#main}\n\n## Timeline\n\n###### Deep\n");
        assert_eq!(html, "<h3>Steps</h3>\n<h4>Timeline</h4>\n<h6>Deep</h6>\n");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let out = render("hello <script>alert(1)</script>\n\n<div onclick=x>block</div>\n").html;
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<div"), "{out}");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
    }

    #[test]
    fn dangerous_links_lose_their_target_but_keep_their_text() {
        for md in [
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click](java\tscript:alert(1))",
            "[click](data:text/html,<script>x</script>)",
            "[click](vbscript:x)",
            "[click][r]\n\n[r]: javascript:alert(1)",
            "<javascript:alert(1)>",
        ] {
            let out = render(md);
            assert!(!out.html.contains("href"), "{md} -> {}", out.html);
            assert!(out.links.is_empty(), "{md}");
        }
    }

    /// Found by the `markdown` fuzz target: only the first 32 characters were searched for a
    /// scheme, so a link with a longer, unknown scheme was kept as if it were relative.
    #[test]
    fn long_unknown_schemes_are_refused_too() {
        let scheme = format!("jav{}ascript", "d".repeat(40));
        let out = render(&format!("[e]({scheme}:x) [f](a/{scheme}:x)"));
        assert_eq!(out.refused_links, [format!("{scheme}:x")]);
        assert_eq!(out.links, [format!("a/{scheme}:x")]);
        assert!(
            !out.html.contains(&format!("href=\"{scheme}")),
            "{}",
            out.html
        );
    }

    #[test]
    fn safe_links_are_kept() {
        let out = render("[a](https://x.org) [b](../guide/#x) [c](mailto:a@b.org) <https://y.org>");
        assert_eq!(
            out.links,
            [
                "https://x.org",
                "../guide/#x",
                "mailto:a@b.org",
                "https://y.org"
            ]
        );
    }

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let out = render("# Release fit: in, at-risk\n\n## Again\n\n## Again\n");
        let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["release-fit-in-at-risk", "again", "again-1"]);
        assert!(out.html.contains(
            "<h1 id=\"release-fit-in-at-risk\">Release fit: in, at-risk <a class=\"anchor\""
        ));
    }

    #[test]
    fn task_lists_render_as_checkboxes() {
        let out = render("- [x] done\n- [ ] open\n").html;
        assert_eq!(out.matches("type=\"checkbox\"").count(), 2, "{out}");
        assert!(out.contains("checked"), "{out}");
    }

    #[test]
    fn images_with_script_urls_are_dropped() {
        let out = render("![alt](javascript:alert(1))").html;
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("alt"), "{out}");
    }

    /// Found by the `markdown` fuzz target: images refused `mailto:` only in lower case, so
    /// `![x](Mailto:a@b.org)` was kept as an image.
    #[test]
    fn images_refuse_mailto_in_any_case() {
        for md in [
            "![a](mailto:a@b.org)",
            "![a](Mailto:a@b.org)",
            "![a](MAILTO:a@b.org)",
            "![a](<MailTo:a@b.org>)",
        ] {
            let out = render(md);
            assert!(!out.html.contains("<img"), "{md} -> {}", out.html);
            assert_eq!(out.refused_links.len(), 1, "{md}");
        }
        let kept = render("![a](img/a.png) ![b](HTTPS://x.org/b.png)");
        assert_eq!(kept.html.matches("<img").count(), 2, "{}", kept.html);
        assert!(kept.refused_links.is_empty());
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("What \"fully tested\" means"),
            "what-fully-tested-means"
        );
        assert_eq!(slugify("  --- "), "section");
        assert_eq!(slugify("Étape 2"), "étape-2");
    }
}
