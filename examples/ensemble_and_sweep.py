"""Replicates of a scenario and a parameter sweep, stored in SQLite and read with pandas.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/ensemble_and_sweep.py [OUT]
"""

import pathlib
import sys

import mercato

ROOT = pathlib.Path(__file__).resolve().parents[1]
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "runs/python-examples")
out.mkdir(parents=True, exist_ok=True)

ensemble = mercato.ensemble(ROOT / "scenarios" / "tiny.yaml", replicates=4, months=12,
                            threads=2, output=out / "tiny-ensemble.db", force=True)
print(ensemble)
agg = ensemble.aggregates
print(agg[agg.metric.str.endswith("top_work_share")][["metric", "mean", "ci_low", "ci_high"]])

# A sweep of the South's top tax rate (experiments/tiny-tax.yaml, shortened here).
experiment = out / "tax.yaml"
experiment.write_text(f"""name: tax
scenario: {ROOT / 'scenarios' / 'tiny.yaml'}
months: 12
replicates: 2
parameters:
  - key: regions.South.tax_rate
    values: [0.25, 0.45]
""", encoding="utf-8")
sweep = mercato.sweep(experiment, output=out / "tax.db", threads=2, force=True)
print(sweep.query("""
    SELECT p.value AS south_tax, ROUND(AVG(m.value), 4) AS south_top_share, COUNT(*) AS runs
    FROM metric m JOIN run r USING (run) JOIN parameter p USING (point)
    WHERE m.metric = 'regions.South.top_work_share' AND r.status = 'done'
    GROUP BY p.value ORDER BY p.value"""))
