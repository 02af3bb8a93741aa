"""A simulation stepped month by month, with zero-copy numpy views of the World."""

from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import _mercato
from .scenario import as_scenario, run_overrides

__all__ = ["Simulation", "Columns", "NO_EMPLOYER", "KIND_NAMES", "ROLE_NAMES", "TIER_NAMES"]

#: The ``employer`` of an unemployed talent.
NO_EMPLOYER = _mercato.NO_EMPLOYER
#: Kinds of organisation, indexed by the ``kind`` column's value.
KIND_NAMES = tuple(_mercato.KIND_NAMES)
#: Roles, indexed by the ``role`` column's value.
ROLE_NAMES = ("research", "engineering")
#: A talent's own tier (as in moves.csv), indexed by :meth:`Simulation.tiers`' values.
TIER_NAMES = ("elite", "top", "rest")


class Columns(Mapping):
    """The columns of the talents or of the organisations, as read-only numpy views.

    ``columns["wage"]`` (or ``columns.wage``) returns a view of the World's own array: no copy
    is made, and ``view.base`` is the simulation that owns the memory. The views describe the
    current month. :meth:`Simulation.step` refuses to run while any is alive (a month may move
    the arrays when talents enter), so copy what you keep (``numpy.array(view)``) and drop the
    views (``del``) before stepping.
    """

    def __init__(self, simulation, names, getter):
        self._simulation = simulation
        self._names = tuple(names)
        self._getter = getter

    def __getitem__(self, name):
        if name not in self._names:
            raise KeyError(name)
        return self._getter(name)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)

    def __repr__(self):
        return f"<mercato.Columns {', '.join(self._names)}>"


class Simulation:
    """A run of a scenario that you step yourself, for custom analysis.

    ``Simulation(scenario, seed=..., months=..., threads=..., set=..., replicate=0)`` builds
    the initial World (replicate ``r`` draws from its own random streams, as in ensembles).
    :meth:`step` runs one month (the warm-up months first) and returns its market figures;
    :attr:`talents` and :attr:`orgs` give zero-copy, read-only numpy views of the World's
    columns. Stepping to the end gives the same months as :func:`mercato.run` of the same
    scenario and seed. The GIL is released while a month runs.
    """

    def __init__(self, scenario, seed=None, months=None, threads=1, set=None, replicate=0):
        sc = as_scenario(scenario)
        config = sc._config_with(run_overrides(seed=seed, months=months, set=set))
        self.scenario = sc
        self._core = _mercato.Simulation(config, int(threads), int(replicate))
        self._talents = Columns(self, self._core.talent_columns, self._core.talent_column)
        self._orgs = Columns(self, self._core.org_columns, self._core.org_column)

    def warm_up(self):
        """Runs the warm-up months (their metrics are discarded); :meth:`step` does it first
        when needed, so calling this is only useful to look at the World before month 0."""
        self._core.warm_up()

    def step(self):
        """Runs one month and returns its market figures (the columns of ``market.csv`` as a
        dict). Raises ``BufferError`` while views of the World are alive and
        :class:`mercato.UsageError` when every month has run."""
        return self._core.step()

    def run(self, months=None):
        """Steps ``months`` months (default: to the end) and returns their market figures as a
        DataFrame, one row per month."""
        rows = []
        left = self.months - self.month if months is None else int(months)
        for _ in range(left):
            if self.done:
                break
            rows.append(self.step())
        return pd.json_normalize(rows, sep="_") if rows else pd.DataFrame()

    @property
    def done(self):
        """Whether every month has run."""
        return self._core.done

    @property
    def month(self):
        """Months run so far (after the warm-up)."""
        return self._core.month

    @property
    def months(self):
        """The horizon in months."""
        return self._core.months

    @property
    def talents(self):
        """The talents' columns (:class:`Columns` of zero-copy read-only views): ``uid``,
        ``ability``, ``role``, ``origin`` and ``region`` (indices into :attr:`region_ids`),
        ``employer`` (index into :attr:`org_names`, :data:`NO_EMPLOYER` when unemployed),
        ``experience`` and ``tenure`` (months), ``wage`` (USD/yr), ``unvested`` (USD),
        ``vest_left`` (months), ``persona`` and ``prefs`` (n x 5: w_money, w_mission, w_open,
        w_compute, home_bias; a read-only copy, not a view, since the World keeps a persona's
        constant preferences once)."""
        return self._talents

    @property
    def orgs(self):
        """The organisations' columns (:class:`Columns` of zero-copy read-only views): ``kind``
        (index into :data:`KIND_NAMES`), ``region``, ``compute``, ``payroll``,
        ``payroll_budget``, ``headcount`` / ``target`` / ``power_sum`` (n x 2: research,
        engineering) and the other parameters of MODEL.md, Organisations."""
        return self._orgs

    @property
    def live_views(self):
        """How many views handed out by :attr:`talents` and :attr:`orgs` are still alive."""
        return self._core.live_views

    @property
    def region_ids(self):
        """Region ids, indexed by the ``region`` and ``origin`` columns."""
        return list(self._core.region_ids)

    @property
    def org_names(self):
        """Organisation names, indexed by the ``employer`` column."""
        return list(self._core.org_names)

    @property
    def tier_thresholds(self):
        """The ability cut-offs ``(elite, top)`` fixed when the World was built."""
        return (self._core.elite_threshold, self._core.top_threshold)

    def tiers(self):
        """Each talent's own tier as an array of indices into :data:`TIER_NAMES` (a new array,
        computed from the ``ability`` view)."""
        elite, top = self.tier_thresholds
        ability = self._core.talent_column("ability")
        tiers = np.where(ability >= elite, 0, np.where(ability >= top, 1, 2)).astype(np.uint8)
        del ability
        return tiers

    def talent_table(self):
        """A copy of the talents as a DataFrame, with regions, roles, employers and tiers by
        name (unemployed talents have no ``employer``)."""
        t = self._talents
        regions = np.array(self.region_ids, dtype=object)
        orgs = np.array(self.org_names + [None], dtype=object)
        employer = np.array(t["employer"], dtype=np.int64)
        employer[employer == NO_EMPLOYER] = len(orgs) - 1
        frame = pd.DataFrame({
            "uid": np.array(t["uid"]),
            "ability": np.array(t["ability"]),
            "tier": np.array(TIER_NAMES, dtype=object)[self.tiers()],
            "role": np.array(ROLE_NAMES, dtype=object)[np.array(t["role"])],
            "origin": regions[np.array(t["origin"])],
            "region": regions[np.array(t["region"])],
            "employer": orgs[employer],
            "experience": np.array(t["experience"]),
            "tenure": np.array(t["tenure"]),
            "wage": np.array(t["wage"]),
            "unvested": np.array(t["unvested"]),
        })
        return frame

    def summary(self):
        """The headline figures of the months run so far: the keys of ``summary.json``
        (without ``largest_packages`` and ``events``), unrounded."""
        return self._core.summary()

    def __repr__(self):
        return (f"<mercato.Simulation {self.scenario.name!r}: month {self.month} of "
                f"{self.months}>")
