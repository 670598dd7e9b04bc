//! The merge gate: whether a pull request of the code repository may merge, judged from the
//! site's published `api/requests.json`. It may only when the job was tested on the backup
//! server and approved: every request filed for that pull request that still counts (not
//! withdrawn, not replaced by a resubmission) is approved, and there is at least one.
//!
//! Several requests can name one pull request: a failed request and its resubmission (the
//! resubmission counts), or a later request to test the pull request again after a change (both
//! count, so the gate waits for the new test: an approval covers exactly what was tested).

use serde::Deserialize;

/// One request as `api/requests.json` lists it: the fields the gate reads.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Entry {
    pub id: String,
    pub state: String,
    pub target_release: String,
    #[serde(default)]
    pub approved_on: Option<String>,
    #[serde(default)]
    pub pr: Option<String>,
    #[serde(default)]
    pub replaced_by: Option<String>,
    pub next_action: String,
    pub url: String,
}

/// What the gate decided.
#[derive(Debug, PartialEq)]
pub enum Verdict<'a> {
    /// Every request that counts is approved.
    Approved(Vec<&'a Entry>),
    /// Some request that counts is not approved yet, or every request was withdrawn or
    /// replaced; all of them, for the report.
    NotYet(Vec<&'a Entry>),
    /// No request names the pull request.
    Missing,
}

/// A pull request's address as `owner/repo#n`, lower case: the same pull request written with
/// `http`, `www.`, a trailing slash or a tab of its page (`/files`) reads the same.
pub fn pull_request_key(url: &str) -> Option<String> {
    let rest = url.trim();
    let rest = rest
        .strip_prefix("https://")
        .or_else(|| rest.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.strip_prefix("github.com/")?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [owner, repo, "pull", number, ..]
            if !owner.is_empty()
                && !repo.is_empty()
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            let number = number.trim_start_matches('0');
            Some(format!("{owner}/{repo}#{number}").to_ascii_lowercase())
        }
        _ => None,
    }
}

/// Judges `pr` (already a [`pull_request_key`]) against the published requests.
pub fn judge<'a>(entries: &'a [Entry], pr: &str) -> Verdict<'a> {
    let named: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.pr.as_deref().and_then(pull_request_key).as_deref() == Some(pr))
        .collect();
    if named.is_empty() {
        return Verdict::Missing;
    }
    let counting: Vec<&&Entry> = named
        .iter()
        .filter(|e| e.state != "withdrawn" && e.replaced_by.is_none())
        .collect();
    if !counting.is_empty() && counting.iter().all(|e| e.state == "approved") {
        Verdict::Approved(counting.into_iter().copied().collect())
    } else {
        Verdict::NotYet(named)
    }
}

/// What the gate prints for `verdict` about the pull request at `url`; `form` is the address
/// of the site's request form, when known.
pub fn report(verdict: &Verdict, url: &str, form: Option<&str>) -> String {
    let line = |e: &Entry| {
        let approved = e
            .approved_on
            .as_deref()
            .map(|day| format!(" on {day}"))
            .unwrap_or_default();
        match (e.state.as_str(), &e.replaced_by) {
            (_, Some(by)) => format!("- {}: replaced by `{by}` ({})\n", e.id, e.url),
            ("approved", None) => format!(
                "- {}: approved{approved} for {} ({})\n",
                e.id, e.target_release, e.url
            ),
            (state, None) => format!(
                "- {}: {state}, for {}; next: {} ({})\n",
                e.id, e.target_release, e.next_action, e.url
            ),
        }
    };
    match verdict {
        Verdict::Approved(entries) => {
            let mut out = format!("{url}: its job was tested on the backup server and approved\n");
            entries.iter().for_each(|e| out.push_str(&line(e)));
            out
        }
        Verdict::NotYet(entries) => {
            let mut out = format!(
                "{url}: not yet: its job must be tested on the backup server and approved \
                 before it merges\n"
            );
            entries.iter().for_each(|e| out.push_str(&line(e)));
            out
        }
        Verdict::Missing => {
            let how = form.map_or_else(
                || "file a request in the site repository's requests/".to_owned(),
                |form| format!("file one with the request form at {form}"),
            );
            format!(
                "{url}: no request to test its job on the backup server; {how}, naming this \
                 pull request as its `pr`\n"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, state: &str, pr: &str, replaced_by: Option<&str>) -> Entry {
        Entry {
            id: id.into(),
            state: state.into(),
            target_release: "2027-01".into(),
            approved_on: (state == "approved").then(|| "2026-12-20".into()),
            pr: Some(pr.into()),
            replaced_by: replaced_by.map(Into::into),
            next_action: "Wait for the run".into(),
            url: format!("https://example.org/jobs/{id}/"),
        }
    }

    #[test]
    fn one_pull_request_is_read_the_same_however_it_is_written() {
        for url in [
            "https://github.com/Oppia/oppia/pull/123",
            "http://www.github.com/oppia/oppia/pull/123/",
            "https://github.com/oppia/oppia/pull/0123/files?w=1",
            " https://github.com/oppia/oppia/pull/123#discussion ",
        ] {
            assert_eq!(
                pull_request_key(url).as_deref(),
                Some("oppia/oppia#123"),
                "{url}"
            );
        }
        for url in [
            "https://github.com/oppia/oppia/issues/123",
            "https://gitlab.com/oppia/oppia/pull/123",
            "https://github.com/oppia/oppia/pull/12a",
            "github.com/oppia/oppia/pull/123",
            "https://github.com/oppia/pull/123",
        ] {
            assert_eq!(pull_request_key(url), None, "{url}");
        }
    }

    #[test]
    fn only_approval_of_every_request_that_counts_opens_the_gate() {
        let pr = "https://github.com/oppia/oppia/pull/7";
        let key = pull_request_key(pr).unwrap();
        let approved = entry("a-job", "approved", pr, None);
        let other = entry(
            "other",
            "approved",
            "https://github.com/oppia/oppia/pull/8",
            None,
        );
        let entries = vec![approved.clone(), other];
        assert_eq!(judge(&entries, &key), Verdict::Approved(vec![&entries[0]]));

        for state in ["passed", "failed", "scheduled", "submitted", "withdrawn"] {
            let entries = vec![entry("a-job", state, pr, None)];
            assert!(
                matches!(judge(&entries, &key), Verdict::NotYet(_)),
                "{state}"
            );
        }
        // A failed request replaced by an approved resubmission: the resubmission counts.
        let entries = vec![
            entry("a-job", "failed", pr, Some("a-job-v2")),
            entry("a-job-v2", "approved", pr, None),
        ];
        assert_eq!(judge(&entries, &key), Verdict::Approved(vec![&entries[1]]));
        // A second request to test it again: the gate waits for that test too.
        let entries = vec![approved, entry("a-job-again", "scheduled", pr, None)];
        assert!(matches!(judge(&entries, &key), Verdict::NotYet(e) if e.len() == 2));
        assert_eq!(judge(&entries, "oppia/oppia#9"), Verdict::Missing);
    }

    #[test]
    fn the_report_says_what_happens_next() {
        let pr = "https://github.com/oppia/oppia/pull/7";
        let entries = vec![entry("a-job", "scheduled", pr, None)];
        assert_eq!(
            report(&judge(&entries, "oppia/oppia#7"), pr, None),
            "https://github.com/oppia/oppia/pull/7: not yet: its job must be tested on the \
             backup server and approved before it merges\n\
             - a-job: scheduled, for 2027-01; next: Wait for the run \
             (https://example.org/jobs/a-job/)\n"
        );
        assert_eq!(
            report(&Verdict::Missing, pr, Some("https://example.org/request/")),
            "https://github.com/oppia/oppia/pull/7: no request to test its job on the backup \
             server; file one with the request form at https://example.org/request/, naming \
             this pull request as its `pr`\n"
        );
    }
}
