// Browser checks of the request form (/request/), in Chromium with the page's clock set to
// --today and the site served under a sub-path:
//
// - a complete request filled in by keyboard alone shows no diagnostic; the file it shows,
//   downloads and proposes on GitHub is one file, which `jobgate check` passes with no
//   diagnostic and which equals `jobgate new`'s skeleton filled in by hand;
// - five mistakes (a bad handle, another repository's pull request, a `<N>` pattern, an empty
//   instruction, a release already cut) each show at their field with the code, message and
//   help `jobgate check` gives for the same file, and the summary counts what the CLI counts;
// - the form is kept across a reload, works offline once loaded, and "Start again" empties it;
// - without the checker, or without the site's data, the page still writes and proposes the
//   same file (its own writer) and says so;
// - "Check a file" shows every diagnostic of an invalid file at its line, as the CLI does,
//   and checks a hostile file off the main thread;
// - no request leaves the site; no axe-core violation with diagnostics shown, light and dark;
//   screenshots of the filled form at 1280 and 390 px, light and dark.
//
//   node form.mjs --site DIR --port N --jobgate BIN --source DIR --today YYYY-MM-DD
//                 --work DIR --screenshots DIR
//
// --source is the site the build was made from (content/, requests/, themes/); the CLI checks
// the form's files in copies of it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { axe, flags, launch } from './browser.mjs';
import { serve } from './serve.mjs';

const args = flags(['site', 'port', 'jobgate', 'source', 'today', 'work', 'screenshots']);
const origin = `http://127.0.0.1:${args.port}`;
const url = `${origin}/jobs/request/`;
const timings = [];
const problems = [];
const fail = (text) => problems.push(text);

// ---- the CLI, on copies of the source site ----
function siteCopy(name) {
  const dir = path.join(args.work, name);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const part of ['content', 'requests', 'themes']) {
    fs.cpSync(path.join(args.source, part), path.join(dir, part), { recursive: true });
  }
  return dir;
}
function run(cwdArgs) {
  try {
    return { status: 0, stdout: execFileSync(args.jobgate, cwdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    return { status: error.status, stdout: error.stdout, stderr: error.stderr };
  }
}
// `jobgate check --format json` of one request file put into a copy of the site.
function cliCheck(id, text) {
  const dir = siteCopy('check');
  fs.writeFileSync(path.join(dir, 'requests', `${id}.yaml`), text);
  const out = run(['check', '--root', dir, '--today', args.today, '--format', 'json', `requests/${id}.yaml`]);
  if (out.status !== 0 && out.status !== 1) throw new Error(`jobgate check failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

// ---- what the author writes ----
const complete = {
  id: 'recount-topic-story-counts',
  title: 'Recount the stories of every topic',
  jobs: ['AuditTopicStoryCountsJob', 'RecountTopicStoryCountsJob'],
  pr: 'https://github.com/oppia/oppia/pull/31415',
  author: 'ada-lovelace',
  summary: 'Counts the stories of each topic again.\n\nThe old counts missed stories added by the `import` tool: "quoted", #hashed, key: value.',
  successDescription: 'One line per topic counted, then the total.',
  successExpected: ['Counted <n> stories in <n> topics', 'SUCCESS'],
  failureDescription: 'A line for each topic whose count could not be written.',
  failureExpected: ['FAILED topic <any>'],
  testsSuccess: ['core/jobs/batch_jobs/topic_jobs_test.py::RecountTopicStoryCountsJobTests::test_counts_stories'],
  testsFailure: ['core/jobs/batch_jobs/topic_jobs_test.py::RecountTopicStoryCountsJobTests::test_reports_unwritable_topic'],
  verify: 'Run `AuditTopicStoryCountsJob` again: it reports 0 mismatches.',
  onOutput: 'Paste the output into the request with `jobgate record`.',
  recover: 'Run the job again; it writes only the counts that differ.',
  debug: 'Look for the FAILED lines and open those topics in the datastore.',
};

// `jobgate new`'s skeleton, filled in by hand: every TODO and empty list replaced.
function scaffoldAndFill(release) {
  const dir = siteCopy('new');
  const out = run(['new', complete.id, '--root', dir, '--today', args.today, '--title', complete.title,
    '--kind', 'new', '--author', complete.author, '--pr', complete.pr, '--target-release', release,
    '--jobs', complete.jobs.join(',')]);
  if (out.status !== 0) throw new Error(`jobgate new failed: ${out.stderr}`);
  let text = fs.readFileSync(path.join(dir, 'requests', `${complete.id}.yaml`), 'utf8');
  const block = (todo, value, indent) => {
    const pad = ' '.repeat(indent);
    const lines = value.split('\n').map((l) => (l ? pad + l : '')).join('\n');
    if (!text.includes(`${pad}${todo}\n`)) throw new Error(`the skeleton has no "${todo}"`);
    text = text.replace(`${pad}${todo}\n`, `${lines}\n`);
  };
  // A line `key: []` becomes the key and its items.
  const list = (empty, head, items, indent) => {
    if (!text.includes(`${empty}\n`)) throw new Error(`the skeleton has no "${empty}"`);
    const pad = ' '.repeat(indent);
    text = text.replace(`${empty}\n`, [head, ...items.map((i) => `${pad}- "${i}"`)].join('\n') + '\n');
  };
  block('TODO: what the job does and why.', complete.summary, 2);
  text = text.replace('tested_locally: false', 'tested_locally: true');
  text = text.replace('reviewers_approved: false', 'reviewers_approved: true');
  block('TODO: the aggregate output the job prints when it succeeds.', complete.successDescription, 6);
  const comment = '# literal lines; <n> matches a number, <any> any text';
  list(`    expected: [] ${comment}`, `    expected:    ${comment}`, complete.successExpected, 6);
  block('TODO: the error output for each failure case.', complete.failureDescription, 6);
  list('    expected: []', '    expected:', complete.failureExpected, 6);
  list('  success: []', '  success:', complete.testsSuccess, 4);
  list('  failure: []', '  failure:', complete.testsFailure, 4);
  block('TODO: how to tell success from failure (validation job, datastore check, UI check).', complete.verify, 4);
  block('TODO: what the coordinator does with the output.', complete.onOutput, 4);
  block('TODO: what to do if the run fails midway.', complete.recover, 4);
  block('TODO: how to debug a failed run.', complete.debug, 4);
  return text;
}

// ---- driving the page by keyboard ----
// Presses Tab until `selector` has the focus; fails when it is not reached in 12 presses.
async function tabTo(page, selector) {
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab does not reach ${selector}`);
}
async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  for (const [i, line] of text.split('\n').entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    if (line) await page.keyboard.insertText(line);
  }
}
// Types the items of a list: the first into the empty item, then "Add" (Enter) for each next.
async function typeList(page, name, items) {
  const id = `f-${name.replaceAll('.', '-')}`;
  await typeInto(page, `#${id}-0`, items[0]);
  for (let i = 1; i < items.length; i += 1) {
    await tabTo(page, `[data-add="${name}"]`);
    await page.keyboard.press('Enter');
    if (!(await page.evaluate((s) => document.activeElement?.matches(s), `#${id}-${i}`))) {
      throw new Error(`"Add" of ${name} does not focus the new item`);
    }
    await page.keyboard.insertText(items[i]);
  }
}
async function settled(page) {
  await page.waitForTimeout(300);
}
const preview = (page) => page.locator('#preview').textContent();

async function fillByKeyboard(page) {
  await page.locator('#f-id').focus();
  await page.keyboard.insertText(complete.id);
  await typeInto(page, '#f-title', complete.title);
  await typeList(page, 'jobs', complete.jobs);
  await typeInto(page, '#f-pr', complete.pr);
  await typeInto(page, '#f-author', complete.author);
  await typeInto(page, '#f-summary', complete.summary);
  for (const box of ['#f-readiness-tested_locally', '#f-readiness-reviewers_approved']) {
    await tabTo(page, box);
    await page.keyboard.press('Space');
  }
  await typeInto(page, '#f-output-success-description', complete.successDescription);
  await typeList(page, 'output.success.expected', complete.successExpected);
  await typeInto(page, '#f-output-failure-description', complete.failureDescription);
  await typeList(page, 'output.failure.expected', complete.failureExpected);
  await typeList(page, 'tests.success', complete.testsSuccess);
  await typeList(page, 'tests.failure', complete.testsFailure);
  await typeInto(page, '#f-instructions-verify', complete.verify);
  await typeInto(page, '#f-instructions-on_output', complete.onOutput);
  await typeInto(page, '#f-instructions-recover', complete.recover);
  await typeInto(page, '#f-instructions-debug', complete.debug);
  await settled(page);
}

async function download(page) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('#download').press('Enter')]);
  return fs.readFileSync(await file.path(), 'utf8');
}

async function open(page) {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => /Checked|did not|without/.test(document.getElementById('checker-status').textContent));
  await settled(page);
}

// The diagnostics shown at a field, as text.
const shownAt = (page, field) => page.locator(`#d-${field.replaceAll('.', '-')}`).textContent();
const plain = (text) => text.replaceAll('`', '');

fs.mkdirSync(args.screenshots, { recursive: true });
fs.mkdirSync(args.work, { recursive: true });
const server = await serve({ '/jobs/': args.site }, Number(args.port));
const blocked = [];
const browser = await launch(origin, (u) => blocked.push(u));
const pageErrors = [];
try {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.clock.setFixedTime(new Date(`${args.today}T12:00:00`));
  await open(page);
  const status = await page.locator('#checker-status').textContent();
  if (!status.startsWith('Checked as you type')) fail(`the checker did not start: "${status}"`);

  // 1. A complete request, by keyboard.
  await fillByKeyboard(page);
  const heading = await page.locator('#summary-heading').textContent();
  if (!heading.startsWith('No problems')) {
    fail(`the complete request shows "${heading}": ${await page.locator('#summary-list').textContent()}`);
  }
  const shown = await preview(page);
  const downloaded = await download(page);
  if (downloaded !== shown) fail('the downloaded file differs from the preview');
  const release = await page.locator('#f-target_release').inputValue();
  const cli = cliCheck(complete.id, downloaded);
  if (cli.diagnostics.length) fail(`jobgate check finds ${JSON.stringify(cli.diagnostics)} in the form's file`);
  const filled = scaffoldAndFill(release);
  if (filled !== downloaded) {
    fail(`the form's file differs from jobgate new's skeleton filled in:\n--- form\n${downloaded}--- new, filled\n${filled}`);
  }
  const own = await page.evaluate(() => {
    const form = document.getElementById('request-form');
    return form.writeYaml(form.requestFields());
  });
  if (own !== shown) fail(`the page's own writer differs from the checker's:\n${own}`);
  // How long a check of the complete request takes in the page: the median of 15 edits.
  for (let i = 0; i < 15; i += 1) {
    await page.locator('#f-title').press('End');
    await page.keyboard.insertText(' ');
    await page.keyboard.press('Backspace');
    await settled(page);
    timings.push(Number(await page.locator('#request-form').getAttribute('data-checked-in')));
  }
  timings.sort((a, b) => a - b);
  const derived = await page.locator('#derived').textContent();
  if (!/Run weekend\d{4}-\d\d-\d\d/.test(derived) || !derived.includes('Results due')) {
    fail(`the derived dates are not shown: "${derived}"`);
  }

  // "Propose on GitHub" carries the file exactly.
  const propose = new URL(await page.locator('#propose').getAttribute('href'));
  if (propose.origin !== 'https://github.com' || propose.pathname !== '/oppia/job-requests/new/main') {
    fail(`"Propose on GitHub" goes to ${propose.origin}${propose.pathname}`);
  }
  if (propose.searchParams.get('filename') !== `requests/${complete.id}.yaml`) {
    fail(`"Propose on GitHub" names the file ${propose.searchParams.get('filename')}`);
  }
  if (propose.searchParams.get('value') !== downloaded) fail('"Propose on GitHub" does not carry the file exactly');

  for (const dark of [false, true]) {
    const suffix = dark ? '-dark' : '';
    await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(args.screenshots, `request-filled-1280${suffix}.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(args.screenshots, `request-filled-390${suffix}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });

  // 2. Kept across a reload.
  await open(page);
  if ((await preview(page)) !== shown) fail('a reload does not bring the form back as it was');

  // 3. Five mistakes, each at its field with the CLI's words.
  await page.locator('#f-author').fill('ada lovelace');
  await page.locator('#f-pr').fill('https://github.com/someone/else/pull/7');
  await page.locator('#f-output-success-expected-1').fill('Processed <N> topics');
  await page.locator('#f-instructions-recover').fill('');
  await settled(page);
  // A draft kept from before its release was cut: the form keeps that release for the checker.
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('jobgate-request-form:'));
    const saved = JSON.parse(localStorage.getItem(key));
    saved.fields.target_release = '2026-11';
    localStorage.setItem(key, JSON.stringify(saved));
  });
  await open(page);
  const mistaken = await download(page);
  const found = cliCheck(complete.id, mistaken).diagnostics;
  const lines = mistaken.split('\n');
  const lineOf = (pattern) => lines.findIndex((l) => pattern.test(l)) + 1;
  const expectations = [
    ['a bad handle', 'author', [lineOf(/^author:/)]],
    ['another repository\'s pull request', 'pr', [lineOf(/^pr:/)]],
    ['a <N> pattern', 'output.success.expected', [lineOf(/<N>/)]],
    ['an empty instruction', 'instructions.recover', [lineOf(/^ {2}recover:/), lineOf(/^ {2}recover:/) + 1]],
    ['a release already cut', null, found.filter((d) => d.code === 'JG312').map((d) => d.line)],
  ];
  for (const [what, field, at] of expectations) {
    const here = found.filter((d) => at.includes(d.line));
    if (!here.length) {
      fail(`jobgate check reports nothing for ${what} (lines ${at})`);
      continue;
    }
    for (const d of here) {
      const key = field ?? lines[d.line - 1].split(':')[0].trim();
      const text = await shownAt(page, key);
      const want = `${d.code}: ${plain(d.message)}`;
      if (!text.includes(want) || !text.includes(`Help: ${plain(d.help)}`)) {
        fail(`${what}: the field ${key} shows "${text}", not "${want}" with its help`);
      }
    }
  }
  const errors = found.filter((d) => d.severity === 'error').length;
  const warnings = found.length - errors;
  const summary = await page.locator('#summary-heading').textContent();
  if (!summary.startsWith(`${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning`)) {
    fail(`the summary says "${summary}"; jobgate check finds ${errors} errors and ${warnings} warnings`);
  }
  const summaryItems = await page.locator('#summary-list > li').count();
  if (summaryItems !== found.length) fail(`the summary lists ${summaryItems} problems, the CLI ${found.length}`);
  // A summary entry takes the focus to its field.
  await page.locator('#summary-list a', { hasText: 'author' }).first().press('Enter');
  if (!(await page.evaluate(() => document.activeElement?.id === 'f-author'))) {
    fail('the summary entry of `author` does not focus the author field');
  }
  const invalid = await page.locator('#f-author').getAttribute('aria-invalid');
  if (invalid !== 'true') fail('the author field is not marked aria-invalid');
  for (const dark of [false, true]) {
    await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
    const found = [];
    await axe(page, found);
    problems.push(...found.map((p) => `[${dark ? 'dark' : 'light'}, with diagnostics] ${p}`));
    await page.screenshot({ path: path.join(args.screenshots, `request-mistakes-1280${dark ? '-dark' : ''}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // 4. Offline once loaded: the form still writes and checks.
  await browser.context.setOffline(true);
  await page.locator('#f-author').fill(complete.author);
  await settled(page);
  if ((await shownAt(page, 'author')).trim() !== '') fail('offline, a fixed field still shows its diagnostic');
  if (!(await preview(page)).includes(`author: ${complete.author}\n`)) fail('offline, the preview does not follow the form');
  await browser.context.setOffline(false);

  // 5. Without the checker: the same file, from the page's own writer.
  const bare = await browser.context.newPage();
  bare.on('pageerror', (e) => pageErrors.push(e.message));
  await bare.clock.setFixedTime(new Date(`${args.today}T12:00:00`));
  await bare.route('**/checker.wasm', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await open(bare);
  const bareStatus = await bare.locator('#checker-status').textContent();
  if (!bareStatus.includes('the check runs on the pull request')) fail(`without the checker the page says "${bareStatus}"`);
  const withChecker = await preview(page);
  if ((await preview(bare)) !== withChecker) {
    fail(`without the checker the page writes another file:\n${await preview(bare)}`);
  }
  await bare.close();

  // Without the site's data either (a page opened from disk): still the same file, proposed.
  const alone = await browser.context.newPage();
  alone.on('pageerror', (e) => pageErrors.push(e.message));
  await alone.clock.setFixedTime(new Date(`${args.today}T12:00:00`));
  await alone.route('**/request/site.json', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await alone.goto(url, { waitUntil: 'load' });
  await alone.waitForFunction(() => document.getElementById('checker-status').textContent.includes('did not load'));
  await settled(alone);
  if ((await preview(alone)) !== withChecker) fail('without the site\'s data the page writes another file');
  const alonePropose = new URL(await alone.locator('#propose').getAttribute('href'));
  if (alonePropose.searchParams.get('value') !== withChecker || alonePropose.pathname !== '/oppia/job-requests/new/main') {
    fail(`without the site's data "Propose on GitHub" goes to ${alonePropose.href.slice(0, 120)}`);
  }
  await alone.close();

  // 6. Start again.
  await page.locator('#reset').press('Enter');
  await settled(page);
  const empty = await preview(page);
  if (!empty.includes('title: "TODO: one line saying what the job does"') || empty.includes(complete.author)) {
    fail(`"Start again" leaves ${empty}`);
  }
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('jobgate-request-form:')));
  if (kept.length) fail('"Start again" leaves the form in local storage');

  // 7. Check a file: an invalid file's every diagnostic at its line.
  const invalidFile = fs.readFileSync('tests/fixtures/invalid/requests/all-mistakes-at-once.yaml', 'utf8');
  await page.locator('#mode-file').press('Enter');
  await page.locator('#file-id').fill('all-mistakes-at-once');
  await page.locator('#file-text').fill(invalidFile);
  await settled(page);
  const report = await page.locator('#file-report').textContent();
  const expected = cliCheck('all-mistakes-at-once', invalidFile);
  for (const d of expected.diagnostics) {
    const head = `${d.severity}[${d.code}]: ${d.message}`;
    const where = `--> ${d.file}:${d.line}:${d.column}`;
    if (!report.includes(head) || !report.includes(where)) fail(`"Check a file" does not show ${head} at ${where}`);
  }
  const fileSummary = await page.locator('#file-summary').textContent();
  if (!fileSummary.includes(`${expected.errors} error`)) fail(`"Check a file" says "${fileSummary}"`);

  // A hostile file (an alias bomb, which the checker takes most of a second to refuse) is
  // checked off the main thread: the page answers while it runs, then shows JG004.
  await page.locator('#file-id').fill('jg004-alias-bomb');
  await page.locator('#file-text').fill(fs.readFileSync('tests/fixtures/invalid/requests/jg004-alias-bomb.yaml', 'utf8'));
  await page.waitForFunction(() => document.getElementById('file-summary').textContent === 'Checking…');
  const typed = await page.evaluate(() => {
    const box = document.getElementById('file-id');
    box.value += '-x';
    return document.getElementById('file-summary').textContent;
  });
  if (typed !== 'Checking…') fail(`the page was not free while a long check ran (it shows "${typed}")`);
  await page.waitForFunction(() => document.getElementById('file-report').textContent.includes('[JG004]'), null, { timeout: 20000 })
    .catch(() => fail('the alias bomb does not end in JG004 in "Check a file"'));
} finally {
  await browser.close();
  server.close();
}
problems.push(...pageErrors.map((e) => `page error: ${e}`));
problems.push(...blocked.map((u) => `request outside the site: ${u}`));

console.log('\nbrowser checks of the request form:');
if (problems.length) {
  for (const p of problems) console.log(`  FAIL ${p}`);
  process.exit(1);
}
const median = timings[Math.floor(timings.length / 2)];
console.log(`  info a check of the complete request in the page: median ${median} ms, ${timings[0]}-${timings[timings.length - 1]} ms over ${timings.length} edits`);
console.log('  ok   filled by keyboard, checked as the CLI checks, proposed, kept, offline, without the checker, Check a file');
