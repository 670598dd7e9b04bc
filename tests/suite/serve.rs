//! `jobgate serve`, end to end: the real binary on a free port, a plain HTTP client, and files
//! edited the way an author would.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::common::{TODAY, TempSite};

const JOB: &str = "migrate-topic-summaries";

/// A running `jobgate serve`, stopped when dropped.
struct Served {
    child: Child,
    port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(site: &TempSite) -> Served {
    let out = site.path().join("served");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jobgate"))
        .args(["serve", "--port", "0", "--today", TODAY, "--root"])
        .arg(site.path())
        .arg("--out")
        .arg(&out)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Served { child, port }
}

/// `GET path` → (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let (status, _, body) = get_as(port, path, &format!("127.0.0.1:{port}"));
    (status, body)
}

/// `GET path` with the given `Host` header → (status, headers, body).
fn get_as(port: u16, path: &str, host: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (status, head.to_owned(), body.to_owned())
}

/// Asks for `path` until `wanted` holds, for at most 20 seconds.
fn eventually(port: u16, path: &str, wanted: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let started = Instant::now();
    loop {
        let (status, body) = get(port, path);
        if wanted(status, &body) {
            return (status, body);
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{path} never changed as expected; last: {status}\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_edited_request_shows_on_its_served_page_and_a_broken_one_shows_its_errors() {
    let site = TempSite::fixture("valid");
    let served = serve(&site);
    let port = served.port;
    let page = format!("/jobs/{JOB}/");

    let (status, body) = get(port, &page);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<title>Migrate TopicSummaryModel"), "{body}");
    assert!(
        body.contains(r#"<script src="/__jobgate/reload.js" data-version="1"></script></body>"#)
    );
    let (status, _) = get(port, "/jobs/");
    assert_eq!(status, 200);
    let (status, redirect) = get(port, &format!("/jobs/{JOB}"));
    assert_eq!(status, 301, "{redirect}");
    assert_eq!(get(port, "/../../etc/passwd").0, 400);
    assert_eq!(get(port, "/no/such/page/").0, 404);

    // Edit the title: the page, the index and the API follow.
    let file = format!("requests/{JOB}.yaml");
    let original = site.read(&file);
    let title = original.lines().find(|l| l.starts_with("title:")).unwrap();
    site.write(
        &file,
        &original.replacen(title, "title: Renamed while serving", 1),
    );
    // The page changes first, then the server tells open pages (the version moves on).
    eventually(port, &page, |s, b| {
        s == 200 && b.contains("Renamed while serving") && !b.contains("data-version=\"1\"")
    });
    assert!(get(port, "/jobs/").1.contains("Renamed while serving"));
    assert!(
        get(port, "/api/requests.json")
            .1
            .contains("Renamed while serving")
    );

    // Break it: every page shows the diagnostics, with the file, line and code.
    site.write(&file, &original.replacen(title, "title: [unclosed", 1));
    let (status, body) = eventually(port, &page, |s, _| s == 500);
    assert!(body.contains("The site has errors"), "{body}");
    assert!(body.contains(&format!("{file}:")), "{body}");
    let line = original.lines().position(|l| l.starts_with(title)).unwrap() + 1;
    assert!(body.contains(&format!("{file}:{line}:")), "{body}");
    assert!(body.contains("error[JG003]"), "{body}");
    assert!(body.contains("reload.js"), "{body}");
    assert_eq!(status, 500);

    // Fix it: the server kept running and the page is back.
    site.write(&file, &original);
    let (_, body) = eventually(port, &page, |s, _| s == 200);
    assert!(body.contains("<title>Migrate TopicSummaryModel"), "{body}");
}

#[test]
fn open_pages_hear_about_a_rebuild() {
    let site = TempSite::fixture("valid");
    let served = serve(&site);
    let port = served.port;
    // Nothing changed yet: the wait is held (the test gives up on it quickly).
    let waiter = std::thread::spawn(move || get(port, "/__jobgate/wait?since=1"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!waiter.is_finished());
    let guide = "content/guide/overview.md";
    let text = site.read(guide);
    site.write(guide, &format!("{text}\nOne more line.\n"));
    let (status, version) = waiter.join().unwrap();
    assert_eq!((status, version.trim()), (200, "2"));
    let (_, page) = get(port, "/guide/overview/");
    assert!(page.contains("One more line."), "{page}");
    let (status, script) = get(port, "/__jobgate/reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("/__jobgate/wait?since="), "{script}");
}

#[test]
fn only_this_machines_names_are_answered_and_redirects_stay_on_the_site() {
    let site = TempSite::fixture("valid");
    let served = serve(&site);
    let port = served.port;
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        assert_eq!(get_as(port, "/", &host).0, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "127.0.0.1".to_owned(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        let (status, _, body) = get_as(port, "/", &host);
        assert_eq!(status, 421, "{host}");
        assert_eq!(body, "this server answers only for 127.0.0.1 and localhost");
    }
    let host = format!("127.0.0.1:{port}");
    for path in ["//jobs", "///jobs", "/jobs"] {
        let (status, head, _) = get_as(port, path, &host);
        assert_eq!(status, 301, "{path}");
        assert!(head.contains("\r\nLocation: /jobs/"), "{path}: {head}");
    }
}

/// Found by trying serve as another user of the machine would: it reused a predictable
/// `/tmp/jobgate-serve-<pid>` folder whoever owned it and wrote through links in it.
#[cfg(unix)]
#[test]
fn without_out_the_pages_go_to_a_private_folder_removed_on_sigterm() {
    use std::os::unix::fs::PermissionsExt as _;
    let site = TempSite::fixture("valid");
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jobgate"))
        .args(["serve", "--port", "0", "--today", TODAY, "--root"])
        .arg(site.path())
        .env("TMPDIR", tmp.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let folders: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let folder = &folders[0];
    let name = folder.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("jobgate-serve-"), "{name}");
    assert_ne!(
        name,
        format!("jobgate-serve-{}", child.id()),
        "not guessable"
    );
    let mode = std::fs::metadata(folder).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "private to its user: {mode:o}");
    assert!(folder.join("index.html").is_file());
    // SIGTERM, as a service manager or `kill` sends it.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exited = child.wait().unwrap();
    assert!(exited.success(), "{exited:?}");
    assert!(!folder.exists(), "the folder is removed on SIGTERM");
}
