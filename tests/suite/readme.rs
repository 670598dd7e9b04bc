//! The README is the user's manual: it must list every check the tool makes.

use jobgate::diagnostics::CODES;

use super::common::repo_root;

#[test]
fn readme_lists_every_check_code_with_its_doc_line() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    for (_, code, severity, doc) in CODES {
        let severity = match severity {
            jobgate::diagnostics::Severity::Error => "error",
            jobgate::diagnostics::Severity::Warning => "warning",
        };
        let row = format!("| {code} | {severity} | {doc} |");
        assert!(readme.contains(&row), "README lacks the row: {row}");
    }
}
