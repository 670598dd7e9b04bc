//! `jobgate check --format markdown`: the report a pull request shows, as its sticky comment
//! and its job summary: every finding with its help, and each request's derived state, run
//! weekend, results due, release fit and next action.
//!
//! The text is deterministic. What comes from request files is escaped for GitHub
//! ([`markdown_escaped`]), and the report is capped below GitHub's comment limit.

use chrono::NaiveDate;

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::status;
use crate::text::{markdown_escaped, markdown_inline};

use super::load::Site;
use super::routes::Route;

/// The longest report, in bytes: GitHub refuses comments over 65,536 characters.
pub const MAX_REPORT_BYTES: usize = 60_000;
/// The guide page that explains a request's fields, linked when there are errors.
pub const GUIDE_PAGE: &str = "requesting-a-test";
/// The longest message or help line kept, in characters.
const MAX_LINE_CHARS: usize = 1_000;

/// The report of `found` for the requests in `files` (all of them when `None`).
pub fn markdown(
    site: &Site,
    found: &[Diagnostic],
    files: Option<&[String]>,
    today: NaiveDate,
) -> String {
    let errors = diagnostics::count(found, Severity::Error);
    let warnings = diagnostics::count(found, Severity::Warning);
    let mut out = String::from("## jobgate check\n\n");
    let count = |n: usize, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    if found.is_empty() {
        out.push_str("No problems found.\n");
    } else {
        out.push_str(&format!(
            "**{}, {}.** Each is also annotated on its line under *Files changed*.",
            count(errors, "error"),
            count(warnings, "warning")
        ));
        if let Some(config) = site.config.as_ref().filter(|_| errors > 0) {
            out.push_str(&format!(
                " [Requesting a test]({base}{}) explains every field, and the [request \
                 form]({base}{}#check) checks the file as you fix it.",
                Route::Guide(GUIDE_PAGE).path(),
                Route::RequestForm.path(),
                base = config.base_url,
            ));
        }
        out.push_str("\n\n");
    }
    let findings = findings(found);
    let table = requests(site, found, files, today);
    let room = MAX_REPORT_BYTES.saturating_sub(out.len() + table.len() + 200);
    let mut shown = 0;
    let mut body = String::new();
    for (file, lines) in &findings {
        let heading = format!("### `{}`\n\n", markdown_inline(file));
        if body.len() + heading.len() > room {
            break;
        }
        body.push_str(&heading);
        for line in lines {
            if body.len() + line.len() > room {
                break;
            }
            body.push_str(line);
            shown += 1;
        }
        body.push('\n');
    }
    out.push_str(&body);
    if shown < found.len() {
        out.push_str(&format!(
            "… and {} more, not shown here: see the annotations or run `jobgate check`.\n\n",
            found.len() - shown
        ));
    }
    out.push_str(&table);
    out
}

/// Each file's findings as list items, in order.
fn findings(found: &[Diagnostic]) -> Vec<(String, Vec<String>)> {
    let mut by_file: Vec<(String, Vec<String>)> = Vec::new();
    for d in found {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut line = format!(
            "- **{severity} {}** at line {}, column {}: {}\n",
            d.code.as_str(),
            d.span.line,
            d.span.column,
            markdown_escaped(&d.message, MAX_LINE_CHARS)
        );
        if let Some(help) = &d.help {
            line.push_str(&format!(
                "  help: {}\n",
                markdown_escaped(help, MAX_LINE_CHARS)
            ));
        }
        match by_file.last_mut() {
            Some((file, lines)) if *file == d.file => lines.push(line),
            _ => by_file.push((d.file.clone(), vec![line])),
        }
    }
    by_file
}

/// The table of the requests in `files`: each one's state and what happens next.
fn requests(
    site: &Site,
    found: &[Diagnostic],
    files: Option<&[String]>,
    today: NaiveDate,
) -> String {
    let Some(config) = &site.config else {
        return String::new();
    };
    let wanted = |file: &str| {
        files.is_none_or(|f| {
            f.iter()
                .any(|w| file == w || file.starts_with(&format!("{w}/")))
        })
    };
    let successors = crate::request::successors(&site.requests);
    let mut rows = Vec::new();
    for l in site.requests.iter().filter(|l| wanted(&l.file)) {
        let link = format!(
            "[{}]({}{})",
            markdown_inline(&l.id),
            config.base_url,
            Route::Job(&l.id).path()
        );
        let has_errors = found
            .iter()
            .any(|d| d.file == l.file && d.severity == Severity::Error);
        if has_errors {
            rows.push(format!(
                "| {link} | has errors | | | | fix the errors above |\n"
            ));
            continue;
        }
        let s = status::derive_replaced(
            &l.request,
            config,
            today,
            successors.get(l.id.as_str()).copied(),
        );
        rows.push(format!(
            "| {link} | {} | {} | {} | {} | {} |\n",
            s.state.label(),
            s.run_weekend,
            s.results_due,
            s.fit.map_or("—", status::Fit::label),
            markdown_inline(&s.next_action)
        ));
    }
    // Request files that did not parse have no state to show.
    let parsed: Vec<&str> = site.requests.iter().map(|l| l.file.as_str()).collect();
    let mut broken: Vec<&str> = found
        .iter()
        .map(|d| d.file.as_str())
        .filter(|f| f.starts_with("requests/") && !parsed.contains(f) && wanted(f))
        .collect();
    broken.dedup();
    for file in broken {
        rows.push(format!(
            "| `{}` | does not parse | | | | fix the errors above |\n",
            markdown_inline(file)
        ));
    }
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "### Requests\n\n| Request | State | Run weekend | Results due | Release fit | Next action |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    rows.iter().for_each(|r| out.push_str(r));
    out
}
