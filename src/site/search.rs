//! The search index: every guide page and every job as a pagefind record, built in-process at
//! build time and written under `pagefind/`.
//!
//! Records are given to pagefind as text rather than as HTML pages, so nothing is parsed twice
//! and the index holds only what a reader searches for. Pagefind keeps a record's content as
//! HTML (its excerpts are HTML with `<mark>` around the hits), so the text is escaped here; the
//! theme's search script still treats excerpts as untrusted and keeps only text and `<mark>`.

use std::collections::BTreeMap;

use anyhow::{Context as _, anyhow};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::markdown::{self, escape_attr};

/// The folder of the index inside the site.
pub const DIR: &str = "pagefind";

/// One searchable page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The page, relative to the site root (e.g. `jobs/x/index.html`).
    pub url: String,
    pub title: String,
    /// `Guide` or `Job`: shown beside each result, and a filter.
    pub section: &'static str,
    /// A line shown under the title (e.g. a job's state and release).
    pub detail: String,
    /// The words of the page, plain text.
    pub text: String,
}

impl Record {
    /// A record for a markdown text: its words become the record's text.
    pub fn from_markdown(
        url: String,
        title: String,
        section: &'static str,
        detail: String,
        parts: &[&str],
    ) -> Record {
        let text = parts
            .iter()
            .map(|part| markdown::plain_text(part))
            .collect::<Vec<_>>()
            .join("\n");
        Record {
            url,
            title,
            section,
            detail,
            text,
        }
    }
}

/// Builds the index of `records` and returns its files, paths relative to the site root.
/// The same records in the same order give the same files.
pub fn index(records: &[Record]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the search indexer")?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language("en".to_owned())
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| anyhow!("{e:#}"))?;
        for record in records {
            let meta = BTreeMap::from([
                ("title".to_owned(), record.title.clone()),
                ("detail".to_owned(), record.detail.clone()),
                ("section".to_owned(), record.section.to_owned()),
            ]);
            let filters = BTreeMap::from([("section".to_owned(), vec![record.section.to_owned()])]);
            index
                .add_custom_record(
                    format!("/{}", record.url),
                    escape_attr(&format!("{}\n{}", record.title, record.text)),
                    "en".to_owned(),
                    Some(meta),
                    Some(filters),
                    None,
                )
                .await
                .map_err(|e| anyhow!("{e:#}"))
                .with_context(|| format!("indexing {}", record.url))?;
        }
        index.get_files().await.map_err(|e| anyhow!("{e:#}"))
    })?;
    files
        .into_iter()
        .filter(|file| !is_prebuilt_ui(&file.filename))
        .map(|file| {
            let name = file.filename.to_str().map(str::to_owned).with_context(|| {
                format!("the search index named a file {}", file.filename.display())
            })?;
            Ok((
                format!("{DIR}/{}", name.trim_start_matches('/')),
                file.contents,
            ))
        })
        .collect()
}

/// Pagefind's own ready-made search interfaces; the theme has its own search page instead.
fn is_prebuilt_ui(name: &std::path::Path) -> bool {
    name.to_str().is_some_and(|name| {
        let name = name.trim_start_matches('/');
        name.ends_with("-ui.js") || name.ends_with("-ui.css") || name == "pagefind-highlight.js"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: usize, text: &str) -> Record {
        Record::from_markdown(
            format!("jobs/job-{n}/index.html"),
            format!("Job {n}"),
            "Job",
            "Submitted".to_owned(),
            &[text],
        )
    }

    #[test]
    fn the_index_is_complete_and_repeatable() {
        let records = vec![
            record(1, "Migrates **topic** summaries."),
            record(2, "Deletes <script>alert(1)</script> rows."),
        ];
        let first = index(&records).unwrap();
        let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")));
        assert!(names.iter().all(|n| n.starts_with("pagefind/")));
        assert_eq!(index(&records).unwrap(), first);
    }

    #[test]
    fn plain_text_of_markdown_parts() {
        let r = Record::from_markdown(
            "guide/x/index.html".into(),
            "X".into(),
            "Guide",
            String::new(),
            &["# Heading\n\nA [link](https://example.org).", "- item"],
        );
        assert_eq!(r.text, "Heading\nA link.\nitem");
    }
}
