//! `jobgate verify`: mark the latest backup run's outcome as verified, with the evidence.

use crate::cli::VerifyArgs;
use crate::request::Server;

use super::Outcome;
use super::edit::{self, Refusal, Role};

pub fn run(args: VerifyArgs) -> anyhow::Result<Outcome> {
    let target = match edit::open(&args.edit, Role::Coordinator)? {
        Ok(target) => target,
        Err(refusal) => return Ok(refusal.report()),
    };
    let evidence = edit::text_or_file(&args.evidence, &target.root)?;
    let evidence = match edit::clean_text("evidence", &evidence) {
        Ok(text) if !text.trim().is_empty() => text,
        Ok(_) => {
            return Ok(Refusal::new("--evidence is empty")
                .help("say how the outcome was checked")
                .report());
        }
        Err(refusal) => return Ok(refusal.report()),
    };
    let Some(index) = target
        .request
        .runs
        .iter()
        .rposition(|run| *run.server == Server::Backup)
    else {
        return Ok(Refusal::new(format!(
            "`{}` has no run on the backup server to verify",
            target.id
        ))
        .help("record the run first with `jobgate record`")
        .report());
    };
    let document = match target.document() {
        Ok(d) => d,
        Err(refusal) => return Ok(refusal.report()),
    };
    let text = match document.verify_run(index, &evidence) {
        Ok(text) => text,
        Err(e) => {
            return Ok(
                Refusal::new(format!("cannot edit the run in {}: {e}", target.file)).report(),
            );
        }
    };
    let (request, status) = match edit::write(&target, &text)? {
        Ok(done) => done,
        Err(refusal) => return Ok(refusal.report()),
    };
    let run = &request.runs[index];
    let message = format!(
        "**{}** (`{}`): @{} verified the outcome of the backup run on {}.\n\n{}\n{}\n{}",
        *request.title,
        target.id,
        target.by,
        *run.on,
        super::record::output_summary(&request, run),
        super::record::verified_summary(run),
        edit::message_footer(&target, &status)
    );
    edit::report(
        &target,
        &status,
        &format!("verified the backup run on {}", *run.on),
        &message,
    );
    Ok(Outcome::Clean)
}
