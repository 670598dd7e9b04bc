//! Turnaround figures: per month of submission, how fast requests were acknowledged, run and
//! approved against the policy's promises; per release, how many made it, missed or blocked it.
//!
//! Pure functions of the requests, their derived statuses, the settings and the day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{self, ReleaseDates};
use crate::config::SiteConfig;
use crate::month::Month;
use crate::request::{Loaded, Request, Server};
use crate::status::{Fit, Status};

/// `/api/stats.json` and `jobgate stats --format json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stats {
    /// The policy's promises the figures are measured against.
    pub response_hours: u32,
    pub results_hours: u32,
    /// Each month from the month of the first submission to today's, oldest first.
    pub months: Vec<MonthStats>,
    /// Each release the site shows, oldest first.
    pub releases: Vec<ReleaseStats>,
}

/// The requests submitted in one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthStats {
    pub month: Month,
    pub submitted: usize,
    /// Those with `scheduled` set.
    pub acknowledged: usize,
    /// Those acknowledged within `response_hours` of the day of submission: whole days
    /// between `submitted` and `scheduled.on`, times 24, at most `response_hours`.
    pub acknowledged_within_response_hours: usize,
    pub median_days_to_acknowledge: Option<i64>,
    /// Those with a run on the backup server.
    pub with_backup_run: usize,
    pub median_days_to_first_backup_run: Option<i64>,
    /// Those whose first backup run is dated on or before the results-due day of its planned
    /// weekend (`scheduled.weekend`, else the first weekend after submission).
    pub results_within_results_hours: usize,
    /// Those with `approval` set.
    pub approved: usize,
    pub median_days_to_approval: Option<i64>,
    pub withdrawn: usize,
}

/// The requests targeting one release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReleaseStats {
    pub release: Month,
    /// Every request targeting it, replaced and withdrawn ones included.
    pub requests: usize,
    /// In the release (approved, passing backup run before the cutoff).
    #[serde(rename = "in")]
    pub made_it: usize,
    /// The cutoff has come and it is not in (blockers included); replaced ones are not counted.
    pub missed: usize,
    /// Essential requests that missed it.
    pub blockers: usize,
    pub withdrawn: usize,
    /// Replaced by a resubmission (which is counted itself).
    pub replaced: usize,
}

/// The median of whole days, the lower of the two middle values for an even count; `None`
/// for no values.
pub fn median(mut days: Vec<i64>) -> Option<i64> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    Some(days[(days.len() - 1) / 2])
}

/// Days from the request's submission to `day`.
fn since_submitted(r: &Request, day: NaiveDate) -> i64 {
    (day - *r.submitted).num_days()
}

/// The day of the first run on the backup server.
pub fn first_backup_run(r: &Request) -> Option<NaiveDate> {
    r.runs
        .iter()
        .filter(|run| *run.server == Server::Backup)
        .map(|run| *run.on)
        .min()
}

/// The figures of `requests` (each with its derived status, in the same order) on `today`,
/// for the releases in `releases`.
pub fn compute(
    requests: &[Loaded],
    statuses: &[&Status],
    config: &SiteConfig,
    releases: &[ReleaseDates],
    today: NaiveDate,
) -> Stats {
    let policy = &config.policy;
    let mut by_month: BTreeMap<Month, Vec<&Request>> = BTreeMap::new();
    for loaded in requests {
        by_month
            .entry(Month::of(*loaded.request.submitted))
            .or_default()
            .push(&loaded.request);
    }
    let mut months = Vec::new();
    if let Some(&first) = by_month.keys().next() {
        let last = Month::of(today).max(*by_month.keys().next_back().unwrap_or(&first));
        let mut month = first;
        while month <= last {
            let members = by_month
                .get(&month)
                .map_or(&[] as &[&Request], Vec::as_slice);
            months.push(month_stats(month, members, config));
            month = month.shift(1);
        }
    }
    let releases = releases
        .iter()
        .map(|dates| {
            let mut s = ReleaseStats {
                release: dates.release,
                requests: 0,
                made_it: 0,
                missed: 0,
                blockers: 0,
                withdrawn: 0,
                replaced: 0,
            };
            for (loaded, status) in requests.iter().zip(statuses) {
                if *loaded.request.target_release != dates.release {
                    continue;
                }
                s.requests += 1;
                if status.replaced_by.is_some() {
                    s.replaced += 1;
                    continue;
                }
                match status.fit {
                    None => s.withdrawn += 1,
                    Some(Fit::In) => s.made_it += 1,
                    Some(Fit::Missed) => s.missed += 1,
                    Some(_) => {}
                }
                s.blockers += usize::from(status.blocker);
            }
            s
        })
        .collect();
    Stats {
        response_hours: policy.response_hours,
        results_hours: policy.results_hours,
        months,
        releases,
    }
}

fn month_stats(month: Month, members: &[&Request], config: &SiteConfig) -> MonthStats {
    let policy = &config.policy;
    let ack: Vec<i64> = members
        .iter()
        .filter_map(|r| Some(since_submitted(r, *r.scheduled.as_ref()?.on)))
        .collect();
    let first_runs: Vec<(&Request, NaiveDate)> = members
        .iter()
        .filter_map(|r| Some((*r, first_backup_run(r)?)))
        .collect();
    let on_time = first_runs
        .iter()
        .filter(|(r, first)| {
            let planned = match &r.scheduled {
                Some(s) => *s.weekend,
                None => calendar::weekend_start_after(policy, *r.submitted),
            };
            *first <= calendar::results_due(policy, planned)
        })
        .count();
    let approval: Vec<i64> = members
        .iter()
        .filter_map(|r| Some(since_submitted(r, *r.approval.as_ref()?.on)))
        .collect();
    MonthStats {
        month,
        submitted: members.len(),
        acknowledged: ack.len(),
        acknowledged_within_response_hours: ack
            .iter()
            .filter(|&&d| d.saturating_mul(24) <= i64::from(policy.response_hours))
            .count(),
        median_days_to_acknowledge: median(ack),
        with_backup_run: first_runs.len(),
        median_days_to_first_backup_run: median(
            first_runs
                .iter()
                .map(|(r, first)| since_submitted(r, *first))
                .collect(),
        ),
        results_within_results_hours: on_time,
        approved: approval.len(),
        median_days_to_approval: median(approval),
        withdrawn: members.iter().filter(|r| r.withdrawn.is_some()).count(),
    }
}

/// The figures as plain text tables, for `jobgate stats`.
pub fn text(stats: &Stats) -> String {
    let dash = |d: Option<i64>| d.map_or("-".to_owned(), |d| d.to_string());
    let mut out = format!(
        "Per month of submission (answer promised within {} hours, results within {} hours)\n",
        stats.response_hours, stats.results_hours
    );
    let headers = [
        "MONTH",
        "SUBMITTED",
        "ACKED",
        "ON TIME",
        "MEDIAN",
        "RUN",
        "MEDIAN",
        "RESULTS ON TIME",
        "APPROVED",
        "MEDIAN",
        "WITHDRAWN",
    ];
    let rows: Vec<Vec<String>> = stats
        .months
        .iter()
        .map(|m| {
            vec![
                m.month.to_string(),
                m.submitted.to_string(),
                m.acknowledged.to_string(),
                m.acknowledged_within_response_hours.to_string(),
                dash(m.median_days_to_acknowledge),
                m.with_backup_run.to_string(),
                dash(m.median_days_to_first_backup_run),
                m.results_within_results_hours.to_string(),
                m.approved.to_string(),
                dash(m.median_days_to_approval),
                m.withdrawn.to_string(),
            ]
        })
        .collect();
    out.push_str(&crate::text::table(&headers, &rows));
    out.push_str("Medians are whole days from submission.\n\nPer release\n");
    let headers = [
        "RELEASE",
        "REQUESTS",
        "IN",
        "MISSED",
        "BLOCKERS",
        "WITHDRAWN",
        "REPLACED",
    ];
    let rows: Vec<Vec<String>> = stats
        .releases
        .iter()
        .map(|r| {
            vec![
                r.release.to_string(),
                r.requests.to_string(),
                r.made_it.to_string(),
                r.missed.to_string(),
                r.blockers.to_string(),
                r.withdrawn.to_string(),
                r.replaced.to_string(),
            ]
        })
        .collect();
    out.push_str(&crate::text::table(&headers, &rows));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_lower_middle() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5]), Some(5));
        assert_eq!(median(vec![9, 1, 4, 2]), Some(2));
        assert_eq!(median(vec![3, 1, 2]), Some(2));
    }
}
