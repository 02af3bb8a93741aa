"""Step a simulation month by month and analyse the World's columns with numpy (no copy).

    PYTHONPATH=build/release/python /usr/bin/python3 examples/step_by_step.py
"""

import pathlib

import numpy as np

import mercato

ROOT = pathlib.Path(__file__).resolve().parents[1]

sim = mercato.Simulation(ROOT / "scenarios" / "tiny.yaml", seed=7, months=12)
regions = sim.region_ids

for _ in range(sim.months):
    month = sim.step()
    t = sim.talents  # read-only views of this month's arrays
    employed = t.employer != mercato.NO_EMPLOYER
    tiers = sim.tiers()
    # Mean wage of the employed elite by region where they work.
    parts = []
    for r, name in enumerate(regions):
        wages = t.wage[employed & (tiers == 0) & (t.region == r)]
        parts.append(f"{name} {wages.mean() / 1e3:7.0f}k" if wages.size else f"{name} -")
    locked = float(t.unvested[employed].sum())
    print(f"{month['date']}: {month['moves']:3d} moves, elite pay: {', '.join(parts)}, "
          f"unvested equity ${locked / 1e6:.1f}M")
    # The views must go before the next month (it may move the arrays).
    del t, employed, wages

# Organisations: headcount against target, from the views.
o = sim.orgs
for name, heads, target in zip(sim.org_names, o.headcount.sum(axis=1), o.target.sum(axis=1)):
    print(f"{name:20s} {heads:4d} of {target:6.1f}")
del o

print(sim.talent_table().groupby(["region", "tier"])["wage"].median().round())
