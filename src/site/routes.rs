//! The site's URL map: every path the build writes is spelt here, once. Pages, the API, the
//! sitemap, the feeds and the guide's link checker all ask this module, and the theme's static
//! files may not stand where a generated page or file does ([`collisions`]).
//!
//! Paths are relative to the site's root, `/`-separated; a page is a folder (`jobs/x/`), and its
//! file is that folder's `index.html` ([`file_of`]).

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::month::Month;
use crate::status::State;

use super::search;

/// One page or generated file of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route<'a> {
    Home,
    GuideIndex,
    Guide(&'a str),
    Jobs,
    /// The jobs list narrowed to one state.
    JobsInState(&'a str),
    /// The jobs list narrowed to one release (`YYYY-MM`).
    JobsForRelease(&'a str),
    Job(&'a str),
    JobBadge(&'a str),
    JobFeed(&'a str),
    Releases,
    Release(&'a str),
    /// The coordinator's run sheet for the weekend starting on a day (`YYYY-MM-DD`).
    Runs(&'a str),
    Stats,
    Search,
    RequestForm,
    /// A file at a fixed path ([`FIXED_FILES`]).
    File(&'static str),
}

pub const FEED: &str = "feed.xml";
pub const CALENDAR: &str = "calendar.ics";
pub const SITEMAP: &str = "sitemap.xml";
pub const NOT_FOUND: &str = "404.html";
pub const API_REQUESTS: &str = "api/requests.json";
pub const API_RELEASES: &str = "api/releases.json";
pub const API_STATS: &str = "api/stats.json";
pub const API_HISTORY: &str = "api/history.json";
pub const SCHEMA: &str = "schema/request.json";

/// The files a build writes at fixed paths.
pub const FIXED_FILES: &[&str] = &[
    FEED,
    CALENDAR,
    SITEMAP,
    NOT_FOUND,
    API_REQUESTS,
    API_RELEASES,
    API_STATS,
    API_HISTORY,
    SCHEMA,
];

impl Route<'_> {
    /// The route's path: `jobs/x/` for a page, `jobs/x/badge.svg` for a file.
    pub fn path(self) -> String {
        match self {
            Route::Home => String::new(),
            Route::GuideIndex => "guide/".into(),
            Route::Guide(slug) => format!("guide/{slug}/"),
            Route::Jobs => "jobs/".into(),
            Route::JobsInState(state) => format!("jobs/state/{state}/"),
            Route::JobsForRelease(month) => format!("jobs/release/{month}/"),
            Route::Job(id) => format!("jobs/{id}/"),
            Route::JobBadge(id) => format!("jobs/{id}/badge.svg"),
            Route::JobFeed(id) => format!("jobs/{id}/feed.xml"),
            Route::Releases => "releases/".into(),
            Route::Release(month) => format!("releases/{month}/"),
            Route::Runs(weekend) => format!("runs/{weekend}/"),
            Route::Stats => "stats/".into(),
            Route::Search => "search/".into(),
            Route::RequestForm => "request/".into(),
            Route::File(name) => name.into(),
        }
    }

    /// The file the route is written to.
    pub fn file(self) -> String {
        file_of(&self.path())
    }

    /// Whether the route is a page (a folder with an `index.html`) rather than a file.
    pub fn is_page(self) -> bool {
        !matches!(
            self,
            Route::JobBadge(_) | Route::JobFeed(_) | Route::File(_)
        )
    }
}

/// The route at `segments` (a path from the root, split at `/`, without a trailing
/// `index.html`), if the site can have a page or file there. Which slugs, ids and months exist
/// is for the caller to say; this tells only the shape.
pub fn route<'a>(segments: &[&'a str]) -> Option<Route<'a>> {
    Some(match segments {
        [] => Route::Home,
        ["guide"] => Route::GuideIndex,
        ["guide", slug] => Route::Guide(slug),
        ["jobs"] => Route::Jobs,
        ["jobs", "state", state] if State::ALL.iter().any(|s| s.as_str() == *state) => {
            Route::JobsInState(state)
        }
        ["jobs", "release", month] if Month::parse(month).is_some() => Route::JobsForRelease(month),
        ["jobs", id] => Route::Job(id),
        ["jobs", id, "badge.svg"] => Route::JobBadge(id),
        ["jobs", id, "feed.xml"] => Route::JobFeed(id),
        ["releases"] => Route::Releases,
        ["releases", month] => Route::Release(month),
        ["runs", weekend] => Route::Runs(weekend),
        ["stats"] => Route::Stats,
        ["search"] => Route::Search,
        ["request"] => Route::RequestForm,
        _ => {
            let joined = segments.join("/");
            Route::File(FIXED_FILES.iter().copied().find(|f| *f == joined)?)
        }
    })
}

/// The file a URL path is written to: a folder gets an `index.html`.
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

/// Where GitHub edits `file` of the site's repository.
pub fn edit_url(repository: &str, file: &str) -> String {
    format!("https://github.com/{repository}/edit/main/{file}")
}

/// Where GitHub shows `file` of the site's repository.
pub fn source_url(repository: &str, file: &str) -> String {
    format!("https://github.com/{repository}/blob/main/{file}")
}

/// Files at the root of the site that a build writes.
pub const ROOT_FILES: &[&str] = &["index.html", NOT_FOUND, FEED, CALENDAR, SITEMAP];

/// Folders whose every file a build writes (or may write: `request/` and `stats/` are kept
/// for the site's own pages).
pub const FOLDERS: &[&str] = &[
    "guide",
    "jobs",
    "releases",
    "runs",
    "api",
    "schema",
    "search",
    search::DIR,
    "request",
    "stats",
    "__jobgate",
];

/// Whether the build writes `path` (relative to the output folder, `/`-separated), or a file
/// inside it.
pub fn is_generated(path: &str) -> bool {
    let first = path.split('/').next().unwrap_or_default();
    ROOT_FILES.contains(&path) || FOLDERS.contains(&first)
}

/// JG602 for each theme asset (by its path under `static/`) that would replace a generated
/// page or file.
pub fn collisions<'a>(
    assets: impl IntoIterator<Item = &'a String>,
    theme_dir: &str,
) -> Vec<Diagnostic> {
    assets
        .into_iter()
        .filter(|name| is_generated(name))
        .map(|name| {
            let file = format!("{theme_dir}/static/{name}");
            Diagnostic::new(
                Code::ThemeCollision,
                &file,
                Span::FILE,
                format!("`{file}` would replace `{name}`, which the build writes itself"),
            )
            .with_help(format!(
                "move the file out of the way (theme files may not stand at {}); to change a \
                 page, override its template under `{theme_dir}/templates/` instead",
                reserved()
            ))
        })
        .collect()
}

/// The reserved names, for messages: "`index.html`, …, `jobs/`, …".
fn reserved() -> String {
    ROOT_FILES
        .iter()
        .map(|f| format!("`{f}`"))
        .chain(FOLDERS.iter().map(|f| format!("`{f}/`")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_read_back_from_its_own_path() {
        let routes = [
            Route::Home,
            Route::GuideIndex,
            Route::Guide("timing"),
            Route::Jobs,
            Route::JobsInState("overdue"),
            Route::JobsForRelease("2027-01"),
            Route::Job("fix-names"),
            Route::JobBadge("fix-names"),
            Route::JobFeed("fix-names"),
            Route::Releases,
            Route::Release("2027-01"),
            Route::Runs("2026-12-05"),
            Route::Stats,
            Route::Search,
            Route::RequestForm,
            Route::File(API_REQUESTS),
            Route::File(SCHEMA),
        ];
        for r in routes {
            let path = r.path();
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            assert_eq!(route(&segments), Some(r), "{path}");
            assert_eq!(
                r.is_page(),
                path.is_empty() || path.ends_with('/'),
                "{path}"
            );
            assert!(is_generated(&r.file()), "{path}");
        }
        assert_eq!(Route::Job("x").file(), "jobs/x/index.html");
        assert_eq!(route(&["api", "nothing.json"]), None);
        // A state that does not exist is read as a request id, which the caller looks up.
        assert_eq!(route(&["jobs", "state", "lost"]), None);
    }

    #[test]
    fn generated_paths_are_reserved_and_theme_assets_are_not() {
        for path in [
            "index.html",
            "api/requests.json",
            "jobs/x/index.html",
            "pagefind/pagefind.js",
            "feed.xml",
        ] {
            assert!(is_generated(path), "{path}");
        }
        for path in [
            "style.css",
            "jobs.js",
            "favicon.svg",
            "img/logo.png",
            "index.htm",
        ] {
            assert!(!is_generated(path), "{path}");
        }
    }
}
