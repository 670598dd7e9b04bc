// The request form and the file checker (/request/). The page loads request/site.json (the
// site's settings and its other requests; the page itself lists the releases open on the day
// of the build, which the checker works out again for the reader's today) and, when the
// build shipped it, request/checker.wasm: jobgate's own checker, which writes the file from the
// form's fields and checks it exactly as `jobgate check` does, in a worker (request-worker.js)
// so that a long check never freezes the page. Without the checker the form
// still writes the file (writeYaml below, the same layout) and says the check runs on the pull
// request. Nothing the author types leaves the browser, except through "Propose on GitHub".
"use strict";
(function () {
  const form = document.getElementById("request-form");
  if (!form) return;
  const $ = (id) => document.getElementById(id);
  const STORE = "jobgate-request-form:" + location.pathname;
  const status = $("checker-status");
  let data = null;
  let checker = null;

  // ---- the reader's today ----
  function localToday() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  const today = localToday();

  // ---- the checker, in a worker (request-worker.js): each call answers a promise ----
  function spawn(url) {
    const worker = new Worker(url);
    const waiting = new Map();
    let next = 0;
    const failAll = (error) => {
      for (const resolve of waiting.values()) resolve({ ok: false, error });
      waiting.clear();
    };
    worker.onmessage = (event) => {
      const resolve = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      if (resolve) resolve(event.data.answer);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failAll("the checker's script did not run" + (event.message ? ": " + event.message : ""));
    };
    return (op, input) => new Promise((resolve) => {
      next += 1;
      waiting.set(next, resolve);
      worker.postMessage({ id: next, op, input });
    });
  }

  async function start() {
    $("request-modes").hidden = false;
    const dataUrl = new URL(form.dataset.data, location.href);
    try {
      const response = await fetch(dataUrl);
      if (!response.ok) throw new Error("HTTP " + response.status);
      data = await response.json();
    } catch (error) {
      status.textContent = "The site's data (" + dataUrl.pathname + ") did not load: " + error.message +
        ". The form still writes the file; the check runs on the pull request.";
      restore();
      update();
      return;
    }
    if (data.checker) {
      try {
        const api = spawn(form.dataset.worker);
        const loaded = await api("start", {
          url: new URL(data.checker, dataUrl).href,
          site: { settings: data.settings, requests: data.requests },
        });
        if (!loaded.ok) throw new Error(loaded.error);
        checker = api;
        status.textContent = loaded.version === data.version
          ? "Checked as you type by jobgate " + data.version + ", the checker CI runs on the pull request."
          : "Checked by jobgate " + loaded.version + ", while this site was built by " + data.version +
            ": the pull request's check has the last word.";
        status.classList.add("ok");
        const open = await api("releases", { today });
        if (open.ok) setReleases(open.releases);
      } catch (error) {
        checker = null;
        status.textContent = "The checker did not start (" + error.message +
          "). The form still writes the file; the check runs on the pull request.";
      }
    }
    restore();
    update();
    checkFile();
  }

  // ---- releases still open, for the reader's today ----
  function setReleases(releases) {
    const select = form.elements["target_release"];
    const chosen = select.value;
    select.replaceChildren(...releases.map((r) => {
      const option = document.createElement("option");
      option.value = r.release;
      option.textContent = r.release + (r.name ? " (" + r.name + ")" : "") + ": file by " +
        r.last_submission + ", cutoff " + r.cutoff;
      return option;
    }));
    if (releases.some((r) => r.release === chosen)) select.value = chosen;
  }

  // ---- lists that grow and shrink ----
  function listOf(name) {
    return form.querySelector('[data-list="' + name + '"] ol.items');
  }
  function addItem(name, value, focus) {
    const list = listOf(name);
    const item = document.createElement("li");
    const input = document.createElement("input");
    input.type = "text";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.dataset.item = name;
    input.value = value || "";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.textContent = "Remove";
    remove.addEventListener("click", () => {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      renumber(name);
      (next ? next.querySelector("input") : form.querySelector('[data-add="' + name + '"]')).focus();
      changed();
    });
    item.append(input, remove);
    list.append(item);
    renumber(name);
    if (focus) input.focus();
  }
  function renumber(name) {
    const legend = form.querySelector('[data-list="' + name + '"] legend').textContent.trim();
    listOf(name).querySelectorAll("li").forEach((item, i) => {
      const input = item.querySelector("input");
      input.id = "f-" + name.replaceAll(".", "-") + "-" + i;
      input.setAttribute("aria-label", legend + ", item " + (i + 1));
      input.setAttribute("aria-describedby", "d-" + name.replaceAll(".", "-"));
      item.querySelector("button").setAttribute("aria-label", "Remove item " + (i + 1) + " of " + legend);
    });
  }
  form.querySelectorAll("[data-add]").forEach((button) => {
    button.addEventListener("click", () => {
      addItem(button.dataset.add, "", true);
      changed();
    });
  });

  // ---- the form's fields, as the checker's Draft ----
  function fields() {
    const draft = {};
    for (const el of form.elements) {
      if (!el.name || el.name === "id") continue;
      if (el.type === "checkbox") draft[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) draft[el.name] = el.value; }
      else draft[el.name] = el.value;
    }
    form.querySelectorAll("[data-list]").forEach((list) => {
      draft[list.dataset.list] = Array.from(list.querySelectorAll("input[data-item]"), (i) => i.value);
    });
    return draft;
  }
  function requestId() {
    return form.elements["id"].value.trim();
  }

  // ---- the file, written as the checker writes it (the same layout, for a site without it) ----
  const SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
  const trim = (text) => text.replace(SPACE, "");
  const trimEnd = (text) => text.replace(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, "");
  function quoted(text) {
    let out = '"';
    for (const c of text) {
      const code = c.codePointAt(0);
      if (c === '"') out += '\\"';
      else if (c === "\\") out += "\\\\";
      else if (c === "\n") out += "\\n";
      else if (c === "\t") out += "\\t";
      else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
      else out += c;
    }
    return out + '"';
  }
  function word(text) {
    const simple = text !== "" && /^[A-Za-z0-9_.-]+$/.test(text) && !/^[-.]/.test(text) &&
      !/^(true|false|null|yes|no|on|off|y|n)$/i.test(text) &&
      !/^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)$/i.test(text);
    return simple ? text : quoted(text);
  }
  function writeYaml(d) {
    const lines = [];
    const line = (text) => lines.push(text);
    const block = (indent, key, text, placeholder) => {
      const pad = " ".repeat(indent);
      let body = trimEnd((text || "").replaceAll("\r\n", "\n").replaceAll("\r", "\n"));
      if (trim(body) === "") body = placeholder;
      line(pad + key + ": " + (body.startsWith(" ") || body.startsWith("\n") ? "|2" : "|"));
      for (const l of body.split("\n")) line(l === "" ? "" : pad + "  " + l);
    };
    const list = (indent, key, items, comment) => {
      const pad = " ".repeat(indent);
      const kept = (items || []).map(trim).filter((i) => i !== "");
      const head = pad + key + ":" + (kept.length ? "" : " []");
      line(head + (comment ? " ".repeat(17 - Math.min(head.length, 16)) + "# " + comment : ""));
      kept.forEach((item) => line(pad + "  - " + quoted(item)));
    };
    const plain = (indent, key, value, placeholder) => {
      const v = trim(value || "");
      line(" ".repeat(indent) + key + ": " + (v === "" ? placeholder : word(v)));
    };
    const text = (key) => d[key] || "";
    line("# yaml-language-server: $schema=schema.json");
    line("title: " + quoted(trim(text("title")) || "TODO: one line saying what the job does"));
    list(0, "jobs", d.jobs, "job class names in run order; an audit job goes first");
    const kind = trim(text("kind")) || "new";
    plain(0, "kind", kind, "new");
    const existing = kind === "existing";
    if (!existing || trim(text("pr")) !== "") line("pr: " + quoted(trim(text("pr"))));
    if (existing || trim(text("reason")) !== "") block(0, "reason", text("reason"), "TODO: why the job must run again.");
    plain(0, "author", text("author"), '""');
    plain(0, "submitted", text("submitted"), '""');
    line("target_release: " + quoted(trim(text("target_release"))));
    line("essential: " + Boolean(d.essential));
    block(0, "summary", text("summary"), "TODO: what the job does and why.");
    line("readiness:       # set both to true once they are");
    line("  tested_locally: " + Boolean(d["readiness.tested_locally"]));
    line("  reviewers_approved: " + Boolean(d["readiness.reviewers_approved"]));
    line("output:");
    line("  success:");
    block(4, "description", text("output.success.description"), "TODO: the aggregate output the job prints when it succeeds.");
    list(4, "expected", d["output.success.expected"], "literal lines; <n> matches a number, <any> any text");
    line("  failure:");
    block(4, "description", text("output.failure.description"), "TODO: the error output for each failure case.");
    list(4, "expected", d["output.failure.expected"], "");
    line("tests:           # path/to/x_test.py::Class::test_name");
    list(2, "success", d["tests.success"], "");
    list(2, "failure", d["tests.failure"], "");
    line("instructions:");
    block(2, "verify", text("instructions.verify"), "TODO: how to tell success from failure (validation job, datastore check, UI check).");
    block(2, "on_output", text("instructions.on_output"), "TODO: what the coordinator does with the output.");
    block(2, "recover", text("instructions.recover"), "TODO: what to do if the run fails midway.");
    block(2, "debug", text("instructions.debug"), "TODO: how to debug a failed run.");
    if (trim(text("instructions.doc")) !== "") line("  doc: " + quoted(trim(text("instructions.doc"))));
    if (trim(text("notes")) !== "") block(0, "notes", text("notes"), "");
    if (trim(text("previous_request")) !== "") {
      plain(0, "previous_request", text("previous_request"), "");
      block(0, "fixed", text("fixed"), "TODO: what was fixed since the previous request.");
    }
    return lines.join("\n") + "\n";
  }
  // For the browser checks: the page's own writer, to compare with the checker's.
  form.writeYaml = writeYaml;
  form.requestFields = () => fields();

  // ---- diagnostics at their fields ----
  const fieldIds = (name) => name.replaceAll(".", "-");
  function clearDiagnostics() {
    form.querySelectorAll("ul.diagnostics").forEach((ul) => ul.replaceChildren());
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  }
  // Text with its `quoted` parts as code, built as nodes (never as markup).
  function withCode(text) {
    return text.split("`").map((part, i) => {
      if (i % 2 === 0) return document.createTextNode(part);
      const code = document.createElement("code");
      code.textContent = part;
      return code;
    });
  }
  function diagnosticItem(d, prefix) {
    const li = document.createElement("li");
    li.className = d.severity;
    const head = document.createElement("strong");
    head.textContent = (d.severity === "error" ? "Error" : "Warning") + (d.code ? " " + d.code : "") + ": ";
    li.append(prefix || "", head, ...withCode(d.message));
    if (d.help) {
      const help = document.createElement("span");
      help.className = "fix";
      help.append("Help: ", ...withCode(d.help));
      li.append(document.createElement("br"), help);
    }
    return li;
  }
  // Where a diagnostic at a line of the file stands in the form: its field, and the input.
  function place(d, lineFields) {
    if (d.code === "JG005" || d.field === "id") {
      return { field: "id", input: form.elements["id"] };
    }
    const name = d.line > 0 ? lineFields[d.line - 1] || "" : "";
    const item = /^(.*)\.(\d+)$/.exec(name);
    if (item && listOf(item[1])) {
      const inputs = listOf(item[1]).querySelectorAll("input");
      return { field: item[1], input: inputs[Number(item[2])], item: Number(item[2]) };
    }
    if (name && form.querySelector('[data-field="' + name + '"]')) {
      // A list's own diagnostic goes to its first item, or to its "Add" button when empty.
      const list = listOf(name);
      const input = list
        ? list.querySelector("input") || form.querySelector('[data-add="' + name + '"]')
        : form.elements[name] instanceof RadioNodeList ? form.elements[name][0] : form.elements[name];
      return { field: name, input };
    }
    return null;
  }
  function showDiagnostics(found, lineFields) {
    clearDiagnostics();
    const summary = $("summary");
    const list = $("summary-list");
    list.replaceChildren();
    let errors = 0;
    let warnings = 0;
    for (const d of found) {
      if (d.severity === "error") errors += 1;
      else warnings += 1;
      const at = place(d, lineFields);
      const entry = diagnosticItem(d, at && at.item !== undefined ? "Item " + (at.item + 1) + ". " : "");
      const summaryItem = document.createElement("li");
      summaryItem.className = d.severity;
      if (at) {
        $("d-" + fieldIds(at.field)).append(entry);
        if (at.input) {
          at.input.setAttribute("aria-invalid", "true");
          const link = document.createElement("a");
          link.href = "#" + (at.input.id || "f-" + fieldIds(at.field));
          link.append(...withCode((d.code ? d.code + " at " : "At ") +
            (at.field === "id" ? "the request id" : "`" + at.field + "`") + ": " + d.message));
          link.addEventListener("click", (event) => {
            event.preventDefault();
            at.input.focus();
            at.input.scrollIntoView({ block: "center" });
          });
          summaryItem.append(link);
        } else {
          summaryItem.textContent = d.code + ": " + d.message;
        }
        list.append(summaryItem);
      } else {
        list.append(diagnosticItem(d, "Line " + d.line + ". "));
      }
    }
    const count = (n, one) => n + " " + one + (n === 1 ? "" : "s");
    $("summary-heading").textContent = errors + warnings === 0
      ? "No problems: the file is ready to propose."
      : count(errors, "error") + " and " + count(warnings, "warning") + " in the file below; each is shown at its field.";
    summary.classList.toggle("clean", errors + warnings === 0);
    summary.hidden = false;
  }
  function showStatus(derived) {
    const dl = $("derived");
    dl.replaceChildren();
    const row = (term, value) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      dl.append(dt, dd);
    };
    if (!derived) {
      row("Run weekend, results and release fit", checker
        ? "Shown once the file has no errors."
        : "Worked out by the checker on the pull request.");
      return;
    }
    row("State", derived.labels.state);
    if (derived.labels.fit) row("Release fit", derived.labels.fit);
    row("Run weekend", derived.run_weekend);
    row("Results due", derived.results_due);
    row("Answer due", derived.response_due);
    row("Release cutoff", derived.cutoff);
    row("Next", derived.next_action);
  }

  // ---- the file, the preview and the actions ----
  let current = "";
  function fileName() {
    return "requests/" + (requestId() || "<id>") + ".yaml";
  }
  // `work` one run at a time: calls made while it runs are taken up, together, when it ends.
  function oneAtATime(work) {
    let running = false;
    let again = false;
    return async function () {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          await work();
        } while (again);
      } finally {
        running = false;
      }
    };
  }
  const update = oneAtATime(render);
  async function render() {
    const draft = fields();
    const id = requestId();
    form.querySelectorAll("[data-for-kind]").forEach((field) => {
      field.hidden = field.dataset.forKind !== draft.kind && !fieldHasText(field);
    });
    let lineFields = [];
    if (checker) {
      const written = await checker("write", draft);
      if (!written.ok) {
        status.textContent = "The checker failed: " + written.error;
        return;
      }
      current = written.text;
      lineFields = written.fields;
    } else {
      current = writeYaml(draft);
    }
    $("preview").textContent = current;
    $("preview-name").textContent = fileName();
    const propose = new URL("https://github.com/" + form.dataset.repository + "/new/main");
    propose.searchParams.set("filename", fileName());
    propose.searchParams.set("value", current);
    $("propose").href = propose.href;
    if (!checker) return;
    const answer = await checker("check", { id, text: current, today });
    // How long the last check took in the checker, in milliseconds (read by the browser checks).
    if (answer.took !== undefined) form.dataset.checkedIn = answer.took.toFixed(1);
    if (!answer.ok) {
      status.textContent = "The checker failed: " + answer.error;
      return;
    }
    const found = answer.report.diagnostics.slice();
    if (id && data.requests.some((r) => r.id === id)) {
      found.unshift({
        severity: "error", code: "", field: "id", line: 0, column: 0, file: fileName(),
        message: "`" + id + "` is already the id of a request on this site",
        help: "choose another id; to file a request again after a failed run, give it a new id and name the old one in `previous_request`",
      });
    }
    showDiagnostics(found, lineFields);
    showStatus(found.some((d) => d.severity === "error") ? null : answer.status);
  }
  function fieldHasText(field) {
    const el = field.querySelector("input[type=text], textarea");
    return el && el.value.trim() !== "";
  }

  let timer = 0;
  function changed() {
    save();
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  function flash(text) {
    $("action-status").textContent = text;
  }
  $("copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(current);
      flash("Copied " + fileName() + " to the clipboard.");
    } catch {
      const range = document.createRange();
      range.selectNodeContents($("preview"));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      flash("The file is selected: press Ctrl+C (or ⌘C) to copy it.");
    }
  });
  $("download").addEventListener("click", () => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([current], { type: "text/yaml" }));
    link.download = (requestId() || "request") + ".yaml";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    flash("Downloaded " + link.download + "; put it in the requests/ folder of your pull request.");
  });
  $("reset").addEventListener("click", () => {
    localStorage.removeItem(STORE);
    form.reset();
    form.querySelectorAll("ol.items").forEach((list) => list.replaceChildren());
    fill({});
    update();
    flash("Started again: the form is empty.");
    form.elements["id"].focus();
  });

  // ---- kept in the browser across reloads ----
  function save() {
    try {
      localStorage.setItem(STORE, JSON.stringify({ id: requestId(), fields: fields() }));
    } catch {
      // Storage full or refused: the form still works, it is just not kept.
    }
  }
  function fill(saved) {
    const values = saved.fields || {};
    form.elements["id"].value = saved.id || "";
    for (const el of form.elements) {
      if (!el.name || el.name === "id" || !(el.name in values)) continue;
      if (el.type === "checkbox") el.checked = Boolean(values[el.name]);
      else if (el.type === "radio") el.checked = values[el.name] === el.value;
      else if (el.tagName === "SELECT") {
        // A draft kept from before its release closed keeps it, for the checker to say so.
        const value = String(values[el.name]);
        if (value && !Array.from(el.options).some((o) => o.value === value)) {
          const option = document.createElement("option");
          option.value = value;
          option.textContent = value + ": no longer open";
          el.append(option);
        }
        el.value = value;
      } else el.value = values[el.name];
    }
    if (!values.submitted) form.elements["submitted"].value = today;
    form.querySelectorAll("[data-list]").forEach((list) => {
      const name = list.dataset.list;
      listOf(name).replaceChildren();
      const items = Array.isArray(values[name]) && values[name].length ? values[name] : [""];
      items.forEach((item) => addItem(name, String(item), false));
    });
  }
  function restore() {
    let saved = {};
    try {
      saved = JSON.parse(localStorage.getItem(STORE) || "{}") || {};
    } catch {
      saved = {};
    }
    fill(saved);
  }

  // ---- the second mode: check a file ----
  function setMode(mode) {
    const file = mode === "file";
    $("form-mode").hidden = file;
    $("file-mode").hidden = !file;
    $("mode-form").setAttribute("aria-pressed", String(!file));
    $("mode-file").setAttribute("aria-pressed", String(file));
  }
  $("mode-form").addEventListener("click", () => setMode("form"));
  $("mode-file").addEventListener("click", () => {
    setMode("file");
    $("file-text").focus();
  });
  if (location.hash === "#check") setMode("file");

  const checkFile = oneAtATime(checkFileNow);
  async function checkFileNow() {
    const text = $("file-text").value;
    const report = $("file-report");
    const summary = $("file-summary");
    if (!text) {
      summary.textContent = "";
      report.hidden = true;
      return;
    }
    if (!checker) {
      summary.textContent = "The checker is not available on this page, so the file cannot be checked here; run `jobgate check` or open the pull request, whose CI checks it.";
      report.hidden = true;
      return;
    }
    const id = $("file-id").value.trim() || "request";
    summary.textContent = "Checking…";
    const answer = await checker("check", { id, text, today });
    if (!answer.ok) {
      summary.textContent = "The checker failed: " + answer.error;
      return;
    }
    const { errors, warnings } = answer.report;
    summary.textContent = errors + warnings === 0
      ? "requests/" + id + ".yaml has no problems."
      : "requests/" + id + ".yaml: " + errors + " error" + (errors === 1 ? "" : "s") + " and " +
        warnings + " warning" + (warnings === 1 ? "" : "s") + ".";
    report.textContent = answer.rendered;
    report.hidden = answer.rendered === "";
  }
  let fileTimer = 0;
  const fileChanged = () => {
    clearTimeout(fileTimer);
    fileTimer = setTimeout(checkFile, 120);
  };
  $("file-text").addEventListener("input", fileChanged);
  $("file-id").addEventListener("input", fileChanged);
  async function readFile(file) {
    if (!file) return;
    $("file-text").value = await file.text();
    if (!$("file-id").value) $("file-id").value = file.name.replace(/\.ya?ml$/, "");
    await checkFile();
  }
  $("file-pick").addEventListener("change", (event) => readFile(event.target.files[0]));
  const dropZone = $("file-mode");
  dropZone.addEventListener("dragover", (event) => {
    event.preventDefault();
    dropZone.classList.add("dropping");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dropping"));
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dropping");
    readFile(event.dataTransfer.files[0]);
  });

  start();
})();
