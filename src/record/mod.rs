//! Writing the record: the edits behind `schedule`, `record`, `verify`, `approve` and
//! `withdraw`. [`splice`] changes one block of a request file and leaves every other byte;
//! [`crate::yaml::scalar`] writes any output as a block scalar; [`write_atomically`] replaces the file so
//! that an interrupted command leaves the old one.

pub mod splice;

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, bail};

pub use splice::{Document, Field, Unsplicable};

/// Replaces `path` with `text`: a temporary file in the same folder, flushed to disk, then
/// renamed over it. Refuses a symbolic link.
pub fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!(
            "{} is a symbolic link; refusing to replace it",
            path.display()
        );
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp_path = dir.join(format!(".{name}.{}.jobgate-tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp_path)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        });
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temp_path);
        return Err(error).with_context(|| format!("writing {}", temp_path.display()));
    }
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&temp_path, meta.permissions());
    }
    if let Err(error) = std::fs::rename(&temp_path, path) {
        let _ = std::fs::remove_file(&temp_path);
        return Err(error).with_context(|| format!("replacing {}", path.display()));
    }
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}
