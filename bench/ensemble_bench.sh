#!/usr/bin/env bash
# Throughput of an ensemble of the default scenario on 1 and 2 threads and on 2 MPI ranks
# (issue: experiments at scale; target: 2 workers at least 1.8x one).
#   bash bench/ensemble_bench.sh [MERCATO_BINARY] [REPLICATES] [MONTHS]
# Prints runs/s and talent-months/s of each configuration and the speed-ups; the figures come
# from the `finished` line of `mercato ensemble --json`.
set -euo pipefail
bin=${1:-build/release/mercato}
replicates=${2:-4}
months=${3:-24}
scenario=${SCENARIO:-scenarios/world-2025.yaml}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {  # label, command prefix, threads
  local label=$1 prefix=$2 threads=$3
  local line
  line=$($prefix "$bin" ensemble "$scenario" --replicates "$replicates" --months "$months" \
         --threads "$threads" --keep regions,market -o "$work/$label.db" --json | tail -1)
  python3 - "$label" "$line" <<'PY'
import json, sys
label, line = sys.argv[1], json.loads(sys.argv[2])
runs = line["done"]
print(f"{label:<10} {runs} runs in {line['seconds']:.1f} s: {runs / line['seconds']:.3f} runs/s, "
      f"{line['talent_months_per_second'] / 1e6:.3f} M talent-months/s")
PY
}

echo "ensemble of $scenario: $replicates replicates x $months months ($(nproc) cores)"
one=$(measure 1-thread "" 1); echo "$one"
two=$(measure 2-threads "" 2); echo "$two"
ranks=$(measure 2-ranks "mpirun --allow-run-as-root --oversubscribe -np 2" 1); echo "$ranks"
python3 - "$one" "$two" "$ranks" <<'PY'
import re, sys
rate = [float(re.search(r"([0-9.]+) runs/s", s).group(1)) for s in sys.argv[1:]]
print(f"speed-up: 2 threads {rate[1] / rate[0]:.2f}x, 2 ranks {rate[2] / rate[0]:.2f}x")
PY
