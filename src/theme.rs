//! The default theme, embedded in the binary, and a site's own theme files layered on top.
//!
//! A site needs no theme folder at all; a file in `themes/default/` of the site replaces the
//! embedded file of the same name, so a site can change one template without copying the rest.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;

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
    "templates/releases.html",
    "templates/release.html",
    "templates/feed.xml",
    "templates/badge.svg",
    "templates/search.html",
    "static/style.css",
    "static/search.js",
    "static/jobs.js",
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
    pub fn load(root: &Path) -> anyhow::Result<Theme> {
        let mut theme = Theme::embedded();
        let dir = root.join(THEME_DIR);
        if !dir.is_dir() {
            return Ok(theme);
        }
        for sub in ["templates", "static"] {
            let folder = dir.join(sub);
            if !folder.is_dir() {
                continue;
            }
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
                    anyhow::bail!(
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
