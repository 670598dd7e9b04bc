//! A site kept loaded between builds, for `jobgate serve`.
//!
//! When request files change, only those files are read again, the whole site is checked
//! again (rules look across requests), and only the pages that can show them are rendered:
//! their own pages and the pages that list requests. Anything else — settings, guide pages,
//! the theme, a request added or removed — reloads and renders the whole site. Files whose
//! bytes did not change are not rewritten either way, and the search index is brought up to
//! date as a separate, later step so that pages are ready first.

pub mod http;
pub mod watch;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::history::History;
use crate::theme::Theme;

use super::form::Checker;
use super::load::{self, REQUESTS_DIR, Site};
use super::output::Tree;
use super::pages::{self, Scope};
use super::pieces::PieceCache;
use super::render::{self, Renderer};
use super::search;

/// What changed on disk, as paths relative to the site root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub files: BTreeSet<String>,
}

impl Changes {
    /// The changed request files, or `None` when something else changed too.
    fn requests_only(&self) -> Option<Vec<&str>> {
        self.files
            .iter()
            .map(|f| {
                f.strip_prefix(REQUESTS_DIR)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .filter(|name| !name.contains('/') && name.ends_with(".yaml"))
                    .map(|_| f.as_str())
            })
            .collect()
    }
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// Every problem in the site, sorted; pages were written only if none is an error.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages and files rendered, and how many of them had new bytes.
    pub rendered: usize,
    pub changed: usize,
    /// From the start of the rebuild until the pages were written.
    pub pages_took: Duration,
    /// Whether the whole site was loaded and rendered again.
    pub full: bool,
}

impl Rebuild {
    pub fn has_errors(&self) -> bool {
        diagnostics::count(&self.diagnostics, Severity::Error) > 0
    }
}

/// A loaded site and the folder its pages are written to.
pub struct LiveSite {
    root: PathBuf,
    out: PathBuf,
    today: NaiveDate,
    base_url: String,
    /// The request form's checker, shipped with every render.
    checker: Option<Checker>,
    site: Site,
    theme: Theme,
    /// Whether the search index is behind the pages.
    search_stale: bool,
    /// What each request's own rules found, kept for requests that did not change.
    rules: crate::request::check::Findings,
    /// Jobs-table rows, kept for requests that did not change.
    pieces: PieceCache,
    /// The requests' history, and the commit it was read at: read again when that moves.
    history: (Option<String>, History),
}

impl LiveSite {
    /// Loads the site at `root` and renders all of it into `out`.
    pub fn open(
        root: &Path,
        out: &Path,
        today: NaiveDate,
        base_url: &str,
        checker: Option<Checker>,
    ) -> anyhow::Result<(LiveSite, Rebuild)> {
        let started = Instant::now();
        let mut live = LiveSite {
            root: root.to_owned(),
            out: out.to_owned(),
            today,
            base_url: base_url.to_owned(),
            checker,
            site: load::load(root)?,
            theme: Theme::load(root)?,
            search_stale: true,
            rules: crate::request::check::Findings::new(),
            pieces: PieceCache::default(),
            history: (crate::history::head(root), crate::history::read(root)),
        };
        let rebuild = live.render(None, None, started)?;
        Ok((live, rebuild))
    }

    /// Brings the pages up to date with `changes`.
    pub fn apply(&mut self, changes: &Changes) -> anyhow::Result<Rebuild> {
        let started = Instant::now();
        if let Some(files) = changes.requests_only()
            && let Some(ids) = self.reload_requests(&files)?
        {
            return self.render(Some(&ids), Some(&changes.files), started);
        }
        self.site = load::load(&self.root)?;
        self.theme = Theme::load(&self.root)?;
        self.render(None, None, started)
    }

    /// Reads `files` again. Returns their ids, or `None` when a request appeared or
    /// disappeared (other pages then link to it or to nothing, so everything is rendered).
    fn reload_requests(&mut self, files: &[&str]) -> anyhow::Result<Option<BTreeSet<String>>> {
        let mut ids = BTreeSet::new();
        for file in files {
            let exists = self.root.join(file).is_file();
            let known = self.site.requests.iter().any(|l| l.file == *file);
            if !exists || !known {
                return Ok(None);
            }
        }
        for file in files {
            let Some((loaded, found)) =
                load::load_request(&self.root, file, self.site.config.as_ref())?
            else {
                return Ok(None);
            };
            // The request a resubmission replaces shows it on its page: both go.
            let replaced = |l: &crate::request::Loaded| {
                l.request.previous_request.as_ref().map(|p| p.value.clone())
            };
            if let Some(old) = self.site.requests.iter().find(|l| l.file == *file) {
                ids.extend(replaced(old));
            }
            let Some(loaded) = loaded else {
                // The file no longer parses: its page goes; the rest must be checked again.
                self.site.requests.retain(|l| l.file != *file);
                self.replace_diagnostics(file, found);
                continue;
            };
            ids.insert(loaded.id.clone());
            let at = self.site.requests.iter().position(|l| l.file == *file);
            let Some(at) = at else {
                return Ok(None);
            };
            ids.extend(replaced(&loaded));
            self.site.requests[at] = loaded;
            self.replace_diagnostics(file, found);
        }
        Ok(Some(ids))
    }

    fn replace_diagnostics(&mut self, file: &str, found: Vec<Diagnostic>) {
        self.site.diagnostics.retain(|d| d.file != file);
        self.site.diagnostics.extend(found);
    }

    /// Checks the site (the requests in `changed` again, the rest from before; all if `None`)
    /// and, without errors, writes the pages `jobs` names (all if `None`).
    fn render(
        &mut self,
        jobs: Option<&BTreeSet<String>>,
        changed: Option<&BTreeSet<String>>,
        started: Instant,
    ) -> anyhow::Result<Rebuild> {
        let mut rebuild = Rebuild {
            diagnostics: super::diagnose_reusing(&self.site, self.today, &mut self.rules, changed),
            full: jobs.is_none(),
            ..Rebuild::default()
        };
        let Some(config) = self.site.config.as_ref().filter(|_| !rebuild.has_errors()) else {
            rebuild.pages_took = started.elapsed();
            return Ok(rebuild);
        };
        let config = super::with_base_url(config, Some(&self.base_url));
        let tree = Tree::open(&self.out)?;
        // A full render includes the search index and removes files no page needs (those of
        // a request that went away); a partial one leaves the index for `update_search`.
        let scope = Scope {
            jobs,
            search: jobs.is_none(),
            keep_pieces: true,
        };
        self.pieces.forget(jobs);
        let head = crate::history::head(&self.root);
        if head != self.history.0 {
            self.history = (head, crate::history::read(&self.root));
        }
        let input = pages::Input {
            site: &self.site,
            config: &config,
            theme: &self.theme,
            today: self.today,
            history: &self.history.1,
            checker: self.checker.as_ref(),
        };
        let records = pages::write_all(&input, &tree, scope, &self.pieces)?;
        if jobs.is_none() {
            search::write(&records, &tree)?;
            tree.prune()?;
        } else {
            // Listing pages are all written even by a partial render; one that is no longer
            // needed (a release nobody targets, a weekend with no run left) must go too.
            tree.prune_under(pages::LIST_FOLDERS)?;
        }
        self.search_stale = jobs.is_some();
        (rebuild.rendered, rebuild.changed) = tree.counts();
        rebuild.pages_took = started.elapsed();
        Ok(rebuild)
    }

    /// Whether the pages moved on since the search index was last written.
    pub fn search_is_stale(&self) -> bool {
        self.search_stale
    }

    /// The records of the search index, if the pages moved on since it was last written.
    /// The caller indexes them with [`search::write_while`], off the rebuild path.
    pub fn stale_search(&mut self) -> Option<Vec<search::Record>> {
        let config = self.site.config.as_ref().filter(|_| self.search_stale)?;
        let config = super::with_base_url(config, Some(&self.base_url));
        let jobs = pages::job_views(&self.site, &config, self.today, &self.pieces);
        self.search_stale = false;
        Some(pages::search_records(&self.site, &jobs))
    }

    /// The page every path shows while the site has errors (`errors`, as the terminal shows
    /// them), rendered by the theme's `errors.html` at the site's root. Without settings there
    /// is no theme to render with, and a plain page says the same.
    pub fn error_page(&self, errors: &str) -> String {
        let themed = self.site.config.as_ref().and_then(|config| {
            let config = super::with_base_url(config, Some(&self.base_url));
            let renderer =
                Renderer::new(&self.theme, &config, &config.base_url, self.today).ok()?;
            let ctx = crate::ctx! { nav => render::guide_nav(&self.site.guide), errors => errors };
            renderer.render("errors.html", "", ctx).ok()
        });
        themed.unwrap_or_else(|| http::plain_error_page(errors))
    }

    /// The folder the pages are written to.
    pub fn out(&self) -> &Path {
        &self.out
    }
}
