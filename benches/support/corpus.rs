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

use chrono::{Days, NaiveDate};
use jobgate::calendar;
use jobgate::config::SiteConfig;
use jobgate::month::Month;

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

/// A YAML value as the generator writes it.
#[derive(Clone, Debug)]
pub enum Value {
    /// A one-line string, written single-quoted.
    Str(String),
    /// Markdown, written as a literal block with its prose wrapped.
    Text(String),
    /// Job output, written as a literal block line for line.
    Output(String),
    /// Written as is: dates, numbers, booleans, enum words.
    Plain(String),
    List(Vec<Value>),
    Map(Vec<(&'static str, Value)>),
}

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

/// A datastore model a job works on.
struct Model {
    class: &'static str,
    /// The prefix of its output lines.
    code: &'static str,
    noun: &'static str,
    module: &'static str,
    getter: &'static str,
}

const MODELS: &[Model] = &[
    model(
        "ExplorationModel",
        "EXP",
        "explorations",
        "exp_fetchers",
        "get_exploration_by_id",
    ),
    model(
        "QuestionModel",
        "QUESTION",
        "questions",
        "question_services",
        "get_question_by_id",
    ),
    model(
        "SkillModel",
        "SKILL",
        "skills",
        "skill_fetchers",
        "get_skill_by_id",
    ),
    model(
        "TopicModel",
        "TOPIC",
        "topics",
        "topic_fetchers",
        "get_topic_by_id",
    ),
    model(
        "StoryModel",
        "STORY",
        "stories",
        "story_fetchers",
        "get_story_by_id",
    ),
    model(
        "CollectionModel",
        "COLLECTION",
        "collections",
        "collection_services",
        "get_collection_by_id",
    ),
    model(
        "SubtopicPageModel",
        "SUBTOPIC PAGE",
        "subtopic pages",
        "subtopic_page_services",
        "get_subtopic_page_by_id",
    ),
    model(
        "UserSettingsModel",
        "USER SETTINGS",
        "users",
        "user_services",
        "get_user_settings",
    ),
    model(
        "BlogPostModel",
        "BLOG POST",
        "blog posts",
        "blog_services",
        "get_blog_post_by_id",
    ),
    model(
        "ClassroomModel",
        "CLASSROOM",
        "classrooms",
        "classroom_config_services",
        "get_classroom_by_id",
    ),
    model(
        "ExpSummaryModel",
        "EXP SUMMARY",
        "exploration summaries",
        "exp_fetchers",
        "get_exploration_summary_by_id",
    ),
    model(
        "LearnerGroupModel",
        "LEARNER GROUP",
        "learner groups",
        "learner_group_fetchers",
        "get_learner_group_by_id",
    ),
];

const fn model(
    class: &'static str,
    code: &'static str,
    noun: &'static str,
    module: &'static str,
    getter: &'static str,
) -> Model {
    Model {
        class,
        code,
        noun,
        module,
        getter,
    }
}

/// What a job does, with the words its class, id, title and output use.
struct Action {
    verb: &'static str,
    /// The count line of the items it wrote, e.g. `MIGRATED`.
    done: &'static str,
    title: &'static str,
    writes: bool,
}

const ACTIONS: &[Action] = &[
    action(
        "Migrate",
        "MIGRATED",
        "Migrate {field} on {class} to the new schema",
        true,
    ),
    action(
        "Audit",
        "FLAGGED",
        "Audit {class} for invalid {field}",
        false,
    ),
    action(
        "Populate",
        "UPDATED",
        "Populate missing {field} on {class}",
        true,
    ),
    action(
        "Regenerate",
        "REGENERATED",
        "Regenerate {field} for every {class}",
        true,
    ),
    action(
        "Remove",
        "CLEANED",
        "Remove deprecated {field} from {class}",
        true,
    ),
    action(
        "Normalize",
        "NORMALIZED",
        "Normalize legacy {field} values on {class}",
        true,
    ),
];

const fn action(
    verb: &'static str,
    done: &'static str,
    title: &'static str,
    writes: bool,
) -> Action {
    Action {
        verb,
        done,
        title,
        writes,
    }
}

/// Fields a job can touch: words for titles, and the stored name.
const FIELDS: &[(&str, &str)] = &[
    ("language codes", "language_code"),
    ("thumbnail sizes", "thumbnail_size_in_bytes"),
    ("state schema", "states_schema_version"),
    ("translation counts", "translation_counts"),
    ("rubric explanations", "rubrics"),
    ("content ids", "next_content_id_index"),
    ("voiceover metadata", "recorded_voiceovers"),
    ("url fragments", "url_fragment"),
    ("author ids", "author_id"),
    ("last updated times", "last_updated"),
];

const AUTHORS: &[&str] = &[
    "priyanka-dev21",
    "devansh-q",
    "tanvi-skills",
    "sneha-gupta-dev",
    "rahulkmr-oppia",
    "nikhil-ux",
    "arjun-translate",
    "mehul-contrib",
    "kavya-ops",
    "lucia-m",
    "omar-hassan",
    "wei-chen-dev",
    "fatima-z",
    "jonas-k",
    "amara-obi",
    "ravi2024",
    "sofia-rt",
    "kenji-t",
];

const ERRORS: &[&str] = &[
    "ValidationError('Invalid language code: abc')",
    "ValidationError('Expected schema version 57, received 55')",
    "KeyError('thumbnail_filename')",
    "ValidationError('Rubric explanation cannot be empty')",
    "TypeError(\"'NoneType' object is not iterable\")",
    "EntityNotFoundError('Topic not found')",
];

struct Maker<'a> {
    rng: Rng,
    config: &'a SiteConfig,
    today: NaiveDate,
    /// How often each (action, model, field) name was used, to keep ids and class names unique.
    names: HashMap<(usize, usize, usize), u32>,
    /// Ids and submission days of failed requests, which later ones may resubmit.
    failed: Vec<(String, NaiveDate)>,
}

/// The dated facts of a request, chosen first so every date agrees with the others.
#[derive(Default)]
struct Plan {
    submitted: NaiveDate,
    scheduled: Option<(NaiveDate, NaiveDate)>,
    runs: Vec<(NaiveDate, Outcome)>,
    approval: Option<NaiveDate>,
    withdrawn: Option<NaiveDate>,
}

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
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
    fn days_ago(&mut self, lo: u64, hi: u64) -> NaiveDate {
        self.today - Days::new(self.rng.range(lo, hi))
    }

    fn weekend_after(&self, day: NaiveDate) -> NaiveDate {
        calendar::weekend_start_after(&self.config.policy, day)
    }

    fn results_due(&self, weekend: NaiveDate) -> NaiveDate {
        calendar::results_due(&self.config.policy, weekend)
    }

    /// The earliest release the request can aim at without a late-submission warning,
    /// sometimes one later.
    fn target_for(&mut self, submitted: NaiveDate) -> Month {
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

    fn plan(&mut self, state: &str) -> Plan {
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
    fn acknowledged(&mut self, submitted: NaiveDate, weekend: NaiveDate) -> NaiveDate {
        (submitted + Days::new(self.rng.range(0, 2)))
            .min(weekend)
            .min(self.today)
    }

    /// Plans for the states that have runs: failed, passed, verifying, approved.
    fn plan_with_runs(&mut self, state: &str) -> Plan {
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
            f.push(("reason", Value::Text(self.reason(m, field_words))));
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
            f.push(("fixed", Value::Text(self.fixed(m))));
        }
        f.push(("summary", Value::Text(self.summary(act, m, field, &job))));
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
                        ("description", Value::Text(success_description(act, m))),
                        ("expected", strs(&success)),
                    ]),
                ),
                (
                    "failure",
                    Value::Map(vec![
                        ("description", Value::Text(failure_description(act, m))),
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
            ("verify", Value::Text(self.verify(act, m, field))),
            ("on_output", Value::Text(on_output(act))),
            ("recover", Value::Text(recover(act, m))),
            ("debug", Value::Text(debug(m))),
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

    fn reason(&mut self, m: &Model, field_words: &str) -> String {
        let release = format!("3.4.{}", self.rng.range(1, 9));
        format!(
            "The job last ran in release {release}. Since then a bug in the editor wrote \
             stale {field_words} to about {} `{}` entities, and the **Contributor Dashboard** \
             shows wrong numbers for them.\nThe job itself is unchanged; it only needs to run \
             again.\n",
            self.rng.range(20, 900),
            m.class
        )
    }

    fn fixed(&mut self, m: &Model) -> String {
        format!(
            "The previous run failed on {} {}. Both causes are fixed:\n\n\
             - **Case-sensitive lookup.** Values are now lower-cased before the lookup.\n\
             - **Unconvertible items.** They are skipped and counted instead of written; \
             new tests cover both.\n",
            self.rng.range(2, 40),
            m.noun
        )
    }

    fn summary(&mut self, act: &Action, m: &Model, field: &str, job: &str) -> String {
        let mut text = format!(
            "`{job}` reads every `{}` and works on its `{field}`.\n\n\
             Without it, the {} that still carry the old value fail validation in the nightly \
             audit and show wrong data in the **learner view**. The job:\n\n\
             - loads each `{}` with its snapshot metadata;\n\
             - computes the new `{field}` from the current domain object;\n",
            m.class, m.noun, m.class
        );
        if act.writes {
            text.push_str(
                "- validates the result and commits it as the migration bot;\n\
                 - leaves items that are already up to date untouched.\n",
            );
        } else {
            text.push_str("- writes nothing: it only counts what a later migration must fix.\n");
        }
        if self.rng.chance(30) {
            text.push_str(&format!(
                "\n| line | meaning |\n| --- | --- |\n| `PROCESSED` | every {} read |\n\
                 | `{}` | those the job {} |\n",
                m.noun,
                act.done,
                if act.writes { "wrote" } else { "flagged" }
            ));
        }
        text
    }

    fn verify(&mut self, act: &Action, m: &Model, field: &str) -> String {
        let sum = if act.writes {
            format!(
                ", and `{0}` plus `ALREADY {0}` equals `PROCESSED`",
                act.done
            )
        } else {
            String::new()
        };
        let mut text = format!(
            "1. The output has **no** `ERROR` lines{sum}.\n\
             2. In the datastore viewer, open three `{}` entities and check `{field}`.\n",
            m.class
        );
        if self.rng.chance(50) {
            text.push_str(&format!(
                "3. Run `Audit{}Job` afterwards: it must report `{} WITH OLD VALUE SUCCESS: 0`.\n",
                m.class.trim_end_matches("Model"),
                m.code
            ));
        }
        text
    }
}

fn success_description(act: &Action, m: &Model) -> String {
    format!(
        "One aggregate line per outcome. `PROCESSED` is the number of {}; `{}` is how many \
         the job {}.\n",
        m.noun,
        act.done,
        if act.writes { "wrote" } else { "flagged" }
    )
}

fn failure_description(act: &Action, m: &Model) -> String {
    format!(
        "One line per failing {}, naming its id and the exception. {}\n",
        m.noun.trim_end_matches('s'),
        if act.writes {
            "Failing items are not written."
        } else {
            "Nothing is written either way."
        }
    )
}

fn on_output(act: &Action) -> String {
    format!(
        "Record the output and send the `{}` count to the author. If there are error lines, \
         send the full list to the author and the release team the same day.\n",
        act.done
    )
}

fn recover(act: &Action, m: &Model) -> String {
    if act.writes {
        format!(
            "Each {} is committed separately and items already done are skipped, so a partial \
             run is finished by **running the job again**. A wrong commit can be reverted from \
             the item's history page.\n",
            m.noun.trim_end_matches('s')
        )
    } else {
        "Nothing to recover: the job writes nothing. If it stops midway, run it again.\n".to_owned()
    }
}

fn debug(m: &Model) -> String {
    format!(
        "For each error line, load the item in a shell on the backup server:\n\n\
         ```python\n\
         from core.domain import {module}\n\
         item = {module}.{getter}('ITEM_ID')\n\
         item.validate()\n\
         ```\n\n\
         Attach the traceback to the pull request.\n",
        module = m.module,
        getter = m.getter
    )
}

/// Wraps markdown prose at `width` columns as people write it: list items continue under their
/// text; code blocks, tables and job output are left as they are.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if fenced || line.starts_with("```") || line.starts_with('|') || line.len() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let marker = if line.starts_with("- ") {
            2
        } else {
            line.find(". ")
                .filter(|at| line[..*at].bytes().all(|b| b.is_ascii_digit()))
                .map_or(0, |at| at + 2)
        };
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.len() + 1 + word.len() > width {
                out.push_str(&current);
                out.push('\n');
                current = " ".repeat(marker);
            } else if !current.is_empty() && !current.ends_with(' ') {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
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

/// Writes `map` as block YAML at `indent` spaces. `quote_keys` single-quotes every key, for
/// YAML 1.1 readers that take a bare `on` for `true`.
pub fn write_map(out: &mut String, map: &[(&'static str, Value)], indent: usize, quote_keys: bool) {
    let pad = " ".repeat(indent);
    for (key, value) in map {
        let key = if quote_keys {
            format!("'{key}'")
        } else {
            (*key).to_owned()
        };
        match value {
            Value::Map(inner) => {
                out.push_str(&format!("{pad}{key}:\n"));
                write_map(out, inner, indent + 2, quote_keys);
            }
            Value::List(items) => {
                out.push_str(&format!("{pad}{key}:\n"));
                write_list(out, items, indent + 2, quote_keys);
            }
            scalar => {
                out.push_str(&format!("{pad}{key}:"));
                write_scalar(out, scalar, indent + 2);
            }
        }
    }
}

fn write_list(out: &mut String, items: &[Value], indent: usize, quote_keys: bool) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Value::Map(inner) => {
                let mut nested = String::new();
                write_map(&mut nested, inner, indent + 2, quote_keys);
                out.push_str(&pad);
                out.push_str("- ");
                out.push_str(&nested[indent + 2..]);
            }
            Value::List(inner) => {
                out.push_str(&format!("{pad}-\n"));
                write_list(out, inner, indent + 2, quote_keys);
            }
            scalar => {
                out.push_str(&format!("{pad}-"));
                write_scalar(out, scalar, indent + 2);
            }
        }
    }
}

/// Writes ` value\n` after a key or dash; literal blocks indent their lines by `indent`.
fn write_scalar(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Str(text) => out.push_str(&format!(" '{}'\n", text.replace('\'', "''"))),
        Value::Plain(text) => out.push_str(&format!(" {text}\n")),
        Value::Text(markdown) => write_block(out, &wrap(markdown, 88 - indent.min(40)), indent),
        Value::Output(output) => write_block(out, output, indent),
        Value::Map(_) | Value::List(_) => unreachable!("collections are written by their parent"),
    }
}

/// A literal block: ` |` and each line of `text` indented by `indent`.
fn write_block(out: &mut String, text: &str, indent: usize) {
    out.push_str(" |\n");
    let pad = " ".repeat(indent);
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}{line}\n"));
        }
    }
}
