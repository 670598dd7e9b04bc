//! `check --base REV --actor HANDLE` against a real temporary git repository: who may change
//! what, as a table of changes × actors × request states.

use std::process::Command;

use super::common::{TODAY, TempSite};

fn git(site: &TempSite, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(site.path())
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

const SUBMITTED: &str = "requests/audit-skill-rubric-explanations.yaml";
const SCHEDULED: &str = "requests/audit-skill-rubric-scheduled.yaml";
const WITHDRAWN: &str = "requests/audit-skill-rubric-withdrawn.yaml";
const APPROVED: &str = "requests/migrate-topic-summaries.yaml";
const SETTINGS: &str = "content/site.yaml";

const SCHEDULE: &str = "scheduled:\n  by: ankita240796\n  on: 2026-11-26\n  weekend: 2026-11-28\n";
const WITHDRAWAL: &str = "withdrawn:\n  on: 2026-11-24\n  reason: The audit found nothing.\n";

/// The valid fixture with a scheduled and a withdrawn request added, committed as the base of
/// a pull request. The two added requests run other jobs, so no two open requests clash.
fn repository() -> TempSite {
    let site = TempSite::fixture("valid");
    let submitted = site.read(SUBMITTED);
    let renamed =
        |job: &str| submitted.replace("  - AuditSkillRubricExplanationsJob", &format!("  - {job}"));
    site.write(
        SCHEDULED,
        &(renamed("AuditSkillRubricScheduledJob") + SCHEDULE),
    );
    site.write(
        WITHDRAWN,
        &(renamed("AuditSkillRubricWithdrawnJob") + WITHDRAWAL),
    );
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "base"]);
    site
}

/// Puts the working tree back to the base commit.
fn reset(site: &TempSite) {
    git(site, &["checkout", "-q", "--", "."]);
    git(site, &["clean", "-qfd"]);
}

fn guard(site: &TempSite, actor: &str) -> serde_json::Value {
    let run = site.run(&[
        "check", "--today", TODAY, "--format", "json", "--base", "main", "--actor", actor,
    ]);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    serde_json::from_str(&run.stdout).unwrap()
}

/// The guard's findings (codes JG4xx): code, file and line.
fn refusals(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("JG4"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn first_refusal(report: &serde_json::Value) -> &serde_json::Value {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"].as_str().unwrap().starts_with("JG4"))
        .unwrap()
}

fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.starts_with(needle)).unwrap() as u64 + 1
}

const AUTHOR: &str = "tanvi-skills";
const APPROVED_AUTHOR: &str = "priyanka-dev21";
const OTHER: &str = "someone-else";
const COORDINATOR: &str = "ankita240796";
const ADMIN: &str = "seanlip";

/// One change to the working tree: it returns the file and the line where it is reported.
type Change = fn(&TempSite, &str) -> (String, u64);

fn edit_title(site: &TempSite, file: &str) -> (String, u64) {
    let text = site.read(file);
    let line = line_of(&text, "title:");
    let at = text.find("\ntitle: ").unwrap() + 1;
    let end = at + text[at..].find('\n').unwrap();
    site.write(file, &format!("{} (again){}", &text[..end], &text[end..]));
    (file.to_owned(), line)
}

fn edit_recover(site: &TempSite, file: &str) -> (String, u64) {
    let text = site.read(file);
    let at = text.find("  recover: ").unwrap();
    let line = text[..at].lines().count() as u64 + 1;
    let text = format!(
        "{}  recover: Nothing to recover.\n{}",
        &text[..at],
        &text[at..][text[at..].find("\n  debug:").unwrap() + 1..]
    );
    site.write(file, &text);
    (file.to_owned(), line)
}

fn add_run(site: &TempSite, file: &str) -> (String, u64) {
    let text = site.read(file);
    let run = "  - on: 2026-11-28\n    server: backup\n    by: ankita240796\n    result: error\n";
    let text = match text.find("approval:") {
        Some(at) => format!("{}{run}{}", &text[..at], &text[at..]),
        None => format!("{text}runs:\n{run}"),
    };
    let line = text
        .lines()
        .position(|l| l == "  - on: 2026-11-28")
        .unwrap() as u64
        + 1;
    site.write(file, &text);
    (file.to_owned(), line)
}

fn reschedule(site: &TempSite, file: &str) -> (String, u64) {
    let text = site.read(file);
    if text.contains("scheduled:\n") {
        let text = text.replace("  weekend: 2026-11-28", "  weekend: 2026-12-05");
        site.write(file, &text);
        return (file.to_owned(), line_of(&text, "  weekend: 2026-12-05"));
    }
    let text = text + SCHEDULE;
    site.write(file, &text);
    (file.to_owned(), line_of(&text, "scheduled:") + 1)
}

fn approve(site: &TempSite, file: &str) -> (String, u64) {
    let text = site.read(file);
    let text = if text.contains("approval:") {
        text.replace("  on: 2026-11-16", "  on: 2026-11-17")
    } else {
        text + "approval:\n  by: seanlip\n  on: 2026-11-26\n  release: \"2026-12\"\n"
    };
    site.write(file, &text);
    let line = match text.lines().position(|l| l == "  on: 2026-11-17") {
        Some(i) => i as u64 + 1,
        None => line_of(&text, "approval:") + 1,
    };
    (file.to_owned(), line)
}

/// Withdraws a request, or takes a withdrawal back.
fn toggle_withdrawal(site: &TempSite, file: &str) -> (String, u64) {
    let text = site.read(file);
    if text.contains(WITHDRAWAL) {
        site.write(file, &text.replace(WITHDRAWAL, ""));
        return (file.to_owned(), 1);
    }
    let text = text + WITHDRAWAL;
    site.write(file, &text);
    (file.to_owned(), line_of(&text, "withdrawn:") + 1)
}

fn delete(site: &TempSite, file: &str) -> (String, u64) {
    std::fs::remove_file(site.path().join(file)).unwrap();
    (file.to_owned(), 1)
}

use Expect::*;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Accept,
    Refuse(&'static str),
}

/// For each request state, each change, what each actor gets: author, another contributor,
/// coordinator, admin.
#[rustfmt::skip]
const TABLE: &[(&str, &str, Change, [Expect; 4])] = &[
    // An author field: its author or a role, in every state.
    (SUBMITTED, "title", edit_title, [Accept, Refuse("JG403"), Accept, Accept]),
    (SCHEDULED, "title", edit_title, [Accept, Refuse("JG403"), Accept, Accept]),
    (APPROVED, "title", edit_title, [Accept, Refuse("JG403"), Accept, Accept]),
    (WITHDRAWN, "title", edit_title, [Accept, Refuse("JG403"), Accept, Accept]),
    // What runs: frozen for the author once scheduled, for all but admins once approved.
    (SUBMITTED, "instructions", edit_recover, [Accept, Refuse("JG403"), Accept, Accept]),
    (SCHEDULED, "instructions", edit_recover, [Refuse("JG404"), Refuse("JG404"), Accept, Accept]),
    (APPROVED, "instructions", edit_recover, [Refuse("JG404"), Refuse("JG404"), Refuse("JG404"), Accept]),
    // The coordinator's blocks.
    (SUBMITTED, "scheduled", reschedule, [Refuse("JG401"), Refuse("JG401"), Accept, Accept]),
    (SCHEDULED, "scheduled", reschedule, [Refuse("JG401"), Refuse("JG401"), Accept, Accept]),
    (SCHEDULED, "runs", add_run, [Refuse("JG401"), Refuse("JG401"), Accept, Accept]),
    (APPROVED, "runs", add_run, [Refuse("JG404"), Refuse("JG404"), Refuse("JG404"), Accept]),
    // The admin's block.
    (SCHEDULED, "approval", approve, [Refuse("JG401"), Refuse("JG401"), Refuse("JG401"), Accept]),
    (APPROVED, "approval", approve, [Refuse("JG401"), Refuse("JG401"), Refuse("JG401"), Accept]),
    // Withdrawing, and taking a withdrawal back: the author or a role.
    (SUBMITTED, "withdrawn", toggle_withdrawal, [Accept, Refuse("JG405"), Accept, Accept]),
    (APPROVED, "withdrawn", toggle_withdrawal, [Accept, Refuse("JG405"), Accept, Accept]),
    (WITHDRAWN, "withdrawn", toggle_withdrawal, [Accept, Refuse("JG405"), Accept, Accept]),
    // Deleting a request file: a role only.
    (SUBMITTED, "delete", delete, [Refuse("JG406"), Refuse("JG406"), Accept, Accept]),
    (APPROVED, "delete", delete, [Refuse("JG406"), Refuse("JG406"), Accept, Accept]),
];

#[test]
fn who_may_change_what_in_each_state() {
    let site = repository();
    let mut failures = Vec::new();
    for (file, what, change, expected) in TABLE {
        let author = if *file == APPROVED {
            APPROVED_AUTHOR
        } else {
            AUTHOR
        };
        for (actor, expect) in [author, OTHER, COORDINATOR, ADMIN].iter().zip(expected) {
            let (changed, line) = change(&site, file);
            let found = refusals(&guard(&site, actor));
            let wanted = match expect {
                Accept => vec![],
                Refuse(code) => vec![((*code).to_owned(), changed.clone(), line)],
            };
            if found != wanted {
                failures.push(format!(
                    "{what} of {file} by @{actor}: expected {wanted:?}, found {found:?}"
                ));
            }
            reset(&site);
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn refusals_name_who_may_make_the_change() {
    let site = repository();
    edit_recover(&site, APPROVED);
    let report = guard(&site, COORDINATOR);
    let d = first_refusal(&report);
    assert_eq!(
        d["message"],
        "@ankita240796 changed `instructions.recover` of an approved request, which only admins \
         may change: an approval covers exactly what was tested"
    );
    let human = site.run(&[
        "check",
        "--today",
        TODAY,
        "--base",
        "main",
        "--actor",
        COORDINATOR,
    ]);
    assert!(
        human.stdout.contains(
            "help: ask an admin to make the change (and to test it again), or file a new request \
             with `previous_request` set to this one"
        ),
        "{}",
        human.stdout
    );
    reset(&site);

    edit_title(&site, SUBMITTED);
    let report = guard(&site, OTHER);
    assert_eq!(
        first_refusal(&report)["message"],
        "@someone-else changed `title`, which only the request's author (@tanvi-skills), \
         coordinators or admins may change"
    );
}

#[test]
fn roles_come_from_the_base_not_from_the_change() {
    let site = repository();
    // A contributor makes themselves an admin and approves in the same commit.
    let settings = site.read(SETTINGS);
    let promoted = settings.replace(
        "admins: [seanlip, vojtechjelinek]",
        "admins: [seanlip, vojtechjelinek, someone-else]",
    );
    site.write(SETTINGS, &promoted);
    let (file, line) = approve(&site, SCHEDULED);
    let found = refusals(&guard(&site, OTHER));
    assert_eq!(
        found,
        vec![
            (
                "JG407".to_owned(),
                SETTINGS.to_owned(),
                line_of(&promoted, "admins:")
            ),
            ("JG401".to_owned(), file, line),
        ]
    );
    // The same with coordinators and a made-up run.
    reset(&site);
    site.write(
        SETTINGS,
        &settings.replace(
            "[ankita240796, lkbhitesh07]",
            "[ankita240796, someone-else]",
        ),
    );
    let (file, line) = add_run(&site, SCHEDULED);
    let found = refusals(&guard(&site, OTHER));
    assert_eq!(found[1], ("JG401".to_owned(), file, line), "{found:?}");
    assert_eq!(found[0].0, "JG407");
    // An admin at the base may change the settings.
    assert!(refusals(&guard(&site, ADMIN)).is_empty());
}

#[test]
fn a_new_request_is_filed_by_its_author_without_admin_blocks() {
    let site = repository();
    let text = site
        .read(SUBMITTED)
        .replace("AuditSkillRubricExplanationsJob", "AuditSomethingNewJob");
    site.write("requests/audit-something-new.yaml", &text);
    assert!(refusals(&guard(&site, AUTHOR)).is_empty());
    let found = refusals(&guard(&site, OTHER));
    assert_eq!(
        found,
        vec![(
            "JG402".to_owned(),
            "requests/audit-something-new.yaml".to_owned(),
            line_of(&text, "author:")
        )]
    );
    assert!(
        refusals(&guard(&site, COORDINATOR)).is_empty(),
        "a coordinator may file for someone"
    );

    // Admin blocks in a new file: each refused for its author.
    let approved = site.read(APPROVED);
    site.write("requests/sneaky-new-request.yaml", &approved);
    let found: Vec<(String, u64)> = refusals(&guard(&site, APPROVED_AUTHOR))
        .into_iter()
        .filter(|(_, file, _)| file == "requests/sneaky-new-request.yaml")
        .map(|(code, _, line)| (code, line))
        .collect();
    let expected: Vec<(String, u64)> = [
        line_of(&approved, "scheduled:") + 1,
        line_of(&approved, "runs:") + 1,
        line_of(&approved, "approval:") + 1,
    ]
    .into_iter()
    .map(|l| ("JG402".to_owned(), l))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_rename_is_a_deletion_and_a_new_file() {
    let site = repository();
    let text = site.read(APPROVED);
    std::fs::remove_file(site.path().join(APPROVED)).unwrap();
    site.write("requests/migrate-topic-summaries-renamed.yaml", &text);
    let found = refusals(&guard(&site, APPROVED_AUTHOR));
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|(code, file, _)| (code.as_str(), file.as_str()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("JG402", "requests/migrate-topic-summaries-renamed.yaml"),
            ("JG402", "requests/migrate-topic-summaries-renamed.yaml"),
            ("JG402", "requests/migrate-topic-summaries-renamed.yaml"),
            ("JG406", APPROVED),
        ]
    );
}

#[test]
fn moving_lines_and_requoting_values_is_not_a_change() {
    let site = repository();
    let text = site
        .read(APPROVED)
        .replace(
            "notes: Run took 4 minutes on the backup server.\n",
            "notes: 'Run took 4 minutes on the backup server.'\n\n\n",
        )
        .replace(
            "  by: seanlip\n  on: 2026-11-16\n",
            "  on: 2026-11-16\n  by: \"seanlip\"\n",
        );
    site.write(APPROVED, &text);
    assert!(refusals(&guard(&site, OTHER)).is_empty());
}

#[test]
fn an_unknown_base_is_a_usage_failure() {
    let site = repository();
    let run = site.run(&[
        "check",
        "--today",
        TODAY,
        "--base",
        "no-such-branch",
        "--actor",
        "x",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no such commit"), "{}", run.stderr);
}

#[test]
fn a_site_in_a_folder_of_its_repository_is_read_at_its_base() {
    let site = TempSite::empty();
    super::common::copy_tree(
        &super::common::fixture_dir("valid"),
        &site.path().join("site"),
    );
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "base"]);
    let file = site.path().join("site").join(APPROVED);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("  on: 2026-11-16", "  on: 2026-11-17");
    std::fs::write(&file, text).unwrap();
    let run = site.run_bare(&[
        "check", "--root", "site", "--today", TODAY, "--format", "json", "--base", "main",
        "--actor", OTHER,
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(refusals(&report).len(), 1, "{report}");
}
