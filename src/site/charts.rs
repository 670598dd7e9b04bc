//! Bar charts drawn at build time as inline SVG: no script, colours from the stylesheet's
//! variables (so they follow the dark scheme), a `<title>` for each, and bars labelled with
//! their numbers. Pages show a table of the same numbers beside each chart.

use crate::markdown::escape_attr;
use crate::stats::Stats;

/// One series of bars: its name (in the legend), its CSS class, and a value per group (`None`:
/// nothing to show, drawn as a dash).
pub struct Series<'a> {
    pub name: &'a str,
    pub class: &'a str,
    pub values: Vec<Option<i64>>,
}

/// A horizontal line across the chart at `value`, named in the legend.
pub struct Limit<'a> {
    pub value: i64,
    pub name: &'a str,
}

const HEIGHT: i64 = 220;
const TOP: i64 = 36;
const BOTTOM: i64 = 184;
const LEFT: i64 = 44;
const BAR: i64 = 14;
const GAP: i64 = 18;

/// A grouped bar chart: one group per label, one bar per series in each.
pub fn bars(
    id: &str,
    title: &str,
    labels: &[String],
    series: &[Series],
    limit: Option<&Limit>,
) -> String {
    let group = BAR * series.len() as i64 + GAP;
    // The legend, on one line above the plot; the chart is wide enough for it.
    let mut legend = String::new();
    let mut x = LEFT;
    for s in series {
        legend.push_str(&format!(
            "<rect class=\"{}\" x=\"{x}\" y=\"8\" width=\"10\" height=\"10\"/><text x=\"{}\" y=\"17\">{}</text>\n",
            escape_attr(s.class),
            x + 14,
            escape_attr(s.name)
        ));
        x += 14 + 7 * s.name.chars().count() as i64 + 16;
    }
    if let Some(limit) = limit {
        legend.push_str(&format!(
            "<line class=\"limit\" x1=\"{x}\" y1=\"13\" x2=\"{}\" y2=\"13\"/><text x=\"{}\" y=\"17\">{}</text>\n",
            x + 14,
            x + 18,
            escape_attr(limit.name)
        ));
        x += 18 + 7 * limit.name.chars().count() as i64 + 8;
    }
    let width = (LEFT + group * labels.len() as i64 + GAP).max(x).max(320);
    let top_value = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .chain(limit.map(|l| l.value))
        .max()
        .unwrap_or(0)
        .max(1);
    // A round scale: 1, 2 or 5 times a power of ten per step, four steps or fewer.
    let step = [1, 2, 5]
        .iter()
        .flat_map(|m| (0..12).map(move |p| m * 10i64.pow(p)))
        .filter(|step| step * 4 >= top_value)
        .min()
        .unwrap_or(1);
    let scale_top = (top_value + step - 1) / step * step;
    let y = |v: i64| BOTTOM - (BOTTOM - TOP) * v / scale_top;
    let id = escape_attr(id);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title\" viewBox=\"0 0 {width} {HEIGHT}\" width=\"{width}\" height=\"{HEIGHT}\">\n<title id=\"{id}-title\">{}</title>\n",
        escape_attr(title)
    );
    svg.push_str(&legend);
    // The scale.
    let mut tick = 0;
    while tick <= scale_top {
        svg.push_str(&format!(
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\"/><text class=\"tick\" x=\"{1}\" y=\"{2}\">{tick}</text>\n",
            y(tick),
            LEFT - 6,
            y(tick) + 4
        ));
        tick += step;
    }
    for (g, label) in labels.iter().enumerate() {
        let x0 = LEFT + GAP + group * g as i64;
        for (i, s) in series.iter().enumerate() {
            let x = x0 + BAR * i as i64;
            match s.values.get(g).copied().flatten() {
                Some(v) => {
                    let top = y(v.max(0));
                    svg.push_str(&format!(
                        "<rect class=\"{}\" x=\"{x}\" y=\"{top}\" width=\"{}\" height=\"{}\"/><text class=\"value\" x=\"{}\" y=\"{}\">{v}</text>\n",
                        escape_attr(s.class),
                        BAR - 2,
                        BOTTOM - top,
                        x + (BAR - 2) / 2,
                        top - 3
                    ));
                }
                None => svg.push_str(&format!(
                    "<text class=\"value\" x=\"{}\" y=\"{}\">–</text>\n",
                    x + (BAR - 2) / 2,
                    BOTTOM - 3
                )),
            }
        }
        svg.push_str(&format!(
            "<text class=\"label\" x=\"{}\" y=\"{}\">{}</text>\n",
            x0 + (group - GAP) / 2,
            BOTTOM + 16,
            escape_attr(label)
        ));
    }
    if let Some(limit) = limit {
        svg.push_str(&format!(
            "<line class=\"limit\" x1=\"{LEFT}\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\"/>\n",
            y(limit.value)
        ));
    }
    svg.push_str(&format!(
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{BOTTOM}\" x2=\"{width}\" y2=\"{BOTTOM}\"/>\n</svg>\n"
    ));
    svg
}

/// The three charts of the stats page: days to acknowledge and days to the first backup run
/// per month of submission, each against the policy's limit, and per release how many
/// requests made it, missed it or blocked it.
pub fn for_stats(stats: &Stats) -> [String; 3] {
    let months: Vec<String> = stats.months.iter().map(|m| m.month.to_string()).collect();
    let acknowledge = bars(
        "chart-acknowledge",
        &format!(
            "Median days from submission to acknowledgment, per month of submission, against the {}-hour answer",
            stats.response_hours
        ),
        &months,
        &[Series {
            name: "median days to acknowledge",
            class: "s1",
            values: stats
                .months
                .iter()
                .map(|m| m.median_days_to_acknowledge)
                .collect(),
        }],
        Some(&Limit {
            value: i64::from(stats.response_hours) / 24,
            name: "answer promised",
        }),
    );
    let first_run = bars(
        "chart-first-run",
        "Median days from submission to the first backup run, per month of submission, with how many requests ran and how many reported results in time",
        &months,
        &[
            Series {
                name: "median days to first run",
                class: "s1",
                values: stats
                    .months
                    .iter()
                    .map(|m| m.median_days_to_first_backup_run)
                    .collect(),
            },
            Series {
                name: "ran",
                class: "s2",
                values: stats
                    .months
                    .iter()
                    .map(|m| Some(m.with_backup_run as i64))
                    .collect(),
            },
            Series {
                name: "results in time",
                class: "s3",
                values: stats
                    .months
                    .iter()
                    .map(|m| Some(m.results_within_results_hours as i64))
                    .collect(),
            },
        ],
        None,
    );
    let releases: Vec<String> = stats
        .releases
        .iter()
        .map(|r| r.release.to_string())
        .collect();
    let count = |f: fn(&crate::stats::ReleaseStats) -> usize| -> Vec<Option<i64>> {
        stats.releases.iter().map(|r| Some(f(r) as i64)).collect()
    };
    let per_release = bars(
        "chart-releases",
        "Requests per release that made it, missed it, or blocked it",
        &releases,
        &[
            Series {
                name: "in",
                class: "s3",
                values: count(|r| r.made_it),
            },
            Series {
                name: "missed",
                class: "s4",
                values: count(|r| r.missed),
            },
            Series {
                name: "blockers",
                class: "s5",
                values: count(|r| r.blockers),
            },
        ],
        None,
    );
    [acknowledge, first_run, per_release]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_well_formed_and_titled() {
        let svg = bars(
            "ack",
            "Days to <answer>",
            &["2026-10".into(), "2026-11".into()],
            &[Series {
                name: "median",
                class: "s1",
                values: vec![Some(3), None],
            }],
            Some(&Limit {
                value: 2,
                name: "limit",
            }),
        );
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some("Days to <answer>"));
        assert_eq!(
            doc.descendants().filter(|n| n.has_tag_name("rect")).count(),
            2
        );
    }
}
