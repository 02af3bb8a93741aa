"""Load a scenario, change a value, run it and read the results as pandas tables.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/quickstart.py
"""

import pathlib

import mercato

ROOT = pathlib.Path(__file__).resolve().parents[1]

scenario = mercato.Scenario.load(ROOT / "scenarios" / "tiny.yaml")
print(scenario, "->", scenario.validate())

# The South halves the gap with the North's top tax rate.
scenario.set("regions.South.tax_rate", 0.41)
result = mercato.run(scenario, seed=7, months=24)

# Brain drain of top-tier talent by region, last month.
regions = result.regions
last = regions[(regions.month == regions.month.max()) & (regions.tier == "top")]
print(last.set_index("region")[["employed", "trained_here", "brain_drain"]])

# The largest packages of the run.
moves = result.moves.sort_values("package_value", ascending=False)
print(moves[["date", "tier", "from_org", "to_org", "package_value"]].head(5).to_string(index=False))

summary = result.summary
print(f"{summary['moves']} moves, {summary['moves_per_talent_year']:.3f} per talent-year, "
      f"unemployment at the end {summary['unemployment_end']:.1%}")
