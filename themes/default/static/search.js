// The search page: looks up the words in the box in the site's pagefind index and lists the
// pages that contain them. Results are built as DOM nodes from text; an excerpt keeps only its
// text and the <mark> around each hit, whatever the index holds.
"use strict";
(function () {
  const script = document.currentScript;
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-query");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const bundle = new URL(script.dataset.bundle, document.baseURI).href;
  const root = new URL(script.dataset.root, document.baseURI);
  let engine = null;
  let latest = 0;

  async function load() {
    if (!engine) {
      engine = await import(bundle);
      await engine.options({ baseUrl: root.pathname, excerptLength: 24 });
      // A large site's index comes in parts; each is merged into the first.
      const parts = (script.dataset.parts || "").split(" ").filter(Boolean);
      for (const part of parts) {
        await engine.mergeIndex(new URL(part, document.baseURI).href, { baseUrl: root.pathname });
      }
    }
    return engine;
  }

  // Appends the text of `html` to `into`, keeping <mark> elements and nothing else.
  function appendExcerpt(into, html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          into.append(document.createTextNode(child.textContent));
        } else if (child.nodeName === "MARK") {
          const mark = document.createElement("mark");
          mark.textContent = child.textContent;
          into.append(mark);
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          walk(child);
        }
      }
    };
    walk(doc.body);
  }

  function item(data) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    const section = document.createElement("span");
    section.className = "tag";
    section.textContent = data.meta.section || "";
    const heading = document.createElement("p");
    heading.className = "result-title";
    heading.append(link, " ", section);
    li.append(heading);
    if (data.meta.detail) {
      const detail = document.createElement("p");
      detail.className = "muted";
      detail.textContent = data.meta.detail;
      li.append(detail);
    }
    const excerpt = document.createElement("p");
    appendExcerpt(excerpt, data.excerpt || "");
    li.append(excerpt);
    return li;
  }

  // The pages holding the words as written, in that order (a job's name or id, a title), come
  // first, then every other match. Scores from the parts of a large site's index are not
  // comparable, so without this a page holding the exact words could be listed below pages
  // from another part holding only some of them.
  async function ranked(engine, words) {
    const [exact, any] = await Promise.all([
      words.includes('"') ? null : engine.search('"' + words + '"'),
      engine.search(words),
    ]);
    const first = exact ? exact.results : [];
    const seen = new Set(first.map((r) => r.id));
    return first.concat(any.results.filter((r) => !seen.has(r.id)));
  }

  async function run(query) {
    const ticket = ++latest;
    const words = query.trim();
    const url = new URL(window.location.href);
    if (words) url.searchParams.set("q", words); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    if (!words) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    try {
      const results = await ranked(await load(), words);
      const shown = await Promise.all(results.slice(0, 30).map((r) => r.data()));
      if (ticket !== latest) return;
      list.replaceChildren(...shown.map(item));
      const count = results.length;
      status.textContent = count === 0
        ? "No pages match “" + words + "”."
        : count + (count === 1 ? " page matches" : " pages match") + " “" + words + "”" +
          (count > shown.length ? "; the first " + shown.length + " are listed." : ".");
    } catch (error) {
      if (ticket !== latest) return;
      list.replaceChildren();
      status.textContent = "Search is not available here (" + error.message + "). Serve the site over http(s) to use it.";
    }
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 120);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value);
  });
  const initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (initial) run(initial);
})();
