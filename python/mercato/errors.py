"""The exceptions mercato raises.

Every error a user can cause (a bad scenario, a bad option, an unreadable file) is a
:class:`mercato.Error`; the library's C++ errors are translated into these classes.
"""

__all__ = ["Error", "ScenarioError", "UsageError", "IoError"]


class Error(Exception):
    """Any error reported by mercato (the base of the other classes)."""


class UsageError(Error, ValueError):
    """A bad option value: replicates < 1, an unknown table, a non-empty output folder
    without ``force=True``, a database made by another experiment, ..."""


class IoError(Error, OSError):
    """A file that cannot be read or written (missing scenario, unwritable folder)."""


class ScenarioError(Error, ValueError):
    """A scenario that does not load: every problem found, each with where it is.

    The attributes ``file``, ``line``, ``column``, ``key`` and ``message`` describe the first
    problem (``line`` and ``column`` are ``None`` when unknown, e.g. for an override);
    ``diagnostics`` lists every problem as dicts with the same keys. ``str(error)`` is the
    command line's message: one ``file:line:column: key: message`` line per problem.
    """

    def __init__(self, text, diagnostics=()):
        super().__init__(text)
        self.diagnostics = [dict(d) for d in diagnostics]
        first = self.diagnostics[0] if self.diagnostics else {}
        self.file = first.get("file")
        self.line = first.get("line")
        self.column = first.get("column")
        self.key = first.get("key")
        self.message = first.get("message", text)
