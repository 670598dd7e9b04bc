//! `jobgate new`.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use anyhow::{Context as _, bail};

use crate::cli::{KindArg, NewArgs};
use crate::request::scaffold::{self, NewRequest};
use crate::request::{Kind, is_valid_id};
use crate::{calendar, config};

use super::Outcome;

pub fn run(args: NewArgs) -> anyhow::Result<Outcome> {
    let today = super::resolve_today(args.site.today)?;
    if !is_valid_id(&args.id) {
        bail!(
            "`{}` is not a valid request id: use 3–64 lower-case letters, digits and `-`, starting with a letter or digit",
            args.id
        );
    }
    let path = args
        .site
        .root
        .join("requests")
        .join(format!("{}.yaml", args.id));
    if path.exists() {
        bail!(
            "{} already exists; choose another id or edit that file",
            path.display()
        );
    }
    let settings = args.site.root.join(config::SITE_FILE);
    let text = std::fs::read_to_string(&settings)
        .with_context(|| format!("reading {}", settings.display()))?;
    let Ok(config) = config::parse(&text) else {
        bail!("{} has errors; run `jobgate check`", settings.display());
    };
    let interactive = std::io::stdin().is_terminal();
    let ask = |question: &str| -> anyhow::Result<Option<String>> {
        if !interactive {
            return Ok(None);
        }
        eprint!("{question}: ");
        std::io::stderr().flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let answer = line.trim().to_owned();
        Ok((!answer.is_empty()).then_some(answer))
    };
    let title = match args.title {
        Some(t) => Some(t),
        None => ask("Title (one line)")?,
    };
    let kind = match args.kind {
        Some(KindArg::New) => Kind::New,
        Some(KindArg::Existing) => Kind::Existing,
        None => match ask("Kind (new or existing) [new]")?.as_deref() {
            None | Some("new") => Kind::New,
            Some("existing") => Kind::Existing,
            Some(other) => bail!("`{other}` is not a kind; use new or existing"),
        },
    };
    let Some(author) = args.author.or(ask("Your GitHub handle")?) else {
        bail!("give --author <your GitHub handle>");
    };
    let pr = match args.pr {
        Some(pr) => Some(pr),
        None if kind == Kind::New => match ask(&format!(
            "Pull request URL (https://github.com/{}/pull/N)",
            config.repository
        ))? {
            Some(pr) => Some(pr),
            None => bail!("a new job needs --pr <its pull request URL>"),
        },
        None => None,
    };
    let mut jobs = args.jobs;
    if jobs.is_empty()
        && let Some(answer) = ask("Job class names in run order, separated by commas")?
    {
        jobs = answer
            .split(',')
            .map(|j| j.trim().to_owned())
            .filter(|j| !j.is_empty())
            .collect();
    }
    if jobs.is_empty() {
        bail!("give --jobs AuditJob,MigrationJob (job class names in run order)");
    }
    let new = NewRequest {
        title,
        kind,
        author,
        pr,
        target_release: args
            .target_release
            .unwrap_or_else(|| calendar::first_open_release(&config, today)),
        jobs,
        submitted: today,
    };
    std::fs::create_dir_all(path.parent().expect("has a parent"))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(scaffold::skeleton(&new).as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "wrote {}: fill in every TODO, then run `jobgate check {}`",
        path.display(),
        path.strip_prefix(&args.site.root)
            .unwrap_or(&path)
            .display()
    );
    Ok(Outcome::Clean)
}
