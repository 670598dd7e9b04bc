//! `jobgate serve`: builds the site, serves it on 127.0.0.1, rebuilds what changed when a file
//! under `content/`, `requests/` or `themes/` is saved, and reloads the pages open in a browser.
//!
//! A site with errors keeps running: the terminal shows the diagnostics and every page shows
//! them too, until the file is fixed.

use std::collections::HashSet;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};
use notify::{EventKind, RecursiveMode, Watcher as _};
use tiny_http::{Header, Request, Response, Server};

use crate::cli::ServeArgs;
use crate::diagnostics::{Diagnostic, Severity};
use crate::site::live::watch::{self, WATCHED};
use crate::site::live::{Changes, LiveSite, Rebuild, http};
use crate::site::output::Tree;
use crate::site::search::{self, Record};

use super::Outcome;

/// How long to wait for more events after one, so that one save is one rebuild.
const SETTLE: Duration = Duration::from_millis(30);
/// How long the edits must pause before the search index is brought up to date.
const SEARCH_AFTER: Duration = Duration::from_millis(1500);
/// How long a page's reload request is held open before it asks again.
const HOLD: Duration = Duration::from_secs(25);

/// What the server knows about the latest rebuild.
#[derive(Debug, Default)]
struct Latest {
    /// Goes up by one with every rebuild; open pages reload when it moves.
    version: u64,
    /// The page every path shows while the latest rebuild found errors.
    errors: Option<String>,
}

#[derive(Default)]
struct Shared {
    latest: Mutex<Latest>,
    moved: Condvar,
}

impl Shared {
    fn publish(&self, errors: Option<String>) {
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        latest.version += 1;
        latest.errors = errors;
        self.moved.notify_all();
    }

    /// Waits until the version is not `since` (or [`HOLD`] passes); returns the version.
    fn wait(&self, since: u64) -> u64 {
        let latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        let (latest, _) = self
            .moved
            .wait_timeout_while(latest, HOLD, |l| l.version == since)
            .unwrap_or_else(|e| e.into_inner());
        latest.version
    }

    fn snapshot(&self) -> (u64, Option<String>) {
        let latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        (latest.version, latest.errors.clone())
    }
}

pub fn run(args: ServeArgs) -> anyhow::Result<Outcome> {
    let today = super::resolve_today(args.site.today)?;
    let root = std::path::absolute(&args.site.root)
        .with_context(|| format!("finding {}", args.site.root.display()))?;
    let server = Server::http(("127.0.0.1", args.port))
        .map_err(|e| anyhow!("listening on 127.0.0.1:{}: {e}", args.port))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .context("the server has no port")?;
    let base_url = format!("http://127.0.0.1:{port}/");
    // Without --out, the pages go to a new folder of our own: created here, private to this
    // user, and named so no other process can have prepared it (or links in it) beforehand.
    let (out, private) = match &args.out {
        Some(out) => (std::path::absolute(out)?, None),
        None => {
            let mut builder = tempfile::Builder::new();
            builder.prefix("jobgate-serve-");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                builder.permissions(std::fs::Permissions::from_mode(0o700));
            }
            let dir = builder
                .tempdir()
                .context("creating a temporary folder for the pages")?;
            (dir.path().to_owned(), Some(dir))
        }
    };
    if private.is_some() {
        // Ctrl-C and SIGTERM alike remove the temporary folder before leaving.
        let folder = out.clone();
        ctrlc::set_handler(move || {
            let _ = std::fs::remove_dir_all(&folder);
            std::process::exit(0);
        })
        .context("setting up Ctrl-C and SIGTERM")?;
    }
    let hosts = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];

    let shared = Arc::new(Shared::default());
    let searches = Arc::new(AtomicU64::new(0));
    let checker = args
        .checker
        .as_deref()
        .map(crate::site::form::Checker::read)
        .transpose()?;
    let (mut live, first) = LiveSite::open(&root, &out, today, &base_url, checker)?;
    let mut terminal = Terminal {
        root: root.clone(),
        warned: HashSet::new(),
    };
    shared.publish(terminal.report(&first, None).map(|e| live.error_page(&e)));

    let (events, watched) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(events).context("watching files")?;
    for dir in WATCHED {
        let folder = root.join(dir);
        if folder.is_dir() {
            watcher
                .watch(&folder, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", folder.display()))?;
        }
    }

    let serving = Arc::clone(&shared);
    let files = out.clone();
    std::thread::spawn(move || {
        let hosts = Arc::new(hosts);
        for request in server.incoming_requests() {
            let shared = Arc::clone(&serving);
            let files = files.clone();
            let hosts = Arc::clone(&hosts);
            std::thread::spawn(move || respond(request, &shared, &files, hosts.as_slice()));
        }
    });
    println!("serving {base_url} (Ctrl-C to stop); watching content/, requests/ and themes/");
    std::io::stdout().flush()?;

    loop {
        // The search index waits until the edits pause, so that it never slows a rebuild.
        let pause = live.search_is_stale().then_some(SEARCH_AFTER);
        let Some(changes) = next_changes(&watched, &root, pause)? else {
            if let Some(records) = live.stale_search() {
                index_in_background(records, live.out().to_owned(), Arc::clone(&searches));
            }
            continue;
        };
        // Whatever index is being built in the background is now out of date.
        searches.fetch_add(1, Ordering::SeqCst);
        let rebuilt = live.apply(&changes);
        let errors = match &rebuilt {
            Ok(rebuild) => terminal.report(rebuild, Some(&changes)),
            Err(error) => {
                eprintln!("error: {error:#}");
                Some(format!("error: {error:#}"))
            }
        };
        shared.publish(errors.map(|e| live.error_page(&e)));
    }
}

/// Brings the search index up to date on a thread of its own, so the next edit need not wait
/// for it; an index that a newer one overtook is dropped instead of written.
fn index_in_background(records: Vec<Record>, out: PathBuf, searches: Arc<AtomicU64>) {
    let mine = searches.fetch_add(1, Ordering::SeqCst) + 1;
    std::thread::spawn(move || {
        let started = Instant::now();
        let latest = || searches.load(Ordering::SeqCst) == mine;
        let written =
            Tree::open(&out).and_then(|tree| search::write_while(&records, &tree, latest));
        match written {
            Ok(()) if latest() => {
                eprintln!(
                    "search index updated in {} ms",
                    started.elapsed().as_millis()
                );
            }
            Ok(()) => {}
            Err(error) => eprintln!("error: updating the search index: {error:#}"),
        }
    });
}

/// Blocks until files of the site change, then collects what changed in the next moments.
/// With `pause`, gives up and returns `None` when nothing changed for that long.
fn next_changes(
    events: &Receiver<notify::Result<notify::Event>>,
    root: &Path,
    pause: Option<Duration>,
) -> anyhow::Result<Option<Changes>> {
    let mut changes = Changes::default();
    loop {
        let first = match pause {
            None => events.recv().context("the file watcher stopped")?,
            Some(pause) => match events.recv_timeout(pause) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => return Ok(None),
                Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
            },
        };
        take(&mut changes, root, first);
        loop {
            match events.recv_timeout(SETTLE) {
                Ok(event) => take(&mut changes, root, event),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
            }
        }
        // A file that came and went with a name the site never reads is an editor's or a
        // tool's temporary file.
        changes
            .files
            .retain(|file| watch::may_be_site_file(&root.join(file)));
        if !changes.files.is_empty() {
            return Ok(Some(changes));
        }
    }
}

/// Adds the site's files that `event` names to `changes`.
fn take(changes: &mut Changes, root: &Path, event: notify::Result<notify::Event>) {
    let Ok(event) = event else { return };
    if matches!(event.kind, EventKind::Access(_)) {
        return;
    }
    changes.files.extend(
        event
            .paths
            .iter()
            .filter_map(|path| watch::site_file(root, path)),
    );
}

/// What the terminal was last told.
struct Terminal {
    root: PathBuf,
    /// The warnings printed after the previous rebuild.
    warned: HashSet<Diagnostic>,
}

impl Terminal {
    /// Prints what a rebuild did: every error, and the warnings that were not there after the
    /// previous rebuild (the rest are counted, not repeated, so that a site with many warnings
    /// does not scroll them past on every save). Returns the diagnostics as text if it found
    /// errors.
    fn report(&mut self, rebuild: &Rebuild, changes: Option<&Changes>) -> Option<String> {
        let color = std::io::stderr().is_terminal();
        let (shown, repeated) = new_to_the_terminal(&rebuild.diagnostics, &self.warned);
        eprint!("{}", super::human(&self.root, &shown, color));
        if repeated > 0 {
            eprintln!("{repeated} warning(s) as before, not repeated");
        }
        self.warned = rebuild
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .cloned()
            .collect();
        let what = match changes {
            Some(changes) => changes
                .files
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            None => "the site".to_owned(),
        };
        if rebuild.has_errors() {
            eprintln!("{what}: not rebuilt, fix the errors above (the pages show them too)");
            return Some(super::human(&self.root, &rebuild.diagnostics, false));
        }
        eprintln!(
            "{what}: rebuilt {} in {} ms ({} files rendered, {} changed)",
            if rebuild.full {
                "everything"
            } else {
                "its pages"
            },
            rebuild.pages_took.as_millis(),
            rebuild.rendered,
            rebuild.changed
        );
        None
    }
}

/// The diagnostics of `found` to print: every error, and each warning not in `warned`; and how
/// many warnings were left out.
fn new_to_the_terminal(
    found: &[Diagnostic],
    warned: &HashSet<Diagnostic>,
) -> (Vec<Diagnostic>, usize) {
    let (shown, repeated): (Vec<&Diagnostic>, Vec<&Diagnostic>) = found
        .iter()
        .partition(|d| d.severity != Severity::Warning || !warned.contains(*d));
    (shown.into_iter().cloned().collect(), repeated.len())
}

fn respond(request: Request, shared: &Shared, files: &Path, hosts: &[String]) {
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    // Only this machine's own names for the server: a page elsewhere that makes the browser
    // ask another name (DNS rebinding) gets nothing.
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase());
    let response = if !host.is_some_and(|h| hosts.contains(&h)) {
        text(421, "this server answers only for 127.0.0.1 and localhost")
    } else if let Some(own) = path.strip_prefix(http::OWN) {
        own_endpoint(own, query, shared)
    } else if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        text(405, "only GET and HEAD")
    } else {
        page(path, shared, files)
    };
    let _ = request.respond(response);
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn own_endpoint(name: &str, query: &str, shared: &Shared) -> Reply {
    match name {
        "reload.js" => with_type(
            Response::from_data(http::RELOAD_JS.as_bytes().to_vec()),
            "text/javascript",
        ),
        "wait" => {
            let since = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("since="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            text(200, &shared.wait(since).to_string())
        }
        _ => text(404, "no such endpoint"),
    }
}

/// A file of the site, or the error page while the site has errors.
fn page(path: &str, shared: &Shared, files: &Path) -> Reply {
    let Some(relative) = http::safe_path(path) else {
        return text(400, "bad path");
    };
    let mut file = files.join(&relative);
    if file.is_dir() {
        if !path.ends_with('/') && !path.is_empty() {
            // One leading slash: `//jobs/` would send the browser to a host named `jobs`.
            let location = format!("/{}/", path.trim_start_matches('/'));
            return Response::from_data(Vec::new())
                .with_status_code(301)
                .with_header(header("Location", &location));
        }
        file = file.join("index.html");
    }
    let (version, errors) = shared.snapshot();
    let is_page = file.extension().is_none_or(|e| e == "html");
    if let Some(errors) = errors.filter(|_| is_page) {
        return html(500, &http::served_page(&errors, version, true));
    }
    match std::fs::read(&file) {
        Ok(bytes) if is_page => html(
            200,
            &http::served_page(&String::from_utf8_lossy(&bytes), version, false),
        ),
        Ok(bytes) => with_type(Response::from_data(bytes), http::content_type(&file)),
        Err(_) => {
            let body = std::fs::read_to_string(files.join("404.html")).unwrap_or_else(|_| {
                "<!doctype html><title>Not found</title><p>Not found.</p>".into()
            });
            html(404, &http::served_page(&body, version, false))
        }
    }
}

fn html(status: u16, page: &str) -> Reply {
    with_type(
        Response::from_data(page.as_bytes().to_vec()).with_status_code(status),
        "text/html; charset=utf-8",
    )
}

fn text(status: u16, body: &str) -> Reply {
    with_type(
        Response::from_data(body.as_bytes().to_vec()).with_status_code(status),
        "text/plain; charset=utf-8",
    )
}

fn with_type(response: Reply, kind: &str) -> Reply {
    response
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_warnings_are_printed_again() {
        use crate::diagnostics::{Code, Span};
        let at = |line| Span {
            line,
            ..Span::default()
        };
        let late = Diagnostic::new(Code::LateSubmission, "requests/a.yaml", at(3), "late");
        let twice = Diagnostic::new(Code::DuplicateJob, "requests/b.yaml", at(4), "twice");
        let broken = Diagnostic::new(Code::YamlSyntax, "requests/c.yaml", at(5), "broken");
        let before = HashSet::from([late.clone()]);

        let found = [late.clone(), twice.clone(), broken.clone()];
        assert_eq!(
            new_to_the_terminal(&found, &before),
            (vec![twice.clone(), broken.clone()], 1)
        );
        // Errors are printed every time, however often they were before.
        let before = HashSet::from([late.clone(), twice.clone(), broken.clone()]);
        assert_eq!(new_to_the_terminal(&found, &before), (vec![broken], 2));
        // A warning that comes back after a rebuild without it is new again.
        assert_eq!(
            new_to_the_terminal(std::slice::from_ref(&late), &HashSet::new()),
            (vec![late], 0)
        );
    }
}
