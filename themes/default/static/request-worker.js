// The request form's checker, off the page's main thread: a long check (a hostile paste in
// "Check a file") never freezes the form. It loads request/checker.wasm, jobgate's own checker,
// with the site's settings and other requests, then answers the page's calls in order. Strings
// cross into the module as UTF-8 in its memory; answers come back as JSON.
"use strict";
let api = null;

function connect(instance) {
  const exports = instance.exports;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const call = (fn, input) => {
    const bytes = encoder.encode(JSON.stringify(input));
    const ptr = exports.jobgate_alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    const packed = fn(ptr, bytes.length);
    const outPtr = Number(packed >> 32n);
    const outLen = Number(packed & 0xffffffffn);
    const text = decoder.decode(new Uint8Array(exports.memory.buffer, outPtr, outLen));
    exports.jobgate_free(outPtr, outLen);
    return JSON.parse(text);
  };
  return {
    load: (input) => call(exports.jobgate_load, input),
    check: (input) => call(exports.jobgate_check, input),
    write: (input) => call(exports.jobgate_write, input),
    releases: (input) => call(exports.jobgate_releases, input),
  };
}

async function start({ url, site }) {
  const response = await fetch(url);
  if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
  const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), {});
  api = connect(instance);
  return api.load(site);
}

self.onmessage = async (event) => {
  const { id, op, input } = event.data;
  let answer;
  try {
    if (op === "start") {
      answer = await start(input);
    } else if (!api || !(op in api)) {
      answer = { ok: false, error: "the checker is not loaded" };
    } else {
      const started = performance.now();
      answer = api[op](input);
      answer.took = performance.now() - started;
    }
  } catch (error) {
    answer = { ok: false, error: String(error && error.message ? error.message : error) };
  }
  self.postMessage({ id, answer });
};
