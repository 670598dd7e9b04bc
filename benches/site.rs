//! `cargo bench --bench site`: how fast, and in how much memory, the real binary checks and
//! builds sites of 1,000 and 10,000 requests, next to Hugo building the same content.
//!
//! Every figure is of a child process: wall time from spawn to reap, and its peak RSS from
//! `wait4`. Scenarios: `build` into a fresh output folder and over the previous build's output,
//! `check`, the same two builds by Hugo, and `serve` (save an edited request, wait until its
//! page is served with the change), which is skipped, loudly, while the command does not exist.
//! Results go to stdout and `target/bench/results.md` as markdown tables.
//!
//! Settings (environment variables):
//! - `JOBGATE_BENCH_SIZES`: request counts, comma-separated (default `1000,10000`);
//! - `JOBGATE_BENCH_RUNS_1K`: timed runs for sizes below 5,000 (default 5);
//! - `JOBGATE_BENCH_RUNS_10K`: timed runs for larger sizes (default 3);
//! - `JOBGATE_BENCH_SERVE_EDITS`: edits timed in the serve scenario (default 5).

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/hugo.rs"]
mod hugo;
#[path = "support/measure.rs"]
mod measure;
#[path = "support/serve.rs"]
mod serve;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use measure::Summary;

/// Generous: a build of 10,000 requests takes seconds; this only stops a hung child.
const HANG_GUARD: Duration = Duration::from_secs(900);
/// Sizes from this many requests up use `JOBGATE_BENCH_RUNS_10K`.
const LARGE: usize = 5_000;

struct Settings {
    sizes: Vec<usize>,
    runs_small: usize,
    runs_large: usize,
    serve_edits: usize,
}

impl Settings {
    fn from_env() -> Settings {
        let sizes = std::env::var("JOBGATE_BENCH_SIZES").unwrap_or_else(|_| "1000,10000".into());
        Settings {
            sizes: sizes
                .split(',')
                .map(|n| {
                    n.trim()
                        .parse()
                        .expect("JOBGATE_BENCH_SIZES: whole numbers, e.g. 1000,10000")
                })
                .collect(),
            runs_small: env_count("JOBGATE_BENCH_RUNS_1K", 5),
            runs_large: env_count("JOBGATE_BENCH_RUNS_10K", 3),
            serve_edits: env_count("JOBGATE_BENCH_SERVE_EDITS", 5),
        }
    }

    fn runs(&self, n: usize) -> usize {
        if n < LARGE {
            self.runs_small
        } else {
            self.runs_large
        }
    }
}

fn env_count(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => match text.trim().parse() {
            Ok(n) if n > 0 => n,
            _ => panic!("{name} must be a whole number above 0, got `{text}`"),
        },
        Err(_) => default,
    }
}

/// One line of the results.
struct Row {
    tool: &'static str,
    scenario: &'static str,
    n: usize,
    summary: Summary,
    /// Files written (builds) or requests read (check).
    items: usize,
}

impl Row {
    fn per_second(&self) -> f64 {
        self.items as f64 / self.summary.median().as_secs_f64()
    }
}

fn main() {
    let settings = Settings::from_env();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let jobgate = PathBuf::from(env!("CARGO_BIN_EXE_jobgate"));
    let bench = target_dir().join("bench");
    std::fs::create_dir_all(bench.join("logs")).expect("creating target/bench");
    let hugo_version = hugo_version();
    let load_before = load_average();
    eprintln!("jobgate: {}", jobgate.display());
    eprintln!("working folder: {}", bench.display());

    let mut rows = Vec::new();
    let mut largest: Option<(PathBuf, Vec<corpus::Generated>)> = None;
    for &n in &settings.sizes {
        let runs = settings.runs(n);
        let site = bench.join(format!("site-{n}"));
        let started = Instant::now();
        let requests = corpus::write_site(repo, &site, n).expect("generating the site");
        eprintln!(
            "\n== {n} requests (generated in {:.1?}); {runs} timed runs each",
            started.elapsed()
        );

        let at = |tool, log: &str| Spec {
            tool,
            n,
            runs,
            log: bench.join(format!("logs/{log}-{n}.log")),
        };
        let jobgate_site = JobgateSite {
            jobgate: &jobgate,
            site: &site,
            out: bench.join(format!("out-{n}")),
        };
        rows.extend(jobgate_site.measure(&at("jobgate", "jobgate")));
        if hugo_version.is_some() {
            let source = bench.join(format!("hugo-{n}"));
            hugo::write_site(repo, &source, &requests).expect("writing the Hugo site");
            rows.extend(hugo_rows(&source, &at("hugo", "hugo")));
        }
        if largest.as_ref().is_none_or(|(_, r)| r.len() < n) {
            largest = Some((site, requests));
        }
    }

    let serve = match &largest {
        Some((site, requests)) => serve_scenario(&jobgate, site, requests, settings.serve_edits),
        None => None,
    };
    let report = report(&rows, serve.as_ref(), hugo_version.as_deref(), &load_before);
    println!("\n{report}");
    let results = bench.join("results.md");
    std::fs::write(&results, &report).expect("writing results.md");
    eprintln!("written to {}", results.display());
}

/// Where and how often a scenario is measured.
struct Spec {
    tool: &'static str,
    n: usize,
    runs: usize,
    /// Receives the measured command's output; read back when it fails.
    log: PathBuf,
}

impl Spec {
    /// Runs `make()`'s command once to warm up, then `runs` times measured; `items` counts
    /// what the last run produced.
    fn measure(
        &self,
        scenario: &'static str,
        mut make: impl FnMut() -> Command,
        items: impl Fn() -> usize,
    ) -> Row {
        let (tool, n, runs) = (self.tool, self.n, self.runs);
        let fail = |e: std::io::Error| -> ! { panic!("{tool} {scenario} at {n}: {e}") };
        measure::run(&mut make(), &self.log, HANG_GUARD).unwrap_or_else(|e| fail(e));
        let mut samples = Vec::new();
        for i in 1..=runs {
            let sample =
                measure::run(&mut make(), &self.log, HANG_GUARD).unwrap_or_else(|e| fail(e));
            eprintln!(
                "{tool} {scenario} ({n}): run {i}/{runs} {:.3} s ({:.3} s CPU), {:.0} MiB",
                sample.wall.as_secs_f64(),
                sample.cpu.as_secs_f64(),
                sample.max_rss_kib as f64 / 1024.0
            );
            samples.push(sample);
        }
        Row {
            tool,
            scenario,
            n,
            summary: Summary { samples },
            items: items(),
        }
    }
}

/// A generated site and where jobgate builds it.
struct JobgateSite<'a> {
    jobgate: &'a Path,
    site: &'a Path,
    out: PathBuf,
}

impl JobgateSite<'_> {
    fn command(&self, subcommand: &str) -> Command {
        let mut command = Command::new(self.jobgate);
        command.arg(subcommand).arg("--root").arg(self.site);
        command.args(["--today", corpus::TODAY]);
        if subcommand == "build" {
            command.arg("--out").arg(&self.out);
        }
        command
    }

    /// Build into a fresh folder, build over the previous output, check.
    fn measure(&self, spec: &Spec) -> [Row; 3] {
        let out = &self.out;
        [
            spec.measure(
                "build, fresh output",
                || {
                    measure::remove(out).expect("clearing the output");
                    self.command("build")
                },
                || measure::count_files(out),
            ),
            spec.measure(
                "build over previous output",
                || self.command("build"),
                || measure::count_files(out),
            ),
            spec.measure("check", || self.command("check"), || spec.n),
        ]
    }
}

/// Hugo building the site at `source` into a fresh folder, then over its previous output.
fn hugo_rows(source: &Path, spec: &Spec) -> [Row; 2] {
    let public = source.join("public");
    let hugo = || {
        let mut command = Command::new("hugo");
        command.arg("--source").arg(source);
        command.arg("--destination").arg(&public);
        command.arg("--cacheDir").arg(source.join("cache"));
        command.arg("--quiet");
        command
    };
    [
        spec.measure(
            "build, fresh output",
            || {
                measure::remove(&public).expect("clearing Hugo's output");
                measure::remove(&source.join("resources")).expect("clearing Hugo's resources");
                hugo()
            },
            || measure::count_files(&public),
        ),
        spec.measure("build over previous output", hugo, || {
            measure::count_files(&public)
        }),
    ]
}

fn serve_scenario(
    jobgate: &Path,
    site: &Path,
    requests: &[corpus::Generated],
    edits: usize,
) -> Option<serve::Measured> {
    if !serve::available(jobgate) {
        eprintln!("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        eprintln!("!! SKIPPED the serve scenario: `jobgate serve --help` fails (no serve command)");
        eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        return None;
    }
    let step = (requests.len() / edits.max(1)).max(1);
    let ids: Vec<String> = requests
        .iter()
        .step_by(step)
        .take(edits)
        .map(|r| r.id.clone())
        .collect();
    eprintln!(
        "\n== serve: {} edits at {} requests",
        ids.len(),
        requests.len()
    );
    match serve::measure(jobgate, site, corpus::TODAY, &ids) {
        Ok(measured) => Some(measured),
        Err(e) => panic!("serve scenario failed: {e}"),
    }
}

fn report(
    rows: &[Row],
    serve: Option<&serve::Measured>,
    hugo: Option<&str>,
    load_before: &str,
) -> String {
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(out, "## Benchmark results\n");
    let _ = writeln!(
        out,
        "{cores} cores; load average before {load_before}, after {}; `--today {}`.\n",
        load_average(),
        corpus::TODAY
    );
    let _ = writeln!(
        out,
        "| tool | scenario | requests | runs | median s | min–max s | CPU s | output | per s | peak RSS MiB |"
    );
    let _ = writeln!(
        out,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for row in rows {
        let unit = if row.scenario == "check" {
            "requests"
        } else {
            "files"
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.3} | {:.3}–{:.3} | {:.3} | {} {unit} | {:.0} | {:.0} |",
            row.tool,
            row.scenario,
            row.n,
            row.summary.samples.len(),
            row.summary.median().as_secs_f64(),
            row.summary.min().as_secs_f64(),
            row.summary.max().as_secs_f64(),
            row.summary.median_cpu().as_secs_f64(),
            row.items,
            row.per_second(),
            row.summary.peak_rss_mib()
        );
    }
    match serve {
        Some(s) => {
            let _ = writeln!(
                out,
                "| jobgate | serve: save to page served | {} | {} | {:.3} | {:.3}–{:.3} | — | ready after {:.1} s | — | {:.0} |",
                rows.iter().map(|r| r.n).max().unwrap_or(0),
                s.edits.samples.len(),
                s.edits.median().as_secs_f64(),
                s.edits.min().as_secs_f64(),
                s.edits.max().as_secs_f64(),
                s.ready.as_secs_f64(),
                s.server_rss_kib as f64 / 1024.0
            );
        }
        None => {
            let _ = writeln!(
                out,
                "| jobgate | serve | — | — | skipped: no `serve` command | | | | | |"
            );
        }
    }

    let _ = writeln!(out);
    let Some(version) = hugo else {
        let _ = writeln!(
            out,
            "**Hugo comparison skipped: `hugo` is not installed** (`apt-get install hugo`)."
        );
        return out;
    };
    let _ = writeln!(out, "### jobgate / Hugo ({version})\n");
    let _ = writeln!(
        out,
        "| scenario | requests | jobgate s | Hugo s | time ratio | jobgate CPU s | Hugo CPU s | CPU ratio | jobgate files | Hugo files | jobgate MiB | Hugo MiB | memory ratio |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for ours in rows.iter().filter(|r| r.tool == "jobgate") {
        let Some(theirs) = rows
            .iter()
            .find(|r| r.tool == "hugo" && r.scenario == ours.scenario && r.n == ours.n)
        else {
            continue;
        };
        let (a, b) = (
            ours.summary.median().as_secs_f64(),
            theirs.summary.median().as_secs_f64(),
        );
        let (ca, cb) = (
            ours.summary.median_cpu().as_secs_f64(),
            theirs.summary.median_cpu().as_secs_f64(),
        );
        let (ma, mb) = (ours.summary.peak_rss_mib(), theirs.summary.peak_rss_mib());
        let _ = writeln!(
            out,
            "| {} | {} | {a:.3} | {b:.3} | {:.2} | {ca:.3} | {cb:.3} | {:.2} | {} | {} | {ma:.0} | {mb:.0} | {:.2} |",
            ours.scenario,
            ours.n,
            a / b,
            ca / cb,
            ours.items,
            theirs.items,
            ma / mb
        );
    }
    out
}

/// The cargo target folder this benchmark was built in: `<target>/release/deps/site-…`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// `hugo version`'s first line, or `None` (said loudly) when Hugo cannot run.
fn hugo_version() -> Option<String> {
    let version = Command::new("hugo")
        .arg("version")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned()
        });
    if version.is_none() {
        eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        eprintln!("!! SKIPPED the Hugo comparison: `hugo` is not installed (apt-get install hugo)");
        eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    }
    version
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}
