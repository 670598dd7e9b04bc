//! Any text through the markdown renderer the guide and every request's markdown fields use,
//! checking what it promises for untrusted text:
//!
//! - raw HTML is shown as text, so every tag in the output is one the renderer writes itself
//!   (no `<script`, `<iframe`, `<style`, comments, ...) and every `<` starts such a tag;
//! - tags carry only the attributes the renderer writes (never an `on...=` handler, never a
//!   free `style`);
//! - `href` keeps only http(s), mailto or relative targets and `src` only http(s) or relative,
//!   judged the way a browser reads them (entities decoded, tabs and newlines dropped);
//! - what it reports agrees: links kept are allowed, links refused are not, and every heading
//!   it lists has its id in the HTML.
//!
//! The HTML is read by a small tokenizer written here, independent of the renderer.

#![no_main]

use jobgate::markdown;
use libfuzzer_sys::fuzz_target;

/// Every element pulldown-cmark writes for the options the site enables, plus the heading
/// anchors the site adds.
const TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "img",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "input",
    "sup",
    "div",
];

const ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "alt",
    "title",
    "id",
    "class",
    "style",
    "start",
    "type",
    "checked",
    "disabled",
    "aria-label",
];

fuzz_target!(|bytes: &[u8]| {
    let Ok(source) = std::str::from_utf8(bytes) else {
        return;
    };
    let out = markdown::render(source);
    let tags = tokenize(&out.html);

    for tag in &tags {
        assert!(
            TAGS.contains(&tag.name.as_str()),
            "unexpected element <{}> in {:?}",
            tag.name,
            out.html
        );
        for (name, value) in &tag.attributes {
            assert!(
                ATTRIBUTES.contains(&name.as_str()),
                "unexpected attribute {name}= on <{}> in {:?}",
                tag.name,
                out.html
            );
            let value = decode(value, &out.html);
            match name.as_str() {
                "href" => {
                    assert!(
                        allowed_target(&value, true),
                        "href {value:?} in {:?}",
                        out.html
                    );
                }
                "src" => assert!(
                    allowed_target(&value, false),
                    "src {value:?} in {:?}",
                    out.html
                ),
                "style" => assert!(
                    value.starts_with("text-align:") && !value.contains([';', '(', '\\']),
                    "style {value:?} in {:?}",
                    out.html
                ),
                "type" => assert_eq!(value, "checkbox", "{:?}", out.html),
                _ => {}
            }
        }
    }

    for link in &out.links {
        assert!(markdown::is_allowed_link(link), "kept {link:?}");
    }
    // A refused target is one no link may have, or a mailto address given as an image (its
    // scheme read with white space and control characters left out, as the renderer does).
    for link in &out.refused_links {
        let squeezed: String = link
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
            .collect();
        assert!(
            !markdown::is_allowed_link(link) || squeezed.to_ascii_lowercase().contains("mailto:"),
            "refused {link:?}"
        );
    }
    for heading in &out.headings {
        assert!((1..=6).contains(&heading.level), "{heading:?}");
        let id = format!("id=\"{}\"", markdown::escape_attr(&heading.id));
        assert!(out.html.contains(&id), "{heading:?} not in {:?}", out.html);
    }
});

struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// The opening tags of `html`. Panics on anything that is not a plain element tag: a comment,
/// a doctype, a processing instruction or a `<` that opens nothing.
fn tokenize(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        if closing {
            rest = &rest[1..];
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        assert!(
            name_len > 0 && rest.starts_with(|c: char| c.is_ascii_alphabetic()),
            "a `<` that opens no element: {:?}",
            &rest[..rest.len().min(40)]
        );
        let name = rest[..name_len].to_ascii_lowercase();
        rest = &rest[name_len..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start_matches(is_html_space);
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            if let Some(after) = rest.strip_prefix("/>") {
                rest = after;
                break;
            }
            assert!(!closing, "attributes on a closing tag </{name}");
            assert!(!rest.is_empty(), "unterminated tag <{name}");
            let attr_len = rest
                .find(|c: char| is_html_space(c) || c == '=' || c == '>' || c == '/')
                .unwrap_or(rest.len());
            assert!(attr_len > 0, "stray character in <{name}: {rest:?}");
            let attr = rest[..attr_len].to_ascii_lowercase();
            rest = rest[attr_len..].trim_start_matches(is_html_space);
            let value = if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start_matches(is_html_space);
                let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
                let Some(quote) = quote else {
                    panic!("unquoted value for {attr}= in <{name}");
                };
                let body = &after[1..];
                let end = body
                    .find(quote)
                    .unwrap_or_else(|| panic!("unterminated value for {attr}= in <{name}"));
                rest = &body[end + 1..];
                body[..end].to_owned()
            } else {
                String::new()
            };
            attributes.push((attr, value));
        }
        if !closing {
            tags.push(Tag { name, attributes });
        }
    }
    tags
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{c}' | '\r')
}

/// An attribute value as the browser sees it. The renderer escapes `&`, so the only entities
/// it may write are the five it uses for escaping and numeric ones; any other named entity
/// (say `&colon;`) would be decoded by a browser into something the checks here never saw.
fn decode(value: &str, html: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let end = rest
            .find(';')
            .unwrap_or_else(|| panic!("a bare `&` in an attribute of {html:?}"));
        let entity = &rest[..end];
        rest = &rest[end + 1..];
        let c = match entity {
            "amp" => '&',
            "quot" => '"',
            "lt" => '<',
            "gt" => '>',
            "apos" => '\'',
            _ => {
                let number = if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    entity.strip_prefix('#').and_then(|d| d.parse().ok())
                };
                number
                    .and_then(char::from_u32)
                    .unwrap_or_else(|| panic!("entity &{entity}; in an attribute of {html:?}"))
            }
        };
        out.push(c);
    }
    out.push_str(rest);
    out
}

/// Whether a browser would follow `target` to an allowed place: with a scheme, only http,
/// https and (for links, not images) mailto; without one, a relative reference.
fn allowed_target(target: &str, mailto_ok: bool) -> bool {
    // Browsers strip leading and trailing C0 controls and spaces, and drop tabs and newlines
    // anywhere, before they look for the scheme.
    let cleaned: String = target
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let candidate = &cleaned[..colon];
    let is_scheme = candidate.starts_with(|c: char| c.is_ascii_alphabetic())
        && candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        // A colon after a path, query or fragment character: a relative reference.
        return true;
    }
    let scheme = candidate.to_ascii_lowercase();
    scheme == "http" || scheme == "https" || (mailto_ok && scheme == "mailto")
}
