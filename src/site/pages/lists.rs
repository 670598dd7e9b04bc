//! The pages that list requests or lead to them: home, the guide, the jobs lists, the feed,
//! the release calendar and readiness pages, stats, search and the 404 page.

use std::collections::BTreeMap;

use minijinja::value::Value;

use crate::calendar;
use crate::month::Month;
use crate::status::{Fit, State};

use super::super::feed;
use super::super::pieces::Piece;
use super::super::routes::{self, Route};
use super::super::search;
use super::rows::{FIT_GROUPS, fit_rank, state_counts};
use super::{Base, Lists, Page, Row};

/// The home page: the next cutoff, what runs this weekend and what needs attention.
pub(super) fn home<'a>(lists: &'a Lists<'a>) -> Page<'a> {
    let Base {
        config,
        today,
        renderer,
        nav,
        pieces,
        ..
    } = lists.base;
    let rows = lists.rows;
    let next = calendar::release_dates(config, calendar::release_for_cutoff_after(config, today));
    let weekend = if calendar::is_run_day(&config.policy, today) {
        calendar::weekend_start_on_or_before(&config.policy, today)
    } else {
        calendar::weekend_start_after(&config.policy, today)
    };
    // Runs a coordinator has planned for the weekend, and apart from them the requests that
    // would run then but are not scheduled yet (or are overdue for it).
    let this_weekend: Vec<&Row> = rows
        .iter()
        .filter(|r| r.run_weekend == weekend && r.state == State::Scheduled)
        .collect();
    let this_weekend_waiting: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r.run_weekend == weekend && matches!(r.state, State::Submitted | State::Overdue)
        })
        .collect();
    let attention: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r.replaced_by.is_none()
                && (r.state.needs_attention() || r.blocker || r.fit == Some(Fit::AtRisk))
        })
        .collect();
    let counts = state_counts(rows);
    let runsheet = lists
        .run_weekends
        .contains(&weekend)
        .then(|| Route::Runs(&weekend.to_string()).path());
    Page::fallible(Route::Home.path(), "home.html", move || {
        // The rows stay in the context as a list, so that a site's own home.html written
        // for them keeps working; the theme's lists the items rendered once per request.
        let attention_items =
            pieces.joined(renderer, "attention.html", Piece::Attention, "", &attention)?;
        Ok(crate::ctx! {
            nav => nav,
            next => &next,
            days_left => (next.cutoff - today).num_days(),
            weekend => weekend,
            weekend_end => calendar::weekend_end(&config.policy, weekend),
            runsheet => &runsheet,
            this_weekend => &this_weekend,
            this_weekend_waiting => &this_weekend_waiting,
            attention => &attention,
            attention_items => attention_items,
            counts => &counts,
            total => rows.len(),
        })
    })
}

/// The guide's index and one page per guide file, in reading order.
pub(super) fn guide<'a>(base: &Base<'a>) -> Vec<Page<'a>> {
    let Base {
        site, config, nav, ..
    } = *base;
    let mut pages = vec![Page::new(
        Route::GuideIndex.path(),
        "guide_index.html",
        move || crate::ctx! { nav => nav },
    )];
    for (i, page) in site.guide.iter().enumerate() {
        pages.push(Page::new(
            Route::Guide(&page.slug).path(),
            "guide.html",
            move || {
                crate::ctx! {
                    nav => nav,
                    page => crate::ctx! {
                        slug => &page.slug,
                        title => &page.title,
                        description => &page.description,
                        html => Value::from_safe_string(page.body.html.clone()),
                        headings => &page.body.headings,
                        edit_url => routes::edit_url(&config.site_repository, &page.file),
                    },
                    prev => i.checked_sub(1).map(|p| &site.guide[p].slug),
                    prev_title => i.checked_sub(1).map(|p| &site.guide[p].title),
                    next => site.guide.get(i + 1).map(|p| &p.slug),
                    next_title => site.guide.get(i + 1).map(|p| &p.title),
                }
            },
        ));
    }
    pages
}

/// The jobs index, and the same list narrowed to each state and to each targeted release.
pub(super) fn jobs<'a>(lists: &'a Lists<'a>) -> Vec<Page<'a>> {
    let every: Vec<&Row> = lists.rows.iter().collect();
    let mut pages = vec![view(
        lists,
        Route::Jobs,
        "All requests".into(),
        every,
        None,
        None,
    )];
    for state in State::ALL {
        let subset = lists.rows.iter().filter(|r| r.state == state).collect();
        pages.push(view(
            lists,
            Route::JobsInState(state.as_str()),
            format!("{} requests", state.label()),
            subset,
            Some(state.as_str()),
            None,
        ));
    }
    for month in &lists.release_months {
        let subset = lists
            .rows
            .iter()
            .filter(|r| &r.target_release == month)
            .collect();
        pages.push(view(
            lists,
            Route::JobsForRelease(month),
            format!("Requests for {month}"),
            subset,
            None,
            Some(month.as_str()),
        ));
    }
    pages
}

/// One jobs list: the rows of `subset` under `heading`, with the filter that made it marked.
fn view<'a>(
    lists: &'a Lists<'a>,
    route: Route,
    heading: String,
    subset: Vec<&'a Row<'a>>,
    state: Option<&'a str>,
    release: Option<&'a str>,
) -> Page<'a> {
    let Base {
        renderer,
        nav,
        pieces,
        ..
    } = lists.base;
    let path = route.path();
    Page::fallible(path.clone(), "jobs.html", move || {
        Ok(crate::ctx! {
            nav => nav,
            table => pieces.table(renderer, &path, &subset)?,
            count => subset.len(),
            filters => &lists.filters,
            heading => &heading,
            current_state => state,
            current_release => release,
        })
    })
}

/// The Atom feed of every request's events.
pub(super) fn feed<'a>(lists: &'a Lists<'a>) -> Page<'a> {
    let events = feed::events(&lists.base.site.requests);
    let updated = events.first().map_or(lists.base.today, |e| e.date);
    Page::new(routes::FEED, "feed.xml", move || {
        crate::ctx! { events => &events, updated => updated }
    })
}

/// The release calendar, and one readiness page per shown release.
pub(super) fn releases<'a>(lists: &'a Lists<'a>) -> Vec<Page<'a>> {
    let Base {
        config,
        today,
        renderer,
        nav,
        pieces,
        ..
    } = lists.base;
    let mut by_release: BTreeMap<Month, Vec<&Row>> = BTreeMap::new();
    for (job, row) in lists.jobs.iter().zip(lists.rows) {
        by_release
            .entry(*job.r.target_release)
            .or_default()
            .push(row);
    }
    let shown = &lists.releases;
    let mut pages = vec![Page::new(
        Route::Releases.path(),
        "releases.html",
        move || {
            crate::ctx! {
                nav => nav,
                releases => shown,
                grids => super::super::grids::month_grids(config, shown, today),
            }
        },
    )];
    for dates in shown {
        let members = by_release.remove(&dates.release).unwrap_or_default();
        let path = Route::Release(&dates.release.to_string()).path();
        pages.push(Page::fallible(path.clone(), "release.html", move || {
            let groups = FIT_GROUPS
                .iter()
                .enumerate()
                .map(|(rank, (key, label))| {
                    let rows: Vec<&Row> = members
                        .iter()
                        .copied()
                        .filter(|r| fit_rank(r) == rank)
                        .collect();
                    Ok(crate::ctx! {
                        key => key,
                        label => label,
                        count => rows.len(),
                        table => pieces.table(renderer, &path, &rows)?,
                    })
                })
                .collect::<anyhow::Result<Vec<Value>>>()?;
            // A replaced request is listed apart and not counted: its resubmission is.
            let counted = || members.iter().filter(|r| r.replaced_by.is_none());
            Ok(crate::ctx! {
                nav => nav,
                release => dates,
                groups => groups,
                total => counted().count(),
                ready => counted().filter(|r| r.fit == Some(Fit::In)).count(),
                blockers => counted().filter(|r| r.blocker).count(),
            })
        }));
    }
    pages
}

/// The pages that list nothing themselves: turnaround figures, search and the 404 page.
pub(super) fn others<'a>(lists: &'a Lists<'a>) -> Vec<Page<'a>> {
    let nav = lists.base.nav;
    let figures = &lists.figures;
    let records = lists.base.site.guide.len() + lists.jobs.len();
    let search_parts: Vec<String> = (2..=search::parts(records)).map(search::part_dir).collect();
    vec![
        Page::new(Route::Stats.path(), "stats.html", move || {
            let charts = super::super::charts::for_stats(figures).map(Value::from_safe_string);
            crate::ctx! { nav => nav, stats => figures, charts => charts }
        }),
        Page::new(Route::Search.path(), "search.html", move || {
            crate::ctx! { nav => nav, parts => &search_parts }
        }),
        Page::new(Route::RequestForm.path(), "request.html", move || {
            let base = &lists.base;
            crate::ctx! {
                nav => nav,
                groups => super::super::form::groups(),
                releases => crate::calendar::open_releases(base.config, base.today),
                built => base.today.to_string(),
                checker => base.checker.is_some(),
            }
        }),
        Page::new(routes::NOT_FOUND, "404.html", move || {
            crate::ctx! { nav => nav }
        }),
    ]
}
