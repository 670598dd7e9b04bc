//! What the generated requests say: the models, actions and people they name, and the prose
//! of their markdown fields.
//!
//! Part of the corpus module (`corpus.rs`).

use super::Rng;

/// A datastore model a job works on.
pub struct Model {
    pub class: &'static str,
    /// The prefix of its output lines.
    pub code: &'static str,
    pub noun: &'static str,
    /// The module and function that load one in a shell, for the debug instructions.
    pub module: &'static str,
    pub getter: &'static str,
}

/// One model per line: class, output prefix, plural noun, loader module, loader function.
#[rustfmt::skip]
pub const MODELS: &[Model] = &[
    model("ExplorationModel", "EXP", "explorations", "exp_fetchers", "get_exploration_by_id"),
    model("QuestionModel", "QUESTION", "questions", "question_services", "get_question_by_id"),
    model("SkillModel", "SKILL", "skills", "skill_fetchers", "get_skill_by_id"),
    model("TopicModel", "TOPIC", "topics", "topic_fetchers", "get_topic_by_id"),
    model("StoryModel", "STORY", "stories", "story_fetchers", "get_story_by_id"),
    model("CollectionModel", "COLLECTION", "collections", "collection_services", "get_collection_by_id"),
    model("SubtopicPageModel", "SUBTOPIC PAGE", "subtopic pages", "subtopic_page_services", "get_subtopic_page_by_id"),
    model("UserSettingsModel", "USER SETTINGS", "users", "user_services", "get_user_settings"),
    model("BlogPostModel", "BLOG POST", "blog posts", "blog_services", "get_blog_post_by_id"),
    model("ClassroomModel", "CLASSROOM", "classrooms", "classroom_config_services", "get_classroom_by_id"),
    model("ExpSummaryModel", "EXP SUMMARY", "exploration summaries", "exp_fetchers", "get_exploration_summary_by_id"),
    model("LearnerGroupModel", "LEARNER GROUP", "learner groups", "learner_group_fetchers", "get_learner_group_by_id"),
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
pub struct Action {
    pub verb: &'static str,
    /// The count line of the items it wrote, e.g. `MIGRATED`.
    pub done: &'static str,
    pub title: &'static str,
    /// Whether it changes the datastore (an audit only counts).
    pub writes: bool,
}

#[rustfmt::skip]
pub const ACTIONS: &[Action] = &[
    Action { verb: "Migrate", done: "MIGRATED", title: "Migrate {field} on {class} to the new schema", writes: true },
    Action { verb: "Audit", done: "FLAGGED", title: "Audit {class} for invalid {field}", writes: false },
    Action { verb: "Populate", done: "UPDATED", title: "Populate missing {field} on {class}", writes: true },
    Action { verb: "Regenerate", done: "REGENERATED", title: "Regenerate {field} for every {class}", writes: true },
    Action { verb: "Remove", done: "CLEANED", title: "Remove deprecated {field} from {class}", writes: true },
    Action { verb: "Normalize", done: "NORMALIZED", title: "Normalize legacy {field} values on {class}", writes: true },
];

/// Fields a job can touch: words for titles, and the stored name.
pub const FIELDS: &[(&str, &str)] = &[
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

#[rustfmt::skip]
pub const AUTHORS: &[&str] = &[
    "priyanka-dev21", "devansh-q", "tanvi-skills", "sneha-gupta-dev", "rahulkmr-oppia", "nikhil-ux",
    "arjun-translate", "mehul-contrib", "kavya-ops", "lucia-m", "omar-hassan", "wei-chen-dev",
    "fatima-z", "jonas-k", "amara-obi", "ravi2024", "sofia-rt", "kenji-t",
];

pub const ERRORS: &[&str] = &[
    "ValidationError('Invalid language code: abc')",
    "ValidationError('Expected schema version 57, received 55')",
    "KeyError('thumbnail_filename')",
    "ValidationError('Rubric explanation cannot be empty')",
    "TypeError(\"'NoneType' object is not iterable\")",
    "EntityNotFoundError('Topic not found')",
];

pub fn reason(rng: &mut Rng, m: &Model, field_words: &str) -> String {
    let release = format!("3.4.{}", rng.range(1, 9));
    format!(
        "The job last ran in release {release}. Since then a bug in the editor wrote \
         stale {field_words} to about {} `{}` entities, and the **Contributor Dashboard** \
         shows wrong numbers for them.\nThe job itself is unchanged; it only needs to run \
         again.\n",
        rng.range(20, 900),
        m.class
    )
}

pub fn fixed(rng: &mut Rng, m: &Model) -> String {
    format!(
        "The previous run failed on {} {}. Both causes are fixed:\n\n\
         - **Case-sensitive lookup.** Values are now lower-cased before the lookup.\n\
         - **Unconvertible items.** They are skipped and counted instead of written; \
         new tests cover both.\n",
        rng.range(2, 40),
        m.noun
    )
}

pub fn summary(rng: &mut Rng, act: &Action, m: &Model, field: &str, job: &str) -> String {
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
    if rng.chance(30) {
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

pub fn verify(rng: &mut Rng, act: &Action, m: &Model, field: &str) -> String {
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
    if rng.chance(50) {
        text.push_str(&format!(
            "3. Run `Audit{}Job` afterwards: it must report `{} WITH OLD VALUE SUCCESS: 0`.\n",
            m.class.trim_end_matches("Model"),
            m.code
        ));
    }
    text
}

pub fn success_description(act: &Action, m: &Model) -> String {
    format!(
        "One aggregate line per outcome. `PROCESSED` is the number of {}; `{}` is how many \
         the job {}.\n",
        m.noun,
        act.done,
        if act.writes { "wrote" } else { "flagged" }
    )
}

pub fn failure_description(act: &Action, m: &Model) -> String {
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

pub fn on_output(act: &Action) -> String {
    format!(
        "Record the output and send the `{}` count to the author. If there are error lines, \
         send the full list to the author and the release team the same day.\n",
        act.done
    )
}

pub fn recover(act: &Action, m: &Model) -> String {
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

pub fn debug(m: &Model) -> String {
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
