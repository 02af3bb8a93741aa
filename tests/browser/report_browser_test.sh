#!/usr/bin/env bash
# ctest's ReportBrowserTest: runs tests/integration/fixtures/tiny-timeline.yaml (tiny.yaml
# with six events) and the sweep experiments/tiny-tax.yaml, writes their reports, and opens
# each in Chromium (report_test.mjs), which checks that every chart is drawn without an error
# and saves a screenshot in ARTEFACTS.
# Run from the source folder: report_browser_test.sh MERCATO NODE ARTEFACTS
set -euo pipefail
mercato=$1 node=$2 artefacts=$3
rm -rf "$artefacts"
mkdir -p "$artefacts"
"$mercato" run tests/integration/fixtures/tiny-timeline.yaml -o "$artefacts/run" --months 24 -q
"$mercato" report "$artefacts/run" -o "$artefacts/report.html" -q
"$node" tests/browser/report_test.mjs "$artefacts/report.html" "$artefacts/report.png" \
  work-share brain-drain pay flows packages package-quantiles concentration elite-employers \
  event-0 event-1 event-2 event-3 event-4 event-5
"$mercato" sweep experiments/tiny-tax.yaml -o "$artefacts/sweep.db" --threads 2 -q
"$mercato" report "$artefacts/sweep.db" -o "$artefacts/sweep.html" -q
"$node" tests/browser/report_test.mjs "$artefacts/sweep.html" "$artefacts/sweep.png" \
  figure-by-point against-baseline work-share
