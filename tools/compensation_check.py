#!/usr/bin/env python3
"""Pay levels of a mercato run against the `compensation` figures of data/figures.yaml.

    build/release/mercato run scenarios/world-2025.yaml --set outputs.moves=all -o /tmp/w25
    python3 tools/compensation_check.py /tmp/w25

(`outputs.moves=all` only widens the move log; the run is the same.) Reads orgs.csv, kinds.csv,
regions.csv, moves.csv and summary.json (docs/outputs.md). Wages are annual cash + equity in
USD/yr. Stocks are read in the first year's last month (2025-12) and at the end of the run; hires
are those of the first year (months 0-11). EUR figures convert at 1.08 USD, CNY at 7.2 CNY per
USD. A "graduate" hire is a hire from unemployment of a talent who entered the market after the
initial stock was built (uid >= the initial talents; docs/model.md, "Initial state"), i.e. a
first job. Prints a Markdown table: figure, data range (USD/yr), model measure, model value,
within.
"""
import csv
import json
import statistics
import sys
from pathlib import Path

EUR = 1.08
CNY = 7.2


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def graduate_hire(m, n0):
    """A move that is a first job: a hire from unemployment of a talent who entered the market
    after the initial stock of n0 talents was built."""
    return m["from_kind"] == "unemployed" and int(m["talent"]) >= n0


def main(folder):
    d = Path(folder)
    summary = json.loads((d / "summary.json").read_text())
    last = summary["months"] - 1
    year1 = 11
    orgs = rows(d / "orgs.csv")
    kinds = rows(d / "kinds.csv")
    regions = rows(d / "regions.csv")
    moves = rows(d / "moves.csv")
    # The initial stock's uids are 0 .. N0 - 1: talents built with the world.
    n0 = talents_built(d)

    def org(name, month, col="wage_mean"):
        for r in orgs:
            if r["org"] == name and int(r["month"]) == month:
                return float(r[col])
        raise KeyError(name)

    def kind(k, tier, month, col):
        for r in kinds:
            if r["kind"] == k and r["tier"] == tier and int(r["month"]) == month:
                return float(r[col]) if r[col] else float("nan")
        raise KeyError(k)

    def region(reg, tier, month, col):
        for r in regions:
            if r["region"] == reg and r["tier"] == tier and int(r["month"]) == month:
                return float(r[col]) if r[col] else float("nan")
        raise KeyError(reg)

    def hires(pred, months=range(0, year1 + 1)):
        return [float(m["wage"]) for m in moves if int(m["month"]) in months and pred(m)]

    def grad(m):
        return graduate_hire(m, n0)

    def experienced(m):
        return m["from_kind"] != "unemployed"

    def us_frontier(m):
        return m["to_kind"] == "frontier_lab" and m["to_region"] == "US"

    def med(xs):
        sizes.append(len(xs))
        return statistics.median(xs) if xs else float("nan")

    def industry_elite_gap(month):
        num = den = 0.0
        for k in ("frontier_lab", "big_tech", "startup", "sme"):
            h = kind(k, "elite", month, "headcount")
            if h > 0:
                num += h * kind(k, "elite", month, "wage_mean")
                den += h
        return num / den - kind("university", "elite", month, "wage_mean")

    sizes = []
    cn_grads = hires(lambda m: grad(m) and m["to_region"] == "CN")
    table = []

    def add(figure, low, high, measure, value, end=None):
        # Hire medians: the number of hires in 2025 and in the last year.
        if measure.startswith("median wage of") and len(sizes) >= 2:
            measure += f" (n = {sizes[-2]}; last year {sizes[-1]})"
        sizes.clear()
        ok = (low is None or value >= low * 0.995) and (high is None or value <= high * 1.005)
        table.append((figure, low, high, measure, value, end, ok))

    add("openai_avg_stock_comp_per_employee_2025 ($1.5M of stock: total >= $1.5M)", 1.5e6, None,
        "OpenAI mean wage (orgs.csv)", org("OpenAI", year1), org("OpenAI", last))
    add("openai_swe_median_total_comp_2023 ($900k)", 0.9e6 * 0.8, 0.9e6 * 1.2,
        "median wage of OpenAI's experienced engineering hires, 2025 (moves.csv)",
        med(hires(lambda m: m["to_org"] == "OpenAI" and m["role"] == "engineering"
                  and experienced(m))),
        med(hires(lambda m: m["to_org"] == "OpenAI" and m["role"] == "engineering"
                  and experienced(m),
                  range(last - 11, last + 1))))
    add("frontier_lab_new_researcher_offers_2023", 7.0e5, 9.0e5,
        "median wage of research hires into US frontier labs, 2025 (moves.csv)",
        med(hires(lambda m: us_frontier(m) and m["role"] == "research")),
        med(hires(lambda m: us_frontier(m) and m["role"] == "research",
                  range(last - 11, last + 1))))
    add("new_ai_phd_offers_top_labs_2023 ('upwards of' $500k)", 5.0e5, None,
        "median wage of graduates' first research jobs at US frontier labs, 2025",
        med(hires(lambda m: grad(m) and us_frontier(m) and m["role"] == "research")),
        med(hires(lambda m: grad(m) and us_frontier(m) and m["role"] == "research",
                  range(last - 11, last + 1))))
    add("meta_senior_engineer_2025 ($850k; E7+ average $1.54M)", 0.85e6 * 0.8, 1.54e6,
        "Meta mean wage (orgs.csv)", org("Meta", year1), org("Meta", last))
    add("google_mle_l5_2026", 4.2e5, 6.0e5,
        "median wage of experienced top-tier engineering hires into US big tech (pool), 2025",
        med(hires(lambda m: m["to_org"].startswith("US-big-tech") and m["role"] == "engineering"
                  and m["tier"] in ("top", "elite") and experienced(m))),
        med(hires(lambda m: m["to_org"].startswith("US-big-tech") and m["role"] == "engineering"
                  and m["tier"] in ("top", "elite") and experienced(m),
                  range(last - 11, last + 1))))
    add("paris_ai_engineer_2024 (EUR 55-130k)", 55e3 * EUR, 130e3 * EUR,
        "France, median wage, all tiers (regions.csv)", region("FR", "all", year1, "wage_p50"),
        region("FR", "all", last, "wage_p50"))
    add("france_ml_engineer_base_2026 junior (EUR 45-58k)", 45e3 * EUR, 58e3 * EUR,
        "median wage of graduates' first jobs in France, 2025",
        med(hires(lambda m: grad(m) and m["to_region"] == "FR")),
        med(hires(lambda m: grad(m) and m["to_region"] == "FR", range(last - 11, last + 1))))
    add("france_ml_engineer_base_2026 lead (EUR 100-130k)", 100e3 * EUR, 130e3 * EUR,
        "France, 90th percentile wage, all tiers (regions.csv)",
        region("FR", "all", year1, "wage_p90"), region("FR", "all", last, "wage_p90"))
    add("mistral_research_staff_2026 (EUR 260-450k)", 260e3 * EUR, 450e3 * EUR,
        "Mistral mean wage (orgs.csv)", org("Mistral", year1), org("Mistral", last))
    add("industry_vs_academia_top1pct_gap_2021 ($1.5M)", 1.5e6 * 0.5, 1.5e6 * 1.5,
        "elite (top 2%): industry mean wage - university mean wage (kinds.csv)",
        industry_elite_gap(year1), industry_elite_gap(last))
    below = sum(w < 30e3 * 12 / CNY for w in cn_grads) / len(cn_grads) if cn_grads else float("nan")
    above = sum(w > 50e3 * 12 / CNY for w in cn_grads) / len(cn_grads) if cn_grads else float("nan")
    table.append(("china_campus_ai_monthly_pay_2025: > 55% below CNY 30k a month ($50k/yr)",
                  0.55, None, "share of graduates' first jobs in China below $50k, 2025",
                  below, None, below > 0.55))
    table.append(("china_campus_ai_monthly_pay_2025: 18% above CNY 50k a month ($83k/yr)",
                  0.13, 0.23, f"share above $83k (n = {len(cn_grads)})", above, None,
                  0.13 * 0.995 <= above <= 0.23))

    print("| figure | data (USD/yr) | model measure | model 2025 | model end | within |")
    print("| --- | --- | --- | --- | --- | --- |")
    for figure, low, high, measure, value, end, ok in table:
        share = "share" in measure
        f = (lambda x: f"{x:.0%}") if share else money
        rng = (f">= {f(low)}" if high is None else f"{f(low)} - {f(high)}")
        print(f"| {figure} | {rng} | {measure} | {f(value)} | "
              f"{'' if end is None else f(end)} | {'yes' if ok else 'no'} |")
    print()
    print("Context (2025-12 / end):")
    for k in ("frontier_lab", "big_tech", "startup", "sme", "university", "public_lab"):
        print(f"  {k:13s} mean {money(kind(k, 'all', year1, 'wage_mean'))} / "
              f"{money(kind(k, 'all', last, 'wage_mean'))}, median "
              f"{money(kind(k, 'all', year1, 'wage_p50'))} / {money(kind(k, 'all', last, 'wage_p50'))}"
              f", top-tier mean {money(kind(k, 'top', year1, 'wage_mean'))} / "
              f"{money(kind(k, 'top', last, 'wage_mean'))}")
    for o in ("OpenAI", "Anthropic", "Google DeepMind", "Meta", "xAI", "Thinking Machines Lab",
              "Mistral", "DeepSeek"):
        print(f"  {o:22s} mean {money(org(o, year1))} / {money(org(o, last))}")
    for tier in ("elite", "top", "all"):
        print(f"  wage_end {tier}: " + ", ".join(f"{q} {money(v)}" for q, v in
                                               summary["wage_end"][tier].items()))


def talents_built(d):
    """Talents of the initial stock (uids 0 .. N0 - 1), from the run's scenario file (its path in
    manifest.json, relative to the current folder) at its scale."""
    import re
    m = json.loads((d / "manifest.json").read_text())
    text = Path(m["scenario"]["file"]).read_text()
    scale = float(re.search(r"^scale:\s*([0-9.e+-]+)", text, re.M).group(1))
    counts = re.findall(r"origin:\s*[^,]+,\s*count:\s*([0-9.e+]+)", text)
    return sum(round(float(c) * scale) for c in counts)


def money(x):
    if x != x:
        return "-"
    if abs(x) >= 1e6:
        return f"${x / 1e6:.2f}M"
    return f"${x / 1e3:.0f}k"


if __name__ == "__main__":
    main(sys.argv[1])
