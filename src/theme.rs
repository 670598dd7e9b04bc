//! The default theme, embedded in the binary, and a site's own theme files layered on top.
//!
//! A site needs no theme folder at all; a file in `themes/default/` of the site replaces the
//! embedded file of the same name, so a site can change one template without copying the rest.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, bail};

/// The folder, relative to the site root, whose files replace the embedded ones.
pub const THEME_DIR: &str = "themes/default";

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of the default theme: templates under `templates/`, assets under `static/`.
const EMBEDDED: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/home.html",
    "templates/guide.html",
    "templates/guide_index.html",
    "templates/jobs.html",
    "templates/job.html",
    "templates/macros.html",
    "templates/404.html",
    "templates/errors.html",
    "templates/releases.html",
    "templates/release.html",
    "templates/runs.html",
    "templates/feed.xml",
    "templates/job_feed.xml",
    "templates/badge.svg",
    "templates/search.html",
    "templates/row.html",
    "templates/attention.html",
    "templates/stats.html",
    "templates/request.html",
    "static/style.css",
    "static/search.js",
    "static/jobs.js",
    "static/request.js",
    "static/request-worker.js",
    "static/favicon.svg",
];

/// The theme a build uses.
#[derive(Clone, Debug, Default)]
pub struct Theme {
    /// Template name (file name under `templates/`) to source.
    pub templates: BTreeMap<String, String>,
    /// Asset path (under `static/`) to bytes; copied to the site's root.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The embedded default theme alone.
    pub fn embedded() -> Theme {
        let mut theme = Theme::default();
        for (path, bytes) in EMBEDDED {
            theme.insert(path, bytes.to_vec());
        }
        theme
    }

    /// The embedded theme with the files of `<root>/themes/default/` laid over it.
    ///
    /// Nothing is read through a symbolic link, so nothing outside the site root is read.
    /// `jobgate check` reports such links; a build refuses before it gets here.
    pub fn load(root: &Path) -> anyhow::Result<Theme> {
        let mut theme = Theme::embedded();
        let dir = root.join(THEME_DIR);
        for sub in ["templates", "static"] {
            if !is_folder_without_links(root, &format!("{THEME_DIR}/{sub}"))? {
                continue;
            }
            let folder = dir.join(sub);
            let walker = ignore::WalkBuilder::new(&folder)
                .follow_links(false)
                .hidden(true)
                .sort_by_file_path(|a, b| a.cmp(b))
                .build();
            for entry in walker {
                let entry = entry.with_context(|| format!("reading {}", folder.display()))?;
                let Some(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_symlink() {
                    bail!(
                        "{}: theme files may not be symbolic links",
                        entry.path().display()
                    );
                }
                if !kind.is_file() {
                    continue;
                }
                let relative = entry
                    .path()
                    .strip_prefix(&dir)
                    .expect("walked below dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("reading {}", entry.path().display()))?;
                theme.insert(&relative, bytes);
            }
        }
        Ok(theme)
    }

    fn insert(&mut self, path: &str, bytes: Vec<u8>) {
        if let Some(name) = path.strip_prefix("templates/") {
            self.templates.insert(
                name.to_owned(),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        } else if let Some(name) = path.strip_prefix("static/") {
            self.assets.insert(name.to_owned(), bytes);
        }
    }
}

/// Whether `root/relative` is a folder; an error if it, or a folder on the way to it, is a
/// symbolic link.
fn is_folder_without_links(root: &Path, relative: &str) -> anyhow::Result<bool> {
    let mut path = root.to_owned();
    for part in relative.split('/') {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                bail!(
                    "{}: theme folders may not be symbolic links",
                    path.display()
                )
            }
            Ok(meta) if meta.is_dir() => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A site root and, beside it, a folder outside the site holding a template and an asset.
    fn site_and_outside() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let outside = tmp.path().join("outside");
        for sub in ["templates", "static"] {
            std::fs::create_dir_all(outside.join(sub)).unwrap();
        }
        std::fs::write(outside.join("templates/base.html"), "OUTSIDE-TEMPLATE").unwrap();
        std::fs::write(outside.join("static/style.css"), "OUTSIDE-ASSET").unwrap();
        std::fs::create_dir_all(&root).unwrap();
        (tmp, root, outside)
    }

    fn refused(root: &Path, what: &str) {
        let error = Theme::load(root).expect_err(what).to_string();
        assert!(error.contains("symbolic link"), "{what}: {error}");
    }

    #[test]
    fn a_linked_theme_folder_is_refused_not_followed() {
        let (_tmp, root, outside) = site_and_outside();
        symlink(&outside, root.join("themes")).unwrap();
        refused(&root, "themes/ is a link");

        std::fs::remove_file(root.join("themes")).unwrap();
        std::fs::create_dir(root.join("themes")).unwrap();
        symlink(&outside, root.join(THEME_DIR)).unwrap();
        refused(&root, "themes/default is a link");

        std::fs::remove_file(root.join(THEME_DIR)).unwrap();
        std::fs::create_dir(root.join(THEME_DIR)).unwrap();
        for sub in ["templates", "static"] {
            let link = root.join(THEME_DIR).join(sub);
            symlink(outside.join(sub), &link).unwrap();
            refused(&root, &format!("{sub}/ is a link"));
            std::fs::remove_file(&link).unwrap();
        }
        let theme = Theme::load(&root).unwrap();
        assert_eq!(
            theme.templates["base.html"],
            Theme::embedded().templates["base.html"]
        );
    }

    #[test]
    fn a_linked_theme_file_is_refused_not_followed() {
        let (_tmp, root, outside) = site_and_outside();
        let templates = root.join(THEME_DIR).join("templates");
        std::fs::create_dir_all(&templates).unwrap();
        symlink(
            outside.join("templates/base.html"),
            templates.join("base.html"),
        )
        .unwrap();
        refused(&root, "templates/base.html is a link");
    }

    #[test]
    fn a_site_file_replaces_the_embedded_one() {
        let (_tmp, root, _) = site_and_outside();
        let static_dir = root.join(THEME_DIR).join("static");
        std::fs::create_dir_all(&static_dir).unwrap();
        std::fs::write(static_dir.join("style.css"), "body{}").unwrap();
        let theme = Theme::load(&root).unwrap();
        assert_eq!(theme.assets["style.css"], b"body{}");
        assert_eq!(theme.templates.len(), Theme::embedded().templates.len());
    }
}
