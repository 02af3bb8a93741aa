"""Scenarios: a YAML file (or text) plus ``--set``-style overrides, loaded and validated."""

import json
import os

import yaml

from . import _mercato

__all__ = ["Scenario", "override_text"]


def override_text(value):
    """The YAML text of an override value, as ``--set key=TEXT`` would take it.

    Strings are passed as written (so ``"[1, 2]"`` or ``"{uniform: [0, 1]}"`` work as on the
    command line); booleans become ``true``/``false``, ``None`` ``null``, numbers their
    shortest exact form, lists and dicts flow-style YAML.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple, dict)):
        # JSON is YAML; it keeps nested numbers exact.
        return json.dumps(value)
    # numpy scalars and the like.
    if hasattr(value, "item"):
        return override_text(value.item())
    raise TypeError(f"cannot use a {type(value).__name__} as a scenario value")


class Scenario:
    """A scenario: a file (or YAML text) with overrides, loaded and validated.

    Build one with :meth:`Scenario.load` or :meth:`Scenario.from_yaml`. Each :meth:`set`
    reloads it, so a bad key or value raises :class:`mercato.ScenarioError` at once, naming the
    key. A Scenario is what :func:`mercato.run`, :func:`mercato.compare`,
    :func:`mercato.ensemble` and :class:`mercato.Simulation` take (they also take a path).
    """

    def __init__(self, *, path=None, text=None, name=None, base_dir=".", overrides=()):
        """Use :meth:`load` or :meth:`from_yaml` instead."""
        if (path is None) == (text is None):
            raise TypeError("give either path or text")
        self._path = None if path is None else os.fspath(path)
        self._text = text
        self._text_name = name or "<string>"
        self._base_dir = os.fspath(base_dir)
        self._overrides = [(str(k), str(v)) for k, v in overrides]
        self._config = self._load(self._overrides)

    @classmethod
    def load(cls, path, overrides=None):
        """Loads the scenario file ``path`` (``extends:`` resolved), with optional overrides.

        ``overrides`` is a dict ``{"regions.FR.tax_rate": 0.3}`` or a list of
        ``"key=value"`` strings as ``--set`` takes them. Raises :class:`mercato.ScenarioError`
        (with ``file``, ``line``, ``key``, ``message``) or :class:`mercato.IoError`.
        """
        return cls(path=path, overrides=_override_pairs(overrides))

    @classmethod
    def from_yaml(cls, text, name="<string>", base_dir=".", overrides=None):
        """Loads a scenario from YAML text; ``name`` stands for the file in error messages and
        a relative ``extends:`` is resolved against ``base_dir``."""
        return cls(text=text, name=name, base_dir=base_dir, overrides=_override_pairs(overrides))

    def _load(self, overrides):
        if self._path is not None:
            return _mercato.load_scenario(self._path, overrides)
        return _mercato.load_scenario_string(self._text, self._text_name, overrides,
                                             self._base_dir)

    def _config_with(self, extra):
        """The Config with ``extra`` (key, text) overrides applied after this scenario's own."""
        if not extra:
            return self._config
        return self._load(self._overrides + list(extra))

    def set(self, key, value):
        """Overrides one value, as ``--set key=value`` does, and returns the scenario (so calls
        chain). Lists of named items are addressed by name: ``organisations.Meta.max_offer``.
        Raises :class:`mercato.ScenarioError` for an unknown key or a value out of range (the
        scenario is then left as it was)."""
        pair = (str(key), override_text(value))
        config = self._load(self._overrides + [pair])
        self._overrides.append(pair)
        self._config = config
        return self

    def copy(self):
        """An independent copy (later :meth:`set` calls on either do not affect the other)."""
        other = object.__new__(Scenario)
        other.__dict__.update(self.__dict__)
        other._overrides = list(self._overrides)
        return other

    def validate(self):
        """Builds the initial world, as ``mercato validate`` does, and returns its sizes:
        ``{"regions": ..., "organisations": ..., "talents": ...}``. Loading already checked
        every key; this also checks what only building can (and gives sizes after ``scale``).
        """
        return self._config.build_world_sizes()

    def to_yaml(self):
        """The fully resolved scenario as YAML: every key, defaults filled in, ``extends:``
        and the overrides applied (what ``manifest.json`` records)."""
        return self._config.to_yaml()

    def to_dict(self):
        """The fully resolved scenario as nested dicts and lists (see :meth:`to_yaml`)."""
        return yaml.safe_load(self.to_yaml())

    @property
    def path(self):
        """The scenario file, or ``None`` for a scenario made from text."""
        return self._path

    @property
    def overrides(self):
        """The overrides applied, in order, as ``"key=value"`` strings."""
        return [f"{k}={v}" for k, v in self._overrides]

    @property
    def name(self):
        """The scenario's ``name`` (the file's stem when it has none)."""
        if self._config.name:
            return self._config.name
        if self._path is not None:
            return os.path.splitext(os.path.basename(self._path))[0]
        return self._text_name

    @property
    def seed(self):
        """The random seed."""
        return self._config.seed

    @property
    def months(self):
        """The horizon in months (warm-up excluded)."""
        return self._config.months

    @property
    def start(self):
        """The first month, ``YYYY-MM``."""
        return self._config.start

    @property
    def regions(self):
        """The region ids, in scenario order."""
        return list(self._config.region_ids)

    def __repr__(self):
        where = self._path if self._path is not None else self._text_name
        extra = f", {len(self._overrides)} overrides" if self._overrides else ""
        return f"<mercato.Scenario {self.name!r} from {where}{extra}>"


def _override_pairs(overrides):
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        return [(str(k), override_text(v)) for k, v in overrides.items()]
    if isinstance(overrides, str):
        overrides = [overrides]
    return [_mercato.parse_override(text) for text in overrides]


def as_scenario(scenario):
    """A :class:`Scenario` from a Scenario or a path."""
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, os.PathLike)):
        return Scenario.load(scenario)
    raise TypeError(f"expected a mercato.Scenario or a path, got {type(scenario).__name__}")


def run_overrides(seed=None, months=None, set=None):
    """``--set``, then ``--seed`` and ``--months`` as overrides (applied last, so they win),
    as the command line orders them."""
    pairs = _override_pairs(set)
    if seed is not None:
        pairs.append(("seed", str(int(seed))))
    if months is not None:
        pairs.append(("months", str(int(months))))
    return pairs
