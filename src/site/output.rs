//! Writing the site atomically: everything goes into a staging folder beside the output, which
//! is swapped in only when the whole build succeeded.
//!
//! A failed or interrupted build leaves the previous site where it was; a leftover staging
//! folder from a killed build is removed by the next one.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};

/// A folder being filled with the next version of the site.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares `.<name>.staging` beside `out`.
    pub fn create(out: &Path) -> anyhow::Result<Staging> {
        let (parent, name) = split(out)?;
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let dir = parent.join(format!(".{name}.staging"));
        remove_if_present(&dir)?;
        remove_if_present(&parent.join(format!(".{name}.old")))?;
        fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Staging {
            dir,
            out: out.to_owned(),
            committed: false,
        })
    }

    /// Writes one file, `relative` to the site root, creating its folders.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = Path::new(relative);
        if path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            bail!("refusing to write outside the output folder: {relative}");
        }
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))
    }

    /// Swaps the staged site in for the old one, then removes the old one.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let (parent, name) = split(&self.out)?;
        let old = parent.join(format!(".{name}.old"));
        let had_old = self.out.exists();
        if had_old {
            fs::rename(&self.out, &old)
                .with_context(|| format!("moving the previous {} aside", self.out.display()))?;
        }
        if let Err(error) = fs::rename(&self.dir, &self.out) {
            if had_old {
                // Put the previous site back; the staged one is removed on drop.
                let _ = fs::rename(&old, &self.out);
            }
            return Err(error)
                .with_context(|| format!("moving the new site to {}", self.out.display()));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn split(out: &Path) -> anyhow::Result<(PathBuf, String)> {
    let absolute = if out.is_absolute() {
        out.to_owned()
    } else {
        std::env::current_dir()
            .context("finding the current folder")?
            .join(out)
    };
    let name = absolute
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{} is not a usable output folder", out.display()))?
        .to_owned();
    let parent = absolute
        .parent()
        .with_context(|| format!("{} has no parent folder", out.display()))?
        .to_owned();
    Ok((parent, name))
}

fn remove_if_present(dir: &Path) -> anyhow::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))
        }
        Ok(_) => fs::remove_file(dir).with_context(|| format!("removing {}", dir.display())),
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::create(&out).unwrap();
        first.write("a/index.html", b"one").unwrap();
        first.commit().unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");

        let abandoned = Staging::create(&out).unwrap();
        abandoned.write("a/index.html", b"two").unwrap();
        drop(abandoned);
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::create(&tmp.path().join("public")).unwrap();
        assert!(staging.write("../escape.html", b"x").is_err());
        assert!(staging.write("/etc/passwd", b"x").is_err());
    }
}
