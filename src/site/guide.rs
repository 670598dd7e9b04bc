//! Guide pages: markdown files with YAML front matter (`title`, `weight`, `description`).

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::yaml::{self, Reader};

use crate::markdown::{self, Rendered};

/// One page of the process guide, rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuidePage {
    /// The file stem; the page lives at `guide/<slug>/`.
    pub slug: String,
    /// Path relative to the site root.
    pub file: String,
    pub title: String,
    pub weight: u32,
    pub description: String,
    pub body: Rendered,
    /// The body as plain text, for the search index.
    pub text: String,
    /// Line in the file where the markdown body starts, for link diagnostics.
    pub body_line: u32,
    /// The whole file as read, so that problems found later point at their line.
    pub source: String,
}

/// Parses one guide file. Problems are pushed to `diagnostics`; `None` if the page is unusable.
pub fn parse(
    slug: &str,
    file: &str,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<GuidePage> {
    let Some((front, body, body_line)) = split_front_matter(text) else {
        diagnostics.push(
            Diagnostic::new(Code::FrontMatter, file, Span::FILE, "the page has no front matter")
                .with_help("start the file with `---`, then `title:`, `weight:` and `description:`, then `---`"),
        );
        return None;
    };
    // Front matter starts on line 2, after the opening `---` line.
    let shift = |mut span: Span| {
        span.line += 1;
        span.offset += 4;
        span
    };
    let node = match yaml::parse(front, file) {
        Ok(node) => node,
        Err(mut d) => {
            d.code = Code::FrontMatter;
            d.span = shift(d.span);
            diagnostics.push(d);
            return None;
        }
    };
    let mut reader = Reader::new(file);
    let mut page = None;
    if let Some(mut f) = reader.fields(&node, "front matter") {
        let title = f.required::<String>(&mut reader, "title");
        let weight = f.optional::<u32>(&mut reader, "weight");
        let description = f.optional::<String>(&mut reader, "description");
        f.finish(&mut reader, &["title", "weight", "description"]);
        page = title.map(|title| GuidePage {
            slug: slug.to_owned(),
            file: file.to_owned(),
            title,
            weight: weight.unwrap_or(u32::MAX),
            description: description.unwrap_or_default(),
            body: markdown::render(body),
            text: markdown::plain_text(body),
            body_line,
            source: text.to_owned(),
        });
    }
    diagnostics.extend(reader.diagnostics.into_iter().map(|mut d| {
        d.code = Code::FrontMatter;
        d.span = shift(d.span);
        d
    }));
    page
}

/// Splits `---\n<yaml>---\n<body>`; returns the YAML, the body and the body's first line.
fn split_front_matter(text: &str) -> Option<(&str, &str, u32)> {
    let rest = text.strip_prefix("---\n")?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = front.lines().count() as u32 + 3;
            return Some((front, body, body_line));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_front_matter_and_body() {
        let mut diags = vec![];
        let text = "---\ntitle: Hi\nweight: 2\ndescription: About.\n---\n## One\n";
        let page = parse("hi", "content/guide/hi.md", text, &mut diags).unwrap();
        assert_eq!(diags, vec![]);
        assert_eq!(
            (page.title.as_str(), page.weight, page.body_line),
            ("Hi", 2, 6)
        );
        assert_eq!(page.body.headings[0].id, "one");
    }

    #[test]
    fn front_matter_problems_point_into_the_file() {
        let mut diags = vec![];
        let text = "---\nweight: heavy\ncolour: red\n---\nbody\n";
        assert!(parse("x", "content/guide/x.md", text, &mut diags).is_none());
        let found: Vec<_> = diags.iter().map(|d| (d.code, d.span.line)).collect();
        assert!(found.contains(&(Code::FrontMatter, 2)), "{diags:?}");
        assert!(found.contains(&(Code::FrontMatter, 3)), "{diags:?}");
        assert!(
            diags.iter().any(|d| d.message.contains("`title`")),
            "{diags:?}"
        );
    }

    #[test]
    fn a_page_without_front_matter_is_reported() {
        let mut diags = vec![];
        assert!(parse("x", "content/guide/x.md", "# Just text\n", &mut diags).is_none());
        assert_eq!(diags[0].code, Code::FrontMatter);
    }
}
