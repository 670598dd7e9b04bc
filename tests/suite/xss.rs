//! The cross-site-scripting corpus (`tests/xss/`): every payload in every free-text field of a
//! request, built into real sites, and every output file searched for anything a payload
//! turned into markup, a script link, broken XML or changed JSON.
//!
//! Each hostile site is compared with a control site: the same requests with plain text
//! instead of the payload, so whatever markup the theme itself writes is allowed and anything
//! more came from a payload.

#[path = "../xss/generate.rs"]
mod generate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use generate::{ELEMENT_MARKER, MARKER, Manifest, Payload, SiteEntry};

use super::common::{TODAY, TempSite, tree};
use super::html::{self, Tag};

const REFUSED: &str = include_str!("../xss/refused.txt");

/// What markdown may add to a page besides the theme's own markup, as tag signatures.
const MARKDOWN_MARKUP: &[&str] = &[
    "a[href]",
    "a[href,title]",
    "a[aria-label,class,href]",
    "blockquote[]",
    "br[]",
    "code[]",
    "code[class]",
    "del[]",
    "div[class,id]",
    "em[]",
    "h1[id]",
    "h2[id]",
    "h3[id]",
    "h4[id]",
    "h5[id]",
    "h6[id]",
    "hr[]",
    "img[alt,src]",
    "img[alt,src,title]",
    "input[disabled,type]",
    "input[checked,disabled,type]",
    "li[]",
    "ol[]",
    "ol[start]",
    "p[]",
    "pre[]",
    "strong[]",
    "sup[class]",
    "table[]",
    "tbody[]",
    "td[]",
    "th[]",
    "thead[]",
    "tr[]",
    "ul[]",
];

/// Attributes that hold a URL a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
    "cite",
    "srcset",
    "ping",
];

fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

/// The corpus sites and control sites of the same shape, as sources under `dir/src`.
fn write(name: &str, payloads: &[Payload], dir: &Path) -> (Manifest, Manifest) {
    let plain: Vec<Payload> = payloads
        .iter()
        .map(|p| Payload {
            line: p.line,
            text: format!("{MARKER} plain words"),
        })
        .collect();
    let hostile = generate::write_sites(name, payloads, &dir.join("src")).unwrap();
    let control = generate::write_sites(&format!("{name}-control"), &plain, &dir.join("src"));
    (hostile, control.unwrap())
}

fn check_json(work: &TempSite, site: &str) -> serde_json::Value {
    let run = work.run_bare(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "--root",
        &format!("src/{site}"),
    ]);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"))
}

fn build(work: &TempSite, site: &str) -> super::common::Run {
    work.run_bare(&[
        "build",
        "--today",
        TODAY,
        "--root",
        &format!("src/{site}"),
        "--out",
        &format!("out/{site}"),
    ])
}

#[test]
fn every_payload_is_published_as_text() {
    let payloads = generate::parse_payloads(generate::PAYLOADS);
    assert!(payloads.len() >= 100, "the corpus has {}", payloads.len());
    let work = TempSite::empty();
    let (hostile, control) = write("payloads", &payloads, work.path());
    for (site, plain) in hostile.sites.iter().zip(&control.sites) {
        let report = check_json(&work, &site.name);
        assert_eq!(
            report["diagnostics"],
            serde_json::json!([]),
            "{}",
            site.name
        );
        for name in [&site.name, &plain.name] {
            let run = build(&work, name);
            assert_eq!(run.code, 0, "{name}: {run:?}");
        }
        let out = work.path().join("out");
        assert_published_safely(&out.join(&site.name), &out.join(&plain.name), site);
    }
}

#[test]
fn refused_payloads_are_reported_and_never_built() {
    let payloads = generate::parse_payloads(REFUSED);
    let work = TempSite::empty();
    let (hostile, control) = write("refused", &payloads, work.path());
    for site in &hostile.sites {
        let report = check_json(&work, &site.name);
        let mut flagged = BTreeSet::new();
        for d in report["diagnostics"].as_array().unwrap() {
            assert_eq!(d["code"], "JG208", "{d}");
            flagged.insert(d["file"].as_str().unwrap().to_owned());
        }
        for r in &site.requests {
            let file = format!("requests/{}.yaml", r.id);
            assert!(flagged.contains(&file), "not refused: {:?}", r.payload);
        }
        let run = build(&work, &site.name);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(!work.path().join("out").join(&site.name).exists());
    }
    // Were one to slip past the check, the renderer must still drop every such link.
    for (site, plain) in hostile.sites.iter().zip(&control.sites) {
        let out = work.path().join("rendered");
        for name in [&site.name, &plain.name] {
            render_unchecked(&work.path().join("src").join(name), &out.join(name));
        }
        assert_published_safely(&out.join(&site.name), &out.join(&plain.name), site);
    }
}

/// Found by the corpus: a title with a control character made `feed.xml` ill-formed, since
/// XML cannot hold one even as a character reference.
#[test]
fn control_characters_in_a_title_keep_the_feed_well_formed() {
    let payload = Payload {
        line: 1,
        text: format!("{MARKER} \u{0}\u{1}\u{b}\u{1b}[31m \u{fffe}"),
    };
    let work = TempSite::empty();
    let (hostile, _) = write("controls", &[payload], work.path());
    let run = build(&work, &hostile.sites[0].name);
    assert_eq!(run.code, 0, "{run:?}");
    let feed = std::fs::read_to_string(work.path().join("out/controls-1/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let expected = format!("{MARKER} \u{fffd}\u{fffd}\u{fffd}\u{fffd}[31m \u{fffd}");
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("title") && n.text() == Some(&format!("Submitted: {expected}"))),
        "{feed}"
    );
}

/// Renders a site the way `build` would, but without refusing it for its errors.
fn render_unchecked(root: &Path, out: &Path) {
    let site = jobgate::site::load(root).unwrap();
    let config = site.config.clone().expect("the corpus settings are valid");
    let theme = jobgate::theme::Theme::load(root).unwrap();
    let staging = jobgate::site::output::Staging::create(out).unwrap();
    let scope = jobgate::site::pages::Scope::ALL;
    let history = jobgate::history::read(&site.root);
    let input = jobgate::site::pages::Input {
        site: &site,
        config: &config,
        theme: &theme,
        today: today(),
        history: &history,
        checker: None,
    };
    let records =
        jobgate::site::pages::write_all(&input, staging.tree(), scope, &Default::default())
            .unwrap();
    jobgate::site::search::write(&records, staging.tree()).unwrap();
    staging.commit().unwrap();
}

/// Every assertion on one built hostile site, against its control site.
fn assert_published_safely(out: &Path, control: &Path, site: &SiteEntry) {
    // The search index is compressed and named by content hashes; the browser run searches
    // it for every payload instead.
    let searchable = |(name, _): &(String, Vec<u8>)| !name.starts_with("pagefind/");
    let files: Vec<_> = tree(out).into_iter().filter(searchable).collect();
    let control_files: BTreeMap<String, Vec<u8>> =
        tree(control).into_iter().filter(searchable).collect();
    let names: Vec<&String> = files.iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        control_files.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (name, bytes) in &files {
        let text = String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{name}: UTF-8"));
        let plain = String::from_utf8(control_files[name].clone()).unwrap();
        let context = format!("{}/{name}", site.name);
        if name.ends_with(".html") {
            assert_html_is_safe(&text, &plain, &context);
        } else if name.ends_with("/badge.svg") {
            assert_badge_is_safe(&text, &context);
        } else if name.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{context}: {e}"));
        } else if name == "calendar.ics" {
            assert_calendar(&text, &context);
        } else if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{context}: {e}"));
        }
    }
    let read = |file: &str| std::fs::read_to_string(out.join(file)).unwrap();
    let read_control = |file: &str| std::fs::read_to_string(control.join(file)).unwrap();
    for r in &site.requests {
        let file = format!("jobs/{}/index.html", r.id);
        let page = read(&file);
        let context = format!("{}/{file}, payload at line {}", site.name, r.line);
        let headings = html::texts_of(&page, "h1");
        assert_eq!(headings.first(), Some(&r.title), "{context}");
        assert_eq!(
            html::texts_of(&page, "title"),
            [format!("{} · Hostile input", r.title)],
            "{context}"
        );
        let shown = html::decode(&html::strip_tags(&page));
        for line in r.payload.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                shown.contains(line),
                "{context}: output line {line:?} not shown"
            );
        }
        if r.payload.contains("7*7") {
            let evaluated = page.matches("49").count();
            assert_eq!(
                evaluated,
                read_control(&file).matches("49").count(),
                "{context}"
            );
        }
    }
    assert_feed(&read("feed.xml"), site);
    assert_api(&read("api/requests.json"), site);
}

/// The calendar as an independent parser (the `ical` crate) reads it: well-formed, and no
/// line of it ended early by a bare carriage return or line feed from a request.
fn assert_calendar(text: &str, context: &str) {
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'\r' => assert_eq!(bytes.get(i + 1), Some(&b'\n'), "{context}: bare CR at {i}"),
            b'\n' => assert_eq!(
                i.checked_sub(1).map(|j| bytes[j]),
                Some(b'\r'),
                "{context}: bare LF at {i}"
            ),
            _ => {}
        }
    }
    let mut parsed = 0;
    for calendar in ical::IcalParser::new(std::io::BufReader::new(bytes)) {
        let calendar = calendar.unwrap_or_else(|e| panic!("{context}: {e}"));
        for event in &calendar.events {
            for property in &event.properties {
                let value = property.value.as_deref().unwrap_or_default();
                assert!(!value.contains(['\r', '\n']), "{context}: {property:?}");
            }
        }
        parsed += 1;
    }
    assert_eq!(parsed, 1, "{context}: one calendar");
}

fn assert_html_is_safe(page: &str, control: &str, context: &str) {
    let theirs: BTreeSet<String> = html::tags(control).iter().map(Tag::signature).collect();
    for tag in html::tags(page) {
        let signature = tag.signature();
        assert!(
            theirs.contains(&signature) || MARKDOWN_MARKUP.contains(&signature.as_str()),
            "{context}: a payload made markup: {tag:?}"
        );
        for (name, value) in &tag.attrs {
            assert!(!name.starts_with("on"), "{context}: event handler {tag:?}");
            if URL_ATTRIBUTES.contains(&name.as_str()) {
                let scheme = html::scheme(value);
                assert!(
                    matches!(scheme.as_deref(), None | Some("http" | "https" | "mailto")),
                    "{context}: {name}={value:?} in {tag:?}"
                );
            }
            if name == "id" || name == "class" {
                assert!(
                    !value.split_ascii_whitespace().any(|v| v == ELEMENT_MARKER),
                    "{context}: a payload's element: {tag:?}"
                );
            }
        }
    }
}

fn assert_badge_is_safe(svg: &str, context: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{context}: {e}"));
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            ["svg", "title", "rect", "g", "text"].contains(&name),
            "{context}: <{name}> in a badge"
        );
        for attr in node.attributes() {
            assert!(!attr.name().starts_with("on"), "{context}: {}", attr.name());
        }
    }
}

/// XML cannot hold most control characters; the feed writes U+FFFD instead.
fn as_xml_text(text: &str) -> String {
    text.replace(|c| !jobgate::site::render::is_xml_char(c), "\u{fffd}")
}

/// Each request's entries carry its title exactly once, as the text of `<title>`.
fn assert_feed(feed: &str, site: &SiteEntry) {
    let atom = "http://www.w3.org/2005/Atom";
    let doc = roxmltree::Document::parse(feed).unwrap_or_else(|e| panic!("{}: {e}", site.name));
    for node in doc.descendants().filter(|n| n.is_element()) {
        assert_eq!(node.tag_name().namespace(), Some(atom), "{}", site.name);
    }
    let entries: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    for r in &site.requests {
        let title = as_xml_text(&r.title);
        let own: Vec<_> = entries
            .iter()
            .filter(|e| {
                let id = e.children().find(|n| n.has_tag_name("id"));
                id.and_then(|n| n.text())
                    .is_some_and(|t| t.contains(&format!("jobs/{}/#", r.id)))
            })
            .collect();
        let context = format!("{} feed, payload at line {}", site.name, r.line);
        assert_eq!(
            own.len(),
            4,
            "{context}: submitted, scheduled, run, withdrawn"
        );
        for entry in own {
            let texts: String = entry
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            assert_eq!(texts.matches(&title).count(), 1, "{context}");
            let shown = entry.children().find(|n| n.has_tag_name("title"));
            let shown = shown.and_then(|n| n.text()).unwrap_or_default();
            assert!(
                shown.ends_with(&format!(": {title}")),
                "{context}: {shown:?}"
            );
        }
    }
}

/// The JSON API gives back each title exactly as written.
fn assert_api(json: &str, site: &SiteEntry) {
    let entries: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    for r in &site.requests {
        let entry = entries.iter().find(|e| e["id"] == r.id.as_str());
        let entry = entry.unwrap_or_else(|| panic!("{} not in the API", r.id));
        assert_eq!(
            entry["title"],
            r.title.as_str(),
            "payload at line {}",
            r.line
        );
    }
    assert!(!json.contains('<') && !json.contains('>'), "{}", site.name);
}
