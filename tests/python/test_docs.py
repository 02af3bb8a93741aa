"""Every public name of the package has a docstring, and docs/python.md covers them."""

import inspect
import pathlib

import mercato

ROOT = pathlib.Path(__file__).resolve().parents[2]


def public_names():
    for name in mercato.__all__:
        if name.startswith("__") or name.isupper():
            continue
        obj = getattr(mercato, name)
        yield name, obj
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                if member.startswith("_") or not (callable(value) or isinstance(value, property)
                                                   or isinstance(value, classmethod)):
                    continue
                yield f"{name}.{member}", value
    for name in mercato.plots.__all__:
        yield f"plots.{name}", getattr(mercato.plots, name)


def test_every_public_name_has_a_docstring():
    missing = [name for name, obj in public_names()
               if not (getattr(obj, "__doc__", None) or "").strip()]
    assert missing == []


def test_the_guide_names_every_public_function():
    guide = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    for name in ("Scenario.load", ".set(", "to_dict", "validate", "mercato.run", "Simulation",
                 "mercato.compare", "mercato.ensemble", "mercato.sweep", "ScenarioError",
                 "work_shares", "brain_drain", "pay_by_tier", "flow_matrix",
                 "policy_comparison", "KeyboardInterrupt", "BufferError", "make test"):
        assert name in guide, name
