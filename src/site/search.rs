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

use crate::markdown::{self, escape_attr};

/// The folder of the index inside the site.
pub const DIR: &str = "pagefind";

/// The most records one pagefind index holds. Pagefind keeps every record of an index in
/// memory with a map of its words until the index is written, so a large site is indexed in
/// parts of this size, as many at once as there are threads, which the search page merges when
/// it loads; memory then stays flat however many requests there are.
pub const PART_SIZE: usize = 500;

/// The most fragment files (each page's excerpt and title) one part writes: pagefind bundles
/// the fragments of several pages into one file beyond this, so a large site writes a tenth as
/// many files for its search index; a reader's search fetches a few more bytes.
const MAX_FRAGMENT_FILES: u32 = 100;

/// How many index parts `records` records make (at least one, even for none).
pub fn parts(records: usize) -> usize {
    records.div_ceil(PART_SIZE).max(1)
}

/// The folder of part `n` (counted from 1): the first is `pagefind/`, the rest beneath it.
pub fn part_dir(n: usize) -> String {
    if n == 1 {
        DIR.to_owned()
    } else {
        format!("{DIR}/part-{n}")
    }
}

/// Indexes `records` in parts, as many at once as there are threads, and writes every part's
/// files into `out`.
pub fn write(records: &[Record], out: &super::output::Tree) -> anyhow::Result<()> {
    use rayon::prelude::*;
    chunks(records)
        .into_par_iter()
        .enumerate()
        .try_for_each(|(i, chunk)| write_part(i + 1, &index(chunk)?, out))
}

/// Like [`write()`], but one part at a time, and writes each part only if `wanted()` still says
/// so when it is ready (`jobgate serve` indexes in the background, leaving the other threads to
/// rebuilds, and drops an index that a newer edit overtook). A finished index removes what is
/// left of the one before it (parts and fragments no page needs now), so the folder holds what
/// a fresh build's does.
pub fn write_while(
    records: &[Record],
    out: &super::output::Tree,
    wanted: impl Fn() -> bool,
) -> anyhow::Result<()> {
    for (i, chunk) in chunks(records).into_iter().enumerate() {
        let files = index(chunk)?;
        if !wanted() {
            return Ok(());
        }
        write_part(i + 1, &files, out)?;
    }
    out.prune_under(&[DIR])?;
    Ok(())
}

/// The records of each part: always at least one part, so an empty site still has an index.
fn chunks(records: &[Record]) -> Vec<&[Record]> {
    let mut chunks: Vec<&[Record]> = records.chunks(PART_SIZE).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    chunks
}

fn write_part(
    n: usize,
    files: &[(String, Vec<u8>)],
    out: &super::output::Tree,
) -> anyhow::Result<()> {
    let dir = part_dir(n);
    files
        .iter()
        .try_for_each(|(name, bytes)| out.write(&format!("{dir}/{name}"), bytes))
}

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

/// Builds one index of `records` and returns its files, paths relative to its folder. The same
/// records in the same order give the same files.
pub fn index(records: &[Record]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the search indexer")?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language("en".to_owned())
            .max_fragments(MAX_FRAGMENT_FILES)
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
            Ok((name.trim_start_matches('/').to_owned(), file.contents))
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
        assert!(names.contains(&"pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind-entry.json"), "{names:?}");
        assert!(names.iter().any(|n| n.starts_with("fragment/")));
        assert!(!names.iter().any(|n| n.ends_with("-ui.js")));
        assert_eq!(index(&records).unwrap(), first);
    }

    #[test]
    fn large_sites_are_indexed_in_parts() {
        assert_eq!(parts(0), 1);
        assert_eq!(parts(PART_SIZE), 1);
        assert_eq!(parts(PART_SIZE + 1), 2);
        assert_eq!(part_dir(1), "pagefind");
        assert_eq!(part_dir(3), "pagefind/part-3");
        let tmp = tempfile::tempdir().unwrap();
        let tree = crate::site::output::Tree::open(tmp.path()).unwrap();
        let records: Vec<Record> = (0..PART_SIZE + 1).map(|n| record(n, "text")).collect();
        write(&records, &tree).unwrap();
        let entry = |dir: &str| {
            std::fs::read_to_string(tmp.path().join(dir).join("pagefind-entry.json")).unwrap()
        };
        assert!(entry("pagefind").contains(&format!("\"page_count\":{PART_SIZE}")));
        assert!(entry("pagefind/part-2").contains("\"page_count\":1"));
        let fragments = std::fs::read_dir(tmp.path().join("pagefind/fragment"))
            .unwrap()
            .count();
        assert!(
            fragments <= MAX_FRAGMENT_FILES as usize,
            "{fragments} fragment files"
        );
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
