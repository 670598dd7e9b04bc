// Search on a site large enough that its index comes in several parts: the search page must
// merge them all. For a job in the middle of each part, searching its job name, and its id,
// must list that job's page first.
//
//   node parts.mjs --site DIR --requests DIR --port N
//
// The site must have been built from the requests in --requests with
// --base-url http://127.0.0.1:N/jobs/; it is served there.
import fs from 'node:fs';
import path from 'node:path';
import { flags, launch } from './browser.mjs';
import { serve } from './serve.mjs';

const args = flags(['site', 'requests', 'port']);
const origin = `http://127.0.0.1:${args.port}`;
const base = `${origin}/jobs/`;

// The index holds each guide page, then each job in the order of the API's list; the parts
// are the folders the search page names, each holding the next `page_count` records.
const read = (file) => fs.readFileSync(path.join(args.site, file), 'utf8');
const requests = JSON.parse(read('api/requests.json'));
const guides = fs
  .readdirSync(path.join(args.site, 'guide'), { withFileTypes: true })
  .filter((e) => e.isDirectory()).length;
const merged = /data-parts="([^"]*)"/.exec(read('search/index.html'))?.[1].split(' ') ?? [];
const folders = ['pagefind', ...merged.map((p) => p.replace(/^(\.\.\/)+/, '').replace(/\/$/, ''))];
const sizes = folders.map((dir) => {
  const entry = JSON.parse(read(`${dir}/pagefind-entry.json`));
  return Object.values(entry.languages).reduce((sum, l) => sum + l.page_count, 0);
});
const parts = folders.length;
if (parts < 3) throw new Error(`the search index has ${parts} part(s); the check needs three`);
if (sizes.reduce((a, b) => a + b) !== guides + requests.length) {
  throw new Error(`the index parts hold ${sizes.join(' + ')} records, not ${guides + requests.length}`);
}

// A request's first job name, from its file.
function jobName(id) {
  const text = fs.readFileSync(path.join(args.requests, `${id}.yaml`), 'utf8');
  const name = /^jobs:\s*\n\s*-\s*(\S+)/m.exec(text);
  if (!name) throw new Error(`no job name in ${id}.yaml`);
  return name[1];
}

const problems = [];
let passed = 0;
const server = await serve({ '/jobs/': args.site }, Number(args.port));
const browser = await launch(origin, (url) => problems.push(`request left the site: ${url}`));
try {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  let start = 0;
  for (const [i, size] of sizes.entries()) {
    const part = i + 1;
    const middle = Math.max(start + Math.floor(size / 2), guides);
    start += size;
    const job = requests[middle - guides];
    const expected = `${base}jobs/${job.id}/`;
    for (const query of [jobName(job.id), job.id]) {
      await page.goto(`${base}search/?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
      try {
        await page.waitForSelector('#search-results li a', { timeout: 15000 });
      } catch {
        const status = await page.locator('#search-status').textContent();
        problems.push(`part ${part}: "${query}" finds nothing (status: ${status})`);
        continue;
      }
      const links = await page.$$eval('#search-results li a', (as) => as.map((a) => a.href));
      const found = links.findIndex((href) => href === expected || href === `${expected}index.html`);
      if (found !== 0) {
        problems.push(`part ${part}: "${query}" should list ${expected} first, got ${links.slice(0, 3).join(', ')}`);
      } else {
        passed += 1;
        console.log(`  pass  part ${part}/${parts}: "${query}" lists jobs/${job.id}/ first`);
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}

for (const p of problems) console.error(`  FAIL  ${p}`);
console.log(`${passed} passed, ${problems.length} failed`);
if (problems.length) process.exit(1);
