//! Only admins may approve and only coordinators (or admins) may schedule and record runs:
//! this compares each request with its version at a git base and reports changes to
//! admin-only fields made by someone without the role.
//!
//! [`compare`] is pure; [`file_at`] is the one place that asks git for an old version.

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, bail};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::request::Request;

/// Who may touch a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Coordinator,
    Admin,
}

impl Role {
    fn allows(self, config: &SiteConfig, actor: &str) -> bool {
        match self {
            Role::Coordinator => config.is_coordinator(actor),
            Role::Admin => config.is_admin(actor),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinators or admins",
            Role::Admin => "admins",
        }
    }
}

/// Values compared without their positions: moving a line is not a change.
fn same<T: Serialize>(a: &T, b: &T) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

/// Reports admin-only fields of `new` that `actor` added, changed or removed since `old`.
pub fn compare(
    old: Option<&Request>,
    new: &Request,
    file: &str,
    actor: &str,
    config: &SiteConfig,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let Some(old) = old else {
        // A new file: an author may not arrive with admin fields already filled in.
        let mut fields = Vec::new();
        if let Some(s) = &new.scheduled {
            fields.push(("scheduled", s.span, Role::Coordinator));
        }
        if let Some(run) = new.runs.first() {
            fields.push(("runs", run.span, Role::Coordinator));
        }
        if let Some(a) = &new.approval {
            fields.push(("approval", a.span, Role::Admin));
        }
        for (field, span, role) in fields {
            if !role.allows(config, actor) {
                found.push(
                    Diagnostic::new(
                        Code::GuardNew,
                        file,
                        span,
                        format!(
                            "a new request may not arrive with `{field}`: only {} add it",
                            role.name()
                        ),
                    )
                    .with_help(format!(
                        "remove `{field}`; it is filled in after the request is merged"
                    )),
                );
            }
        }
        return found;
    };
    let mut check = |field: &str, changed: bool, span: Span, role: Role, how: &str| {
        if changed && !role.allows(config, actor) {
            found.push(Diagnostic::new(
                Code::GuardRole,
                file,
                span,
                format!(
                    "@{actor} {how} `{field}`, which only {} may change",
                    role.name()
                ),
            ));
        }
    };
    match (&old.scheduled, &new.scheduled) {
        (None, None) => {}
        (Some(_), None) => check("scheduled", true, Span::FILE, Role::Coordinator, "removed"),
        (None, Some(s)) => check("scheduled", true, s.span, Role::Coordinator, "added"),
        (Some(a), Some(b)) => check(
            "scheduled",
            !same(a, b),
            b.span,
            Role::Coordinator,
            "changed",
        ),
    }
    let first_change = (0..old.runs.len().max(new.runs.len())).find(|&i| {
        match (old.runs.get(i), new.runs.get(i)) {
            (Some(a), Some(b)) => !same(a, b),
            _ => true,
        }
    });
    if let Some(i) = first_change {
        let (span, how) = match new.runs.get(i) {
            Some(run) if i < old.runs.len() => (run.span, "changed"),
            Some(run) => (run.span, "added to"),
            None => (Span::FILE, "removed from"),
        };
        check("runs", true, span, Role::Coordinator, how);
    }
    match (&old.approval, &new.approval) {
        (None, None) => {}
        (Some(_), None) => check("approval", true, Span::FILE, Role::Admin, "removed"),
        (None, Some(a)) => check("approval", true, a.span, Role::Admin, "added"),
        (Some(a), Some(b)) => check("approval", !same(a, b), b.span, Role::Admin, "changed"),
    }
    found
}

/// The bytes of `path` (relative to `root`) at git revision `rev`; `None` if it did not exist.
pub fn file_at(root: &Path, rev: &str, path: &str) -> anyhow::Result<Option<Vec<u8>>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &format!("{rev}:./{path}")])
        .output()
        .context("running git (is it installed?)")?;
    if output.status.success() {
        return Ok(Some(output.stdout));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("does not exist") || stderr.contains("exists on disk, but not in") {
        return Ok(None);
    }
    bail!("git show {rev}:{path} failed: {}", stderr.trim())
}

/// Fails with a clear message when `rev` is not a commit of the repository at `root`.
pub fn verify_revision(root: &Path, rev: &str) -> anyhow::Result<()> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])
        .output()
        .context("running git (is it installed?)")?;
    if !output.status.success() {
        bail!(
            "--base {rev}: no such commit in the git repository at {}",
            root.display()
        );
    }
    Ok(())
}
