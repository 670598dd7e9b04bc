//! CI and publishing: the guide's example request and the repository's own requests pass the
//! check CI runs, and the GitHub workflows keep their safety properties. The workflows are read
//! as text, line by line, because that is what a reviewer reads and what GitHub runs.

use std::collections::BTreeSet;

use super::common::{TODAY, TempSite, repo_root};

const PR_WORKFLOW: &str = ".github/workflows/pull-request.yml";
const DEPLOY_WORKFLOW: &str = ".github/workflows/deploy.yml";
/// The id the guide's example says it is saved as; no request in the repository uses it.
const EXAMPLE_ID: &str = "topic-summary-migration";

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo_root().join(relative))
        .unwrap_or_else(|e| panic!("reading {relative}: {e}"))
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The complete example request: the ```yaml block of the guide that starts with the schema line.
fn guide_example() -> String {
    let guide = read("content/guide/requesting-a-test.md");
    let fence = "```yaml\n# yaml-language-server";
    let start = guide.find(fence).expect("the guide has a complete example") + "```yaml\n".len();
    let end = start
        + guide[start..]
            .find("\n```")
            .expect("the example block is closed");
    format!("{}\n", &guide[start..end])
}

#[test]
fn the_guides_complete_example_request_passes_the_check() {
    let file = format!("requests/{EXAMPLE_ID}.yaml");
    assert!(
        !repo_root().join(&file).exists(),
        "{file} exists in the repository; pick another id for the example"
    );
    let site = TempSite::repository();
    site.write(&file, &guide_example());
    let run = site.run(&["check", "--today", TODAY, "--format", "json", &file]);
    let report = json(&run.stdout);
    assert_eq!(report["errors"], 0, "{}", run.stdout);
    // A warning is acceptable only for filing late (JG309): the example's date is fixed while
    // the release calendar moves on. Anything else means the example teaches a mistake.
    for diagnostic in report["diagnostics"].as_array().unwrap() {
        assert_eq!(diagnostic["code"], "JG309", "{}", run.stdout);
    }
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn the_repositorys_own_requests_pass_the_check() {
    let site = TempSite::repository();
    let run = site.run(&["check", "--today", TODAY, "--format", "json"]);
    let report = json(&run.stdout);
    assert_eq!(report["errors"], 0, "{}", run.stdout);
    assert_eq!(run.code, 0, "{run:?}");
}

/// Every workflow file, as (path, text), sorted by path.
fn workflows() -> Vec<(String, String)> {
    let dir = repo_root().join(".github/workflows");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .map(|path| {
            let name = format!(
                ".github/workflows/{}",
                path.file_name().unwrap().to_string_lossy()
            );
            let text = std::fs::read_to_string(&path).unwrap();
            (name, text)
        })
        .collect();
    files.sort();
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        names.contains(&PR_WORKFLOW) && names.contains(&DEPLOY_WORKFLOW),
        "{names:?}"
    );
    files
}

/// A line without its YAML comment, so that prose about a risk is not taken for the risk.
fn code(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #") {
        Some(at) => &line[..at],
        None => line,
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The lines of job `name`: from `  name:` under `jobs:` to the next job.
fn job<'a>(workflow: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("  {name}:");
    let mut lines = workflow.lines().skip_while(|line| *line != "jobs:");
    assert!(lines.any(|line| line == header), "no job {name}");
    lines
        .take_while(|line| line.trim().is_empty() || indent(line) > 2)
        .collect()
}

#[test]
fn no_workflow_runs_with_the_base_repositorys_secrets() {
    for (name, text) in workflows() {
        for line in text.lines().map(code) {
            assert!(!line.contains("pull_request_target"), "{name}: {line}");
            assert!(!line.contains("secrets."), "{name}: {line}");
        }
    }
}

#[test]
fn every_action_is_pinned_to_a_full_commit_with_its_version() {
    let mut used = BTreeSet::new();
    for (name, text) in workflows() {
        for line in text.lines() {
            let Some(reference) = code(line)
                .trim()
                .trim_start_matches("- ")
                .strip_prefix("uses:")
            else {
                continue;
            };
            let (action, sha) = reference.trim().split_once('@').unwrap_or_else(|| {
                panic!("{name}: `{}` names no version", line.trim());
            });
            let pinned =
                sha.len() == 40 && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
            assert!(pinned, "{name}: `{}` is not a full commit SHA", line.trim());
            let comment = line[line.find(sha).unwrap() + sha.len()..].trim();
            assert!(
                comment.starts_with("# v"),
                "{name}: `{}` lacks its version as a `# v...` comment",
                line.trim()
            );
            used.insert(action.to_owned());
        }
    }
    let expected = [
        "actions/cache",
        "actions/checkout",
        "actions/configure-pages",
        "actions/deploy-pages",
        "actions/upload-artifact",
        "actions/upload-pages-artifact",
    ];
    assert_eq!(used, expected.iter().map(|a| a.to_string()).collect());
}

#[test]
fn only_the_deploy_job_may_write() {
    for (name, text) in workflows() {
        // The default for every job: read the repository, nothing else.
        let top: Vec<&str> = text
            .lines()
            .skip_while(|line| *line != "permissions:")
            .skip(1)
            .take_while(|line| indent(line) > 0)
            .map(code)
            .filter(|line| !line.trim().is_empty())
            .collect();
        assert_eq!(top, ["  contents: read"], "{name}: top-level permissions");

        let writes: Vec<&str> = text
            .lines()
            .map(code)
            .filter(|line| line.contains("write"))
            .map(str::trim)
            .collect();
        if name == DEPLOY_WORKFLOW {
            assert_eq!(
                writes,
                ["pages: write", "id-token: write", "issues: write"],
                "{name}"
            );
            let deploy: Vec<&str> = job(&text, "deploy").into_iter().map(str::trim).collect();
            assert!(deploy.contains(&"pages: write") && deploy.contains(&"id-token: write"));
            let build = job(&text, "build");
            assert!(
                !build.iter().any(|line| code(line).contains("write")),
                "{build:#?}"
            );
        } else if name == COMMENT_WORKFLOW {
            assert_eq!(writes, ["pull-requests: write"], "{name}");
        } else {
            assert!(writes.is_empty(), "{name} asks to write: {writes:?}");
        }
    }
}

/// Every `run:` script (inline or block) of a workflow, as (first line number, text).
fn run_scripts(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut scripts = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start().trim_start_matches("- ");
        if let Some(inline) = trimmed.strip_prefix("run:") {
            let key = line.find("run:").unwrap();
            let mut script = inline.to_owned();
            let mut j = i + 1;
            while j < lines.len() && (lines[j].trim().is_empty() || indent(lines[j]) > key) {
                script.push('\n');
                script.push_str(lines[j]);
                j += 1;
            }
            scripts.push((i + 1, script));
            i = j;
        } else {
            i += 1;
        }
    }
    scripts
}

#[test]
fn no_expression_is_pasted_into_a_run_script() {
    // `${{ }}` in a script is pasted in before the shell reads it: a branch name or a title
    // could then run as code. Values reach scripts through `env:` instead.
    for (name, text) in workflows() {
        let scripts = run_scripts(&text);
        assert!(!scripts.is_empty(), "{name} has no run: step");
        for (line, script) in scripts {
            assert!(!script.contains("${{"), "{name}:{line}: {script}");
        }
    }
}

#[test]
fn the_workflows_and_ci_run_call_the_same_scripts() {
    let pr = read(PR_WORKFLOW);
    let deploy = read(DEPLOY_WORKFLOW);
    let run = read(".ci/run");
    let last_command = |text: &str| -> String {
        let line = text
            .lines()
            .map(code)
            .rfind(|l| !l.trim().is_empty())
            .unwrap();
        line.trim().to_owned()
    };

    // Pull requests: the code gates, and the check with annotations and the guard.
    assert!(pr.contains("run: .ci/checks\n"), "{PR_WORKFLOW}");
    // The guard is the base's: its .ci/site, which builds the base's jobgate.
    assert!(
        pr.contains(
            "git show \"$BASE_SHA:.ci/site\" > \"$RUNNER_TEMP/site\"\n          \
             bash \"$RUNNER_TEMP/site\" --root . --format github --base \"$BASE_SHA\" \
             --actor \"$PR_AUTHOR\"\n"
        ),
        "{PR_WORKFLOW}"
    );
    assert!(pr.contains("BASE_SHA: ${{ github.event.pull_request.base.sha }}"));
    assert!(pr.contains("PR_AUTHOR: ${{ github.event.pull_request.user.login }}"));
    assert!(
        pr.contains("fetch-depth: 0"),
        "the guard needs the base commit"
    );

    // Deploys: the same check and build, with the address Pages serves the site from and the
    // request form's checker built from the same commit.
    let checker = "wasm/target/wasm32-unknown-unknown/release/jobgate_wasm.wasm";
    assert!(
        deploy.contains(&format!(
            "          .ci/site --format github --base-url \"$BASE_URL\" --out public\n          --checker {checker}\n"
        )),
        "{DEPLOY_WORKFLOW}"
    );
    assert!(deploy.contains(
        "run: cargo build --locked --release --target wasm32-unknown-unknown --manifest-path wasm/Cargo.toml"
    ));
    assert!(deploy.contains("BASE_URL: ${{ steps.pages.outputs.base_url }}"));

    // Locally and in CI: both scripts, and the README's test command last.
    assert!(
        run.contains("\n.ci/site\n"),
        ".ci/run does not run .ci/site"
    );
    assert_eq!(last_command(&run), ".ci/checks");
    assert_eq!(last_command(&read(".ci/checks")), "cargo test --locked");

    for script in ["run", "checks", "site"] {
        let text = read(&format!(".ci/{script}"));
        assert!(text.starts_with("#!/usr/bin/env bash\n"), ".ci/{script}");
        assert!(text.contains("\nset -euo pipefail\n"), ".ci/{script}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(repo_root().join(".ci").join(script))
                .unwrap()
                .permissions()
                .mode();
            assert!(mode & 0o111 != 0, ".ci/{script} is not executable");
        }
    }
}

#[test]
fn the_site_is_deployed_on_push_daily_and_by_hand_one_at_a_time() {
    let deploy = read(DEPLOY_WORKFLOW);
    for needed in [
        "  push:\n    branches: [main]\n",
        "  schedule:\n    - cron: ",
        "  workflow_dispatch:\n",
        "concurrency:\n  group: pages\n  cancel-in-progress: false\n",
        "~/.cargo/registry",
        "~/.cargo/git",
        "hashFiles('Cargo.lock')",
        "environment:\n      name: github-pages\n",
        "        with:\n          path: public\n",
    ] {
        assert!(
            deploy.contains(needed),
            "{DEPLOY_WORKFLOW} lacks {needed:?}"
        );
    }
    let pr = read(PR_WORKFLOW);
    assert!(pr.contains("on:\n  pull_request:\n"), "{PR_WORKFLOW}");
}

#[test]
fn codeowners_makes_the_admins_owners_of_requests_and_settings() {
    let config = jobgate::config::parse(&read("content/site.yaml")).unwrap();
    let admins: BTreeSet<String> = config.admins.iter().map(|a| format!("@{a}")).collect();
    let codeowners = read(".github/CODEOWNERS");
    for path in ["/requests/", "/content/site.yaml"] {
        let line = codeowners
            .lines()
            .map(code)
            .find(|line| line.split_whitespace().next() == Some(path))
            .unwrap_or_else(|| panic!("CODEOWNERS has no line for {path}"));
        let owners: BTreeSet<String> = line.split_whitespace().skip(1).map(String::from).collect();
        assert_eq!(owners, admins, "owners of {path}");
    }
}

#[test]
fn the_pull_request_template_has_the_authors_checklist() {
    let template = read(".github/pull_request_template.md");
    for item in [
        "tested_locally",
        "reviewers_approved",
        "output.success",
        "output.failure",
        "tests.success",
        "tests.failure",
        "`verify`",
        "`on_output`",
        "`recover`",
        "`debug`",
        "run order",
        "previous_request",
        "fixed",
        "annotations",
    ] {
        assert!(template.contains(item), "the template lacks {item}");
    }
    assert!(template.matches("- [ ]").count() >= 9, "{template}");
}

/// A stand-in for jobgate whose `check` prints `verdict` and exits with `code`; every other
/// command succeeds.
fn stand_in(verdict: &str, code: i32) -> String {
    format!(
        "fn main() {{\n    if std::env::args().nth(1).as_deref() == Some(\"check\") {{\n        \
         println!(\"{verdict}\");\n        std::process::exit({code});\n    }}\n}}\n"
    )
}

/// `.ci/site --base REV` run on a repository whose committed jobgate (the base) and working
/// tree (the pull request) disagree: what it printed and how it exited.
fn judged_by_base(base: &str, head: &str) -> (i32, String) {
    let repo = TempSite::empty();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"jobgate\"\nversion = \"0.0.0\"\nedition = \"2021\"\n",
    );
    repo.write(".ci/site", &read(".ci/site"));
    repo.write("src/main.rs", base);
    let run = |program: &str, args: &[&str]| {
        let output = std::process::Command::new(program)
            .args(args)
            .current_dir(repo.path())
            .env_remove("CARGO_TARGET_DIR")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.code().unwrap_or(-1), text)
    };
    for step in [
        &["cargo", "generate-lockfile", "--offline"][..],
        &["git", "init", "-q", "-b", "main"],
        &["git", "add", "-A"],
        &["git", "commit", "-q", "-m", "base"],
    ] {
        let (code, text) = run(step[0], &step[1..]);
        assert_eq!(code, 0, "{step:?}: {text}");
    }
    repo.write("src/main.rs", head);
    run(
        "bash",
        &[
            ".ci/site", "--base", "main", "--actor", "someone", "--out", "site-out",
        ],
    )
}

#[test]
fn the_base_commits_code_judges_a_pull_request_not_the_pull_requests_code() {
    // A pull request that rewrites the check to accept everything is still refused.
    let (code, text) = judged_by_base(
        &stand_in("error[JG401]: refused by the base's code", 1),
        &stand_in("accepted by the pull request's code", 0),
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("refused by the base's code"), "{text}");
    assert!(
        !text.contains("accepted by the pull request's code"),
        "{text}"
    );
    // And a pull request's code cannot refuse what the base accepts either.
    let (code, text) = judged_by_base(
        &stand_in("accepted by the base's code", 0),
        &stand_in("error[JG401]: refused by the pull request's code", 1),
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("accepted by the base's code"), "{text}");
}

#[test]
fn the_merge_gate_is_reusable_read_only_and_never_runs_the_pull_requests_code() {
    let gate = read(".github/workflows/gate.yml");
    let lines: Vec<&str> = gate.lines().map(code).collect();
    // Called by the code repository's workflow, not triggered here.
    let on = lines.iter().position(|l| *l == "on:").expect("a trigger");
    assert_eq!(lines[on + 1], "  workflow_call:", "{gate}");
    // Read-only, everywhere.
    assert!(
        gate.contains("\npermissions:\n  contents: read\n"),
        "{gate}"
    );
    assert!(!gate.contains("write"), "{gate}");
    // What it checks out is jobgate, never the pull request: no ref from the event.
    let checkout = job(&gate, "gate");
    assert!(
        checkout
            .iter()
            .any(|l| l.trim() == "repository: ${{ inputs.jobgate-repository }}"),
        "{gate}"
    );
    assert!(!gate.contains("pull_request.head"), "{gate}");
    // The pull request's address reaches the script through env:, and the gate reads only the
    // site's published API.
    assert!(gate.contains("PR_URL: ${{ github.event.pull_request.html_url }}"));
    assert!(gate.contains(
        r#"jobgate/target/release/jobgate gate --pr "$PR_URL" --api "${SITE_URL%/}/api/requests.json""#
    ));
}

#[test]
fn the_attention_issue_is_written_on_main_only_by_a_job_that_runs_no_repository_code() {
    let deploy = read(DEPLOY_WORKFLOW);
    let job: Vec<&str> = job(&deploy, "attention")
        .into_iter()
        .map(|l| code(l).trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        job.contains(&"if: github.ref == 'refs/heads/main'"),
        "{job:#?}"
    );
    assert!(job.contains(&"needs: build"), "{job:#?}");
    // Its one write permission, and nothing of the repository: no checkout, no script of its own.
    let permissions: Vec<&&str> = job
        .iter()
        .skip_while(|l| **l != "permissions:")
        .skip(1)
        .take_while(|l| l.ends_with(": write") || l.ends_with(": read"))
        .collect();
    assert_eq!(permissions, [&"issues: write"], "{job:#?}");
    assert!(
        !job.iter().any(|l| l.contains("actions/checkout")),
        "{job:#?}"
    );
    assert!(
        !job.iter()
            .any(|l| l.contains(".ci/") || l.contains("target/")),
        "{job:#?}"
    );
    // The text comes from the build job (main's own jobgate), through env:, and one issue is
    // edited, found by its label; it is created only when there is none.
    assert!(
        job.contains(&"DIGEST: ${{ needs.build.outputs.digest }}"),
        "{job:#?}"
    );
    assert!(
        job.iter()
            .any(|l| l.starts_with("gh issue edit \"$number\"")),
        "{job:#?}"
    );
    assert!(deploy.contains("target/debug/jobgate digest --base-url \"$BASE_URL\""));
}

const COMMENT_WORKFLOW: &str = ".github/workflows/pr-comment.yml";

#[test]
fn the_comment_is_posted_from_the_artifact_by_a_job_that_runs_no_pull_request_code() {
    let comment = read(COMMENT_WORKFLOW);
    let lines: Vec<&str> = comment.lines().map(code).collect();
    // Triggered by the pull-request workflow's completion, for pull requests only.
    let on = lines.iter().position(|l| *l == "on:").expect("a trigger");
    assert_eq!(
        &lines[on + 1..on + 4],
        [
            "  workflow_run:",
            "    workflows: [\"Pull request\"]",
            "    types: [completed]"
        ]
    );
    let job: Vec<&str> = job(&comment, "comment")
        .into_iter()
        .map(|l| code(l).trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert!(job.contains(&"if: github.event.workflow_run.event == 'pull_request'"));
    let permissions: Vec<&&str> = job
        .iter()
        .skip_while(|l| **l != "permissions:")
        .skip(1)
        .take_while(|l| l.ends_with(": write") || l.ends_with(": read"))
        .collect();
    assert_eq!(permissions, [&"actions: read", &"pull-requests: write"]);
    // Nothing of the pull request is checked out or run: it only downloads the artifact.
    assert!(!comment.contains("actions/checkout"), "{comment}");
    assert!(
        !job.iter()
            .any(|l| l.contains(".ci/") || l.contains("target/")),
        "{job:#?}"
    );
    // The number comes from the event; a claimed one must match the run's head commit.
    assert!(job.contains(&"EVENT_PR: ${{ github.event.workflow_run.pull_requests[0].number }}"));
    assert!(job.contains(&"HEAD_SHA: ${{ github.event.workflow_run.head_sha }}"));
    assert!(
        job.iter().any(|l| l.contains(r#""$head" != "$HEAD_SHA""#)),
        "{job:#?}"
    );
    // The artifact is capped and its mentions and HTML neutralised; one comment, found by
    // its marker, is edited rather than posted again.
    assert!(
        job.iter()
            .any(|l| l.starts_with("head -c 60000 \"$dir/report.md\""))
    );
    assert!(
        comment.contains(r"-e 's/</\&lt;/g' -e 's/>/\&gt;/g'"),
        "{comment}"
    );
    assert!(comment.contains(r"-e 's/@/@\xe2\x81\xa0/g'"), "{comment}");
    assert!(
        job.iter().any(|l| l.starts_with("gh api --method PATCH")),
        "{job:#?}"
    );

    // The pull-request job that makes the report cannot write, and hands over the number only
    // as the artifact's claim.
    let pr = read(PR_WORKFLOW);
    assert!(pr.contains("target/debug/jobgate check --format markdown \"${changed[@]}\""));
    assert!(pr.contains(r#"cat "$RUNNER_TEMP/report/report.md" >> "$GITHUB_STEP_SUMMARY""#));
    assert!(pr.contains("name: check-report"));
}
