"""mercato.Scenario: load, set, to_dict, validate, and ScenarioError's attributes."""

import pytest

import mercato
from mercato.scenario import override_text


def test_load_reads_the_scenario(tiny):
    sc = mercato.Scenario.load(tiny)
    assert sc.name == "tiny"
    assert sc.path == tiny
    assert sc.seed == 42
    assert sc.months == 24
    assert sc.start == "2025-01"
    assert sc.regions == ["North", "South"]
    assert sc.overrides == []
    assert "tiny" in repr(sc)


def test_set_overrides_a_value_and_chains(tiny):
    sc = mercato.Scenario.load(tiny)
    assert sc.set("regions.North.tax_rate", 0.3).set("seed", 9) is sc
    d = sc.to_dict()
    north = next(r for r in d["regions"] if r["id"] == "North")
    assert north["tax_rate"] == pytest.approx(0.3)
    assert sc.seed == 9
    assert sc.overrides == ["regions.North.tax_rate=0.3", "seed=9"]


def test_set_takes_lists_dicts_and_yaml_text(tiny):
    sc = mercato.Scenario.load(tiny)
    sc.set("organisations.Helix.mission", {"uniform": [0.2, 0.4]})
    sc.set("outputs.tables", ["regions", "market"])
    sc.set("months", "6")
    d = sc.to_dict()
    assert d["outputs"]["tables"] == ["regions", "market"]
    assert sc.months == 6


def test_load_takes_overrides_as_dict_or_set_strings(tiny):
    a = mercato.Scenario.load(tiny, {"regions.South.tax_rate": 0.25})
    b = mercato.Scenario.load(tiny, ["regions.South.tax_rate=0.25"])
    assert a.to_yaml() == b.to_yaml()
    assert a.to_yaml() != mercato.Scenario.load(tiny).to_yaml()


def test_to_dict_is_the_resolved_scenario(tiny):
    d = mercato.Scenario.load(tiny).to_dict()
    assert d["name"] == "tiny"
    assert [r["id"] for r in d["regions"]] == ["North", "South"]
    # Defaults are filled in.
    assert "model" in d and "alpha" in d["model"]


def test_from_yaml_round_trips_the_resolved_scenario(tiny):
    sc = mercato.Scenario.load(tiny).set("seed", 3)
    again = mercato.Scenario.from_yaml(sc.to_yaml(), name="again.yaml")
    assert again.to_yaml() == sc.to_yaml()
    assert again.path is None


def test_copy_is_independent(tiny):
    sc = mercato.Scenario.load(tiny)
    other = sc.copy().set("seed", 5)
    assert sc.seed == 42 and other.seed == 5


def test_validate_builds_the_world(tiny):
    sizes = mercato.Scenario.load(tiny).validate()
    assert sizes["regions"] == 2
    assert sizes["organisations"] == 6
    assert 400 < sizes["talents"] < 500


def test_validate_gives_the_sizes_the_command_line_prints(tiny):
    from conftest import run_cli
    sizes = mercato.Scenario.load(tiny).validate()
    out = run_cli("validate", tiny).stdout
    assert f"({sizes['regions']} regions, {sizes['organisations']} organisations, " \
           f"{sizes['talents']} talents)" in out


def test_scenario_error_names_file_line_key_and_message(tmp_path, tiny):
    text = open(tiny, encoding="utf-8").read().replace("tax_rate: 0.37", "tax_rate: 1.5")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(mercato.ScenarioError) as caught:
        mercato.Scenario.load(bad)
    e = caught.value
    assert e.file.endswith("bad.yaml")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "tax_rate: 1.5" in l)
    assert e.line == line
    assert e.column is not None
    assert e.key == "regions.North.tax_rate"
    assert e.message
    assert len(e.diagnostics) >= 1
    assert "bad.yaml" in str(e) and "regions.North.tax_rate" in str(e)
    assert isinstance(e, mercato.Error) and isinstance(e, ValueError)


def test_every_problem_is_listed(tmp_path, tiny):
    text = open(tiny, encoding="utf-8").read()
    text = text.replace("tax_rate: 0.37", "tax_rate: 1.5").replace("tax_rate: 0.45", "tax_rate: -1")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(mercato.ScenarioError) as caught:
        mercato.Scenario.load(bad)
    keys = {d["key"] for d in caught.value.diagnostics}
    assert {"regions.North.tax_rate", "regions.South.tax_rate"} <= keys


def test_a_bad_set_raises_and_leaves_the_scenario_as_it_was(tiny):
    sc = mercato.Scenario.load(tiny)
    with pytest.raises(mercato.ScenarioError) as caught:
        sc.set("regions.Nowhere.tax_rate", 0.3)
    assert "Nowhere" in caught.value.key or "Nowhere" in caught.value.message
    with pytest.raises(mercato.ScenarioError) as caught:
        sc.set("regions.North.tax_rate", 2.0)
    assert caught.value.key == "regions.North.tax_rate"
    assert caught.value.line is None or caught.value.line >= 0
    assert sc.overrides == []
    assert sc.to_yaml() == mercato.Scenario.load(tiny).to_yaml()


def test_a_missing_file_raises_io_error(tmp_path):
    with pytest.raises(mercato.IoError, match="does not exist"):
        mercato.Scenario.load(tmp_path / "none.yaml")
    with pytest.raises(mercato.IoError, match="folder"):
        mercato.Scenario.load(tmp_path)


def test_a_malformed_set_string_raises_usage_error(tiny):
    with pytest.raises(mercato.UsageError):
        mercato.Scenario.load(tiny, ["no-equals-sign"])


def test_override_text_writes_yaml():
    assert override_text(0.3) == "0.3"
    assert override_text(True) == "true"
    assert override_text(None) == "null"
    assert override_text(12) == "12"
    assert override_text("North") == "North"
    assert override_text([1, 2.5]) == "[1, 2.5]"
    assert override_text({"uniform": [0, 1]}) == '{"uniform": [0, 1]}'
    with pytest.raises(TypeError):
        override_text(object())
