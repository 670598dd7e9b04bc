//! Hostile input and hostile conditions: file names and ids that try to leave their folder,
//! symbolic links out of the site, YAML and size bombs, builds killed or starved of disk, and
//! builds on one thread or several.
//!
//! Everything here runs the real binary and checks what a user sees: the exit code, the
//! message naming the file, and the output folder. Unix only: links, /proc, mounts, signals.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::hash::{Hash as _, Hasher as _};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::common::{Run, TODAY, TempSite, copy_tree, fixture_dir, tree};

const VALID_REQUEST: &str = "requests/migrate-topic-summaries.yaml";

/// A long-running child is killed after this long; no test asserts on time.
const HANG_GUARD: Duration = Duration::from_secs(60);

fn jobgate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jobgate"));
    command.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    command
}

fn run(command: &mut Command) -> Run {
    let output = command.output().expect("start jobgate");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// `(file, code, line, column)` of every diagnostic in `check --format json` output, sorted.
fn found(stdout: &str) -> Vec<(String, String, u64, u64)> {
    let report = json(stdout);
    let mut out: Vec<_> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The text of a valid request, with its job renamed so that copies do not share a job.
/// `jobgate new ID` with every other answer given, in the site at `root`.
fn new_request(root: &Path, id: &str) -> Run {
    run(jobgate().args(["new", "--root"]).arg(root).args([
        "--today",
        TODAY,
        "--author",
        "priyanka-dev21",
        "--jobs",
        "SomeJob",
        "--pr",
        "https://github.com/oppia/oppia/pull/1",
        "--",
        id,
    ]))
}

fn valid_request(job: &str) -> String {
    std::fs::read_to_string(fixture_dir("valid").join(VALID_REQUEST))
        .unwrap()
        .replace("MigrateTopicSummaryJob", job)
}

/// Names of the entries directly in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Folders of the output `public` left beside it, other than the scratch folder
/// `.public.staging` that every build keeps (it holds the previous version of the site).
fn leftovers(parent: &Path) -> Vec<String> {
    entries(parent)
        .into_iter()
        .filter(|n| n.starts_with(".public") && n != ".public.staging")
        .collect()
}

/// A check that needs a tool this machine lacks (strace, a mount namespace, /proc): fails when
/// `JOBGATE_REQUIRE_TOOLS=1` (set by `.ci/run`, which installs them), otherwise says loudly
/// that it was skipped.
fn tool_missing(test: &str, why: &str) {
    let message = format!("{test}: SKIPPED, {why}");
    if std::env::var("JOBGATE_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("{message} (JOBGATE_REQUIRE_TOOLS=1, so this is a failure)");
    }
    eprintln!("\n{}\n!!! {message}\n{}\n", "!".repeat(78), "!".repeat(78));
}

// ---------------------------------------------------------------------------------------------
// 1. Paths: names and ids that are not ids, paths outside the root, symbolic links.

/// File names that are not `<id>.yaml`, each holding an otherwise valid request.
fn hostile_request_names() -> Vec<OsString> {
    use std::os::unix::ffi::OsStringExt as _;
    let mut names: Vec<OsString> = [
        "bad..name.yaml",
        "..yaml",
        "back\\slash.yaml",
        "Upper-Case.yaml",
        "has space.yaml",
        "caf\u{e9}-job.yaml",
        "\u{434}\u{436}\u{43e}\u{431}.yaml",
        ".hidden-job.yaml",
        ".hidden-job.yml",
        "-dash-first.yaml",
        "ab.yaml",
        "trailing-newline\n.yaml",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    names.push(format!("{}.yaml", "a".repeat(65)).into());
    // The longest name Linux allows.
    names.push(format!("{}.yaml", "b".repeat(250)).into());
    names.push(OsString::from_vec(b"not-utf8-\xff.yaml".to_vec()));
    names
}

#[test]
fn hostile_request_file_names_are_each_reported_at_their_file_with_jg005() {
    let site = TempSite::fixture("valid");
    let names = hostile_request_names();
    for (i, name) in names.iter().enumerate() {
        let path = site.path().join("requests").join(name);
        std::fs::write(&path, valid_request(&format!("HostileNameJob{i}"))).unwrap();
    }
    // Tool files are not requests and are left alone.
    site.write("requests/.gitkeep", "");
    // Guide pages are named like ids too.
    let page = "---\ntitle: Draft\nweight: 9\ndescription: A draft.\n---\n\nText.\n";
    site.write("content/guide/.draft.md", page);
    site.write("content/guide/Bad Page.md", page);

    let check = site.run(&["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(check.code, 1, "{check:?}");
    let mut expected: Vec<(String, String, u64, u64)> = names
        .iter()
        .map(|n| format!("requests/{}", n.to_string_lossy()))
        .chain([
            "content/guide/.draft.md".into(),
            "content/guide/Bad Page.md".into(),
        ])
        .map(|file| (file, "JG005".to_owned(), 1, 1))
        .collect();
    expected.sort();
    assert_eq!(found(&check.stdout), expected);

    // The human report names each file with its position and the code.
    let human = site.run(&["check", "--today", TODAY]);
    assert_eq!(human.code, 1, "{human:?}");
    for name in &names {
        let file = format!("requests/{}", name.to_string_lossy());
        let block = block_for(&human.stdout, &file);
        assert!(block.starts_with("error[JG005]"), "{block}");
        assert!(block.contains(&format!("{file}:1:1")), "{block}");
    }
    assert!(
        human
            .stdout
            .contains(&format!("{} error(s)", names.len() + 2)),
        "{}",
        human.stdout
    );

    let build = site.build("public");
    assert_eq!(build.code, 1, "{build:?}");
    assert!(!site.path().join("public").exists());
}

/// The one diagnostic of the human report whose position line names `file`.
fn block_for<'a>(report: &'a str, file: &str) -> &'a str {
    let mut blocks = report
        .split("\n\n")
        .filter(|b| b.contains(&format!("--> {file}:")));
    let block = blocks
        .next()
        .unwrap_or_else(|| panic!("nothing reported at {file}:\n{report}"));
    assert!(blocks.next().is_none(), "{file} reported twice:\n{report}");
    block.trim_start_matches('\n')
}

#[test]
fn check_paths_are_limited_to_files_inside_the_root() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("site");
    copy_tree(&fixture_dir("valid"), &root);
    std::fs::write(
        root.join("requests/has space.yaml"),
        valid_request("SpaceJob"),
    )
    .unwrap();
    std::fs::write(
        outer.path().join("outside.yaml"),
        valid_request("OutsideJob"),
    )
    .unwrap();
    let check = |paths: &[&OsStr]| {
        run(jobgate()
            .current_dir(&root)
            .args(["check", "--today", TODAY, "--format", "json"])
            .args(paths))
    };

    // A hostile name inside the root can be picked out.
    let one = check(&[OsStr::new("requests/has space.yaml")]);
    assert_eq!(one.code, 1, "{one:?}");
    assert_eq!(
        found(&one.stdout),
        [(
            "requests/has space.yaml".to_owned(),
            "JG005".to_owned(),
            1,
            1
        )]
    );

    let outside = outer.path().join("outside.yaml");
    let etc = Path::new("/etc/passwd");
    for path in [
        OsStr::new("../outside.yaml"),
        OsStr::new("requests/../../outside.yaml"),
        outside.as_os_str(),
        etc.as_os_str(),
    ] {
        let refused = check(&[path]);
        assert_eq!(refused.code, 2, "{path:?}: {refused:?}");
        assert!(
            refused.stderr.starts_with("error: ")
                && refused.stderr.contains("outside the site root"),
            "{path:?}: {}",
            refused.stderr
        );
        assert_eq!(refused.stdout, "", "{path:?}: nothing is checked");
    }

    let missing = check(&[OsStr::new("../no-such-file.yaml")]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing.stderr.contains("no such file"),
        "{}",
        missing.stderr
    );
}

#[test]
fn new_refuses_ids_that_are_not_ids_and_writes_nothing() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("site");
    copy_tree(&fixture_dir("valid"), &root);
    let before = tree(outer.path());
    let long = "a".repeat(65);
    let very_long = "b".repeat(300);
    let ids = [
        "../escape",
        "../../escape",
        "requests/../../escape",
        "a/b",
        "..",
        "Upper",
        "has space",
        "caf\u{e9}",
        ".hidden",
        "back\\slash",
        "ab",
        "ends-in.yaml",
        "tab\there",
        long.as_str(),
        very_long.as_str(),
        "-dash",
        "--dash",
    ];
    for id in ids {
        let made = new_request(&root, id);
        assert_eq!(made.code, 2, "{id:?}: {made:?}");
        assert!(
            made.stderr.starts_with("error: ") && made.stderr.contains("is not a valid request id"),
            "{id:?}: {}",
            made.stderr
        );
        assert_eq!(tree(outer.path()), before, "{id:?} wrote something");
    }

    // A NUL cannot reach a program through its arguments; the library refuses it all the same.
    for id in ["abc\0def", "\0abc", "abc\0"] {
        let args = jobgate::cli::NewArgs {
            site: jobgate::cli::SiteArgs {
                root: root.clone(),
                today: None,
            },
            id: id.to_owned(),
            title: Some("A title".into()),
            kind: Some(jobgate::cli::KindArg::New),
            author: Some("priyanka-dev21".into()),
            pr: Some("https://github.com/oppia/oppia/pull/1".into()),
            target_release: None,
            jobs: vec!["SomeJob".into()],
            previous: None,
            fixed: None,
        };
        let error = jobgate::cmd::new::run(args).expect_err(&format!("{id:?}"));
        assert!(
            error.to_string().contains("is not a valid request id"),
            "{error}"
        );
        assert_eq!(tree(outer.path()), before, "{id:?} wrote something");
    }

    // A good id still works, and only writes its own file.
    let made = new_request(&root, "good-id");
    assert_eq!(made.code, 0, "{made:?}");
    let after = tree(outer.path());
    let added: Vec<&str> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(added, ["site/requests/good-id.yaml"]);
}

/// Text that must never appear in anything jobgate prints or writes.
const SECRET: &str = "SECRET-OUTSIDE-THE-SITE-7f3a";

/// A folder outside any site, holding files a link might point at, each carrying [`SECRET`]
/// in a form that would be shown if it were read.
fn outside_files(dir: &Path) {
    std::fs::create_dir_all(dir.join("folder/guide")).unwrap();
    // On the first line too, where a snippet of a diagnostic at 1:1 would show it.
    let request = format!("# {SECRET}\n{}", valid_request("SecretJob")).replace(
        "title: Migrate TopicSummaryModel to schema version 5",
        &format!("title: {SECRET}"),
    );
    std::fs::write(dir.join("request.yaml"), &request).unwrap();
    std::fs::write(dir.join("folder/leaked-request.yaml"), &request).unwrap();
    let page = format!("---\ntitle: {SECRET}\nweight: 1\ndescription: x\n---\n\n{SECRET}\n");
    std::fs::write(dir.join("page.md"), &page).unwrap();
    std::fs::write(dir.join("folder/guide/leaked-page.md"), &page).unwrap();
    let settings = std::fs::read_to_string(fixture_dir("valid").join("content/site.yaml"))
        .map(|text| format!("# {SECRET}\n{text}"))
        .unwrap()
        .replace(
            "title: Backup-server job testing",
            &format!("title: {SECRET}"),
        );
    std::fs::write(dir.join("site.yaml"), &settings).unwrap();
    std::fs::write(dir.join("folder/site.yaml"), &settings).unwrap();
    std::fs::write(dir.join("base.html"), format!("<p>{SECRET}</p>")).unwrap();
    std::fs::write(dir.join("folder/base.html"), format!("<p>{SECRET}</p>")).unwrap();
    std::fs::write(dir.join("secret.css"), format!("/* {SECRET} */")).unwrap();
}

/// The first line of /etc/passwd, which must not leak either.
fn passwd_line() -> Option<String> {
    let text = std::fs::read_to_string("/etc/passwd").ok()?;
    text.lines()
        .next()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
}

fn assert_nothing_leaked(what: &str, text: &str) {
    assert!(
        !text.contains(SECRET),
        "{what} shows a linked file:\n{text}"
    );
    if let Some(line) = passwd_line() {
        assert!(!text.contains(&line), "{what} shows /etc/passwd:\n{text}");
    }
}

/// Checks and builds `root`; the links in `links` must each be reported once (JG006) with
/// nothing else, and the build refused with nothing written and nothing leaked.
fn assert_links_refused(root: &Path, links: &[&str]) {
    let check = run(jobgate()
        .current_dir(root)
        .args(["check", "--today", TODAY, "--format", "json"]));
    assert_eq!(check.code, 1, "{links:?}: {check:?}");
    let mut expected: Vec<_> = links
        .iter()
        .map(|l| (l.to_string(), "JG006".to_owned(), 1, 1))
        .collect();
    expected.sort();
    assert_eq!(found(&check.stdout), expected, "{links:?}");
    assert_nothing_leaked("check --format json", &check.stdout);

    let human = run(jobgate()
        .current_dir(root)
        .args(["check", "--today", TODAY]));
    assert_eq!(human.code, 1, "{links:?}: {human:?}");
    for link in links {
        let block = block_for(&human.stdout, link);
        assert!(block.starts_with("error[JG006]"), "{block}");
        assert!(block.contains("symbolic links are not followed"), "{block}");
    }
    assert_nothing_leaked("check", &human.stdout);

    let out = root.join("public");
    let build = run(jobgate()
        .current_dir(root)
        .args(["build", "--today", TODAY, "--out"])
        .arg(&out));
    assert_eq!(build.code, 1, "{links:?}: {build:?}");
    assert!(build.stderr.contains("build refused"), "{}", build.stderr);
    assert_nothing_leaked("build", &build.stderr);
    assert!(
        !out.exists(),
        "{links:?}: a refused build wrote {}",
        out.display()
    );
    assert_eq!(leftovers(root), Vec::<String>::new());
}

#[test]
fn links_to_files_outside_the_site_are_reported_and_never_read() {
    use std::os::unix::fs::symlink;
    let outer = tempfile::tempdir().unwrap();
    let outside = outer.path().join("outside");
    outside_files(&outside);
    let root = outer.path().join("site");
    copy_tree(&fixture_dir("valid"), &root);
    std::fs::create_dir_all(root.join("themes/default/templates")).unwrap();
    std::fs::create_dir_all(root.join("themes/default/static/fonts")).unwrap();
    std::fs::create_dir_all(root.join("content/images")).unwrap();

    let links: [(&str, PathBuf); 11] = [
        ("requests/linked-request.yaml", outside.join("request.yaml")),
        ("requests/.hidden-link.yaml", outside.join("request.yaml")),
        ("requests/passwd.yaml", "/etc/passwd".into()),
        ("requests/dangling.yaml", outside.join("no-such-file")),
        ("content/guide/linked-page.md", outside.join("page.md")),
        ("content/images/logo.png", outside.join("secret.css")),
        ("content/site.yaml", outside.join("site.yaml")),
        (
            "themes/default/templates/base.html",
            outside.join("base.html"),
        ),
        (
            "themes/default/static/secret.css",
            outside.join("secret.css"),
        ),
        ("themes/default/static/passwd.txt", "/etc/passwd".into()),
        ("themes/default/static/fonts/more", outside.join("folder")),
    ];
    std::fs::remove_file(root.join("content/site.yaml")).unwrap();
    for (link, target) in &links {
        symlink(target, root.join(link)).unwrap();
    }
    let names: Vec<&str> = links.iter().map(|(l, _)| *l).collect();
    assert_links_refused(&root, &names);

    // With real settings, the same links are still the only problems.
    std::fs::remove_file(root.join("content/site.yaml")).unwrap();
    std::fs::copy(
        fixture_dir("valid").join("content/site.yaml"),
        root.join("content/site.yaml"),
    )
    .unwrap();
    let rest: Vec<&str> = names
        .iter()
        .copied()
        .filter(|l| *l != "content/site.yaml")
        .collect();
    assert_links_refused(&root, &rest);
}

#[test]
fn linked_folders_are_reported_and_never_entered() {
    use std::os::unix::fs::symlink;
    let outer = tempfile::tempdir().unwrap();
    let outside = outer.path().join("outside");
    outside_files(&outside);
    // Each case: a site whose `folder` (with real folders above it) is a link to a folder
    // outside that holds a request, a guide page, settings and a template.
    for folder in [
        "requests",
        "content",
        "content/guide",
        "themes",
        "themes/default",
        "themes/default/templates",
        "themes/default/static",
    ] {
        let root = outer.path().join(folder.replace('/', "-"));
        copy_tree(&fixture_dir("valid"), &root);
        let _ = std::fs::remove_dir_all(root.join(folder));
        std::fs::create_dir_all(root.join(folder).parent().unwrap()).unwrap();
        symlink(outside.join("folder"), root.join(folder)).unwrap();
        assert_links_refused(&root, &[folder]);
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Resource bombs.

/// What a child did, and what it cost.
struct Measured {
    run: Run,
    wall: Duration,
    /// The child's peak resident memory (VmHWM), if this system has /proc.
    peak_rss_kib: Option<u64>,
}

/// The high-water mark of a running process's resident memory, from /proc.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}

/// Runs `command` and follows its peak memory until it exits; kills it after [`HANG_GUARD`].
///
/// The peak is read from /proc while the child runs (every millisecond or so): `wait4`'s
/// `ru_maxrss` cannot be used, because a child spawned from this large test process counts
/// the parent's memory too.
fn measured(command: &mut Command) -> Measured {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = command.spawn().expect("start jobgate");
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let mut peak = None;
    let mut hung = false;
    let status = loop {
        if let Some(now) = peak_rss_kib(child.id()) {
            peak = peak.max(Some(now));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if !hung && start.elapsed() > HANG_GUARD {
            hung = true;
            child.kill().unwrap();
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let wall = start.elapsed();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    assert!(!hung, "killed after {HANG_GUARD:?}: {run:?}");
    assert!(
        status.code().is_some(),
        "ended by a signal ({status}): {run:?}"
    );
    Measured {
        run,
        wall,
        peak_rss_kib: peak,
    }
}

/// Billion laughs: nine levels of ten aliases each.
fn alias_bomb() -> String {
    let mut text = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for (name, previous) in "bcdefghi".chars().zip("abcdefgh".chars()) {
        let refs = vec![format!("*{previous}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text
}

const MIB: u64 = 1024 * 1024;

#[test]
fn resource_bombs_are_refused_in_bounded_memory_while_valid_files_are_still_checked() {
    let site = TempSite::fixture("valid");
    let ordinary = valid_request("OrdinaryJob").replace("kind: new", "kind: sideways");
    let kind_line = ordinary
        .lines()
        .position(|l| l.starts_with("kind:"))
        .unwrap()
        + 1;
    site.write("requests/ordinary-error.yaml", &ordinary);
    site.write("requests/alias-bomb.yaml", &alias_bomb());
    site.write(
        "requests/deep-flow.yaml",
        &format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    site.write(
        "requests/deep-block.yaml",
        &format!("{}x\n", "- ".repeat(100_000)),
    );
    let line = format!("# {}\n", "x".repeat(97));
    site.write(
        "requests/forty-megabytes.yaml",
        &format!(
            "title: Big\n{}",
            line.repeat(40 * MIB as usize / line.len())
        ),
    );
    // A hole of 8 GiB: free on disk, and only harmless if never read whole.
    let sparse = std::fs::File::create(site.path().join("requests/sparse-8gib.yaml")).unwrap();
    sparse.set_len(8 * 1024 * MIB).unwrap();
    drop(sparse);

    // (file, code, line:column) of each expected report.
    let expected: [(&str, &str, String); 6] = [
        ("requests/alias-bomb.yaml", "JG004", String::new()),
        ("requests/deep-flow.yaml", "JG004", "1:65".into()),
        ("requests/deep-block.yaml", "JG004", "1:129".into()),
        ("requests/forty-megabytes.yaml", "JG004", "1:1".into()),
        ("requests/sparse-8gib.yaml", "JG004", "1:1".into()),
        (
            "requests/ordinary-error.yaml",
            "JG104",
            format!("{kind_line}:7"),
        ),
    ];
    let assert_reported = |what: &str, report: &str| {
        for (file, code, at) in &expected {
            let block = block_for(report, file);
            assert!(
                block.starts_with(&format!("error[{code}]")),
                "{what}: {block}"
            );
            let position = block
                .split(&format!("--> {file}:"))
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or("");
            let (line, column) = position.split_once(':').unwrap_or(("", ""));
            assert!(
                line.parse::<u32>().is_ok_and(|n| n >= 1)
                    && column.parse::<u32>().is_ok_and(|n| n >= 1),
                "{what}: no line:column in {block}"
            );
            if !at.is_empty() {
                assert_eq!(position, at, "{what}: {block}");
            }
        }
        assert!(
            report.contains(&format!("{} error(s)", expected.len())),
            "{what}: {report}"
        );
    };

    let root = site.path().to_str().unwrap().to_owned();
    let check = measured(jobgate().args(["check", "--today", TODAY, "--root", &root]));
    assert_eq!(check.run.code, 1, "{:?}", check.run);
    assert_reported("check", &check.run.stdout);

    let out = site.path().join("public");
    let build = measured(
        jobgate()
            .args(["build", "--today", TODAY, "--root", &root, "--out"])
            .arg(&out),
    );
    assert_eq!(build.run.code, 1, "{:?}", build.run);
    assert_reported("build", &build.run.stderr);
    assert!(
        build.run.stderr.contains("build refused"),
        "{}",
        build.run.stderr
    );
    assert!(!out.exists(), "a refused build wrote its output");
    assert_eq!(leftovers(site.path()), Vec::<String>::new());

    for (what, m) in [("check", &check), ("build", &build)] {
        let Some(peak) = m.peak_rss_kib else {
            tool_missing(
                "resource bombs",
                "no /proc/<pid>/status to read peak memory from",
            );
            continue;
        };
        eprintln!(
            "resource bombs, {what}: {:.2} s wall, peak RSS {:.1} MiB",
            m.wall.as_secs_f64(),
            peak as f64 / 1024.0
        );
        assert!(peak < 400 * 1024, "{what} peaked at {peak} KiB");
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Faults: killed builds, full and read-only disks.

/// Path → hash of the bytes, for every file below `dir`; `None` if `dir` is missing.
fn manifest(dir: &Path) -> Option<Manifest> {
    if !dir.is_dir() {
        return None;
    }
    Some(
        tree(dir)
            .into_iter()
            .map(|(name, bytes)| {
                let mut hasher = std::hash::DefaultHasher::new();
                bytes.hash(&mut hasher);
                (name, hasher.finish())
            })
            .collect(),
    )
}

/// Replaces the site's requests with generated ones, ids `ids`, titles marked with `label`.
fn generate_requests(site: &TempSite, ids: std::ops::Range<usize>, label: &str) {
    let dir = site.path().join("requests");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for i in ids {
        let text = valid_request(&format!("GeneratedJob{i:03}")).replace(
            "title: Migrate TopicSummaryModel to schema version 5",
            &format!("title: Generated job {i} ({label})"),
        );
        std::fs::write(dir.join(format!("generated-job-{i:03}.yaml")), text).unwrap();
    }
}

type Manifest = BTreeMap<String, u64>;

/// Two complete sites built from different inputs, A and B, kept in `a-site/` and `b-site/`
/// of the site folder, whose requests are left at B's inputs.
fn two_sites(count: usize) -> (TempSite, Manifest, Manifest) {
    let site = TempSite::fixture("valid");
    generate_requests(&site, 0..count, "first inputs");
    let built = site.build("a-site");
    assert_eq!(built.code, 0, "{built:?}");
    // The second inputs drop some requests, add others and change every title.
    let shift = count / 10;
    generate_requests(&site, shift..count + shift, "second inputs");
    let built = site.build("b-site");
    assert_eq!(built.code, 0, "{built:?}");
    let a = manifest(&site.path().join("a-site")).unwrap();
    let b = manifest(&site.path().join("b-site")).unwrap();
    assert!(a.keys().any(|k| !b.contains_key(k)) && b.keys().any(|k| !a.contains_key(k)));
    assert!(a.iter().any(|(k, v)| b.get(k).is_some_and(|w| w != v)));
    (site, a, b)
}

/// Puts site A in `public/`: hard links to the files of `a-site/`, so that each round costs no
/// copying. A build that wrote into the previous site's files instead of beside them would
/// change `a-site/` too, and [`assert_whole`] would catch it.
fn restore_a(site: &TempSite) {
    fn link_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                link_tree(&entry.path(), &target);
            } else {
                std::fs::hard_link(entry.path(), &target).unwrap();
            }
        }
    }
    let public = site.path().join("public");
    let _ = std::fs::remove_dir_all(&public);
    link_tree(&site.path().join("a-site"), &public);
}

fn build_command(site: &TempSite) -> Command {
    let mut command = jobgate();
    command
        .args(["build", "--today", TODAY, "--root"])
        .arg(site.path())
        .arg("--out")
        .arg(site.path().join("public"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// After a crash: the output is exactly A or exactly B; the next build completes, gives B and
/// leaves nothing beside it.
fn assert_whole(site: &TempSite, a: &Manifest, b: &Manifest, when: &str) -> bool {
    let public = site.path().join("public");
    let Some(found) = manifest(&public) else {
        panic!(
            "{when}: the output folder is missing; beside it: {:?}",
            entries(site.path())
        );
    };
    let is_b = &found == b;
    assert!(
        &found == a || is_b,
        "{when}: the output is neither the previous site nor the new one ({} files; {} from A, {} from B)",
        found.len(),
        found.iter().filter(|(k, v)| a.get(*k) == Some(*v)).count(),
        found.iter().filter(|(k, v)| b.get(*k) == Some(*v)).count(),
    );
    is_b
}

fn assert_next_build_completes(site: &TempSite, b: &Manifest, when: &str) {
    let next = site.build("public");
    assert_eq!(next.code, 0, "{when}: the next build failed: {next:?}");
    assert_eq!(
        manifest(&site.path().join("public")).as_ref(),
        Some(b),
        "{when}"
    );
    assert_eq!(leftovers(site.path()), Vec::<String>::new(), "{when}");
}

/// xorshift64*: the same delays on every run.
struct Seeded(u64);

impl Seeded {
    fn next_unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Builds B over a copy of A, to completion; returns how long it took.
fn time_full_build(site: &TempSite, b: &Manifest, when: &str) -> Duration {
    let start = Instant::now();
    assert_next_build_completes(site, b, when);
    start.elapsed()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_site_or_the_new_one() {
    let (site, a, b) = two_sites(200);
    restore_a(&site);
    // Kills are spread over the length of a whole build, re-measured every ten rounds since
    // the machine's load changes.
    let mut full = time_full_build(&site, &b, "before the first round");
    eprintln!(
        "killed builds: A has {} files, B {}; a full build took {:.2} s",
        a.len(),
        b.len(),
        full.as_secs_f64()
    );
    let mut delays = Seeded(0x5eed_1e55_0fb1_1d00);
    let (mut interrupted, mut gave_b) = (0, 0);
    for round in 1..=50 {
        restore_a(&site);
        let delay = full.mul_f64(1.2 * delays.next_unit());
        let mut child = build_command(&site).spawn().unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let when = format!(
            "round {round}, killed after {:.0} ms",
            delay.as_secs_f64() * 1e3
        );
        if assert_whole(&site, &a, &b, &when) {
            gave_b += 1;
        }
        if round % 10 == 0 {
            full = time_full_build(&site, &b, &when);
        }
    }
    eprintln!(
        "killed builds: {interrupted} of 50 killed while running; {gave_b} left B, the rest A"
    );
    assert!(interrupted > 0, "no build was killed while it ran");
}

/// Runs `jobgate build` under strace, returning the rename-family calls it makes, in order.
fn rename_calls(site: &TempSite) -> Vec<String> {
    let log = site.path().join("strace.log");
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=rename,renameat,renameat2", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_jobgate"))
        .args(build_command(site).get_args())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).unwrap();
    text.lines()
        .filter_map(|l| {
            let call = l.split_whitespace().nth(1)?;
            Some(call.split('(').next()?.to_owned())
        })
        .filter(|name| name.starts_with("rename"))
        .collect()
}

#[test]
fn a_build_killed_at_each_rename_leaves_the_previous_site_or_the_new_one() {
    if Command::new("strace").arg("-V").output().is_err() {
        tool_missing(
            "a_build_killed_at_each_rename_leaves_the_previous_site_or_the_new_one",
            "strace is not installed (apt-get install strace)",
        );
        return;
    }
    let (site, a, b) = two_sites(20);
    restore_a(&site);
    let calls = rename_calls(&site);
    assert!(!calls.is_empty(), "a build renamed nothing");
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for call in &calls {
        let nth = seen.entry(call).or_default();
        *nth += 1;
        restore_a(&site);
        let status = Command::new("strace")
            .args(["-f", "-qq", "-o", "/dev/null", "-e"])
            .arg(format!("trace={call}"))
            .arg("-e")
            .arg(format!("inject={call}:signal=KILL:when={nth}"))
            .arg(env!("CARGO_BIN_EXE_jobgate"))
            .args(build_command(&site).get_args())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        let when = format!("killed entering {call} #{nth}");
        assert!(!status.success(), "{when}: the build was not killed");
        assert_whole(&site, &a, &b, &when);
        assert_next_build_completes(&site, &b, &when);
    }
}

/// The way to run a script as root in a mount namespace of its own, if this machine has one.
fn mount_namespace() -> Option<&'static [&'static str]> {
    const WAYS: [&[&str]; 2] = [
        &["unshare", "--user", "--map-root-user", "--mount"],
        &["unshare", "--mount"],
    ];
    let probe = tempfile::tempdir().ok()?;
    WAYS.into_iter().find(|way| {
        Command::new(way[0])
            .args(&way[1..])
            .args(["sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$1\"", "sh"])
            .arg(probe.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Bytes a tree takes on tmpfs: whole pages per file.
fn pages(dir: &Path) -> u64 {
    tree(dir)
        .iter()
        .map(|(_, bytes)| (bytes.len() as u64).div_ceil(4096).max(1) * 4096)
        .sum()
}

/// Builds `site` into `public` on a fresh tmpfs of `size` bytes that already holds
/// `previous` as `public`; `read_only` remounts it read-only first. Returns the build's run
/// and a copy of everything left on the tmpfs afterwards.
fn build_on_tmpfs(
    way: &[&str],
    site: &TempSite,
    previous: &Path,
    size: u64,
    read_only: bool,
) -> (Run, tempfile::TempDir) {
    const SCRIPT: &str = r#"
set -eu
mnt=$1 previous=$2 after=$3 size=$4 mode=$5
shift 5
mkdir -p "$mnt" "$after/tree"
mount -t tmpfs -o "size=$size" tmpfs "$mnt"
cp -R "$previous" "$mnt/public"
if [ "$mode" = read-only ]; then mount -o remount,ro "$mnt"; fi
set +e
"$@" --out "$mnt/public" >"$after/stdout" 2>"$after/stderr"
echo $? >"$after/code"
set -e
cp -R "$mnt/." "$after/tree/"
"#;
    let work = tempfile::tempdir().unwrap();
    let mnt = work.path().join("mnt");
    let after = tempfile::tempdir().unwrap();
    let status = Command::new(way[0])
        .args(&way[1..])
        .args(["sh", "-c", SCRIPT, "sh"])
        .arg(&mnt)
        .arg(previous)
        .arg(after.path())
        .arg(size.to_string())
        .arg(if read_only { "read-only" } else { "writable" })
        .arg(env!("CARGO_BIN_EXE_jobgate"))
        .args(["build", "--today", TODAY, "--root"])
        .arg(site.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .status()
        .unwrap();
    assert!(status.success(), "the tmpfs script failed: {status}");
    let read = |name: &str| std::fs::read_to_string(after.path().join(name)).unwrap();
    let run = Run {
        code: read("code").trim().parse().unwrap(),
        stdout: read("stdout"),
        stderr: read("stderr"),
    };
    (run, after)
}

fn assert_io_failure(run: &Run, cause: &str) {
    eprintln!("{cause}: {}", run.stderr.trim_end());
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(run.stderr.contains(cause), "{}", run.stderr);
    for sign in ["panicked", "backtrace", "RUST_BACKTRACE"] {
        assert!(!run.stderr.contains(sign), "{}", run.stderr);
    }
}

#[test]
fn a_full_or_read_only_disk_fails_the_build_and_keeps_the_previous_site() {
    const TEST: &str = "a_full_or_read_only_disk_fails_the_build_and_keeps_the_previous_site";
    let Some(way) = mount_namespace() else {
        tool_missing(
            TEST,
            "no mount namespace: `unshare --user --map-root-user --mount` (or `unshare --mount` as root) cannot mount a tmpfs here",
        );
        return;
    };
    // The previous site: the valid fixture. The new one has many more pages.
    let previous_site = TempSite::fixture("valid");
    assert_eq!(previous_site.build("public").code, 0);
    let previous = previous_site.path().join("public");
    let before = tree(&previous);
    let site = TempSite::fixture("valid");
    generate_requests(&site, 0..60, "bigger");
    assert_eq!(site.build("reference").code, 0);
    let new_size = pages(&site.path().join("reference"));
    let old_size = pages(&previous);
    assert!(new_size > 2 * old_size, "{new_size} vs {old_size}");

    // Full: room for the previous site and half the new one.
    let (full, after) = build_on_tmpfs(way, &site, &previous, old_size + new_size / 2, false);
    assert_io_failure(&full, "No space left on device");
    assert_eq!(
        leftovers(&after.path().join("tree")),
        Vec::<String>::new(),
        "swap folders left behind"
    );
    assert!(
        tree(&after.path().join("tree/public")) == before,
        "the previous site changed"
    );

    // Read-only.
    let (read_only, after) = build_on_tmpfs(way, &site, &previous, 64 * MIB, true);
    assert_io_failure(&read_only, "Read-only file system");
    assert_eq!(entries(&after.path().join("tree")), ["public"]);
    assert!(
        tree(&after.path().join("tree/public")) == before,
        "the previous site changed"
    );

    // With room, the same build succeeds on the same kind of disk.
    let (roomy, after) = build_on_tmpfs(way, &site, &previous, 64 * MIB, false);
    assert_eq!(roomy.code, 0, "{roomy:?}");
    assert!(tree(&after.path().join("tree/public")) == tree(&site.path().join("reference")));
}

// ---------------------------------------------------------------------------------------------
// 4. Determinism across threads.

#[test]
fn this_repositorys_site_is_byte_identical_on_one_thread_or_several() {
    let site = TempSite::repository();
    let build = |threads: &str, out: &str| {
        let built = run(jobgate()
            .env("RAYON_NUM_THREADS", threads)
            .args(["build", "--today", TODAY, "--root"])
            .arg(site.path())
            .arg("--out")
            .arg(site.path().join(out)));
        assert_eq!(built.code, 0, "{threads} threads: {built:?}");
        tree(&site.path().join(out))
    };
    let one = build("1", "one-thread");
    assert!(one.len() > 50, "{} files", one.len());
    for (threads, out) in [
        ("2", "two-threads"),
        ("2", "two-threads-again"),
        ("8", "eight-threads"),
    ] {
        let other = build(threads, out);
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&one),
            names(&other),
            "{threads} threads: different files"
        );
        for ((name, a), (_, b)) in one.iter().zip(&other) {
            assert!(a == b, "{name} differs between 1 and {threads} threads");
        }
    }
}

#[test]
fn an_ignore_file_in_requests_hides_nothing() {
    let site = TempSite::fixture("valid");
    let hidden = valid_request("IgnoredJob").replace(
        "title: Migrate TopicSummaryModel to schema version 5",
        "title: A request an ignore file tried to hide",
    );
    site.write("requests/hidden-by-ignore.yaml", &hidden);
    site.write("requests/.gitignore", "hidden-by-ignore.yaml\n*.yaml\n");
    site.write("requests/.ignore", "*\n");
    let build = site.build("public");
    assert_eq!(build.code, 0, "{build:?}");
    let page = site.read("public/jobs/hidden-by-ignore/index.html");
    assert!(
        page.contains("A request an ignore file tried to hide"),
        "{page}"
    );
    let index = site.read("public/jobs/index.html");
    assert!(index.contains("hidden-by-ignore"), "{index}");
}

/// Found by trying the check as an attacker would: ten valid-looking 200 KiB requests whose
/// aliases repeat one long test name kept every file under its limits, yet expanded to
/// hundreds of megabytes each and made `check` peak above 800 MB.
#[test]
fn aliases_that_repeat_long_text_are_stopped_at_the_expanded_text_budget() {
    let site = TempSite::fixture("valid");
    let name = format!(
        "core/jobs/{}_test.py::AuditJobTests::test_counts",
        "very_long_module_name_".repeat(400)
    );
    let aliases = "    - *name\n".repeat(200 * 1024 / 12);
    let request = valid_request("AliasRepeatJob").replacen(
        "tests:\n  success:\n",
        &format!("tests:\n  success:\n    - &name {name}\n{aliases}"),
        1,
    );
    assert!(request.contains("*name"), "the fixture has the aliases");
    assert!(request.len() < 256 * 1024, "{} bytes", request.len());
    for i in 0..10 {
        site.write(&format!("requests/alias-repeat-{i}.yaml"), &request);
    }
    let root = site.path().to_str().unwrap().to_owned();
    let check = measured(jobgate().args([
        "check", "--today", TODAY, "--format", "json", "--root", &root,
    ]));
    assert_eq!(check.run.code, 1, "{:?}", check.run);
    let report = json(&check.run.stdout);
    let refused: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    let expected: Vec<(String, &str)> = (0..10)
        .map(|i| (format!("requests/alias-repeat-{i}.yaml"), "JG004"))
        .collect();
    let expected: Vec<(&str, &str)> = expected.iter().map(|(f, c)| (f.as_str(), *c)).collect();
    assert_eq!(refused, expected);
    assert_eq!(
        report["diagnostics"][0]["message"],
        "YAML limits exceeded: the file expands to more than 1024 KiB of text (aliases repeat \
         text they point at)"
    );
    match check.peak_rss_kib {
        Some(peak) => {
            eprintln!(
                "alias repeats: {:.2} s wall, peak RSS {:.1} MiB",
                check.wall.as_secs_f64(),
                peak as f64 / 1024.0
            );
            assert!(peak < 100 * 1024, "check peaked at {peak} KiB");
        }
        None => tool_missing(
            "alias repeats",
            "no /proc/<pid>/status to read peak memory from",
        ),
    }
}

/// Found by trying the build as an attacker would: many `<any>` patterns against a long
/// stdout made every line cost its length times its length. Patterns are now bounded
/// (JG210), and a literal after `<any>` is found by a substring search.
#[test]
fn many_wildcard_patterns_against_long_output_build_in_bounded_time() {
    let site = TempSite::fixture("valid");
    let pattern = format!("'{}'", vec!["<any>"; 16].join("a"));
    // With the request's own three, 50: as many as one list may have.
    let patterns: String = (0..47).map(|_| format!("      - {pattern}\n")).collect();
    let line = format!("      {}\n", "b".repeat(100));
    let request = valid_request("WildcardBombJob")
        .replacen("    expected:\n", &format!("    expected:\n{patterns}"), 1)
        .replacen(
            "    stdout: |\n",
            &format!("    stdout: |\n{}", line.repeat(2000)),
            1,
        );
    // Not approved: its run does not pass any more.
    let request = &request[..request.find("approval:").unwrap()];
    assert!(request.len() < 256 * 1024, "{} bytes", request.len());
    site.write("requests/wildcard-bomb.yaml", request);
    let root = site.path().to_str().unwrap().to_owned();
    let out = site.path().join("public");
    let build = measured(
        jobgate()
            .args(["build", "--today", TODAY, "--root", &root, "--out"])
            .arg(&out),
    );
    assert_eq!(build.run.code, 0, "{:?}", build.run);
    eprintln!(
        "wildcard patterns: build {:.2} s wall",
        build.wall.as_secs_f64()
    );
    let page = std::fs::read_to_string(out.join("jobs/wildcard-bomb/index.html")).unwrap();
    assert!(
        page.contains("output does not match: stdout line 1 ("),
        "{page}"
    );
}
