// Opens a page written by `mercato report` in Debian's Chromium (headless, through
// playwright-core; no browser is downloaded) and checks what a reader would see: no console
// error and no page error, every chart container drawn (a canvas of non-zero size), the
// selectors redraw their chart. Saves a full-page screenshot beside the page.
//
// node tests/browser/report_test.mjs REPORT.html SCREENSHOT.png [EXPECTED_CHARTS...]
// EXPECTED_CHARTS: ids of sections that must be there (e.g. work-share flows event-0).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { launchChromium } from './chromium.mjs';

const [page_path, screenshot, ...expected] = process.argv.slice(2);
if (!page_path || !screenshot) {
  console.error('usage: node report_test.mjs REPORT.html SCREENSHOT.png [CHART_ID...]');
  process.exit(2);
}

const failures = [];
const fail = (message) => { failures.push(message); console.error(`FAIL: ${message}`); };

const { context, close } = await launchChromium({ width: 1300, height: 900 });
try {
  // The page must open offline: any request other than the file itself is a failure.
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith('file:')) return route.continue();
    fail(`the page requested ${route.request().url()}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      fail(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => fail(`page error: ${error.message}`));
  await page.goto(pathToFileURL(resolve(page_path)).href, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 })
    .catch(() => fail('the page never finished rendering (body[data-ready])'));

  const charts = await page.$$eval('.chart', (nodes) => nodes.map((node) => {
    const canvas = node.querySelector('canvas');
    const box = canvas ? canvas.getBoundingClientRect() : { width: 0, height: 0 };
    return { id: node.dataset.chart, canvas: Boolean(canvas), width: box.width, height: box.height };
  }));
  if (charts.length === 0) fail('no chart container on the page');
  for (const chart of charts) {
    if (!chart.canvas || chart.width < 100 || chart.height < 100) {
      fail(`chart '${chart.id}' is not drawn (canvas ${chart.canvas}, ${chart.width}x${chart.height})`);
    }
  }
  const ids = charts.map((chart) => chart.id);
  for (const id of expected) {
    if (!ids.includes(id)) fail(`chart '${id}' is missing (charts: ${ids.join(', ')})`);
  }
  // A chart is drawn with pixels, not left blank: its canvas holds more than one colour.
  for (const id of ids) {
    const colours = await page.$eval(`.chart[data-chart="${id}"] canvas`, (canvas) => {
      const context = canvas.getContext('2d');
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      const seen = new Set();
      for (let i = 0; i < data.length && seen.size < 20; i += 4 * 97) {
        seen.add(`${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]}`);
      }
      return seen.size;
    });
    if (colours < 3) fail(`chart '${id}' looks blank (${colours} colours)`);
  }
  // Every selector (tier, figure, point) redraws its chart without an error: each of its first
  // twelve options, then back to the first.
  for (const select of await page.$$('section select')) {
    const values = await select.$$eval('option', (options) => options.map((o) => o.value));
    for (const value of [...values.slice(1, 12), values[0]]) await select.selectOption(value);
  }
  const rows = await page.$$eval('section table tbody tr', (nodes) => nodes.length);
  if (expected.includes('packages')) {
    const packages = await page.$$eval('#packages tbody tr', (nodes) => nodes.length);
    if (packages === 0) fail('the table of the largest packages is empty');
  } else if (rows === 0) {
    fail('the page has no table rows');
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`${charts.length} charts drawn: ${ids.join(', ')}; ${rows} table rows; screenshot ${screenshot}`);
} finally {
  await close();
}
if (failures.length) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('report renders: ok');
