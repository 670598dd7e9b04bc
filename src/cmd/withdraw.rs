//! `jobgate withdraw`: withdraw a request, with the reason.

use crate::cli::WithdrawArgs;
use crate::record::Field;

use super::Outcome;
use super::edit::{self, Refusal, Role};

pub fn run(args: WithdrawArgs) -> anyhow::Result<Outcome> {
    let target = match edit::open(&args.edit, Role::AuthorOrRole)? {
        Ok(target) => target,
        Err(refusal) => return Ok(refusal.report()),
    };
    let reason = match edit::clean_text("reason", &args.reason) {
        Ok(text) if !text.trim().is_empty() => text,
        Ok(_) => {
            return Ok(Refusal::new("--reason is empty")
                .help("say why the request is withdrawn")
                .report());
        }
        Err(refusal) => return Ok(refusal.report()),
    };
    let on = match target.day(args.on) {
        Ok(on) => on,
        Err(refusal) => return Ok(refusal.report()),
    };
    let document = match target.document() {
        Ok(d) => d,
        Err(refusal) => return Ok(refusal.report()),
    };
    let text = document.set_block(
        "withdrawn",
        &[
            ("on", Field::Plain(on.to_string())),
            ("reason", Field::Text(reason.clone())),
        ],
    );
    let (request, status) = match edit::write(&target, &text)? {
        Ok(done) => done,
        Err(refusal) => return Ok(refusal.report()),
    };
    let message = format!(
        "**{}** (`{}`) was withdrawn by @{} on {on}.\n\n**Reason:**\n\n{}\n\n{}",
        *request.title,
        target.id,
        target.by,
        reason.trim_end(),
        edit::message_footer(&target, &status)
    );
    edit::report(&target, &status, &format!("withdrawn on {on}"), &message);
    Ok(Outcome::Clean)
}
