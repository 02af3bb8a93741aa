"""Charts of a run, a simulation or a comparison, with matplotlib.

Each function draws on ``ax`` (a new figure when omitted) and returns the Axes, so charts can
be combined and saved (``ax.figure.savefig("drain.png")``). matplotlib is imported only when a
chart is drawn.
"""

import numpy as np

__all__ = ["work_shares", "brain_drain", "pay_by_tier", "flow_matrix", "policy_comparison"]

_TIERS = ("elite", "top", "all")


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt
    _, ax = plt.subplots(figsize=(8, 4.5))
    return ax


def _check_tier(tier, allowed=_TIERS):
    if tier not in allowed:
        raise ValueError(f"tier must be one of {', '.join(allowed)} (got {tier!r})")


def _by_date(result, tier, column):
    regions = result.regions
    rows = regions[regions["tier"] == tier]
    table = rows.pivot(index="date", columns="region", values=column)
    # Scenario order, not alphabetical.
    return table[list(dict.fromkeys(rows["region"]))]


def work_shares(result, tier="top", ax=None):
    """Share of the tier's employed talent working in each region, month by month (from
    ``regions.csv``): who employs the talent. ``tier`` is ``elite``, ``top`` or ``all``."""
    _check_tier(tier)
    employed = _by_date(result, tier, "employed")
    shares = employed.div(employed.sum(axis=1).replace(0, np.nan), axis=0)
    ax = _axes(ax)
    for region in shares.columns:
        ax.plot(shares.index, shares[region], label=region)
    ax.set_title(f"Where {tier}-tier talent works")
    ax.set_ylabel("share of employed talent")
    ax.set_ylim(0, 1)
    _date_axis(ax, shares.index)
    ax.legend(title="region")
    return ax


def brain_drain(result, tier="top", ax=None):
    """Brain drain by region, month by month (``regions.csv``): of the tier's employed
    talents trained in a region, the share working in another."""
    _check_tier(tier)
    drain = _by_date(result, tier, "brain_drain")
    ax = _axes(ax)
    for region in drain.columns:
        ax.plot(drain.index, drain[region], label=region)
    ax.set_title(f"Brain drain of {tier}-tier talent")
    ax.set_ylabel("trained here, working abroad")
    ax.set_ylim(0, max(0.05, float(np.nanmax(drain.to_numpy(dtype=float), initial=0)) * 1.1))
    _date_axis(ax, drain.index)
    ax.legend(title="region")
    return ax


def pay_by_tier(source, ax=None):
    """Pay distribution by tier.

    From a :class:`mercato.Result`: the wage quantiles (median, 90th, 99th percentile and
    maximum) of the elite, the top tier and everyone in the last month (``summary.json``'s
    ``wage_end``), as grouped bars. From a :class:`mercato.Simulation`: histograms of the
    current wages of the employed by their own tier (elite, top, rest). Log scale either way:
    pay is heavy-tailed.
    """
    ax = _axes(ax)
    if hasattr(source, "talents") and hasattr(source, "tiers"):
        _pay_histograms(source, ax)
    else:
        _pay_quantiles(source.summary["wage_end"], ax)
    return ax


def _pay_quantiles(wage_end, ax):
    quantiles = ("p50", "p90", "p99", "max")
    width = 0.8 / len(quantiles)
    x = np.arange(len(_TIERS))
    for i, q in enumerate(quantiles):
        values = [max(float(wage_end[t][q]), 1.0) for t in _TIERS]
        ax.bar(x + (i - 1.5) * width, values, width, label=q)
    ax.set_xticks(x, [f"{t}" for t in _TIERS])
    ax.set_yscale("log")
    ax.set_ylabel("USD/yr")
    ax.set_title("Pay by tier, last month")
    ax.legend(title="quantile")


def _pay_histograms(simulation, ax):
    from .simulation import TIER_NAMES, NO_EMPLOYER
    wage = np.array(simulation.talents["wage"], dtype=float)
    employed = np.array(simulation.talents["employer"]) != NO_EMPLOYER
    tiers = simulation.tiers()
    positive = wage[employed & (wage > 0)]
    if positive.size == 0:
        raise ValueError("no employed talent with a wage")
    # Edges a little beyond the extremes, so rounding in the log scale leaves no wage out.
    bins = np.logspace(np.log10(positive.min() * 0.99), np.log10(positive.max() * 1.01), 40)
    for index, name in enumerate(TIER_NAMES):
        values = wage[employed & (tiers == index) & (wage > 0)]
        ax.hist(values, bins=bins, alpha=0.6, label=f"{name} ({values.size})")
    ax.set_xscale("log")
    ax.set_xlabel("wage, USD/yr")
    ax.set_ylabel("talents")
    ax.set_title(f"Pay by tier, month {simulation.month}")
    ax.legend(title="tier")


def flow_matrix(result, tier="all", ax=None, include_unemployment=False):
    """Moves between regions over the whole run (``flows.csv``) as a region x region matrix,
    rows the region left, columns the region joined; each cell is labelled with its count.
    Hires from unemployment are left out unless ``include_unemployment``."""
    _check_tier(tier)
    flows = result.flows
    rows = flows[flows["tier"] == tier]
    if not include_unemployment:
        rows = rows[rows["from_kind"] != "unemployed"]
        rows = rows[rows["from_kind"].notna()]
    regions = list(dict.fromkeys(result.regions["region"]))
    index = {r: i for i, r in enumerate(regions)}
    matrix = np.zeros((len(regions), len(regions)), dtype=np.int64)
    for (source, target), moves in rows.groupby(["from_region", "to_region"])["moves"].sum().items():
        matrix[index[source], index[target]] += int(moves)
    ax = _axes(ax)
    image = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(regions)), regions)
    ax.set_yticks(range(len(regions)), regions)
    ax.set_xlabel("to region")
    ax.set_ylabel("from region")
    ax.set_title(f"Moves between regions ({tier} tier, whole run)")
    threshold = matrix.max() / 2 if matrix.size else 0
    for i in range(len(regions)):
        for j in range(len(regions)):
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center",
                    color="white" if matrix[i, j] > threshold else "black")
    ax.figure.colorbar(image, ax=ax, label="moves")
    return ax


def policy_comparison(comparison, unit="share", metrics=None, ax=None):
    """The differences (policy - base) of a :func:`mercato.compare` frame as horizontal bars
    with their 95% intervals. By default the figures in ``unit`` (``share``: shares of
    top-tier talent and brain drain, in percentage points); ``metrics`` picks figures by their
    ``metric`` key instead."""
    frame = comparison
    if metrics is not None:
        frame = frame[frame["metric"].isin(list(metrics))]
    else:
        frame = frame[frame["unit"] == unit]
    frame = frame[np.isfinite(frame["difference"].to_numpy(dtype=float))]
    if frame.empty:
        raise ValueError("no figure to show (check unit or metrics)")
    scale = 100.0 if (frame["unit"] == "share").all() else 1.0
    diff = frame["difference"].to_numpy(dtype=float) * scale
    low = frame["ci_low"].to_numpy(dtype=float) * scale
    high = frame["ci_high"].to_numpy(dtype=float) * scale
    has_interval = np.isfinite(low) & np.isfinite(high)
    errors = np.vstack([np.where(has_interval, diff - low, 0), np.where(has_interval, high - diff, 0)])
    labels = [f"{s}: {l}" for s, l in zip(frame["section"], frame["label"])]
    ax = _axes(ax)
    y = np.arange(len(frame))
    ax.barh(y, diff, xerr=errors, color=np.where(diff >= 0, "tab:blue", "tab:red"), capsize=3)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    names = comparison.attrs
    title = "policy - base"
    if names.get("base_name") and names.get("policy_name"):
        title = f"{names['policy_name']} - {names['base_name']}"
    ax.set_title(f"{title} ({names.get('replicates', '?')} replicates, 95% intervals)")
    ax.set_xlabel("percentage points" if scale == 100.0 else frame["unit"].iloc[0])
    return ax


def _date_axis(ax, dates):
    # Dates are YYYY-MM strings: show about eight of them.
    step = max(1, len(dates) // 8)
    ax.set_xticks(range(0, len(dates), step), list(dates)[::step], rotation=45, ha="right")
    ax.set_xlabel("month")
