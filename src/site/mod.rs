//! The site: load → validate → render → write, as one flat list of steps.
pub mod markdown;
