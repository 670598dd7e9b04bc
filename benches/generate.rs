//! Writes a site of N generated requests, for benchmarks and for trying the tool at scale.
//!
//!     cargo run --release --example generate -- N DIR
//!
//! DIR gets `content/site.yaml` and `content/guide/` from this repository and N valid requests
//! under `requests/`, the same for the same N. Check or build it with `--today 2026-11-27`
//! (the date the requests were made for); other dates move their states and may add warnings.

#[path = "support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, dir) = match args.as_slice() {
        [n, dir] => match n.parse::<usize>() {
            Ok(n) => (n, PathBuf::from(dir)),
            Err(_) => return usage(&format!("N must be a whole number, got `{n}`")),
        },
        _ => return usage("expected two arguments"),
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    match corpus::write_site(repo, &dir, n) {
        Ok(requests) => {
            let mut counts = [0usize; corpus::STATES.len()];
            for request in &requests {
                if let Some(i) = corpus::STATES.iter().position(|s| *s == request.state) {
                    counts[i] += 1;
                }
            }
            let states: Vec<String> = corpus::STATES
                .iter()
                .zip(counts)
                .map(|(state, count)| format!("{state} {count}"))
                .collect();
            println!(
                "wrote {n} requests to {} ({}); use --today {}",
                dir.join("requests").display(),
                states.join(", "),
                corpus::TODAY
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("{problem}\nusage: cargo run --release --example generate -- N DIR");
    ExitCode::from(2)
}
