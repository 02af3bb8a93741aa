"""``mercato.compare``, ``mercato.ensemble`` and ``mercato.sweep``: many runs at once, with the
options of the command line's commands of the same names."""

import os
import sqlite3
import warnings

import pandas as pd

from . import _mercato
from .errors import Error
from .results import read_table
from .scenario import as_scenario, run_overrides, _override_pairs

__all__ = ["compare", "ensemble", "sweep", "ExperimentResult"]

_COMPARISON_COLUMNS = ["section", "metric", "label", "unit", "base_mean", "policy_mean",
                       "difference", "ci_low", "ci_high"]


def compare(base, policy, replicates=10, threads=1, seed=None, months=None, set=None,
            set_base=None, set_policy=None, output=None, force=False):
    """Compares two scenarios as ``mercato compare`` does and returns the rows as a DataFrame.

    Replicate ``r`` of both scenarios runs on the same random numbers (the policy with the
    base's seed), and each figure's difference is taken pair by pair. Columns: ``section``,
    ``metric``, ``label``, ``unit``, ``base_mean``, ``policy_mean``, ``difference`` (mean of
    policy - base), ``ci_low`` and ``ci_high`` (its 95% interval; NaN for one replicate), and
    ``replicates``; docs/compare.md defines every figure. ``set`` applies to both sides,
    ``set_base`` and ``set_policy`` to one (after ``set``), then ``seed`` and ``months``.
    ``output`` also writes ``comparison.csv`` and ``comparison.json`` there (a non-empty folder
    needs ``force=True``). The context (names, seed, months, folder) is in ``frame.attrs``.
    Results do not depend on ``threads``; Ctrl-C raises ``KeyboardInterrupt``.
    """
    base_sc, policy_sc = as_scenario(base), as_scenario(policy)
    common = _override_pairs(set)
    base_extra = common + _override_pairs(set_base) + run_overrides(seed=seed, months=months)
    policy_extra = common + _override_pairs(set_policy) + run_overrides(seed=seed, months=months)
    out = _mercato.compare(
        base_sc._config_with(base_extra), policy_sc._config_with(policy_extra), int(replicates),
        int(threads), None if output is None else os.fspath(output), bool(force),
        base_sc.path or "", policy_sc.path or "", base_sc._overrides + base_extra,
        policy_sc._overrides + policy_extra)
    frame = pd.DataFrame(out["rows"], columns=_COMPARISON_COLUMNS)
    frame["replicates"] = out["replicates"]
    frame.attrs.update({k: out[k] for k in ("base_name", "policy_name", "seed", "replicates",
                                            "months", "folder")})
    return frame


class ExperimentResult:
    """What an ensemble or a sweep left: the SQLite database and the aggregates.

    ``database`` and ``aggregates_path`` are the two files (docs/experiments.md);
    ``aggregates`` is the aggregates CSV as a DataFrame (per point and headline figure:
    ``runs``, ``mean``, ``sd``, ``ci_low``, ``ci_high``, one column per varied key);
    ``total``, ``done``, ``failed``, ``skipped`` count the runs (``skipped``: finished by an
    earlier start and resumed), ``seconds`` is the wall clock of this start.
    """

    def __init__(self, info):
        """Made by :func:`ensemble` and :func:`sweep`."""
        self.name = info["name"]
        self.database = info["database"]
        self.aggregates_path = info["aggregates"]
        self.total = info["total"]
        self.done = info["done"]
        self.failed = info["failed"]
        self.skipped = info["skipped"]
        self.seconds = info["seconds"]
        self.first_error = info["first_error"] or None
        self.aggregates = read_table(self.aggregates_path)

    def query(self, sql, params=()):
        """Runs an SQL query on the database and returns the rows as a DataFrame."""
        with sqlite3.connect(self.database) as connection:
            return pd.read_sql_query(sql, connection, params=params)

    def table(self, name):
        """A whole table of the database (``run``, ``metric``, ``regions``, ...) as a
        DataFrame."""
        if not name.replace("_", "").isalnum():
            raise ValueError(f"not a table name: {name!r}")
        return self.query(f'SELECT * FROM "{name}"')

    def metrics(self):
        """Every run's headline figures with the run's point and replicate: one row per run
        and figure (``run``, ``point``, ``replicate``, ``metric``, ``value``), finished runs
        only."""
        return self.query("SELECT m.run, r.point, r.replicate, m.metric, m.value "
                          "FROM metric m JOIN run r USING (run) WHERE r.status = 'done' "
                          "ORDER BY m.run")

    def __repr__(self):
        return (f"<mercato.ExperimentResult {self.name!r}: {self.done + self.skipped} of "
                f"{self.total} runs done, {self.failed} failed, {self.database}>")


def _finish(info):
    if info["halted"]:
        raise Error(f"stopped after run {info['first_failed_run']} failed "
                    f"(on_error='stop'): {info['first_error']}; call again to go on with the "
                    f"runs left, or use on_error='continue'")
    result = ExperimentResult(info)
    if result.failed:
        warnings.warn(f"{result.failed} runs failed; the first: {result.first_error}",
                      RuntimeWarning, stacklevel=3)
    return result


def ensemble(scenario, replicates=10, seed=None, months=None, set=None, keep=None, output=None,
             threads=None, on_error="stop", force=False):
    """Runs replicates of a scenario into a database, as ``mercato ensemble`` does.

    ``scenario`` is a :class:`mercato.Scenario` loaded from a file, or a path; its overrides
    and ``set`` apply to every replicate. ``keep`` lists the tables stored per run (a list or
    ``"regions,market"``; default regions, market and events). ``output`` is the database
    (default ``runs/<name>-ensemble.db``, as on the command line); an existing one made by the
    same ensemble is resumed, ``force=True`` replaces it. ``threads`` defaults to every core;
    the rows do not depend on it. ``on_error``: ``"stop"`` raises :class:`mercato.Error` after a
    failed run, ``"continue"`` records it and warns. Returns an :class:`ExperimentResult`.
    """
    sc = as_scenario(scenario)
    if sc.path is None:
        raise Error("an ensemble needs a scenario loaded from a file (Scenario.load)")
    if isinstance(keep, str):
        keep = [k.strip() for k in keep.split(",") if k.strip()]
    info = _mercato.ensemble(sc.path, sc._overrides + _override_pairs(set), int(replicates),
                             None if seed is None else int(seed),
                             None if months is None else int(months), list(keep or []),
                             None if output is None else os.fspath(output),
                             None if threads is None else int(threads), on_error, bool(force))
    return _finish(info)


def sweep(experiment, output=None, threads=None, on_error="stop", force=False):
    """Runs an experiment file (parameter points x replicates) into a database, as
    ``mercato sweep`` does; the options are those of :func:`ensemble`. The default database is
    ``runs/<experiment name>.db``. Returns an :class:`ExperimentResult`."""
    info = _mercato.sweep(os.fspath(experiment), None if output is None else os.fspath(output),
                          None if threads is None else int(threads), on_error, bool(force))
    return _finish(info)
