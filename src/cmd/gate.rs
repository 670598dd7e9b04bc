//! `jobgate gate`: the code repository's merge gate, from the site's published API.

use std::io::Read as _;
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::cli::GateArgs;
use crate::gate::{self, Entry, Verdict};

use super::Outcome;

/// The most `api/requests.json` may hold: far more than any real site's, far less than memory.
const MAX_API_BYTES: u64 = 64 << 20;
/// How long fetching it may take, in all.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Where the API lives under the site's address.
const API_PATH: &str = "api/requests.json";

pub fn run(args: GateArgs) -> anyhow::Result<Outcome> {
    let Some(key) = gate::pull_request_key(&args.pr) else {
        bail!(
            "--pr {}: not a pull request address; write https://github.com/OWNER/REPO/pull/N",
            args.pr
        );
    };
    let is_url = args.api.starts_with("https://") || args.api.starts_with("http://");
    let text = if is_url {
        fetch(&args.api)?
    } else {
        read_file(&args.api)?
    };
    let entries: Vec<Entry> = serde_json::from_str(&text)
        .with_context(|| format!("{}: not the site's api/requests.json", args.api))?;
    let verdict = gate::judge(&entries, &key);
    let form = form_address(&args.api, is_url, &entries);
    print!(
        "{}",
        gate::report(&verdict, args.pr.trim(), form.as_deref())
    );
    Ok(match verdict {
        Verdict::Approved(_) => Outcome::Clean,
        Verdict::NotYet(_) | Verdict::Missing => Outcome::InputErrors,
    })
}

/// The address of the request form (`request/`): beside the API when it was fetched, else
/// from the address of any request's page.
fn form_address(api: &str, is_url: bool, entries: &[Entry]) -> Option<String> {
    let base = if is_url {
        api.split(['?', '#'])
            .next()?
            .strip_suffix(API_PATH)?
            .to_owned()
    } else {
        let entry = entries.first()?;
        let page = format!("jobs/{}/", entry.id);
        entry.url.strip_suffix(&page)?.to_owned()
    };
    Some(format!(
        "{base}{}",
        crate::site::routes::Route::RequestForm.path()
    ))
}

fn read_file(path: &str) -> anyhow::Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("reading {path}"))?;
    read_capped(file, path)
}

/// Fetches the API: one GET, with a timeout and a size limit.
fn fetch(url: &str) -> anyhow::Result<String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .build()
        .into();
    let response = agent
        .get(url)
        .header("Accept", "application/json")
        .call()
        .with_context(|| format!("fetching {url}"))?;
    read_capped(response.into_body().into_reader(), url)
}

fn read_capped(reader: impl std::io::Read, what: &str) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_API_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {what}"))?;
    if bytes.len() as u64 > MAX_API_BYTES {
        bail!("{what}: larger than {} MiB", MAX_API_BYTES >> 20);
    }
    String::from_utf8(bytes).with_context(|| format!("{what}: not UTF-8"))
}
