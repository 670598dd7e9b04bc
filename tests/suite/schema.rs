//! The published JSON Schema and the sample requests that use it.

use super::common::{TempSite, repo_root};

#[test]
fn requests_schema_json_is_fresh() {
    let site = TempSite::empty();
    let run = site.run_bare(&["schema"]);
    assert_eq!(run.code, 0);
    let committed = std::fs::read_to_string(repo_root().join("requests/schema.json")).unwrap();
    assert!(
        committed == run.stdout,
        "requests/schema.json is stale: run `cargo run -- schema > requests/schema.json`"
    );
}

#[test]
fn schema_describes_every_field() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("requests/schema.json")).unwrap(),
    )
    .unwrap();
    let mut missing = Vec::new();
    let mut objects = vec![("request".to_owned(), &schema)];
    if let Some(defs) = schema["$defs"].as_object() {
        objects.extend(defs.iter().map(|(name, def)| (name.clone(), def)));
    }
    for (name, object) in objects {
        for (field, spec) in object["properties"].as_object().into_iter().flatten() {
            if spec.get("description").is_none() {
                missing.push(format!("{name}.{field}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fields without a description: {missing:?}"
    );
}

#[test]
fn every_sample_request_names_the_schema() {
    for entry in std::fs::read_dir(repo_root().join("requests")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.starts_with("# yaml-language-server: $schema=schema.json\n"),
                "{} lacks the schema modeline",
                path.display()
            );
        }
    }
}

#[test]
fn the_site_publishes_the_schema() {
    let site = TempSite::fixture("valid");
    assert_eq!(site.build("public").code, 0);
    let published = site.read("public/schema/request.json");
    let committed = std::fs::read_to_string(repo_root().join("requests/schema.json")).unwrap();
    assert_eq!(published, committed);
}
