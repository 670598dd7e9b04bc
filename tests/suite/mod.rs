mod build;
mod common;
mod escaping;
