"""Every chart of mercato.plots for one run, saved as PNG files.

    PYTHONPATH=build/release/python MPLBACKEND=Agg /usr/bin/python3 examples/charts.py [OUT]
"""

import pathlib
import sys

import matplotlib.pyplot as plt

import mercato

ROOT = pathlib.Path(__file__).resolve().parents[1]
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "runs/python-examples")
out.mkdir(parents=True, exist_ok=True)

result = mercato.run(ROOT / "scenarios" / "tiny.yaml", seed=7, months=36)

fig, axes = plt.subplots(2, 2, figsize=(14, 9))
mercato.plots.work_shares(result, tier="top", ax=axes[0, 0])
mercato.plots.brain_drain(result, tier="top", ax=axes[0, 1])
mercato.plots.pay_by_tier(result, ax=axes[1, 0])
mercato.plots.flow_matrix(result, tier="all", ax=axes[1, 1])
fig.tight_layout()
fig.savefig(out / "run_charts.png")

# Pay by tier from the live World rather than from the summary's quantiles.
sim = mercato.Simulation(ROOT / "scenarios" / "tiny.yaml", seed=7, months=36)
sim.run()
ax = mercato.plots.pay_by_tier(sim)
ax.figure.savefig(out / "pay_histogram.png")
print("charts:", out / "run_charts.png", out / "pay_histogram.png")
