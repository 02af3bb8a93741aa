// The page of an experiment's report (docs/report.md, "Experiments"): an ensemble's or a sweep's
// database, or a `mercato compare` folder. The data document gives each headline figure per
// point with its 95% interval and, against the baseline, the interval of the paired
// difference; nothing is estimated here, only drawn.
import { money, percent, count, decimal, escapeHtml } from './format.js';
import { PALETTE } from './charts.js';

// A figure in its unit: shares as percentages, money in $, the rest as numbers.
export function formatValue(value, unit) {
  if (value === null || value === undefined) return '–';
  if (unit === 'share') return percent(value);
  if (unit.startsWith('USD')) return money(value);
  if (unit === 'talents') return decimal(value, 1);
  return decimal(value, 3);
}

// A difference in its unit: shares in percentage points.
export function formatDifference(value, unit) {
  if (value === null || value === undefined) return '–';
  const sign = value > 0 ? '+' : '';
  if (unit === 'share') return `${sign}${(value * 100).toFixed(2)} pts`;
  if (unit.startsWith('USD')) return `${value < 0 ? '-' : '+'}${money(Math.abs(value))}`;
  return `${sign}${decimal(value, 3)}`;
}

function interval(estimate, format) {
  if (!estimate || estimate.low === null || estimate.high === null) return '';
  return `[${format(estimate.low)}, ${format(estimate.high)}]`;
}

function metricName(metric) {
  return metric.label ? `${metric.section}: ${metric.label}` : metric.metric;
}

// Error bars: a custom series drawing a vertical line from low to high with caps at each
// category (ECharts' way of drawing intervals).
function errorBars(name, data, color) {
  return {
    name,
    type: 'custom',
    color,
    z: 3,
    renderItem: (params, api) => {
      const x = api.value(0);
      const low = api.coord([x, api.value(1)]);
      const high = api.coord([x, api.value(2)]);
      const half = api.size([1, 0])[0] * 0.12;
      const style = { stroke: color, lineWidth: 1.5 };
      return {
        type: 'group',
        children: [
          { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
          { type: 'line', shape: { x1: low[0] - half, y1: low[1], x2: low[0] + half, y2: low[1] }, style },
          { type: 'line', shape: { x1: high[0] - half, y1: high[1], x2: high[0] + half, y2: high[1] }, style },
        ],
      };
    },
    encode: { x: 0, y: [1, 2] },
    data,
  };
}

// A point's name on an axis: the values of the varied keys (their names are in the points
// table), else its label.
function pointLabels(doc) {
  return doc.points.map((p) => {
    if (doc.kind === 'ensemble') return 'all runs';
    if (doc.parameters.length) return `${p.point}: ${doc.parameters.map((k) => p.values[k]).join(', ')}`;
    return `${p.point}: ${p.label}`;
  });
}

// Each point's mean of the figure, with its interval.
export function figureByPointOption(doc, metric) {
  const labels = pointLabels(doc);
  const means = metric.values.map((e) => (e ? e.mean : null));
  const bars = metric.values
    .map((e, i) => (e && e.low !== null && e.high !== null ? [i, e.low, e.high] : null))
    .filter((v) => v !== null);
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (items) => {
        const i = items[0].dataIndex;
        const e = metric.values[i];
        return `${escapeHtml(labels[i])}<br>${escapeHtml(metricName(metric))}: `
          + `<b>${formatValue(e ? e.mean : null, metric.unit)}</b> `
          + `${interval(e, (v) => formatValue(v, metric.unit))}`
          + `<br>${e ? e.n : 0} runs`;
      },
    },
    grid: { left: 80, right: 30, top: 30, bottom: 90 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0, width: 160, overflow: 'truncate' } },
    yAxis: { type: 'value', scale: true, name: metric.unit, axisLabel: { formatter: (v) => formatValue(v, metric.unit) } },
    series: [
      { name: 'mean', type: 'scatter', symbolSize: 10, color: PALETTE[0], data: means },
      errorBars('95% interval', bars, PALETTE[0]),
    ],
  };
}

// Each point's paired difference against the baseline, with its interval; 0 drawn as a line.
export function againstBaselineOption(doc, metric) {
  const labels = pointLabels(doc);
  const shown = doc.points.map((p, i) => i).filter((i) => i !== doc.baseline);
  const means = shown.map((i) => (metric.differences[i] ? metric.differences[i].mean : null));
  const bars = shown
    .map((i, k) => {
      const d = metric.differences[i];
      return d && d.low !== null && d.high !== null ? [k, d.low, d.high] : null;
    })
    .filter((v) => v !== null);
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (items) => {
        const i = shown[items[0].dataIndex];
        const d = metric.differences[i];
        return `${escapeHtml(labels[i])} − baseline<br>${escapeHtml(metricName(metric))}: `
          + `<b>${formatDifference(d ? d.mean : null, metric.unit)}</b> `
          + `${interval(d, (v) => formatDifference(v, metric.unit))}`;
      },
    },
    grid: { left: 80, right: 30, top: 30, bottom: 90 },
    xAxis: { type: 'category', data: shown.map((i) => labels[i]), axisLabel: { interval: 0, rotate: shown.length > 4 ? 30 : 0, width: 160, overflow: 'truncate' } },
    yAxis: { type: 'value', scale: true, name: `difference (${metric.unit})`, axisLabel: { formatter: (v) => formatDifference(v, metric.unit) } },
    series: [
      {
        name: 'difference', type: 'bar', barMaxWidth: 40, color: PALETTE[1], data: means,
        markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0 }], lineStyle: { color: '#1d2330' } },
      },
      errorBars('95% interval', bars, '#1d2330'),
    ],
  };
}

// The top tier's work share by region over time at one point; the baseline dashed.
export function workShareByPointOption(doc, point) {
  const ws = doc.work_share;
  const series = [];
  ws.regions.forEach((region, g) => {
    const color = PALETTE[g % PALETTE.length];
    series.push({ name: region, type: 'line', showSymbol: false, color, data: ws.points[point][region].mean });
    if (doc.baseline !== null && point !== doc.baseline) {
      series.push({
        name: `${region} (baseline)`, type: 'line', showSymbol: false, color,
        lineStyle: { type: 'dashed', width: 1 }, data: ws.points[doc.baseline][region].mean,
      });
    }
  });
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => percent(v) },
    legend: { type: 'scroll', top: 0, data: ws.regions },
    grid: { left: 70, right: 30, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: ws.dates, boundaryGap: false },
    yAxis: { type: 'value', name: 'share of top-tier employment', axisLabel: { formatter: (v) => percent(v, 0) } },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series,
  };
}

function select(label, options, onChange) {
  const wrapper = document.createElement('label');
  wrapper.textContent = `${label}:`;
  const element = document.createElement('select');
  element.setAttribute('aria-label', label);
  options.forEach(([value, text]) => element.add(new Option(text, value)));
  element.addEventListener('change', () => onChange(element.value));
  wrapper.appendChild(element);
  return wrapper;
}

function header(app, doc) {
  const top = document.createElement('header');
  const kind = { ensemble: 'ensemble', sweep: 'sweep', comparison: 'comparison' }[doc.kind] || doc.kind;
  top.innerHTML = `<h1>mercato report: ${escapeHtml(doc.name)}</h1>`
    + `<p>${escapeHtml(kind)} of ${doc.points.length} point${doc.points.length === 1 ? '' : 's'}, `
    + `${doc.replicates} replicate${doc.replicates === 1 ? '' : 's'} each; `
    + `mercato ${escapeHtml(doc.mercato_version || '?')}; ${escapeHtml(doc.source)}</p>`;
  document.body.insertBefore(top, app);
  const done = doc.points.reduce((sum, p) => sum + (p.done || 0), 0);
  const failed = doc.points.reduce((sum, p) => sum + (p.failed || 0), 0);
  const pending = doc.points.reduce((sum, p) => sum + (p.pending || 0), 0);
  const figures = document.createElement('div');
  figures.className = 'figures';
  figures.innerHTML = [[count(doc.points.length), 'points'], [count(done), 'runs finished'],
    [count(failed), 'runs failed'], [count(pending), 'runs not made yet']]
    .map(([v, l]) => `<div class="figure"><b>${v}</b><span>${l}</span></div>`).join('');
  app.appendChild(figures);
}

function pointsTable(app, doc, section) {
  const { element, chart } = section(app, {
    id: 'points', title: 'The points',
    note: doc.baseline === null ? 'One point: every run is a replicate of the same scenario.'
      : `Point ${doc.baseline} is the baseline the others are compared with.`,
  });
  chart.remove();
  const keys = doc.parameters;
  const rows = doc.points.map((p) => `<tr><td>${p.point}</td><td>${escapeHtml(p.label)}</td>`
    + keys.map((k) => `<td class="num">${escapeHtml(p.values[k] ?? '')}</td>`).join('')
    + `<td class="num">${count(p.done)}</td><td class="num">${count(p.failed || 0)}</td></tr>`).join('');
  const table = document.createElement('table');
  table.innerHTML = `<thead><tr><th>point</th><th>label</th>${keys.map((k) => `<th class="num">${escapeHtml(k)}</th>`).join('')}`
    + `<th class="num">runs</th><th class="num">failed</th></tr></thead><tbody>${rows}</tbody>`;
  element.appendChild(table);
}

function figuresTable(element, doc, point) {
  const old = element.querySelector('table');
  if (old) old.remove();
  const withBaseline = doc.baseline !== null && point !== doc.baseline;
  const rows = doc.metrics.map((m) => {
    const e = m.values[point];
    const cells = [`<td>${escapeHtml(metricName(m))}</td><td>${escapeHtml(m.unit)}</td>`,
      `<td class="num">${formatValue(e ? e.mean : null, m.unit)}</td>`,
      `<td class="num">${interval(e, (v) => formatValue(v, m.unit))}</td>`];
    if (withBaseline) {
      const b = m.values[doc.baseline];
      const d = m.differences[point];
      const clear = d && d.low !== null && d.high !== null && (d.low > 0 || d.high < 0);
      cells.push(`<td class="num">${formatValue(b ? b.mean : null, m.unit)}</td>`,
        `<td class="num">${clear ? '<b>' : ''}${formatDifference(d ? d.mean : null, m.unit)}${clear ? '</b>' : ''}</td>`,
        `<td class="num">${interval(d, (v) => formatDifference(v, m.unit))}</td>`);
    }
    return `<tr>${cells.join('')}</tr>`;
  }).join('');
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th>figure</th><th>unit</th><th class="num">mean</th><th class="num">95% interval</th>'
    + (withBaseline ? '<th class="num">baseline</th><th class="num">difference</th><th class="num">95% interval</th>' : '')
    + `</tr></thead><tbody>${rows}</tbody>`;
  element.appendChild(table);
}

export function renderExperiment(app, doc, { section, draw }) {
  header(app, doc);
  pointsTable(app, doc, section);
  const metrics = doc.metrics.filter((m) => m.values.some((e) => e !== null));
  if (!metrics.length) return;
  const options = metrics.map((m, i) => [String(i), metricName(m)]);
  const charts = [];
  const figure = section(app, {
    id: 'figure-by-point', title: 'A headline figure at each point',
    note: `The mean over the point’s runs and its 95% interval (Student t). Figures: docs/compare.md.`,
  });
  charts.push([figure.chart, figureByPointOption]);
  if (doc.baseline !== null) {
    const against = section(app, {
      id: 'against-baseline', title: 'Against the baseline',
      note: 'Each point minus the baseline, replicate by replicate (common random numbers), averaged; '
        + 'the bar’s interval is the 95% interval of that mean. An interval that excludes 0 is an effect the model’s randomness does not explain.',
    });
    charts.push([against.chart, againstBaselineOption]);
  }
  const show = (i) => charts.forEach(([chart, optionOf]) => draw(chart, optionOf(doc, metrics[Number(i)])));
  figure.element.insertBefore(select('Figure', options, show), figure.chart);
  show(0);
  const table = section(app, {
    id: 'figures', title: 'Every headline figure',
    note: 'At the chosen point; against the baseline, differences in bold have an interval that excludes 0.',
  });
  table.chart.remove();
  const pointOptions = doc.points.map((p, i) => [String(i), pointLabels(doc)[i]]);
  table.element.appendChild(select('Point', pointOptions, (i) => figuresTable(table.element, doc, Number(i))));
  figuresTable(table.element, doc, doc.points.length > 1 ? 1 : 0);
  table.element.querySelector('select').value = String(doc.points.length > 1 ? 1 : 0);
  if (doc.work_share) {
    const ws = section(app, {
      id: 'work-share', title: 'Where the top tier works',
      note: 'Each region’s share of the employed top-tier talents by month, mean over the point’s runs; the baseline dashed (regions table of the database).',
    });
    const first = doc.points.length > 1 ? 1 : 0;
    ws.element.insertBefore(select('Point', pointOptions, (i) => draw(ws.chart, workShareByPointOption(doc, Number(i)))), ws.chart);
    ws.element.querySelector('select').value = String(first);
    draw(ws.chart, workShareByPointOption(doc, first));
  }
}
