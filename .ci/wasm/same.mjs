// The browser's checker and `jobgate check` must never disagree about a file. For each site
// given, this runs `jobgate check --format json` on the whole site, then loads the WebAssembly
// checker in node with the site's settings and its other request files, as the request page
// does, checks each request file with it, and compares the two lists of diagnostics: same
// codes, lines, columns, messages, help and related places, in the same order. It also
// compares the releases the checker offers as open with `jobgate calendar` from that day.
//
// usage: node same.mjs --wasm FILE --jobgate BIN --today YYYY-MM-DD SITE...
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  if (at < 0 || at + 1 >= args.length) throw new Error(`${name} is required`);
  return args.splice(at, 2)[1];
};
const wasmFile = option("--wasm");
const jobgate = option("--jobgate");
const today = option("--today");
const sites = args;

const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), {});
const api = instance.exports;

function call(fn, input) {
  const bytes = new TextEncoder().encode(JSON.stringify(input));
  const ptr = api.jobgate_alloc(bytes.length);
  new Uint8Array(api.memory.buffer, ptr, bytes.length).set(bytes);
  const packed = fn(ptr, bytes.length);
  const outPtr = Number(packed >> 32n);
  const outLen = Number(packed & 0xffffffffn);
  const text = new TextDecoder().decode(new Uint8Array(api.memory.buffer, outPtr, outLen));
  api.jobgate_free(outPtr, outLen);
  return JSON.parse(text);
}

const strict = new TextDecoder("utf-8", { fatal: true });
let compared = 0;
let slowest = 0;
let failures = 0;
for (const site of sites) {
  let cli;
  try {
    cli = execFileSync(jobgate, ["check", "--root", site, "--today", today, "--format", "json"], {
      encoding: "utf8",
    });
  } catch (error) {
    // Exit 1 means the site has errors, which the fixtures are there to show.
    if (error.status !== 1) throw error;
    cli = error.stdout;
  }
  const expected = JSON.parse(cli).diagnostics;

  const files = [];
  for (const name of readdirSync(join(site, "requests")).sort()) {
    if (!name.endsWith(".yaml")) continue;
    let text;
    try {
      text = strict.decode(readFileSync(join(site, "requests", name)));
    } catch {
      // A page hands the checker text, never bytes that are not UTF-8 (JG001 is the CLI's).
      console.log(`skip  ${site}/requests/${name}: not UTF-8`);
      continue;
    }
    files.push({ id: name.slice(0, -".yaml".length), text });
  }
  const loaded = call(api.jobgate_load, {
    settings: readFileSync(join(site, "content", "site.yaml"), "utf8"),
    requests: files,
  });
  if (!loaded.ok) throw new Error(`${site}: ${loaded.error}`);

  // The releases the request form offers are the CLI's calendar from the first one open today.
  const open = call(api.jobgate_releases, { today });
  const first = open.ok ? open.releases[0].release : '0000-01';
  const [year, month] = first.split('-').map(Number);
  const before = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
  let calendar = null;
  try {
    calendar = JSON.parse(execFileSync(jobgate, ['calendar', '--root', site, '--today', today,
      '--from', before, '--months', String(open.releases.length + 1), '--format', 'json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).map(({ requests, ...dates }) => dates);
  } catch (error) {
    // The calendar needs a site without errors, which the invalid fixture is not.
    if (error.status !== 1) throw error;
  }
  if (!calendar) {
    console.log(`skip  ${site}: the open releases (jobgate calendar refuses a site with errors)`);
  } else if (!open.ok || !(calendar[0].last_submission < today) || !isDeepStrictEqual(open.releases, calendar.slice(1))) {
    failures++;
    compared++;
    console.log(`FAIL  ${site}: the open releases`);
    console.log(`  jobgate calendar: ${JSON.stringify(calendar)}`);
    console.log(`  WebAssembly:      ${JSON.stringify(open)}`);
  } else {
    compared++;
    console.log(`same  ${site}: the ${open.releases.length} releases open on ${today}, from ${first}`);
  }

  for (const { id, text } of files) {
    const file = `requests/${id}.yaml`;
    const start = performance.now();
    const answer = call(api.jobgate_check, { id, text, today });
    slowest = Math.max(slowest, performance.now() - start);
    const want = expected.filter((d) => d.file === file);
    compared++;
    if (!answer.ok || !isDeepStrictEqual(answer.report.diagnostics, want)) {
      failures++;
      console.log(`FAIL  ${site}/${file}`);
      console.log(`  jobgate check: ${JSON.stringify(want)}`);
      console.log(`  WebAssembly:   ${JSON.stringify(answer.ok ? answer.report.diagnostics : answer)}`);
    } else {
      console.log(`same  ${site}/${file}: ${want.length} diagnostic(s)`);
    }
  }
}
console.log(`${compared - failures} of ${compared} the same (request files, open releases); slowest check ${slowest.toFixed(1)} ms`);
if (failures > 0 || compared === 0) process.exit(1);
