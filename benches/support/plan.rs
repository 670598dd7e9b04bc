//! When things happened to a generated request: the dates that put it in the state it was
//! made for, and agree with each other and with the policy.
//!
//! Part of the corpus module (`corpus.rs`).

use chrono::{Days, NaiveDate};
use jobgate::calendar;
use jobgate::month::Month;

use super::Maker;

/// The dated facts of a request, chosen first so every date agrees with the others.
#[derive(Default)]
pub struct Plan {
    pub submitted: NaiveDate,
    pub scheduled: Option<(NaiveDate, NaiveDate)>,
    pub runs: Vec<(NaiveDate, Outcome)>,
    pub approval: Option<NaiveDate>,
    pub withdrawn: Option<NaiveDate>,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Outcome {
    /// Success on the backup server; `true` when the outcome was verified.
    Success(bool),
    /// Errors reported as designed.
    Failure,
    /// The job crashed.
    Error,
    /// A verified success on production, after approval.
    Production,
}

impl Maker<'_> {
    /// A day between `lo` and `hi` days before today.
    pub(super) fn days_ago(&mut self, lo: u64, hi: u64) -> NaiveDate {
        self.today - Days::new(self.rng.range(lo, hi))
    }

    pub(super) fn weekend_after(&self, day: NaiveDate) -> NaiveDate {
        calendar::weekend_start_after(&self.config.policy, day)
    }

    pub(super) fn results_due(&self, weekend: NaiveDate) -> NaiveDate {
        calendar::results_due(&self.config.policy, weekend)
    }

    /// The earliest release the request can aim at without a late-submission warning,
    /// sometimes one later.
    pub(super) fn target_for(&mut self, submitted: NaiveDate) -> Month {
        let mut release = Month::of(submitted);
        while calendar::release_dates(self.config, release).recommended_by < submitted {
            release = release.next();
        }
        if self.rng.chance(20) {
            release.next()
        } else {
            release
        }
    }

    pub(super) fn plan(&mut self, state: &str) -> Plan {
        let quiet_days = u64::from(self.config.policy.response_hours / 24);
        match state {
            "submitted" => Plan {
                submitted: self.days_ago(0, quiet_days),
                ..Plan::default()
            },
            "overdue" if self.rng.chance(50) => Plan {
                submitted: self.days_ago(quiet_days + 1, 45),
                ..Plan::default()
            },
            "overdue" => {
                // Scheduled, with results due before today and no run recorded.
                let mut submitted = self.days_ago(9, 150);
                while self.results_due(self.weekend_after(submitted)) >= self.today {
                    submitted = submitted - Days::new(7);
                }
                let weekend = self.weekend_after(submitted);
                Plan {
                    submitted,
                    scheduled: Some((self.acknowledged(submitted, weekend), weekend)),
                    ..Plan::default()
                }
            }
            "scheduled" => {
                let submitted = self.days_ago(0, 12);
                let mut weekend =
                    calendar::weekend_start_on_or_before(&self.config.policy, self.today);
                while self.results_due(weekend) < self.today || weekend < submitted {
                    weekend = self.weekend_after(weekend);
                }
                weekend = weekend + Days::new(7 * self.rng.range(0, 2));
                Plan {
                    submitted,
                    scheduled: Some((self.acknowledged(submitted, weekend), weekend)),
                    ..Plan::default()
                }
            }
            "withdrawn" => {
                let submitted = self.days_ago(1, 300);
                let weekend = self.weekend_after(submitted);
                let on = (submitted + Days::new(self.rng.range(0, 10))).min(self.today);
                let scheduled = self.rng.chance(40) && weekend <= self.today;
                Plan {
                    submitted,
                    scheduled: scheduled.then(|| (self.acknowledged(submitted, weekend), weekend)),
                    withdrawn: Some(on),
                    ..Plan::default()
                }
            }
            _ => self.plan_with_runs(state),
        }
    }

    /// The day a coordinator acknowledged a request: soon after it came in, not after its weekend.
    pub(super) fn acknowledged(&mut self, submitted: NaiveDate, weekend: NaiveDate) -> NaiveDate {
        (submitted + Days::new(self.rng.range(0, 2)))
            .min(weekend)
            .min(self.today)
    }

    /// Plans for the states that have runs: failed, passed, verifying, approved.
    pub(super) fn plan_with_runs(&mut self, state: &str) -> Plan {
        let submitted = self.days_ago(8, 400);
        let mut weekend = self.weekend_after(submitted);
        if self.rng.chance(20) && weekend + Days::new(8) <= self.today {
            weekend = weekend + Days::new(7);
        }
        let first = weekend + Days::new(self.rng.range(0, 1));
        let second = first + Days::new(7);
        let retry = second <= self.today && self.rng.chance(30);
        let last = match state {
            "failed" if self.rng.chance(30) => Outcome::Error,
            "failed" => Outcome::Failure,
            "verifying" => Outcome::Success(false),
            _ => Outcome::Success(true),
        };
        let mut runs = Vec::new();
        if retry {
            let earlier = match state {
                "failed" => Outcome::Success(false),
                _ => *self.rng.pick(&[Outcome::Failure, Outcome::Error]),
            };
            runs.push((first, earlier));
            runs.push((second, last));
        } else {
            runs.push((first, last));
        }
        let mut approval = None;
        if state == "approved" {
            let passed = runs.last().map_or(first, |(on, _)| *on);
            let on = (passed + Days::new(self.rng.range(0, 3))).min(self.today);
            approval = Some(on);
            let production = on + Days::new(self.rng.range(1, 6));
            if production <= self.today && self.rng.chance(30) {
                runs.push((production, Outcome::Production));
            }
        }
        Plan {
            submitted,
            scheduled: Some((self.acknowledged(submitted, weekend), weekend)),
            runs,
            approval,
            ..Plan::default()
        }
    }
}
