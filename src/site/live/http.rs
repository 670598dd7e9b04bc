//! What `jobgate serve` answers over HTTP, apart from the server itself: which file a request
//! path names (and that it stays inside the site), each file's content type, and the reload
//! script added to every page.

use std::path::{Component, Path, PathBuf};

/// The path prefix of the server's own endpoints (`reload.js`, `wait`).
pub const OWN: &str = "/__jobgate/";

/// The request path as a relative path inside the site, if it stays inside it.
pub fn safe_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    let inside = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    (inside && !decoded.contains(['\\', '\0'])).then(|| relative.to_owned())
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// `page` as served: with a `<base>` that makes its relative links start at the site's root
/// when `at_root` (the error page is one page served at every path), and the reload script
/// (asking about `version`) before `</body>`.
pub fn served_page(page: &str, version: u64, at_root: bool) -> String {
    let script = format!(r#"<script src="{OWN}reload.js" data-version="{version}"></script>"#);
    let mut out = match page.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &page[..at], &page[at..]),
        None => format!("{page}{script}"),
    };
    if at_root && let Some(head) = out.find("<head>") {
        out.insert_str(head + "<head>".len(), "\n<base href=\"/\">");
    }
    out
}

/// Asks the server to answer when the site was rebuilt, then reloads the page.
pub const RELOAD_JS: &str = r#""use strict";
(function () {
  const version = document.currentScript.dataset.version;
  async function wait() {
    try {
      const response = await fetch("/__jobgate/wait?since=" + version, { cache: "no-store" });
      if ((await response.text()).trim() !== version) {
        window.location.reload();
        return;
      }
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    wait();
  }
  wait();
})();
"#;

/// The page every path shows while the site has errors, when there are no settings to render
/// the theme's `errors.html` with.
pub fn plain_error_page(errors: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>The site has errors</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n\
         <body>\n<main class=\"layout\" id=\"main\">\n<h1>The site has errors</h1>\n\
         <p>Fix the files below and save; this page reloads by itself.</p>\n\
         <pre class=\"diagnostics\">{}</pre>\n</main>\n</body>\n</html>\n",
        crate::markdown::escape_attr(errors)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_site() {
        assert_eq!(safe_path("/jobs/x/"), Some(PathBuf::from("jobs/x")));
        assert_eq!(safe_path("/"), Some(PathBuf::new()));
        assert_eq!(safe_path("/a%20b.html"), Some(PathBuf::from("a b.html")));
        for bad in [
            "/../etc/passwd",
            "/jobs/%2e%2e/%2e%2e/x",
            "/a%5cb",
            "/a%00",
            "/%zz",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn pages_get_the_reload_script_before_the_body_ends() {
        assert_eq!(
            served_page("<html><body><p>x</p></body></html>", 7, false),
            r#"<html><body><p>x</p><script src="/__jobgate/reload.js" data-version="7"></script></body></html>"#
        );
        assert_eq!(
            served_page(
                "<html><head><title>t</title></head><body></body></html>",
                2,
                true
            ),
            "<html><head>\n<base href=\"/\"><title>t</title></head><body>\
             <script src=\"/__jobgate/reload.js\" data-version=\"2\"></script></body></html>"
        );
    }
}
