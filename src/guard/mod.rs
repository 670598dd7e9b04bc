//! The record is the gate: who may change what in a request file and in the settings.
//!
//! `check --base REV --actor HANDLE` compares each request and `content/site.yaml` with their
//! versions at REV and reports every change HANDLE may not make, at the line of the change,
//! naming who may. Roles are read from the settings *at REV*, never from the change under
//! review, so a pull request cannot grant itself a role. The rules:
//!
//! - author fields (all but `scheduled`, `runs`, `approval`, `withdrawn`): the request's author
//!   (as it stood at REV), a coordinator or an admin;
//! - what runs (`jobs`, `pr`, `output`, `tests`, `instructions`, `kind`, `target_release`):
//!   once scheduled, coordinators or admins; once approved, admins only, as an approval covers
//!   exactly what was tested; the same for `runs` once approved;
//! - `scheduled` and `runs`: coordinators or admins; `approval`: admins;
//! - `withdrawn`: the author, a coordinator or an admin;
//! - a new request: its `author` is the actor, and it has no admin blocks, unless the actor has
//!   a role; deleting a request file: coordinators or admins;
//! - the settings file: admins.
//!
//! [`review`] is pure; [`check`] reads the base with [`git`] and the change from disk.

pub mod diff;
pub mod git;

use std::path::Path;

use rayon::prelude::*;

use crate::config::{self, SITE_FILE, SiteConfig};
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::request::{self, Request};
use crate::yaml::{self, Node};

use diff::{Change, How};

/// Who may make a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// The request's author, a coordinator or an admin.
    AuthorOrRole,
    /// A coordinator or an admin.
    Role,
    /// An admin.
    Admin,
}

/// The roles as the base commit lists them; none when the base has no valid settings.
#[derive(Clone, Debug, Default)]
pub struct Roles {
    admins: Vec<String>,
    coordinators: Vec<String>,
}

impl Roles {
    pub fn of(config: &SiteConfig) -> Roles {
        Roles {
            admins: config.admins.clone(),
            coordinators: config.coordinators.clone(),
        }
    }

    fn is_admin(&self, handle: &str) -> bool {
        self.admins.iter().any(|h| h.eq_ignore_ascii_case(handle))
    }

    fn has_role(&self, handle: &str) -> bool {
        self.is_admin(handle)
            || self
                .coordinators
                .iter()
                .any(|h| h.eq_ignore_ascii_case(handle))
    }
}

/// One request file in the change under review.
pub struct Reviewed<'a> {
    /// Path relative to the site root.
    pub file: &'a str,
    /// The request as it was at the base; `None` for a new file (or one that did not parse).
    pub old: Option<&'a Request>,
    /// The request now; `None` when the file was deleted.
    pub new: Option<&'a Request>,
    /// The new file's YAML tree, to place each change at its line.
    pub tree: Option<&'a Node>,
}

/// The changes in one request file that `actor` may not make.
pub fn review(reviewed: &Reviewed, actor: &str, roles: &Roles) -> Vec<Diagnostic> {
    let file = reviewed.file;
    match (reviewed.old, reviewed.new) {
        (_, None) if roles.has_role(actor) => Vec::new(),
        (_, None) => vec![
            Diagnostic::new(
                Code::GuardDelete,
                file,
                Span::FILE,
                format!(
                    "@{actor} deleted {file}: only coordinators or admins may delete a request"
                ),
            )
            .with_help(
                "keep the file and withdraw the request instead: `jobgate withdraw <id> --reason …`",
            ),
        ],
        (None, Some(new)) => review_new(new, file, actor, roles),
        (Some(old), Some(new)) => diff::changes(old, new)
            .into_iter()
            .filter_map(|change| refuse(&change, old, reviewed.tree, file, actor, roles))
            .collect(),
    }
}

/// A new request: its author must be the actor, and admin blocks need a role.
fn review_new(new: &Request, file: &str, actor: &str, roles: &Roles) -> Vec<Diagnostic> {
    if roles.has_role(actor) {
        return Vec::new();
    }
    let mut found = Vec::new();
    if !new.author.eq_ignore_ascii_case(actor) {
        found.push(
            Diagnostic::new(
                Code::GuardNew,
                file,
                new.author.span,
                format!(
                    "@{actor} adds a request whose author is @{}: a new request's author is \
                     whoever files it, unless a coordinator or admin files it for them",
                    new.author.value
                ),
            )
            .with_help(format!(
                "set `author: {actor}`, or ask @{} to open the pull request",
                new.author.value
            )),
        );
    }
    let admin_blocks = [
        (
            "scheduled",
            new.scheduled.as_ref().map(|s| s.span),
            Who::Role,
        ),
        ("runs", new.runs.first().map(|r| r.span), Who::Role),
        (
            "approval",
            new.approval.as_ref().map(|a| a.span),
            Who::Admin,
        ),
    ];
    for (field, span, who) in admin_blocks {
        let Some(span) = span else { continue };
        found.push(
            Diagnostic::new(
                Code::GuardNew,
                file,
                span,
                format!(
                    "a new request may not arrive with `{field}`: only {} add it",
                    who_text(who, None)
                ),
            )
            .with_help(format!(
                "remove `{field}`; it is filled in after the request is merged"
            )),
        );
    }
    found
}

/// Who may make `change` to a request that stood as `old` at the base.
fn who_may(change: &Change, old: &Request) -> (Who, Code) {
    let approved = old.approval.is_some();
    match change.field {
        "scheduled" => (Who::Role, Code::GuardRole),
        "runs" if approved => (Who::Admin, Code::GuardFrozen),
        "runs" => (Who::Role, Code::GuardRole),
        "approval" => (Who::Admin, Code::GuardRole),
        "withdrawn" => (Who::AuthorOrRole, Code::GuardWithdraw),
        field if WHAT_RUNS.contains(&field) && approved => (Who::Admin, Code::GuardFrozen),
        field if WHAT_RUNS.contains(&field) && old.scheduled.is_some() => {
            (Who::Role, Code::GuardFrozen)
        }
        _ => (Who::AuthorOrRole, Code::GuardAuthor),
    }
}

/// The fields that say what runs: frozen once a run is planned, and once approved.
pub const WHAT_RUNS: &[&str] = &[
    "jobs",
    "pr",
    "output",
    "tests",
    "instructions",
    "kind",
    "target_release",
];

fn allowed(who: Who, actor: &str, author: &str, roles: &Roles) -> bool {
    match who {
        Who::AuthorOrRole => author.eq_ignore_ascii_case(actor) || roles.has_role(actor),
        Who::Role => roles.has_role(actor),
        Who::Admin => roles.is_admin(actor),
    }
}

fn who_text(who: Who, author: Option<&str>) -> String {
    match (who, author) {
        (Who::AuthorOrRole, Some(author)) => {
            format!("the request's author (@{author}), coordinators or admins")
        }
        (Who::AuthorOrRole, None) => "the request's author, coordinators or admins".to_owned(),
        (Who::Role, _) => "coordinators or admins".to_owned(),
        (Who::Admin, _) => "admins".to_owned(),
    }
}

/// The refusal of `change`, if `actor` may not make it.
fn refuse(
    change: &Change,
    old: &Request,
    tree: Option<&Node>,
    file: &str,
    actor: &str,
    roles: &Roles,
) -> Option<Diagnostic> {
    let (who, code) = who_may(change, old);
    let author = old.author.value.as_str();
    if allowed(who, actor, author, roles) {
        return None;
    }
    let path = change.path_text();
    let how = change.how.verb();
    let who_text = who_text(who, Some(author));
    let (message, help) = match code {
        Code::GuardFrozen if old.approval.is_some() => (
            format!(
                "@{actor} {how} `{path}` of an approved request, which only {who_text} may \
                 change: an approval covers exactly what was tested"
            ),
            "ask an admin to make the change (and to test it again), or file a new request \
             with `previous_request` set to this one"
                .to_owned(),
        ),
        Code::GuardFrozen => (
            format!(
                "@{actor} {how} `{path}` of a request already scheduled to run, which only \
                 {who_text} may change"
            ),
            "ask the coordinator who scheduled it; what runs must not change behind their back"
                .to_owned(),
        ),
        Code::GuardWithdraw => (
            format!(
                "@{actor} {} @{author}'s request, which only {who_text} may do",
                match change.how {
                    How::Added => "withdrew",
                    How::Removed => "took back the withdrawal of",
                    How::Changed => "changed the withdrawal of",
                }
            ),
            format!("ask @{author} to withdraw it, or a coordinator"),
        ),
        Code::GuardAuthor => (
            format!("@{actor} {how} `{path}`, which only {who_text} may change"),
            format!("ask @{author} to make this change, or a coordinator or admin to make it"),
        ),
        _ => (
            format!("@{actor} {how} `{path}`, which only {who_text} may change"),
            format!(
                "leave `{}` as it was; {who_text} record it with jobgate's own commands",
                change.field
            ),
        ),
    };
    let span = match change.how {
        How::Removed if change.path.len() == 1 => Span::FILE,
        _ => change.span_in(tree),
    };
    Some(Diagnostic::new(code, file, span, message).with_help(help))
}

/// Changes to the settings file: admins only, as it holds the roles, the policy and the links
/// every page and check trusts. `old` is the base's text; `None` when the base had no settings
/// (a new site, whose first settings anyone may add).
pub fn review_settings(
    old: Option<&str>,
    new: Option<&str>,
    actor: &str,
    roles: &Roles,
) -> Vec<Diagnostic> {
    let Some(old) = old else {
        return Vec::new();
    };
    if roles.is_admin(actor) {
        return Vec::new();
    }
    let refusal = |span: Span, what: String| {
        Diagnostic::new(
            Code::GuardSettings,
            SITE_FILE,
            span,
            format!("@{actor} {what}, which only admins (as listed before this change) may change"),
        )
        .with_help("ask an admin to make this change to the settings")
    };
    let Some(new) = new else {
        return vec![refusal(Span::FILE, format!("deleted {SITE_FILE}"))];
    };
    let (Ok(old_tree), Ok(new_tree)) = (yaml::parse(old, SITE_FILE), yaml::parse(new, SITE_FILE))
    else {
        // A file that does not parse is reported as such; until it does, it cannot be judged.
        return if old == new {
            Vec::new()
        } else {
            vec![refusal(Span::FILE, format!("changed {SITE_FILE}"))]
        };
    };
    let (old_map, new_map) = (top_level(&old_tree), top_level(&new_tree));
    let mut keys: Vec<&str> = old_map.iter().chain(&new_map).map(|(k, _, _)| *k).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let before = old_map.iter().find(|(k, _, _)| *k == key);
            let after = new_map.iter().find(|(k, _, _)| *k == key);
            match (before, after) {
                (Some((_, a, _)), Some((_, b, span))) if a != b => {
                    Some(refusal(*span, format!("changed `{key}`")))
                }
                (None, Some((_, _, span))) => Some(refusal(*span, format!("added `{key}`"))),
                (Some(_), None) => Some(refusal(Span::FILE, format!("removed `{key}`"))),
                _ => None,
            }
        })
        .collect()
}

/// Each top-level key of a settings tree, its value without positions, and where it stands.
fn top_level(tree: &Node) -> Vec<(&str, serde_json::Value, Span)> {
    match &tree.value {
        yaml::Value::Map(entries) => entries
            .iter()
            .map(|(key, value)| (key.name.as_str(), plain(value), key.span))
            .collect(),
        _ => vec![("", plain(tree), tree.span)],
    }
}

/// A YAML value without its positions.
fn plain(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        yaml::Value::Null => J::Null,
        yaml::Value::Bool(b) => J::Bool(*b),
        yaml::Value::Int(n) => J::from(*n),
        yaml::Value::Float(f) => J::from(*f),
        yaml::Value::Str(s) => J::String(s.clone()),
        yaml::Value::Seq(items) => J::Array(items.iter().map(plain).collect()),
        yaml::Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), plain(v)))
                .collect(),
        ),
    }
}

/// Everything `actor` changed since `rev` that they may not change: the settings and every
/// request file, read from the repository at `root` (the base) and from disk (the change).
pub fn check(root: &Path, rev: &str, actor: &str) -> anyhow::Result<Vec<Diagnostic>> {
    let base = git::snapshot(root, rev)?;
    let roles = base
        .settings
        .as_deref()
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(|text| config::parse(text).ok())
        .map(|config| Roles::of(&config))
        .unwrap_or_default();
    let mut found = review_settings(
        base.settings
            .as_deref()
            .map(String::from_utf8_lossy)
            .as_deref(),
        read(root, SITE_FILE)?.as_deref(),
        actor,
        &roles,
    );
    let mut files: Vec<String> = base.requests.keys().cloned().collect();
    files.extend(request_files(root)?);
    files.sort();
    files.dedup();
    let judged = |file: &String| -> anyhow::Result<Vec<Diagnostic>> {
        let old_bytes = base.requests.get(file);
        let new_text = read(root, file)?;
        if old_bytes.map(Vec::as_slice) == new_text.as_deref().map(str::as_bytes) {
            return Ok(Vec::new());
        }
        let old = old_bytes.and_then(|bytes| request::parse(bytes, file).0);
        let Some(new_text) = new_text else {
            let reviewed = Reviewed {
                file,
                old: old.as_ref(),
                new: None,
                tree: None,
            };
            return Ok(review(&reviewed, actor, &roles));
        };
        // A file that does not parse is reported by `check` itself; it cannot be judged.
        let Some(new) = request::parse(new_text.as_bytes(), file).0 else {
            return Ok(Vec::new());
        };
        let tree = yaml::parse(&new_text, file).ok();
        let reviewed = Reviewed {
            file,
            old: old.as_ref(),
            new: Some(&new),
            tree: tree.as_ref(),
        };
        Ok(review(&reviewed, actor, &roles))
    };
    let judge_all = || {
        files
            .par_iter()
            .map(judged)
            .collect::<anyhow::Result<Vec<_>>>()
    };
    let judged = match yaml::parser_pool() {
        Some(pool) => pool.install(judge_all)?,
        None => judge_all()?,
    };
    found.extend(judged.into_iter().flatten());
    Ok(found)
}

/// The text of `file` under `root`; `None` if it does not exist (or is not a plain file).
fn read(root: &Path, file: &str) -> anyhow::Result<Option<String>> {
    let path = root.join(file);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => {
            let bytes = std::fs::read(&path)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
            Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
        }
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!("reading {}: {e}", path.display())),
    }
}

/// The request files now on disk (`requests/<id>.yaml` with a valid id).
fn request_files(root: &Path) -> anyhow::Result<Vec<String>> {
    let dir = root.join("requests");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(anyhow::anyhow!("reading {}: {e}", dir.display())),
    };
    let mut files = Vec::new();
    for entry in entries {
        let name = entry?.file_name();
        if let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".yaml"))
            && request::is_valid_id(id)
        {
            files.push(format!("requests/{id}.yaml"));
        }
    }
    Ok(files)
}
