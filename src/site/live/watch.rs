//! Which changes on disk `jobgate serve` rebuilds for.

use std::path::{Component, Path};

/// The folders whose files make the site.
pub const WATCHED: [&str; 3] = ["content", "requests", "themes"];

/// The kinds of file a site is made of.
pub const SITE_EXTENSIONS: [&str; 10] = [
    "yaml", "yml", "md", "html", "css", "js", "svg", "xml", "json", "txt",
];

/// `path` relative to the root, unless it is an editor's scratch file or hidden.
pub fn site_file(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let text = relative.to_str()?;
    let name = relative.file_name()?.to_str()?;
    let hidden = relative
        .components()
        .any(|c| matches!(c, Component::Normal(n) if n.to_string_lossy().starts_with('.')));
    let scratch = name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx");
    (!hidden && !scratch && name.chars().any(|c| !c.is_ascii_digit())).then(|| text.to_owned())
}

/// Whether a file that came and went at `path` could have been part of the site: one with
/// another name is an editor's or a tool's temporary file.
pub fn may_be_site_file(path: &Path) -> bool {
    path.exists()
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| SITE_EXTENSIONS.contains(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_scratch_files_are_not_changes() {
        let root = Path::new("/site");
        assert_eq!(
            site_file(root, Path::new("/site/requests/a.yaml")).as_deref(),
            Some("requests/a.yaml")
        );
        for ignored in [
            "/site/requests/.a.yaml.swp",
            "/site/requests/a.yaml~",
            "/site/requests/4913",
            "/elsewhere/a.yaml",
        ] {
            assert_eq!(site_file(root, Path::new(ignored)), None, "{ignored}");
        }
    }
}
