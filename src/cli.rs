//! The command line, as clap types. Each subcommand's arguments become an options struct in
//! `cmd/`; nothing here does any work.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::month::Month;

#[derive(Debug, Parser)]
#[command(
    name = "jobgate",
    version,
    about = "Checks backup-server job test requests and builds the site that tracks them"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into an output folder (atomically; refused if `check` finds errors).
    Build(BuildArgs),
    /// Check requests, settings and guide pages; report every problem at its line.
    Check(CheckArgs),
    /// Show each request's derived state, release fit and next action.
    Status(StatusArgs),
    /// Show release cutoffs and deadlines.
    Calendar(CalendarArgs),
    /// Write a new request skeleton to requests/ID.yaml (prompts for the rest on a terminal).
    New(NewArgs),
    /// Build the site, serve it on 127.0.0.1 and rebuild it as files change (pages reload).
    Serve(ServeArgs),
    /// Print the JSON Schema of a request file.
    Schema,
    /// Acknowledge a request and plan its run weekend (writes `scheduled`).
    Schedule(ScheduleArgs),
    /// Record a run of a request's jobs with its output (appends to `runs`).
    Record(RecordArgs),
    /// Mark the latest backup run's outcome as verified, with the evidence.
    Verify(VerifyArgs),
    /// Approve a request that passed on the backup server for a release (writes `approval`).
    Approve(ApproveArgs),
    /// Withdraw a request (writes `withdrawn`).
    Withdraw(WithdrawArgs),
    /// The coordinator's list of what runs on a weekend.
    Runsheet(RunsheetArgs),
    /// Show turnaround figures: per month of submission and per release.
    Stats(StatsArgs),
    /// Exit 0 only when the job of a code pull request was tested and approved (a merge gate).
    Gate(GateArgs),
    /// What needs attention today: overdue requests, this weekend's runs, results due, blockers.
    Digest(DigestArgs),
}

/// Options shared by the commands that write the record of one request.
#[derive(Debug, Args)]
pub struct EditArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The request id (the file is requests/ID.yaml).
    pub id: String,
    /// Your GitHub handle. Default: $JOBGATE_HANDLE, else `git config github.user`.
    #[arg(long)]
    pub by: Option<String>,
    /// Print only the update message (markdown), not the new state.
    #[arg(long)]
    pub message_only: bool,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    #[command(flatten)]
    pub edit: EditArgs,
    /// The first day (a run day) of the weekend the run is planned for (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub weekend: NaiveDate,
    /// The day of the acknowledgment. Default: today.
    #[arg(long, value_parser = parse_date)]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResultArg {
    Success,
    Failure,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServerArg {
    Backup,
    Test,
    Production,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    pub edit: EditArgs,
    /// The file holding the job's standard output, or `-` for standard input.
    #[arg(long)]
    pub stdout: PathBuf,
    /// The file holding the job's standard error, or `-` for standard input. Default: empty.
    #[arg(long)]
    pub stderr: Option<PathBuf>,
    /// The one job of `jobs` this run ran. Default: the run covers all of them, in order.
    #[arg(long)]
    pub job: Option<String>,
    /// How the run ended. Default: derived from the output and the expected patterns.
    #[arg(long, value_enum)]
    pub result: Option<ResultArg>,
    /// Where the job ran.
    #[arg(long, value_enum, default_value = "backup")]
    pub server: ServerArg,
    /// The day of the run. Default: today.
    #[arg(long, value_parser = parse_date)]
    pub on: Option<NaiveDate>,
    /// The outcome was already checked by other means (give --evidence).
    #[arg(long)]
    pub verified: bool,
    /// How the outcome was checked (markdown), or @FILE to read it from a file.
    #[arg(long)]
    pub evidence: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub edit: EditArgs,
    /// How the outcome was checked (markdown), or @FILE to read it from a file.
    #[arg(long)]
    pub evidence: String,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    #[command(flatten)]
    pub edit: EditArgs,
    /// The release approved for (YYYY-MM). Default: the request's target release.
    #[arg(long, value_parser = parse_month)]
    pub release: Option<Month>,
    /// The day of the approval. Default: today.
    #[arg(long, value_parser = parse_date)]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct WithdrawArgs {
    #[command(flatten)]
    pub edit: EditArgs,
    /// Why the request is withdrawn (markdown).
    #[arg(long)]
    pub reason: String,
    /// The day of the withdrawal. Default: today.
    #[arg(long, value_parser = parse_date)]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunsheetFormat {
    Text,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RunsheetArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The first day of the weekend. Default: this weekend (the next one on a weekday).
    #[arg(long, value_parser = parse_date)]
    pub weekend: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: RunsheetFormat,
}

/// Options shared by every command that reads a site.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's root folder (holding content/, requests/, themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The date to compute states and deadlines for (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH, else today (UTC).
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site.
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// Absolute URL the site is served from; overrides base_url in content/site.yaml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// The request form's checker to ship (the `wasm/` crate built for the browser:
    /// wasm/target/wasm32-unknown-unknown/release/jobgate_wasm.wasm). Without it the form still
    /// writes the file, and says the check runs on the pull request.
    #[arg(long, value_name = "FILE")]
    pub checker: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The port on 127.0.0.1 to serve on (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Where to write the pages served. Default: a temporary folder removed on Ctrl-C.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The request form's checker to ship, as for `build --checker`.
    #[arg(long, value_name = "FILE")]
    pub checker: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Github,
    Json,
    /// A report for the pull request: findings with help, and each request's state.
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    pub format: CheckFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Git revision to compare admin-only fields against (with --actor).
    #[arg(long, requires = "actor")]
    pub base: Option<String>,
    /// GitHub handle of the person whose change is checked (with --base).
    #[arg(long, requires = "base")]
    pub actor: Option<String>,
    /// Report only on these files (relative to the root); cross-file rules still see every file.
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    /// Only these requests.
    pub ids: Vec<String>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MarkdownOrJson {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct DigestArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: MarkdownOrJson,
    /// The site's address for the links, instead of `base_url` from the settings (the deploy
    /// passes the Pages address, as it does to `build`).
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct GateArgs {
    /// The code repository's pull request, `https://github.com/OWNER/REPO/pull/N`.
    #[arg(long)]
    pub pr: String,
    /// The site's published `api/requests.json`: its URL (https://…/api/requests.json) or a
    /// file holding it.
    #[arg(long)]
    pub api: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CalendarFormat {
    Text,
    Json,
    Ics,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// First release month to show (YYYY-MM). Default: the release of the next cutoff.
    #[arg(long, value_parser = parse_month)]
    pub from: Option<Month>,
    /// How many releases to show.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=1200))]
    pub months: u32,
    #[arg(long, value_enum, default_value = "text")]
    pub format: CalendarFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    New,
    Existing,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The request id, which is also its file name: lower-case letters, digits and `-`.
    pub id: String,
    /// One line saying what the job does.
    #[arg(long)]
    pub title: Option<String>,
    /// `new` for a job not run in production before, `existing` for one that runs again.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Your GitHub handle.
    #[arg(long)]
    pub author: Option<String>,
    /// The job's pull request URL (required for new jobs).
    #[arg(long)]
    pub pr: Option<String>,
    /// The release to aim for (YYYY-MM). Default: the earliest whose last submission day is ahead.
    #[arg(long, value_parser = parse_month)]
    pub target_release: Option<Month>,
    /// Job class names in run order, separated by commas.
    #[arg(long, value_delimiter = ',')]
    pub jobs: Vec<String>,
    /// Start a resubmission of the request PREVIOUS: a copy of its file without its runs,
    /// schedule and approval, filed today, pointing back at it.
    #[arg(long, value_name = "PREVIOUS")]
    pub previous: Option<String>,
    /// For a resubmission: what changed since the previous request (markdown).
    #[arg(long, requires = "previous")]
    pub fixed: Option<String>,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::yaml::parse_date(text)
        .ok_or_else(|| format!("`{text}` is not a date in YYYY-MM-DD form"))
}

fn parse_month(text: &str) -> Result<Month, String> {
    Month::parse(text).ok_or_else(|| format!("`{text}` is not a month in YYYY-MM form"))
}
