//! The coordinator's run sheets: one page per weekend with planned runs.

use minijinja::value::Value;
use serde::Serialize;

use super::super::routes::Route;
use super::{Base, Lists, Page};

/// One run sheet per weekend with planned runs.
pub(super) fn sheets<'a>(lists: &'a Lists<'a>) -> Vec<Page<'a>> {
    let Base {
        site,
        config,
        today,
        nav,
        ..
    } = lists.base;
    lists
        .run_weekends
        .iter()
        .map(|&weekend| {
            Page::new(
                Route::Runs(&weekend.to_string()).path(),
                "runs.html",
                move || {
                    let sheet = crate::runsheet::build(&site.requests, config, today, weekend);
                    context(nav, &sheet)
                },
            )
        })
        .collect()
}

/// What `runs.html` sees: the planned requests with their instructions rendered, and the
/// requests listed apart.
fn context<N: Serialize>(nav: N, sheet: &crate::runsheet::Sheet) -> Value {
    let planned: Vec<Value> = sheet
        .planned
        .iter()
        .map(|entry| {
            let r = &entry.loaded.request;
            let instructions: Vec<Value> = crate::runsheet::instructions(entry.loaded)
                .iter()
                .map(|(label, text)| {
                    crate::ctx! { label => label, text => text }
                })
                .collect();
            crate::ctx! {
                id => entry.loaded.id,
                title => r.title.as_str(),
                essential => r.essential,
                at_risk => entry.at_risk,
                state => entry.state.as_str(),
                state_label => entry.state.label(),
                jobs => r.jobs.iter().map(|j| j.as_str()).collect::<Vec<_>>(),
                instructions => instructions,
                success => r.output.success.expected.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                failure => r.output.failure.expected.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                record_line => crate::runsheet::record_line(entry.loaded),
            }
        })
        .collect();
    let apart: Vec<Value> = sheet
        .apart
        .iter()
        .map(|entry| {
            crate::ctx! {
                id => entry.loaded.id,
                title => entry.loaded.request.title.as_str(),
                essential => entry.loaded.request.essential,
                state => entry.state.as_str(),
                state_label => entry.state.label(),
                next_action => entry.next_action,
            }
        })
        .collect();
    crate::ctx! {
        nav => nav,
        weekend => sheet.weekend,
        weekend_end => sheet.weekend_end,
        results_due => sheet.results_due,
        planned => planned,
        apart => apart,
    }
}
