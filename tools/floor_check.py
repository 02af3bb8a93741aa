#!/usr/bin/env python3
"""What the US frontier labs' posted floor (`min_offer`) does to their graduate hiring.

    build/release/mercato run scenarios/world-2025.yaml --set outputs.moves=all -o /tmp/w25
    build/release/mercato run scenarios/world-2025.yaml --set outputs.moves=all \\
        --set organisations.OpenAI.min_offer=0 --set organisations.Anthropic.min_offer=0 \\
        --set organisations.xAI.min_offer=0 \\
        --set 'organisations.Thinking Machines Lab.min_offer=0' -o /tmp/w25-nofloor
    python3 tools/floor_check.py /tmp/w25-nofloor /tmp/w25

Run it from the repository's root (the initial stock's size is read from the scenario file, as
tools/compensation_check.py does). For each run: hires into the four labs per year, graduates
(first jobs: hires from unemployment of talents who entered after the world was built) apart,
with the graduates' median research wage; then, for the graduates whose first job was research
at one of the labs in one run and not in the other, where their first job is in the other run
(the same seed gives the same graduates in both runs). Hires made by events are left out.
"""
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compensation_check import graduate_hire, rows, talents_built  # noqa: E402

LABS = {"OpenAI", "Anthropic", "xAI", "Thinking Machines Lab"}


def first_jobs(folder):
    d = Path(folder)
    n0 = talents_built(d)
    moves = [m for m in rows(d / "moves.csv") if not m["event"]]
    first = {}
    for m in moves:
        if graduate_hire(m, n0) and m["talent"] not in first:
            first[m["talent"]] = m
    return moves, first


def per_year(folder, moves, first):
    count = defaultdict(Counter)
    grad_wages = defaultdict(list)
    for m in moves:
        if m["to_org"] not in LABS:
            continue
        y = int(m["date"][:4])
        grad = first.get(m["talent"]) is m
        count[y][("graduate " if grad else "other ") + m["role"]] += 1
        if grad and m["role"] == "research":
            grad_wages[y].append(float(m["wage"]))
    print(f"{folder}: hires into {', '.join(sorted(LABS))}")
    print("| year | graduates, research | graduates, engineering | others, research | others, "
          "engineering | graduates' median research wage |")
    print("| --- | --- | --- | --- | --- | --- |")
    total = Counter()
    for y in sorted(count):
        c = count[y]
        total.update(c)
        w = grad_wages[y]
        print(f"| {y} | {c['graduate research']} | {c['graduate engineering']} | "
              f"{c['other research']} | {c['other engineering']} | "
              f"{'$%.0fk' % (statistics.median(w) / 1e3) if w else '-'} |")
    print(f"| all | {total['graduate research']} | {total['graduate engineering']} | "
          f"{total['other research']} | {total['other engineering']} | |")
    floor = sum(1 for m in moves if m["to_org"] in LABS and float(m["wage"]) < 499e3)
    print(f"hires into the labs paid under $499k a year: {floor}\n")


def lab_research(m):
    return m is not None and m["to_org"] in LABS and m["role"] == "research"


def where(label, here, there):
    lost = [t for t in here if lab_research(here[t]) and not lab_research(there.get(t))]
    wages = [float(here[t]["wage"]) for t in lost]
    print(f"{label}: {len(lost)} graduates (median wage there "
          f"{'$%.0fk' % (statistics.median(wages) / 1e3) if wages else '-'}); "
          "their first job in the other run:")
    dest = Counter()
    for t in lost:
        m = there.get(t)
        if m is None:
            dest["no first job"] += 1
        else:
            home = "home" if m["to_region"] == here[t]["from_region"] else "abroad"
            dest[f"{m['to_kind']} in {m['to_region']} ({home})"] += 1
    for k, n in dest.most_common():
        print(f"  {n:4d}  {k}")


def main(a, b):
    moves_a, first_a = first_jobs(a)
    moves_b, first_b = first_jobs(b)
    per_year(a, moves_a, first_a)
    per_year(b, moves_b, first_b)
    where(f"research at the labs in {a} only", first_a, first_b)
    where(f"research at the labs in {b} only", first_b, first_a)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
