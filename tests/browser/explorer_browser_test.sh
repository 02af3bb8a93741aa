#!/usr/bin/env bash
# ctest's ExplorerBrowserTest: starts `mercato serve` on a free port with the shipped scenarios
# and drives its page in Chromium (explorer_test.mjs): a field error for a bad value, a run with
# a changed parameter beside its baseline, the charts and the comparison, the full report and
# the changed scenario. Screenshots stay in ARTEFACTS.
# Run from the source folder: explorer_browser_test.sh MERCATO NODE ARTEFACTS
set -euo pipefail
mercato=$1 node=$2 artefacts=$3
rm -rf "$artefacts"
mkdir -p "$artefacts/runs"
: > "$artefacts/serve.log"  # there before the loop below reads it, however late the server starts
"$mercato" serve --port 0 --scenarios scenarios --runs "$artefacts/runs" --workers 2 \
  > "$artefacts/serve.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
url=
for _ in $(seq 1 200); do
  url=$(sed -n '1s/^mercato serve: //p' "$artefacts/serve.log" || true)
  [ -n "$url" ] && break
  kill -0 $server 2>/dev/null || { cat "$artefacts/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "mercato serve did not print its address" >&2; exit 1; }
"$node" tests/browser/explorer_test.mjs "$url" "$artefacts"
# The server stops cleanly on SIGTERM.
kill -TERM $server
wait $server
trap - EXIT
