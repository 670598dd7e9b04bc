//! `jobgate approve`: approve a request that passed on the backup server, for a release.

use crate::cli::ApproveArgs;
use crate::record::Field;
use crate::status::{self, State};

use super::Outcome;
use super::edit::{self, Refusal, Role};

pub fn run(args: ApproveArgs) -> anyhow::Result<Outcome> {
    let target = match edit::open(&args.edit, Role::Admin)? {
        Ok(target) => target,
        Err(refusal) => return Ok(refusal.report()),
    };
    let request = &target.request;
    let release = args.release.unwrap_or(*request.target_release);
    if release < *request.target_release {
        return Ok(Refusal::new(format!(
            "--release {release} is before the request's target release ({})",
            *request.target_release
        ))
        .help("approve it for its target release or a later one")
        .report());
    }
    let on = match target.day(args.on) {
        Ok(on) => on,
        Err(refusal) => return Ok(refusal.report()),
    };
    let mut unapproved = request.clone();
    unapproved.approval = None;
    let before = status::derive(&unapproved, target.config(), target.today);
    if before.state != State::Passed {
        return Ok(Refusal::new(format!(
            "`{}` has no passing backup run to approve: it is {}",
            target.id,
            before.state.label()
        ))
        .help(format!(
            "a backup run must succeed, match the expected output and be verified first. {}",
            before.next_action
        ))
        .report());
    }
    let document = match target.document() {
        Ok(d) => d,
        Err(refusal) => return Ok(refusal.report()),
    };
    let text = document.set_block(
        "approval",
        &[
            ("by", Field::Plain(crate::yaml::scalar::word(&target.by))),
            ("on", Field::Plain(on.to_string())),
            ("release", Field::Plain(format!("\"{release}\""))),
        ],
    );
    let (request, status) = match edit::write(&target, &text)? {
        Ok(done) => done,
        Err(refusal) => return Ok(refusal.report()),
    };
    let merge = if *request.kind == crate::request::Kind::New {
        "The job's pull request can now be merged.\n\n"
    } else {
        ""
    };
    let message = format!(
        "**{}** (`{}`) was approved for release {release} by @{} on {on}, after a passing, \
         verified run on the backup server.\n\n{merge}{}",
        *request.title,
        target.id,
        target.by,
        edit::message_footer(&target, &status)
    );
    edit::report(
        &target,
        &status,
        &format!("approved for {release}"),
        &message,
    );
    Ok(Outcome::Clean)
}
