//! Writing the generator's requests as YAML: block style, as people write request files.
//!
//! Part of the corpus module (`corpus.rs`); the Hugo site of the benchmark writes its front
//! matter with the same functions, keys quoted.

/// A YAML value as the generator writes it.
#[derive(Clone, Debug)]
pub enum Value {
    /// A one-line string, written single-quoted.
    Str(String),
    /// Markdown, written as a literal block with its prose wrapped.
    Text(String),
    /// Job output, written as a literal block line for line.
    Output(String),
    /// Written as is: dates, numbers, booleans, enum words.
    Plain(String),
    List(Vec<Value>),
    Map(Vec<(&'static str, Value)>),
}

/// Writes `map` as block YAML at `indent` spaces. `quote_keys` single-quotes every key, for
/// YAML 1.1 readers that take a bare `on` for `true`.
pub fn write_map(out: &mut String, map: &[(&'static str, Value)], indent: usize, quote_keys: bool) {
    let pad = " ".repeat(indent);
    for (key, value) in map {
        let key = if quote_keys {
            format!("'{key}'")
        } else {
            (*key).to_owned()
        };
        match value {
            Value::Map(inner) => {
                out.push_str(&format!("{pad}{key}:\n"));
                write_map(out, inner, indent + 2, quote_keys);
            }
            Value::List(items) => {
                out.push_str(&format!("{pad}{key}:\n"));
                write_list(out, items, indent + 2, quote_keys);
            }
            scalar => {
                out.push_str(&format!("{pad}{key}:"));
                write_scalar(out, scalar, indent + 2);
            }
        }
    }
}

fn write_list(out: &mut String, items: &[Value], indent: usize, quote_keys: bool) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Value::Map(inner) => {
                let mut nested = String::new();
                write_map(&mut nested, inner, indent + 2, quote_keys);
                out.push_str(&pad);
                out.push_str("- ");
                out.push_str(&nested[indent + 2..]);
            }
            Value::List(inner) => {
                out.push_str(&format!("{pad}-\n"));
                write_list(out, inner, indent + 2, quote_keys);
            }
            scalar => {
                out.push_str(&format!("{pad}-"));
                write_scalar(out, scalar, indent + 2);
            }
        }
    }
}

/// Writes ` value\n` after a key or dash; literal blocks indent their lines by `indent`.
fn write_scalar(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Str(text) => out.push_str(&format!(" '{}'\n", text.replace('\'', "''"))),
        Value::Plain(text) => out.push_str(&format!(" {text}\n")),
        Value::Text(markdown) => write_block(out, &wrap(markdown, 88 - indent.min(40)), indent),
        Value::Output(output) => write_block(out, output, indent),
        Value::Map(_) | Value::List(_) => unreachable!("collections are written by their parent"),
    }
}

/// A literal block: ` |` and each line of `text` indented by `indent`.
fn write_block(out: &mut String, text: &str, indent: usize) {
    out.push_str(" |\n");
    let pad = " ".repeat(indent);
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}{line}\n"));
        }
    }
}

/// Wraps markdown prose at `width` columns as people write it: list items continue under their
/// text; code blocks, tables and job output are left as they are.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if fenced || line.starts_with("```") || line.starts_with('|') || line.len() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let marker = if line.starts_with("- ") {
            2
        } else {
            line.find(". ")
                .filter(|at| line[..*at].bytes().all(|b| b.is_ascii_digit()))
                .map_or(0, |at| at + 2)
        };
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.len() + 1 + word.len() > width {
                out.push_str(&current);
                out.push('\n');
                current = " ".repeat(marker);
            } else if !current.is_empty() && !current.ends_with(' ') {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}
