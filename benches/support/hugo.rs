//! The same requests as a Hugo site, so a general-purpose generator can be timed on the same
//! content as jobgate.
//!
//! Each request becomes `content/jobs/<id>.md`: its summary is the page body, every other field
//! sits in the front matter under `request:` (keys quoted, since Hugo's YAML 1.1 reader takes a
//! bare `on` for `true`). The templates are our own and show every field, rendering the
//! markdown ones with `markdownify`; `jobs/` lists every request, and the guide pages are
//! copied too. Hugo computes no states or deadlines, so it does less work per page than jobgate;
//! the comparison says what the extra work costs, not who is faster at the same job.

use std::io;
use std::path::Path;

use crate::corpus::{Generated, Value, write_map};

const CONFIG: &str = r#"baseURL = "https://example.org/jobs/"
title = "Backup-server job testing"
languageCode = "en"
disableKinds = ["taxonomy", "term"]
enableGitInfo = false

[markup.goldmark.renderer]
unsafe = false
"#;

const BASEOF: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> · <a href="{{ "/guide/" | relURL }}">Guide</a> · <a href="{{ "/jobs/" | relURL }}">Jobs</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#;

const HOME: &str = r#"{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<p>{{ len (where .Site.RegularPages "Section" "jobs") }} requests; read the <a href="{{ "/guide/" | relURL }}">guide</a>.</p>
{{ end }}
"#;

const GUIDE_PAGE: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ .Description }}</p>
{{ .TableOfContents }}
{{ .Content }}
{{ end }}
"#;

const GUIDE_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ol>{{ range .Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> — {{ .Description }}</li>{{ end }}</ol>
{{ end }}
"#;

const JOBS_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<table>
<thead><tr><th>Request</th><th>Kind</th><th>Author</th><th>Submitted</th><th>Target release</th><th>Essential</th></tr></thead>
<tbody>
{{ range .Pages.ByTitle }}{{ $r := .Params.request }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ $r.kind }}</td><td>{{ $r.author }}</td><td>{{ dateFormat "2006-01-02" $r.submitted }}</td><td>{{ $r.target_release }}</td><td>{{ $r.essential }}</td></tr>
{{ end }}</tbody>
</table>
{{ end }}
"#;

const JOB_PAGE: &str = r#"{{ define "main" }}{{ $r := .Params.request }}
<h1>{{ .Title }}</h1>
<dl>
<dt>Jobs, in run order</dt><dd><ol>{{ range $r.jobs }}<li><code>{{ . }}</code></li>{{ end }}</ol></dd>
<dt>Kind</dt><dd>{{ $r.kind }}</dd>
{{ with $r.reason }}<dt>Why it runs again</dt><dd>{{ . | markdownify }}</dd>{{ end }}
<dt>Author</dt><dd>{{ $r.author }}</dd>
{{ with $r.pr }}<dt>Pull request</dt><dd><a href="{{ . }}">{{ . }}</a></dd>{{ end }}
<dt>Submitted</dt><dd>{{ dateFormat "2006-01-02" $r.submitted }}</dd>
<dt>Target release</dt><dd>{{ $r.target_release }}</dd>
<dt>Essential</dt><dd>{{ $r.essential }}</dd>
{{ with $r.previous_request }}<dt>Resubmits</dt><dd><a href="{{ printf "/jobs/%s/" . | relURL }}">{{ . }}</a></dd>{{ end }}
{{ with $r.fixed }}<dt>What was fixed</dt><dd>{{ . | markdownify }}</dd>{{ end }}
<dt>Readiness</dt><dd>tested locally: {{ $r.readiness.tested_locally }}; reviewers approved: {{ $r.readiness.reviewers_approved }}</dd>
</dl>
<h2>Summary</h2>
{{ .Content }}
<h2>Expected output</h2>
{{ range $kind, $out := $r.output }}<h3>{{ $kind }}</h3>{{ $out.description | markdownify }}<ul>{{ range $out.expected }}<li><code>{{ . }}</code></li>{{ end }}</ul>{{ end }}
<h2>Tests</h2>
{{ range $kind, $tests := $r.tests }}<h3>{{ $kind }}</h3><ul>{{ range $tests }}<li><code>{{ . }}</code></li>{{ end }}</ul>{{ end }}
<h2>Instructions</h2>
{{ with $r.instructions }}
<h3>Verify</h3>{{ .verify | markdownify }}
<h3>The output</h3>{{ .on_output | markdownify }}
<h3>Recover</h3>{{ .recover | markdownify }}
<h3>Debug</h3>{{ .debug | markdownify }}
{{ with .doc }}<p><a href="{{ . }}">More</a></p>{{ end }}
{{ end }}
{{ with $r.scheduled }}<h2>Scheduled</h2><p>by {{ .by }} on {{ dateFormat "2006-01-02" .on }} for the weekend of {{ dateFormat "2006-01-02" .weekend }}</p>{{ end }}
{{ with $r.runs }}<h2>Runs</h2>
{{ range . }}<section>
<h3>{{ dateFormat "2006-01-02" .on }} on {{ .server }} by {{ .by }}: {{ .result }}</h3>
<pre>{{ .stdout }}</pre>
{{ with .stderr }}<pre>{{ . }}</pre>{{ end }}
<p>Outcome verified: {{ .outcome_verified }}</p>
{{ with .evidence }}{{ . | markdownify }}{{ end }}
{{ with .notes }}{{ . | markdownify }}{{ end }}
</section>{{ end }}
{{ end }}
{{ with $r.approval }}<h2>Approval</h2><p>by {{ .by }} on {{ dateFormat "2006-01-02" .on }} for {{ .release }}</p>{{ end }}
{{ with $r.withdrawn }}<h2>Withdrawn</h2><p>on {{ dateFormat "2006-01-02" .on }}</p>{{ .reason | markdownify }}{{ end }}
{{ with $r.notes }}<h2>Notes</h2>{{ . | markdownify }}{{ end }}
{{ end }}
"#;

/// Writes the Hugo site for `requests` to `dir`, replacing what was there. `repo` supplies the
/// guide pages.
pub fn write_site(repo: &Path, dir: &Path, requests: &[Generated]) -> io::Result<()> {
    crate::measure::remove(dir)?;
    let files: [(&str, &str); 7] = [
        ("config.toml", CONFIG),
        ("layouts/_default/baseof.html", BASEOF),
        ("layouts/index.html", HOME),
        ("layouts/_default/single.html", GUIDE_PAGE),
        ("layouts/_default/list.html", GUIDE_LIST),
        ("layouts/jobs/list.html", JOBS_LIST),
        ("layouts/jobs/single.html", JOB_PAGE),
    ];
    for (path, text) in files {
        write(&dir.join(path), text)?;
    }
    write(
        &dir.join("content/jobs/_index.md"),
        "---\ntitle: Jobs\n---\n",
    )?;
    write(
        &dir.join("content/guide/_index.md"),
        "---\ntitle: Guide\n---\n",
    )?;
    for entry in std::fs::read_dir(repo.join("content/guide"))? {
        let entry = entry?;
        std::fs::copy(
            entry.path(),
            dir.join("content/guide").join(entry.file_name()),
        )?;
    }
    for request in requests {
        write(
            &dir.join("content/jobs").join(format!("{}.md", request.id)),
            &page(request),
        )?;
    }
    Ok(())
}

/// One request as a content page.
fn page(request: &Generated) -> String {
    let mut head = Vec::new();
    let mut rest = Vec::new();
    let mut body = String::new();
    for (key, value) in &request.fields {
        match (*key, value) {
            ("title", _) => head.push((*key, value.clone())),
            ("submitted", _) => {
                head.push(("date", value.clone()));
                rest.push((*key, value.clone()));
            }
            ("summary", Value::Text(text)) => body = text.clone(),
            _ => rest.push((*key, value.clone())),
        }
    }
    let mut out = String::from("---\n");
    write_map(&mut out, &head, 0, false);
    out.push_str("request:\n");
    write_map(&mut out, &rest, 2, true);
    out.push_str("---\n");
    out.push_str(&body);
    out
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}
