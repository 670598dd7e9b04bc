//! The coordinator's run sheet for one weekend: the requests planned for it (essential and
//! at-risk first), each with its jobs, instructions, expected patterns and the `jobgate record`
//! line to paste after the run; overdue and unscheduled requests apart.

use chrono::NaiveDate;

use crate::calendar;
use crate::config::{Policy, SiteConfig};
use crate::request::Loaded;
use crate::status::{self, Fit, State};

/// One request on the sheet.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub loaded: &'a Loaded,
    pub state: State,
    pub at_risk: bool,
    pub next_action: String,
}

#[derive(Clone, Debug)]
pub struct Sheet<'a> {
    pub weekend: NaiveDate,
    pub weekend_end: NaiveDate,
    pub results_due: NaiveDate,
    pub planned: Vec<Entry<'a>>,
    /// Overdue or not yet scheduled: not planned, but waiting.
    pub apart: Vec<Entry<'a>>,
}

/// The weekend a run sheet is for by default: the current one on a run day, else the next.
pub fn this_weekend(policy: &Policy, today: NaiveDate) -> NaiveDate {
    if calendar::is_run_day(policy, today) {
        calendar::weekend_start_on_or_before(policy, today)
    } else {
        calendar::weekend_start_after(policy, today)
    }
}

pub fn build<'a>(
    requests: &'a [Loaded],
    config: &SiteConfig,
    today: NaiveDate,
    weekend: NaiveDate,
) -> Sheet<'a> {
    let mut planned = Vec::new();
    let mut apart = Vec::new();
    for loaded in requests {
        let status = status::derive(&loaded.request, config, today);
        let entry = Entry {
            loaded,
            state: status.state,
            at_risk: status.fit == Some(Fit::AtRisk),
            next_action: status.next_action.clone(),
        };
        match planned_weekend(loaded, status.state) {
            _ if matches!(status.state, State::Overdue | State::Submitted) => apart.push(entry),
            Some(w) if w == weekend => planned.push(entry),
            _ => {}
        }
    }
    let key = |e: &Entry| (!e.loaded.request.essential, !e.at_risk, e.loaded.id.clone());
    planned.sort_by_key(key);
    apart.sort_by_key(key);
    Sheet {
        weekend,
        weekend_end: calendar::weekend_end(&config.policy, weekend),
        results_due: calendar::results_due(&config.policy, weekend),
        planned,
        apart,
    }
}

/// Every weekend from four weeks before this weekend to eight after it that has a request
/// planned for it.
pub fn weekends_with_runs(
    requests: &[Loaded],
    config: &SiteConfig,
    today: NaiveDate,
) -> Vec<NaiveDate> {
    let current = this_weekend(&config.policy, today);
    let from = current - chrono::Days::new(28);
    let to = current + chrono::Days::new(56);
    let mut weekends: Vec<NaiveDate> = requests
        .iter()
        .filter_map(|l| planned_weekend(l, status::derive(&l.request, config, today).state))
        .filter(|w| *w >= from && *w <= to)
        .collect();
    weekends.sort();
    weekends.dedup();
    weekends
}

/// The weekend a request is planned for: its scheduled weekend, unless it is withdrawn,
/// overdue or not scheduled.
fn planned_weekend(loaded: &Loaded, state: State) -> Option<NaiveDate> {
    match state {
        State::Withdrawn | State::Overdue | State::Submitted => None,
        _ => loaded.request.scheduled.as_ref().map(|s| *s.weekend),
    }
}

/// The line to paste after running the request's jobs.
pub fn record_line(loaded: &Loaded) -> String {
    format!(
        "jobgate record {} --stdout stdout.txt --stderr stderr.txt",
        loaded.id
    )
}

fn tags(entry: &Entry) -> String {
    let mut tags = Vec::new();
    if entry.loaded.request.essential {
        tags.push("essential");
    }
    if entry.at_risk {
        tags.push("at risk");
    }
    tags.push(entry.state.label());
    tags.join(", ")
}

pub fn text(sheet: &Sheet) -> String {
    let mut out = format!(
        "Run sheet for the weekend of {} to {} (results due {})\n",
        sheet.weekend, sheet.weekend_end, sheet.results_due
    );
    if sheet.planned.is_empty() {
        out.push_str("\nNo runs are planned for this weekend.\n");
    }
    for (n, entry) in sheet.planned.iter().enumerate() {
        let r = &entry.loaded.request;
        out.push_str(&format!(
            "\n{}. {} — {} [{}]\n",
            n + 1,
            entry.loaded.id,
            *r.title,
            tags(entry)
        ));
        out.push_str("   Jobs, in order:\n");
        for (i, job) in r.jobs.iter().enumerate() {
            out.push_str(&format!("     {}. {}\n", i + 1, job.as_str()));
        }
        for (label, text) in instructions(entry.loaded) {
            out.push_str(&format!("   {label}:\n"));
            for line in text.trim_end().lines() {
                out.push_str(&format!("     {line}\n").replace("     \n", "\n"));
            }
        }
        out.push_str("   Expected on success (stdout):\n");
        for p in r.output.success.expected.iter() {
            out.push_str(&format!("     {}\n", p.as_str()));
        }
        out.push_str("   Expected on failure (stderr):\n");
        for p in r.output.failure.expected.iter() {
            out.push_str(&format!("     {}\n", p.as_str()));
        }
        out.push_str(&format!(
            "   After the run:\n     {}\n",
            record_line(entry.loaded)
        ));
    }
    if !sheet.apart.is_empty() {
        out.push_str("\nNot planned: overdue or not yet scheduled\n");
        for entry in &sheet.apart {
            out.push_str(&format!(
                "  - {} — {} [{}]: {}\n",
                entry.loaded.id,
                *entry.loaded.request.title,
                tags(entry),
                entry.next_action
            ));
        }
    }
    out
}

pub fn markdown(sheet: &Sheet) -> String {
    let mut out = format!(
        "# Run sheet: weekend of {} to {}\n\nResults are due by {}.\n",
        sheet.weekend, sheet.weekend_end, sheet.results_due
    );
    if sheet.planned.is_empty() {
        out.push_str("\nNo runs are planned for this weekend.\n");
    }
    for (n, entry) in sheet.planned.iter().enumerate() {
        let r = &entry.loaded.request;
        out.push_str(&format!(
            "\n## {}. {} (`{}`)\n\n*{}*\n\n**Jobs, in order:**\n\n",
            n + 1,
            escape_inline(&r.title),
            entry.loaded.id,
            tags(entry)
        ));
        for (i, job) in r.jobs.iter().enumerate() {
            out.push_str(&format!("{}. `{}`\n", i + 1, job.as_str()));
        }
        for (label, text) in instructions(entry.loaded) {
            out.push_str(&format!("\n### {label}\n\n{}\n", text.trim_end()));
        }
        out.push_str("\n### Expected output\n\nOn success (stdout):\n\n");
        out.push_str(&fenced(
            r.output.success.expected.iter().map(|p| p.as_str()),
        ));
        out.push_str("\nOn failure (stderr):\n\n");
        out.push_str(&fenced(
            r.output.failure.expected.iter().map(|p| p.as_str()),
        ));
        out.push_str("\n### After the run\n\n");
        out.push_str(&fenced([record_line(entry.loaded).as_str()]));
    }
    if !sheet.apart.is_empty() {
        out.push_str("\n## Not planned: overdue or not yet scheduled\n\n");
        for entry in &sheet.apart {
            out.push_str(&format!(
                "- `{}` {} (*{}*): {}\n",
                entry.loaded.id,
                escape_inline(&entry.loaded.request.title),
                tags(entry),
                entry.next_action
            ));
        }
    }
    out
}

/// The four instructions, labelled, in the order a run needs them.
pub fn instructions(loaded: &Loaded) -> [(&'static str, &str); 4] {
    let i = &loaded.request.instructions;
    [
        ("How to verify", i.verify.as_str()),
        ("What to do with the output", i.on_output.as_str()),
        ("If the run fails midway", i.recover.as_str()),
        ("How to debug a failed run", i.debug.as_str()),
    ]
}

fn fenced<'l>(lines: impl IntoIterator<Item = &'l str>) -> String {
    let lines: Vec<&str> = lines.into_iter().collect();
    let ticks = lines
        .iter()
        .map(|l| l.split(|c| c != '`').map(str::len).max().unwrap_or(0))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((ticks + 1).max(3));
    format!("{fence}\n{}\n{fence}\n", lines.join("\n"))
}

/// A title as inline markdown text: markup characters are escaped.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
