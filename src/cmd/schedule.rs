//! `jobgate schedule`: acknowledge a request and plan its run weekend.

use crate::calendar;
use crate::cli::ScheduleArgs;
use crate::record::Field;

use super::Outcome;
use super::edit::{self, Refusal, Role};

pub fn run(args: ScheduleArgs) -> anyhow::Result<Outcome> {
    let target = match edit::open(&args.edit, Role::Coordinator)? {
        Ok(target) => target,
        Err(refusal) => return Ok(refusal.report()),
    };
    let policy = &target.config().policy;
    if !calendar::is_run_day(policy, args.weekend) {
        let days: Vec<String> = policy
            .run_days
            .iter()
            .map(|d| weekday_name(*d).to_owned())
            .collect();
        return Ok(Refusal::new(format!(
            "{} is a {}, not a run day",
            args.weekend,
            weekday_name(chrono::Datelike::weekday(&args.weekend))
        ))
        .help(format!(
            "pick the first day of a run weekend ({}); the next is {}",
            days.join(", "),
            calendar::weekend_start_after(policy, target.today)
        ))
        .report());
    }
    let on = match target.day(args.on) {
        Ok(on) => on,
        Err(refusal) => return Ok(refusal.report()),
    };
    let document = match target.document() {
        Ok(d) => d,
        Err(refusal) => return Ok(refusal.report()),
    };
    let text = document.set_block(
        "scheduled",
        &[
            ("by", Field::Plain(crate::yaml::scalar::word(&target.by))),
            ("on", Field::Plain(on.to_string())),
            ("weekend", Field::Plain(args.weekend.to_string())),
        ],
    );
    let (request, status) = match edit::write(&target, &text)? {
        Ok(done) => done,
        Err(refusal) => return Ok(refusal.report()),
    };
    let end = calendar::weekend_end(policy, args.weekend);
    let due = calendar::results_due(policy, args.weekend);
    let message = format!(
        "**{}** (`{}`) was acknowledged by @{} on {on}.\n\n\
         It is planned to run on the backup server on the weekend of {} to {end}; the results \
         are due by {due}.\n\n{}",
        *request.title,
        target.id,
        target.by,
        args.weekend,
        edit::message_footer(&target, &status)
    );
    edit::report(
        &target,
        &status,
        &format!("scheduled for the weekend of {}", args.weekend),
        &message,
    );
    Ok(Outcome::Clean)
}

fn weekday_name(day: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match day {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}
