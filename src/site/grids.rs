//! The calendar page's month grids: each month as weeks of days, each day marked with the
//! cutoffs, last submission days, last run weekends and recommended dates that fall on it.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use minijinja::value::Value;

use crate::calendar::{self, ReleaseDates};
use crate::config::SiteConfig;
use crate::month::Month;

/// A month of the calendar as weeks of days, each day marked with what falls on it.
pub fn month_grids(config: &SiteConfig, releases: &[ReleaseDates], today: NaiveDate) -> Vec<Value> {
    let mut marks: BTreeMap<NaiveDate, Vec<Value>> = BTreeMap::new();
    for r in releases {
        let release = r.release.to_string();
        let mut mark = |day: NaiveDate, kind: &str, label: String| {
            marks
                .entry(day)
                .or_default()
                .push(crate::ctx! { kind => kind, label => label, release => &release });
        };
        mark(r.cutoff, "cutoff", format!("Cutoff {release}"));
        mark(
            r.last_submission,
            "last-submission",
            format!("Last submission {release}"),
        );
        mark(
            r.last_run_weekend,
            "last-run",
            format!("Last run weekend {release}"),
        );
        mark(
            r.recommended_by,
            "recommended",
            format!("Recommended by {release}"),
        );
    }
    (-1..=10)
        .map(|n| {
            let month = Month::of(today).shift(n);
            let first = month.first_day();
            let lead = first.weekday().num_days_from_monday() as u64;
            let start = first.checked_sub_days(Days::new(lead)).unwrap_or(first);
            let mut weeks = Vec::new();
            let mut day = start;
            while day <= month.last_day() {
                let week: Vec<Value> = (0..7)
                    .map(|i| {
                        let d = day.checked_add_days(Days::new(i)).unwrap_or(day);
                        crate::ctx! {
                            date => d,
                            day => d.day(),
                            in_month => Month::of(d) == month,
                            today => d == today,
                            run_day => calendar::is_run_day(&config.policy, d),
                            marks => marks.get(&d).cloned().unwrap_or_default(),
                        }
                    })
                    .collect();
                weeks.push(week);
                day = day.checked_add_days(Days::new(7)).unwrap_or(NaiveDate::MAX);
            }
            crate::ctx! { month => month.to_string(), name => month.long_name(), weeks => weeks }
        })
        .collect()
}
