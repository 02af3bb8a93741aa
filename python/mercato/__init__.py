"""mercato: a simulator of the global market for AI talent, from Python.

The same library as the ``mercato`` command line (docs/python.md):

- :class:`Scenario` loads, overrides (``set``), validates and shows (``to_dict``) a scenario;
- :func:`run` runs one and returns a :class:`Result` whose tables are pandas DataFrames;
- :class:`Simulation` steps a run month by month, with zero-copy numpy views of the World;
- :func:`compare`, :func:`ensemble` and :func:`sweep` run many simulations, as the commands
  of the same names do;
- :mod:`mercato.plots` draws work shares, brain drain, pay by tier, the flow matrix and a
  policy comparison.

Errors a user can cause raise :class:`Error` (:class:`ScenarioError`, :class:`UsageError`,
:class:`IoError`). Simulations release the GIL; Ctrl-C raises ``KeyboardInterrupt``.
"""

from . import _mercato
from .errors import Error, IoError, ScenarioError, UsageError
from .experiments import ExperimentResult, compare, ensemble, sweep
from .results import TABLE_NAMES, Result, read_table, run
from .scenario import Scenario
from .simulation import KIND_NAMES, NO_EMPLOYER, ROLE_NAMES, TIER_NAMES, Columns, Simulation
from . import plots

#: The library's version (as ``mercato --version`` prints it).
__version__ = _mercato.version()

__all__ = [
    "Scenario", "run", "Result", "read_table", "TABLE_NAMES", "Simulation", "Columns",
    "compare", "ensemble", "sweep", "ExperimentResult", "plots", "Error", "ScenarioError",
    "UsageError", "IoError", "NO_EMPLOYER", "KIND_NAMES", "ROLE_NAMES", "TIER_NAMES",
    "__version__",
]
