// What both browser checks share: starting Debian's Chromium through playwright-core (never a
// downloaded browser), with a fresh profile and no way out to the network, and reading
// command-line flags.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

// `--name value` pairs into an object; every name in `required` must be given.
export function flags(required) {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`expected --name value pairs, got ${argv.slice(i).join(' ')}`);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  const missing = required.filter((name) => !(name in out));
  if (missing.length) throw new Error(`missing flags: ${missing.map((m) => '--' + m).join(' ')}`);
  return out;
}

// A browser context in a fresh profile folder, removed by `close()`. Requests to anything but
// `origin` are aborted and handed to `onBlocked`.
export async function launch(origin, onBlocked) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jobgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/')) return route.continue();
    onBlocked(url);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// Runs axe-core on the page as it stands and adds each violation to `problems`.
export async function axe(page, problems) {
  // Evaluated rather than added as a <script>, which the pages' Content-Security-Policy refuses.
  await page.evaluate(fs.readFileSync(axeSource, 'utf8'));
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
    problems.push(`axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s): ${where}`);
  }
}
