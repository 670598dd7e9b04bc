mod build;
mod commands;
mod common;
mod escaping;
mod guard;
mod readme;
mod schema;
