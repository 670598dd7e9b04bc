//! What the recorded runs say about a request: each run's outcome, and each job's.
//!
//! A recorded run is a fact. `result` says whether the job ran without failures (criterion 1
//! of "fully tested"); whether its output is the expected one (criterion 2) is derived here
//! from the output and the patterns, never typed. A run that does not match is not an error
//! in the file: it makes the request `failed`, and this module says which line did not match.
//!
//! A run may name the one job it ran (`job:`); without it, it covers all of the request's jobs.
//! Each job is judged on its latest run, and the request on the worst of its jobs.

use chrono::NaiveDate;

use super::pattern::Pattern;
use super::{Output, Request, Run, RunResult, Server};

/// How one run turned out, worst first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// The job crashed or could not finish (`result: error`).
    Error,
    /// The job reported errors (`result: failure`).
    Failure,
    /// The run is recorded as a success but its output is not the expected one.
    Mismatch(Mismatch),
    /// Ran and matched; its effect has not been checked yet.
    Unverified,
    /// Ran, matched, and its effect was checked.
    Passed,
}

/// Where a run's output departs from what was expected.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mismatch {
    /// No stdout at all, where the job should report its aggregate output.
    NoOutput,
    /// A stdout line (1-based, counting every line) that matches no success pattern.
    Stdout { line: usize, text: String },
    /// stderr has a line (1-based), which a successful run must not have.
    Stderr { line: usize, text: String },
}

impl Mismatch {
    /// A sentence for next actions and messages: "stdout line 3 (`EXP … 12`) matches no
    /// expected success pattern".
    pub fn describe(&self) -> String {
        match self {
            Mismatch::NoOutput => "it printed no output".to_owned(),
            Mismatch::Stdout { line, text } => format!(
                "stdout line {line} (`{}`) matches no expected success pattern",
                shorten(text)
            ),
            Mismatch::Stderr { line, text } => {
                format!("it printed to stderr (line {line}: `{}`)", shorten(text))
            }
        }
    }
}

/// A line as quoted in a sentence: trimmed, at most 80 characters.
fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The first non-empty line of `text` that matches none of `patterns`, with its line number.
fn first_unmatched<S: AsRef<str>>(text: &str, patterns: &[S]) -> Option<(usize, String)> {
    let compiled: Vec<Pattern> = patterns.iter().map(|p| Pattern::new(p.as_ref())).collect();
    text.lines()
        .enumerate()
        .find(|(_, line)| !line.trim().is_empty() && !compiled.iter().any(|p| p.matches(line)))
        .map(|(i, line)| (i + 1, line.to_owned()))
}

fn first_line(text: &str) -> Option<(usize, String)> {
    text.lines()
        .enumerate()
        .find(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (i + 1, line.to_owned()))
}

impl Run {
    /// How this run turned out against the request's expected output.
    pub fn outcome(&self, output: &Output) -> Outcome {
        match *self.result {
            RunResult::Error => Outcome::Error,
            RunResult::Failure => Outcome::Failure,
            RunResult::Success => {
                let mismatch = if let Some((line, text)) = first_line(&self.stderr) {
                    Some(Mismatch::Stderr { line, text })
                } else if self.stdout.trim().is_empty() {
                    Some(Mismatch::NoOutput)
                } else {
                    first_unmatched(&self.stdout, &output.success.expected)
                        .map(|(line, text)| Mismatch::Stdout { line, text })
                };
                match mismatch {
                    Some(mismatch) => Outcome::Mismatch(mismatch),
                    None if self.outcome_verified => Outcome::Passed,
                    None => Outcome::Unverified,
                }
            }
        }
    }

    /// Whether the run covers `job`: it names it, or names none.
    pub fn covers(&self, job: &str) -> bool {
        self.job.as_ref().is_none_or(|named| named.value == job)
    }
}

/// One job and its latest run.
#[derive(Clone, Debug)]
pub struct JobVerdict<'a> {
    pub job: &'a str,
    /// The latest run that covers the job, if any.
    pub run: Option<&'a Run>,
    pub outcome: Option<Outcome>,
}

/// The request as its runs leave it.
#[derive(Clone, Debug, PartialEq)]
pub enum Overall<'a> {
    /// No run is recorded.
    NotRun,
    /// Some jobs ran and none failed, but `job` has no run yet.
    Partly { missing: &'a str },
    /// Every job ran; the worst outcome, and the run it came from.
    Ran { outcome: Outcome, run: &'a Run },
}

impl Request {
    /// Each job (in run order, once each) with its latest run and that run's outcome.
    pub fn job_verdicts(&self) -> Vec<JobVerdict<'_>> {
        let mut seen = Vec::new();
        self.jobs
            .iter()
            .map(|job| job.value.as_str())
            .filter(|job| {
                let first = !seen.contains(job);
                seen.push(job);
                first
            })
            .map(|job| {
                let run = self
                    .runs
                    .iter()
                    .rev()
                    .map(|run| &run.value)
                    .find(|run| run.covers(job));
                JobVerdict {
                    job,
                    run,
                    outcome: run.map(|run| run.outcome(&self.output)),
                }
            })
            .collect()
    }

    /// The worst of the jobs' latest outcomes: an error, failure or mismatch first, then a job
    /// that has not run, then an unverified run; a request passes when every job passed.
    pub fn overall(&self) -> Overall<'_> {
        if self.runs.is_empty() {
            return Overall::NotRun;
        }
        let verdicts = self.job_verdicts();
        let worst = verdicts
            .iter()
            .filter_map(|v| Some((v.outcome.clone()?, v.run?)))
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.on.value.cmp(&a.1.on.value)));
        let missing = verdicts.iter().find(|v| v.run.is_none()).map(|v| v.job);
        match (worst, missing) {
            (Some((outcome, run)), _) if outcome < Outcome::Unverified => {
                Overall::Ran { outcome, run }
            }
            (_, Some(missing)) => Overall::Partly { missing },
            (Some((outcome, run)), None) => Overall::Ran { outcome, run },
            (None, None) => Overall::NotRun,
        }
    }

    /// Whether every job has a passing run on the backup server (success, matching output,
    /// outcome verified) dated on or before `day`; the last such day is returned.
    pub fn passed_on_backup_by(&self, day: NaiveDate) -> Option<NaiveDate> {
        let mut last = None;
        for verdict in self.job_verdicts() {
            let passed = self
                .runs
                .iter()
                .map(|run| &run.value)
                .filter(|run| {
                    run.covers(verdict.job)
                        && *run.server == Server::Backup
                        && *run.on <= day
                        && run.outcome(&self.output) == Outcome::Passed
                })
                .map(|run| *run.on)
                .min()?;
            last = last.max(Some(passed));
        }
        last
    }
}
