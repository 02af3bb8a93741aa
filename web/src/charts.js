// One function per chart of docs/report.md: each takes the data document (built by
// `mercato report` in C++) and returns an ECharts option. No drawing happens here.
import { money, percent, count, decimal } from './format.js';

// One colour per region in every chart, in the order the scenario lists the regions.
export const PALETTE = [
  '#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477', '#66aa00',
  '#b82e2e', '#316395', '#994499', '#22aa99',
];

const TITLE = { show: false };
const GRID = { left: 70, right: 30, top: 40, bottom: 60, containLabel: false };

function timeAxis(doc) {
  return { type: 'category', data: doc.dates, boundaryGap: false, axisLabel: { hideOverlap: true } };
}

function zoom() {
  return [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }];
}

function regionLines(doc, seriesByRegion) {
  return doc.regions.map((region, i) => ({
    name: region,
    type: 'line',
    showSymbol: false,
    connectNulls: false,
    color: PALETTE[i % PALETTE.length],
    data: seriesByRegion[region],
  }));
}

export function workShareOption(doc) {
  return {
    title: TITLE,
    tooltip: { trigger: 'axis', valueFormatter: (v) => percent(v) },
    legend: { type: 'scroll', top: 0 },
    grid: GRID,
    xAxis: timeAxis(doc),
    yAxis: { type: 'value', name: 'share of top-tier employment', axisLabel: { formatter: (v) => percent(v, 0) } },
    dataZoom: zoom(),
    series: regionLines(doc, doc.work_share_top),
  };
}

export function brainDrainOption(doc, tier) {
  return {
    title: TITLE,
    tooltip: { trigger: 'axis', valueFormatter: (v) => percent(v) },
    legend: { type: 'scroll', top: 0 },
    grid: GRID,
    xAxis: timeAxis(doc),
    yAxis: { type: 'value', name: 'trained here, working abroad', axisLabel: { formatter: (v) => percent(v, 0) } },
    dataZoom: zoom(),
    series: regionLines(doc, doc.brain_drain[tier]),
  };
}

export function payOption(doc, tier) {
  const rows = doc.pay_end.rows.filter((row) => row.tier === tier);
  const byRegion = Object.fromEntries(rows.map((row) => [row.region, row]));
  const quantiles = [
    ['p50', 'median', '#9ecae1'],
    ['p90', '90th percentile', '#4292c6'],
    ['p99', '99th percentile', '#08519c'],
    ['max', 'highest', '#08306b'],
  ];
  // The log axis starts at the power of ten below the lowest wage, not at $1.
  const values = rows.flatMap((row) => quantiles.map(([key]) => row[key])).filter((v) => v > 0);
  const floor = values.length ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 1;
  return {
    title: TITLE,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => money(v) },
    legend: { top: 0 },
    grid: GRID,
    xAxis: { type: 'category', data: doc.regions },
    yAxis: { type: 'log', min: floor, name: 'annual wage (log scale)', axisLabel: { formatter: (v) => money(v) } },
    series: quantiles.map(([key, name, color]) => ({
      name,
      type: 'bar',
      color,
      data: doc.regions.map((region) => (byRegion[region] ? byRegion[region][key] : null)),
    })),
  };
}

// Each region appears twice, as where moves start (left) and where they end (right): a
// Sankey must have no cycles, and talent flows both ways between regions.
export function flowOption(doc, tier) {
  const flows = doc.flows[tier];
  const colour = (region) => PALETTE[doc.regions.indexOf(region) % PALETTE.length];
  const used = new Set();
  flows.links.forEach((link) => { used.add(`from ${link.from}`); used.add(`to ${link.to}`); });
  const nodes = [];
  doc.regions.forEach((region) => {
    for (const side of ['from', 'to']) {
      const name = `${side} ${region}`;
      if (used.has(name)) nodes.push({ name, itemStyle: { color: colour(region) } });
    }
  });
  return {
    title: TITLE,
    tooltip: {
      trigger: 'item',
      formatter: (p) => (p.dataType === 'edge'
        ? `${p.data.source.slice(5)} → ${p.data.target.slice(3)}: ${count(p.data.value)} moves`
        : `${p.name}: ${count(p.value)} moves`),
    },
    series: [{
      type: 'sankey',
      left: 40, right: 110, top: 20, bottom: 20,
      nodeAlign: 'justify',
      emphasis: { focus: 'adjacency' },
      lineStyle: { color: 'source', opacity: 0.45 },
      label: { formatter: (p) => p.name.replace(/^(from|to) /, '') },
      data: nodes,
      links: flows.links.map((link) => ({ source: `from ${link.from}`, target: `to ${link.to}`, value: link.moves })),
    }],
  };
}

export function packageLabel(p) {
  const from = p.from_org ? `${p.from_org} (${p.from_region})` : `unemployed (${p.from_region})`;
  return `#${p.talent} ${from} → ${p.to_org} (${p.to_region})`;
}

export function packagesOption(doc) {
  const list = doc.largest_packages.slice(0, 15).reverse();
  return {
    title: TITLE,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items) => {
        const p = list[items[0].dataIndex];
        return `${p.date} talent #${p.talent} (${p.tier}, ${p.role})<br>${packageLabel(p)}<br>`
          + `package ${money(p.package_value)}: wage ${money(p.wage)}/yr (was ${money(p.wage_before)}), `
          + `bonus ${money(p.bonus)}${p.event ? `<br>event: ${p.event}` : ''}`;
      },
    },
    legend: { top: 0 },
    grid: { left: 330, right: 40, top: 30, bottom: 30 },
    xAxis: { type: 'value', name: 'USD', axisLabel: { formatter: (v) => money(v) } },
    yAxis: { type: 'category', data: list.map((p) => `${p.date} ${packageLabel(p)}`), axisLabel: { width: 320, overflow: 'truncate' } },
    series: [
      { name: '4 × annual wage', type: 'bar', stack: 'package', color: '#4292c6', data: list.map((p) => 4 * p.wage) },
      { name: 'signing bonus', type: 'bar', stack: 'package', color: '#fd8d3c', data: list.map((p) => p.bonus) },
    ],
  };
}

export function packageQuantilesOption(doc) {
  const names = [['package_p50', 'median'], ['package_p90', '90th percentile'], ['package_p99', '99th percentile'], ['package_max', 'largest']];
  return {
    title: TITLE,
    tooltip: { trigger: 'axis', valueFormatter: (v) => money(v) },
    legend: { top: 0 },
    grid: GRID,
    xAxis: timeAxis(doc),
    yAxis: { type: 'log', name: 'package value of the month’s moves (log)', axisLabel: { formatter: (v) => money(v) } },
    dataZoom: zoom(),
    series: names.map(([key, name]) => ({ name, type: 'line', showSymbol: false, data: doc.market[key] })),
  };
}

export function concentrationOption(doc) {
  return {
    title: TITLE,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { ...GRID, right: 70 },
    xAxis: timeAxis(doc),
    yAxis: [
      { type: 'value', name: 'top-5 share', min: 0, max: 1, axisLabel: { formatter: (v) => percent(v, 0) } },
      { type: 'value', name: 'HHI', min: 0, axisLabel: { formatter: (v) => decimal(v, 2) } },
    ],
    dataZoom: zoom(),
    series: [
      { name: 'elite in the 5 largest elite employers', type: 'line', showSymbol: false, data: doc.market.elite_top5_share, tooltip: { valueFormatter: (v) => percent(v) } },
      { name: 'Herfindahl index of elite employment', type: 'line', showSymbol: false, yAxisIndex: 1, data: doc.market.elite_hhi, tooltip: { valueFormatter: (v) => decimal(v) } },
    ],
  };
}

export function eliteEmployersOption(doc) {
  const list = doc.elite_employers.slice().reverse();
  return {
    title: TITLE,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => count(v) },
    legend: { top: 0 },
    grid: { left: 160, right: 40, top: 30, bottom: 30 },
    xAxis: { type: 'value', name: 'talents' },
    yAxis: { type: 'category', data: list.map((o) => `${o.org} (${o.region})`) },
    series: [
      { name: 'elite', type: 'bar', color: '#08519c', data: list.map((o) => o.elite) },
      { name: 'top tier (elite included)', type: 'bar', color: '#9ecae1', data: list.map((o) => o.top) },
    ],
  };
}

// Blues, greens and purples, apart from the oranges of the costs.
const EFFECT_COLOURS = ['#3366cc', '#109618', '#990099', '#0099c6', '#66aa00', '#316395', '#994499', '#22aa99'];

const EFFECT_NAMES = {
  offers: 'offers', accepted: 'offers accepted', declined: 'offers declined',
  beneficiaries: 'beneficiaries', departures_avoided: 'departures avoided', trained: 'graduates arrived',
  attracted: 'talents attracted', retained: 'retained',
};

export function eventOption(doc, event) {
  const effects = Object.keys(EFFECT_NAMES).filter((key) => event.series[key]);
  return {
    title: TITLE,
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { ...GRID, right: 70 },
    xAxis: { ...timeAxis(doc), boundaryGap: true },
    yAxis: [
      { type: 'value', name: 'USD', axisLabel: { formatter: (v) => money(v) } },
      { type: 'value', name: 'talents', minInterval: 1 },
    ],
    dataZoom: zoom(),
    series: [
      { name: 'cost this month', type: 'bar', color: '#fdae6b', data: event.series.cost, tooltip: { valueFormatter: (v) => money(v) } },
      { name: 'cost since the start', type: 'line', showSymbol: false, color: '#e6550d', data: event.series.cost_total, tooltip: { valueFormatter: (v) => money(v) } },
      ...effects.map((key, i) => ({
        name: EFFECT_NAMES[key], type: 'line', showSymbol: false, yAxisIndex: 1,
        color: EFFECT_COLOURS[i % EFFECT_COLOURS.length], data: event.series[key], tooltip: { valueFormatter: (v) => count(v) },
      })),
    ],
  };
}
