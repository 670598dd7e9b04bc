//! Reading a site from disk: settings, request files and guide pages.
//!
//! This module reads the site's sources; the theme ([`crate::theme`]) and the git history
//! ([`crate::history`]) are read by their own modules, and the pages are written by
//! [`super::output`]. Symbolic links are never followed and nothing outside the site root is
//! read. What a request file says is judged by [`crate::request::check`], the same code the
//! other checkers run.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use crate::config::{self, SITE_FILE, SiteConfig};
use crate::diagnostics::{Code, Diagnostic, Sources, Span};
use crate::request::check::FileKind;
use crate::request::{self, Loaded};

use super::guide::{self, GuidePage};

pub const REQUESTS_DIR: &str = "requests";
pub const GUIDE_DIR: &str = "content/guide";

/// The folders a site is read from. A symbolic link anywhere at or below them is reported,
/// and nothing is read through one.
const SOURCE_DIRS: [&str; 3] = [REQUESTS_DIR, "content", "themes"];

/// Files larger than this are not read again to show snippets (their position is still shown).
const MAX_SNIPPET_SOURCE_BYTES: u64 = 1 << 20;

/// Everything read from a site root, with the problems found while reading it.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Option<SiteConfig>,
    /// Requests that parsed, sorted by id.
    pub requests: Vec<Loaded>,
    /// The id of every request file with a valid name, parsed or not, sorted.
    pub request_ids: Vec<String>,
    /// Guide pages, in reading order (weight, then slug).
    pub guide: Vec<GuidePage>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the site at `root`. I/O failures are errors; problems in the files are diagnostics.
pub fn load(root: &Path) -> anyhow::Result<Site> {
    let mut diagnostics = Vec::new();
    for dir in SOURCE_DIRS {
        report_links(root, dir, &mut diagnostics)?;
    }
    let config = load_config(root, &mut diagnostics)?;
    // A theme that cannot be read (a linked folder, reported above as JG006) has no files to
    // collide; the build, which reads it again, stops on it.
    if let Ok(theme) = crate::theme::Theme::load(root) {
        diagnostics.extend(super::routes::collisions(
            theme.assets.keys(),
            crate::theme::THEME_DIR,
        ));
    }
    let request_files = list(root, REQUESTS_DIR, &mut diagnostics)?;
    let guide_files = list(root, GUIDE_DIR, &mut diagnostics)?;

    let parse_all = || {
        request_files
            .par_iter()
            .filter_map(|file| load_request(root, file, config.as_ref()).transpose())
            .collect::<anyhow::Result<Vec<(Option<Loaded>, Vec<Diagnostic>)>>>()
    };
    let parsed = match crate::yaml::parser_pool() {
        Some(pool) => pool.install(parse_all)?,
        None => parse_all()?,
    };
    let mut requests = Vec::with_capacity(parsed.len());
    for (loaded, found) in parsed {
        requests.extend(loaded);
        diagnostics.extend(found);
    }
    requests.sort_by(|a, b| a.id.cmp(&b.id));

    let mut guide = Vec::new();
    for file in &guide_files {
        let Some(slug) = file
            .strip_prefix(GUIDE_DIR)
            .and_then(|f| f.strip_prefix('/'))
            .and_then(|f| f.strip_suffix(".md"))
        else {
            continue;
        };
        if !request::is_valid_id(slug) {
            diagnostics.push(Diagnostic::new(
                Code::BadId,
                file,
                Span::FILE,
                format!(
                    "`{slug}` is not a valid page name: use lower-case letters, digits and `-`"
                ),
            ));
            continue;
        }
        let text = read_text(root, file, &mut diagnostics)?;
        if let Some(text) = text
            && let Some(page) = guide::parse(slug, file, &text, &mut diagnostics)
        {
            guide.push(page);
        }
    }
    guide.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));

    let request_ids = request_files
        .iter()
        .filter_map(|f| f.strip_prefix("requests/")?.strip_suffix(".yaml"))
        .filter(|id| request::is_valid_id(id))
        .map(str::to_owned)
        .collect();
    Ok(Site {
        root: root.to_owned(),
        config,
        requests,
        request_ids,
        guide,
        diagnostics,
    })
}

fn load_config(
    root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> anyhow::Result<Option<SiteConfig>> {
    if through_link(root, SITE_FILE) {
        // Reported by `report_links`.
        return Ok(None);
    }
    if fs::symlink_metadata(root.join(SITE_FILE)).is_err() {
        diagnostics.push(
            Diagnostic::new(
                Code::BadConfig,
                SITE_FILE,
                Span::FILE,
                format!("no {SITE_FILE} under {}", root.display()),
            )
            .with_help("run jobgate in the site's root folder, or pass --root DIR"),
        );
        return Ok(None);
    }
    let Some(text) = read_text(root, SITE_FILE, diagnostics)? else {
        return Ok(None);
    };
    match config::parse(&text) {
        Ok(config) => Ok(Some(config)),
        Err(found) => {
            diagnostics.extend(found);
            Ok(None)
        }
    }
}

/// Reads and parses one request file (`requests/<id>.yaml`, relative to `root`) with the
/// problems found in it; `None` for files under `requests/` that are not requests.
pub fn load_request(
    root: &Path,
    file: &str,
    config: Option<&SiteConfig>,
) -> anyhow::Result<Option<(Option<Loaded>, Vec<Diagnostic>)>> {
    let id = match request::check::kind_of(file) {
        None | Some(FileKind::Other) => return Ok(None),
        Some(FileKind::Misnamed(found)) => return Ok(Some((None, vec![found]))),
        Some(FileKind::Request { id }) => id,
    };
    match read_at_most(&root.join(file), request::parse::MAX_REQUEST_BYTES)? {
        Ok(bytes) => Ok(Some(request::check::read(id, file, &bytes, config))),
        Err(size) => Ok(Some((None, vec![request::parse::too_large(file, size)]))),
    }
}

/// The bytes of `path`, or its size when it holds more than `limit` bytes: a huge file is
/// never read past the limit.
fn read_at_most(path: &Path, limit: usize) -> anyhow::Result<Result<Vec<u8>, u64>> {
    let context = || format!("reading {}", path.display());
    let file = fs::File::open(path).with_context(context)?;
    let mut bytes = Vec::new();
    (&file)
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(context)?;
    if bytes.len() <= limit {
        return Ok(Ok(bytes));
    }
    let size = file.metadata().with_context(context)?.len();
    Ok(Err(size.max(bytes.len() as u64)))
}

fn read_text(
    root: &Path,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> anyhow::Result<Option<String>> {
    let path = root.join(file);
    let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(error) => {
            let found = request::parse::not_utf8(file, error.as_bytes(), error.utf8_error());
            diagnostics.push(found);
            Ok(None)
        }
    }
}

/// The regular files directly in `root/dir`, hidden ones included, as sorted relative paths.
/// Links, and folders reached through one, are skipped: `report_links` reports them. A file
/// whose name is not UTF-8 cannot be named in a report or a URL, so it is reported here.
fn list(root: &Path, dir: &str, diagnostics: &mut Vec<Diagnostic>) -> anyhow::Result<Vec<String>> {
    let folder = root.join(dir);
    if through_link(root, dir) || !fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir()) {
        return Ok(Vec::new());
    }
    // No ignore files either: a `.gitignore` in `requests/` must not hide a request.
    let walker = ignore::WalkBuilder::new(&folder)
        .max_depth(Some(1))
        .follow_links(false)
        .standard_filters(false)
        .build();
    let mut files = Vec::new();
    for entry in walker {
        let entry = entry.with_context(|| format!("listing {}", folder.display()))?;
        if entry.depth() == 0 {
            continue;
        }
        if !entry.file_type().is_some_and(|kind| kind.is_file()) {
            continue;
        }
        let name = entry.file_name();
        let relative = format!("{dir}/{}", name.to_string_lossy());
        if name.to_str().is_none() {
            diagnostics.push(
                Diagnostic::new(
                    Code::BadId,
                    &relative,
                    Span::FILE,
                    "the file name is not UTF-8 text",
                )
                .with_help("request files are named `<id>.yaml`, guide pages `<slug>.md`"),
            );
        } else {
            files.push(relative);
        }
    }
    files.sort();
    Ok(files)
}

/// Reports every symbolic link at or below `root/dir` (`dir` itself included), following none.
fn report_links(root: &Path, dir: &str, diagnostics: &mut Vec<Diagnostic>) -> anyhow::Result<()> {
    let mut pending = vec![dir.to_owned()];
    while let Some(relative) = pending.pop() {
        let path = root.join(&relative);
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => {
                return Err(error).with_context(|| format!("reading {}", path.display()));
            }
        };
        if meta.file_type().is_symlink() {
            diagnostics.push(symlink(&relative));
            continue;
        }
        if !meta.is_dir() {
            continue;
        }
        let context = || format!("listing {}", path.display());
        for entry in fs::read_dir(&path).with_context(context)? {
            let entry = entry.with_context(context)?;
            let child = format!("{relative}/{}", entry.file_name().to_string_lossy());
            let kind = entry.file_type().with_context(context)?;
            if kind.is_symlink() {
                diagnostics.push(symlink(&child));
            } else if kind.is_dir() {
                pending.push(child);
            }
        }
    }
    Ok(())
}

/// Whether `root/relative`, or a folder on the way to it, is a symbolic link.
fn through_link(root: &Path, relative: &str) -> bool {
    let mut path = root.to_owned();
    relative.split('/').any(|part| {
        path.push(part);
        fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
    })
}

fn symlink(file: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Unreadable,
        file,
        Span::FILE,
        "symbolic links are not followed",
    )
    .with_help("replace the link with the file itself")
}

/// The text of every file named in `diagnostics`, for snippets.
pub fn sources(root: &Path, diagnostics: &[Diagnostic]) -> Sources {
    let mut sources = Sources::new();
    for d in diagnostics {
        if sources.contains_key(&d.file) {
            continue;
        }
        let path = root.join(&d.file);
        let is_plain_file = fs::symlink_metadata(&path)
            .is_ok_and(|m| m.is_file() && m.len() <= MAX_SNIPPET_SOURCE_BYTES);
        if let Some(text) = is_plain_file
            .then(|| fs::read(&path).ok())
            .flatten()
            .and_then(|b| String::from_utf8(b).ok())
        {
            sources.insert(d.file.clone(), text);
        }
    }
    sources
}
