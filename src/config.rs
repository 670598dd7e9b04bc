//! `content/site.yaml`: the site's settings and the process policy every date derives from.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Weekday};

use crate::diagnostics::{Code, Diagnostic};
use crate::month::Month;
use crate::yaml::{self, At, FromNode, Node, Reader, Value};

/// Where the settings live, relative to the site root.
pub const SITE_FILE: &str = "content/site.yaml";

#[derive(Clone, Debug, PartialEq)]
pub struct SiteConfig {
    pub title: String,
    /// Absolute, ending in `/`.
    pub base_url: String,
    /// `owner/name` of the code repository whose pull requests hold the jobs.
    pub repository: String,
    /// `owner/name` of this site's repository, for "edit this page" links.
    pub site_repository: String,
    pub contact: String,
    pub admins: Vec<String>,
    pub coordinators: Vec<String>,
    pub policy: Policy,
    pub releases: BTreeMap<Month, ReleaseSettings>,
    /// The text of `site.yaml` these settings were read from, which the request form's checker
    /// reads again in the browser.
    pub source: String,
}

/// The rules of the process that dates are computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub cutoff: CutoffRule,
    /// Days on which backup-server runs happen; the first of them in a week starts a weekend.
    pub run_days: Vec<Weekday>,
    pub response_hours: u32,
    pub results_hours: u32,
    pub recommended_lead_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            cutoff: CutoffRule {
                nth: Nth::First,
                weekday: Weekday::Sat,
            },
            run_days: vec![Weekday::Sat, Weekday::Sun],
            response_hours: 48,
            results_hours: 24,
            recommended_lead_days: 14,
        }
    }
}

/// Which day of the release month is the cut: `<first|second|third|fourth|last> <weekday>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CutoffRule {
    pub nth: Nth,
    pub weekday: Weekday,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nth {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

impl CutoffRule {
    pub fn parse(text: &str) -> Option<CutoffRule> {
        let mut words = text.split_whitespace();
        let nth = match words.next()?.to_ascii_lowercase().as_str() {
            "first" => Nth::First,
            "second" => Nth::Second,
            "third" => Nth::Third,
            "fourth" => Nth::Fourth,
            "last" => Nth::Last,
            _ => return None,
        };
        let weekday = parse_weekday(words.next()?)?;
        words
            .next()
            .is_none()
            .then_some(CutoffRule { nth, weekday })
    }
}

/// A full English weekday name, any case.
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let day = match text.to_ascii_lowercase().as_str() {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

/// Per-release name and cutoff override.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReleaseSettings {
    pub name: Option<String>,
    pub cutoff: Option<NaiveDate>,
}

impl SiteConfig {
    /// Whether `handle` may schedule and record runs.
    pub fn is_coordinator(&self, handle: &str) -> bool {
        self.is_admin(handle) || contains_handle(&self.coordinators, handle)
    }

    pub fn is_admin(&self, handle: &str) -> bool {
        contains_handle(&self.admins, handle)
    }
}

fn contains_handle(list: &[String], handle: &str) -> bool {
    list.iter().any(|h| h.eq_ignore_ascii_case(handle))
}

/// Parses the settings file, reporting every problem in it.
pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
    let node = yaml::parse(text, SITE_FILE).map_err(|d| vec![d])?;
    let mut reader = Reader::new(SITE_FILE);
    let config = read_config(&node, &mut reader);
    match config {
        Some(config) if reader.diagnostics.is_empty() => Ok(SiteConfig {
            source: text.to_owned(),
            ..config
        }),
        _ => Err(reader.diagnostics),
    }
}

fn read_config(node: &Node, r: &mut Reader) -> Option<SiteConfig> {
    let mut f = r.fields(node, "site")?;
    let title = f.required::<String>(r, "title");
    let base_url = f.required::<At<String>>(r, "base_url");
    let repository = f.required::<At<String>>(r, "repository");
    let site_repository = f.optional::<At<String>>(r, "site_repository");
    let contact = f.required::<String>(r, "contact");
    let admins: Vec<String> = f.list(r, "admins");
    let coordinators: Vec<String> = f.list(r, "coordinators");
    let policy = f.optional::<Policy>(r, "policy");
    let releases = f.optional::<Releases>(r, "releases");
    f.finish(
        r,
        &[
            "title",
            "base_url",
            "repository",
            "site_repository",
            "contact",
            "admins",
            "coordinators",
            "policy",
            "releases",
        ],
    );
    if let Some(url) = &base_url
        && !((url.starts_with("https://") || url.starts_with("http://")) && url.ends_with('/'))
    {
        r.report(
            Code::BadConfig,
            url.span,
            "`base_url` must be an absolute http(s) URL ending in `/`",
        );
    }
    for repo in [&repository, &site_repository].into_iter().flatten() {
        if !is_repo_slug(repo) {
            r.report(Code::BadConfig, repo.span, "expected `owner/name`");
        }
    }
    let repository = repository?.value;
    Some(SiteConfig {
        title: title?,
        base_url: base_url?.value,
        site_repository: site_repository.map_or_else(|| repository.clone(), |s| s.value),
        repository,
        contact: contact?,
        admins,
        coordinators,
        policy: policy.unwrap_or_default(),
        releases: releases.map(|r| r.0).unwrap_or_default(),
        source: String::new(),
    })
}

fn is_repo_slug(text: &str) -> bool {
    let ok = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    text.split_once('/').is_some_and(|(o, n)| ok(o) && ok(n))
}

impl FromNode for Policy {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let mut f = r.fields(node, "policy")?;
        let defaults = Policy::default();
        let cutoff = f.optional::<At<String>>(r, "cutoff");
        let run_days = f.optional::<Vec<At<String>>>(r, "run_days");
        let response_hours = f.optional(r, "response_hours");
        let results_hours = f.optional(r, "results_hours");
        let recommended_lead_days = f.optional(r, "recommended_lead_days");
        f.finish(
            r,
            &[
                "cutoff",
                "run_days",
                "response_hours",
                "results_hours",
                "recommended_lead_days",
            ],
        );
        let cutoff = match cutoff {
            None => Some(defaults.cutoff),
            Some(text) => {
                let rule = CutoffRule::parse(&text);
                if rule.is_none() {
                    r.report_with_help(
                        Code::BadConfig,
                        text.span,
                        format!("`{}` is not a cutoff rule", text.value),
                        "write `<first|second|third|fourth|last> <weekday>`, e.g. `first saturday`",
                    );
                }
                rule
            }
        };
        let run_days = match run_days {
            None => defaults.run_days,
            Some(days) => {
                let mut parsed = Vec::new();
                for day in &days {
                    match parse_weekday(day) {
                        Some(d) if !parsed.contains(&d) => parsed.push(d),
                        Some(_) => {}
                        None => r.report(
                            Code::BadConfig,
                            day.span,
                            format!("`{}` is not a weekday name", day.value),
                        ),
                    }
                }
                if parsed.is_empty() {
                    r.report(
                        Code::BadConfig,
                        node.span,
                        "`run_days` needs at least one day",
                    );
                    return None;
                }
                parsed
            }
        };
        Some(Policy {
            cutoff: cutoff?,
            run_days,
            response_hours: response_hours.unwrap_or(defaults.response_hours),
            results_hours: results_hours.unwrap_or(defaults.results_hours),
            recommended_lead_days: recommended_lead_days.unwrap_or(defaults.recommended_lead_days),
        })
    }
}

struct Releases(BTreeMap<Month, ReleaseSettings>);

impl FromNode for Releases {
    fn from_node(node: &Node, r: &mut Reader) -> Option<Self> {
        let Value::Map(entries) = &node.value else {
            r.report(
                Code::WrongType,
                node.span,
                "expected a map of `YYYY-MM: {name, cutoff}`",
            );
            return None;
        };
        let mut out = BTreeMap::new();
        for (key, value) in entries {
            let Some(month) = Month::parse(&key.name) else {
                r.report(
                    Code::BadConfig,
                    key.span,
                    format!("`{}` is not a release month (YYYY-MM)", key.name),
                );
                continue;
            };
            let Some(mut f) = r.fields(value, "release") else {
                continue;
            };
            let name = f.optional(r, "name");
            let cutoff = f.optional(r, "cutoff");
            f.finish(r, &["name", "cutoff"]);
            out.insert(month, ReleaseSettings { name, cutoff });
        }
        Some(Releases(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: T\nbase_url: https://x.org/\nrepository: o/r\ncontact: a@b.org\n";

    #[test]
    fn defaults_fill_the_policy() {
        let config = parse(MINIMAL).unwrap();
        assert_eq!(config.policy, Policy::default());
        assert_eq!(config.site_repository, "o/r");
    }

    #[test]
    fn every_problem_is_reported() {
        let text = format!(
            "{MINIMAL}policy:\n  cutoff: fifth friday\n  run_days: [saturday, caturday]\nreleases:\n  \"2026-13\": {{}}\nextra: 1\n"
        );
        let diags = parse(&text).unwrap_err();
        let lines: Vec<_> = diags.iter().map(|d| (d.code, d.span.line)).collect();
        assert!(lines.contains(&(Code::BadConfig, 6)), "{lines:?}");
        assert!(lines.contains(&(Code::BadConfig, 7)), "{lines:?}");
        assert!(lines.contains(&(Code::BadConfig, 9)), "{lines:?}");
        assert!(lines.contains(&(Code::UnknownField, 10)), "{lines:?}");
    }

    #[test]
    fn cutoff_rules_parse() {
        let rule = CutoffRule::parse("Last Wednesday").unwrap();
        assert_eq!((rule.nth, rule.weekday), (Nth::Last, Weekday::Wed));
        assert!(CutoffRule::parse("first").is_none());
        assert!(CutoffRule::parse("first saturday please").is_none());
    }
}
