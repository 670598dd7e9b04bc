//! jobgate's request checker for the browser: `request::check::file`, the function
//! `jobgate check` runs on each file, compiled to WebAssembly, with a small API over JSON.
//!
//! The page calls [`jobgate_load`] once with the site's settings and the other request files,
//! then [`jobgate_check`] with the text being written, as often as it changes. Strings cross
//! the boundary as UTF-8 bytes in memory the page asks for with [`jobgate_alloc`]; each call
//! answers with a pointer and length packed into one `u64` (pointer in the high half), which the
//! page reads and hands back with [`jobgate_free`].
//!
//! `jobgate_load` takes `{"settings": "<site.yaml text>", "requests": [{"id", "text"}]}` and
//! answers `{"ok": true}` or `{"ok": false, "error": "…"}`.
//!
//! `jobgate_check` takes `{"id", "text", "today": "YYYY-MM-DD"}` and answers
//! `{"ok": true, "report": <the JSON of check --format json>, "rendered": "<the human
//! rendering, snippets included>", "status": <the derived status, or null>}`; `status` is there
//! when the file has no errors, in the shape the build uses (state, fit, dates, next action,
//! timeline), with the words the pages use for its state and fit under `labels`.
//!
//! `jobgate_write` takes the request form's fields (a `scaffold::Draft`: dotted schema paths
//! to texts, lists and booleans) and answers `{"ok": true, "text": "<the file>", "fields":
//! ["<the field of line 1>", …]}`, the same file `jobgate new` starts and an author fills in.
//!
//! `jobgate_releases` takes `{"today"}` and answers `{"ok": true, "releases": [{"release",
//! "name", "cutoff", "last_run_weekend", "last_submission", "recommended_by"}, …]}`: the
//! releases a request filed that day can still aim for, earliest first.
//!
//! `jobgate_load` also answers with `"version"`, jobgate's version, for the page to tell a
//! checker from another build.

use std::cell::RefCell;

use chrono::NaiveDate;
use jobgate::calendar;
use jobgate::config::{self, SiteConfig};
use jobgate::diagnostics::{self, Severity, Sources};
use jobgate::request::{self, Loaded, check, scaffold};
use jobgate::status;
use serde::Deserialize;
use serde_json::{Value, json};

/// What [`jobgate_load`] was given, parsed once.
struct Site {
    config: SiteConfig,
    /// The other requests that parsed.
    requests: Vec<Loaded>,
    /// The ids of the other request files that did not.
    unparsed: Vec<String>,
}

thread_local! {
    static SITE: RefCell<Option<Site>> = const { RefCell::new(None) };
}

#[derive(Deserialize)]
struct LoadInput {
    settings: String,
    #[serde(default)]
    requests: Vec<RequestFile>,
}

#[derive(Deserialize)]
struct RequestFile {
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct Today {
    today: String,
}

fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("`{text}` is not a date"))
}

#[derive(Deserialize)]
struct CheckInput {
    id: String,
    text: String,
    today: String,
}

/// Reads the settings and the other requests. An error means the site itself is broken (its
/// `site.yaml` does not parse), which `jobgate check` reports on its own.
fn load(input: &str) -> Result<(), String> {
    let input: LoadInput =
        serde_json::from_str(input).map_err(|e| format!("the site's data is not valid: {e}"))?;
    let config = config::parse(&input.settings).map_err(|found| {
        let first = found.first().map_or("", |d| d.message.as_str());
        format!("content/site.yaml has errors: {first}")
    })?;
    let mut requests = Vec::new();
    let mut unparsed = Vec::new();
    for file in &input.requests {
        let name = format!("requests/{}.yaml", file.id);
        match check::read(&file.id, &name, file.text.as_bytes(), None).0 {
            Some(loaded) => requests.push(loaded),
            None => unparsed.push(file.id.clone()),
        }
    }
    SITE.with(|site| {
        *site.borrow_mut() = Some(Site {
            config,
            requests,
            unparsed,
        });
    });
    Ok(())
}

/// Checks one file as `jobgate check` checks it in its site.
fn check(input: &str) -> Result<Value, String> {
    let input: CheckInput =
        serde_json::from_str(input).map_err(|e| format!("the check's input is not valid: {e}"))?;
    let today = date(&input.today)?;
    with_site(|site| {
        let file = format!("requests/{}.yaml", input.id);
        let unparsed: Vec<&str> = site
            .unparsed
            .iter()
            .map(String::as_str)
            .filter(|id| *id != input.id)
            .collect();
        let (loaded, found) = check::file(
            &input.id,
            &file,
            input.text.as_bytes(),
            &site.requests,
            &unparsed,
            &site.config,
            today,
        );
        let mut sources = Sources::new();
        sources.insert(file, input.text.clone());
        let report: Value = serde_json::from_str(&diagnostics::render_json(&found))
            .map_err(|e| format!("the report does not parse: {e}"))?;
        let status = match &loaded {
            Some(loaded) if diagnostics::count(&found, Severity::Error) == 0 => {
                let others = site.requests.iter().filter(|o| o.id != loaded.id);
                let successors = request::successors(others.chain([loaded]));
                let replaced_by = successors.get(loaded.id.as_str()).copied();
                let derived =
                    status::derive_replaced(&loaded.request, &site.config, today, replaced_by);
                let labels = json!({
                    "state": derived.state.label(),
                    "fit": derived.fit.map(|f| f.label()),
                });
                let mut value = serde_json::to_value(derived).map_err(|e| e.to_string())?;
                value["labels"] = labels;
                value
            }
            _ => Value::Null,
        };
        Ok(json!({
            "ok": true,
            "report": report,
            "rendered": diagnostics::render_human(&found, &sources, false),
            "status": status,
        }))
    })
}

/// Runs `f` on the loaded site.
fn with_site<T>(f: impl FnOnce(&Site) -> Result<T, String>) -> Result<T, String> {
    SITE.with(|site| {
        f(site
            .borrow()
            .as_ref()
            .ok_or("the site's data was not loaded")?)
    })
}

/// The request file of the form's fields.
fn write(input: &str) -> Result<Value, String> {
    let draft: scaffold::Draft =
        serde_json::from_str(input).map_err(|e| format!("the form's fields are not valid: {e}"))?;
    let written = scaffold::write(&draft);
    Ok(json!({"ok": true, "text": written.text, "fields": written.fields}))
}

/// The releases still open on a day.
fn releases(input: &str) -> Result<Value, String> {
    let input: Today =
        serde_json::from_str(input).map_err(|e| format!("the input is not valid: {e}"))?;
    let today = date(&input.today)?;
    with_site(|site| {
        let open = calendar::open_releases(&site.config, today);
        Ok(json!({"ok": true, "releases": open}))
    })
}

/// Leaves `text` in memory for the page and packs where it is into one number. Pointers and
/// lengths fit in 32 bits on wasm32, the one target this crate is for.
fn answer(text: String) -> u64 {
    let bytes = text.into_bytes().into_boxed_slice();
    let len = u32::try_from(bytes.len()).expect("a wasm32 length fits in 32 bits");
    let ptr = Box::into_raw(bytes) as *mut u8;
    let ptr = u32::try_from(ptr as usize).expect("a wasm32 address fits in 32 bits");
    (u64::from(ptr) << 32) | u64::from(len)
}

/// The UTF-8 text the page wrote at `ptr` (`len` bytes), which this call now owns.
///
/// # Safety
/// `ptr` and `len` must come from [`jobgate_alloc`], with the page having written `len` bytes.
unsafe fn take(ptr: *mut u8, len: usize) -> Result<String, String> {
    // SAFETY: the caller passes back a block `jobgate_alloc` made of exactly `len` bytes.
    let bytes = unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) };
    String::from_utf8(bytes.into_vec()).map_err(|_| "the input is not UTF-8".to_owned())
}

/// A block of `len` bytes for the page to write its input into.
#[unsafe(no_mangle)]
pub extern "C" fn jobgate_alloc(len: usize) -> *mut u8 {
    Box::into_raw(vec![0u8; len].into_boxed_slice()) as *mut u8
}

/// Gives back a block of `len` bytes that an answer or [`jobgate_alloc`] made.
///
/// # Safety
/// `ptr` and `len` must be a block this module handed out and not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jobgate_free(ptr: *mut u8, len: usize) {
    // SAFETY: the caller passes back a block this module made of exactly `len` bytes.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) });
}

/// Reads the input at `ptr`, runs `f` on it and answers with its JSON, or with the error.
///
/// # Safety
/// `ptr` and `len` must come from [`jobgate_alloc`], filled with the input's UTF-8 bytes.
unsafe fn call(ptr: *mut u8, len: usize, f: fn(&str) -> Result<Value, String>) -> u64 {
    // SAFETY: forwarded from the caller's promise.
    let out = match unsafe { take(ptr, len) }.and_then(|input| f(&input)) {
        Ok(value) => value.to_string(),
        Err(error) => json!({"ok": false, "error": error}).to_string(),
    };
    answer(out)
}

/// Loads the site's settings and other requests; see the module's documentation.
///
/// # Safety
/// `ptr` and `len` must come from [`jobgate_alloc`], filled with the input's UTF-8 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jobgate_load(ptr: *mut u8, len: usize) -> u64 {
    // SAFETY: forwarded from the caller's promise.
    unsafe {
        call(ptr, len, |input| {
            load(input).map(|()| json!({"ok": true, "version": jobgate::VERSION}))
        })
    }
}

/// Checks one request file; see the module's documentation.
///
/// # Safety
/// `ptr` and `len` must come from [`jobgate_alloc`], filled with the input's UTF-8 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jobgate_check(ptr: *mut u8, len: usize) -> u64 {
    // SAFETY: forwarded from the caller's promise.
    unsafe { call(ptr, len, check) }
}

/// Writes the request file of the form's fields; see the module's documentation.
///
/// # Safety
/// `ptr` and `len` must come from [`jobgate_alloc`], filled with the input's UTF-8 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jobgate_write(ptr: *mut u8, len: usize) -> u64 {
    // SAFETY: forwarded from the caller's promise.
    unsafe { call(ptr, len, write) }
}

/// The releases still open on a day; see the module's documentation.
///
/// # Safety
/// `ptr` and `len` must come from [`jobgate_alloc`], filled with the input's UTF-8 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jobgate_releases(ptr: *mut u8, len: usize) -> u64 {
    // SAFETY: forwarded from the caller's promise.
    unsafe { call(ptr, len, releases) }
}
