"""mercato.Simulation: stepping month by month, zero-copy read-only views."""

import numpy as np
import pandas as pd
import pytest

import mercato
from conftest import MONTHS, SEED, TINY


@pytest.fixture
def sim():
    return mercato.Simulation(TINY, seed=SEED, months=MONTHS)


def test_stepping_gives_the_months_of_a_run(sim, py_run):
    assert sim.month == 0 and not sim.done and sim.months == MONTHS
    first = sim.step()
    assert first["month"] == 0 and first["date"] == "2025-01"
    rest = sim.run()
    assert sim.done and sim.month == MONTHS
    assert list(rest["month"]) == list(range(1, MONTHS))
    market = py_run.market
    assert [first["moves"]] + list(rest["moves"]) == list(market["moves"])
    assert [first["talents"]] + list(rest["talents"]) == list(market["talents"])
    assert list(rest["offers"]) == list(market["offers"][1:])


def test_summary_matches_the_runs(sim, py_run):
    sim.run()
    mine, theirs = sim.summary(), py_run.summary
    for key in ("scenario", "seed", "months", "start", "end", "talents_start", "talents_end",
                "organisations", "moves", "entries", "exits", "counters_won"):
        assert mine[key] == theirs[key], key
    assert mine["unemployment_end"] == pytest.approx(theirs["unemployment_end"], rel=1e-5)
    for a, b in zip(mine["regions"], theirs["regions"]):
        assert a["region"] == b["region"]
        assert a["brain_drain_top"] == pytest.approx(b["brain_drain_top"], rel=1e-5, abs=1e-9)


def test_stepping_past_the_end_raises(tiny):
    sim = mercato.Simulation(tiny, months=1)
    sim.step()
    with pytest.raises(mercato.UsageError, match="over"):
        sim.step()
    assert sim.run().empty


def test_views_share_the_worlds_memory(sim):
    sim.step()
    a = sim.talents["wage"]
    b = sim.talents.wage
    assert np.shares_memory(a, b)
    assert a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    assert not a.flags.owndata
    assert a.base is sim._core  # the owner of the memory, kept alive by the view
    assert a.dtype == np.float32 and len(a) == len(sim.talent_table())
    assert sim.live_views >= 2


def test_views_are_read_only(sim):
    wage = sim.talents["wage"]
    assert not wage.flags.writeable
    with pytest.raises(ValueError):
        wage[0] = 1.0


def test_views_keep_the_simulation_alive():
    view = mercato.Simulation(TINY, months=2).talents["ability"]
    values = np.array(view)
    import gc
    gc.collect()
    assert np.array_equal(view, values)


def test_every_column_is_a_view(sim):
    n = len(sim.talents["uid"])
    for name in sim.talents:
        view = sim.talents[name]
        assert len(view) == n and not view.flags.writeable, name
    assert sim.talents["prefs"].shape == (n, 5)
    m = len(sim.org_names)
    for name in sim.orgs:
        view = sim.orgs[name]
        assert len(view) == m and not view.flags.writeable, name
    assert sim.orgs["headcount"].shape == (m, 2)
    with pytest.raises(KeyError):
        sim.talents["nothing"]
    with pytest.raises(AttributeError):
        sim.orgs.nothing


def test_prefs_are_a_copy_that_follows_the_personas(sim):
    # tiny.yaml: mercenaries (persona 0) have constant tastes; missionaries (1) draw w_mission
    # from uniform [1, 2], the World keeps one column for it and the constants once per persona.
    sim.run(2)
    prefs, persona = sim.talents["prefs"], np.array(sim.talents["persona"])
    assert not prefs.flags.writeable and not np.shares_memory(prefs, sim.talents["prefs"])
    mercenary, missionary = prefs[persona == 0], prefs[persona == 1]
    assert len(mercenary) > 0 and len(missionary) > 0
    np.testing.assert_array_equal(mercenary, np.float32([[1.0, 0.2, 0.1, 0.1, 0.2]] * len(mercenary)))
    np.testing.assert_array_equal(missionary[:, [0, 2, 3, 4]],
                                  np.float32([[0.6, 0.4, 0.2, 0.5]] * len(missionary)))
    assert missionary[:, 1].min() >= 1.0 and missionary[:, 1].max() <= 2.0
    assert len(np.unique(missionary[:, 1])) > len(missionary) // 2


def test_views_agree_with_the_world(sim):
    sim.run(3)
    employer = np.array(sim.talents["employer"])
    role = np.array(sim.talents["role"])
    headcount = np.array(sim.orgs["headcount"])
    for org in range(len(sim.org_names)):
        for r in (0, 1):
            assert headcount[org, r] == np.sum((employer == org) & (role == r))
    payroll = np.array(sim.orgs["payroll"])
    wage = np.array(sim.talents["wage"], dtype=np.float64)
    for org in range(len(sim.org_names)):
        assert payroll[org] == pytest.approx(wage[employer == org].sum(), rel=1e-4)


def test_stepping_with_live_views_raises_buffer_error(sim):
    sim.step()
    wage = sim.talents["wage"]
    before = wage.copy()
    with pytest.raises(BufferError, match="numpy view"):
        sim.step()
    assert sim.month == 1
    assert np.array_equal(wage, before)
    del wage
    sim.step()
    assert sim.month == 2


def test_talent_table_decodes_names(sim):
    sim.step()
    table = sim.talent_table()
    assert set(table["region"]) <= {"North", "South"}
    assert set(table["tier"]) <= set(mercato.TIER_NAMES)
    assert set(table["role"]) <= set(mercato.ROLE_NAMES)
    assert table["employer"].isna().sum() == np.sum(
        np.array(sim.talents["employer"]) == mercato.NO_EMPLOYER)
    elite, top = sim.tier_thresholds
    assert elite >= top > 0


def test_replicates_differ_and_replicate_zero_is_the_run(py_run):
    zero = mercato.Simulation(TINY, seed=SEED, months=MONTHS, replicate=0).run()
    one = mercato.Simulation(TINY, seed=SEED, months=MONTHS, replicate=1).run()
    assert list(zero["moves"]) == list(py_run.market["moves"])
    assert list(one["moves"]) != list(zero["moves"])


def test_warm_up_runs_before_month_zero(tiny):
    sim = mercato.Simulation(tiny, months=2)
    sim.warm_up()
    assert sim.month == 0
    assert len(sim.talents["uid"]) > 0
    assert "month 0 of 2" in repr(sim)
