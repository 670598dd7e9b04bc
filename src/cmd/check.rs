//! `jobgate check`.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::cli::{CheckArgs, CheckFormat};
use crate::diagnostics::{self, Severity};
use crate::{guard, site};

use super::Outcome;

pub fn run(args: CheckArgs) -> anyhow::Result<Outcome> {
    let today = super::resolve_today(args.site.today)?;
    let root = args.site.root;
    let (site, mut found) = site::check(&root, today)?;
    if let (Some(base), Some(actor)) = (&args.base, &args.actor) {
        found.extend(guard::check(&root, base, actor)?);
        diagnostics::sort(&mut found);
    }
    let wanted = if args.paths.is_empty() {
        None
    } else {
        let wanted = relative_paths(&root, &args.paths)?;
        found.retain(|d| {
            wanted
                .iter()
                .any(|w| d.file == *w || d.file.starts_with(&format!("{w}/")))
        });
        Some(wanted)
    };
    let text = match args.format {
        CheckFormat::Human => super::human(&root, &found, std::io::stdout().is_terminal()),
        CheckFormat::Github => diagnostics::render_github(&found),
        CheckFormat::Json => diagnostics::render_json(&found),
        CheckFormat::Markdown => site::report::markdown(&site, &found, wanted.as_deref(), today),
    };
    print!("{text}");
    let errors = diagnostics::count(&found, Severity::Error);
    let warnings = diagnostics::count(&found, Severity::Warning);
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    if args.format == CheckFormat::Human && found.is_empty() {
        println!(
            "{} requests and {} guide pages checked: no problems",
            site.requests.len(),
            site.guide.len()
        );
    }
    Ok(if failed {
        Outcome::InputErrors
    } else {
        Outcome::Clean
    })
}

/// The given paths as root-relative, `/`-separated strings; each must exist inside the root.
fn relative_paths(root: &Path, paths: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    let root_abs = std::fs::canonicalize(root)?;
    let mut out = Vec::new();
    for path in paths {
        // A relative path is read from the root, or else from where the command runs (so that
        // `--root site site/requests/x.yaml` works as well as `--root site requests/x.yaml`).
        let candidate = if path.is_absolute() || root.join(path).exists() {
            root.join(path)
        } else {
            path.clone()
        };
        let Ok(abs) = std::fs::canonicalize(&candidate) else {
            bail!("{}: no such file under {}", path.display(), root.display());
        };
        let Ok(rel) = abs.strip_prefix(&root_abs) else {
            bail!(
                "{}: outside the site root {}",
                path.display(),
                root.display()
            );
        };
        out.push(rel.to_string_lossy().replace('\\', "/"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_existing_files_inside_the_root_can_be_named() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("requests")).unwrap();
        std::fs::write(root.join("requests/a-request.yaml"), "title: x\n").unwrap();
        std::fs::write(tmp.path().join("outside.yaml"), "title: x\n").unwrap();
        let named = |path: &str| relative_paths(&root, &[PathBuf::from(path)]);

        assert_eq!(
            named("requests/a-request.yaml").unwrap(),
            ["requests/a-request.yaml"]
        );
        assert_eq!(named("requests/../requests").unwrap(), ["requests"]);
        let from_here = root.join("requests/a-request.yaml");
        assert_eq!(
            named(from_here.to_str().unwrap()).unwrap(),
            ["requests/a-request.yaml"]
        );
        // A NUL cannot come in through the command line, but is refused all the same.
        for bad in [
            "requests/a-request.yaml\0",
            "\0",
            "requests/\0/a-request.yaml",
        ] {
            let error = named(bad).unwrap_err().to_string();
            assert!(error.contains("no such file"), "{bad:?}: {error}");
        }
        for outside in ["../outside.yaml", "requests/../../outside.yaml"] {
            let error = named(outside).unwrap_err().to_string();
            assert!(
                error.contains("outside the site root"),
                "{outside}: {error}"
            );
        }
        let absolute = tmp.path().join("outside.yaml");
        let error = relative_paths(&root, &[absolute]).unwrap_err().to_string();
        assert!(error.contains("outside the site root"), "{error}");
    }
}
