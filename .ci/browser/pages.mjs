// Browser checks of the built site: for each kind of page, in light and dark colour schemes,
// no console error, page error, failed or blocked request or HTTP error; no axe-core
// violation; full-page screenshots at 1280 and 390 px; no horizontal scroll at 360 px; and the
// first Tab reaches a visible skip link that moves focus to the content.
//
//   node pages.mjs --site DIR --port N --screenshots DIR
//
// The site must have been built with --base-url http://127.0.0.1:N/jobs/; it is served there.
import fs from 'node:fs';
import path from 'node:path';
import { axe, flags, launch } from './browser.mjs';
import { serve } from './serve.mjs';

const args = flags(['site', 'port', 'screenshots']);
const origin = `http://127.0.0.1:${args.port}`;
const base = `${origin}/jobs/`;

// The pages to look at; the job, guide page and release are picked from what the site has.
function pagesOf(site) {
  const read = (file) => JSON.parse(fs.readFileSync(path.join(site, file), 'utf8'));
  const requests = read('api/requests.json');
  // A request with runs and output shows the most of the job page.
  const job =
    ['approved', 'passed', 'failed', 'verifying']
      .map((state) => requests.find((r) => r.state === state))
      .find(Boolean) ?? requests[0];
  const guides = fs
    .readdirSync(path.join(site, 'guide'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const guide = guides.includes('requesting-a-test') ? 'requesting-a-test' : guides[0];
  const release = read('api/releases.json').find((r) => r.requests.length > 0);
  // A run sheet, when some weekend has planned runs (the newest, which is nearest today).
  const runsDir = path.join(site, 'runs');
  const sheets = fs.existsSync(runsDir)
    ? fs.readdirSync(runsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    : [];
  if (!job || !guide || !release) throw new Error('the site has no job, guide page or release');
  return [
    ['home', ''],
    ['guide', `guide/${guide}/`],
    ['jobs', 'jobs/'],
    ['job', `jobs/${job.id}/`],
    ['releases', 'releases/'],
    ['release', `releases/${release.release}/`],
    ...(sheets.length ? [['runsheet', `runs/${sheets[sheets.length - 1]}/`]] : []),
    ['stats', 'stats/'],
    ['request', 'request/'],
    // A word in guide pages and in job pages, so that the search finds pages of both kinds.
    ['search', 'search/index.html?q=exploration'],
  ];
}

// Loads `url` and collects every console error, page error, failed request and HTTP error.
async function visit(page, url, problems) {
  const listeners = {
    console: (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`),
    pageerror: (e) => problems.push(`page error: ${e.message}`),
    requestfailed: (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`),
    response: (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`),
  };
  for (const [event, fn] of Object.entries(listeners)) page.on(event, fn);
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
  } finally {
    for (const [event, fn] of Object.entries(listeners)) page.off(event, fn);
  }
}

// The first Tab must focus a visible "skip" link, and following it must focus the content.
async function skipLink(page, problems) {
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a.tagName !== 'A') return { ok: false, what: a ? a.outerHTML.slice(0, 80) : 'nothing' };
    const r = a.getBoundingClientRect();
    const onTop = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const style = getComputedStyle(a);
    return {
      ok: true,
      href: a.getAttribute('href'),
      text: a.textContent.trim(),
      visible:
        r.width > 1 && r.height > 1 && r.left >= 0 && r.top >= 0 &&
        r.right <= innerWidth && r.bottom <= innerHeight &&
        style.visibility !== 'hidden' && Number(style.opacity) > 0 &&
        (onTop === a || a.contains(onTop)),
    };
  });
  if (!focused.ok) return problems.push(`the first Tab focuses ${focused.what}, not a link`);
  if (!/skip/i.test(focused.text) || !focused.href?.startsWith('#')) {
    return problems.push(`the first Tab focuses "${focused.text}" (${focused.href}), not a skip link`);
  }
  if (!focused.visible) problems.push('the skip link is not visible when focused');
  await page.keyboard.press('Enter');
  const landed = await page.evaluate(
    (id) => document.activeElement === document.getElementById(id),
    focused.href.slice(1),
  );
  if (!landed) problems.push(`following the skip link does not focus ${focused.href}`);
}

// The search page under the sub-path: results come from the index and link into the site.
async function searchResults(page, problems) {
  try {
    await page.waitForSelector('#search-results li a', { timeout: 15000 });
  } catch {
    const status = await page.locator('#search-status').textContent();
    return problems.push(`search shows no results (status: ${status})`);
  }
  const links = await page.$$eval('#search-results li a', (as) => as.map((a) => a.href));
  const outside = links.filter((href) => !href.startsWith(base));
  if (outside.length) problems.push(`search results link outside the site: ${outside.join(', ')}`);
  const kinds = await page.$$eval('#search-results .tag', (tags) => [...new Set(tags.map((t) => t.textContent))]);
  if (!kinds.includes('Guide') || !kinds.includes('Job')) {
    problems.push(`search for "exploration" should find guide and job pages, found ${kinds.join(', ')}`);
  }
}

// Typing in the jobs index's filter box narrows the rows; clearing it brings them back.
async function jobsFilter(page, url) {
  const problems = [];
  await visit(page, url, problems);
  const box = page.locator('#job-filter');
  if (!(await box.isVisible())) return ['the filter box is not shown when JavaScript runs'];
  const all = await page.locator('table.jobs tbody tr:not([hidden])').count();
  const first = await page.locator('table.jobs tbody tr code.id').first().textContent();
  await box.fill(first);
  const narrowed = await page.locator('table.jobs tbody tr:not([hidden])').count();
  if (!(narrowed >= 1 && narrowed < all)) problems.push(`filtering by "${first}" shows ${narrowed} of ${all} rows`);
  const status = await page.locator('#job-count').textContent();
  if (!status.includes(`of ${all} requests match`)) problems.push(`the count says "${status}"`);
  await box.fill('');
  const back = await page.locator('table.jobs tbody tr:not([hidden])').count();
  if (back !== all) problems.push(`clearing the filter shows ${back} of ${all} rows`);
  return problems;
}

async function checkPage(page, name, url) {
  const problems = [];
  for (const dark of [false, true]) {
    const scheme = dark ? 'dark' : 'light';
    const suffix = dark ? '-dark' : '';
    const found = [];
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await visit(page, url, found);
    if (name === 'search') await searchResults(page, found);
    await axe(page, found);
    await page.screenshot({ path: path.join(args.screenshots, `${name}-1280${suffix}.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(args.screenshots, `${name}-390${suffix}.png`), fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 360) found.push(`scrolls sideways at 360 px (${width} px wide)`);
    if (!dark) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await visit(page, url, found);
      await skipLink(page, found);
    }
    problems.push(...found.map((p) => `[${scheme}] ${p}`));
  }
  return problems;
}

const pages = pagesOf(args.site);
fs.mkdirSync(args.screenshots, { recursive: true });
const server = await serve({ '/jobs/': args.site }, Number(args.port));
const blocked = [];
const browser = await launch(origin, (url) => blocked.push(url));
const results = [];
try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  for (const [name, rel] of pages) {
    blocked.length = 0;
    const problems = await checkPage(page, name, base + rel);
    if (name === 'jobs') problems.push(...(await jobsFilter(page, base + rel)));
    problems.push(...blocked.map((url) => `request outside the site: ${url}`));
    results.push([name, rel, problems]);
  }
} finally {
  await browser.close();
  server.close();
}

console.log('\nbrowser checks of the site (console, requests, axe light+dark, 360 px, skip link):');
let failed = 0;
for (const [name, rel, problems] of results) {
  const unique = [...new Set(problems)];
  console.log(`  ${unique.length ? 'FAIL' : 'pass'}  ${name.padEnd(9)} /jobs/${rel}`);
  for (const p of unique) console.log(`          ${p}`);
  if (unique.length) failed += 1;
}
console.log(`${results.length - failed} passed, ${failed} failed`);
console.log(`screenshots: ${args.screenshots}`);
process.exit(failed ? 1 : 0);
