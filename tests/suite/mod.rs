mod build;
mod calendar_pages;
mod commands;
mod common;
mod escaping;
mod guard;
mod readme;
mod schema;
