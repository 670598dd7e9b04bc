//! What `schedule`, `record`, `verify`, `approve` and `withdraw` share: finding the request,
//! the actor and their role, checking the edited text as `check` would, writing it, and
//! printing the new state with the update message.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use chrono::NaiveDate;

use crate::cli::EditArgs;
use crate::config::SiteConfig;
use crate::diagnostics::{self, Severity};
use crate::record;
use crate::request::{self, Loaded, Request, validate};
use crate::site::{self, Site};
use crate::status::{self, Status};

use super::Outcome;

/// A refusal: the command changes nothing and exits 1 with this message and help.
#[derive(Debug)]
pub struct Refusal {
    pub message: String,
    pub help: Option<String>,
}

impl Refusal {
    pub fn new(message: impl Into<String>) -> Self {
        Refusal {
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Prints the refusal to stderr.
    pub fn report(&self) -> Outcome {
        eprintln!("error: {}", self.message);
        if let Some(help) = &self.help {
            eprintln!("  = help: {help}");
        }
        eprintln!("nothing was written");
        Outcome::InputErrors
    }
}

/// Who may write which block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A coordinator or an admin.
    Coordinator,
    /// An admin.
    Admin,
    /// The request's author, a coordinator or an admin.
    AuthorOrRole,
}

/// The request being edited, its site and the actor.
pub struct Target {
    pub root: PathBuf,
    pub today: NaiveDate,
    pub site: Site,
    pub id: String,
    /// `requests/<id>.yaml`.
    pub file: String,
    pub path: PathBuf,
    pub text: String,
    pub request: Request,
    pub by: String,
    pub message_only: bool,
}

impl Target {
    pub fn config(&self) -> &SiteConfig {
        self.site.config.as_ref().expect("opened with settings")
    }

    /// The job page's URL.
    pub fn page_url(&self) -> String {
        format!(
            "{}{}",
            self.config().base_url,
            crate::site::routes::Route::Job(&self.id).path()
        )
    }

    /// The day of the edit: `--on`, else today; never before the request was submitted.
    pub fn day(&self, on: Option<NaiveDate>) -> Result<NaiveDate, Refusal> {
        let on = on.unwrap_or(self.today);
        let submitted = *self.request.submitted;
        if on < submitted {
            return Err(Refusal::new(format!(
                "--on {on} is before the request was submitted ({submitted})"
            )));
        }
        Ok(on)
    }

    pub fn document(&self) -> Result<record::Document<'_>, Refusal> {
        record::Document::parse(&self.text, &self.file)
            .map_err(|d| Refusal::new(format!("{}: {}", self.file, d.message)))
    }
}

/// `--by`, else `$JOBGATE_HANDLE`, else `git config github.user` (run in `root`).
pub fn resolve_handle(flag: Option<&str>, root: &Path) -> anyhow::Result<String> {
    if let Some(handle) = flag {
        return Ok(handle.trim().to_owned());
    }
    if let Ok(handle) = std::env::var("JOBGATE_HANDLE")
        && !handle.trim().is_empty()
    {
        return Ok(handle.trim().to_owned());
    }
    let from_git = std::process::Command::new("git")
        .args(["config", "github.user"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|h| !h.is_empty());
    match from_git {
        Some(handle) => Ok(handle),
        None => bail!(
            "who is writing this? pass --by HANDLE, set JOBGATE_HANDLE, or run \
             `git config github.user HANDLE`"
        ),
    }
}

/// Loads the site and the request, and checks that the actor has `role`.
pub fn open(args: &EditArgs, role: Role) -> anyhow::Result<Result<Target, Refusal>> {
    let today = super::resolve_today(args.site.today)?;
    let root = args.site.root.clone();
    let by = resolve_handle(args.by.as_deref(), &root)?;
    let site = site::load(&root)?;
    let Some(config) = &site.config else {
        let found: Vec<_> = site
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        eprint!(
            "{}",
            super::human(&root, &found, std::io::stderr().is_terminal())
        );
        return Ok(Err(Refusal::new(
            "content/site.yaml has errors, so the roles cannot be read",
        )));
    };
    if !request::is_valid_id(&args.id) {
        return Ok(Err(Refusal::new(format!(
            "`{}` is not a request id (lower-case letters, digits and `-`)",
            args.id
        ))));
    }
    let file = format!("requests/{}.yaml", args.id);
    let path = root.join(&file);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Err(Refusal::new(format!(
                "there is no request `{}`",
                args.id
            ))
            .help(format!(
                "the file would be {file}; `jobgate status` lists the requests"
            ))));
        }
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        Ok(meta) if meta.file_type().is_symlink() => {
            return Ok(Err(Refusal::new(format!(
                "{file} is a symbolic link; the record is only written to a regular file"
            ))));
        }
        Ok(_) => {}
    }
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let (parsed, found) = request::parse(&bytes, &file);
    let Some(request) = parsed else {
        let mut sources = diagnostics::Sources::new();
        sources.insert(file.clone(), String::from_utf8_lossy(&bytes).into_owned());
        eprint!("{}", diagnostics::render_human(&found, &sources, false));
        return Ok(Err(Refusal::new(format!(
            "{file} does not parse; fix it first"
        ))));
    };
    let text = String::from_utf8(bytes).expect("a parsed request is UTF-8");
    let allowed = match role {
        Role::Coordinator => config.is_coordinator(&by),
        Role::Admin => config.is_admin(&by),
        Role::AuthorOrRole => {
            config.is_coordinator(&by) || request.author.eq_ignore_ascii_case(&by)
        }
    };
    if !allowed {
        let who = match role {
            Role::Coordinator => "coordinators and admins",
            Role::Admin => "admins",
            Role::AuthorOrRole => "the request's author, coordinators and admins",
        };
        return Ok(Err(Refusal::new(format!(
            "@{by} may not do this: only {who} may"
        ))
        .help(
            "the roles are the `admins` and `coordinators` lists in content/site.yaml",
        )));
    }
    Ok(Ok(Target {
        root,
        today,
        site,
        id: args.id.clone(),
        file,
        path,
        text,
        request,
        by,
        message_only: args.message_only,
    }))
}

/// Checks `new_text` as `check` would; on no errors writes it and returns the new request and
/// its status.
pub fn write(
    target: &Target,
    new_text: &str,
) -> anyhow::Result<Result<(Request, Status), Refusal>> {
    let (parsed, mut found) = request::parse(new_text.as_bytes(), &target.file);
    let mut new_request = None;
    if let Some(request) = parsed {
        let loaded = Loaded {
            id: target.id.clone(),
            file: target.file.clone(),
            request,
            text: new_text.to_owned(),
        };
        let unparsed: Vec<&str> = target
            .site
            .request_ids
            .iter()
            .map(String::as_str)
            .filter(|id| !target.site.requests.iter().any(|l| &l.id == id))
            .collect();
        let all_ids = validate::all_ids(&target.site.requests, &unparsed);
        found.extend(validate::validate(
            &loaded,
            &all_ids,
            target.config(),
            target.today,
        ));
        new_request = Some(loaded.request);
    }
    let errors: Vec<_> = found
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() || new_request.is_none() {
        let mut sources = diagnostics::Sources::new();
        sources.insert(target.file.clone(), new_text.to_owned());
        eprint!("{}", diagnostics::render_human(&errors, &sources, false));
        return Ok(Err(Refusal::new(format!(
            "the edited {} would not pass `jobgate check`",
            target.file
        ))));
    }
    let request = new_request.expect("checked");
    record::write_atomically(&target.path, new_text)?;
    let status = status::derive(&request, target.config(), target.today);
    Ok(Ok((request, status)))
}

/// Prints what was written, the new state and next action, and the update message.
pub fn report(target: &Target, status: &Status, done: &str, message: &str) {
    if target.message_only {
        print!("{message}");
        return;
    }
    let fit = status
        .fit
        .map_or(String::new(), |f| format!(", {}", f.as_str()));
    println!("{}: {done}", target.file);
    println!("state: {}{fit}", status.state.as_str());
    println!("next: {}", status.next_action);
    println!();
    println!("Update message (markdown):");
    println!();
    print!("{message}");
}

/// The closing lines of every update message: state, next step, the page.
pub fn message_footer(target: &Target, status: &Status) -> String {
    format!(
        "**State:** {} — {}\n\nJob page: {}\n",
        status.state.label(),
        status.next_action,
        target.page_url()
    )
}

/// The text of `--evidence` / `--reason`: the value, or the file after `@`.
pub fn text_or_file(value: &str, root: &Path) -> anyhow::Result<String> {
    match value.strip_prefix('@') {
        Some(name) => {
            let path = Path::new(name);
            let path = if path.is_absolute() {
                path.to_path_buf()
            } else {
                std::env::current_dir()
                    .unwrap_or_else(|_| root.to_path_buf())
                    .join(path)
            };
            std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
        }
        None => Ok(value.to_owned()),
    }
}

/// Text ready for a block scalar, or a refusal naming what it holds.
pub fn clean_text(what: &str, text: &str) -> Result<String, Refusal> {
    crate::yaml::scalar::clean(text).map_err(|e| {
        Refusal::new(format!("the {what}: {e}")).help(
            "remove control characters first (colour codes, for instance: \
             `sed 's/\\x1b\\[[0-9;]*m//g'`); tabs and any other text are kept as they are",
        )
    })
}

/// `text` as a markdown block quote of a code block, whatever it holds.
pub fn quoted_lines<'l>(lines: impl IntoIterator<Item = &'l str>, limit: usize) -> String {
    let all: Vec<&str> = lines.into_iter().collect();
    let longest_ticks = all
        .iter()
        .map(|l| {
            let mut run = 0;
            let mut best = 0;
            for c in l.chars() {
                run = if c == '`' { run + 1 } else { 0 };
                best = best.max(run);
            }
            best
        })
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest_ticks + 1).max(3));
    let mut out = format!("{fence}\n");
    for line in all.iter().take(limit) {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
    if all.len() > limit {
        out.push_str(&format!("\n…and {} more line(s).\n", all.len() - limit));
    }
    out
}
