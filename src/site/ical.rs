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
        .uid(&one_line(&uid))
        .timestamp(stamp)
        .all_day(day)
        .summary(&one_line(&summary))
        .description(&one_line(&description))
        .done()
}

/// `text` with every control character (a bare CR or LF above all, which would end the
/// content line early) turned into a space. Checked requests never hold one in these fields;
/// this keeps the calendar well-formed whatever reaches it.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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
    let mut cal = Calendar::new();
    cal.name(title);
    for event in release_events(host, releases, today) {
        cal.push(event);
    }
    // A calendar is written as its start and properties, each component in turn, and its end
    // (a test checks that the parts joined are the calendar written whole).
    let mut text = cal.done().to_string();
    text.truncate(text.len().saturating_sub(END.len()));
    text
}

/// The event of a request's scheduled run weekend, if it has one and is not withdrawn.
pub fn run_event(loaded: &Loaded, host: &str, today: NaiveDate) -> Option<String> {
    request_event(loaded, host, today).map(|event| Component::to_string(&event))
}

fn release_events(host: &str, releases: &[ReleaseDates], today: NaiveDate) -> Vec<Event> {
    let stamp = stamp(today);
    let mut events = Vec::with_capacity(releases.len() * 2);
    for r in releases {
        let release = r.release;
        let label = match &r.name {
            Some(name) => format!("{release} ({name})"),
            None => release.to_string(),
        };
        events.push(event(
            format!("cutoff-{release}@{host}"),
            r.cutoff,
            format!("Release cutoff {label}"),
            format!(
                "Jobs for {label} need an approved, passing backup-server run before this day."
            ),
            stamp,
        ));
        events.push(event(
            format!("last-submission-{release}@{host}"),
            r.last_submission,
            format!("Last day to request a test for {label}"),
            format!(
                "A request filed today runs on the last run weekend before the {label} cutoff."
            ),
            stamp,
        ));
    }
    events
}

fn request_event(loaded: &Loaded, host: &str, today: NaiveDate) -> Option<Event> {
    let r = &loaded.request;
    let scheduled = r.scheduled.as_ref().filter(|_| r.withdrawn.is_none())?;
    Some(event(
        format!("run-{}-{}@{host}", loaded.id, scheduled.weekend.value),
        scheduled.weekend.value,
        format!("Backup run: {}", r.title.value),
        format!(
            "Request {} targeting {}.",
            loaded.id, r.target_release.value
        ),
        stamp(today),
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Found while hardening the calendar: a title that begins with a carriage return passed
    /// the check (it was trimmed first) and ended its SUMMARY line early.
    #[test]
    fn no_text_ends_a_calendar_line_early() {
        let stamp = stamp(NaiveDate::from_ymd_opt(2026, 11, 27).expect("a real day"));
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).expect("a real day");
        let mut calendar = Calendar::new();
        calendar.push(event(
            "uid\r@host".into(),
            day,
            "\rBackup run:\n a\u{b}title\r\n".into(),
            "line\rbreak".into(),
            stamp,
        ));
        let text = calendar.done().to_string();
        let bare = text.replace("\r\n", "");
        assert!(!bare.contains(['\r', '\n']), "{text:?}");
        assert!(
            text.contains("SUMMARY: Backup run:  a title  \r\n"),
            "{text:?}"
        );
    }

    /// This repository's site, with scheduled and withdrawn requests.
    #[test]
    fn the_calendar_joined_from_parts_is_the_calendar_written_whole() {
        let site = crate::site::load::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .expect("this repository's site loads");
        let config = site.config.as_ref().expect("this repository has settings");
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a real day");
        let releases = crate::site::pages::shown_releases(&site, config, today);
        let host = "example.org";

        let mut whole = Calendar::new();
        whole.name("Title");
        release_events(host, &releases, today)
            .into_iter()
            .chain(
                site.requests
                    .iter()
                    .filter_map(|l| request_event(l, host, today)),
            )
            .for_each(|event| {
                whole.push(event);
            });
        let joined = calendar("Title", host, &releases, &site.requests, today);
        assert!(
            joined.contains("BEGIN:VEVENT\r\nDESCRIPTION:Request "),
            "{joined}"
        );
        assert_eq!(joined, whole.done().to_string());
    }
}
