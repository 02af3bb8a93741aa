"""``mercato.run``: a scenario run whose tables come back as pandas DataFrames."""

import json
import os
import shutil
import tempfile

import pandas as pd

from . import _mercato
from .scenario import as_scenario, run_overrides

__all__ = ["Result", "run", "read_table", "TABLE_NAMES"]

#: Every table a run can write (``outputs.tables``), in manifest order (docs/outputs.md).
TABLE_NAMES = ("regions", "kinds", "orgs", "flows", "moves", "origins", "market", "events")

# Columns that hold names: read as text, so a region called "NA" or an organisation called
# "1" stays what it is.
_NAME_COLUMNS = ("date", "region", "tier", "kind", "org", "role", "origin", "work_region",
                 "from_region", "to_region", "from_kind", "to_kind", "from_org", "to_org",
                 "event", "name", "type", "payer", "metric", "unit", "section", "label")


def read_table(path):
    """Reads one of mercato's CSV tables into a DataFrame.

    Only an empty field is missing (NaN): pandas' default would also read a region called
    ``NA`` as missing. Name columns (regions, organisations, kinds, tiers, dates) are strings.
    """
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {c: str for c in header if c in _NAME_COLUMNS}
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=dtypes)


class Result:
    """The outputs of one run: its tables as DataFrames, ``summary`` and ``manifest``.

    The tables are those of docs/outputs.md (``regions``, ``kinds``, ``orgs``, ``flows``,
    ``moves``, ``origins``, ``market``, ``events``), available as attributes
    (``result.regions``) and in the dict ``result.tables``; a table the scenario did not write
    (``outputs.tables``) is missing from both. ``summary`` is ``summary.json`` as a dict,
    ``manifest`` ``manifest.json``; ``folder`` is where the files are, or ``None`` when the run
    was not asked to keep them.
    """

    def __init__(self, tables, summary, manifest, folder=None):
        """Use :func:`mercato.run` or :meth:`Result.load` instead."""
        self.tables = dict(tables)
        self.summary = summary
        self.manifest = manifest
        self.folder = folder

    @classmethod
    def load(cls, folder):
        """Reads the folder written by ``mercato run`` (or ``mercato.run(..., output=...)``)."""
        folder = os.fspath(folder)
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        with open(os.path.join(folder, "summary.json"), encoding="utf-8") as f:
            summary = json.load(f)
        tables = {}
        for name in TABLE_NAMES:
            path = os.path.join(folder, name + ".csv")
            if os.path.exists(path):
                tables[name] = read_table(path)
        return cls(tables, summary, manifest, folder)

    def __getattr__(self, name):
        # Only called for names that are not attributes: the tables.
        if name in TABLE_NAMES:
            tables = self.__dict__.get("tables", {})
            if name in tables:
                return tables[name]
            raise AttributeError(
                f"this run did not write the {name} table (see outputs.tables in the scenario)")
        raise AttributeError(name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self):
        s = self.summary
        return (f"<mercato.Result {s.get('scenario')!r} seed {s.get('seed')}, "
                f"{s.get('months')} months, tables: {', '.join(self.tables)}>")


def run(scenario, seed=None, months=None, threads=1, set=None, output=None, force=False):
    """Runs a scenario as ``mercato run`` does and returns its :class:`Result`.

    ``scenario`` is a :class:`mercato.Scenario` or a path. ``seed``, ``months`` and ``set``
    (a dict ``{key: value}`` or a list of ``"key=value"``) are the command line's ``--seed``,
    ``--months`` and ``--set``, applied after the scenario's own overrides. ``threads`` does not
    change the results. ``output`` keeps the files in that folder (``-o``; a non-empty folder
    needs ``force=True``, as ``--force``); without it they are written to a temporary folder
    that is removed once read.

    The same scenario and seed give the command line's tables and ``summary.json`` exactly.
    The GIL is released while simulating; Ctrl-C raises ``KeyboardInterrupt`` after the current
    month and leaves no output file behind.
    """
    sc = as_scenario(scenario)
    config = sc._config_with(run_overrides(seed=seed, months=months, set=set))
    command_line = f"python: mercato.run({sc.path or sc.name!r}, seed={config.seed})"
    temporary = None
    if output is None:
        temporary = tempfile.mkdtemp(prefix="mercato-run-")
        folder = temporary
    else:
        folder = os.fspath(output)
    try:
        _mercato.run_to_folder(config, folder, int(threads), bool(force), command_line)
        result = Result.load(folder)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    if temporary is not None:
        result.folder = None
    return result
