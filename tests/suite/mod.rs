mod build;
mod commands;
mod common;
mod escaping;
mod schema;
