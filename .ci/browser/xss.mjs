// The cross-site-scripting corpus in a real browser. Writes the hostile sites with the same
// generator as the Rust tests (tests/xss/, through the `xss-sites` example), checks and builds
// each with jobgate, serves them under /xss/, then opens every HTML page, feed, badge and JSON
// file and asserts: no dialog opened, the canary `window.__xss` never set, no element or
// attribute a payload could have made (marker id/class, on* attributes, frames, plugins,
// scripts not from the site, script/data/vbscript links), and on each job page the payload
// visible as text: the title exactly, the run output line by line, the marker word in every
// markdown field. Last, on each site, it searches for the marker word and looks at the search
// results the same way.
//
//   node xss.mjs --generator BIN --jobgate BIN --work DIR --port N
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { flags, launch } from './browser.mjs';
import { serve } from './serve.mjs';

const TODAY = '2026-11-27';
const args = flags(['generator', 'jobgate', 'work', 'port']);
const origin = `http://127.0.0.1:${args.port}`;
const src = path.join(args.work, 'src');
const out = path.join(args.work, 'site');

fs.rmSync(args.work, { recursive: true, force: true });
execFileSync(args.generator, [src], { stdio: 'inherit' });
const manifest = JSON.parse(fs.readFileSync(path.join(src, 'manifest.json'), 'utf8'));
for (const site of manifest.sites) {
  const root = path.join(src, site.name);
  const base = `${origin}/xss/${site.name}/`;
  const common = ['--root', root, '--today', TODAY];
  execFileSync(args.jobgate, ['check', ...common], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(args.jobgate, ['build', ...common, '--base-url', base, '--out', path.join(out, site.name)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function filesOf(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

// The same text as a browser shows it: NUL dropped, runs of HTML white space as one space.
const norm = (text) => text.replace(/\u0000/g, '').replace(/[\t\n\f\r ]+/g, ' ').trim();

// Runs in the page: everything a payload may have turned into markup or code.
function pageFindings({ marker, prefix }) {
  const found = [];
  if (typeof window.__xss !== 'undefined') found.push(`window.__xss is ${String(window.__xss)}`);
  for (const el of document.querySelectorAll(`#${marker}, .${marker}`)) {
    found.push(`a payload's element: ${el.outerHTML.slice(0, 100)}`);
  }
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'background'];
  for (const el of document.getElementsByTagName('*')) {
    const tag = el.localName;
    if (['iframe', 'frame', 'object', 'embed', 'applet', 'base', 'foreignobject'].includes(tag.toLowerCase())) {
      found.push(`<${tag}> element`);
    }
    // The theme's own Content-Security-Policy, once, in the head; anything else (a refresh)
    // came from a payload.
    if (tag === 'meta' && el.hasAttribute('http-equiv')) {
      const csp = el.getAttribute('http-equiv').toLowerCase() === 'content-security-policy';
      const theme = csp && el.parentElement === document.head &&
        document.querySelectorAll('meta[http-equiv]').length === 1;
      if (!theme) found.push(`<meta http-equiv> element: ${el.outerHTML.slice(0, 100)}`);
    }
    if (tag === 'script') {
      const srcUrl = el.getAttribute('src');
      const own = srcUrl && new URL(srcUrl, document.baseURI).href.startsWith(prefix);
      if (!own || el.textContent.trim()) found.push(`script not from the site: ${el.outerHTML.slice(0, 100)}`);
    }
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) found.push(`${attr.name} on <${tag}>`);
      if (urlAttrs.includes(attr.name.toLowerCase())) {
        let protocol;
        try {
          protocol = new URL(attr.value, document.baseURI).protocol;
        } catch {
          continue;
        }
        if (!['http:', 'https:', 'mailto:'].includes(protocol)) {
          found.push(`${attr.name}="${attr.value.slice(0, 60)}" on <${tag}>`);
        }
      }
    }
  }
  return found;
}

// Runs in a job page: what of the payload a reader sees.
function jobTexts(marker) {
  return {
    h1: document.querySelector('h1')?.innerText ?? '',
    outputs: [...document.querySelectorAll('pre.output')].map((p) => p.innerText),
    proseWithMarker: [...document.querySelectorAll('.prose')].filter((p) => p.innerText.includes(marker)).length,
  };
}

// Opens every file of one site in `page`; returns what was found.
async function checkSite(page, site) {
  const problems = [];
  const prefix = `${origin}/xss/${site.name}/`;
  const byId = new Map(site.requests.map((r) => [r.id, r]));
  let dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}("${d.message()}")`);
    d.dismiss().catch(() => {});
  });
  let opened = 0;
  for (const file of filesOf(path.join(out, site.name))) {
    if (!/\.(html|xml|svg|json)$/.test(file)) continue;
    dialogs = [];
    const found = [];
    const response = await page.goto(prefix + file, { waitUntil: 'load' });
    opened += 1;
    if (file.endsWith('.html')) await page.waitForTimeout(50);
    if (file.endsWith('.json')) {
      JSON.parse(await response.text());
    } else {
      found.push(...(await page.evaluate(pageFindings, { marker: manifest.element_marker, prefix })));
    }
    if (/\.(xml|svg)$/.test(file)) {
      const broken = await page.evaluate(() => document.getElementsByTagName('parsererror').length);
      if (broken) found.push('the browser could not parse it');
      const scripts = await page.evaluate(() => document.getElementsByTagNameNS('*', 'script').length);
      if (scripts) found.push(`${scripts} script element(s)`);
    }
    if (file === 'api/requests.json') {
      const api = JSON.parse(await response.text());
      for (const r of site.requests) {
        const entry = api.find((e) => e.id === r.id);
        if (entry?.title !== r.title) found.push(`${r.id}: the API changed the title`);
      }
    }
    const job = byId.get(file.match(/^jobs\/([^/]+)\/index\.html$/)?.[1]);
    if (job) {
      const seen = await page.evaluate(jobTexts, manifest.marker);
      if (norm(seen.h1) !== norm(job.title)) found.push(`title shown as ${JSON.stringify(seen.h1)}`);
      if (seen.outputs.length !== manifest.text_fields) {
        found.push(`${seen.outputs.length} of ${manifest.text_fields} run outputs shown`);
      }
      for (const line of job.payload.split(/\r\n|\r|\n/).filter((l) => norm(l))) {
        if (!seen.outputs.every((o) => norm(o).includes(norm(line)))) {
          found.push(`output line ${JSON.stringify(line)} not shown`);
        }
      }
      if (seen.proseWithMarker !== manifest.markdown_fields) {
        found.push(`"${manifest.marker}" shown in ${seen.proseWithMarker} of ${manifest.markdown_fields} markdown fields`);
      }
    }
    found.push(...dialogs.map((d) => `dialog ${d}`));
    const where = job ? `${file} (payload at line ${job.line} of payloads.txt)` : file;
    problems.push(...found.map((p) => `${where}: ${p}`));
  }
  // The search index holds every payload too: search for the marker word every payload's
  // markdown fields carry, let the results render, and look again.
  dialogs = [];
  await page.goto(`${prefix}search/index.html?q=${encodeURIComponent(manifest.marker)}`, { waitUntil: 'load' });
  opened += 1;
  try {
    await page.waitForSelector('#search-results li', { timeout: 15000 });
    await page.waitForTimeout(100);
    const titles = await page.$$eval('#search-results .result-title a', (as) => as.map((a) => a.textContent));
    const known = new Set(site.requests.map((r) => norm(r.title)));
    const strange = titles.filter((t) => !known.has(norm(t)));
    if (titles.length < site.requests.length) {
      problems.push(`search: ${titles.length} results for ${site.requests.length} payloads`);
    }
    problems.push(...strange.map((t) => `search: a result titled ${JSON.stringify(t)}`));
  } catch {
    problems.push(`search: no results for "${manifest.marker}"`);
  }
  const found = await page.evaluate(pageFindings, { marker: manifest.element_marker, prefix });
  problems.push(...found.map((p) => `search: ${p}`), ...dialogs.map((d) => `search: dialog ${d}`));
  return [site.name, site.requests.length, opened, problems];
}

const server = await serve({ '/xss/': out }, Number(args.port));
const browser = await launch(origin, () => {});
const results = [];
try {
  // Three tabs at a time: each page load mostly waits on the server or the renderer.
  const queue = [...manifest.sites];
  const worker = async () => {
    const page = await browser.context.newPage();
    for (let site; (site = queue.shift()); ) results.push(await checkSite(page, site));
    await page.close();
  };
  await Promise.all([worker(), worker(), worker()]);
} finally {
  await browser.close();
  server.close();
}
results.sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }));

console.log('\nbrowser checks of the cross-site-scripting corpus (tests/xss/payloads.txt):');
let failed = 0;
for (const [name, payloads, opened, problems] of results) {
  console.log(`  ${problems.length ? 'FAIL' : 'pass'}  ${name}: ${payloads} payloads, ${opened} files opened`);
  for (const p of problems.slice(0, 40)) console.log(`          ${p}`);
  if (problems.length > 40) console.log(`          ... and ${problems.length - 40} more`);
  if (problems.length) failed += 1;
}
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
