//! The browser checks (`.ci/browser/`) need Chromium and npm, so `cargo test` only checks that
//! CI runs them, that their tools are pinned, and that they fail rather than skip without
//! their tools.

use std::process::Command;

use super::common::repo_root;

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo_root().join(relative))
        .unwrap_or_else(|e| panic!("reading {relative}: {e}"))
}

#[test]
fn ci_runs_the_browser_checks_after_the_site_and_before_the_code_gates() {
    let run = read(".ci/run");
    let position = |needle: &str| {
        run.find(needle)
            .unwrap_or_else(|| panic!(".ci/run does not run {needle:?}"))
    };
    let site = position("\n.ci/site\n");
    let browser = position("\n.ci/browser/run\n");
    let checks = position("\n.ci/checks\n");
    assert!(site < browser && browser < checks, "wrong order in .ci/run");
    // Chromium and strace are installed when missing, and the checks that need them must run.
    assert!(run.contains("|| missing+=(chromium)"), "{run}");
    assert!(run.contains("|| missing+=(strace)"), "{run}");
    assert!(
        run.contains(r#"apt-get install -y "${missing[@]}""#),
        "{run}"
    );
    assert!(
        position("\nexport JOBGATE_REQUIRE_TOOLS=1\n") < browser,
        "{run}"
    );

    let script = read(".ci/browser/run");
    assert!(script.starts_with("#!/usr/bin/env bash\n"));
    assert!(script.contains("\nset -euo pipefail\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(repo_root().join(".ci/browser/run"))
            .unwrap()
            .permissions()
            .mode();
        assert!(mode & 0o111 != 0, ".ci/browser/run is not executable");
    }
}

#[test]
fn browser_tools_are_pinned_exactly_and_locked() {
    let manifest: serde_json::Value =
        serde_json::from_str(&read(".ci/browser/package.json")).unwrap();
    let lock: serde_json::Value =
        serde_json::from_str(&read(".ci/browser/package-lock.json")).unwrap();
    let dependencies = manifest["dependencies"].as_object().unwrap();
    for name in ["playwright-core", "axe-core"] {
        let version = dependencies[name].as_str().unwrap();
        assert!(
            version.split('.').count() == 3
                && version.chars().all(|c| c.is_ascii_digit() || c == '.'),
            "{name} is not pinned to an exact version: {version}"
        );
        let locked = &lock["packages"][format!("node_modules/{name}")]["version"];
        assert_eq!(locked, version, "package-lock.json disagrees on {name}");
    }
    assert!(
        read(".gitignore").contains("/.ci/browser/node_modules/"),
        "node_modules must stay out of git"
    );
}

#[cfg(unix)]
#[test]
fn the_browser_checks_fail_loudly_without_chromium() {
    let output = Command::new("bash")
        .arg(repo_root().join(".ci/browser/run"))
        .env("CHROMIUM", "/nonexistent/chromium")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("chromium at /nonexistent/chromium"),
        "{stderr}"
    );
}
