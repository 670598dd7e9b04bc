//! A deterministic site of many realistic, valid requests, for benchmarks and load tests.
//!
//! One module, included with `#[path]` by the `generate` example, the `site` benchmark and the
//! test suite, so the site that is measured is the site whose validity is tested. Requests are
//! built as a small YAML tree ([`Value`]) so the same fields can be written as a request file
//! and as the front matter of another generator's content page.
//!
//! Everything comes from a fixed seed and a fixed "today" ([`TODAY`]): the same `n` always gives
//! the same files. Dates are computed with the library's calendar from the copied
//! `content/site.yaml`, so every request is valid under its policy and lands in the state it
//! was made for ([`Generated::state`]).

// Each includer uses a different part of this module.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io;
use std::path::Path;

use chrono::NaiveDate;
use jobgate::config::SiteConfig;

#[path = "plan.rs"]
mod plan;
#[path = "words.rs"]
mod words;
#[path = "yaml_out.rs"]
mod yaml_out;

use plan::Outcome;
use words::{ACTIONS, AUTHORS, Action, ERRORS, FIELDS, MODELS, Model};
pub use yaml_out::{Value, write_map};

/// The day every generated site is meant to be checked and built on (`--today`).
pub const TODAY: &str = "2026-11-27";

/// Written into a folder this module generated, so it may later be cleaned and regenerated.
const MARKER: &str = ".generated-corpus";

/// Every derived state, in the order the first eight requests take them.
pub const STATES: [&str; 8] = [
    "withdrawn",
    "approved",
    "failed",
    "passed",
    "verifying",
    "overdue",
    "scheduled",
    "submitted",
];

/// How often each state of [`STATES`] is drawn after the first eight: a site that has run for a
/// while is mostly approved requests, with a steady tail of open ones.
const WEIGHTS: [u64; 8] = [8, 40, 10, 8, 6, 8, 10, 10];

/// One generated request.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The file stem, and the page's address under `jobs/`.
    pub id: String,
    /// The state `jobgate status` derives for it on [`TODAY`].
    pub state: &'static str,
    /// The request's fields, in file order.
    pub fields: Vec<(&'static str, Value)>,
}

impl Generated {
    /// The request file's text.
    pub fn yaml(&self) -> String {
        let mut out = String::from("# yaml-language-server: $schema=schema.json\n");
        write_map(&mut out, &self.fields, 0, false);
        out
    }

    /// A top-level field.
    pub fn field(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// [`TODAY`] as a date.
pub fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("TODAY is a date")
}

/// Writes a complete site root to `dir`: `content/site.yaml` and `content/guide/` copied from
/// the repository at `repo`, and `n` generated requests. `dir` must be missing, empty, or a
/// folder this function wrote before (its old requests are replaced).
pub fn write_site(repo: &Path, dir: &Path, n: usize) -> io::Result<Vec<Generated>> {
    prepare(repo, dir)?;
    let site_yaml = std::fs::read_to_string(repo.join("content/site.yaml"))?;
    let config = jobgate::config::parse(&site_yaml).map_err(|found| {
        io::Error::other(format!("content/site.yaml has {} problem(s)", found.len()))
    })?;
    std::fs::create_dir_all(dir.join("content/guide"))?;
    std::fs::write(dir.join("content/site.yaml"), &site_yaml)?;
    for entry in std::fs::read_dir(repo.join("content/guide"))? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(
                entry.path(),
                dir.join("content/guide").join(entry.file_name()),
            )?;
        }
    }
    let requests_dir = dir.join("requests");
    std::fs::create_dir_all(&requests_dir)?;
    std::fs::copy(
        repo.join("requests/schema.json"),
        requests_dir.join("schema.json"),
    )?;
    let requests = generate(&config, n);
    for request in &requests {
        std::fs::write(
            requests_dir.join(format!("{}.yaml", request.id)),
            request.yaml(),
        )?;
    }
    Ok(requests)
}

/// Refuses to touch a folder that holds anything but an earlier generated site; clears the
/// requests of one that does.
fn prepare(repo: &Path, dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
    } else if dir.join(MARKER).is_file() {
        let requests = dir.join("requests");
        if requests.is_dir() {
            std::fs::remove_dir_all(&requests)?;
        }
    } else if std::fs::read_dir(dir)?.next().is_some()
        || dir.canonicalize()? == repo.canonicalize()?
    {
        return Err(io::Error::other(format!(
            "{} is not empty and was not made by this generator; pick a new folder",
            dir.display()
        )));
    }
    std::fs::write(dir.join(MARKER), "written by benches/support/corpus.rs\n")
}

/// `n` requests, valid under `config` on [`TODAY`], cycling through every state first.
pub fn generate(config: &SiteConfig, n: usize) -> Vec<Generated> {
    let mut maker = Maker {
        rng: Rng(0x6a6f_6267_6174_6521),
        config,
        today: today(),
        names: HashMap::new(),
        failed: Vec::new(),
    };
    (0..n)
        .map(|i| {
            let state = if i < STATES.len() {
                STATES[i]
            } else {
                STATES[maker.rng.weighted(&WEIGHTS)]
            };
            maker.request(i, state)
        })
        .collect()
}

/// SplitMix64: small, fast and the same everywhere, which is all a corpus needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }

    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut roll = self.next() % weights.iter().sum::<u64>();
        for (i, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return i;
            }
            roll -= weight;
        }
        weights.len() - 1
    }

    fn token(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        (0..len).map(|_| *self.pick(CHARS) as char).collect()
    }
}

struct Maker<'a> {
    rng: Rng,
    config: &'a SiteConfig,
    today: NaiveDate,
    /// How often each (action, model, field) name was used, to keep ids and class names unique.
    names: HashMap<(usize, usize, usize), u32>,
    /// Ids and submission days of failed requests, which later ones may resubmit.
    failed: Vec<(String, NaiveDate)>,
}

impl Maker<'_> {
    fn request(&mut self, index: usize, state: &'static str) -> Generated {
        let (ai, mi, fi) = (
            self.rng.next() as usize % ACTIONS.len(),
            self.rng.next() as usize % MODELS.len(),
            self.rng.next() as usize % FIELDS.len(),
        );
        let (act, m, (field_words, field)) = (&ACTIONS[ai], &MODELS[mi], FIELDS[fi]);
        let uses = {
            let count = self.names.entry((ai, mi, fi)).or_insert(0);
            *count += 1;
            *count
        };
        let version = if uses > 1 {
            format!("V{uses}")
        } else {
            String::new()
        };
        let stem = m.class.trim_end_matches("Model");
        let field_camel: String = field_words
            .split(' ')
            .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
            .collect();
        let job = format!("{}{stem}{field_camel}{version}Job", act.verb);
        let mut id = format!(
            "{}-{}-{}",
            act.verb,
            kebab(stem),
            field_words.replace(' ', "-")
        )
        .to_ascii_lowercase();
        if uses > 1 {
            id.push_str(&format!("-{uses}"));
        }
        let mut jobs = vec![job.clone()];
        if act.writes && self.rng.chance(15) {
            // Named for the action, so it never clashes with a job of the `Audit` action.
            jobs.insert(
                0,
                format!("Audit{stem}{field_camel}Before{}{version}Job", act.verb),
            );
        }

        let plan = self.plan(state);
        let target = self.target_for(plan.submitted);
        let kind_new = self.rng.chance(70);
        let previous = if kind_new && state != "withdrawn" && self.rng.chance(6) {
            let earlier = self
                .failed
                .iter()
                .rev()
                .find(|(_, day)| *day < plan.submitted);
            earlier.map(|(id, _)| id.clone())
        } else {
            None
        };
        if state == "failed" {
            self.failed.push((id.clone(), plan.submitted));
        }
        let title = act
            .title
            .replace("{field}", field_words)
            .replace("{class}", m.class);
        let success: Vec<String> = [
            format!("{} PROCESSED SUCCESS: <n>", m.code),
            format!("{} {} SUCCESS: <n>", m.code, act.done),
            format!("{} ALREADY {} SUCCESS: <n>", m.code, act.done),
        ]
        .into_iter()
        .take(if act.writes { 3 } else { 2 })
        .collect();
        let mut failure = vec![format!("{} PROCESSED ERROR: \"<any>\": <n>", m.code)];
        if self.rng.chance(40) {
            failure.push(format!("{} {} ERROR: \"<any>\": <n>", m.code, act.done));
        }
        let test_file = format!(
            "core/jobs/batch_jobs/{}_{}_jobs_test.py::{job}Tests",
            snake(stem),
            act.verb.to_ascii_lowercase()
        );
        let noun_one = m.noun.trim_end_matches('s').replace(' ', "_");

        let mut f: Vec<(&'static str, Value)> = vec![
            ("title", Value::Str(title.clone())),
            (
                "jobs",
                Value::List(jobs.iter().cloned().map(Value::Plain).collect()),
            ),
            ("kind", plain(if kind_new { "new" } else { "existing" })),
        ];
        if !kind_new {
            f.push((
                "reason",
                Value::Text(words::reason(&mut self.rng, m, field_words)),
            ));
        }
        f.push(("author", plain(self.rng.pick(AUTHORS))));
        if kind_new {
            let pr = format!(
                "https://github.com/{}/pull/{}",
                self.config.repository,
                18_000 + index * 3
            );
            f.push(("pr", Value::Plain(pr)));
        }
        f.push(("submitted", plain(plan.submitted)));
        f.push(("target_release", Value::Str(target.to_string())));
        f.push(("essential", plain(self.rng.chance(8))));
        if let Some(previous) = &previous {
            f.push(("previous_request", Value::Plain(previous.clone())));
            f.push(("fixed", Value::Text(words::fixed(&mut self.rng, m))));
        }
        f.push((
            "summary",
            Value::Text(words::summary(&mut self.rng, act, m, field, &job)),
        ));
        f.push((
            "readiness",
            Value::Map(vec![
                ("tested_locally", plain(true)),
                ("reviewers_approved", plain(true)),
            ]),
        ));
        f.push((
            "output",
            Value::Map(vec![
                (
                    "success",
                    Value::Map(vec![
                        (
                            "description",
                            Value::Text(words::success_description(act, m)),
                        ),
                        ("expected", strs(&success)),
                    ]),
                ),
                (
                    "failure",
                    Value::Map(vec![
                        (
                            "description",
                            Value::Text(words::failure_description(act, m)),
                        ),
                        ("expected", strs(&failure)),
                    ]),
                ),
            ]),
        ));
        let mut tests_success = vec![format!(
            "{test_file}::test_{}_outdated_{noun_one}",
            act.verb.to_ascii_lowercase()
        )];
        if self.rng.chance(60) {
            tests_success.push(format!(
                "{test_file}::test_up_to_date_{noun_one}_is_skipped"
            ));
        }
        let tests_failure = vec![format!(
            "{test_file}::test_invalid_{noun_one}_reports_error"
        )];
        f.push((
            "tests",
            Value::Map(vec![
                ("success", strs(&tests_success)),
                ("failure", strs(&tests_failure)),
            ]),
        ));
        let mut instructions = vec![
            (
                "verify",
                Value::Text(words::verify(&mut self.rng, act, m, field)),
            ),
            ("on_output", Value::Text(words::on_output(act))),
            ("recover", Value::Text(words::recover(act, m))),
            ("debug", Value::Text(words::debug(m))),
        ];
        if self.rng.chance(30) {
            let doc = format!("https://github.com/oppia/oppia/wiki/{}-jobs", act.verb);
            instructions.push(("doc", Value::Plain(doc)));
        }
        f.push(("instructions", Value::Map(instructions)));
        if let Some((on, weekend)) = plan.scheduled {
            let by = self.rng.pick(&self.config.coordinators).clone();
            f.push((
                "scheduled",
                Value::Map(vec![
                    ("by", Value::Plain(by)),
                    ("on", plain(on)),
                    ("weekend", plain(weekend)),
                ]),
            ));
        }
        if !plan.runs.is_empty() {
            let runs = plan
                .runs
                .iter()
                .map(|(on, outcome)| self.run(*on, *outcome, m, act, &success, &failure))
                .collect();
            f.push(("runs", Value::List(runs)));
        }
        if let Some(on) = plan.approval {
            let by = self.rng.pick(&self.config.admins).clone();
            f.push((
                "approval",
                Value::Map(vec![
                    ("by", Value::Plain(by)),
                    ("on", plain(on)),
                    ("release", Value::Str(target.to_string())),
                ]),
            ));
        }
        if let Some(on) = plan.withdrawn {
            let reason = format!(
                "Not needed any more: the **{}** work that motivated it was dropped, and \
                 `{job}` will not be merged.\nThe pull request has been closed.\n",
                m.class
            );
            f.push((
                "withdrawn",
                Value::Map(vec![("on", plain(on)), ("reason", Value::Text(reason))]),
            ));
        }
        if self.rng.chance(35) {
            let notes = format!(
                "Background is in the [job testing wiki page]\
                 (https://github.com/oppia/oppia/wiki/Testing-jobs-and-other-features-on-production).\n\
                 Ask in the release thread before changing the target release of `{job}`.\n"
            );
            f.push(("notes", Value::Text(notes)));
        }
        Generated {
            id,
            state,
            fields: f,
        }
    }

    fn run(
        &mut self,
        on: NaiveDate,
        outcome: Outcome,
        m: &Model,
        act: &Action,
        success: &[String],
        failure: &[String],
    ) -> Value {
        let by = self.rng.pick(&self.config.coordinators).clone();
        let total = self.rng.range(40, 60_000);
        let done = self.rng.range(0, total);
        let counts = [total, done, total - done];
        let stdout: String = success
            .iter()
            .zip(counts)
            .map(|(pattern, count)| format!("{}\n", pattern.replace("<n>", &count.to_string())))
            .collect();
        let (server, result, stderr, verified) = match outcome {
            Outcome::Success(verified) => ("backup", "success", String::new(), verified),
            Outcome::Production => ("production", "success", String::new(), true),
            Outcome::Failure => {
                let lines = self.rng.range(1, 6);
                let stderr = (0..lines)
                    .map(|_| {
                        let pattern = self.rng.pick(failure).clone();
                        let item = format!("('{}', {})", self.rng.token(12), self.rng.pick(ERRORS));
                        format!("{}\n", pattern.replace("<any>", &item).replace("<n>", "1"))
                    })
                    .collect();
                ("backup", "failure", stderr, false)
            }
            Outcome::Error => {
                let stderr = format!(
                    "Traceback (most recent call last):\n  File \"core/jobs/job_utils.py\", line 214, in run\n    \
                     results = pipeline.run()\n  File \"core/jobs/batch_jobs/{}_jobs.py\", line {}, in process\n    \
                     model.update_timestamps()\ngoogle.api_core.exceptions.DeadlineExceeded: 504 Deadline of 60.0s exceeded\n",
                    snake(m.class.trim_end_matches("Model")),
                    self.rng.range(40, 400)
                );
                ("backup", "error", stderr, false)
            }
        };
        let mut run = vec![
            ("on", plain(on)),
            ("server", plain(server)),
            ("by", Value::Plain(by)),
            ("result", plain(result)),
            (
                "stdout",
                if result == "error" {
                    Value::Output(stdout.lines().next().unwrap_or_default().to_owned() + "\n")
                } else {
                    Value::Output(stdout)
                },
            ),
            (
                "stderr",
                if stderr.is_empty() {
                    Value::Str(String::new())
                } else {
                    Value::Output(stderr)
                },
            ),
            ("outcome_verified", plain(verified)),
        ];
        let evidence = match outcome {
            Outcome::Success(true) | Outcome::Production => format!(
                "- Output matched; the counts add up to `PROCESSED` ({total}).\n\
                 - Datastore viewer: three `{}` entities checked by hand look right.\n\
                 - The validation job afterwards reported no {} {}.\n",
                m.class,
                m.noun,
                if act.writes {
                    "left to fix"
                } else {
                    "it missed"
                }
            ),
            Outcome::Success(false) => {
                "Output matches. The validation job has not been run yet, so the outcome \
                 is **not verified**.\n"
                    .to_owned()
            }
            Outcome::Failure | Outcome::Error => format!(
                "**Not verified**: the run did not finish cleanly.\n\n\
                 1. The error lines name the failing {}.\n\
                 2. Results were sent to the author and the release team.\n",
                m.noun
            ),
        };
        run.push(("evidence", Value::Text(evidence)));
        if self.rng.chance(40) {
            let minutes = self.rng.range(2, 95);
            run.push(("notes", Value::Str(format!("Run took {minutes} minutes."))));
        }
        Value::Map(run)
    }
}

fn plain(value: impl ToString) -> Value {
    Value::Plain(value.to_string())
}

fn strs(items: &[String]) -> Value {
    Value::List(items.iter().cloned().map(Value::Str).collect())
}

fn kebab(camel: &str) -> String {
    snake(camel).replace('_', "-")
}

fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
