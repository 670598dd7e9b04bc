//! What changed between two versions of a request, field by field, compared as parsed values.
//!
//! Moving lines, re-quoting a string, or writing a value through an anchor, a merge key or a
//! tag changes nothing a person would call a change, so versions are compared as the values
//! they parse to, never as text. Each change names its top-level field (which decides who may
//! make it) and the first path inside it that differs (where it is reported).

use serde_json::Value;

use crate::diagnostics::Span;
use crate::request::Request;
use crate::yaml::{self, Node};

/// How a field changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    Added,
    Changed,
    Removed,
}

impl How {
    /// The verb for messages: "added", "changed", "removed".
    pub fn verb(self) -> &'static str {
        match self {
            How::Added => "added",
            How::Changed => "changed",
            How::Removed => "removed",
        }
    }
}

/// One step into a value: a map key or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// One top-level field that differs between two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The top-level field, e.g. `instructions`.
    pub field: &'static str,
    pub how: How,
    /// The first path inside the field that differs, the field itself first.
    pub path: Vec<Step>,
}

impl Change {
    /// The path as written in messages: `instructions.recover`, `runs[2]`.
    pub fn path_text(&self) -> String {
        let mut text = String::new();
        for step in &self.path {
            match step {
                Step::Key(key) if text.is_empty() => text.push_str(key),
                Step::Key(key) => {
                    text.push('.');
                    text.push_str(key);
                }
                Step::Index(i) => text.push_str(&format!("[{i}]")),
            }
        }
        text
    }

    /// Where the change stands in the new version's tree: the deepest node of its path that
    /// the new version has (the start of the file for a field removed whole).
    pub fn span_in(&self, tree: Option<&Node>) -> Span {
        let mut span = Span::FILE;
        let mut node = tree;
        for step in &self.path {
            let next = node.and_then(|n| match (&n.value, step) {
                (yaml::Value::Map(entries), Step::Key(key)) => entries
                    .iter()
                    .find(|(k, _)| k.name == *key)
                    .map(|(_, value)| value),
                (yaml::Value::Seq(items), Step::Index(i)) => items.get(*i),
                _ => None,
            });
            match next {
                Some(found) => {
                    span = found.span;
                    node = Some(found);
                }
                None => break,
            }
        }
        span
    }
}

/// The fields of `new` that differ from `old`, in schema order; each with the first path that
/// differs inside it.
pub fn changes(old: &Request, new: &Request) -> Vec<Change> {
    let (old, new) = (plain(old), plain(new));
    crate::request::parse::REQUEST_FIELDS
        .iter()
        .filter_map(|&field| {
            let (a, b) = (present(old.get(field)), present(new.get(field)));
            let how = match (a, b) {
                (None, None) => return None,
                (None, Some(_)) => How::Added,
                (Some(_), None) => How::Removed,
                (Some(a), Some(b)) if a == b => return None,
                (Some(_), Some(_)) => How::Changed,
            };
            let mut path = vec![Step::Key(field.to_owned())];
            if let (Some(a), Some(b)) = (a, b) {
                first_difference(a, b, &mut path);
            }
            Some(Change { field, how, path })
        })
        .collect()
}

/// A request as plain values, without positions.
fn plain(request: &Request) -> serde_json::Map<String, Value> {
    match serde_json::to_value(request) {
        Ok(Value::Object(map)) => map,
        // A request is a struct of plain values; it always serialises to a map.
        _ => serde_json::Map::new(),
    }
}

/// A field that holds something: an empty list or `false` default is the same as no field.
fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !matches!(v, Value::Null) && *v != &Value::Array(Vec::new()))
}

/// Extends `path` with the steps to the first place where `a` and `b` differ.
fn first_difference(a: &Value, b: &Value, path: &mut Vec<Step>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            if let Some(key) = keys.into_iter().find(|k| a.get(*k) != b.get(*k)) {
                path.push(Step::Key(key.clone()));
                if let (Some(a), Some(b)) = (a.get(key), b.get(key)) {
                    first_difference(a, b, path);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if let Some(i) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
                path.push(Step::Index(i));
                if let (Some(a), Some(b)) = (a.get(i), b.get(i)) {
                    first_difference(a, b, path);
                }
            }
        }
        _ => {}
    }
}
