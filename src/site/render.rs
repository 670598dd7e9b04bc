//! Turning the loaded site into pages with the theme's templates.
//!
//! Templates are compiled once; pages are rendered in parallel and written straight into the
//! output folder, and each page's template data is made only when that page is rendered.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context as _, anyhow};
use chrono::NaiveDate;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, State, UndefinedBehavior, context};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::request::verdict::Outcome;
use crate::request::{Loaded, Request, RunResult, pattern};
use crate::status::{self, Status};
use crate::theme::Theme;

use super::guide::GuidePage;
use super::output::Tree;
use crate::markdown;

/// Like minijinja's `context!`, but any `Serialize` value may be given.
#[macro_export]
macro_rules! ctx {
    ($($key:ident => $value:expr),* $(,)?) => {
        minijinja::context! { $($key => minijinja::Value::from(minijinja::value::Serde(&$value))),* }
    };
}

/// One request with everything derived from it, as templates see it.
#[derive(Debug, Serialize)]
pub struct JobView<'a> {
    pub id: &'a str,
    pub file: &'a str,
    pub r: &'a Request,
    pub status: Arc<Status>,
    pub state_label: &'static str,
    pub fit_label: Option<&'static str>,
    pub edit_url: String,
    pub source_url: String,
}

/// A run with its output lines checked against the expected patterns.
#[derive(Debug, Serialize)]
pub struct RunView {
    pub number: usize,
    /// `matches`, `errors-as-designed`, `did-not-finish` or `mismatch`.
    pub verdict: &'static str,
    /// Where the output departs from the patterns, for `mismatch`.
    pub mismatch: Option<String>,
    pub passing: bool,
    pub stdout: Vec<Line>,
    pub stderr: Vec<Line>,
}

#[derive(Debug, Serialize)]
pub struct Line {
    pub text: String,
    /// `ok` (matches a pattern it is judged by), `bad` (departs from what was expected) or
    /// `plain` (not judged: stdout of a run that failed, any line of one that did not finish).
    pub mark: &'static str,
}

/// The non-empty lines of `text`, each marked by `mark`.
fn lines(text: &str, mark: impl Fn(&str) -> &'static str) -> Vec<Line> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Line {
            text: l.to_owned(),
            mark: mark(l),
        })
        .collect()
}

/// A mark for lines judged against `patterns`.
fn judged<'p>(patterns: &'p [impl AsRef<str>]) -> impl Fn(&str) -> &'static str + 'p {
    let compiled: Vec<pattern::Pattern> = patterns
        .iter()
        .map(|p| pattern::Pattern::new(p.as_ref()))
        .collect();
    move |line| {
        if compiled.iter().any(|p| p.matches(line)) {
            "ok"
        } else {
            "bad"
        }
    }
}

/// Each run of `r`, with its output lines marked the way its verdict was reached: a line is
/// never shown as fine next to a verdict that says it is not.
pub fn run_views(r: &Request) -> Vec<RunView> {
    let (success, failure) = (&r.output.success.expected, &r.output.failure.expected);
    r.runs
        .iter()
        .enumerate()
        .map(|(i, run)| {
            let (verdict, mismatch, stdout, stderr) = match *run.result {
                RunResult::Success => {
                    let (verdict, mismatch) = match run.outcome(&r.output) {
                        Outcome::Mismatch(m) => ("mismatch", Some(m.describe())),
                        _ => ("matches", None),
                    };
                    let stdout = lines(&run.stdout, judged(success));
                    (verdict, mismatch, stdout, lines(&run.stderr, |_| "bad"))
                }
                RunResult::Failure => {
                    let stderr = lines(&run.stderr, judged(failure));
                    let (verdict, mismatch) = match stderr.iter().find(|l| l.mark == "bad") {
                        _ if stderr.is_empty() => {
                            ("mismatch", Some("no stderr is recorded".into()))
                        }
                        Some(line) => (
                            "mismatch",
                            Some(format!(
                                "stderr line `{}` matches no expected failure pattern",
                                line.text.trim()
                            )),
                        ),
                        None => ("errors-as-designed", None),
                    };
                    (verdict, mismatch, lines(&run.stdout, |_| "plain"), stderr)
                }
                RunResult::Error => (
                    "did-not-finish",
                    None,
                    lines(&run.stdout, |_| "plain"),
                    lines(&run.stderr, |_| "plain"),
                ),
            };
            RunView {
                number: i + 1,
                verdict,
                mismatch,
                passing: run.is_passing_backup(&r.output),
                stdout,
                stderr,
            }
        })
        .collect()
}

/// A request with its derived `status` (see [`status::derive`]).
pub fn job_view<'a>(loaded: &'a Loaded, config: &SiteConfig, status: Arc<Status>) -> JobView<'a> {
    let r = &loaded.request;
    JobView {
        id: &loaded.id,
        file: &loaded.file,
        r,
        state_label: status.state.label(),
        fit_label: status.fit.map(status::Fit::label),
        status,
        edit_url: super::routes::edit_url(&config.site_repository, &loaded.file),
        source_url: super::routes::source_url(&config.site_repository, &loaded.file),
    }
}

/// The template environment of one build.
pub struct Renderer {
    env: Environment<'static>,
    /// The site's address, which the 404 page's links start from.
    base_url: String,
}

impl Renderer {
    pub fn new(
        theme: &Theme,
        config: &SiteConfig,
        base_url: &str,
        today: NaiveDate,
    ) -> anyhow::Result<Renderer> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_auto_escape_callback(|name| {
            if [".html", ".xml", ".svg"]
                .iter()
                .any(|ext| name.ends_with(ext))
            {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        // Our own HTML escaping: the same five characters, but `/` is left alone so that
        // URLs stay readable in the page source. XML (the feed, badges) cannot hold most
        // control characters even as references, so there they become U+FFFD.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), AutoEscape::Html)
                && !value.is_safe()
                && let Some(text) = value.as_str()
            {
                let mut escaped = markdown::escape_attr(text);
                if [".xml", ".svg"]
                    .iter()
                    .any(|ext| state.name().ends_with(ext))
                {
                    escaped = escaped.replace(|c| !is_xml_char(c), "\u{fffd}");
                }
                return out.write_str(&escaped).map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        for (name, source) in &theme.templates {
            env.add_template_owned(name.clone(), source.clone())
                .map_err(|e| anyhow!("{e:#}"))
                .with_context(|| format!("compiling template {name}"))?;
        }
        env.add_filter("markdown", |text: &str| {
            Value::from_safe_string(markdown::render_nested(text))
        });
        env.add_filter("date", format_date);
        env.add_filter("short_date", short_date);
        env.add_function("link", link);
        env.add_global(
            "site",
            to_value(&context! {
                title => &config.title,
                base_url => base_url,
                contact => &config.contact,
                repository => &config.repository,
                site_repository => &config.site_repository,
                admins => &config.admins,
                coordinators => &config.coordinators,
            }),
        );
        env.add_global("today", today.format("%Y-%m-%d").to_string());
        Ok(Renderer {
            env,
            base_url: base_url.to_owned(),
        })
    }

    /// Renders `template` for the page at `path` (e.g. `jobs/x/`), with `ctx` added.
    pub fn render(&self, template: &str, path: &str, ctx: Value) -> anyhow::Result<String> {
        // The 404 page is shown at whatever path was asked for, so its links are absolute.
        let root = if path == super::routes::NOT_FOUND {
            self.base_url.clone()
        } else {
            "../".repeat(path.matches('/').count())
        };
        let template_ref = self
            .env
            .get_template(template)
            .map_err(|e| anyhow!("{e:#}"))?;
        template_ref
            .render(context! { root => root, path => path, ..ctx })
            .map_err(|e| anyhow!("{e:#}"))
            .with_context(|| format!("rendering {template} for /{path}"))
    }
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Any serialisable value, as templates see it.
pub fn to_value<T: Serialize>(value: &T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// `link("jobs/")` → a relative link from the current page that also works from disk.
fn link(state: &State, target: &str) -> Value {
    let root = state
        .lookup("root")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (target, String::new()),
    };
    Value::from_safe_string(markdown::escape_attr(&format!(
        "{root}{}{fragment}",
        file_of(path)
    )))
}

fn parse_iso(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// "28 Nov 2026".
fn format_date(value: &str) -> String {
    parse_iso(value).map_or_else(|| value.to_owned(), |d| d.format("%-d %b %Y").to_string())
}

/// "Sat 28 Nov".
fn short_date(value: &str) -> String {
    parse_iso(value).map_or_else(|| value.to_owned(), |d| d.format("%a %-d %b").to_string())
}

/// A page to write: its URL path (a folder ending in `/`, or a file), its template, and how
/// to make its context. The context is made only when the page is rendered, so the data of
/// all pages is never held as template values at once.
pub struct Page<'a> {
    pub path: String,
    pub template: &'static str,
    ctx: Box<dyn Fn() -> anyhow::Result<Value> + Send + Sync + 'a>,
}

impl<'a> Page<'a> {
    pub fn new(
        path: impl Into<String>,
        template: &'static str,
        ctx: impl Fn() -> Value + Send + Sync + 'a,
    ) -> Page<'a> {
        Page::fallible(path, template, move || Ok(ctx()))
    }

    /// A page whose context can fail to be made (it renders parts of itself first).
    pub fn fallible(
        path: impl Into<String>,
        template: &'static str,
        ctx: impl Fn() -> anyhow::Result<Value> + Send + Sync + 'a,
    ) -> Page<'a> {
        Page {
            path: path.into(),
            template,
            ctx: Box::new(ctx),
        }
    }

    /// The file the page is written to.
    pub fn file(&self) -> String {
        file_of(&self.path)
    }

    pub fn render(&self, renderer: &Renderer) -> anyhow::Result<String> {
        renderer.render(self.template, &self.path, (self.ctx)()?)
    }
}

use super::routes::file_of;

/// Renders and writes `pages` in parallel.
pub fn write_pages(renderer: &Renderer, pages: &[Page], out: &Tree) -> anyhow::Result<()> {
    pages
        .par_iter()
        .try_for_each(|page| out.write(&page.file(), page.render(renderer)?.as_bytes()))
}

/// The guide's navigation, shared by every page.
pub fn guide_nav(pages: &[GuidePage]) -> Value {
    let nav: Vec<BTreeMap<&str, &str>> = pages
        .iter()
        .map(|p| {
            BTreeMap::from([
                ("slug", p.slug.as_str()),
                ("title", p.title.as_str()),
                ("description", p.description.as_str()),
            ])
        })
        .collect();
    to_value(&nav)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_map_to_index_files() {
        assert_eq!(file_of(""), "index.html");
        assert_eq!(file_of("jobs/a/"), "jobs/a/index.html");
        assert_eq!(file_of("404.html"), "404.html");
    }

    #[test]
    fn dates_read_well() {
        assert_eq!(format_date("2026-11-28"), "28 Nov 2026");
        assert_eq!(short_date("2026-11-28"), "Sat 28 Nov");
        assert_eq!(format_date("soon"), "soon");
    }
}
