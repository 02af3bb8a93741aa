// A run drawn as charts (docs/report.md): the code `mercato report` and `mercato serve`'s
// explorer share. Each chart is an Apache ECharts instance in its own <section>.
import * as echarts from 'echarts/core';
import {
  LineChart, BarChart, SankeyChart, ScatterChart, CustomChart,
} from 'echarts/charts';
import {
  GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, TitleComponent,
  MarkLineComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

import * as charts from './charts.js';
import { money, percent, count, decimal, escapeHtml } from './format.js';

echarts.use([LineChart, BarChart, SankeyChart, ScatterChart, CustomChart, GridComponent,
  TooltipComponent, LegendComponent, DataZoomComponent, TitleComponent, MarkLineComponent,
  CanvasRenderer]);

const TIERS = [['top', 'top tier (top 20%)'], ['elite', 'elite (top 2%)'], ['all', 'everyone']];
const mounted = [];

export function section(app, { id, title, note, tall }, prefix = '') {
  const element = document.createElement('section');
  element.id = `${prefix}${id}`;
  element.innerHTML = `<h2>${escapeHtml(title)}</h2><p class="note">${note}</p>`;
  app.appendChild(element);
  const chart = document.createElement('div');
  chart.className = tall ? 'chart tall' : 'chart';
  chart.dataset.chart = `${prefix}${id}`;
  element.appendChild(chart);
  return { element, chart };
}

export function draw(container, option) {
  const chart = echarts.getInstanceByDom(container) || echarts.init(container);
  chart.setOption(option, true);
  if (!mounted.includes(chart)) mounted.push(chart);
  return chart;
}

// A chart with a tier selector above it; `optionFor(tier)` gives its option.
function tierSection(app, spec, optionFor, prefix) {
  const { element, chart } = section(app, spec, prefix);
  const label = document.createElement('label');
  label.textContent = 'Tier:';
  const select = document.createElement('select');
  select.setAttribute('aria-label', `${spec.title}: tier`);
  TIERS.forEach(([value, text]) => select.add(new Option(text, value)));
  label.appendChild(select);
  element.insertBefore(label, chart);
  select.addEventListener('change', () => draw(chart, optionFor(select.value)));
  draw(chart, optionFor('top'));
}

function figure(value, label) {
  return `<div class="figure"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;
}

function header(app, doc, { title, headerInside }) {
  const h = doc.headline;
  const scenario = doc.scenario && doc.scenario.name ? doc.scenario.name : h.scenario;
  const top = document.createElement('header');
  top.innerHTML = `<h1>${escapeHtml(title || `mercato report: ${scenario}`)}</h1>`
    + `<p>${escapeHtml(h.start)} to ${escapeHtml(h.end)} (${h.months} months), seed ${h.seed}, `
    + `mercato ${escapeHtml(doc.mercato_version)}; run folder ${escapeHtml(doc.folder)}</p>`;
  if (headerInside) app.appendChild(top); else document.body.insertBefore(top, app);
  const figures = document.createElement('div');
  figures.className = 'figures';
  figures.innerHTML = [
    figure(count(h.talents_end), 'talents at the end'),
    figure(count(h.moves), 'moves'),
    figure(decimal(h.moves_per_talent_year, 3), 'moves per talent-year'),
    figure(percent(h.unemployment_end), 'unemployed at the end'),
    figure(percent(h.elite_top5_share_end), 'elite in the 5 largest employers'),
    figure(money(h.signing_bonuses), 'signing bonuses paid'),
    figure(money(h.wage_end && h.wage_end.elite ? h.wage_end.elite.p50 : null), 'median elite wage at the end'),
  ].join('');
  app.appendChild(figures);
}

function packagesTable(element, doc) {
  const rows = doc.largest_packages.map((p) => `<tr><td>${escapeHtml(p.date)}</td>`
    + `<td>#${p.talent} (${escapeHtml(p.tier)}, ${escapeHtml(p.role)})</td>`
    + `<td>${escapeHtml(p.from_org || 'unemployed')} (${escapeHtml(p.from_region)})</td>`
    + `<td>${escapeHtml(p.to_org)} (${escapeHtml(p.to_region)})</td>`
    + `<td class="num">${money(p.wage_before)}</td><td class="num">${money(p.wage)}</td>`
    + `<td class="num">${money(p.bonus)}</td><td class="num"><b>${money(p.package_value)}</b></td>`
    + `<td>${escapeHtml(p.event || '')}</td></tr>`).join('');
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th>month</th><th>who</th><th>from</th><th>to</th>'
    + '<th class="num">wage before</th><th class="num">wage</th><th class="num">bonus</th>'
    + `<th class="num">package</th><th>event</th></tr></thead><tbody>${rows}</tbody>`;
  element.appendChild(table);
}

function eventSections(app, doc, prefix) {
  if (!doc.events.length) return;
  doc.events.forEach((event, i) => {
    const total = event.series.cost_total.filter((v) => v !== null).pop();
    const { chart } = section(app, {
      id: `event-${i}`,
      title: `Event: ${event.name} (${event.type.replaceAll('_', ' ')}, paid by ${event.payer})`,
      note: `What it cost each month and in all (${money(total)} by the end), and what it did, `
        + 'from its start to the end of the run (events.csv).',
    }, prefix);
    draw(chart, charts.eventOption(doc, event));
  });
}

// Draws a run's data document (kind "run") into `app`: the headline figures, then one section
// per chart. `prefix` goes before every section id, so two runs can share a page (the
// explorer); `title` replaces the header's, and `headerInside` puts the header in `app`
// rather than above it.
export function renderRun(app, doc, { prefix = '', title = '', headerInside = false } = {}) {
  header(app, doc, { title, headerInside });
  draw(section(app, {
    id: 'work-share', title: 'Where the top tier works',
    note: 'Each region’s share of the world’s employed top-tier talents (top 20% by ability), by month (regions.csv).',
  }, prefix).chart, charts.workShareOption(doc));
  tierSection(app, {
    id: 'brain-drain', title: 'Brain drain',
    note: 'Of the employed talents trained in each region, the share working in another region (regions.csv, brain_drain).',
  }, (tier) => charts.brainDrainOption(doc, tier), prefix);
  tierSection(app, {
    id: 'pay', title: `Pay by region in ${doc.pay_end.date}`,
    note: 'Annual wage quantiles of the employed in each region, last month of the run (log scale).',
  }, (tier) => charts.payOption(doc, tier), prefix);
  if (doc.flows) {
    tierSection(app, {
      id: 'flows', title: 'Moves between regions over the run', tall: true,
      note: 'Every move that crossed a border, from the former employer’s region (left) to the new one’s (right); '
        + 'hires from unemployment count from where the talent was (flows.csv). Moves within a region are not drawn.',
    }, (tier) => charts.flowOption(doc, tier), prefix);
  }
  const packages = section(app, {
    id: 'packages', title: 'The largest packages', tall: true,
    note: 'Package value = 4 × the new annual wage + the signing bonus, the figure the press quotes (moves.csv).',
  }, prefix);
  draw(packages.chart, charts.packagesOption(doc));
  packagesTable(packages.element, doc);
  if (doc.market) {
    draw(section(app, {
      id: 'package-quantiles', title: 'Packages over time',
      note: 'Quantiles of the package value of each month’s moves (market.csv, log scale).',
    }, prefix).chart, charts.packageQuantilesOption(doc));
    draw(section(app, {
      id: 'concentration', title: 'Concentration of elite talent',
      note: 'Share of employed elite talents (top 2%) working for the 5 largest employers of elite talent, '
        + 'and the Herfindahl index of elite employment across organisations (market.csv).',
    }, prefix).chart, charts.concentrationOption(doc));
  }
  if (doc.elite_employers.length) {
    draw(section(app, {
      id: 'elite-employers', title: `Elite employers in ${doc.pay_end.date}`,
      note: 'The named organisations with the most elite talents at the end of the run (orgs.csv).',
    }, prefix).chart, charts.eliteEmployersOption(doc));
  }
  eventSections(app, doc, prefix);
}

// Every chart drawn so far, resized to its container (on window resize).
export function resizeCharts() {
  mounted.forEach((chart) => chart.resize());
}

// Forgets the charts inside `container` before it is emptied or removed.
export function disposeCharts(container) {
  for (let i = mounted.length - 1; i >= 0; i -= 1) {
    if (container.contains(mounted[i].getDom())) {
      mounted[i].dispose();
      mounted.splice(i, 1);
    }
  }
}
