//! Which paths of the output folder the build writes itself, so nothing else may stand there.
//!
//! A theme's static files are copied to the site's root; one at `api/requests.json` or
//! `jobs/<id>/index.html` would replace the real page or file. [`collisions`] reports them.

use crate::diagnostics::{Code, Diagnostic, Span};

use super::search;

/// Files at the root of the site that a build writes.
pub const ROOT_FILES: &[&str] = &[
    "index.html",
    "404.html",
    "feed.xml",
    "calendar.ics",
    "sitemap.xml",
];

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
