//! The `jobgate` binary: parse the command line, run one command, turn its outcome into an
//! exit code (0 fine, 1 the input has errors, 2 usage or I/O failure).

use std::process::ExitCode;

use clap::Parser;
use jobgate::cli::{Cli, Command};
use jobgate::cmd::{self, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Status(args) => cmd::status::run(args),
        Command::Calendar(args) => cmd::calendar::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Schema => cmd::schema::run(),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::InputErrors) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Rendering allocates many small strings on every thread; mimalloc keeps that fast and keeps
/// peak memory low where the system allocator fragments across threads (see the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
