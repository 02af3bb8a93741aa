// The page of `mercato serve` (docs/explorer.md): pick a scenario, change its parameters in a
// form checked by the server as you type, run it, and see its charts beside the baseline's
// (the same scenario with the same months, seed and scale, and nothing else changed). Every
// step is a call to the JSON API under /api/; the charts are the report's (run_view.js).
import { renderRun, disposeCharts, resizeCharts } from './run_view.js';
import { money, percent, count, decimal, escapeHtml } from './format.js';

const POLL_MS = 300;
const VALIDATE_DELAY_MS = 250;
// The form's keys that say how a run is made rather than what world it simulates: the
// baseline shares them, so the two runs differ only in the policy.
const RUN_SETTINGS = ['months', 'seed', 'scale'];

const STYLE = `
#app { max-width: 1480px; margin: 0 auto; padding: 12px 24px 48px; }
.panel { background: #fff; border-radius: 6px; padding: 14px 18px; margin: 12px 0;
         box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.panel h2 { font-size: 17px; margin: 0 0 8px 0; }
.scenario-line { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.scenario-line p { margin: 0; color: #5b6475; font-size: 13px; flex: 1; min-width: 300px; }
fieldset { border: 1px solid #e3e6ec; border-radius: 6px; margin: 10px 0; padding: 8px 12px; }
legend { font-weight: 600; font-size: 14px; }
.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 8px 16px; }
.field label { display: block; font-size: 13px; }
.field input { width: 100%; box-sizing: border-box; font-size: 14px; padding: 3px 6px;
               border: 1px solid #c3c8d2; border-radius: 4px; }
.field input.changed { background: #fff8e1; }
.field input[aria-invalid="true"] { border-color: #c62828; background: #ffebee; }
.field-error { display: block; color: #c62828; font-size: 12px; min-height: 0; }
.field small { color: #5b6475; font-size: 11px; }
textarea { width: 100%; box-sizing: border-box; font-family: ui-monospace, monospace; font-size: 13px; }
#form-errors { color: #c62828; font-size: 13px; white-space: pre-wrap; }
.actions { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin-top: 10px; }
button { font-size: 14px; padding: 6px 16px; border-radius: 4px; border: 1px solid #1d2330;
         background: #1d2330; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #1d2330; }
button:disabled { opacity: .45; cursor: default; }
#status { font-size: 13px; color: #5b6475; }
#status.failed { color: #c62828; }
progress { width: 220px; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 1000px) { .side-by-side { grid-template-columns: 1fr; } }
.side-by-side > div { min-width: 0; }
.side-by-side header { border-radius: 6px; padding: 10px 16px; }
.side-by-side header h1 { font-size: 17px; }
.side-by-side header p { font-size: 12px; }
.links { font-size: 13px; margin: 6px 0; }
.links a { margin-right: 12px; }
td.up { color: #1b5e20; } td.down { color: #b71c1c; }
`;

const state = {
  scenario: null, // the chosen scenario's answer from /api/scenarios/NAME
  baselines: new Map(), // "scenario|months|seed|scale" -> finished baseline {run, doc}
  validation: 0, // the number of the latest validation request; older answers are dropped
  valid: true,
  running: false,
  jobs: [], // the runs being followed, for Cancel
};

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: options.body ? { 'Content-Type': 'application/json' } : undefined,
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = { error: `${response.status} ${response.statusText}` };
  }
  return { status: response.status, ok: response.ok, body };
}

function element(tag, attributes = {}, html = '') {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  if (html) node.innerHTML = html;
  return node;
}

const $ = (id) => document.getElementById(id);

function setState(name) {
  document.body.dataset.state = name;
}

function setStatus(text, failed = false) {
  $('status').textContent = text;
  $('status').classList.toggle('failed', failed);
}

// ---- The form ----

function layout(app) {
  document.head.appendChild(element('style', {}, STYLE));
  const top = element('header', {}, '<h1>mercato explorer</h1><p>Change a scenario, run it, '
    + 'and compare it with its baseline. The API and the parameters: docs/explorer.md.</p>');
  document.body.insertBefore(top, app);
  app.innerHTML = `
    <div class="panel">
      <div class="scenario-line">
        <label>Scenario <select id="scenario" aria-label="scenario"></select></label>
        <p id="scenario-description"></p>
      </div>
      <form id="form" novalidate></form>
      <fieldset><legend>Other changes</legend>
        <label for="extra-sets" style="font-size:13px">Any scenario key, one <code>key=value</code>
          per line, as <code>mercato run --set</code> takes them (docs/scenarios.md)</label>
        <textarea id="extra-sets" rows="3" placeholder="organisations.Meta.max_offer=3e8"></textarea>
      </fieldset>
      <div id="form-errors" role="alert"></div>
      <div class="actions">
        <button id="run" type="button">Run</button>
        <button id="cancel" type="button" class="secondary" hidden>Cancel</button>
        <button id="reset" type="button" class="secondary">Reset the form</button>
        <progress id="progress" max="1" value="0" hidden></progress>
        <span id="status" role="status"></span>
      </div>
    </div>
    <div class="panel" id="comparison-panel" hidden>
      <h2>Against the baseline</h2>
      <table id="comparison"></table>
    </div>
    <div class="side-by-side">
      <div id="baseline"></div>
      <div id="modified"></div>
    </div>`;
}

function fieldOf(parameter) {
  const field = element('div', { class: 'field' });
  const id = `field-${parameter.key}`;
  field.appendChild(element('label', { for: id, title: parameter.help || '' }, escapeHtml(parameter.label)));
  const input = element('input', {
    id, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
  });
  input.dataset.key = parameter.key;
  input.dataset.kind = parameter.kind;
  input.dataset.original = String(parameter.value);
  input.value = String(parameter.value);
  input.title = `${parameter.key}${parameter.help ? `: ${parameter.help}` : ''}`;
  field.appendChild(input);
  field.appendChild(element('span', { class: 'field-error', id: `${id}-error` }));
  input.setAttribute('aria-describedby', `${id}-error`);
  return field;
}

function buildForm(scenario) {
  const form = $('form');
  form.innerHTML = '';
  const groups = new Map();
  scenario.parameters.forEach((parameter) => {
    if (!groups.has(parameter.group)) groups.set(parameter.group, []);
    groups.get(parameter.group).push(parameter);
  });
  groups.forEach((parameters, group) => {
    const fieldset = element('fieldset');
    fieldset.appendChild(element('legend', {}, escapeHtml(group)));
    const fields = element('div', { class: 'fields' });
    parameters.forEach((parameter) => fields.appendChild(fieldOf(parameter)));
    fieldset.appendChild(fields);
    form.appendChild(fieldset);
  });
  $('extra-sets').value = '';
  $('scenario-description').textContent = scenario.description || scenario.title || '';
}

function inputs() {
  return [...document.querySelectorAll('#form input[data-key]')];
}

// The changes the form makes to the scenario, as the API's `set`: each field whose text differs
// from the scenario's value (a number where the field is numeric), then the extra lines.
// Returns {set, problems}; a problem is a line of the extra changes that is not key=value.
function changes() {
  const set = {};
  inputs().forEach((input) => {
    const text = input.value.trim();
    input.classList.toggle('changed', text !== input.dataset.original);
    if (text === input.dataset.original) return;
    const number = Number(text);
    set[input.dataset.key] = text !== '' && Number.isFinite(number) ? number : text;
  });
  const problems = [];
  $('extra-sets').value.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const at = trimmed.indexOf('=');
    if (at <= 0) {
      problems.push(`Other changes, line ${i + 1}: '${trimmed}' is not key=value`);
      return;
    }
    set[trimmed.slice(0, at).trim()] = trimmed.slice(at + 1).trim();
  });
  return { set, problems };
}

// Shows the server's errors: beside the field whose key it names, or under the form.
function showErrors(errors, problems = []) {
  const byKey = new Map(inputs().map((input) => [input.dataset.key, input]));
  byKey.forEach((input) => {
    input.removeAttribute('aria-invalid');
    $(`${input.id}-error`).textContent = '';
  });
  const general = [...problems];
  errors.forEach((error) => {
    const input = byKey.get(error.key);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      const note = $(`${input.id}-error`);
      note.textContent = note.textContent ? `${note.textContent}; ${error.message}` : error.message;
    } else {
      general.push(error.key ? `${error.key}: ${error.message}` : error.message);
    }
  });
  $('form-errors').textContent = general.join('\n');
  state.valid = errors.length === 0 && problems.length === 0;
  $('run').disabled = !state.valid || state.running;
}

async function validate() {
  state.validation += 1;
  const mine = state.validation;
  const { set, problems } = changes();
  const answer = await api('/api/validate', {
    method: 'POST', body: JSON.stringify({ scenario: state.scenario.name, set }),
  });
  if (mine !== state.validation) return; // a newer change is being checked
  if (answer.status !== 200) {
    showErrors([{ key: '', message: answer.body.error }], problems);
  } else {
    showErrors(answer.body.errors, problems);
  }
  document.body.dataset.validated = String(mine);
}

let validateTimer = null;
function validateSoon() {
  state.valid = false;
  $('run').disabled = true;
  clearTimeout(validateTimer);
  validateTimer = setTimeout(validate, VALIDATE_DELAY_MS);
}

// ---- Runs ----

function clearResults() {
  ['baseline', 'modified'].forEach((id) => {
    disposeCharts($(id));
    $(id).innerHTML = '';
  });
  $('comparison-panel').hidden = true;
  $('comparison').innerHTML = '';
}

async function selectScenario(name) {
  const answer = await api(`/api/scenarios/${encodeURIComponent(name)}`);
  if (!answer.ok) {
    setStatus(answer.body.error, true);
    return;
  }
  state.scenario = answer.body;
  buildForm(state.scenario);
  clearResults();
  showErrors([]);
  setStatus('');
  setState('idle');
}

function sleep(ms) {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}

function describe(run, label) {
  if (run.status === 'queued') return `${label}: queued (${run.queue_position} ahead)`;
  if (run.status === 'running') {
    return run.stage === 'running'
      ? `${label}: month ${run.months_done} of ${run.months}`
      : `${label}: ${run.stage}`;
  }
  return `${label}: ${run.status}`;
}

// Polls the runs until none is queued or running, showing their progress.
async function follow(jobs) {
  const progress = $('progress');
  state.jobs = jobs;
  for (;;) {
    const answers = await Promise.all(jobs.map((job) => api(`/api/runs/${job.run.id}`)));
    answers.forEach((answer, i) => { if (answer.ok) jobs[i].run = answer.body; });
    const months = jobs.reduce((sum, job) => sum + job.run.months, 0);
    const done = jobs.reduce((sum, job) => sum + (job.run.status === 'done' ? job.run.months
      : job.run.months_done || 0), 0);
    progress.value = months ? done / months : 0;
    setStatus(jobs.map((job) => describe(job.run, job.label)).join(' · '));
    if (jobs.every((job) => !['queued', 'running'].includes(job.run.status))) break;
    await sleep(POLL_MS);
  }
}

function links(run) {
  const base = `/api/runs/${run.id}`;
  const files = (run.files || []).map((file) => `<a href="${base}/files/${encodeURIComponent(file)}" download>${escapeHtml(file)}</a>`);
  return `<div class="links"><a href="${base}/report.html" target="_blank" rel="noopener" class="report-link">full report</a>`
    + `<a href="${base}/scenario.yaml" download class="scenario-link">scenario.yaml</a>`
    + ` outputs: ${files.join(' ')}</div>`;
}

function showRun(id, run, doc, title) {
  const container = $(id);
  disposeCharts(container);
  container.innerHTML = '';
  renderRun(container, doc, { prefix: `${id}-`, title, headerInside: true });
  const header = container.querySelector('header');
  header.insertAdjacentHTML('afterend', links(run));
}

function last(series) {
  if (!series) return null;
  for (let i = series.length - 1; i >= 0; i -= 1) if (series[i] !== null) return series[i];
  return null;
}

// The headline figures of both runs and their difference; shares in percentage points.
function comparisonRows(base, changed) {
  const h0 = base.headline;
  const h1 = changed.headline;
  const rows = [
    ['talents at the end', h0.talents_end, h1.talents_end, count, 'count'],
    ['moves', h0.moves, h1.moves, count, 'count'],
    ['moves per talent-year', h0.moves_per_talent_year, h1.moves_per_talent_year, (v) => decimal(v, 3), 'number'],
    ['unemployed at the end', h0.unemployment_end, h1.unemployment_end, percent, 'share'],
    ['elite in the 5 largest employers', h0.elite_top5_share_end, h1.elite_top5_share_end, percent, 'share'],
    ['signing bonuses paid', h0.signing_bonuses, h1.signing_bonuses, money, 'money'],
    ['median elite wage at the end', h0.wage_end?.elite?.p50, h1.wage_end?.elite?.p50, money, 'money'],
  ];
  changed.regions.forEach((region) => {
    rows.push([`${region}: share of the top tier working here`, last(base.work_share_top?.[region]),
      last(changed.work_share_top?.[region]), percent, 'share']);
  });
  changed.regions.forEach((region) => {
    rows.push([`${region}: top tier trained here working abroad`, last(base.brain_drain?.top?.[region]),
      last(changed.brain_drain?.top?.[region]), percent, 'share']);
  });
  return rows;
}

function difference(a, b, format, unit) {
  if (a === null || a === undefined || b === null || b === undefined) return ['–', ''];
  const d = b - a;
  const sign = d > 0 ? '+' : (d < 0 ? '−' : '±');
  const text = unit === 'share' ? `${sign}${Math.abs(d * 100).toFixed(2)} pts` : `${sign}${format(Math.abs(d))}`;
  return [text, d > 0 ? 'up' : (d < 0 ? 'down' : '')];
}

function showComparison(base, changed) {
  const body = comparisonRows(base, changed).map(([label, a, b, format, unit]) => {
    const [text, direction] = difference(a, b, format, unit);
    return `<tr><td>${escapeHtml(label)}</td><td class="num">${format(a)}</td>`
      + `<td class="num">${format(b)}</td><td class="num ${direction}">${text}</td></tr>`;
  }).join('');
  $('comparison').innerHTML = '<thead><tr><th>at the end of the run</th><th class="num">baseline</th>'
    + `<th class="num">changed</th><th class="num">difference</th></tr></thead><tbody>${body}</tbody>`;
  $('comparison-panel').hidden = false;
}

function describeSet(set) {
  const entries = Object.entries(set);
  if (!entries.length) return 'no change';
  return entries.map(([key, value]) => `${key}=${value}`).join(', ');
}

async function submit(set) {
  const answer = await api('/api/runs', {
    method: 'POST', body: JSON.stringify({ scenario: state.scenario.name, set }),
  });
  if (answer.status === 422) {
    showErrors(answer.body.errors || [{ key: '', message: answer.body.error }]);
    throw new Error(answer.body.error);
  }
  if (!answer.ok) throw new Error(answer.body.error);
  return answer.body;
}

async function run() {
  const { set, problems } = changes();
  if (problems.length) {
    showErrors([], problems);
    return;
  }
  state.running = true;
  $('run').disabled = true;
  $('progress').value = 0;
  $('progress').hidden = false;
  $('cancel').hidden = false;
  $('cancel').disabled = false;
  setStatus('Submitting…');
  $('scenario').disabled = true;
  setState('running');
  try {
    const settings = {};
    RUN_SETTINGS.forEach((key) => { if (key in set) settings[key] = set[key]; });
    const baselineKey = [state.scenario.name, ...RUN_SETTINGS.map((key) => settings[key] ?? '')].join('|');
    const jobs = [{ label: 'changed', run: await submit(set) }];
    let baseline = state.baselines.get(baselineKey);
    if (!baseline) jobs.push({ label: 'baseline', run: await submit(settings), baseline: true });
    await follow(jobs);
    if (jobs.some((job) => job.run.status === 'cancelled')) {
      setStatus('Cancelled.');
      setState('cancelled');
      return;
    }
    const failed = jobs.find((job) => job.run.status !== 'done');
    if (failed) throw new Error(`the ${failed.label} run ${failed.run.status}${failed.run.error ? `: ${failed.run.error}` : ''}`);
    const documents = await Promise.all(jobs.map((job) => api(`/api/runs/${job.run.id}/document`)));
    documents.forEach((answer) => { if (!answer.ok) throw new Error(answer.body.error); });
    const changed = { run: jobs[0].run, doc: documents[0].body };
    if (!baseline) {
      baseline = { run: jobs[1].run, doc: documents[1].body };
      state.baselines.set(baselineKey, baseline);
    }
    clearResults();
    showRun('baseline', baseline.run, baseline.doc, `Baseline: ${state.scenario.name}${Object.keys(settings).length ? ` (${describeSet(settings)})` : ''}`);
    showRun('modified', changed.run, changed.doc, `Changed: ${describeSet(set)}`);
    showComparison(baseline.doc, changed.doc);
    setStatus(`Done: the changed run took ${decimal(changed.run.seconds, 1)} s.`);
    setState('done');
  } catch (error) {
    setStatus(`Failed: ${error.message}`, true);
    setState('failed');
  } finally {
    state.jobs = [];
    $('cancel').hidden = true;
    $('progress').hidden = true;
    state.running = false;
    $('scenario').disabled = false;
    $('run').disabled = !state.valid;
  }
}

// Cancels the runs being followed: a queued run leaves the queue, a running one stops after
// its month (DELETE /api/runs/ID); follow() then sees them cancelled.
async function cancel() {
  $('cancel').disabled = true;
  setStatus('Cancelling…');
  await Promise.all(state.jobs
    .filter((job) => ['queued', 'running'].includes(job.run.status))
    .map((job) => api(`/api/runs/${job.run.id}`, { method: 'DELETE' })));
}

async function main() {
  const app = document.getElementById('app');
  layout(app);
  setState('idle');
  const answer = await api('/api/scenarios');
  if (!answer.ok) {
    setStatus(`Cannot list the scenarios: ${answer.body.error}`, true);
    return;
  }
  const select = $('scenario');
  answer.body.scenarios.forEach((scenario) => {
    const option = new Option(scenario.error ? `${scenario.name} (does not load)` : scenario.name, scenario.name);
    option.disabled = Boolean(scenario.error);
    if (scenario.error) option.title = scenario.error;
    select.add(option);
  });
  const first = answer.body.scenarios.find((s) => s.name === 'world-2025' && !s.error)
    || answer.body.scenarios.find((s) => !s.error);
  if (!first) {
    setStatus('No scenario loads from the server\'s scenario folders.', true);
    return;
  }
  select.value = first.name;
  select.addEventListener('change', () => selectScenario(select.value));
  $('form').addEventListener('input', validateSoon);
  $('extra-sets').addEventListener('input', validateSoon);
  $('run').addEventListener('click', run);
  $('cancel').addEventListener('click', cancel);
  $('reset').addEventListener('click', () => selectScenario(select.value));
  window.addEventListener('resize', resizeCharts);
  await selectScenario(first.name);
  document.body.dataset.ready = 'true';
}

main();
