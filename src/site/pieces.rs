//! What `jobgate serve` keeps between rebuilds so that saving one request re-renders only what
//! that request changes: each request's rendered pieces of the pages that list every request,
//! and each request's derived status.
//!
//! A full build starts from an empty cache and drops it when done; `tests/suite/live.rs`
//! proves that a site rebuilt through these caches after any edits equals a fresh build.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use minijinja::value::Value;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::request::Loaded;
use crate::status::{self, Status};

use super::pages::Row;
use super::render::Renderer;

/// Each request's pieces of the pages and files that list every request: its jobs-table row
/// (by page depth, as links in a row are relative to its page), its item in the home page's
/// "needs attention" list, its run event in the calendar and its entry in the JSON API. Every
/// list is joined from them; `jobgate serve` keeps them between rebuilds and forgets those of
/// the requests that changed, so a rebuild makes the pieces of the edited request only.
/// It also keeps each request's derived status, which needs only the request, the settings and
/// the day.
#[derive(Debug, Default)]
pub struct PieceCache {
    pieces: Mutex<HashMap<Piece, Arc<Kept<Arc<str>>>>>,
    statuses: Kept<Arc<Status>>,
}

/// What a cached piece is part of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Piece {
    Row { depth: usize },
    Attention,
    CalendarEvent,
    ApiEntry,
}

/// Values kept by request id.
#[derive(Debug)]
struct Kept<T>(Mutex<HashMap<String, T>>);

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept(Mutex::default())
    }
}

impl<T: Clone + Send + Sync> Kept<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, T>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value of each of `ids`, in order: kept from before, or made by `make` (given the
    /// index in `ids`) on all threads, and kept.
    fn get<E: Send>(
        &self,
        ids: &[&str],
        make: impl Fn(usize) -> Result<T, E> + Sync,
    ) -> Result<Vec<T>, E> {
        let mut found: Vec<Option<T>> = {
            let kept = self.lock();
            ids.iter().map(|id| kept.get(*id).cloned()).collect()
        };
        let missing: Vec<usize> = (0..ids.len()).filter(|&i| found[i].is_none()).collect();
        if !missing.is_empty() {
            let made = missing
                .par_iter()
                .map(|&i| make(i))
                .collect::<Result<Vec<T>, E>>()?;
            let mut kept = self.lock();
            for (i, made) in missing.into_iter().zip(made) {
                kept.insert(ids[i].to_owned(), made.clone());
                found[i] = Some(made);
            }
        }
        Ok(found.into_iter().flatten().collect())
    }

    /// Forgets the values of `ids`, or all of them.
    fn forget(&self, ids: Option<&BTreeSet<String>>) {
        let mut kept = self.lock();
        match ids {
            Some(ids) => kept.retain(|id, _| !ids.contains(id)),
            None => kept.clear(),
        }
    }
}

impl PieceCache {
    /// Forgets the pieces and statuses of `ids`, or all of them.
    pub fn forget(&self, ids: Option<&BTreeSet<String>>) {
        let pieces = self.pieces.lock().unwrap_or_else(|e| e.into_inner());
        pieces.values().for_each(|kept| kept.forget(ids));
        self.statuses.forget(ids);
    }

    /// The `piece` of each request in `ids`, in order, made by `make` where not kept.
    pub(crate) fn get(
        &self,
        piece: Piece,
        ids: &[&str],
        make: impl Fn(usize) -> anyhow::Result<String> + Sync,
    ) -> anyhow::Result<Vec<Arc<str>>> {
        let kept = Arc::clone(
            self.pieces
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(piece)
                .or_default(),
        );
        kept.get(ids, |i| make(i).map(Arc::from))
    }

    /// The derived status of each of `requests`, in order. A status depends on its request
    /// and on the request that replaces it, if any (`successors`): one kept for another
    /// successor is derived again, and the request's pieces are forgotten with it.
    pub(crate) fn statuses(
        &self,
        requests: &[&Loaded],
        successors: &BTreeMap<&str, &str>,
        config: &SiteConfig,
        today: NaiveDate,
    ) -> Vec<Arc<Status>> {
        let ids: Vec<&str> = requests.iter().map(|l| l.id.as_str()).collect();
        let successor = |i: usize| successors.get(ids[i]).copied();
        let stale: BTreeSet<String> = {
            let kept = self.statuses.lock();
            ids.iter()
                .enumerate()
                .filter(|(i, id)| {
                    kept.get(**id)
                        .is_some_and(|st| st.replaced_by.as_deref() != successor(*i))
                })
                .map(|(_, id)| (*id).to_owned())
                .collect()
        };
        if !stale.is_empty() {
            self.forget(Some(&stale));
        }
        let Ok(statuses) = self.statuses.get(&ids, |i| {
            Ok::<_, std::convert::Infallible>(Arc::new(status::derive_replaced(
                &requests[i].request,
                config,
                today,
                successor(i),
            )))
        });
        statuses
    }

    /// The rows of a jobs table on the page at `path`, joined.
    pub(crate) fn table(
        &self,
        renderer: &Renderer,
        path: &str,
        rows: &[&Row],
    ) -> anyhow::Result<Value> {
        let depth = path.matches('/').count();
        self.joined(renderer, "row.html", Piece::Row { depth }, path, rows)
    }

    /// `template` rendered for each of `rows` on the page at `path`, one per line.
    pub(crate) fn joined(
        &self,
        renderer: &Renderer,
        template: &str,
        piece: Piece,
        path: &str,
        rows: &[&Row],
    ) -> anyhow::Result<Value> {
        let ids: Vec<&str> = rows.iter().map(|row| row.id).collect();
        let pieces = self.get(piece, &ids, |i| {
            renderer.render(template, path, crate::ctx! { row => rows[i] })
        })?;
        let mut html = String::with_capacity(pieces.iter().map(|p| p.len() + 1).sum());
        for rendered in &pieces {
            html.push_str(rendered);
            html.push('\n');
        }
        Ok(Value::from_safe_string(html))
    }
}
