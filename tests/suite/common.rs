//! Fixture sites copied to a temporary folder, and the real binary run against them.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const TODAY: &str = "2026-11-27";

/// A copy of a fixture site that lives as long as the test.
pub struct TempSite {
    dir: tempfile::TempDir,
}

/// What a run of the binary printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture_dir(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl TempSite {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TempSite {
        TempSite::copy_of(&fixture_dir(name))
    }

    /// A copy of `tests/fixtures/sample`: ten requests in every state, frozen, for tests that
    /// count or name requests.
    pub fn sample() -> TempSite {
        TempSite::fixture("sample")
    }

    /// A copy of this repository's own site (content, requests, themes), for tests about the
    /// repository itself; tests that count or name its requests use [`TempSite::sample`].
    pub fn repository() -> TempSite {
        let site = TempSite::empty();
        for part in ["content", "requests", "themes"] {
            copy_tree(&repo_root().join(part), &site.path().join(part));
        }
        site
    }

    pub fn copy_of(from: &Path) -> TempSite {
        let site = TempSite::empty();
        copy_tree(from, site.path());
        site
    }

    pub fn empty() -> TempSite {
        TempSite {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path().join(relative))
            .unwrap_or_else(|e| panic!("reading {relative}: {e}"))
    }

    /// Runs `jobgate <args>` with `--root` set to this site.
    pub fn run(&self, args: &[&str]) -> Run {
        let root = self.path().to_str().unwrap().to_owned();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--root", &root]);
        self.run_bare(&all)
    }

    /// Runs `jobgate <args>` in this site's folder, adding nothing.
    pub fn run_bare(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jobgate"));
        command.args(args);
        command
            .current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1");
        let output = command.output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `jobgate build --today 2026-11-27 --out <out>`; the output folder is inside the site.
    pub fn build(&self, out: &str) -> Run {
        let out = self.path().join(out);
        self.run(&["build", "--today", TODAY, "--out", out.to_str().unwrap()])
    }
}

/// Every file below `dir`, relative, with its bytes, sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &entry.path(), out);
            } else {
                let rel = entry
                    .path()
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}
