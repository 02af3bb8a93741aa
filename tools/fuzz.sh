#!/usr/bin/env bash
# Runs the libFuzzer targets of build/sanitize for SECONDS each (docs/reliability.md).
#   bash tools/fuzz.sh SECONDS
# The scenario fuzzer's corpus starts from the shipped scenarios and the test fixtures, the
# checkpoint fuzzer's from real checkpoints (checkpoint_seeds), each with its regression inputs;
# both grow in build/sanitize/corpus/. A crash stops the fuzzer, is saved under
# fuzz/regressions/<target>/ (so the tests replay it from then on) and makes this script fail.
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/sanitize"
status=0
for target in scenario checkpoint; do
  corpus="$build/corpus/$target"
  regressions="$root/fuzz/regressions/$target"
  mkdir -p "$corpus" "$regressions"
  max_len=65536
  case $target in
    scenario)
      cp -n "$root"/scenarios/*.yaml "$root"/tests/scenario/fixtures/*.yaml "$corpus"/ 2>/dev/null || true ;;
    checkpoint)
      max_len=262144  # a checkpoint of tiny.yaml is about 40 KB
      ASAN_OPTIONS=detect_leaks=0 "$build/fuzz/checkpoint_seeds" "$root" "$corpus" ;;
  esac
  echo "fuzz: ${target}_fuzzer for ${seconds} s (corpus $corpus)"
  # Leaks are reported by the scenario tests' own sanitizer build; here they would stop the
  # fuzzer on yaml-cpp's caches, which are not ours.
  if ! ASAN_OPTIONS=detect_leaks=0 "$build/fuzz/${target}_fuzzer" "$corpus" "$regressions" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=20 -rss_limit_mb=4096 \
        -artifact_prefix="$regressions/" -print_final_stats=1 >"$build/$target.log" 2>&1; then
    echo "fuzz: ${target}_fuzzer found a failure; the input is in $regressions/ (log: $build/$target.log)" >&2
    tail -40 "$build/$target.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/$target.log" | tail -2
  fi
done
exit $status
