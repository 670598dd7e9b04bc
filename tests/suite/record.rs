//! The roles' commands: each edit changes one block of the request file and every other byte
//! stays; refusals leave the file untouched.

use std::path::Path;
use std::process::Command;

use super::common::{TempSite, fixture_dir};

const ID: &str = "audit-skill-rubric-explanations";
const FILE: &str = "requests/audit-skill-rubric-explanations.yaml";

fn record_fixture(name: &str) -> Vec<u8> {
    let path = fixture_dir("record").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The valid site with the request replaced by `before`, and the record fixtures' inputs in
/// `inputs/`.
fn site_with(before: &str) -> TempSite {
    let site = TempSite::fixture("valid");
    std::fs::write(site.path().join(FILE), record_fixture(before)).unwrap();
    let inputs = site.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    for name in [
        "hostile-stdout.txt",
        "hostile-stderr.txt",
        "success-stdout.txt",
        "crlf-stdout.txt",
        "evidence.md",
    ] {
        std::fs::write(inputs.join(name), record_fixture(name)).unwrap();
    }
    site
}

fn bytes(site: &TempSite) -> Vec<u8> {
    std::fs::read(site.path().join(FILE)).unwrap()
}

/// Runs the command on `<case>.before.yaml` and compares the file with `<case>.after.yaml`.
fn case(name: &str, args: &[&str]) -> super::common::Run {
    let site = site_with(&format!("{name}.before.yaml"));
    let run = site.run(args);
    assert_eq!(run.code, 0, "{run:?}");
    let after = record_fixture(&format!("{name}.after.yaml"));
    assert_eq!(
        String::from_utf8_lossy(&bytes(&site)),
        String::from_utf8_lossy(&after),
        "{name}"
    );
    assert_eq!(bytes(&site), after, "{name}: byte for byte");
    let check = site.run(&["check", "--today", "2026-11-30"]);
    assert_eq!(check.code, 0, "{check:?}");
    run
}

#[test]
fn schedule_adds_the_block_after_comments_between_and_after_blocks() {
    let run = case(
        "schedule-comments",
        &[
            "schedule",
            ID,
            "--weekend",
            "2026-11-28",
            "--by",
            "ankita240796",
            "--today",
            "2026-11-27",
        ],
    );
    assert!(run.stdout.starts_with(
        "requests/audit-skill-rubric-explanations.yaml: scheduled for the weekend of 2026-11-28\n\
         state: scheduled, on-track\n\
         next: Runs the weekend of 28 Nov; results due 30 Nov.\n"
    ), "{}", run.stdout);
    assert!(run.stdout.contains(
        "was acknowledged by @ankita240796 on 2026-11-27.\n\nIt is planned to run on the backup \
         server on the weekend of 2026-11-28 to 2026-11-29; the results are due by 2026-11-30.\n"
    ), "{}", run.stdout);
    assert!(
        run.stdout.ends_with(
            "Job page: https://example.org/jobs/jobs/audit-skill-rubric-explanations/\n"
        )
    );
}

#[test]
fn schedule_replaces_a_flow_block_in_flow_style() {
    case(
        "schedule-flow",
        &[
            "schedule",
            ID,
            "--weekend",
            "2026-11-28",
            "--on",
            "2026-11-27",
            "--by",
            "seanlip",
            "--today",
            "2026-11-27",
        ],
    );
}

#[test]
fn record_appends_hostile_output_to_a_block_list_and_derives_failure() {
    let run = case(
        "record-block-runs",
        &[
            "record",
            ID,
            "--stdout",
            "inputs/hostile-stdout.txt",
            "--stderr",
            "inputs/hostile-stderr.txt",
            "--on",
            "2026-11-29",
            "--today",
            "2026-11-30",
            "--by",
            "lkbhitesh07",
        ],
    );
    assert!(
        run.stdout.contains(
            "Result: **failure**.\n\nThe errors reported match the expected failure patterns.\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn record_turns_a_flow_list_into_a_block_list_keeping_its_entries() {
    let run = case(
        "record-flow-runs",
        &[
            "record",
            ID,
            "--stdout",
            "inputs/success-stdout.txt",
            "--today",
            "2026-11-29",
            "--by",
            "ankita240796",
        ],
    );
    assert!(
        run.stdout.contains("state: verifying, on-track\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn record_keeps_crlf_files_crlf_and_pasted_crlf_output_becomes_lf() {
    case(
        "record-crlf",
        &[
            "record",
            ID,
            "--stdout",
            "inputs/crlf-stdout.txt",
            "--today",
            "2026-11-28",
            "--by",
            "ankita240796",
            "--verified",
            "--evidence",
            "Counts agree with the datastore.",
        ],
    );
    let after = String::from_utf8(record_fixture("record-crlf.after.yaml")).unwrap();
    assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
}

#[test]
fn verify_edits_the_latest_backup_run_and_keeps_the_comment_on_its_line() {
    let run = case(
        "verify",
        &[
            "verify",
            ID,
            "--evidence",
            "@inputs/evidence.md",
            "--today",
            "2026-11-29",
            "--by",
            "ankita240796",
        ],
    );
    assert!(run.stdout.contains(
        "**Outcome verified.** Evidence:\n\n- Opened three skills in the datastore viewer: the counts agree.\n"
    ), "{}", run.stdout);
}

#[test]
fn approve_adds_the_approval_after_the_trailing_comment() {
    let run = case(
        "approve",
        &["approve", ID, "--by", "seanlip", "--today", "2026-11-30"],
    );
    assert!(
        run.stdout.contains("state: approved, in\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_author_may_withdraw() {
    case(
        "withdraw",
        &[
            "withdraw",
            ID,
            "--reason",
            "The audit is no longer needed: the migration was dropped.",
            "--by",
            "tanvi-skills",
            "--today",
            "2026-11-27",
        ],
    );
}

#[test]
fn message_only_prints_just_the_message() {
    let site = site_with("record-block-runs.before.yaml");
    let run = site.run(&[
        "record",
        ID,
        "--stdout",
        "inputs/success-stdout.txt",
        "--on",
        "2026-11-29",
        "--today",
        "2026-11-30",
        "--by",
        "lkbhitesh07",
        "--message-only",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "**Audit SkillModel rubrics for empty or duplicate explanations** \
         (`audit-skill-rubric-explanations`): `AuditSkillRubricExplanationsJob` ran on the backup \
         server on 2026-11-29 (recorded by @lkbhitesh07). Result: **success**.\n\n\
         The output matches the expected success patterns.\n\n\
         The outcome is not verified yet.\n\n\
         **State:** Verifying — Ran on 29 Nov; the coordinator is checking the outcome.\n\n\
         Job page: https://example.org/jobs/jobs/audit-skill-rubric-explanations/\n"
    );
}

#[test]
fn an_edit_that_check_would_reject_is_refused_with_its_diagnostics() {
    // A run dated before the one already recorded: the runs would be out of date order.
    refused(
        "record-block-runs.before.yaml",
        &[
            "record",
            ID,
            "--stdout",
            "inputs/success-stdout.txt",
            "--on",
            "2026-11-27",
            "--today",
            "2026-11-30",
            "--by",
            "lkbhitesh07",
        ],
        1,
        "error: the edited requests/audit-skill-rubric-explanations.yaml would not pass `jobgate check`\nnothing was written\n",
    );
    let site = site_with("record-block-runs.before.yaml");
    let run = site.run(&[
        "record",
        ID,
        "--stdout",
        "inputs/success-stdout.txt",
        "--on",
        "2026-11-27",
        "--today",
        "2026-11-30",
        "--by",
        "lkbhitesh07",
    ]);
    assert!(run.stderr.starts_with("error[JG303]: "), "{}", run.stderr);
    // Output that makes the file larger than a request may be.
    let site = site_with("record-crlf.before.yaml");
    let line = "SKILL PROCESSED SUCCESS: 12345678901234567890\n";
    std::fs::write(
        site.path().join("inputs/huge.txt"),
        line.repeat((1 << 20) / line.len()),
    )
    .unwrap();
    let old = bytes(&site);
    let run = site.run(&[
        "record",
        ID,
        "--stdout",
        "inputs/huge.txt",
        "--by",
        "seanlip",
        "--today",
        "2026-11-28",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("error[JG004]: the file is 1"),
        "{}",
        run.stderr
    );
    assert_eq!(bytes(&site), old);
}

/// Runs a command that must refuse with exit `code`, and proves the file was not touched.
fn refused(before: &str, args: &[&str], code: i32, message: &str) {
    let site = site_with(before);
    let old = bytes(&site);
    let run = site.run(args);
    assert_eq!(run.code, code, "{run:?}");
    assert!(
        run.stderr.contains(message),
        "{message:?} in {}",
        run.stderr
    );
    assert_eq!(bytes(&site), old, "the file was not touched");
    let leftovers: Vec<_> = std::fs::read_dir(site.path().join("requests"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refusals_change_nothing() {
    let base = "schedule-comments.before.yaml";
    refused(
        base,
        &[
            "schedule",
            ID,
            "--weekend",
            "2026-11-28",
            "--by",
            "tanvi-skills",
            "--today",
            "2026-11-27",
        ],
        1,
        "error: @tanvi-skills may not do this: only coordinators and admins may\n",
    );
    refused(
        base,
        &[
            "schedule",
            ID,
            "--weekend",
            "2026-11-27",
            "--by",
            "seanlip",
            "--today",
            "2026-11-27",
        ],
        1,
        "error: 2026-11-27 is a Friday, not a run day\n  = help: pick the first day of a run \
         weekend (Saturday, Sunday); the next is 2026-11-28\n",
    );
    refused(
        base,
        &[
            "schedule",
            "no-such-request",
            "--weekend",
            "2026-11-28",
            "--by",
            "seanlip",
            "--today",
            "2026-11-27",
        ],
        1,
        "error: there is no request `no-such-request`\n",
    );
    refused(
        "verify.before.yaml",
        &[
            "approve",
            ID,
            "--by",
            "ankita240796",
            "--today",
            "2026-11-30",
        ],
        1,
        "error: @ankita240796 may not do this: only admins may\n",
    );
    refused(
        "verify.before.yaml",
        &["approve", ID, "--by", "seanlip", "--today", "2026-11-30"],
        1,
        "error: `audit-skill-rubric-explanations` has no passing backup run to approve: it is Verifying\n",
    );
    refused(
        "approve.before.yaml",
        &[
            "approve",
            ID,
            "--release",
            "2026-12",
            "--by",
            "seanlip",
            "--today",
            "2026-11-30",
        ],
        1,
        "error: --release 2026-12 is before the request's target release (2027-01)\n",
    );
    refused(
        "record-crlf.before.yaml",
        &[
            "record",
            ID,
            "--stdout",
            "inputs/success-stdout.txt",
            "--on",
            "2026-11-25",
            "--by",
            "ankita240796",
            "--today",
            "2026-11-28",
        ],
        1,
        "error: the run on 2026-11-25 is dated before the request was submitted (2026-11-26)\n",
    );
    refused(
        "record-crlf.before.yaml",
        &[
            "record",
            ID,
            "--stdout",
            "inputs/success-stdout.txt",
            "--job",
            "OtherJob",
            "--by",
            "ankita240796",
            "--today",
            "2026-11-28",
        ],
        1,
        "error: `OtherJob` is not one of the request's jobs\n  = help: --job takes one of: AuditSkillRubricExplanationsJob\n",
    );
    refused(
        "record-crlf.before.yaml",
        &[
            "record",
            ID,
            "--stdout",
            "inputs/evidence.md",
            "--by",
            "ankita240796",
            "--today",
            "2026-11-28",
        ],
        1,
        "error: the output matches neither the success nor the failure patterns, so the result \
         cannot be derived\n  = help: say how the run ended with --result success|failure|error\n",
    );
    refused(
        "withdraw.before.yaml",
        &[
            "verify",
            ID,
            "--evidence",
            "looked",
            "--by",
            "seanlip",
            "--today",
            "2026-11-28",
        ],
        1,
        "error: `audit-skill-rubric-explanations` has no run on the backup server to verify\n",
    );
    refused(
        "withdraw.before.yaml",
        &[
            "withdraw",
            ID,
            "--reason",
            "no",
            "--by",
            "someone-else",
            "--today",
            "2026-11-28",
        ],
        1,
        "only the request's author, coordinators and admins may\n",
    );
    refused(
        "withdraw.before.yaml",
        &[
            "record",
            ID,
            "--stdout",
            "inputs/missing.txt",
            "--by",
            "seanlip",
            "--today",
            "2026-11-28",
        ],
        2,
        "error: reading inputs/missing.txt",
    );
}

#[test]
fn control_characters_in_output_are_refused_with_their_line() {
    let site = site_with("record-crlf.before.yaml");
    std::fs::write(
        site.path().join("inputs/colour.txt"),
        "SKILL PROCESSED SUCCESS: 1\n\u{1b}[31mred\u{1b}[0m\n",
    )
    .unwrap();
    let old = bytes(&site);
    let run = site.run(&[
        "record",
        ID,
        "--stdout",
        "inputs/colour.txt",
        "--result",
        "success",
        "--by",
        "seanlip",
        "--today",
        "2026-11-28",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with(
        "error: the stdout: line 2 holds the control character U+001B, which a YAML block scalar cannot hold\n"
    ), "{}", run.stderr);
    assert_eq!(bytes(&site), old);
}

#[test]
fn a_symlinked_request_is_refused() {
    let site = site_with("record-crlf.before.yaml");
    let elsewhere = site.path().join("elsewhere.yaml");
    std::fs::rename(site.path().join(FILE), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.path().join(FILE)).unwrap();
    let run = site.run(&[
        "schedule",
        ID,
        "--weekend",
        "2026-11-28",
        "--by",
        "seanlip",
        "--today",
        "2026-11-27",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        std::fs::read(&elsewhere).unwrap(),
        record_fixture("record-crlf.before.yaml")
    );
}

#[test]
fn without_a_handle_the_command_refuses_as_a_usage_error() {
    let site = site_with("schedule-comments.before.yaml");
    let old = bytes(&site);
    let output = Command::new(env!("CARGO_BIN_EXE_jobgate"))
        .args([
            "schedule",
            ID,
            "--weekend",
            "2026-11-28",
            "--today",
            "2026-11-27",
            "--root",
        ])
        .arg(site.path())
        .current_dir(site.path())
        .env_remove("JOBGATE_HANDLE")
        .env("HOME", site.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: who is writing this? pass --by HANDLE, set JOBGATE_HANDLE, or run `git config github.user HANDLE`\n"
    );
    assert_eq!(bytes(&site), old);
    let with_env = Command::new(env!("CARGO_BIN_EXE_jobgate"))
        .args([
            "schedule",
            ID,
            "--weekend",
            "2026-11-28",
            "--today",
            "2026-11-27",
            "--root",
        ])
        .arg(site.path())
        .env("JOBGATE_HANDLE", "lkbhitesh07")
        .output()
        .unwrap();
    assert_eq!(with_env.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&std::fs::read(site.path().join(FILE)).unwrap())
            .contains("scheduled:\n  by: lkbhitesh07\n")
    );
}

#[test]
fn ten_thousand_lines_of_output_round_trip() {
    let site = site_with("record-crlf.before.yaml");
    let mut output = String::new();
    for i in 0..10_000 {
        output.push_str(&format!("{i}: \"#\"\t'x'\n"));
        if i % 1000 == 0 {
            output.push_str("  note: \"#\"\t'x'\n\n");
        }
    }
    std::fs::write(site.path().join("inputs/big.txt"), &output).unwrap();
    let old = String::from_utf8(bytes(&site)).unwrap();
    let run = site.run(&[
        "record",
        ID,
        "--stdout",
        "inputs/big.txt",
        "--result",
        "error",
        "--by",
        "seanlip",
        "--today",
        "2026-11-28",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let new = String::from_utf8(bytes(&site)).unwrap();
    assert!(new.starts_with(&old));
    let (request, found) = jobgate::request::parse(new.as_bytes(), FILE);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(*request.unwrap().runs.last().unwrap().stdout, output);
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn schedule_record_verify_approve_takes_a_fresh_request_to_approved_and_in() {
    let site = TempSite::fixture("valid");
    std::fs::write(
        site.path().join("out.txt"),
        record_fixture("success-stdout.txt"),
    )
    .unwrap();
    git(site.path(), &["init", "-q", "-b", "main"]);
    git(site.path(), &["add", "-A"]);
    git(site.path(), &["commit", "-q", "-m", "base"]);
    let steps: [(&str, &[&str]); 4] = [
        (
            "ankita240796",
            &[
                "schedule",
                ID,
                "--weekend",
                "2026-11-28",
                "--today",
                "2026-11-27",
            ],
        ),
        (
            "ankita240796",
            &["record", ID, "--stdout", "out.txt", "--today", "2026-11-28"],
        ),
        (
            "lkbhitesh07",
            &[
                "verify",
                ID,
                "--evidence",
                "Datastore counts agree.",
                "--today",
                "2026-11-29",
            ],
        ),
        ("seanlip", &["approve", ID, "--today", "2026-11-30"]),
    ];
    for (actor, args) in steps {
        let mut all = args.to_vec();
        all.extend(["--by", actor]);
        let run = site.run(&all);
        assert_eq!(run.code, 0, "{run:?}");
        let guard = site.run(&[
            "check",
            "--today",
            "2026-11-30",
            "--base",
            "main",
            "--actor",
            actor,
        ]);
        assert_eq!(guard.code, 0, "{actor} {args:?}: {guard:?}");
        git(site.path(), &["commit", "-q", "-am", args[0]]);
    }
    let status = site.run(&["status", "--today", "2026-11-30", "--format", "json", ID]);
    let entries: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(entries[0]["state"], "approved");
    assert_eq!(entries[0]["release_fit"], "in");
}

#[test]
fn the_runsheet_lists_planned_requests_with_their_record_line() {
    let site = site_with("record-crlf.before.yaml");
    let run = site.run(&["runsheet", "--today", "2026-11-27"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with(
        "Run sheet for the weekend of 2026-11-28 to 2026-11-29 (results due 2026-11-30)\n\n\
         1. audit-skill-rubric-explanations — Audit SkillModel rubrics for empty or duplicate explanations [Scheduled]\n   \
         Jobs, in order:\n     1. AuditSkillRubricExplanationsJob\n   How to verify:\n"
    ), "{}", run.stdout);
    assert!(run.stdout.contains(
        "   Expected on failure (stderr):\n     SKILL PROCESSED ERROR: \"<any>\": <n>\n   After the run:\n     \
         jobgate record audit-skill-rubric-explanations --stdout stdout.txt --stderr stderr.txt\n"
    ), "{}", run.stdout);
    let markdown = site.run(&["runsheet", "--today", "2026-11-27", "--format", "markdown"]);
    assert!(
        markdown
            .stdout
            .starts_with("# Run sheet: weekend of 2026-11-28 to 2026-11-29\n")
    );
    assert!(markdown.stdout.contains("### How to debug a failed run\n"));
}

#[test]
fn the_site_has_a_printable_run_sheet_linked_from_the_home_page_and_the_sitemap() {
    let site = site_with("record-crlf.before.yaml");
    let run = site.build("public");
    assert_eq!(run.code, 0, "{run:?}");
    let page = site.read("public/runs/2026-11-28/index.html");
    assert!(
        page.contains("<h1>Run sheet: 28 Nov 2026 – 29 Nov 2026</h1>"),
        "{page}"
    );
    assert!(page.contains(
        "<h2 id=\"run-audit-skill-rubric-explanations\"><a href=\"../../jobs/audit-skill-rubric-explanations/index.html\">"
    ));
    assert!(page.contains(
        "<pre class=\"record-line\" tabindex=\"0\"><code>jobgate record audit-skill-rubric-explanations --stdout stdout.txt --stderr stderr.txt</code></pre>"
    ));
    assert!(page.contains("<pre class=\"patterns\" tabindex=\"0\">SKILL PROCESSED ERROR: &quot;&lt;any&gt;&quot;: &lt;n&gt;\n</pre>"), "{page}");
    // The approved request was planned for 14 Nov, within the four weeks shown back.
    let past = site.read("public/runs/2026-11-14/index.html");
    assert!(past.contains("Migrate TopicSummaryModel to schema version 5"));
    let home = site.read("public/index.html");
    assert!(
        home.contains(
            "<p><a href=\"runs/2026-11-28/index.html\">Run sheet for this weekend</a></p>"
        ),
        "{home}"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/jobs/runs/2026-11-28/</loc>"));
    assert!(site.read("public/style.css").contains("@media print"));
}

#[test]
fn output_may_come_from_standard_input_but_not_as_other_bytes_than_text() {
    use std::io::Write as _;
    let site = site_with("record-crlf.before.yaml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jobgate"))
        .args([
            "record",
            ID,
            "--stdout",
            "-",
            "--by",
            "seanlip",
            "--today",
            "2026-11-28",
            "--root",
        ])
        .arg(site.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&record_fixture("success-stdout.txt"))
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    let text = String::from_utf8(bytes(&site)).unwrap();
    assert!(
        text.contains("    stdout: |\r\n      SKILL PROCESSED SUCCESS: 12\r\n"),
        "{text}"
    );

    let site = site_with("record-crlf.before.yaml");
    std::fs::write(site.path().join("inputs/latin1.txt"), b"caf\xe9\n").unwrap();
    refused_in(
        &site,
        &[
            "record",
            ID,
            "--stdout",
            "inputs/latin1.txt",
            "--result",
            "error",
            "--by",
            "seanlip",
            "--today",
            "2026-11-28",
        ],
        "error: the stdout is not UTF-8 text\n",
    );
}

fn refused_in(site: &TempSite, args: &[&str], message: &str) {
    let old = bytes(site);
    let run = site.run(args);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with(message), "{}", run.stderr);
    assert_eq!(bytes(site), old);
}

#[test]
fn verify_refuses_a_run_written_in_flow_style() {
    let site = site_with("record-flow-runs.before.yaml");
    let text = String::from_utf8(bytes(&site))
        .unwrap()
        .replace("server: test", "server: backup");
    std::fs::write(site.path().join(FILE), text).unwrap();
    refused_in(
        &site,
        &[
            "verify",
            ID,
            "--evidence",
            "seen",
            "--by",
            "seanlip",
            "--today",
            "2026-11-29",
        ],
        "error: cannot edit the run in requests/audit-skill-rubric-explanations.yaml: the run is \
         written in flow style (`{on: …}`); write it as a block to let `verify` edit it\n",
    );
}
