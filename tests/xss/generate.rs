//! The hostile sites of the cross-site-scripting corpus: one request per payload, made from
//! `request.yaml`, beside one plain request they all resubmit.
//!
//! The integration tests (`tests/suite/xss.rs`) and the browser checks (the `xss-sites`
//! example, which `.ci/browser/xss.mjs` runs) both build their sites with this one generator,
//! so both look at the same pages. Sites hold [`PER_SITE`] requests each so that a site's feed,
//! which keeps the latest 100 events, still has every payload in it.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

/// The payloads every site must publish safely.
pub const PAYLOADS: &str = include_str!("payloads.txt");
const TEMPLATE: &str = include_str!("request.yaml");
const SITE_YAML: &str = include_str!("site/content/site.yaml");
const BASE_REQUEST: &str = include_str!("site/requests/base-request.yaml");

/// The word every payload shows as text.
pub const MARKER: &str = "xsstext";
/// The id or class of every element a payload tries to create.
pub const ELEMENT_MARKER: &str = "xssel";
/// Requests per site: each adds four feed events (submitted, scheduled, its run, withdrawn)
/// and the base request one, so 24 fill 97 of the feed's 100 entries.
pub const PER_SITE: usize = 24;
/// The id of the plain request of every site.
pub const BASE_ID: &str = "base-request";

/// One line of a payload file, decoded.
#[derive(Clone, Debug, Serialize)]
pub struct Payload {
    /// The line of the file it was read from (1-based), for messages.
    pub line: usize,
    pub text: String,
}

/// The payloads of a file: comment (`#`) and blank lines skipped, `\u{HEX}` decoded.
pub fn parse_payloads(source: &str) -> Vec<Payload> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(i, line)| Payload {
            line: i + 1,
            text: decode(line).unwrap_or_else(|e| panic!("line {}: {e}", i + 1)),
        })
        .collect()
}

fn decode(line: &str) -> Result<String, String> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        let end = after.find('}').ok_or("`\\u{` without `}`")?;
        let code = u32::from_str_radix(&after[..end], 16)
            .map_err(|e| format!("`\\u{{{}}}`: {e}", &after[..end]))?;
        out.push(char::from_u32(code).ok_or(format!("U+{code:X} is not a character"))?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The payload as a title: one line, line breaks replaced by spaces.
pub fn title_of(payload: &str) -> String {
    payload.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

/// A YAML double-quoted scalar holding exactly `text`: everything but printable ASCII escaped.
fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if u32::from(c) <= 0xFFFF => write!(out, "\\u{:04X}", u32::from(c)).unwrap(),
            c => write!(out, "\\U{:08X}", u32::from(c)).unwrap(),
        }
    }
    out.push('"');
    out
}

/// The template without its comment lines, which name the placeholders.
fn template() -> String {
    TEMPLATE
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// The corpus request with `payload` in every free-text field.
pub fn request(payload: &str) -> String {
    template()
        .replace("XSS_LINE", &yaml_string(&title_of(payload)))
        .replace("XSS_TEXT", &yaml_string(payload))
        .replace("XSS_MARKDOWN", &yaml_string(payload))
}

/// How many fields of the request are markdown, and how many are plain text besides the title.
pub fn field_counts() -> (usize, usize) {
    let template = template();
    (
        template.matches("XSS_MARKDOWN").count(),
        template.matches("XSS_TEXT").count(),
    )
}

/// What was written, for the tests and for the browser checks (`manifest.json`).
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub marker: &'static str,
    pub element_marker: &'static str,
    pub markdown_fields: usize,
    pub text_fields: usize,
    pub sites: Vec<SiteEntry>,
}

/// One site: a folder under the output, and its hostile requests.
#[derive(Debug, Serialize)]
pub struct SiteEntry {
    pub name: String,
    pub requests: Vec<RequestEntry>,
}

#[derive(Debug, Serialize)]
pub struct RequestEntry {
    pub id: String,
    /// The line of the payload file.
    pub line: usize,
    pub payload: String,
    pub title: String,
}

/// Writes one site per [`PER_SITE`] payloads, as `out/<name>-<n>/`. Request ids depend only on
/// a payload's position (`request-001`...), so two sets of the same length have the same pages.
pub fn write_sites(name: &str, payloads: &[Payload], out: &Path) -> std::io::Result<Manifest> {
    let (markdown_fields, text_fields) = field_counts();
    let mut sites = Vec::new();
    for (n, chunk) in payloads.chunks(PER_SITE).enumerate() {
        let site = SiteEntry {
            name: format!("{name}-{}", n + 1),
            requests: chunk
                .iter()
                .enumerate()
                .map(|(i, p)| RequestEntry {
                    id: format!("request-{:03}", n * PER_SITE + i + 1),
                    line: p.line,
                    payload: p.text.clone(),
                    title: title_of(&p.text),
                })
                .collect(),
        };
        let root = out.join(&site.name);
        std::fs::create_dir_all(root.join("content"))?;
        std::fs::create_dir_all(root.join("requests"))?;
        std::fs::write(root.join("content/site.yaml"), SITE_YAML)?;
        std::fs::write(root.join(format!("requests/{BASE_ID}.yaml")), BASE_REQUEST)?;
        for r in &site.requests {
            let file = root.join(format!("requests/{}.yaml", r.id));
            std::fs::write(file, request(&r.payload))?;
        }
        sites.push(site);
    }
    Ok(Manifest {
        marker: MARKER,
        element_marker: ELEMENT_MARKER,
        markdown_fields,
        text_fields,
        sites,
    })
}
