//! Release dates computed from the policy: cutoffs, run weekends and deadlines.
//!
//! Every deadline on the site (and every "at risk" judgement in `status`) comes from these few
//! rules, so they live in one place, as pure functions of the policy and a date: no clock, no
//! files. They are total for any date chrono can hold; where arithmetic would leave that range
//! they clamp instead of panicking, because a typo in a year must produce a diagnostic elsewhere,
//! not a crash here.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::config::{CutoffRule, Nth, Policy, SiteConfig};
use crate::month::Month;

/// The computed dates of one release.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReleaseDates {
    pub release: Month,
    /// The release's name from `site.yaml`, if it has one.
    pub name: Option<String>,
    /// The day the release is cut; work must be approved before it.
    pub cutoff: NaiveDate,
    /// The start of the last weekend whose results are due before the cutoff.
    pub last_run_weekend: NaiveDate,
    /// The last day a request can be filed and still get [`Self::last_run_weekend`].
    pub last_submission: NaiveDate,
    /// When the guide advises having a request in, leaving room for a second run.
    pub recommended_by: NaiveDate,
}

// chrono is built without its `serde` feature; its `Display` is already `YYYY-MM-DD`.
/// The cutoff a rule gives for a release month: its nth weekday, or the last one for `Last`.
pub fn rule_cutoff(rule: CutoffRule, release: Month) -> NaiveDate {
    let target = weekday_index(rule.weekday);
    let n = match rule.nth {
        Nth::First => 0,
        Nth::Second => 1,
        Nth::Third => 2,
        Nth::Fourth => 3,
        Nth::Last => {
            let last = last_of(release);
            let back = (weekday_index(last.weekday()) + 7 - target) % 7;
            return last.checked_sub_days(Days::new(back)).unwrap_or(last);
        }
    };
    let first = first_of(release);
    let ahead = (target + 7 - weekday_index(first.weekday())) % 7 + 7 * n;
    // The fourth occurrence is at most day 28, so this stays in the month.
    first.checked_add_days(Days::new(ahead)).unwrap_or(first)
}

/// The release's cutoff: the override in `site.yaml` if there is one, else the policy's rule.
pub fn cutoff(config: &SiteConfig, release: Month) -> NaiveDate {
    config
        .releases
        .get(&release)
        .and_then(|settings| settings.cutoff)
        .unwrap_or_else(|| rule_cutoff(config.policy.cutoff, release))
}

/// All the deadlines of one release.
pub fn release_dates(config: &SiteConfig, release: Month) -> ReleaseDates {
    let policy = &config.policy;
    let cutoff = cutoff(config, release);
    let last_run_weekend = last_run_weekend(policy, cutoff);
    ReleaseDates {
        release,
        name: config.releases.get(&release).and_then(|s| s.name.clone()),
        cutoff,
        last_run_weekend,
        // A request's weekend is the first start strictly after its submission day.
        last_submission: last_run_weekend.pred_opt().unwrap_or(last_run_weekend),
        recommended_by: cutoff
            .checked_sub_days(Days::new(u64::from(policy.recommended_lead_days)))
            .unwrap_or(NaiveDate::MIN),
    }
}

/// Whether backup-server runs happen on `date`'s weekday.
pub fn is_run_day(policy: &Policy, date: NaiveDate) -> bool {
    run_day_set(policy)[weekday_index(date.weekday()) as usize]
}

/// Whether a weekend begins on `date`: a run day after a non-run day (Monday if every day is one).
pub fn is_weekend_start(policy: &Policy, date: NaiveDate) -> bool {
    starts_weekend(&run_day_set(policy), date.weekday())
}

/// The first weekend start strictly after `day`: when a request filed on `day` can run.
pub fn weekend_start_after(policy: &Policy, day: NaiveDate) -> NaiveDate {
    let days = run_day_set(policy);
    let mut candidate = day;
    // Weekend starts repeat weekly and every policy has at least one, so a week suffices.
    for _ in 0..7 {
        let Some(next) = candidate.succ_opt() else {
            break;
        };
        candidate = next;
        if starts_weekend(&days, candidate.weekday()) {
            return candidate;
        }
    }
    candidate
}

/// The latest weekend start on or before `day`.
pub fn weekend_start_on_or_before(policy: &Policy, day: NaiveDate) -> NaiveDate {
    let days = run_day_set(policy);
    let mut candidate = day;
    for _ in 0..7 {
        if starts_weekend(&days, candidate.weekday()) {
            return candidate;
        }
        match candidate.pred_opt() {
            Some(prev) => candidate = prev,
            None => break,
        }
    }
    day
}

/// The last run day of the weekend that begins at `start` (`start` itself if it is not a run day).
pub fn weekend_end(policy: &Policy, start: NaiveDate) -> NaiveDate {
    let days = run_day_set(policy);
    let mut end = start;
    // Stopping at the next start splits the all-run-days week into Monday–Sunday weekends.
    for _ in 0..6 {
        let Some(next) = end.succ_opt() else {
            break;
        };
        let weekday = next.weekday();
        if !days[weekday_index(weekday) as usize] || starts_weekend(&days, weekday) {
            break;
        }
        end = next;
    }
    end
}

/// When a run on the weekend beginning at `weekend_start` must have reported its results.
pub fn results_due(policy: &Policy, weekend_start: NaiveDate) -> NaiveDate {
    weekend_end(policy, weekend_start)
        .checked_add_days(Days::new(results_lag(policy)))
        .unwrap_or(NaiveDate::MAX)
}

/// The latest weekend start whose results are due strictly before `cutoff`.
pub fn last_run_weekend(policy: &Policy, cutoff: NaiveDate) -> NaiveDate {
    // Results come at least the lag after the start, so nothing later than this can qualify;
    // starting here keeps the search short whatever `results_hours` is.
    let Some(latest) = cutoff.checked_sub_days(Days::new(results_lag(policy) + 1)) else {
        return weekend_start_on_or_before(policy, NaiveDate::MIN);
    };
    let mut start = weekend_start_on_or_before(policy, latest);
    // A weekend lasts at most seven days, so stepping back two weeks always finds one.
    for _ in 0..16 {
        if results_due(policy, start) < cutoff {
            return start;
        }
        let Some(prev) = start.pred_opt() else {
            break;
        };
        start = weekend_start_on_or_before(policy, prev);
    }
    start
}

/// The earliest release whose cutoff is on or after `day`: the one a request filed then aims at.
pub fn release_for_cutoff_after(config: &SiteConfig, day: NaiveDate) -> Month {
    // An override may move a cutoff into the previous month, so start a little before `day`.
    let from = Month::of(day.checked_sub_days(Days::new(40)).unwrap_or(day));
    // Without overrides the month after `day` always qualifies; each override can push the
    // answer at most one month further.
    let limit = Month::of(day).shift(1 + config.releases.len().min(1200) as i32);
    let mut release = from;
    while release <= limit {
        if cutoff(config, release) >= day {
            return release;
        }
        release = release.next();
    }
    limit
}

/// The dates of `months` consecutive releases starting at `from`, stopping after year 9999.
pub fn releases_between(config: &SiteConfig, from: Month, months: u32) -> Vec<ReleaseDates> {
    // Capping at the supported years keeps a huge count from exhausting memory or the calendar.
    std::iter::successors(Some(from), |m| Some(m.next()))
        .take_while(|m| m.year() <= 9999)
        .take(months as usize)
        .map(|m| release_dates(config, m))
        .collect()
}

/// Run days indexed from Monday; an empty list (which config rejects) falls back to the default.
fn run_day_set(policy: &Policy) -> [bool; 7] {
    let mut days = [false; 7];
    let list = if policy.run_days.is_empty() {
        &Policy::default().run_days
    } else {
        &policy.run_days
    };
    for day in list {
        days[weekday_index(*day) as usize] = true;
    }
    days
}

fn starts_weekend(days: &[bool; 7], weekday: Weekday) -> bool {
    if days.iter().all(|&d| d) {
        weekday == Weekday::Mon
    } else {
        days[weekday_index(weekday) as usize] && !days[weekday_index(weekday.pred()) as usize]
    }
}

/// Whole days from the end of a weekend to its results.
fn results_lag(policy: &Policy) -> u64 {
    u64::from(policy.results_hours.div_ceil(24))
}

fn weekday_index(weekday: Weekday) -> u64 {
    u64::from(weekday.num_days_from_monday())
}

// `Month` can be moved outside chrono's range; clamp rather than panic there.
fn first_of(month: Month) -> NaiveDate {
    NaiveDate::from_ymd_opt(month.year(), month.month(), 1).unwrap_or_else(|| clamp_year(month))
}

fn last_of(month: Month) -> NaiveDate {
    first_of(month.next())
        .pred_opt()
        .filter(|d| Month::of(*d) == month)
        .unwrap_or_else(|| clamp_year(month))
}

fn clamp_year(month: Month) -> NaiveDate {
    if month.year() < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    }
}

/// The earliest release whose last submission day is today or later: where a request filed
/// today can still make it.
pub fn first_open_release(config: &SiteConfig, today: NaiveDate) -> Month {
    let mut release = release_for_cutoff_after(config, today);
    // Bounded: each month has a last submission day, and they move forward with the months.
    for _ in 0..24 {
        if release_dates(config, release).last_submission >= today {
            return release;
        }
        release = release.next();
    }
    release
}

/// How many releases a new request is offered to aim for (the request form's choice).
pub const OPEN_RELEASES: u32 = 6;

/// The [`OPEN_RELEASES`] releases a request filed `today` can still aim for, earliest first.
pub fn open_releases(config: &SiteConfig, today: NaiveDate) -> Vec<ReleaseDates> {
    releases_between(config, first_open_release(config, today), OPEN_RELEASES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    const MINIMAL: &str = "title: T\nbase_url: https://x.org/\nrepository: o/r\ncontact: a@b.org\n";

    fn site(extra: &str) -> SiteConfig {
        config::parse(&format!("{MINIMAL}{extra}")).unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn policy_with(run_days: &[Weekday], results_hours: u32) -> Policy {
        Policy {
            run_days: run_days.to_vec(),
            results_hours,
            ..Policy::default()
        }
    }

    const WEEKDAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    fn run_day_sets() -> Vec<Vec<Weekday>> {
        use Weekday::*;
        vec![
            vec![Sat, Sun],
            vec![Sun],
            vec![Fri, Sat, Sun],
            vec![Sun, Mon],
            WEEKDAYS.to_vec(),
            // Two weekends a week of different lengths: the latest is not always the longest.
            vec![Sat, Mon, Tue],
        ]
    }

    fn rules() -> Vec<CutoffRule> {
        let nths = [Nth::First, Nth::Second, Nth::Third, Nth::Fourth, Nth::Last];
        nths.iter()
            .flat_map(|&nth| {
                WEEKDAYS
                    .iter()
                    .map(move |&weekday| CutoffRule { nth, weekday })
            })
            .collect()
    }

    fn months_2000_to_2100() -> impl Iterator<Item = Month> {
        std::iter::successors(Some(month("2000-01")), |m| Some(m.next()))
            .take_while(|m| *m <= month("2100-12"))
    }

    #[test]
    fn every_rule_cutoff_is_its_weekday_in_its_month() {
        for release in months_2000_to_2100() {
            for rule in rules() {
                let day = rule_cutoff(rule, release);
                assert_eq!(day.weekday(), rule.weekday, "{rule:?} {release}");
                assert_eq!(Month::of(day), release, "{rule:?} {release}");
                let expected = match rule.nth {
                    Nth::First => 1..=7,
                    Nth::Second => 8..=14,
                    Nth::Third => 15..=21,
                    Nth::Fourth => 22..=28,
                    Nth::Last => {
                        let last = release.last_day().day();
                        last - 6..=last
                    }
                };
                assert!(expected.contains(&day.day()), "{rule:?} {release}: {day}");
            }
        }
    }

    #[test]
    fn deadlines_are_ordered_and_the_last_run_weekend_is_the_latest() {
        let mut config = site("");
        for run_days in run_day_sets() {
            for results_hours in [1, 24, 48, 100] {
                for rule in rules() {
                    config.policy = Policy {
                        cutoff: rule,
                        ..policy_with(&run_days, results_hours)
                    };
                    let policy = &config.policy;
                    for release in months_2000_to_2100() {
                        let d = release_dates(&config, release);
                        let context = || format!("{run_days:?} {results_hours}h {rule:?} {d:?}");
                        assert!(
                            is_weekend_start(policy, d.last_run_weekend),
                            "{}",
                            context()
                        );
                        assert!(d.last_submission < d.last_run_weekend, "{}", context());
                        let due = results_due(policy, d.last_run_weekend);
                        assert!(d.last_run_weekend < due, "{}", context());
                        assert!(due < d.cutoff, "{}", context());
                        assert!(d.recommended_by <= d.cutoff, "{}", context());
                        let next = weekend_start_after(policy, d.last_run_weekend);
                        assert!(results_due(policy, next) >= d.cutoff, "{}", context());
                        assert_eq!(
                            weekend_start_after(policy, d.last_submission),
                            d.last_run_weekend,
                            "{}",
                            context()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn zero_results_hours_are_due_on_the_last_run_day() {
        for run_days in run_day_sets() {
            let policy = policy_with(&run_days, 0);
            for release in months_2000_to_2100() {
                let cutoff = rule_cutoff(policy.cutoff, release);
                let start = last_run_weekend(&policy, cutoff);
                let due = results_due(&policy, start);
                assert_eq!(due, weekend_end(&policy, start), "{run_days:?} {cutoff}");
                assert!(start <= due && due < cutoff, "{run_days:?} {cutoff}");
                let next = weekend_start_after(&policy, start);
                assert!(
                    results_due(&policy, next) >= cutoff,
                    "{run_days:?} {cutoff}"
                );
            }
        }
    }

    #[test]
    fn weekend_start_after_is_the_next_start() {
        for run_days in run_day_sets() {
            let policy = policy_with(&run_days, 24);
            let mut day = date("2000-01-01");
            while day <= date("2100-12-31") {
                let next = weekend_start_after(&policy, day);
                assert!(next > day, "{run_days:?} {day}");
                assert!(is_weekend_start(&policy, next), "{run_days:?} {day}");
                assert!(is_run_day(&policy, next), "{run_days:?} {day}");
                let between = day.iter_days().skip(1).take_while(|d| *d < next);
                for d in between {
                    assert!(!is_weekend_start(&policy, d), "{run_days:?} {day}: {d}");
                }
                let back = next.pred_opt().unwrap();
                assert!(
                    weekend_start_on_or_before(&policy, back) <= day,
                    "{run_days:?} {day}"
                );
                assert_eq!(weekend_start_on_or_before(&policy, next), next);
                let end = weekend_end(&policy, next);
                assert!(next <= end && end < weekend_start_after(&policy, next));
                day = day.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn weekends_follow_the_run_days() {
        use Weekday::*;
        // 2026-11-01 is a Sunday.
        let cases: [(&[Weekday], &str, &str); 5] = [
            (&[Sat, Sun], "2026-11-07", "2026-11-08"),
            (&[Sun], "2026-11-01", "2026-11-01"),
            (&[Fri, Sat, Sun], "2026-11-06", "2026-11-08"),
            (&[Sun, Mon], "2026-11-01", "2026-11-02"),
            (&WEEKDAYS, "2026-11-02", "2026-11-08"),
        ];
        for (run_days, start, end) in cases {
            let policy = policy_with(run_days, 24);
            let first = weekend_start_after(&policy, date("2026-10-31"));
            assert_eq!(first, date(start), "{run_days:?}");
            assert_eq!(weekend_end(&policy, first), date(end), "{run_days:?}");
        }
    }

    #[test]
    fn rule_cutoffs_on_real_dates() {
        let first_saturday = Policy::default().cutoff;
        let cases = [
            ("2026-11", "2026-11-07"),
            ("2026-12", "2026-12-05"),
            ("2027-01", "2027-01-02"),
        ];
        for (release, expected) in cases {
            assert_eq!(rule_cutoff(first_saturday, month(release)), date(expected));
        }
        let last_friday = CutoffRule {
            nth: Nth::Last,
            weekday: Weekday::Fri,
        };
        assert_eq!(
            rule_cutoff(last_friday, month("2026-02")),
            date("2026-02-27")
        );
    }

    #[test]
    fn default_policy_dates_cross_the_year_boundary() {
        let config = site("");
        let dates = releases_between(&config, month("2026-12"), 2);
        let summary: Vec<_> = dates
            .iter()
            .map(|d| {
                let days = [
                    d.cutoff,
                    d.last_run_weekend,
                    d.last_submission,
                    d.recommended_by,
                ];
                (d.release.to_string(), days.map(|day| day.to_string()))
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "2026-12".to_string(),
                    ["2026-12-05", "2026-11-28", "2026-11-27", "2026-11-21"].map(String::from)
                ),
                (
                    "2027-01".to_string(),
                    ["2027-01-02", "2026-12-26", "2026-12-25", "2026-12-19"].map(String::from)
                ),
            ]
        );
    }

    #[test]
    fn an_override_may_fall_in_the_previous_month() {
        let config = site("releases:\n  \"2026-12\": { name: \"3.5.0\", cutoff: 2026-11-28 }\n");
        let dates = release_dates(&config, month("2026-12"));
        assert_eq!(
            dates,
            ReleaseDates {
                release: month("2026-12"),
                name: Some("3.5.0".into()),
                cutoff: date("2026-11-28"),
                last_run_weekend: date("2026-11-21"),
                last_submission: date("2026-11-20"),
                recommended_by: date("2026-11-14"),
            }
        );
        let json = serde_json::to_value(&dates).unwrap();
        assert_eq!(json["cutoff"], "2026-11-28");
        assert_eq!(json["release"], "2026-12");
    }

    #[test]
    fn weekend_starts_and_results_on_real_dates() {
        let policy = Policy::default();
        let cases = [
            ("2026-11-27", "2026-11-28"),
            ("2026-11-28", "2026-12-05"),
            ("2026-11-29", "2026-12-05"),
        ];
        for (day, expected) in cases {
            assert_eq!(
                weekend_start_after(&policy, date(day)),
                date(expected),
                "{day}"
            );
        }
        assert_eq!(results_due(&policy, date("2026-11-28")), date("2026-11-30"));
        assert_eq!(
            last_run_weekend(&policy, date("2026-12-05")),
            date("2026-11-28")
        );
    }

    #[test]
    fn release_for_a_day_honours_overrides() {
        let overridden = site("releases:\n  \"2026-12\": { cutoff: 2026-11-28 }\n");
        let plain = site("");
        let cases = [
            (&overridden, "2026-11-27", "2026-12"),
            (&overridden, "2026-11-28", "2026-12"),
            (&overridden, "2026-11-29", "2027-01"),
            (&plain, "2026-11-29", "2026-12"),
            (&plain, "2026-12-05", "2026-12"),
            (&plain, "2026-12-06", "2027-01"),
        ];
        for (config, day, expected) in cases {
            assert_eq!(
                release_for_cutoff_after(config, date(day)),
                month(expected),
                "{day}"
            );
        }
    }

    #[test]
    fn extreme_inputs_do_not_panic() {
        let mut policy = policy_with(&[], u32::MAX);
        policy.recommended_lead_days = u32::MAX;
        for day in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            date("1000-01-01"),
            date("9999-12-31"),
        ] {
            weekend_start_after(&policy, day);
            weekend_start_on_or_before(&policy, day);
            weekend_end(&policy, day);
            results_due(&policy, day);
            last_run_weekend(&policy, day);
        }
        let mut config = site("");
        config.policy = policy;
        for release in [month("1000-01"), month("9999-12")] {
            release_dates(&config, release);
        }
        assert_eq!(
            releases_between(&config, month("9999-11"), u32::MAX).len(),
            2
        );
        assert_eq!(
            release_for_cutoff_after(&config, date("9999-12-31")).to_string(),
            "10000-01"
        );
        assert_eq!(
            release_for_cutoff_after(&config, date("1000-01-01")).to_string(),
            "1000-01"
        );
    }
}
