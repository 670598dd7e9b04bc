//! `jobgate schema`.

use super::Outcome;

pub fn run() -> anyhow::Result<Outcome> {
    print!("{}", crate::request::json_schema());
    Ok(Outcome::Clean)
}
