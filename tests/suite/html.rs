//! Just enough HTML reading for tests of hostile input: the tags of a generated page with their
//! attributes, and text with character references decoded.
//!
//! The site escapes every `<` of text, so in its output a `<` followed by a letter always
//! opens a tag: that is what a browser would see too, and what these helpers report.

/// An opening tag (closing tags are skipped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// Lower case.
    pub name: String,
    /// Names in lower case, values with character references decoded.
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `name[attr1,attr2]`, attributes sorted: what kind of element this is.
    pub fn signature(&self) -> String {
        let mut names: Vec<&str> = self.attrs.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        format!("{}[{}]", self.name, names.join(","))
    }
}

/// Every opening tag of `html`, in order. Comments, doctypes and processing instructions are
/// skipped.
pub fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if rest.starts_with(['!', '?', '/']) {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .unwrap_or(rest.len());
        if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        let (attrs, after) = attributes(&rest[name_len..]);
        out.push(Tag { name, attrs });
        rest = after;
    }
    out
}

/// Reads attributes up to the `>` that ends the tag; returns them and the text after it.
fn attributes(mut rest: &str) -> (Vec<(String, String)>, &str) {
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return (attrs, rest);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (attrs, after);
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || "=>/".contains(c))
            .unwrap_or(rest.len())
            .max(1);
        let name = rest[..name_len].to_ascii_lowercase();
        rest = rest[name_len..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode(raw);
            rest = next;
        }
        attrs.push((name, value));
    }
}

/// Decodes the character references the site writes (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&#39;`, `&#NN;`, `&#xNN;`). Any other named reference is a bug in the test's assumptions,
/// so it panics rather than guess.
pub fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let end = rest
            .find(';')
            .unwrap_or_else(|| panic!("a bare `&` in {text:?}"));
        let name = &rest[..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .unwrap_or_else(|| panic!("unexpected reference `&{name};` in {text:?}"))
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The decoded text inside each `<name ...>...</name>` of `html` (the element must not nest
/// in itself), with tags inside removed.
pub fn texts_of(html: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        rest = &rest[at + open.len()..];
        if !rest.starts_with([' ', '>']) {
            continue;
        }
        let Some(start) = rest.find('>') else { break };
        let inner = &rest[start + 1..];
        let end = inner.find(&close).unwrap_or(inner.len());
        out.push(decode(&strip_tags(&inner[..end])));
        rest = &inner[end..];
    }
    out
}

/// `html` without its tags; character references are left as they are.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out
}

/// The scheme of `url` as a browser reads it (WHATWG URL: leading and trailing C0 controls and
/// spaces dropped, tabs and line breaks removed anywhere), in lower case; `None` if relative.
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attributes() {
        let found = tags(
            "<!doctype html><p class=a>x &lt;b&gt;</p><!-- <i> --><A HREF='u?a=1&amp;b' title=\"t>\" hidden>",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].signature(), "p[class]");
        assert_eq!(found[1].attr("href"), Some("u?a=1&b"));
        assert_eq!(found[1].attr("title"), Some("t>"));
        assert_eq!(found[1].signature(), "a[hidden,href,title]");
    }

    #[test]
    fn schemes_as_a_browser_reads_them() {
        assert_eq!(
            scheme(" \u{1}java\tscript:x").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("HTTPS://x").as_deref(), Some("https"));
        assert_eq!(scheme("../a:b"), None);
        assert_eq!(scheme("%6Aavascript:x"), None);
        assert_eq!(scheme("\u{feff}javascript:x"), None);
    }

    #[test]
    fn texts_are_decoded() {
        assert_eq!(
            texts_of("<h1 id=x>a &amp;lt; <b>b</b></h1><h1>c</h1>", "h1"),
            ["a &lt; b", "c"]
        );
    }
}
