//! Writing the site atomically, without rewriting what did not change.
//!
//! Two folders take turns: the output folder (`public/`) that readers see, and a hidden scratch
//! folder beside it (`.public.staging/`) that holds the version before. A build brings the
//! scratch folder up to date — writing only the files whose bytes differ and deleting the ones
//! the new site no longer has — and then swaps the two folders in one step (`renameat2` with
//! `RENAME_EXCHANGE` on Linux). The swap is atomic: a reader, or a build killed at any moment,
//! sees the previous complete site or the new complete site, never a mix. The old site lands in
//! the scratch folder and is the starting point of the next build, so an unchanged site costs
//! reads, not writes, and no folder is created or deleted.
//!
//! [`Tree`] is the part that brings one folder up to date; `jobgate serve` uses it directly.

use std::collections::HashSet;
use std::fs;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, bail};

/// A folder whose files are being replaced by a new set.
#[derive(Debug)]
pub struct Tree {
    dir: PathBuf,
    /// The folder was empty when opened: nothing in it can be in the way or hold old bytes, so
    /// a write only creates the folders it needs (once each) and the file.
    was_empty: bool,
    /// What was written (or found identical) since the tree was opened, relative to `dir`.
    ledger: Mutex<Ledger>,
    changed: AtomicUsize,
}

#[derive(Debug, Default)]
struct Ledger {
    files: HashSet<String>,
    /// Folders known to exist, in a tree that was empty when opened.
    folders: HashSet<String>,
}

impl Tree {
    /// Opens `dir`, creating it if needed. Nothing in it is touched yet.
    pub fn open(dir: &Path) -> anyhow::Result<Tree> {
        match fs::symlink_metadata(dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => fs::remove_file(dir).with_context(|| format!("removing {}", dir.display()))?,
            Err(error) if error.kind() == ErrorKind::NotFound => {}
            Err(error) => return Err(error).with_context(|| format!("reading {}", dir.display())),
        }
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let was_empty = fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .next()
            .is_none();
        Ok(Tree {
            dir: dir.to_owned(),
            was_empty,
            ledger: Mutex::default(),
            changed: AtomicUsize::new(0),
        })
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Makes `relative` (e.g. `jobs/x/index.html`) hold `bytes`, creating its folders; a file
    /// that already holds exactly these bytes is left alone.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = Path::new(relative);
        if relative.is_empty()
            || path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            bail!("refusing to write outside the output folder: {relative}");
        }
        let first_time = self.ledger().files.insert(relative.to_owned());
        let target = self.dir.join(path);
        // Anything unexpected on this path (a file where a folder goes, a full disk) is met
        // again, and handled or reported, by the general path below.
        if self.was_empty
            && first_time
            && self.make_folders(relative).is_ok()
            && fs::write(&target, bytes).is_ok()
        {
            self.changed.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let existing = fs::symlink_metadata(&target).ok();
        if existing
            .as_ref()
            .is_some_and(|meta| same_contents(meta, &target, bytes))
        {
            return Ok(());
        }
        self.changed.fetch_add(1, Ordering::Relaxed);
        if existing.is_some_and(|meta| meta.is_file()) {
            return replace(&target, bytes);
        }
        match fs::write(&target, bytes) {
            Ok(()) => return Ok(()),
            Err(error)
                if matches!(
                    error.kind(),
                    ErrorKind::NotFound | ErrorKind::IsADirectory | ErrorKind::NotADirectory
                ) => {}
            Err(error) => {
                return Err(error).with_context(|| format!("writing {}", target.display()));
            }
        }
        // The folder is missing, or something of another kind is in the way.
        self.clear_way(path)?;
        fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))
    }

    /// In a tree that was empty when opened, creates the folders `relative` needs that no
    /// earlier write created.
    fn make_folders(&self, relative: &str) -> std::io::Result<()> {
        let folders: Vec<&str> = relative
            .match_indices('/')
            .map(|(end, _)| &relative[..end])
            .collect();
        let known = {
            let ledger = self.ledger();
            folders.iter().rposition(|f| ledger.folders.contains(*f))
        };
        for folder in &folders[known.map_or(0, |k| k + 1)..] {
            match fs::create_dir(self.dir.join(folder)) {
                // Another thread made it first.
                Err(error) if error.kind() == ErrorKind::AlreadyExists => {}
                result => result?,
            }
            self.ledger().folders.insert((*folder).to_owned());
        }
        Ok(())
    }

    /// Removes whatever stands where `relative` or one of its folders should be, and creates
    /// the folders.
    fn clear_way(&self, relative: &Path) -> anyhow::Result<()> {
        let mut at = self.dir.clone();
        let components: Vec<_> = relative.components().collect();
        for (i, component) in components.iter().enumerate() {
            at.push(component);
            let last = i + 1 == components.len();
            match fs::symlink_metadata(&at) {
                Ok(meta) if last && meta.is_dir() => remove(&at)?,
                Ok(meta) if !last && !meta.is_dir() => remove(&at)?,
                _ => {}
            }
            if !last {
                match fs::create_dir(&at) {
                    // Another thread may have made it since.
                    Err(error) if error.kind() == ErrorKind::AlreadyExists && at.is_dir() => {}
                    result => result.with_context(|| format!("creating {}", at.display()))?,
                }
            }
        }
        Ok(())
    }

    /// How many files were written so far, and how many of those had different bytes before.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.ledger().files.len(),
            self.changed.load(Ordering::Relaxed),
        )
    }

    /// Deletes every file and folder that was not written since the tree was opened.
    pub fn prune(&self) -> anyhow::Result<usize> {
        let ledger = self.ledger();
        let mut removed = 0;
        prune_dir(&self.dir, "", &ledger.files, &mut removed)?;
        Ok(removed)
    }
}

impl Tree {
    /// Like [`Tree::prune`], inside the folders `folders` only: for a render that writes every
    /// page of those folders but not every page of the site.
    pub fn prune_under(&self, folders: &[&str]) -> anyhow::Result<usize> {
        let ledger = self.ledger();
        let mut removed = 0;
        for folder in folders {
            let dir = self.dir.join(folder);
            if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
                continue;
            }
            if !prune_dir(&dir, &format!("{folder}/"), &ledger.files, &mut removed)? {
                fs::remove_dir(&dir).with_context(|| format!("removing {}", dir.display()))?;
            }
        }
        Ok(removed)
    }
}

/// Walks `dir` (the folder `prefix` of the tree) and removes what `keep` does not name.
/// Returns whether anything is left in it.
fn prune_dir(
    dir: &Path,
    prefix: &str,
    keep: &HashSet<String>,
    removed: &mut usize,
) -> anyhow::Result<bool> {
    let mut left = false;
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let path = entry.path();
        let relative = match entry.file_name().to_str() {
            Some(name) => format!("{prefix}{name}"),
            None => String::new(), // never a name we write
        };
        let kind = entry
            .file_type()
            .with_context(|| format!("reading {}", path.display()))?;
        if kind.is_dir() && !relative.is_empty() {
            if prune_dir(&path, &format!("{relative}/"), keep, removed)? {
                left = true;
            } else {
                fs::remove_dir(&path).with_context(|| format!("removing {}", path.display()))?;
            }
        } else if keep.contains(&relative) {
            left = true;
        } else {
            remove(&path)?;
            *removed += 1;
        }
    }
    Ok(left)
}

/// Whether the file at `path` holds exactly `bytes`. It is read a piece at a time and the
/// reading stops at the first difference, so a large page (the jobs index of a big site is
/// megabytes) is never held twice in memory.
fn same_contents(meta: &fs::Metadata, path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read as _;
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return false;
    }
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut piece = vec![0; 64 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut piece) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && piece[..n] == rest[..n] => rest = &rest[n..],
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            _ => return false,
        }
    }
}

/// Gives an existing file new bytes through a new file renamed over it, so that another name
/// for the old file (a hard link, say a backup made with `cp -al`) keeps the old bytes.
fn replace(target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut fresh = target.as_os_str().to_owned();
    fresh.push(".jobgate-new");
    let fresh = PathBuf::from(fresh);
    fs::write(&fresh, bytes).with_context(|| format!("writing {}", fresh.display()))?;
    fs::rename(&fresh, target).with_context(|| format!("writing {}", target.display()))
}

fn remove(path: &Path) -> anyhow::Result<()> {
    let meta = fs::symlink_metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
    .with_context(|| format!("removing {}", path.display()))
}

/// The next version of the site, filled in the scratch folder beside the output folder.
pub struct Staging {
    tree: Tree,
    out: PathBuf,
}

impl Staging {
    /// Opens `.<name>.staging` beside `out`, reusing what an earlier build left there.
    pub fn create(out: &Path) -> anyhow::Result<Staging> {
        let (parent, name) = split(out)?;
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        if let Ok(meta) = fs::symlink_metadata(out)
            && !meta.is_dir()
        {
            bail!("{} exists and is not a folder", out.display());
        }
        // Left behind by builds that moved the old site aside instead of swapping.
        let old = parent.join(format!(".{name}.old"));
        if fs::symlink_metadata(&old).is_ok() {
            remove(&old)?;
        }
        Ok(Staging {
            tree: Tree::open(&parent.join(format!(".{name}.staging")))?,
            out: parent.join(name),
        })
    }

    /// The folder being filled: write the site's files into it with [`Tree::write`].
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Removes what the new site no longer has, then swaps it in for the old one.
    pub fn commit(self) -> anyhow::Result<()> {
        self.tree.prune()?;
        let staged = self.tree.dir();
        if fs::symlink_metadata(&self.out).is_err() {
            return fs::rename(staged, &self.out)
                .with_context(|| format!("moving the new site to {}", self.out.display()));
        }
        exchange(staged, &self.out)
            .with_context(|| format!("swapping the new site into {}", self.out.display()))
    }
}

/// Swaps two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> anyhow::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // File systems without the exchange flag.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => exchange_by_renames(a, b),
        Err(error) => Err(error.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> anyhow::Result<()> {
    exchange_by_renames(a, b)
}

/// Three renames: there is a moment with no folder at `b`, but never a mixed one.
fn exchange_by_renames(a: &Path, b: &Path) -> anyhow::Result<()> {
    let mut aside = b.as_os_str().to_owned();
    aside.push(".old");
    let aside = PathBuf::from(aside);
    fs::rename(b, &aside)?;
    if let Err(error) = fs::rename(a, b) {
        let _ = fs::rename(&aside, b);
        return Err(error.into());
    }
    fs::rename(&aside, a)?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_owned()];
        while let Some(at) = stack.pop() {
            for entry in fs::read_dir(&at).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path.clone());
                }
                found.push(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
        found.sort();
        found
    }

    #[test]
    fn commit_swaps_and_an_abandoned_build_leaves_the_site_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::create(&out).unwrap();
        first.tree().write("a/index.html", b"one").unwrap();
        first.tree().write("gone.txt", b"x").unwrap();
        first.commit().unwrap();
        assert_eq!(listing(&out), ["a", "a/index.html", "gone.txt"]);

        let abandoned = Staging::create(&out).unwrap();
        abandoned.tree().write("a/index.html", b"two").unwrap();
        drop(abandoned);
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");

        let second = Staging::create(&out).unwrap();
        second.tree().write("a/index.html", b"three").unwrap();
        second.tree().write("b/c/index.html", b"new").unwrap();
        second.commit().unwrap();
        assert_eq!(
            listing(&out),
            ["a", "a/index.html", "b", "b/c", "b/c/index.html"]
        );
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"three");
        let mut beside = listing(tmp.path());
        beside.retain(|p| !p.contains('/'));
        assert_eq!(beside, [".public.staging", "public"]);
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let tmp = tempfile::tempdir().unwrap();
        let tree = Tree::open(tmp.path()).unwrap();
        tree.write("same.html", b"same").unwrap();
        tree.write("other.html", b"old").unwrap();
        let tree = Tree::open(tmp.path()).unwrap();
        tree.write("same.html", b"same").unwrap();
        tree.write("other.html", b"new!").unwrap();
        tree.write("fresh/index.html", b"x").unwrap();
        assert_eq!(tree.counts(), (3, 2));
    }

    #[test]
    fn parallel_writes_into_an_empty_folder_share_their_folders() {
        use rayon::prelude::*;
        let tmp = tempfile::tempdir().unwrap();
        let tree = Tree::open(&tmp.path().join("site")).unwrap();
        (0..200).into_par_iter().for_each(|n| {
            let page = format!("jobs/job-{}/deep/{n}.html", n % 20);
            tree.write(&page, n.to_string().as_bytes()).unwrap();
        });
        assert_eq!(tree.counts(), (200, 200));
        for n in 0..200 {
            let page = tmp
                .path()
                .join(format!("site/jobs/job-{}/deep/{n}.html", n % 20));
            assert_eq!(fs::read_to_string(page).unwrap(), n.to_string());
        }
        assert_eq!(
            fs::read_dir(tmp.path().join("site/jobs")).unwrap().count(),
            20
        );
        // Written again, the same bytes are found in place.
        let tree = Tree::open(&tmp.path().join("site")).unwrap();
        tree.write("jobs/job-3/deep/3.html", b"3").unwrap();
        assert_eq!(tree.counts(), (1, 0));
    }

    #[test]
    fn files_larger_than_a_read_are_compared_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("big.html");
        let bytes: Vec<u8> = (0..200_000u32).map(|n| (n % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let meta = fs::metadata(&path).unwrap();
        assert!(same_contents(&meta, &path, &bytes));
        let mut late = bytes.clone();
        *late.last_mut().unwrap() ^= 1;
        assert!(!same_contents(&meta, &path, &late));
        let mut middle = bytes.clone();
        middle[100_000] ^= 1;
        assert!(!same_contents(&meta, &path, &middle));
        assert!(!same_contents(&meta, &path, &bytes[1..]));
    }

    #[test]
    fn other_names_for_a_replaced_file_keep_their_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let tree = Tree::open(&tmp.path().join("site")).unwrap();
        tree.write("page.html", b"old").unwrap();
        let backup = tmp.path().join("backup.html");
        fs::hard_link(tmp.path().join("site/page.html"), &backup).unwrap();
        tree.write("page.html", b"new").unwrap();
        assert_eq!(fs::read(tmp.path().join("site/page.html")).unwrap(), b"new");
        assert_eq!(fs::read(&backup).unwrap(), b"old");
        assert_eq!(listing(&tmp.path().join("site")), ["page.html"]);
    }

    #[test]
    fn prune_removes_what_was_not_written() {
        let tmp = tempfile::tempdir().unwrap();
        let tree = Tree::open(tmp.path()).unwrap();
        for file in ["keep/index.html", "drop/index.html", "drop/badge.svg", "x"] {
            tree.write(file, b"1").unwrap();
        }
        let tree = Tree::open(tmp.path()).unwrap();
        tree.write("keep/index.html", b"1").unwrap();
        assert_eq!(tree.prune().unwrap(), 3);
        assert_eq!(listing(tmp.path()), ["keep", "keep/index.html"]);
    }

    #[test]
    fn a_file_and_a_folder_can_trade_places() {
        let tmp = tempfile::tempdir().unwrap();
        let tree = Tree::open(tmp.path()).unwrap();
        tree.write("a", b"file").unwrap();
        tree.write("b/index.html", b"page").unwrap();
        tree.write("a/index.html", b"now a folder").unwrap();
        tree.write("b", b"now a file").unwrap();
        assert_eq!(
            fs::read(tmp.path().join("a/index.html")).unwrap(),
            b"now a folder"
        );
        assert_eq!(fs::read(tmp.path().join("b")).unwrap(), b"now a file");
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::create(&tmp.path().join("public")).unwrap();
        assert!(staging.tree().write("../escape.html", b"x").is_err());
        assert!(staging.tree().write("/etc/passwd", b"x").is_err());
        assert!(staging.tree().write("", b"x").is_err());
    }

    #[test]
    fn refuses_an_output_that_is_a_file() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::write(&out, b"not a folder").unwrap();
        let error = Staging::create(&out).err().unwrap();
        assert!(error.to_string().contains("is not a folder"), "{error}");
    }
}
