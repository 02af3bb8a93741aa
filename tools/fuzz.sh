#!/usr/bin/env bash
# Runs the libFuzzer targets of build/fuzz for SECONDS each (docs/reliability.md).
#   bash tools/fuzz.sh SECONDS
# The corpus starts from the shipped scenarios, the test fixtures and the regression inputs and
# grows in build/fuzz/corpus/. A crash stops the fuzzer, is saved under fuzz/regressions/<target>/
# (so the scenario tests replay it from then on) and makes this script fail.
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/fuzz"
status=0
for target in scenario; do
  corpus="$build/corpus/$target"
  regressions="$root/fuzz/regressions/$target"
  mkdir -p "$corpus" "$regressions"
  cp -n "$root"/scenarios/*.yaml "$root"/tests/scenario/fixtures/*.yaml "$corpus"/ 2>/dev/null || true
  echo "fuzz: ${target}_fuzzer for ${seconds} s (corpus $corpus)"
  # Leaks are reported by the scenario tests' own sanitizer build; here they would stop the
  # fuzzer on yaml-cpp's caches, which are not ours.
  if ! ASAN_OPTIONS=detect_leaks=0 "$build/fuzz/${target}_fuzzer" "$corpus" "$regressions" \
        -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 \
        -artifact_prefix="$regressions/" -print_final_stats=1 >"$build/$target.log" 2>&1; then
    echo "fuzz: ${target}_fuzzer found a failure; the input is in $regressions/ (log: $build/$target.log)" >&2
    tail -40 "$build/$target.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/$target.log" | tail -2
  fi
done
exit $status
