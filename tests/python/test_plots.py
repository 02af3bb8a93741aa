"""mercato.plots: each chart draws what it says from the run's tables."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import mercato  # noqa: E402
from conftest import MONTHS, SEED, TINY  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_work_shares_draws_a_line_per_region_summing_to_one(py_run):
    ax = mercato.plots.work_shares(py_run, tier="top")
    lines = ax.get_lines()
    assert [l.get_label() for l in lines] == ["North", "South"]
    total = sum(np.asarray(l.get_ydata(), dtype=float) for l in lines)
    np.testing.assert_allclose(total, 1.0)
    assert len(lines[0].get_ydata()) == MONTHS


def test_brain_drain_draws_the_regions_column(py_run):
    ax = mercato.plots.brain_drain(py_run, tier="all")
    regions = py_run.regions
    south = regions[(regions.tier == "all") & (regions.region == "South")]["brain_drain"]
    line = next(l for l in ax.get_lines() if l.get_label() == "South")
    np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float), south.to_numpy(float))


def test_pay_by_tier_from_a_result_shows_the_summary_quantiles(py_run):
    ax = mercato.plots.pay_by_tier(py_run)
    heights = sorted(p.get_height() for p in ax.patches)
    expected = sorted(max(float(py_run.summary["wage_end"][t][q]), 1.0)
                      for t in ("elite", "top", "all") for q in ("p50", "p90", "p99", "max"))
    np.testing.assert_allclose(heights, expected)
    assert ax.get_yscale() == "log"


def test_pay_by_tier_from_a_simulation_counts_every_employed_talent():
    sim = mercato.Simulation(TINY, seed=SEED, months=2)
    sim.run()
    ax = mercato.plots.pay_by_tier(sim)
    counted = sum(p.get_height() for p in ax.patches)
    employed = np.array(sim.talents["employer"]) != mercato.NO_EMPLOYER
    assert counted == np.sum(employed & (np.array(sim.talents["wage"]) > 0))
    assert sim.live_views == 0


def test_flow_matrix_adds_up_the_flows(py_run):
    fig, ax = plt.subplots()
    assert mercato.plots.flow_matrix(py_run, tier="all", ax=ax) is ax
    flows = py_run.flows
    moves = flows[(flows.tier == "all") & (flows.from_kind != "unemployed")]
    labels = [t.get_text() for t in ax.texts]
    assert len(labels) == 4
    assert sum(int(t) for t in labels) == moves["moves"].sum()
    north_to_south = moves[(moves.from_region == "North") & (moves.to_region == "South")]
    assert int(labels[1]) == north_to_south["moves"].sum()


def test_policy_comparison_draws_a_bar_per_figure(tiny):
    frame = mercato.compare(tiny, tiny, replicates=2, months=3,
                            set_policy={"regions.South.tax_rate": 0.3})
    ax = mercato.plots.policy_comparison(frame)
    shares = frame[(frame.unit == "share") & np.isfinite(frame.difference)]
    assert len(ax.patches) == len(shares)
    np.testing.assert_allclose(sorted(p.get_width() for p in ax.patches),
                               sorted(100 * shares["difference"]), atol=1e-9)
    ax2 = mercato.plots.policy_comparison(frame, metrics=["moves_per_talent_year"])
    assert len(ax2.patches) == 1
    with pytest.raises(ValueError):
        mercato.plots.policy_comparison(frame, unit="parsecs")


def test_a_bad_tier_is_refused(py_run):
    with pytest.raises(ValueError, match="tier"):
        mercato.plots.work_shares(py_run, tier="best")


def test_charts_save_as_png(py_run, tmp_path):
    ax = mercato.plots.work_shares(py_run)
    ax.figure.savefig(tmp_path / "shares.png")
    assert (tmp_path / "shares.png").read_bytes()[:4] == b"\x89PNG"
