"""Compare a policy with the base over replicates (common random numbers) and chart it.

    PYTHONPATH=build/release/python MPLBACKEND=Agg /usr/bin/python3 examples/policy_comparison.py [OUT]
"""

import pathlib
import sys

import mercato

ROOT = pathlib.Path(__file__).resolve().parents[1]
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "runs/python-examples")
out.mkdir(parents=True, exist_ok=True)

tiny = ROOT / "scenarios" / "tiny.yaml"
comparison = mercato.compare(tiny, tiny, replicates=5, months=24, threads=2,
                             set_policy={"regions.South.tax_rate": 0.30})
shares = comparison[comparison.unit == "share"]
print(shares[["section", "label", "base_mean", "policy_mean", "difference", "ci_low",
              "ci_high"]].to_string(index=False))

ax = mercato.plots.policy_comparison(comparison)
ax.figure.savefig(out / "policy_comparison.png", bbox_inches="tight")
print("chart:", out / "policy_comparison.png")
