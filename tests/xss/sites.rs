//! Writes the hostile sites of the cross-site-scripting corpus for the browser checks:
//!
//! ```text
//! cargo run --example xss-sites -- OUT
//! ```
//!
//! writes `OUT/payloads-<n>/` (site sources, one request per payload of `payloads.txt`) and
//! `OUT/manifest.json` (which payload is in which request), then exits; building and opening
//! the sites is the caller's job (`.ci/browser/xss.mjs`).

mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(out), None) = (args.next(), args.next()) else {
        eprintln!("usage: xss-sites OUT");
        return ExitCode::from(2);
    };
    let out = PathBuf::from(out);
    let payloads = generate::parse_payloads(generate::PAYLOADS);
    let written = generate::write_sites("payloads", &payloads, &out).and_then(|manifest| {
        let json = serde_json::to_string_pretty(&manifest).expect("the manifest serialises");
        std::fs::write(out.join("manifest.json"), json)?;
        Ok(manifest)
    });
    match written {
        Ok(manifest) => {
            println!(
                "wrote {} payloads in {} sites into {}",
                payloads.len(),
                manifest.sites.len(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing into {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}
