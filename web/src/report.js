// The page of `mercato report` (docs/report.md): reads the data document inlined in the page
// (<script type="application/json" id="mercato-data">) and lays out one section per chart
// (run_view.js); an experiment's document (kind ensemble, sweep or comparison) is laid out by
// experiment.js.
import { renderRun, section, draw, resizeCharts } from './run_view.js';
import { renderExperiment } from './experiment.js';

function main() {
  const app = document.getElementById('app');
  const doc = JSON.parse(document.getElementById('mercato-data').textContent);
  if (doc.kind === 'run') {
    renderRun(app, doc);
  } else {
    renderExperiment(app, doc, { section, draw });
  }
  window.addEventListener('resize', resizeCharts);
  const footer = document.createElement('footer');
  footer.textContent = 'Made by mercato report; charts by Apache ECharts. Columns and units: docs/outputs.md.';
  document.body.appendChild(footer);
  document.body.dataset.ready = 'true';
}

main();
