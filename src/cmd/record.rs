//! `jobgate record`: record a run with its output.

use std::io::{BufRead as _, IsTerminal as _, Read as _, Write as _};
use std::path::Path;

use anyhow::{Context as _, bail};

use crate::cli::{RecordArgs, ResultArg, ServerArg};
use crate::record::Field;
use crate::request::{Request, Run, RunResult, pattern};
use crate::yaml::scalar;

use super::Outcome;
use super::edit::{self, Refusal, Role};

pub fn run(args: RecordArgs) -> anyhow::Result<Outcome> {
    let dash = Path::new("-");
    if args.stderr.as_deref() == Some(dash) && args.stdout == dash {
        bail!("--stdout and --stderr cannot both be read from standard input");
    }
    let target = match edit::open(&args.edit, Role::Coordinator)? {
        Ok(target) => target,
        Err(refusal) => return Ok(refusal.report()),
    };
    let stdout = match read_output("stdout", &args.stdout)? {
        Ok(text) => text,
        Err(refusal) => return Ok(refusal.report()),
    };
    let stderr = match args
        .stderr
        .as_deref()
        .map(|p| read_output("stderr", p))
        .transpose()?
    {
        Some(Ok(text)) => text,
        Some(Err(refusal)) => return Ok(refusal.report()),
        None => String::new(),
    };
    let request = &target.request;
    if let Some(job) = &args.job
        && !request.jobs.iter().any(|j| j.as_str() == job)
    {
        let jobs: Vec<&str> = request.jobs.iter().map(|j| j.as_str()).collect();
        return Ok(
            Refusal::new(format!("`{job}` is not one of the request's jobs"))
                .help(format!("--job takes one of: {}", jobs.join(", ")))
                .report(),
        );
    }
    let on = args.on.unwrap_or(target.today);
    if on < *request.submitted {
        return Ok(Refusal::new(format!(
            "the run on {on} is dated before the request was submitted ({})",
            *request.submitted
        ))
        .help("give the day the job ran with --on")
        .report());
    }
    if on > target.today {
        return Ok(Refusal::new(format!(
            "the run on {on} is dated after today ({})",
            target.today
        ))
        .help("record a run after it happened")
        .report());
    }
    let evidence = match args
        .evidence
        .as_deref()
        .map(|e| edit::text_or_file(e, &target.root))
        .transpose()?
    {
        Some(text) => match edit::clean_text("evidence", &text) {
            Ok(text) => Some(text),
            Err(refusal) => return Ok(refusal.report()),
        },
        None => None,
    };
    if args.verified && evidence.as_deref().is_none_or(|e| e.trim().is_empty()) {
        return Ok(
            Refusal::new("--verified needs --evidence: say how the outcome was checked").report(),
        );
    }
    let reads_stdin = args.stdout == dash || args.stderr.as_deref() == Some(dash);
    let result = match args.result {
        Some(ResultArg::Success) => RunResult::Success,
        Some(ResultArg::Failure) => RunResult::Failure,
        Some(ResultArg::Error) => RunResult::Error,
        None => match derive_result(request, &stdout, &stderr) {
            Some(result) => result,
            None if !reads_stdin && std::io::stdin().is_terminal() => ask_result()?,
            None => {
                return Ok(Refusal::new(
                    "the output matches neither the success nor the failure patterns, so the \
                     result cannot be derived",
                )
                .help("say how the run ended with --result success|failure|error")
                .report());
            }
        },
    };
    let server = match args.server {
        ServerArg::Backup => "backup",
        ServerArg::Test => "test",
        ServerArg::Production => "production",
    };
    let result_word = match result {
        RunResult::Success => "success",
        RunResult::Failure => "failure",
        RunResult::Error => "error",
    };
    let mut fields = vec![
        ("on", Field::Plain(on.to_string())),
        ("server", Field::Plain(server.to_owned())),
        ("by", Field::Plain(scalar::word(&target.by))),
    ];
    if let Some(job) = &args.job {
        fields.push(("job", Field::Plain(scalar::word(job))));
    }
    fields.push(("result", Field::Plain(result_word.to_owned())));
    fields.push(("stdout", Field::Text(stdout)));
    fields.push(("stderr", Field::Text(stderr)));
    fields.push(("outcome_verified", Field::Plain(args.verified.to_string())));
    if let Some(evidence) = &evidence {
        fields.push(("evidence", Field::Text(evidence.clone())));
    }
    let document = match target.document() {
        Ok(d) => d,
        Err(refusal) => return Ok(refusal.report()),
    };
    let text = match document.append_run(&fields) {
        Ok(text) => text,
        Err(e) => {
            return Ok(
                Refusal::new(format!("cannot add the run to {}: {e}", target.file)).report(),
            );
        }
    };
    let (request, status) = match edit::write(&target, &text)? {
        Ok(done) => done,
        Err(refusal) => return Ok(refusal.report()),
    };
    let run = request.runs.last().expect("a run was added");
    let mut message = format!(
        "**{}** (`{}`): {} ran on the {server} server on {on} (recorded by @{}). Result: \
         **{result_word}**.\n\n",
        *request.title,
        target.id,
        what_ran(&request, args.job.as_deref()),
        target.by,
    );
    message.push_str(&output_summary(&request, run));
    message.push('\n');
    message.push_str(&verified_summary(run));
    message.push('\n');
    message.push_str(&edit::message_footer(&target, &status));
    edit::report(
        &target,
        &status,
        &format!("recorded a {result_word} run on the {server} server on {on}"),
        &message,
    );
    Ok(Outcome::Clean)
}

/// The output of a file or of standard input, as text fit for a block scalar.
fn read_output(what: &str, path: &Path) -> anyhow::Result<Result<String, Refusal>> {
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        bytes
    } else {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))?
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Err(Refusal::new(format!("the {what} is not UTF-8 text"))
            .help("convert it first, e.g. `iconv -f latin1 -t utf-8`")));
    };
    Ok(edit::clean_text(what, &text))
}

/// `success` when stdout matches and stderr is empty; `failure` when every stderr line matches
/// a failure pattern; otherwise unknown.
pub fn derive_result(request: &Request, stdout: &str, stderr: &str) -> Option<RunResult> {
    let stderr_empty = stderr.lines().all(|l| l.trim().is_empty());
    if stderr_empty
        && !stdout.trim().is_empty()
        && pattern::all_lines_match(stdout, &request.output.success.expected)
    {
        return Some(RunResult::Success);
    }
    if !stderr_empty && pattern::all_lines_match(stderr, &request.output.failure.expected) {
        return Some(RunResult::Failure);
    }
    None
}

fn ask_result() -> anyhow::Result<RunResult> {
    let mut stderr = std::io::stderr();
    loop {
        write!(
            stderr,
            "The output matches neither the success nor the failure patterns.\n\
             How did the run end? [success/failure/error]: "
        )?;
        stderr.flush()?;
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line)? == 0 {
            bail!("no answer given; pass --result");
        }
        match line.trim() {
            "success" => return Ok(RunResult::Success),
            "failure" => return Ok(RunResult::Failure),
            "error" => return Ok(RunResult::Error),
            _ => {}
        }
    }
}

fn what_ran(request: &Request, job: Option<&str>) -> String {
    match job {
        Some(job) => format!("`{job}`"),
        None => {
            let jobs: Vec<String> = request
                .jobs
                .iter()
                .map(|j| format!("`{}`", j.as_str()))
                .collect();
            jobs.join(", then ")
        }
    }
}

/// Whether the output matched, with the lines that did not quoted.
pub fn output_summary(request: &Request, run: &Run) -> String {
    let output = &request.output;
    if run.output_matches(output) {
        return match *run.result {
            RunResult::Failure => {
                "The errors reported match the expected failure patterns.\n".to_owned()
            }
            _ => "The output matches the expected success patterns.\n".to_owned(),
        };
    }
    match *run.result {
        RunResult::Error => "The job did not finish, so its output was not compared.\n".to_owned(),
        RunResult::Success => {
            let mut out = String::from("**The output does not match the expected patterns.**\n");
            let unmatched: Vec<&str> =
                pattern::unmatched_lines(&run.stdout, &output.success.expected).collect();
            if run.stdout.trim().is_empty() {
                out.push_str("\nThe job printed nothing on stdout.\n");
            }
            if !unmatched.is_empty() {
                out.push_str("\nThese stdout lines match no success pattern:\n\n");
                out.push_str(&edit::quoted_lines(unmatched, 20));
            }
            let errors: Vec<&str> = run
                .stderr
                .lines()
                .filter(|l| !l.trim().is_empty())
                .collect();
            if !errors.is_empty() {
                out.push_str("\nThe job printed on stderr:\n\n");
                out.push_str(&edit::quoted_lines(errors, 20));
            }
            out
        }
        RunResult::Failure => {
            let mut out = String::from(
                "**The errors reported do not match the expected failure patterns.**\n",
            );
            let unmatched: Vec<&str> =
                pattern::unmatched_lines(&run.stderr, &output.failure.expected).collect();
            if run.stderr.trim().is_empty() {
                out.push_str("\nThe job printed nothing on stderr.\n");
            } else {
                out.push_str("\nThese stderr lines match no failure pattern:\n\n");
                out.push_str(&edit::quoted_lines(unmatched, 20));
            }
            out
        }
    }
}

/// What was verified, or that nothing was yet.
pub fn verified_summary(run: &Run) -> String {
    match (&run.evidence, run.outcome_verified) {
        (Some(evidence), true) => format!(
            "**Outcome verified.** Evidence:\n\n{}\n",
            evidence.trim_end()
        ),
        _ => "The outcome is not verified yet.\n".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_with_run(run: &str) -> Request {
        let base = include_str!(
            "../../tests/fixtures/valid/requests/audit-skill-rubric-explanations.yaml"
        );
        let text = format!("{base}runs:\n{run}");
        let (request, found) = crate::request::parse(text.as_bytes(), "t.yaml");
        request.unwrap_or_else(|| panic!("{found:?}"))
    }

    #[test]
    fn the_message_quotes_the_lines_that_match_no_pattern() {
        let request = request_with_run(
            "  - on: 2026-11-28\n    server: backup\n    by: seanlip\n    result: success\n    \
             stdout: |\n      SKILL PROCESSED SUCCESS: 3\n      SKILL SKIPPED: ```odd```\n    \
             stderr: |\n      Traceback: boom\n",
        );
        let run = request.runs.last().unwrap();
        assert_eq!(
            output_summary(&request, run),
            "**The output does not match the expected patterns.**\n\n\
             These stdout lines match no success pattern:\n\n````\nSKILL SKIPPED: ```odd```\n````\n\n\
             The job printed on stderr:\n\n```\nTraceback: boom\n```\n"
        );
    }

    #[test]
    fn the_result_is_derived_only_when_the_output_says_it() {
        let request = request_with_run("  []\n");
        let ok = "SKILL PROCESSED SUCCESS: 3\n";
        let err = "SKILL PROCESSED ERROR: \"x\": 1\n";
        assert_eq!(derive_result(&request, ok, ""), Some(RunResult::Success));
        assert_eq!(derive_result(&request, ok, "\n"), Some(RunResult::Success));
        assert_eq!(derive_result(&request, ok, err), Some(RunResult::Failure));
        assert_eq!(derive_result(&request, "", err), Some(RunResult::Failure));
        assert_eq!(derive_result(&request, "odd\n", ""), None);
        assert_eq!(derive_result(&request, ok, "Traceback\n"), None);
        assert_eq!(derive_result(&request, "", ""), None);
    }
}
