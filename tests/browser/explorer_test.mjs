// Drives the page of `mercato serve` (docs/explorer.md) in Debian's Chromium, headless, through
// playwright-core, as a user would: a bad value gets its message beside the field and blocks
// the run; a good one clears it; a run of world-2025 with the United States' visa friction
// raised shows progress, then its charts beside the baseline's, a comparison that moved, a
// work-share chart that differs from the baseline's; its full report opens without an error,
// and its scenario.yaml holds the change. No console error anywhere. Screenshots in ARTEFACTS.
//
// node tests/browser/explorer_test.mjs URL ARTEFACTS
import { join } from 'node:path';

import { launchChromium } from './chromium.mjs';

const [url, artefacts] = process.argv.slice(2);
if (!url || !artefacts) {
  console.error('usage: node explorer_test.mjs URL ARTEFACTS');
  process.exit(2);
}

const failures = [];
const fail = (message) => { failures.push(message); console.error(`FAIL: ${message}`); };
const check = (ok, message) => { if (!ok) fail(message); };

const MONTHS = '24';
const TAX = 'regions.FR.tax_rate';
const VISA = 'regions.US.visa_friction';

function watch(page, name) {
  page.on('console', (message) => {
    // The test's own pixel reads (pixels() below) make Chromium suggest willReadFrequently.
    if (message.text().includes('willReadFrequently')) return;
    if (message.type() === 'error' || message.type() === 'warning') {
      fail(`${name}: console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => fail(`${name}: page error: ${error.message}`));
}

// How many distinct colours a chart's canvas holds, and a fingerprint of its pixels.
async function pixels(page, selector) {
  return page.$eval(`${selector} canvas`, (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set();
    let hash = 0;
    for (let i = 0; i < data.length; i += 4 * 13) {
      if (seen.size < 50) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      hash = (hash * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) % 1000000007;
    }
    return { colours: seen.size, hash, width: canvas.width, height: canvas.height };
  });
}

const { context, close } = await launchChromium({ width: 1500, height: 1000 });
try {
  const page = await context.newPage();
  watch(page, 'explorer');
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });

  const scenarios = await page.$$eval('#scenario option', (nodes) => nodes.map((n) => n.value));
  for (const name of ['world-2025', 'tiny']) {
    check(scenarios.includes(name), `scenario ${name} is not offered (${scenarios.join(', ')})`);
  }
  check(await page.$eval('#scenario', (s) => s.value) === 'world-2025', 'world-2025 is not chosen first');

  // A tax rate above 1: the server's message beside the field, the run button disabled.
  const tax = page.locator(`input[data-key="${TAX}"]`);
  const taxBefore = await tax.inputValue();
  await tax.fill('1.5');
  await page.waitForSelector(`input[data-key="${TAX}"][aria-invalid="true"]`, { timeout: 10000 })
    .catch(() => fail('a tax rate of 1.5 is not marked invalid'));
  const message = await page.locator(`#field-${TAX.replaceAll('.', '\\.')}-error`).textContent();
  check(/1\.5|\[0, ?1\]|between|at most|range/.test(message || ''), `the tax rate's message is '${message}'`);
  check(await page.locator('#run').isDisabled(), 'the run button is enabled with an invalid field');
  await page.screenshot({ path: join(artefacts, 'explorer-invalid.png') });
  await tax.fill(taxBefore);
  await page.waitForFunction((key) => {
    const input = document.querySelector(`input[data-key="${key}"]`);
    return !input.hasAttribute('aria-invalid') && !document.querySelector('#run').disabled;
  }, TAX, { timeout: 10000 }).catch(() => fail('the error stays after the value is fixed'));

  // A change, then run: progress while it runs, then both runs side by side.
  await page.locator('input[data-key="months"]').fill(MONTHS);
  await page.locator(`input[data-key="${VISA}"]`).fill('0.95');
  await page.waitForFunction(() => !document.querySelector('#run').disabled, null, { timeout: 10000 });
  await page.click('#run');
  await page.waitForSelector('body[data-state="running"]', { timeout: 5000 })
    .catch(() => fail('the page does not say it is running'));
  const progressSeen = await page.locator('#progress').isVisible();
  check(progressSeen, 'no progress bar while running');
  await page.waitForSelector('body[data-state="done"], body[data-state="failed"]', { timeout: 240000 });
  const status = await page.locator('#status').textContent();
  check(await page.$eval('body', (b) => b.dataset.state) === 'done', `the run did not finish: ${status}`);

  for (const side of ['baseline', 'modified']) {
    for (const chart of ['work-share', 'brain-drain', 'pay', 'packages']) {
      const selector = `.chart[data-chart="${side}-${chart}"]`;
      if (!(await page.$(selector))) { fail(`${selector} is missing`); continue; }
      const p = await pixels(page, selector);
      check(p.width > 100 && p.height > 100 && p.colours >= 3, `${selector} is not drawn (${JSON.stringify(p)})`);
    }
  }
  const base = await pixels(page, '.chart[data-chart="baseline-work-share"]');
  const changed = await pixels(page, '.chart[data-chart="modified-work-share"]');
  check(base.hash !== changed.hash, 'the changed run\'s work-share chart is the same as the baseline\'s');
  const moved = await page.$$eval('#comparison td.up, #comparison td.down', (n) => n.length);
  check(moved > 0, 'no figure of the comparison differs from the baseline');
  const rows = await page.$$eval('#comparison tbody tr', (n) => n.length);
  check(rows >= 7, `the comparison has ${rows} rows`);
  await page.screenshot({ path: join(artefacts, 'explorer.png'), fullPage: true });
  await page.locator('#comparison-panel').screenshot({ path: join(artefacts, 'comparison.png') });
  const table = await page.$$eval('#comparison tbody tr', (n) => n.map((r) => r.innerText.replaceAll('\t', ' | ')));
  console.log(`comparison:\n  ${table.join('\n  ')}`);

  // The changed scenario, downloaded, holds the change and the months.
  const yamlHref = await page.getAttribute('#modified a.scenario-link', 'href');
  const yaml = await (await page.request.get(new URL(yamlHref, url).href)).text();
  check(/visa_friction: 0\.95/.test(yaml), 'scenario.yaml does not hold visa_friction: 0.95');
  check(new RegExp(`months: ${MONTHS}\\b`).test(yaml), `scenario.yaml does not hold months: ${MONTHS}`);
  const csvHref = await page.getAttribute('#modified .links a[href$="/files/regions.csv"]', 'href');
  check(Boolean(csvHref), 'no link to regions.csv');
  if (csvHref) {
    const csv = await page.request.get(new URL(csvHref, url).href);
    check(csv.ok() && (await csv.text()).startsWith('month,date,'), 'regions.csv does not download');
  }

  // Cancel: a long run (600 months) stops when asked, and the page says so.
  await page.locator('input[data-key="months"]').fill('600');
  await page.waitForFunction(() => !document.querySelector('#run').disabled, null, { timeout: 10000 });
  await page.click('#run');
  await page.waitForSelector('#cancel:not([hidden])', { timeout: 5000 })
    .catch(() => fail('no Cancel button while running'));
  await page.waitForFunction(() => /month|warming|building|queued/.test(document.querySelector('#status').textContent),
    null, { timeout: 20000 }).catch(() => {});
  await page.click('#cancel');
  await page.waitForSelector('body[data-state="cancelled"], body[data-state="done"], body[data-state="failed"]',
    { timeout: 60000 });
  check(await page.$eval('body', (b) => b.dataset.state) === 'cancelled',
    `cancel did not cancel: ${await page.locator('#status').textContent()}`);
  check(await page.locator('#cancel').isHidden(), 'the Cancel button stays after the run stopped');
  const runs = (await (await page.request.get(new URL('/api/runs', url).href)).json()).runs;
  check(runs.filter((r) => r.status === 'cancelled').length >= 1, 'no run is cancelled on the server');
  check(runs.every((r) => !['queued', 'running'].includes(r.status)), 'a run is still going after cancel');
  check(await page.locator('.chart[data-chart="modified-work-share"]').count() === 1,
    'the last finished comparison is no longer shown after a cancelled run');

  // The full report of the changed run.
  const reportHref = await page.getAttribute('#modified a.report-link', 'href');
  const report = await context.newPage();
  watch(report, 'report');
  await report.goto(new URL(reportHref, url).href, { waitUntil: 'load' });
  await report.waitForSelector('body[data-ready="true"]', { timeout: 30000 })
    .catch(() => fail('the full report never finished rendering'));
  const reportCharts = await report.$$eval('.chart canvas', (n) => n.length);
  check(reportCharts >= 4, `the full report has ${reportCharts} charts drawn`);
  await report.screenshot({ path: join(artefacts, 'report.png'), fullPage: true });
  console.log(`explorer: ${status}; ${rows} comparison rows, ${moved} moved; report: ${reportCharts} charts`);
} catch (error) {
  fail(`${error.message}`);
} finally {
  await close();
}
if (failures.length) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('explorer works: ok');
