//! `jobgate new`.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::Path;

use anyhow::{Context as _, bail};

use crate::cli::{KindArg, NewArgs};
use crate::request::scaffold::{self, NewRequest};
use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::month::Month;
use crate::request::{Kind, is_valid_id, validate};
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
    let mut prompt = Prompt { interactive };
    let open = calendar::first_open_release(&config, today);
    if let Some(previous) = &args.previous {
        let text = resubmission(&args, previous, &config, today, open, &mut prompt)?;
        return write_new(&path, &text, &args.site.root);
    }
    let title = match args.title {
        Some(t) => Some(t),
        None => prompt.ask("Title (one line)", |a| Ok(a.to_owned()))?,
    };
    let kind = match args.kind {
        Some(KindArg::New) => Some(Kind::New),
        Some(KindArg::Existing) => Some(Kind::Existing),
        None if !interactive => Some(Kind::New),
        None => Some(
            prompt
                .ask("Kind (new or existing) [new]", parse_kind)?
                .unwrap_or(Kind::New),
        ),
    };
    let author = match args.author {
        Some(author) => Some(author),
        None => prompt.ask("Your GitHub handle", |a| {
            let handle = a.trim_start_matches('@');
            if validate::is_github_handle(handle) {
                Ok(handle.to_owned())
            } else {
                Err(format!("`{a}` is not a GitHub handle"))
            }
        })?,
    };
    let pr_prefix = format!("https://github.com/{}/pull/", config.repository);
    let pr = match args.pr {
        Some(pr) => Some(pr),
        None if kind == Some(Kind::New) => {
            prompt.ask(&format!("Pull request URL ({pr_prefix}N)"), |a| {
                let number = a.strip_prefix(pr_prefix.as_str()).unwrap_or("");
                if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(a.to_owned())
                } else {
                    Err(format!("write it as {pr_prefix}<number>"))
                }
            })?
        }
        None => None,
    };
    let target_release = match args.target_release {
        Some(release) => {
            if let Err(problem) = open_release(&config, today, release) {
                bail!("{problem}");
            }
            release
        }
        None if !interactive => open,
        None => prompt
            .ask(&format!("Target release (YYYY-MM) [{open}]"), |a| {
                let release = Month::parse(a).ok_or(format!("`{a}` is not a month (YYYY-MM)"))?;
                open_release(&config, today, release).map(|()| release)
            })?
            .unwrap_or(open),
    };
    let mut jobs = args.jobs;
    if jobs.is_empty()
        && let Some(answer) =
            prompt.ask("Job class names in run order, separated by commas", |a| {
                let jobs: Vec<String> = a
                    .split(',')
                    .map(|j| j.trim().to_owned())
                    .filter(|j| !j.is_empty())
                    .collect();
                match jobs.iter().find(|j| !validate::is_class_name(j)) {
                    Some(bad) => Err(format!("`{bad}` is not a class name, e.g. AuditSkillJob")),
                    None => Ok(jobs),
                }
            })?
    {
        jobs = answer;
    }
    // Everything that is still missing, said at once.
    let mut missing = Vec::new();
    if author.is_none() {
        missing.push("--author <your GitHub handle>".to_owned());
    }
    if kind == Some(Kind::New) && pr.is_none() {
        missing.push(format!(
            "--pr {pr_prefix}<number> (a new job needs its pull request)"
        ));
    }
    if jobs.is_empty() {
        missing.push("--jobs AuditJob,MigrationJob (job class names in run order)".to_owned());
    }
    if !missing.is_empty() {
        bail!("give {}", missing.join("; "));
    }
    let (Some(author), Some(kind)) = (author, kind) else {
        bail!("give --author <your GitHub handle>");
    };
    let new = NewRequest {
        title,
        kind,
        author,
        pr,
        target_release,
        jobs,
        submitted: today,
    };
    write_new(&path, &scaffold::skeleton(&new), &args.site.root)
}

/// Creates `path` (never over an existing file) holding `text`.
fn write_new(path: &Path, text: &str, root: &Path) -> anyhow::Result<Outcome> {
    std::fs::create_dir_all(path.parent().expect("has a parent"))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "wrote {}: fill in every TODO, then run `jobgate check {}`",
        path.display(),
        path.strip_prefix(root).unwrap_or(path).display()
    );
    Ok(Outcome::Clean)
}

/// The text of a resubmission of `previous`: its file, filed today for its release (or the
/// earliest open one when that closed, or `--target-release`), with what was `--fixed`.
fn resubmission(
    args: &NewArgs,
    previous: &str,
    config: &SiteConfig,
    today: NaiveDate,
    open: Month,
    prompt: &mut Prompt,
) -> anyhow::Result<String> {
    let old_path = args
        .site
        .root
        .join("requests")
        .join(format!("{previous}.yaml"));
    if !is_valid_id(previous) || !old_path.is_file() {
        bail!("--previous {previous}: there is no request `{previous}` (requests/{previous}.yaml)");
    }
    let old = std::fs::read_to_string(&old_path)
        .with_context(|| format!("reading {}", old_path.display()))?;
    let old_release = old
        .lines()
        .find_map(|l| l.strip_prefix("target_release:"))
        .and_then(|v| Month::parse(v.trim().trim_matches(['"', '\''])));
    let target_release = match args.target_release {
        Some(release) => {
            open_release(config, today, release).map_err(|p| anyhow::anyhow!("{p}"))?;
            release
        }
        None => old_release
            .filter(|r| open_release(config, today, *r).is_ok())
            .unwrap_or(open),
    };
    let fixed = match &args.fixed {
        Some(fixed) => Some(fixed.clone()),
        None => prompt.ask("What was fixed since the previous request", |a| {
            Ok(a.to_owned())
        })?,
    };
    let Some(fixed) = fixed.filter(|f| !f.trim().is_empty()) else {
        bail!("give --fixed TEXT: what changed since the previous request");
    };
    Ok(crate::request::resubmit::resubmission(
        &old,
        previous,
        today,
        target_release,
        &fixed,
    ))
}

/// Questions on a terminal; without one, every question goes unanswered.
struct Prompt {
    interactive: bool,
}

impl Prompt {
    /// Asks until `accept` takes the answer; an empty answer, or the end of input, is `None`.
    fn ask<T>(
        &mut self,
        question: &str,
        accept: impl Fn(&str) -> Result<T, String>,
    ) -> anyhow::Result<Option<T>> {
        if !self.interactive {
            return Ok(None);
        }
        loop {
            eprint!("{question}: ");
            std::io::stderr().flush()?;
            let mut line = String::new();
            if std::io::stdin().lock().read_line(&mut line)? == 0 {
                return Ok(None);
            }
            let answer = line.trim();
            if answer.is_empty() {
                return Ok(None);
            }
            match accept(answer) {
                Ok(value) => return Ok(Some(value)),
                Err(problem) => eprintln!("{problem}; try again (or leave it empty to skip)"),
            }
        }
    }
}

fn parse_kind(answer: &str) -> Result<Kind, String> {
    match answer.to_ascii_lowercase().as_str() {
        "new" => Ok(Kind::New),
        "existing" => Ok(Kind::Existing),
        _ => Err(format!("`{answer}` is not a kind; use new or existing")),
    }
}

/// Whether a request filed `today` can still make `release` (JG312 otherwise).
fn open_release(config: &SiteConfig, today: NaiveDate, release: Month) -> Result<(), String> {
    let dates = calendar::release_dates(config, release);
    if today <= dates.last_submission {
        return Ok(());
    }
    let open = calendar::first_open_release(config, today);
    Err(format!(
        "{release} is closed: its last submission day was {}, for the cutoff on {}; the \
         earliest release still open is {open}",
        dates.last_submission, dates.cutoff
    ))
}
