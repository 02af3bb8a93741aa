"""mercato.compare, mercato.ensemble, mercato.sweep: the command line's results, resuming,
errors, Ctrl-C."""

import _thread
import filecmp
import json
import sqlite3
import threading

import numpy as np
import pandas as pd
import pytest

import mercato
from conftest import TINY, run_cli

SEED = 7
MONTHS = 6


def rows(database, sql):
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def test_compare_returns_the_rows_of_the_command_line(tmp_path, tiny):
    run_cli("compare", tiny, tiny, "--set-policy", "regions.North.tax_rate=0.25", "--replicates",
            3, "--seed", SEED, "--months", MONTHS, "-o", tmp_path / "cli", "--quiet")
    frame = mercato.compare(tiny, tiny, replicates=3, seed=SEED, months=MONTHS,
                            set_policy={"regions.North.tax_rate": 0.25}, output=tmp_path / "py")
    assert filecmp.cmp(tmp_path / "cli" / "comparison.csv", tmp_path / "py" / "comparison.csv",
                       shallow=False)
    with open(tmp_path / "cli" / "comparison.json", encoding="utf-8") as f:
        cli_json = json.load(f)
    with open(tmp_path / "py" / "comparison.json", encoding="utf-8") as f:
        assert json.load(f) == cli_json
    expected = mercato.read_table(tmp_path / "cli" / "comparison.csv")
    assert list(frame["metric"]) == list(expected["metric"])
    assert (frame["replicates"] == 3).all()
    for column in ("base_mean", "policy_mean", "difference", "ci_low", "ci_high"):
        np.testing.assert_allclose(frame[column].to_numpy(float), expected[column].to_numpy(float),
                                   rtol=1e-5, atol=0.5, equal_nan=True, err_msg=column)
    assert frame.attrs["replicates"] == 3 and frame.attrs["folder"] == str(tmp_path / "py")
    assert list(frame.columns[:4]) == ["section", "metric", "label", "unit"]


def test_compare_of_a_scenario_with_itself_has_no_difference(tiny):
    sc = mercato.Scenario.load(tiny)
    frame = mercato.compare(sc, sc.copy(), replicates=2, months=3, threads=2)
    finite = frame[np.isfinite(frame["difference"])]
    assert len(finite) > 0
    assert (finite["difference"] == 0).all()
    assert frame.attrs["folder"] is None


def test_compare_refuses_scenarios_with_other_regions(tiny):
    text = open(tiny, encoding="utf-8").read().replace("South", "East")
    other = mercato.Scenario.from_yaml(text, name="east.yaml")
    with pytest.raises(mercato.Error, match="region"):
        mercato.compare(tiny, other, replicates=1, months=1)


def test_compare_refuses_zero_replicates(tiny):
    with pytest.raises(mercato.UsageError):
        mercato.compare(tiny, tiny, replicates=0, months=1)


def test_ctrl_c_stops_a_comparison(tmp_path, tiny):
    folder = tmp_path / "cmp"
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        mercato.compare(tiny, tiny, replicates=2, months=1200, threads=2, set={"scale": 20},
                        output=folder)
    timer.cancel()
    assert not folder.exists() or list(folder.iterdir()) == []


def test_ensemble_writes_the_command_lines_database(tmp_path, tiny):
    run_cli("ensemble", tiny, "--replicates", 3, "--seed", SEED, "--months", MONTHS,
            "--threads", 1, "-o", tmp_path / "cli.db", "--quiet")
    result = mercato.ensemble(tiny, replicates=3, seed=SEED, months=MONTHS, threads=2,
                              output=tmp_path / "py.db")
    assert isinstance(result, mercato.ExperimentResult)
    assert (result.total, result.done, result.failed, result.skipped) == (3, 3, 0, 0)
    for sql in ("SELECT run, metric, value FROM metric ORDER BY run, metric",
                "SELECT * FROM regions ORDER BY run, month, region, tier",
                "SELECT run, point, replicate, seed, status FROM run ORDER BY run"):
        assert rows(result.database, sql) == rows(tmp_path / "cli.db", sql)
    assert filecmp.cmp(result.aggregates_path, tmp_path / "cli.aggregates.csv", shallow=False)
    assert {"metric", "unit", "runs", "mean", "sd", "ci_low", "ci_high"} <= set(result.aggregates)
    assert (result.aggregates["runs"] == 3).all()


def test_ensemble_replicate_zero_is_the_run(tmp_path, tiny):
    result = mercato.ensemble(tiny, replicates=2, seed=SEED, months=MONTHS, keep="regions,moves",
                              output=tmp_path / "e.db")
    run = mercato.run(tiny, seed=SEED, months=MONTHS)
    moves = result.table("moves")
    first = moves[moves["run"] == 1].drop(columns="run").reset_index(drop=True)
    assert len(first) == len(run.moves)
    assert list(first["talent"]) == list(run.moves["talent"])
    metrics = result.metrics()
    assert set(metrics["run"]) == {1, 2}
    assert set(metrics["replicate"]) == {0, 1}
    assert result.query("SELECT COUNT(*) AS n FROM run")["n"][0] == 2
    with pytest.raises(ValueError):
        result.table("run; DROP TABLE run")


def test_ensemble_resumes_and_force_starts_over(tmp_path, tiny):
    db = tmp_path / "e.db"
    mercato.ensemble(tiny, replicates=2, months=2, output=db)
    again = mercato.ensemble(tiny, replicates=2, months=2, output=db)
    assert (again.skipped, again.done) == (2, 0)
    forced = mercato.ensemble(tiny, replicates=2, months=2, output=db, force=True)
    assert (forced.skipped, forced.done) == (0, 2)
    with pytest.raises(mercato.UsageError):
        mercato.ensemble(tiny, replicates=3, months=2, output=db)


def test_ensemble_takes_a_scenarios_overrides(tmp_path, tiny):
    sc = mercato.Scenario.load(tiny).set("regions.South.tax_rate", 0.25)
    a = mercato.ensemble(sc, replicates=1, months=2, output=tmp_path / "a.db")
    b = mercato.ensemble(tiny, replicates=1, months=2, set=["regions.South.tax_rate=0.25"],
                         output=tmp_path / "b.db")
    sql = "SELECT metric, value FROM metric ORDER BY metric"
    assert rows(a.database, sql) == rows(b.database, sql)


def test_ensemble_errors(tmp_path, tiny):
    with pytest.raises(mercato.UsageError):
        mercato.ensemble(tiny, replicates=0, output=tmp_path / "x.db")
    with pytest.raises(mercato.UsageError):
        mercato.ensemble(tiny, replicates=1, keep=["nothing"], output=tmp_path / "x.db")
    with pytest.raises(mercato.UsageError, match="on_error"):
        mercato.ensemble(tiny, replicates=1, on_error="maybe", output=tmp_path / "x.db")
    text = open(tiny, encoding="utf-8").read()
    with pytest.raises(mercato.Error, match="file"):
        mercato.ensemble(mercato.Scenario.from_yaml(text), replicates=1, output=tmp_path / "y.db")


def test_sweep_writes_the_command_lines_database(tmp_path, tiny):
    experiment = tmp_path / "tax.yaml"
    experiment.write_text(f"""
name: tax
scenario: {tiny}
months: {MONTHS}
seed: {SEED}
replicates: 2
parameters:
  - key: regions.South.tax_rate
    values: [0.3, 0.5]
""", encoding="utf-8")
    run_cli("sweep", experiment, "--threads", 1, "-o", tmp_path / "cli.db", "--quiet")
    result = mercato.sweep(experiment, output=tmp_path / "py.db", threads=2)
    assert (result.total, result.done) == (4, 4)
    assert result.name == "tax"
    sql = "SELECT run, metric, value FROM metric ORDER BY run, metric"
    assert rows(result.database, sql) == rows(tmp_path / "cli.db", sql)
    assert filecmp.cmp(result.aggregates_path, tmp_path / "cli.aggregates.csv", shallow=False)
    assert set(result.aggregates["regions.South.tax_rate"]) == {0.3, 0.5}
    assert "tax" in repr(result)


def test_sweep_reports_a_bad_experiment(tmp_path, tiny):
    experiment = tmp_path / "bad.yaml"
    experiment.write_text(f"scenario: {tiny}\nparameters:\n  - key: regions.Nowhere.tax_rate\n"
                          f"    values: [0.3]\n", encoding="utf-8")
    with pytest.raises(mercato.ScenarioError) as caught:
        mercato.sweep(experiment, output=tmp_path / "x.db")
    assert caught.value.file.endswith("bad.yaml")
    with pytest.raises(mercato.IoError):
        mercato.sweep(tmp_path / "none.yaml", output=tmp_path / "x.db")
