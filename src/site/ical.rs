//! The release calendar as iCalendar (RFC 5545), for subscribing from a calendar app.
//!
//! Events are all-day; UIDs are derived from what an event is, so a subscriber's calendar
//! updates events instead of duplicating them, and DTSTAMP comes from `today` so two builds
//! of the same input are identical.

use chrono::{NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::calendar::ReleaseDates;
use crate::request::Loaded;

fn event(
    uid: String,
    day: NaiveDate,
    summary: String,
    description: String,
    stamp: chrono::DateTime<Utc>,
) -> Event {
    Event::new()
        .uid(&uid)
        .timestamp(stamp)
        .all_day(day)
        .summary(&summary)
        .description(&description)
        .done()
}

/// The last line of a calendar.
pub const END: &str = "END:VCALENDAR\r\n";

/// Cutoffs and last-submission days of `releases`, and each scheduled run weekend: [`head`],
/// then each request's [`run_event`], then [`END`].
pub fn calendar(
    title: &str,
    host: &str,
    releases: &[ReleaseDates],
    requests: &[Loaded],
    today: NaiveDate,
) -> String {
    let mut text = head(title, host, releases, today);
    for loaded in requests {
        text.push_str(&run_event(loaded, host, today).unwrap_or_default());
    }
    text.push_str(END);
    text
}

/// The calendar up to the requests' events: its name, and the cutoff and last-submission day
/// of each release.
pub fn head(title: &str, host: &str, releases: &[ReleaseDates], today: NaiveDate) -> String {
    let stamp = stamp(today);
    let mut cal = Calendar::new();
    cal.name(title);
    for r in releases {
        let release = r.release;
        let label = match &r.name {
            Some(name) => format!("{release} ({name})"),
            None => release.to_string(),
        };
        cal.push(event(
            format!("cutoff-{release}@{host}"),
            r.cutoff,
            format!("Release cutoff {label}"),
            format!(
                "Jobs for {label} need an approved, passing backup-server run before this day."
            ),
            stamp,
        ));
        cal.push(event(
            format!("last-submission-{release}@{host}"),
            r.last_submission,
            format!("Last day to request a test for {label}"),
            format!(
                "A request filed today runs on the last run weekend before the {label} cutoff."
            ),
            stamp,
        ));
    }
    // A calendar is written as its start and properties, each component in turn, and its end.
    let mut text = cal.done().to_string();
    text.truncate(text.len().saturating_sub(END.len()));
    text
}

/// The event of a request's scheduled run weekend, if it has one and is not withdrawn.
pub fn run_event(loaded: &Loaded, host: &str, today: NaiveDate) -> Option<String> {
    let r = &loaded.request;
    let scheduled = r.scheduled.as_ref().filter(|_| r.withdrawn.is_none())?;
    let event = event(
        format!("run-{}-{}@{host}", loaded.id, scheduled.weekend.value),
        scheduled.weekend.value,
        format!("Backup run: {}", r.title.value),
        format!(
            "Request {} targeting {}.",
            loaded.id, r.target_release.value
        ),
        stamp(today),
    );
    Some(Component::to_string(&event))
}

/// Events are stamped with the build's day, so that two builds of the same input are the same.
fn stamp(today: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&today.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// The host part of a URL, for UIDs.
pub fn host_of(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    rest.split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("jobgate")
}
