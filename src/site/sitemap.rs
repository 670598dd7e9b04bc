//! `sitemap.xml`: every page a search engine should know, in the site's order.

use chrono::NaiveDate;

use crate::calendar::ReleaseDates;
use crate::config::SiteConfig;
use crate::markdown::escape_attr;

use super::load::Site;
use super::routes::Route;

/// The sitemap of `site`, whose release pages are `releases` and run sheets `run_weekends`.
pub fn sitemap(
    site: &Site,
    config: &SiteConfig,
    releases: &[ReleaseDates],
    run_weekends: &[NaiveDate],
) -> String {
    let mut paths: Vec<String> = [
        Route::Home,
        Route::GuideIndex,
        Route::Jobs,
        Route::Releases,
        Route::Stats,
    ]
    .into_iter()
    .map(Route::path)
    .collect();
    paths.extend(site.guide.iter().map(|p| Route::Guide(&p.slug).path()));
    paths.extend(site.requests.iter().map(|l| Route::Job(&l.id).path()));
    let months: Vec<String> = releases.iter().map(|r| r.release.to_string()).collect();
    paths.extend(months.iter().map(|m| Route::Release(m).path()));
    let weekends: Vec<String> = run_weekends.iter().map(NaiveDate::to_string).collect();
    paths.extend(weekends.iter().map(|w| Route::Runs(w).path()));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        out.push_str("  <url><loc>");
        out.push_str(&escape_attr(&format!("{}{path}", config.base_url)));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
