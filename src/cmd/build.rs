//! `jobgate build`.

use std::io::IsTerminal as _;

use crate::cli::BuildArgs;
use crate::site::{self, BuildOptions};

use super::Outcome;

pub fn run(args: BuildArgs) -> anyhow::Result<Outcome> {
    let options = BuildOptions {
        today: super::resolve_today(args.site.today)?,
        root: args.site.root,
        out: args.out,
        base_url: args.base_url,
        checker: args.checker,
    };
    let report = site::build(&options)?;
    eprint!(
        "{}",
        super::human(
            &options.root,
            &report.diagnostics,
            std::io::stderr().is_terminal()
        )
    );
    if report.has_errors() {
        eprintln!(
            "build refused: fix the errors above; {} was left as it was",
            options.out.display()
        );
        return Ok(Outcome::InputErrors);
    }
    eprintln!(
        "built {} files into {} ({} changed)",
        report.files_written,
        options.out.display(),
        report.files_changed
    );
    Ok(Outcome::Clean)
}
