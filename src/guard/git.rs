//! Reading the site as it stood at a git revision: the settings file and every request file,
//! with three git processes whatever the number of requests (`rev-parse`, `ls-tree`, and one
//! `cat-file --batch` that streams every blob).

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

use crate::config::SITE_FILE;
use crate::request::is_valid_id;

/// The files of the site at a revision, keyed by their path relative to the site root.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The commit the revision named.
    pub commit: String,
    /// `content/site.yaml`, if the revision had it.
    pub settings: Option<Vec<u8>>,
    /// `requests/<id>.yaml` for every valid id.
    pub requests: BTreeMap<String, Vec<u8>>,
}

/// A git command at `root` whose messages are in English, so they can be matched.
fn git(root: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(root).env("LC_ALL", "C");
    command
}

fn run(command: &mut Command, what: &str) -> anyhow::Result<Vec<u8>> {
    let output = command.output().context("running git (is it installed?)")?;
    if !output.status.success() {
        bail!(
            "git {what} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// Reads the settings and request files of the site at `root` as they were at `rev`.
pub fn snapshot(root: &Path, rev: &str) -> anyhow::Result<Snapshot> {
    let resolved = git(root)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .context("running git (is it installed?)")?;
    if !resolved.status.success() {
        bail!(
            "--base {rev}: no such commit in the git repository at {}",
            root.display()
        );
    }
    let commit = String::from_utf8_lossy(&resolved.stdout).trim().to_owned();
    // Paths in the tree are the repository's; the site may sit in a folder of it.
    let prefix = run(git(root).args(["rev-parse", "--show-prefix"]), "rev-parse")?;
    let prefix = String::from_utf8_lossy(&prefix).trim().to_owned();
    let listed = run(
        git(root)
            .args(["ls-tree", "-r", "-z", "--full-name", "--name-only"])
            .arg(&commit)
            .args(["--", "requests", SITE_FILE]),
        "ls-tree",
    )?;
    let files: Vec<String> = listed
        .split(|&b| b == 0)
        .filter_map(|name| std::str::from_utf8(name).ok())
        .filter_map(|name| name.strip_prefix(prefix.as_str()))
        .filter(|name| *name == SITE_FILE || is_request_file(name))
        .map(str::to_owned)
        .collect();
    let mut blobs = cat_files(root, &commit, &prefix, &files)?;
    let settings = blobs.remove(SITE_FILE);
    Ok(Snapshot {
        commit,
        settings,
        requests: blobs,
    })
}

fn is_request_file(name: &str) -> bool {
    name.strip_prefix("requests/")
        .and_then(|f| f.strip_suffix(".yaml"))
        .is_some_and(is_valid_id)
}

/// The bytes of each of `files` at `commit`, from one `git cat-file --batch`.
fn cat_files(
    root: &Path,
    commit: &str,
    prefix: &str,
    files: &[String],
) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let names: Vec<String> = files
        .iter()
        .map(|f| format!("{commit}:{prefix}{f}"))
        .collect();
    let blobs = cat_objects(root, &names)?;
    Ok(files.iter().cloned().zip(blobs).collect())
}

/// The bytes of each blob that `names` name (object ids, or `<commit>:<path>`), in order, from
/// one `git cat-file --batch` whatever their number. Names must not hold line breaks.
pub fn cat_objects(root: &Path, names: &[String]) -> anyhow::Result<Vec<Vec<u8>>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running git (is it installed?)")?;
    let mut stdin = child.stdin.take().context("git cat-file: no stdin")?;
    // Written from a thread of their own, as git stops reading them while its output waits to
    // be read.
    let input: String = names.iter().map(|name| format!("{name}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut out = BufReader::new(child.stdout.take().context("git cat-file: no stdout")?);
    let mut blobs = Vec::with_capacity(names.len());
    for name in names {
        let mut header = String::new();
        out.read_line(&mut header)?;
        let size = match header.trim_end().rsplit_once(' ') {
            Some((kind, size)) if kind.ends_with(" blob") => size.parse::<usize>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            bail!(
                "git cat-file: unexpected answer for {name}: {}",
                header.trim()
            );
        };
        let mut bytes = vec![0; size];
        out.read_exact(&mut bytes)?;
        let mut newline = [0u8; 1];
        out.read_exact(&mut newline)?;
        blobs.push(bytes);
    }
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("git cat-file: the writer thread failed"))??;
    drop(out);
    let status = child.wait()?;
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        bail!("git cat-file failed: {}", stderr.trim());
    }
    Ok(blobs)
}
