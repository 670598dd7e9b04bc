//! The `serve` scenario: how long after a request file is saved does its page show the change?
//!
//! Assumes `jobgate serve --root DIR --port P --today D` serves the built site on
//! 127.0.0.1:P, prints a line containing `http://127.0.0.1:P/` once it is ready, and rebuilds
//! when a file changes. Each edit changes one request's title to a new word, then polls
//! `GET /jobs/<id>/` until the page has that word, then waits for the server's line saying the
//! rebuild (every list, feed, calendar and API included) is done, `... rebuilt its pages in N
//! ms ...`. Talks to the loopback address only.

use std::io::{self, BufRead as _, BufReader, Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::measure::{self, Sample, Summary};

/// How long the first build may take before the server counts as hung.
const READY_TIMEOUT: Duration = Duration::from_secs(600);
/// How long one edit may take to show before the scenario fails.
const EDIT_TIMEOUT: Duration = Duration::from_secs(120);
/// Pause between edits, so each one starts with an idle watcher.
const SETTLE: Duration = Duration::from_millis(700);
const POLL: Duration = Duration::from_millis(5);

/// What the scenario measured.
pub struct Measured {
    /// From spawn to the ready line (the first full build included).
    pub ready: Duration,
    /// From each save to its page being served with the new title.
    pub edits: Summary,
    /// From each save to the server saying its whole rebuild is done.
    pub rebuilt: Summary,
    /// Each whole rebuild as the server timed it (from handling the change to done, without
    /// the wait for the save to settle).
    pub rebuild_took: Summary,
    /// Peak RSS of the server over the whole scenario, in KiB.
    pub server_rss_kib: u64,
}

/// Whether this jobgate has a `serve` command.
pub fn available(jobgate: &Path) -> bool {
    Command::new(jobgate)
        .args(["serve", "--help"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Starts `jobgate serve` on `site`, edits the title of each request in `ids` in turn, and
/// times each edit until it is served. Every edited file is restored afterwards.
pub fn measure(jobgate: &Path, site: &Path, today: &str, ids: &[String]) -> io::Result<Measured> {
    let port = free_port()?;
    let start = Instant::now();
    let mut child = Command::new(jobgate)
        .args(["serve", "--root"])
        .arg(site)
        .args(["--port", &port.to_string(), "--today", today])
        // A folder of the bench's own: the server is killed, so it cannot remove a temporary one.
        .arg("--out")
        .arg(site.with_extension("served"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (lines, incoming) = mpsc::channel::<String>();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
    }
    drop(lines);

    let mut originals = Vec::new();
    let result = wait_ready(&incoming, port, start).and_then(|ready| {
        Ok((
            ready,
            edit_each(site, port, ids, &incoming, &mut originals)?,
        ))
    });
    let _ = child.kill();
    let (_, server) = measure::reap(child.id(), start, Duration::from_secs(30))?;
    for (path, text) in originals {
        std::fs::write(path, text)?;
    }
    let (ready, timed) = result?;
    let summary = |pick: fn(&Timed) -> Duration| Summary {
        samples: timed
            .iter()
            .map(|t| Sample {
                wall: pick(t),
                cpu: Duration::ZERO,
                max_rss_kib: 0,
            })
            .collect(),
    };
    Ok(Measured {
        ready,
        edits: summary(|t| t.served),
        rebuilt: summary(|t| t.rebuilt),
        rebuild_took: summary(|t| t.took),
        server_rss_kib: server.max_rss_kib,
    })
}

/// What one edit took.
struct Timed {
    served: Duration,
    rebuilt: Duration,
    took: Duration,
}

/// Retitles each request in turn and times until its page shows the new title and until the
/// server says the rebuild is done. Keeps each file's original text in `originals` before
/// changing it.
fn edit_each(
    site: &Path,
    port: u16,
    ids: &[String],
    incoming: &mpsc::Receiver<String>,
    originals: &mut Vec<(PathBuf, String)>,
) -> io::Result<Vec<Timed>> {
    let mut samples = Vec::new();
    for (k, id) in ids.iter().enumerate() {
        let path = site.join("requests").join(format!("{id}.yaml"));
        let original = std::fs::read_to_string(&path)?;
        let word = format!("Edited{k}x{}", std::process::id());
        let edited = retitle(&original, &format!("Serve benchmark title {word}"))
            .ok_or_else(|| io::Error::other(format!("{} has no title line", path.display())))?;
        originals.push((path.clone(), original));
        std::thread::sleep(SETTLE);
        while incoming.try_recv().is_ok() {}
        let saved = Instant::now();
        std::fs::write(&path, edited)?;
        wait_for(port, &format!("/jobs/{id}/"), &word, saved)?;
        let served = saved.elapsed();
        let took = wait_rebuilt(incoming, saved)?;
        samples.push(Timed {
            served,
            rebuilt: saved.elapsed(),
            took,
        });
    }
    Ok(samples)
}

/// Waits for the line that says the server is up; returns the time since `start`.
fn wait_ready(
    incoming: &mpsc::Receiver<String>,
    port: u16,
    start: Instant,
) -> io::Result<Duration> {
    let url = format!("http://127.0.0.1:{port}/");
    let deadline = start + READY_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match incoming.recv_timeout(left) {
            Ok(line) if line.contains(&url) => return Ok(start.elapsed()),
            Ok(_) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(io::Error::other(format!(
                    "serve did not print {url} in {READY_TIMEOUT:?}"
                )));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(io::Error::other(format!(
                    "serve exited before printing {url}"
                )));
            }
        }
    }
}

/// Waits for the server's line saying a rebuild is done; returns the time it gives.
fn wait_rebuilt(incoming: &mpsc::Receiver<String>, since: Instant) -> io::Result<Duration> {
    loop {
        let left = EDIT_TIMEOUT.saturating_sub(since.elapsed());
        let line = incoming.recv_timeout(left).map_err(|_| {
            io::Error::other(format!(
                "serve did not say the rebuild was done within {EDIT_TIMEOUT:?}"
            ))
        })?;
        let took = line
            .split_once(" rebuilt ")
            .and_then(|(_, rest)| rest.split_once(" in "))
            .and_then(|(_, rest)| rest.split_once(" ms"))
            .and_then(|(ms, _)| ms.parse().ok());
        if let Some(ms) = took {
            return Ok(Duration::from_millis(ms));
        }
    }
}

/// Polls `path` until its body contains `word`.
fn wait_for(port: u16, path: &str, word: &str, since: Instant) -> io::Result<()> {
    while since.elapsed() < EDIT_TIMEOUT {
        if let Ok((200, body)) = get(port, path)
            && body.contains(word)
        {
            return Ok(());
        }
        std::thread::sleep(POLL);
    }
    Err(io::Error::other(format!(
        "{path} did not show the edit within {EDIT_TIMEOUT:?}"
    )))
}

/// `text` with its top-level `title:` line replaced.
fn retitle(text: &str, title: &str) -> Option<String> {
    let mut found = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if !found && line.starts_with("title:") {
                found = true;
                format!("title: '{title}'")
            } else {
                line.to_owned()
            }
        })
        .collect();
    found.then(|| lines.join("\n") + "\n")
}

fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// A plain HTTP/1.1 GET on the loopback address: the status code and the (de-chunked) body.
fn get(port: u16, path: &str) -> io::Result<(u16, String)> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = find(&raw, b"\r\n\r\n").unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let body = raw.get(split + 4..).unwrap_or_default();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let chunked = head
        .lines()
        .any(|line| line.replace(' ', "") == "transfer-encoding:chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// The body of a chunked response, joined.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = find(body, b"\r\n") {
        let line = String::from_utf8_lossy(&body[..end]);
        let size =
            usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        let rest = &body[end + 2..];
        if size == 0 || rest.len() < size {
            break;
        }
        out.extend_from_slice(&rest[..size]);
        body = rest[size..].strip_prefix(b"\r\n").unwrap_or(&rest[size..]);
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
