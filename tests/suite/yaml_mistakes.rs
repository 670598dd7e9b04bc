//! The common YAML mistakes as a first-time author makes them, one invalid fixture each, and
//! what `check` shows for them in its human format: the mistake in plain words at its line, a
//! help line, the parser's own words as a note. Also a key written twice (JG107) in all three
//! formats, and lone carriage returns (JG007).

use jobgate::diagnostics::{self, Sources};
use jobgate::request;

use super::common;

/// The human rendering of one invalid request fixture, as `check` prints it without color.
fn human(name: &str) -> String {
    let file = format!("requests/{name}.yaml");
    let bytes = std::fs::read(common::fixture_dir("invalid").join(&file)).unwrap();
    let (_, mut found) = request::parse(&bytes, &file);
    diagnostics::sort(&mut found);
    let mut sources = Sources::new();
    sources.insert(file, String::from_utf8(bytes).unwrap());
    diagnostics::render_human(&found, &sources, false)
}

#[test]
fn tab_in_indentation() {
    insta::assert_snapshot!("yaml_tab", human("jg003-tab"));
}

#[test]
fn colon_inside_an_unquoted_value() {
    insta::assert_snapshot!("yaml_colon_in_value", human("jg003-colon-in-value"));
}

#[test]
fn output_pasted_at_column_0_under_a_block() {
    insta::assert_snapshot!("yaml_pasted_output", human("jg003-pasted-output"));
}

#[test]
fn unquoted_pattern_read_as_a_map() {
    insta::assert_snapshot!("yaml_pattern_as_map", human("jg102-pattern-read-as-map"));
}

#[test]
fn quote_never_closed() {
    insta::assert_snapshot!("yaml_unclosed_quote", human("jg003-unclosed-quote"));
}

#[test]
fn bracket_never_closed() {
    insta::assert_snapshot!("yaml_unclosed_bracket", human("jg003-yaml-syntax"));
}

#[test]
fn list_item_at_the_wrong_indentation() {
    insta::assert_snapshot!("yaml_list_indent", human("jg003-list-indent"));
}

#[test]
fn key_written_twice() {
    insta::assert_snapshot!("yaml_duplicate_field", human("jg107-duplicate-field"));
}

#[test]
fn lone_carriage_return() {
    insta::assert_snapshot!("yaml_lone_cr", human("jg007-lone-cr"));
}

#[test]
fn uneven_indentation_under_a_block() {
    let text = "title: x\nruns:\n  - stdout: |\n      ok\n     uneven\n    stderr: x\n";
    let (_, found) = request::parse(text.as_bytes(), "requests/x.yaml");
    let d = &found[0];
    assert_eq!(
        (d.code.as_str(), d.span.line, d.span.column),
        ("JG003", 5, 6)
    );
    assert_eq!(
        d.help.as_deref(),
        Some("indent every pasted line by 6 spaces, as the block's first line (line 4)")
    );
}

/// The first occurrence of a key written twice appears in the annotation's text and as the
/// JSON's `related`, and the help stays with the human format.
#[test]
fn key_written_twice_in_github_and_json() {
    let site = common::TempSite::fixture("invalid");
    let run = site.run(&[
        "check",
        "--format",
        "github",
        "--today",
        common::TODAY,
        "requests/jg107-duplicate-field.yaml",
    ]);
    assert_eq!(
        run.stdout.lines().next(),
        Some(
            "::error file=requests/jg107-duplicate-field.yaml,line=78,col=1,title=JG107::`notes` \
             is written twice; keep one (merge the two) (first written here: line 12, column \
             1)%0Ahelp: delete one of the two `notes` fields, moving what you need from it into \
             the other; only the first is read"
        ),
        "{run:?}"
    );
    let run = site.run(&[
        "check",
        "--format",
        "json",
        "--today",
        common::TODAY,
        "requests/jg107-duplicate-field.yaml",
    ]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "JG107");
    assert_eq!(d["line"], 78);
    assert_eq!(
        d["related"],
        serde_json::json!({"line": 12, "column": 1, "label": "first written here"})
    );
    assert_eq!(
        d["help"],
        "delete one of the two `notes` fields, moving what you need from it into the other; only \
         the first is read"
    );
}
